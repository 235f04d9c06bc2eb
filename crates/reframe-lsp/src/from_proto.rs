//! Conversions from LSP types to the analysis' plain data (positions, ranges, the
//! negotiated encoding). With `to_proto.rs`, the one place that knows both.

use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

use reframe_core::document::{self, PositionEncoding};

pub fn position(p: Position) -> document::Position {
    document::Position {
        line: p.line,
        character: p.character,
    }
}

pub fn range(r: Range) -> document::Span {
    document::Span {
        start: position(r.start),
        end: position(r.end),
    }
}

/// LSP 3.17 negotiation: UTF-8 when the client offers it, else UTF-16 (the protocol's
/// default, which every client supports).
pub fn negotiate_encoding(offered: Option<&[PositionEncodingKind]>) -> PositionEncoding {
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => PositionEncoding::Utf8,
        _ => PositionEncoding::Utf16,
    }
}
