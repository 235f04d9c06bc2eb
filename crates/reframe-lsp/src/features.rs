//! Completion, hover, outline, folding and inlay hints: each handler converts the request
//! to a byte offset, asks the analysis, and converts the answer back.

use tower_lsp_server::ls_types::{
    CodeLens, Command, CompletionItem, CompletionItemKind, CompletionList, CompletionParams, CompletionResponse,
    CompletionTextEdit, DocumentSymbol, DocumentSymbolResponse, Documentation, FoldingRange,
    FoldingRangeKind, Hover, HoverContents, HoverParams, InlayHint, InlayHintLabel,
    InlayHintParams, InlayHintTooltip, InsertTextFormat, MarkupContent, MarkupKind, SymbolKind,
    TextEdit,
};

use crate::publish::Snapshot;
use crate::{from_proto, to_proto};
use reframe_core::analysis::Analysis;
use reframe_core::analysis::completion::{CompletionKind, complete};
use reframe_core::analysis::hover::hover as hover_at;
use reframe_core::analysis::outline::{self, Symbol};
use reframe_core::analysis::{questions, readiness};

/// The snapshot's text and analysis; `None` once the request was cancelled.
fn document(snap: &Snapshot) -> Option<(&Snapshot, String, std::sync::Arc<Analysis>)> {
    if snap.cancelled() {
        return None;
    }
    let text = snap.doc.text();
    let analysis = snap.analysis();
    if snap.cancelled() {
        return None;
    }
    Some((snap, text, analysis))
}

pub fn completion(snap: &Snapshot, params: &CompletionParams) -> Option<CompletionResponse> {
    let position = &params.text_document_position;
    let (open, text, analysis) = document(snap)?;
    let (offset, _) = open
        .doc
        .position_to_byte_clamped(from_proto::position(position.position), open.encoding);
    let items: Vec<CompletionItem> = complete(&text, &analysis, open.profile.template(), offset)
        .into_iter()
        .map(|c| {
            let range = to_proto::range(&open.doc, c.replace.clone(), open.encoding);
            let (new_text, format) = match (&c.snippet, open.client.snippets) {
                (Some(snippet), true) => (snippet.clone(), InsertTextFormat::SNIPPET),
                _ => (c.text.clone(), InsertTextFormat::PLAIN_TEXT),
            };
            CompletionItem {
                label: c.label,
                kind: Some(match c.kind {
                    CompletionKind::Section => CompletionItemKind::MODULE,
                    CompletionKind::Field => CompletionItemKind::FIELD,
                    CompletionKind::Phrase => CompletionItemKind::TEXT,
                }),
                detail: c.detail,
                documentation: c.documentation.map(Documentation::String),
                sort_text: Some(c.sort),
                filter_text: Some(c.filter),
                insert_text_format: Some(format),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text })),
                ..Default::default()
            }
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    // Line items' filter text follows what was typed (see the core's `filter_for`), so
    // the client asks again as the line changes rather than filtering the old list.
    let line_items = items
        .iter()
        .any(|i| i.kind != Some(CompletionItemKind::TEXT));
    Some(CompletionResponse::List(CompletionList {
        is_incomplete: line_items,
        items,
    }))
}

pub fn hover(snap: &Snapshot, params: &HoverParams) -> Option<Hover> {
    let position = &params.text_document_position_params;
    let (open, text, analysis) = document(snap)?;
    let (offset, _) = open
        .doc
        .position_to_byte_clamped(from_proto::position(position.position), open.encoding);
    let (range, markdown) = hover_at(&text, &analysis, open.profile.template(), offset)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(to_proto::range(&open.doc, range, open.encoding)),
    })
}

fn symbol(open: &Snapshot, s: &Symbol) -> DocumentSymbol {
    #[allow(deprecated)] // `deprecated` is a required field of the struct
    DocumentSymbol {
        name: s.name.clone(),
        detail: s.detail.clone(),
        kind: match s.kind {
            outline::SymbolKind::Section => SymbolKind::MODULE,
            outline::SymbolKind::Heading => SymbolKind::STRING,
            outline::SymbolKind::Field => SymbolKind::FIELD,
            outline::SymbolKind::Document => SymbolKind::FILE,
        },
        tags: None,
        deprecated: None,
        range: to_proto::range(&open.doc, s.range.clone(), open.encoding),
        selection_range: to_proto::range(&open.doc, s.selection.clone(), open.encoding),
        children: (!s.children.is_empty())
            .then(|| s.children.iter().map(|c| symbol(open, c)).collect()),
    }
}

