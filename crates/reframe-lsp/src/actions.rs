//! `textDocument/codeAction` and `codeAction/resolve`: the analysis' actions as LSP code
//! actions. When the client can resolve edits lazily, the list carries only titles and a
//! `data` key; the edit is computed again on resolve, for the version the action was
//! offered on (an action for an older version resolves to no edit).

use std::collections::HashMap;

use serde_json::{Value, json};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use crate::{OpenDocument, State, from_proto, to_proto};
use reframe_core::analysis::Analysis;
use reframe_core::analysis::actions::{self, Action, ActionKind};

/// The kind of the safe-fixes action; clients asking for `source.fixAll` get it.
pub const FIX_ALL: &str = "source.fixAll.reframe";

pub fn offered_kinds() -> Vec<CodeActionKind> {
    vec![
        CodeActionKind::QUICKFIX,
        CodeActionKind::SOURCE,
        CodeActionKind::new(FIX_ALL),
    ]
}

fn kind_of(kind: ActionKind) -> CodeActionKind {
    match kind {
        ActionKind::QuickFix => CodeActionKind::QUICKFIX,
        ActionKind::Source => CodeActionKind::SOURCE,
        ActionKind::FixAll => CodeActionKind::new(FIX_ALL),
    }
}

/// Whether `kind` is asked for by `only` (kinds are hierarchical: `source` covers
/// `source.fixAll.reframe`).
fn wanted(kind: &CodeActionKind, only: Option<&[CodeActionKind]>) -> bool {
    let Some(only) = only else {
        // Unfiltered requests (the lightbulb) get quick fixes and source actions, not fix-all.
        return kind.as_str() != FIX_ALL;
    };
    only.iter().any(|o| {
        kind.as_str() == o.as_str()
            || kind
                .as_str()
                .strip_prefix(o.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

fn byte_range(
    state: &State,
    open: &OpenDocument,
    range: tower_lsp_server::ls_types::Range,
) -> std::ops::Range<usize> {
    let span = from_proto::range(range);
    let (start, _) = open
        .doc
        .position_to_byte_clamped(span.start, state.encoding);
    let (end, _) = open.doc.position_to_byte_clamped(span.end, state.encoding);
    start.min(end)..start.max(end)
}

fn workspace_edit(state: &State, open: &OpenDocument, uri: &Uri, action: &Action) -> WorkspaceEdit {
    let edits: Vec<TextEdit> = action
        .edits
        .iter()
        .map(|e| TextEdit {
            range: to_proto::range(&open.doc, e.range.clone(), state.encoding),
            new_text: e.new_text.clone(),
        })
        .collect();
    if state.client.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(open.version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..Default::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }
    }
}

fn to_lsp(
    state: &State,
    open: &OpenDocument,
    uri: &Uri,
    analysis: &Analysis,
    action: &Action,
    lazy: Option<Value>,
) -> CodeAction {
    let diagnostics = action
        .fixes
        .and_then(|i| analysis.findings.get(i))
        .map(|f| vec![to_proto::diagnostic(&open.doc, f, state.encoding)]);
    CodeAction {
        title: action.title.clone(),
        kind: Some(kind_of(action.kind)),
        diagnostics,
        edit: match lazy {
            Some(_) => None,
            None => Some(workspace_edit(state, open, uri, action)),
        },
        command: None,
        is_preferred: action.preferred.then_some(true),
        disabled: None,
        data: lazy,
    }
}

pub fn code_actions(state: &State, params: &CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
    let uri = &params.text_document.uri;
    let open = state.documents.get(uri)?;
    let text = open.doc.text();
    let analysis = open.analyze(&text);
    if !analysis.is_writeup {
        return Some(Vec::new());
    }
    let range = byte_range(state, open, params.range);
    let only = params.context.only.as_deref();
    let found = actions::actions(&text, &analysis, open.profile.template(), range);
    let out = found
        .iter()
        .filter(|a| wanted(&kind_of(a.kind), only))
        .map(|a| {
            let lazy = state.client.resolve_code_action_edits.then(|| {
                json!({
                    "uri": uri.as_str(),
                    "version": open.version,
                    "range": params.range,
                    "title": a.title,
                })
            });
            CodeActionOrCommand::CodeAction(to_lsp(state, open, uri, &analysis, a, lazy))
        })
        .collect();
    Some(out)
}

/// Fills in the edit of an action offered earlier, if its document is still at the version
/// it was offered on.
pub fn resolve(state: &State, mut action: CodeAction) -> CodeAction {
    let Some(data) = action.data.clone() else {
        return action;
    };
    let uri: Option<Uri> = data["uri"].as_str().and_then(|u| u.parse().ok());
    let range: Option<tower_lsp_server::ls_types::Range> =
        serde_json::from_value(data["range"].clone()).ok();
    let (Some(uri), Some(range)) = (uri, range) else {
        return action;
    };
    let Some(open) = state.documents.get(&uri) else {
        return action;
    };
    if data["version"].as_i64() != Some(i64::from(open.version)) {
        return action;
    }
    let text = open.doc.text();
    let analysis = open.analyze(&text);
    let bytes = byte_range(state, open, range);
    if let Some(found) = actions::actions(&text, &analysis, open.profile.template(), bytes)
        .into_iter()
        .find(|a| a.title == action.title)
    {
        action.edit = Some(workspace_edit(state, open, &uri, &found));
    }
    action
}
