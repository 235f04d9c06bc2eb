//! `textDocument/codeAction` and `codeAction/resolve`: the analysis' actions as LSP code
//! actions. When the client can resolve edits lazily, the list carries only titles and a
//! `data` key; the edit is computed again on resolve, for the version the action was
//! offered on (an action for an older version resolves to no edit).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Command, DocumentChanges,
    OneOf, OptionalVersionedTextDocumentIdentifier, Range, TextDocumentEdit, TextEdit, Uri,
    WorkspaceEdit,
};

use crate::publish::Snapshot;
use crate::{from_proto, to_proto};
use reframe_core::analysis::Analysis;
use reframe_core::analysis::actions::{self, Action, ActionKind};

/// The most code actions one request gets (a whole-document range over thousands of
/// findings would otherwise get tens of thousands).
pub const MAX_ACTIONS: usize = 200;

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
        // Unfiltered requests (the lightbulb, Neovim's `gra`) get everything, fix-all too.
        return true;
    };
    only.iter().any(|o| {
        kind.as_str() == o.as_str()
            || kind
                .as_str()
                .strip_prefix(o.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

fn byte_range(snap: &Snapshot, range: tower_lsp_server::ls_types::Range) -> std::ops::Range<usize> {
    let span = from_proto::range(range);
    let (start, _) = snap.doc.position_to_byte_clamped(span.start, snap.encoding);
    let (end, _) = snap.doc.position_to_byte_clamped(span.end, snap.encoding);
    start.min(end)..start.max(end)
}

fn workspace_edit(snap: &Snapshot, uri: &Uri, action: &Action) -> WorkspaceEdit {
    let edits: Vec<TextEdit> = action
        .edits
        .iter()
        .map(|e| TextEdit {
            range: to_proto::range(&snap.doc, e.range.clone(), snap.encoding),
            new_text: e.new_text.clone(),
        })
        .collect();
    if snap.client.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(snap.version),
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

/// The `data` of an action whose edit comes on `codeAction/resolve`: where to find the
/// action again. Its JSON is `{"range", "title", "uri", "version"}`; the client sends it
/// back unchanged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveData {
    /// The range the actions were asked for.
    pub range: Range,
    /// The action's title (also the action's own).
    pub title: String,
    /// The document.
    pub uri: Uri,
    /// The document version the action was offered on.
    pub version: i32,
}

impl ResolveData {
    /// The data of an action offered to the client; `Ok(None)` when it has none (nothing
    /// to resolve), an error naming the problem when it is not what the server sent.
    pub fn of(action: &CodeAction) -> Result<Option<ResolveData>, String> {
        let Some(data) = &action.data else {
            return Ok(None);
        };
        ResolveData::deserialize(data).map(Some).map_err(|e| {
            format!("codeAction/resolve: the action's data is not what reframe sent: {e}")
        })
    }
}

fn to_lsp(
    snap: &Snapshot,
    uri: &Uri,
    analysis: &Analysis,
    action: &Action,
    lazy: Option<ResolveData>,
) -> CodeAction {
    let diagnostics = action
        .fixes
        .and_then(|i| analysis.findings.get(i))
        .map(|f| vec![to_proto::diagnostic(&snap.doc, f, snap.encoding)]);
    CodeAction {
        title: action.title.clone(),
        kind: Some(kind_of(action.kind)),
        diagnostics,
        edit: match lazy {
            Some(_) => None,
            None => Some(workspace_edit(snap, uri, action)),
        },
        command: None,
        is_preferred: action.preferred.then_some(true),
        disabled: None,
        data: lazy.and_then(|d| serde_json::to_value(d).ok()),
    }
}

/// The code actions for `params`; `None` once the request was cancelled.
pub fn code_actions(
    snap: &Snapshot,
    params: &CodeActionParams,
) -> Option<Vec<CodeActionOrCommand>> {
    let uri = &params.text_document.uri;
    let text = snap.doc.text();
    let analysis = snap.analysis();
    if !analysis.is_writeup {
        return Some(Vec::new());
    }
    if snap.cancelled() {
        return None;
    }
    let range = byte_range(snap, params.range);
    let only = params.context.only.as_deref();
    let found = actions::actions(&text, &analysis, snap.profile.template(), range.clone());
    let mut out = Vec::new();
    let offered = found.iter().filter(|a| wanted(&kind_of(a.kind), only));
    let allow = allow_actions(snap, &text, &analysis, range, only);
    for a in offered.take(MAX_ACTIONS.saturating_sub(allow.len())) {
        if snap.cancelled() {
            return None;
        }
        let lazy = snap.client.resolve_code_action_edits.then(|| ResolveData {
            range: params.range,
            title: a.title.clone(),
            uri: uri.clone(),
            version: snap.version,
        });
        out.push(CodeActionOrCommand::CodeAction(to_lsp(
            snap, uri, &analysis, a, lazy,
        )));
    }
    out.extend(allow.into_iter().map(CodeActionOrCommand::CodeAction));
    Some(out)
}

/// The command that adds a phrase to `[allow] phrases` of the nearest `.reframe.toml`;
/// its arguments are the document's file path and the phrase.
pub const ALLOW_PHRASE: &str = "reframe.allowPhrase";

/// At most this many "Allow …" actions per request (one per distinct phrase).
const MAX_ALLOW_ACTIONS: usize = 20;

/// "Allow “<phrase>” in this folder's .reframe.toml" for the wording findings in `range`:
/// a command the server runs (`workspace/executeCommand`), which edits the file on disk.
/// Only for documents that are files.
fn allow_actions(
    snap: &Snapshot,
    text: &str,
    analysis: &Analysis,
    range: std::ops::Range<usize>,
    only: Option<&[CodeActionKind]>,
) -> Vec<CodeAction> {
    if snap.profile.path.is_none() || !wanted(&CodeActionKind::QUICKFIX, only) {
        return Vec::new();
    }
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for finding in &analysis.findings {
        let touches = finding.range.start <= range.end && range.start <= finding.range.end;
        if !touches || !finding.code.is_phrase_rule() {
            continue;
        }
        let Some(phrase) = text.get(finding.range.clone()).map(str::trim) else {
            continue;
        };
        let key = phrase.to_ascii_lowercase();
        if phrase.is_empty() || phrase.contains('\n') || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let title = format!("Allow “{phrase}” in this folder's .reframe.toml");
        out.push(CodeAction {
            title: title.clone(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![to_proto::diagnostic(
                &snap.doc,
                finding,
                snap.encoding,
            )]),
            edit: None,
            command: Some(Command {
                title,
                command: ALLOW_PHRASE.to_string(),
                arguments: Some(vec![
                    json!(snap.profile.path.as_ref().map(|p| p.display().to_string())),
                    Value::String(phrase.to_string()),
                ]),
            }),
            is_preferred: None,
            disabled: None,
            data: None,
        });
        if out.len() >= MAX_ALLOW_ACTIONS {
            break;
        }
    }
    out
}

/// Fills in the edit of an action offered earlier (its `data` read by [`ResolveData::of`]),
/// if its document is still at the version it was offered on.
pub fn resolve(snap: &Snapshot, data: &ResolveData, mut action: CodeAction) -> CodeAction {
    if data.version != snap.version {
        return action;
    }
    let text = snap.doc.text();
    let analysis = snap.analysis();
    let bytes = byte_range(snap, data.range);
    if let Some(found) = actions::actions(&text, &analysis, snap.profile.template(), bytes)
        .into_iter()
        .find(|a| a.title == action.title)
    {
        action.edit = Some(workspace_edit(snap, &data.uri, &found));
    }
    action
}
