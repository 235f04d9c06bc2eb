//! What the server runs for the client: the code lens commands (a note for a follow-up
//! question, through `workspace/applyEdit`; the list of all questions) and the workspace
//! diagnostics scan (`workspace/diagnostic`, with partial results and `$/progress`).

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    CreateFile, CreateFileOptions, DocumentChangeOperation, DocumentChanges, ExecuteCommandParams,
    LSPAny, MessageType, NumberOrString, OneOf, OptionalVersionedTextDocumentIdentifier,
    ProgressToken, Range, ResourceOp, TextDocumentEdit, TextEdit, Uri, WorkspaceDiagnosticParams,
    WorkspaceDiagnosticReport, WorkspaceDiagnosticReportResult, WorkspaceEdit,
};

use crate::pull::{self, Scanned};
use crate::{Backend, features, lock};

/// The document URI in a command's first argument.
fn uri_argument(params: &ExecuteCommandParams) -> Result<Uri> {
    params
        .arguments
        .first()
        .and_then(Value::as_str)
        .and_then(|u| u.parse().ok())
        .ok_or_else(|| Error::invalid_params(format!("{} takes a document URI", params.command)))
}

impl Backend {
    /// `reframe.addQuestionNote URI QUESTION`: inserts the question as a `> [!question]`
    /// callout at the end of the section it is shown on, through `workspace/applyEdit`.
    pub(crate) async fn add_question_note(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<LSPAny>> {
        let uri = uri_argument(&params)?;
        let Some(question) = params.arguments.get(1).and_then(Value::as_str) else {
            return Err(Error::invalid_params(
                "reframe.addQuestionNote takes a document URI and a question",
            ));
        };
        let question = question.to_string();
        let wanted = question.clone();
        let Some(edits) = self
            .run(&uri, move |snapshot| {
                features::question_note(snapshot, &wanted)
            })
            .await
        else {
            self.client
                .show_message(
                    MessageType::INFO,
                    format!("reframe: the note for “{question}” is there already"),
                )
                .await;
            return Ok(None);
        };
        if !lock(&self.state).client.apply_edit {
            // No way to edit for the client: the edit is the answer.
            return Ok(serde_json::to_value(&edits).ok());
        }
        let edit = WorkspaceEdit {
            changes: Some(HashMap::from([(uri, edits)])),
            ..Default::default()
        };
        match self.client.apply_edit(edit).await {
            Ok(response) if response.applied => Ok(None),
            Ok(response) => Err(Error::invalid_params(format!(
                "the client did not apply the note: {}",
                response.failure_reason.unwrap_or_default()
            ))),
            Err(err) => Err(err),
        }
    }

    /// `reframe.showQuestions URI`: every follow-up question of the document, shown as a
    /// message (every client shows one; `window/showDocument` needs a file to open and the
    /// server writes none), and given back as markdown for clients that show it themselves
    /// (the VS Code extension opens it as a document and asks for no message).
    pub(crate) async fn show_questions(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<LSPAny>> {
        let uri = uri_argument(&params)?;
        let Some(list) = self.run(&uri, features::question_list).await else {
            return Err(Error::invalid_params(format!(
                "{} is not an open document",
                uri.as_str()
            )));
        };
        if !lock(&self.state).client.shows_question_list {
            let plain = list.trim_start_matches("# ").replace("**", "");
            self.client.show_message(MessageType::INFO, &plain).await;
        }
        Ok(Some(Value::String(list)))
    }

    /// `workspace/diagnostic`: the reports of every markdown file under the workspace
    /// folders (open ones from their buffers), streamed as partial results when the client
    /// gave a token; the first scan reports its progress.
    pub(crate) async fn scan_workspace(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        let previous: HashMap<String, String> = params
            .previous_result_ids
            .iter()
            .map(|p| (p.uri.as_str().to_string(), p.value.clone()))
            .collect();
        let (folders, first, progress_supported) = {
            let mut state = lock(&self.state);
            let first = !state.scanned;
            state.scanned = true;
            (
                state.folders.clone(),
                first,
                state.client.work_done_progress,
            )
        };
        if folders.is_empty() {
            return Ok(WorkspaceDiagnosticReportResult::Report(
                WorkspaceDiagnosticReport { items: Vec::new() },
            ));
        }
        // Progress: on the client's token, else (first scan) on one the server creates.
        let token = match params.work_done_progress_params.work_done_token.clone() {
            Some(token) => Some(token),
            None if first && progress_supported => {
                let token = NumberOrString::String("reframe/workspace-scan".to_string());
                self.client
                    .create_work_done_progress(token.clone())
                    .await
                    .ok()
                    .map(|()| token)
            }
            None => None,
        };
        let progress = match token {
            Some(token) => Some(
                self.client
                    .progress(token, "reframe: checking write-ups")
                    .with_percentage(0)
                    .begin()
                    .await,
            ),
            None => None,
        };
        let paths = match self.workers.run(move || pull::walk(&folders)).await {
            Ok(paths) => paths,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let (scanned, encoding) = {
            let mut state = lock(&self.state);
            let mut notices = Vec::new();
            let mut scanned = Vec::new();
            for path in paths {
                let Some(uri) = Uri::from_file_path(&path) else {
                    continue;
                };
                if let Some(snapshot) = state.snapshot(&uri) {
                    scanned.push(Scanned::Open(uri, snapshot));
                    continue;
                }
                // Loaded first: the configuration's own files are known once it is.
                let profile = state.settings.profile_for(&uri, &mut notices);
                if !state.settings.is_source(&path) {
                    scanned.push(Scanned::File(uri, path, profile));
                }
            }
            drop(notices); // shown for open documents already, or when one is opened
            (scanned, state.encoding)
        };
        let total = scanned.len().max(1);
        let partial_token: Option<ProgressToken> =
            params.partial_result_params.partial_result_token.clone();
        let (sender, mut batches) = tokio::sync::mpsc::unbounded_channel();
        let streamed = partial_token.is_some();
        let cache = Arc::clone(&self.scan_cache);
        let work = self.workers.run(move || {
            let found: std::collections::HashSet<std::path::PathBuf> = scanned
                .iter()
                .filter_map(|s| match s {
                    Scanned::File(_, path, _) => Some(path.clone()),
                    Scanned::Open(..) => None,
                })
                .collect();
            cache
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .retain(&found);
            let mut all = Vec::new();
            let mut batch = Vec::new();
            for (done, item) in scanned.iter().enumerate() {
                if let Some(report) = pull::workspace_report(item, encoding, &previous, &cache) {
                    batch.push(report);
                }
                if batch.len() >= pull::BATCH || done + 1 == scanned.len() {
                    let items = std::mem::take(&mut batch);
                    if streamed {
                        let _ = sender.send((done + 1, items));
                    } else {
                        let _ = sender.send((done + 1, Vec::new()));
                        all.extend(items);
                    }
                }
            }
            all
        });
        let forward = async {
            while let Some((done, items)) = batches.recv().await {
                if let Some(progress) = &progress {
                    let percent = u32::try_from(done * 100 / total).unwrap_or(100);
                    progress
                        .report_with_message(format!("{done}/{total} files"), percent)
                        .await;
                }
                if let (Some(token), false) = (&partial_token, items.is_empty()) {
                    let token = serde_json::to_value(token).unwrap_or(json!(null));
                    self.client
                        .send_notification::<pull::PartialResult>(pull::partial(&token, &items))
                        .await;
                }
            }
        };
        let (outcome, ()) = tokio::join!(work, forward);
        let items = match outcome {
            Ok(items) => items,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        if let Some(progress) = progress {
            progress.finish_with_message(format!("{total} files")).await;
        }
        Ok(WorkspaceDiagnosticReportResult::Report(
            WorkspaceDiagnosticReport { items },
        ))
    }

    /// After a configuration change: pulling clients are asked to pull again.
    pub(crate) fn refresh_pulled(&self) {
        let support = lock(&self.state).client;
        if support.pull_diagnostics && support.diagnostic_refresh {
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = client.workspace_diagnostic_refresh().await;
            });
        }
    }
}

/// `reframe.newWriteup NAME URI`: a new write-up from the template called `NAME`.
pub(crate) const NEW_WRITEUP: &str = "reframe.newWriteup";
/// `reframe.templates [URI]`: the templates a new write-up may start from.
pub(crate) const LIST_TEMPLATES: &str = "reframe.templates";

/// Where a new write-up goes.
enum Target {
    /// An open document with nothing but white space in it: replaced from `0:0` to `end`.
    Empty(tower_lsp_server::ls_types::Position),
    /// A file that does not exist yet (and is not open).
    NewFile,
}

impl Backend {
    /// `reframe.templates [URI]`: `[{name, summary}]`, the templates known for the
    /// document's folder (the built-in ones, then those of the configured folders), for
    /// an editor's pick list.
    pub(crate) async fn list_templates(
        &self,
        params: ExecuteCommandParams,
    ) -> Result<Option<LSPAny>> {
        let uri = params
            .arguments
            .first()
            .and_then(Value::as_str)
            .and_then(|u| u.parse::<Uri>().ok());
        let resolved = {
            let mut state = lock(&self.state);
            let mut notices = Vec::new();
            match &uri {
                Some(uri) => state.settings.profile_for(uri, &mut notices).resolved,
                None => std::sync::Arc::new(reframe_core::config::Resolved::defaults()),
            }
        };
        let list: Vec<Value> = reframe_workspace::known_templates(&resolved)
            .into_iter()
            .map(|(name, file)| {
                let summary = match &file {
                    Some(file) => format!("from {}", file.display()),
                    None => reframe_core::template_choice::builtin_summary(&name)
                        .unwrap_or_default()
                        .to_string(),
                };
                json!({ "name": name, "summary": summary })
            })
            .collect();
        Ok(Some(Value::Array(list)))
    }

    /// `reframe.newWriteup NAME URI`: the scaffold of template `NAME` (front matter naming
    /// it, dated today: what `reframe new --template NAME` writes) sent as
    /// `workspace/applyEdit`: into the open document at `URI` when it is empty, else
    /// creating the file `URI` when the client can create files and it does not exist.
    /// Answers `{uri, template}`, or the text itself when the client cannot apply edits.
    pub(crate) async fn new_writeup(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        let usage = || {
            Error::invalid_params(format!(
                "{NEW_WRITEUP} takes a template name and a document URI"
            ))
        };
        let name = params
            .arguments
            .first()
            .and_then(Value::as_str)
            .ok_or_else(usage)?
            .to_string();
        let uri: Uri = params
            .arguments
            .get(1)
            .and_then(Value::as_str)
            .and_then(|u| u.parse().ok())
            .ok_or_else(usage)?;
        let (resolved, target, client) = {
            let mut state = lock(&self.state);
            let mut notices = Vec::new();
            let resolved = state.settings.profile_for(&uri, &mut notices).resolved;
            let encoding = state.encoding;
            let target = match state.documents.get(&uri) {
                Some(open) if open.doc.text().trim().is_empty() => {
                    Ok(Target::Empty(crate::to_proto::position(
                        open.doc.byte_to_position(open.doc.len_bytes(), encoding),
                    )))
                }
                Some(_) => Err(format!(
                    "{} is not empty: a new write-up goes into an empty document or a new file",
                    uri.as_str()
                )),
                None => match crate::settings::uri_path(&uri) {
                    Some(path) if path.exists() => Err(format!(
                        "{} already exists: not overwritten",
                        path.display()
                    )),
                    Some(_) => Ok(Target::NewFile),
                    None => Err(format!("{} is not a file", uri.as_str())),
                },
            };
            (resolved, target, state.client)
        };
        let target = target.map_err(Error::invalid_params)?;
        let text =
            reframe_workspace::new_writeup_text(&resolved, &name).map_err(Error::invalid_params)?;
        if !client.apply_edit {
            return Ok(Some(Value::String(text)));
        }
        let start = tower_lsp_server::ls_types::Position::new(0, 0);
        let edit = match target {
            Target::Empty(end) => WorkspaceEdit {
                changes: Some(HashMap::from([(
                    uri.clone(),
                    vec![TextEdit::new(Range::new(start, end), text)],
                )])),
                ..Default::default()
            },
            Target::NewFile => {
                // Resource operations exist only inside `documentChanges`: a client that
                // declares `create` reads them (Neovim declares it, not documentChanges).
                if !client.create_files {
                    return Err(Error::invalid_params(
                        "the client cannot create files: open an empty document and run the \
                         command there",
                    ));
                }
                WorkspaceEdit {
                    document_changes: Some(DocumentChanges::Operations(vec![
                        DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                            uri: uri.clone(),
                            options: Some(CreateFileOptions {
                                overwrite: Some(false),
                                ignore_if_exists: Some(false),
                            }),
                            annotation_id: None,
                        })),
                        DocumentChangeOperation::Edit(TextDocumentEdit {
                            text_document: OptionalVersionedTextDocumentIdentifier {
                                uri: uri.clone(),
                                version: None,
                            },
                            edits: vec![OneOf::Left(TextEdit::new(Range::new(start, start), text))],
                        }),
                    ])),
                    ..Default::default()
                }
            }
        };
        match self.client.apply_edit(edit).await {
            Ok(response) if response.applied => {
                Ok(Some(json!({ "uri": uri.as_str(), "template": name })))
            }
            Ok(response) => Err(Error::invalid_params(format!(
                "the client did not create the write-up: {}",
                response.failure_reason.unwrap_or_default()
            ))),
            Err(err) => Err(err),
        }
    }
}
