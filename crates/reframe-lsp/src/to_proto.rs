//! Conversions from the analysis' plain data to LSP types. With `from_proto.rs`, the one
//! place that knows both; the command line's JSON report uses [`diagnostic`] too.

use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticSeverity, NumberOrString, Position,
    PositionEncodingKind, Range, Uri,
};

use reframe_core::analysis::Finding;
use reframe_core::document::{self, Document, PositionEncoding};
use reframe_core::rules::{RuleCode, Severity};

/// Where each rule's documentation lives (docs/rules.md has one anchor per rule code).
pub const HELP_BASE: &str = "https://github.com/reframe-ls/reframe/blob/main/docs/rules.md";

/// The documentation link of a built-in rule; codes defined in configuration have none.
pub fn help_uri(code: RuleCode) -> Option<Uri> {
    if !code.is_builtin() {
        return None;
    }
    format!("{HELP_BASE}#{}", code.help_anchor()).parse().ok()
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

pub fn position(p: document::Position) -> Position {
    Position::new(p.line, p.character)
}

pub fn range(doc: &Document, bytes: std::ops::Range<usize>, enc: PositionEncoding) -> Range {
    let span = doc.byte_range_to_span(bytes, enc);
    Range::new(position(span.start), position(span.end))
}

/// A finding as an LSP diagnostic.
pub fn diagnostic(doc: &Document, finding: &Finding, enc: PositionEncoding) -> Diagnostic {
    Diagnostic {
        range: range(doc, finding.range.clone(), enc),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.code.as_str().to_string())),
        code_description: help_uri(finding.code).map(|href| CodeDescription { href }),
        source: Some("reframe".to_string()),
        message: finding.message.clone(),
        related_information: None,
        tags: None,
        // The data's JSON is a wire format (`reframe_core::analysis::data`); serialising
        // these plain structs cannot fail.
        data: serde_json::to_value(&finding.data).ok(),
    }
}

pub fn encoding_kind(enc: PositionEncoding) -> PositionEncodingKind {
    match enc {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
        PositionEncoding::Utf32 => PositionEncodingKind::UTF32,
    }
}