pub fn document_symbols(snap: &Snapshot) -> Option<DocumentSymbolResponse> {
    let (open, text, analysis) = document(snap)?;
    let mut symbols = outline::outline(&analysis, open.profile.template());
    if let Some(r) = readiness::readiness(&text, &analysis, open.profile.template()) {
        readiness::decorate_outline(&mut symbols, &analysis, &r);
    }
    Some(DocumentSymbolResponse::Nested(
        symbols.iter().map(|s| symbol(open, s)).collect(),
    ))
}

pub fn folding_ranges(snap: &Snapshot) -> Option<Vec<FoldingRange>> {
    let (open, text, analysis) = document(snap)?;
    let front_matter = analysis.model.front_matter.as_ref().map(|f| f.range.start);
    Some(
        outline::folding(&analysis, &text)
            .into_iter()
            .map(|r| {
                let start = open.doc.byte_to_position(r.start, open.encoding);
                let end = open.doc.byte_to_position(r.end, open.encoding);
                FoldingRange {
                    start_line: start.line,
                    start_character: None,
                    end_line: end.line,
                    end_character: None,
                    kind: (Some(r.start) == front_matter).then_some(FoldingRangeKind::Comment),
                    collapsed_text: None,
                }
            })
            .collect(),
    )
}

pub fn inlay_hints(snap: &Snapshot, params: &InlayHintParams) -> Option<Vec<InlayHint>> {
    let (open, text, analysis) = document(snap)?;
    if !analysis.is_writeup {
        return Some(Vec::new());
    }
    // Without code lenses, the follow-up questions come as hints (after the progress).
    let questions = if open.client.code_lens {
        Vec::new()
    } else {
        question_hints(open, &text, &analysis)
    };
    let hints = outline::progress(&analysis, open.profile.template())
        .into_iter()
        .filter_map(|p| {
            let heading = analysis.model.headings.get(p.heading)?;
            let position = open.doc.byte_to_position(heading.range.end, open.encoding);
            Some(InlayHint {
                position: to_proto::position(position),
                label: InlayHintLabel::String(p.summary()),
                kind: None,
                text_edits: None,
                tooltip: None,
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
        })
        .chain(questions)
        .filter(|h| {
            let line = h.position.line;
            params.range.start.line <= line && line <= params.range.end.line
        })
        .collect();
    Some(hints)
}

/// Lenses shown above one heading at most; the rest are named in one more lens.
const MAX_LENSES: usize = 4;

/// Code lenses: the follow-up questions above the headings of the sections that ask for
/// decisions or list the interviewer's questions (plain titles, no command to run).
pub fn code_lenses(snap: &Snapshot) -> Option<Vec<CodeLens>> {
    let (open, text, analysis) = document(snap)?;
    let asked = questions::questions(&text, &analysis, open.profile.template());
    let mut lenses = Vec::new();
    for (heading, here) in questions::placed(&asked, &analysis) {
        let range = to_proto::range(&open.doc, heading, open.encoding);
        let mut titles: Vec<String> = here
            .iter()
            .take(MAX_LENSES)
            .map(|q| format!("Q: {}", q.text))
            .collect();
        if here.len() > MAX_LENSES {
            titles.push(format!(
                "+{} more questions (hover the heading)",
                here.len() - MAX_LENSES
            ));
        }
        lenses.extend(titles.into_iter().map(|title| CodeLens {
            range,
            command: Some(Command {
                title,
                command: String::new(),
                arguments: None,
            }),
            data: None,
        }));
    }
    Some(lenses)
}

/// For clients without code lenses: one inlay hint per heading with questions, naming the
/// first and listing all in its tooltip.
fn question_hints(open: &Snapshot, text: &str, analysis: &Analysis) -> Vec<InlayHint> {
    let asked = questions::questions(text, analysis, open.profile.template());
    questions::placed(&asked, analysis)
        .into_iter()
        .filter_map(|(heading, here)| {
            let first = here.first()?;
            let more = match here.len() {
                1 => String::new(),
                n => format!(" (+{} more)", n - 1),
            };
            let list: Vec<String> = here.iter().map(|q| format!("- {}", q.text)).collect();
            let position = open.doc.byte_to_position(heading.end, open.encoding);
            Some(InlayHint {
                position: to_proto::position(position),
                label: InlayHintLabel::String(format!("Q: {}{more}", first.text)),
                kind: None,
                text_edits: None,
                tooltip: Some(InlayHintTooltip::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: format!("An interviewer may ask:\n\n{}", list.join("\n")),
                })),
                padding_left: Some(true),
                padding_right: None,
                data: None,
            })
        })
        .collect()
}
