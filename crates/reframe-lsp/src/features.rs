//! Completion, hover, outline, folding and inlay hints: each handler converts the request
//! to a byte offset, asks the analysis, and converts the answer back.

use tower_lsp_server::ls_types::{
    CodeLens, Command, CompletionItem, CompletionItemKind, CompletionList, CompletionParams,
    CompletionResponse, CompletionTextEdit, DocumentSymbol, DocumentSymbolResponse, Documentation,
    FoldingRange, FoldingRangeKind, Hover, HoverContents, HoverParams, InlayHint, InlayHintLabel,
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
        .collect::<Vec<_>>();
    // Clients expect hints in position order (the questions came after the progress).
    let mut hints = hints;
    hints.sort_by_key(|h| (h.position.line, h.position.character));
    Some(hints)
}

/// The command that inserts a follow-up question under its section as a
/// `> [!question]` callout; arguments: the document URI and the question.
pub const ADD_QUESTION_NOTE: &str = "reframe.addQuestionNote";

/// The command that shows every follow-up question of a document; argument: its URI.
pub const SHOW_QUESTIONS: &str = "reframe.showQuestions";

/// "Add a note" lenses shown above one heading at most (the rest are one command away).
const MAX_NOTE_LENSES: usize = 2;

/// Lens titles are cut to this many characters.
const LENS_TITLE: usize = 36;

fn short(text: &str) -> String {
    if text.chars().count() <= LENS_TITLE {
        return text.to_string();
    }
    let cut: String = text.chars().take(LENS_TITLE - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Code lenses above the headings of the sections that ask for decisions or list the
/// interviewer's questions: "N questions" (shows them all: `reframe.showQuestions`) and
/// "Note: …" for the first questions (inserts a `> [!question]` callout under the section:
/// `reframe.addQuestionNote`). Both are commands the server runs.
pub fn code_lenses(
    snap: &Snapshot,
    uri: &tower_lsp_server::ls_types::Uri,
) -> Option<Vec<CodeLens>> {
    let (open, text, analysis) = document(snap)?;
    let asked = questions::questions(&text, &analysis, open.profile.template());
    let mut lenses = Vec::new();
    for (heading, here) in questions::placed(&asked, &analysis) {
        let range = to_proto::range(&open.doc, heading, open.encoding);
        let count = match here.len() {
            1 => "1 question".to_string(),
            n => format!("{n} questions"),
        };
        lenses.push(CodeLens {
            range,
            command: Some(Command {
                title: format!("{count}: show all"),
                command: SHOW_QUESTIONS.to_string(),
                arguments: Some(vec![serde_json::json!(uri.as_str())]),
            }),
            data: None,
        });
        lenses.extend(here.iter().take(MAX_NOTE_LENSES).map(|q| CodeLens {
            range,
            command: Some(Command {
                title: format!("Note: {}", short(&q.text)),
                command: ADD_QUESTION_NOTE.to_string(),
                arguments: Some(vec![
                    serde_json::json!(uri.as_str()),
                    serde_json::json!(q.text),
                ]),
            }),
            data: None,
        }));
    }
    Some(lenses)
}

/// The edit that adds the note for `question` (where its lens is), or `None`.
pub fn question_note(snap: &Snapshot, question: &str) -> Option<Vec<TextEdit>> {
    let (open, text, analysis) = document(snap)?;
    let asked = questions::questions(&text, &analysis, open.profile.template());
    let (heading, _) = questions::placed(&asked, &analysis)
        .into_iter()
        .find(|(_, here)| here.iter().any(|q| q.text == question))?;
    let edit = questions::note_edit(&text, &analysis, &heading, question)?;
    Some(vec![TextEdit {
        range: to_proto::range(&open.doc, edit.range, open.encoding),
        new_text: edit.new_text,
    }])
}

/// Every follow-up question of the document, by heading, as markdown. The sections are
/// named in bold, not as headings: a client that opens the list as a markdown document
/// must not take it for a write-up of the template.
pub fn question_list(snap: &Snapshot) -> Option<String> {
    let (open, text, analysis) = document(snap)?;
    let asked = questions::questions(&text, &analysis, open.profile.template());
    let mut out = String::from("# Questions an interviewer may ask\n");
    for (heading, here) in questions::placed(&asked, &analysis) {
        let name = text
            .get(heading)
            .unwrap_or("")
            .trim_start_matches('#')
            .trim();
        out.push_str(&format!("\n**{name}**\n\n"));
        for q in here {
            out.push_str(&format!("- {}\n", q.text));
        }
    }
    Some(out)
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
