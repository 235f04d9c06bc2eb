//! The LSP adapter: converts messages to calls into the analysis and findings back to
//! diagnostics. No rule logic lives here.
//!
//! Ordering: tower-lsp-server polls notification handlers concurrently, so every handler
//! changes the shared state synchronously, before its first `.await`, under a plain mutex
//! that is never held across an await. Nothing is analysed under that lock: requests take
//! a [`publish::Snapshot`] of their document under it and do their work on a blocking
//! worker thread; publishing runs one job per document at a time on worker threads too, fed
//! with the URIs of changed documents. A burst of edits coalesces into one analysis of the
//! newest version, and diagnostics for a version that was superseded while being computed
//! are dropped, so the client never sees a stale version and versions published for a
//! document never go backwards.

/// Documents larger than this (in bytes) get the structural rules only; a
/// `window/showMessage` says so when a document crosses it (the core's figure).
pub use reframe_core::FULL_ANALYSIS_LIMIT;

mod actions;
mod commands;
mod features;
pub mod from_proto;
pub mod guard;
mod memory;
mod pool;
mod publish;
mod pull;
mod settings;
pub mod to_proto;
pub mod transport;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, mpsc};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CodeActionResponse, CodeLens, CodeLensOptions, CodeLensParams, CompletionOptions,
    CompletionParams, CompletionResponse, DiagnosticOptions, DiagnosticServerCapabilities,
    DidChangeConfigurationParams, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    DocumentDiagnosticParams, DocumentDiagnosticReportResult, DocumentSymbolParams,
    DocumentSymbolResponse, ExecuteCommandOptions, ExecuteCommandParams, FoldingRange,
    FoldingRangeParams, FoldingRangeProviderCapability, Hover, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, InitializedParams, InlayHint,
    InlayHintParams, LSPAny, MessageType, OneOf, ResourceOperationKind, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri, WorkspaceDiagnosticParams, WorkspaceDiagnosticReportResult,
};
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use publish::{Cancel, Snapshot};
use reframe_core::document::{Document, PositionEncoding};

/// How long a document's configuration is trusted between edits: a `didChange` checks the
/// configuration files on disk only when this long has passed since the last check, and
/// otherwise leaves the check to a timer that runs this long after it.
const CONFIG_RECHECK: Duration = Duration::from_millis(250);

/// How many requests and notifications tower-lsp-server works on at once. Its default, 4,
/// would let four slow requests hold up every later message, edits included.
const CONCURRENCY: usize = 64;

/// An open document, the version the client gave it, and its configuration.
struct OpenDocument {
    /// Shared with the snapshots taken of it; an edit while one is in use copies it first.
    doc: Arc<Document>,
    version: i32,
    profile: settings::Profile,
    /// The analysis kept up to date across edits, and the diagnostics' JSON.
    analysis: Arc<Mutex<publish::DocumentAnalysis>>,
    /// When the configuration files were last checked for this document.
    config_checked: Instant,
    /// Whether the document was over [`FULL_ANALYSIS_LIMIT`] when last seen.
    limited: bool,
}

/// What the client said it can do (from `initialize`).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ClientSupport {
    /// `codeAction/resolve` can fill in `edit` later.
    resolve_code_action_edits: bool,
    /// `WorkspaceEdit.documentChanges` (versioned edits) is understood.
    document_changes: bool,
    /// Completion items may be snippets.
    snippets: bool,
    /// `workspace/inlayHint/refresh` is understood.
    inlay_hint_refresh: bool,
    /// `textDocument/codeLens` is understood (else follow-up questions come as inlay hints).
    code_lens: bool,
    /// `textDocument/diagnostic` (pull) is understood: diagnostics are pulled, not pushed.
    pull_diagnostics: bool,
    /// `workspace/diagnostic/refresh` is understood.
    diagnostic_refresh: bool,
    /// `workspace/applyEdit` is understood (code lens commands edit through it).
    apply_edit: bool,
    /// A `WorkspaceEdit` may create files (`resourceOperations` has `create`).
    create_files: bool,
    /// `window/workDoneProgress` is understood (server-initiated progress).
    work_done_progress: bool,
    /// The client opens the questions list itself (`initializationOptions.showsQuestionList`,
    /// the VS Code extension): no message for it.
    shows_question_list: bool,
}

/// What the server knows: shared between handlers and the analysis worker.
struct State {
    encoding: PositionEncoding,
    client: ClientSupport,
    documents: HashMap<Uri, OpenDocument>,
    /// Configuration: client settings and the configuration files, per document.
    settings: settings::Settings,
    /// Documents edited since their configuration was last checked, for the timer.
    config_unchecked: HashSet<Uri>,
    /// The workspace folders (`initialize`), for workspace diagnostics.
    folders: Vec<PathBuf>,
    /// Whether a workspace scan ran already (the first one reports `$/progress`).
    scanned: bool,
}

impl State {
    /// A snapshot of the open document at `uri`.
    fn snapshot(&self, uri: &Uri) -> Option<Snapshot> {
        let open = self.documents.get(uri)?;
        Some(Snapshot {
            doc: Arc::clone(&open.doc),
            version: open.version,
            profile: open.profile.clone(),
            analysis: Arc::clone(&open.analysis),
            encoding: self.encoding,
            client: self.client,
            cancel: Cancel::default(),
        })
    }
}

pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    queue: mpsc::UnboundedSender<Uri>,
    /// Wakes the configuration timer.
    recheck: Arc<Notify>,
    /// The threads requests run on.
    workers: pool::Pool,
    /// What workspace scans found in files on disk.
    scan_cache: Arc<Mutex<pull::ScanCache>>,
}

/// How many threads answer requests (publishing has threads of its own).
const REQUEST_THREADS: usize = 4;

/// Locks the state; a handler that panicked while holding the lock leaves it usable.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Backend {
    fn new(client: Client, output: publish::Output) -> Backend {
        let state = Arc::new(Mutex::new(State {
            encoding: PositionEncoding::Utf16,
            client: ClientSupport::default(),
            documents: HashMap::new(),
            settings: settings::Settings::default(),
            config_unchecked: HashSet::new(),
            folders: Vec::new(),
            scanned: false,
        }));
        let (queue, receiver) = mpsc::unbounded_channel();
        tokio::spawn(publish::worker(
            client.clone(),
            output,
            Arc::clone(&state),
            receiver,
        ));
        let recheck = Arc::new(Notify::new());
        tokio::spawn(configuration_timer(
            client.clone(),
            Arc::clone(&state),
            queue.downgrade(),
            Arc::clone(&recheck),
        ));
        Backend {
            client,
            state,
            queue,
            recheck,
            workers: pool::Pool::new("reframe-request", REQUEST_THREADS),
            scan_cache: Arc::default(),
        }
    }

    fn schedule(&self, uri: Uri) {
        // The worker lives as long as the service; if it is gone we are shutting down.
        let _ = self.queue.send(uri);
    }

    /// `reframe.allowPhrase`: adds a phrase to the nearest `.reframe.toml`.
    async fn allow_phrase(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        let argument = |i: usize| params.arguments.get(i).and_then(LSPAny::as_str);
        let (Some(document), Some(phrase)) = (argument(0), argument(1)) else {
            return Err(Error::invalid_params(
                "reframe.allowPhrase takes a document path and a phrase",
            ));
        };
        let document = PathBuf::from(document);
        // Only for a document that is open here: the command writes files.
        let open = lock(&self.state)
            .documents
            .values()
            .any(|d| d.profile.path.as_deref() == Some(document.as_path()));
        let folder = document.parent().map(Path::to_path_buf);
        let (true, Some(folder)) = (open, folder) else {
            return Err(Error::invalid_params(format!(
                "{} is not an open document",
                document.display()
            )));
        };
        let phrase = phrase.to_string();
        let file = reframe_workspace::allow::target_file(&folder);
        let written = file.clone();
        let outcome = self
            .workers
            .run(move || reframe_workspace::allow::allow_phrase(&written, &phrase))
            .await;
        let changed = match outcome {
            Ok(Ok(changed)) => changed,
            Ok(Err(problem)) => {
                let text = format!("reframe: cannot allow the phrase: {problem}");
                self.client.show_message(MessageType::ERROR, &text).await;
                return Err(Error::invalid_params(text));
            }
            Err(panic) => std::panic::resume_unwind(panic),
        };
        if changed {
            // Every open document under that file's folder is analysed again with it.
            let (uris, notices) = {
                let mut state = lock(&self.state);
                state.settings.forget(&file);
                settings::refresh_open_documents(&mut state)
            };
            uris.into_iter().for_each(|uri| self.schedule(uri));
            self.refresh_pulled();
            settings::send(&self.client, notices).await;
            self.client
                .log_message(
                    MessageType::INFO,
                    format!("reframe: {} updated", file.display()),
                )
                .await;
        }
        Ok(None)
    }

    /// Runs `work` on a snapshot of the document at `uri`, on a worker thread;
    /// `None` when the document is not open. Dropping the returned future (tower-lsp-server
    /// does on `$/cancelRequest`) raises the snapshot's cancel flag.
    async fn run<T, F>(&self, uri: &Uri, work: F) -> Option<T>
    where
        T: Send + 'static,
        F: FnOnce(&Snapshot) -> Option<T> + Send + 'static,
    {
        let snapshot = lock(&self.state).snapshot(uri)?;
        let _cancel = snapshot.cancel.on_drop();
        match self.workers.run(move || work(&snapshot)).await {
            Ok(answer) => answer,
            // Panics go on to `guard::Guard`, which answers with an internal error.
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// How often the configuration files of open documents are checked when the client
/// watches no files (a `stat` per file).
const CONFIG_POLL: Duration = Duration::from_secs(2);

/// For clients without a file watcher: re-checks the open documents' configuration files
/// every [`CONFIG_POLL`] and re-analyses the documents whose configuration changed.
async fn configuration_poll(
    client: Client,
    state: Arc<Mutex<State>>,
    queue: mpsc::WeakUnboundedSender<Uri>,
) {
    loop {
        tokio::time::sleep(CONFIG_POLL).await;
        let (changed, notices, refresh) = {
            let mut state = lock(&state);
            if state.documents.is_empty() {
                (Vec::new(), Vec::new(), false)
            } else {
                let (changed, notices) = settings::recheck_open_documents(&mut state);
                let refresh = state.client.pull_diagnostics && state.client.diagnostic_refresh;
                (changed, notices, refresh)
            }
        };
        let Some(sender) = queue.upgrade() else {
            return;
        };
        let any = !changed.is_empty();
        for uri in changed {
            if sender.send(uri).is_err() {
                return;
            }
        }
        drop(sender);
        if any && refresh {
            let client = client.clone();
            tokio::spawn(async move {
                let _ = client.workspace_diagnostic_refresh().await;
            });
        }
        settings::send(&client, notices).await;
    }
}

/// Checks the configuration of the documents edited since their last check, once
/// [`CONFIG_RECHECK`] has passed, and re-analyses those whose configuration changed.
async fn configuration_timer(
    client: Client,
    state: Arc<Mutex<State>>,
    queue: mpsc::WeakUnboundedSender<Uri>,
    wake: Arc<Notify>,
) {
    loop {
        wake.notified().await;
        tokio::time::sleep(CONFIG_RECHECK).await;
        let mut notices = Vec::new();
        let changed = {
            let mut state = lock(&state);
            let unchecked: Vec<Uri> = state.config_unchecked.drain().collect();
            let mut changed = Vec::new();
            for uri in unchecked {
                let profile = state.settings.profile_for(&uri, &mut notices);
                if let Some(open) = state.documents.get_mut(&uri) {
                    open.config_checked = Instant::now();
                    let profile = profile.chosen_for(&open.doc.text(), &mut notices);
                    if settings::update_profile(&mut open.profile, profile) {
                        changed.push(uri);
                    }
                }
            }
            changed
        };
        // Weak: the queue closes when the service goes, which ends the publish worker.
        let Some(sender) = queue.upgrade() else {
            return;
        };
        for uri in changed {
            if sender.send(uri).is_err() {
                return;
            }
        }
        settings::send(&client, notices).await;
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        warm_up();
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref());
        let encoding = from_proto::negotiate_encoding(offered);
        let caps = &params.capabilities;
        let client = ClientSupport {
            resolve_code_action_edits: caps
                .text_document
                .as_ref()
                .and_then(|t| t.code_action.as_ref())
                .and_then(|c| c.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "edit")),
            document_changes: caps
                .workspace
                .as_ref()
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|w| w.document_changes)
                .unwrap_or(false),
            snippets: caps
                .text_document
                .as_ref()
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|c| c.snippet_support)
                .unwrap_or(false),
            inlay_hint_refresh: caps
                .workspace
                .as_ref()
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|i| i.refresh_support)
                .unwrap_or(false),
            code_lens: caps
                .text_document
                .as_ref()
                .is_some_and(|t| t.code_lens.is_some()),
            pull_diagnostics: caps
                .text_document
                .as_ref()
                .is_some_and(|t| t.diagnostic.is_some()),
            diagnostic_refresh: caps
                .workspace
                .as_ref()
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            apply_edit: caps
                .workspace
                .as_ref()
                .and_then(|w| w.apply_edit)
                .unwrap_or(false),
            create_files: caps
                .workspace
                .as_ref()
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|w| w.resource_operations.as_ref())
                .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create)),
            work_done_progress: caps
                .window
                .as_ref()
                .and_then(|w| w.work_done_progress)
                .unwrap_or(false),
            shows_question_list: params
                .initialization_options
                .as_ref()
                .and_then(|o| o.get("showsQuestionList"))
                .and_then(LSPAny::as_bool)
                .unwrap_or(false),
        };
        #[allow(deprecated)] // `root_uri` is still what many clients send
        let folders: Vec<PathBuf> = match &params.workspace_folders {
            Some(folders) => folders
                .iter()
                .filter_map(|f| settings::uri_path(&f.uri))
                .collect(),
            None => params
                .root_uri
                .iter()
                .filter_map(settings::uri_path)
                .collect(),
        };
        let notices = {
            let mut state = lock(&self.state);
            state.encoding = encoding;
            state.client = client;
            state.folders = folders;
            state.settings.initialize(&params)
        };
        settings::send(&self.client, notices).await;
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(to_proto::encoding_kind(encoding)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        // A save is when configuration files are checked again.
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(actions::offered_kinds()),
                        resolve_provider: Some(client.resolve_code_action_edits),
                        work_done_progress_options: Default::default(),
                    },
                )),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(
                        ["#", "-", "*", " "].iter().map(|c| c.to_string()).collect(),
                    ),
                    ..Default::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                inlay_hint_provider: Some(OneOf::Left(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![
                        actions::ALLOW_PHRASE.to_string(),
                        features::ADD_QUESTION_NOTE.to_string(),
                        features::SHOW_QUESTIONS.to_string(),
                        commands::NEW_WRITEUP.to_string(),
                        commands::LIST_TEMPLATES.to_string(),
                    ],
                    work_done_progress_options: Default::default(),
                }),
                // Pull diagnostics for the clients that pull; the others get them pushed.
                diagnostic_provider: client.pull_diagnostics.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some(pull::IDENTIFIER.to_string()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: true,
                        work_done_progress_options: Default::default(),
                    })
                }),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "reframe".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let watching = lock(&self.state).settings.watch_files;
        if !watching {
            // No watcher: the configuration files of open documents are looked at every
            // CONFIG_POLL, so an edit on disk applies without an edit in the editor.
            tokio::spawn(configuration_poll(
                self.client.clone(),
                Arc::clone(&self.state),
                self.queue.downgrade(),
            ));
        }
        if watching {
            // Not awaited here: a client slow to answer must not hold up other messages.
            let client = self.client.clone();
            tokio::spawn(async move {
                let registration = vec![settings::watch_registration()];
                if let Err(err) = client.register_capability(registration).await {
                    client
                        .log_message(MessageType::WARNING, format!("cannot watch files: {err}"))
                        .await;
                }
            });
        }
        self.client
            .log_message(MessageType::INFO, "reframe ready")
            .await;
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let (uris, notices) = {
            let mut state = lock(&self.state);
            let mut notices = state.settings.change_configuration(&params.settings);
            let (uris, more) = settings::refresh_open_documents(&mut state);
            notices.extend(more);
            (uris, notices)
        };
        uris.into_iter().for_each(|uri| self.schedule(uri));
        self.refresh_pulled();
        settings::send(&self.client, notices).await;
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let (uris, notices) = {
            let mut state = lock(&self.state);
            if state.settings.files_changed(&params.changes) {
                settings::refresh_open_documents(&mut state)
            } else {
                (Vec::new(), Vec::new())
            }
        };
        uris.into_iter().for_each(|uri| self.schedule(uri));
        self.refresh_pulled();
        settings::send(&self.client, notices).await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        match params.command.as_str() {
            actions::ALLOW_PHRASE => self.allow_phrase(params).await,
            features::ADD_QUESTION_NOTE => self.add_question_note(params).await,
            features::SHOW_QUESTIONS => self.show_questions(params).await,
            commands::NEW_WRITEUP => self.new_writeup(params).await,
            commands::LIST_TEMPLATES => self.list_templates(params).await,
            _ => {
                let mut error =
                    Error::invalid_params(format!("unknown command {}", params.command));
                error.data = Some(LSPAny::String(params.command));
                Err(error)
            }
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri.clone();
        let previous = params.previous_result_id.clone();
        let answer = self
            .run(&uri.clone(), move |snapshot| {
                if snapshot.cancelled() {
                    return None;
                }
                Some(pull::document_report(snapshot, &uri, previous.as_deref()))
            })
            .await;
        Ok(answer.unwrap_or_else(pull::empty_report))
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        self.scan_workspace(params).await
    }
    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri.clone();
        Ok(self
            .run(&uri, move |snapshot| {
                actions::code_actions(snapshot, &params)
            })
            .await)
    }

    async fn code_action_resolve(&self, action: CodeAction) -> Result<CodeAction> {
        // No data: nothing to resolve (the action came whole). Data that is not what the
        // server sent: an invalid-params error saying so, never a guess.
        let data = match actions::ResolveData::of(&action) {
            Ok(Some(data)) => data,
            Ok(None) => return Ok(action),
            Err(problem) => {
                return Err(Error::invalid_params(problem));
            }
        };
        let uri = data.uri.clone();
        let fallback = action.clone();
        let resolved = self
            .run(&uri, move |snapshot| {
                Some(actions::resolve(snapshot, &data, action))
            })
            .await;
        Ok(resolved.unwrap_or(fallback))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let uri = params.text_document_position.text_document.uri.clone();
        Ok(self
            .run(&uri, move |snapshot| {
                features::completion(snapshot, &params)
            })
            .await)
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let uri = params
            .text_document_position_params
            .text_document
            .uri
            .clone();
        Ok(self
            .run(&uri, move |snapshot| features::hover(snapshot, &params))
            .await)
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        Ok(self.run(&uri, features::document_symbols).await)
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let uri = params.text_document.uri;
        Ok(self.run(&uri, features::folding_ranges).await)
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let uri = params.text_document.uri.clone();
        Ok(self
            .run(&uri, move |snapshot| {
                features::inlay_hints(snapshot, &params)
            })
            .await)
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let uri = params.text_document.uri;
        let lens_uri = uri.clone();
        Ok(self
            .run(&uri, move |snapshot| {
                features::code_lenses(snapshot, &lens_uri)
            })
            .await)
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let item = params.text_document;
        let mut notices = Vec::new();
        // Built before the lock is taken: a large text costs a copy into the rope.
        let doc = Arc::new(Document::new(&item.text));
        let limited = doc.len_bytes() > FULL_ANALYSIS_LIMIT;
        {
            let mut state = lock(&self.state);
            // Opening (or focusing, for clients that reopen) checks the configuration.
            let profile = state
                .settings
                .profile_for(&item.uri, &mut notices)
                .chosen_for(&item.text, &mut notices);
            state.documents.insert(
                item.uri.clone(),
                OpenDocument {
                    doc,
                    version: item.version,
                    profile,
                    analysis: Arc::new(publish::new_state()),
                    config_checked: Instant::now(),
                    limited,
                },
            );
        }
        if limited {
            notices.push(settings::limited_notice(&item.uri));
        }
        self.schedule(item.uri);
        settings::send(&self.client, notices).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let mut problems = Vec::new();
        let mut notices = Vec::new();
        let mut wake_timer = false;
        let mut backwards = None;
        let known = {
            let mut guard = lock(&self.state);
            let state = &mut *guard;
            let encoding = state.encoding;
            match state.documents.get_mut(&uri) {
                Some(open) => {
                    if version <= open.version {
                        backwards = Some(open.version);
                    }
                    let doc = Arc::make_mut(&mut open.doc);
                    let mut structure = false;
                    for change in &params.content_changes {
                        let range = change.range.map(from_proto::range);
                        structure = structure
                            || settings::may_change_template(doc, range, &change.text, encoding);
                        problems.extend(doc.apply_change(range, &change.text, encoding));
                        structure = structure || settings::touched_heading(doc);
                    }
                    open.version = version;
                    let limited = doc.len_bytes() > FULL_ANALYSIS_LIMIT;
                    if limited && !open.limited {
                        notices.push(settings::limited_notice(&uri));
                    }
                    open.limited = limited;
                    // A configuration edited on disk takes effect without a file watcher:
                    // checked now when the last check is old enough, else by the timer.
                    if open.config_checked.elapsed() >= CONFIG_RECHECK {
                        open.config_checked = Instant::now();
                        let profile = state.settings.profile_for(&uri, &mut notices);
                        let profile = profile.chosen_for(&open.doc.text(), &mut notices);
                        settings::update_profile(&mut open.profile, profile);
                    } else {
                        if structure {
                            // A heading or the front matter changed: the template may.
                            let profile = open.profile.chosen_for(&open.doc.text(), &mut notices);
                            settings::update_profile(&mut open.profile, profile);
                        }
                        wake_timer = state.config_unchecked.insert(uri.clone());
                    }
                    true
                }
                None => false,
            }
        };
        if !known {
            self.client
                .log_message(
                    MessageType::WARNING,
                    format!("didChange for {} which is not open: ignored", uri.as_str()),
                )
                .await;
            return;
        }
        if let Some(before) = backwards {
            // The client's text is the truth: the change is applied and its version taken,
            // so the next publish carries the client's own version again (a full-text
            // change resynchronises exactly).
            self.client
                .log_message(
                    MessageType::WARNING,
                    format!(
                        "{}: didChange version {version} is not after {before}: applied, \
                         and version {version} taken as current",
                        uri.as_str()
                    ),
                )
                .await;
        }
        if wake_timer {
            self.recheck.notify_one();
        }
        self.schedule(uri.clone());
        settings::send(&self.client, notices).await;
        for problem in problems {
            self.client
                .log_message(
                    MessageType::WARNING,
                    format!("{}: bad change from the client: {problem}", uri.as_str()),
                )
                .await;
        }
    }

    async fn did_save(&self, _: DidSaveTextDocumentParams) {
        // A save may be of a configuration or a template open in the editor: every open
        // document's configuration is checked again.
        let (uris, notices) = settings::refresh_open_documents(&mut lock(&self.state));
        uris.into_iter().for_each(|uri| self.schedule(uri));
        self.refresh_pulled();
        settings::send(&self.client, notices).await;
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let was_open = {
            let mut state = lock(&self.state);
            state.config_unchecked.remove(&uri);
            state.documents.remove(&uri).is_some()
        };
        if was_open {
            self.schedule(uri);
        }
    }
}

/// Starts, on a thread of its own, the one-time work the first analysis would otherwise do
/// while the user waits: compiling the built-in phrase tables and the patterns and tables
/// the rules build on first use. It analyses the bundled example write-up. Started by
/// `initialize` (starting it at launch slowed the answer to `initialize` on two cores), so
/// it runs while the client finishes the handshake and sends its first document.
pub fn warm_up() {
    let spawned = std::thread::Builder::new()
        .name("reframe-warm-up".into())
        .spawn(|| {
            let resolved = reframe_core::config::Resolved::defaults();
            let doc = Document::new(WARM_UP_TEXT);
            drop(reframe_core::analysis::analyze(
                &doc,
                &resolved.context_for(None),
            ));
            drop(doc);
            // What the analysis allocated on this thread goes back to the system.
            memory::release();
        });
    // Without the thread, the first document does this work itself.
    drop(spawned);
}

/// What [`warm_up`] analyses: a write-up with most kinds of findings.
const WARM_UP_TEXT: &str = include_str!("../../../examples/ci-migration.md");

/// Runs the server on stdin/stdout until the client disconnects or sends `exit`. Returns
/// whether the client shut the server down first (`shutdown` before `exit` or before closing
/// stdin), which makes the exit code 0 rather than 1.
///
/// The input goes through [`transport::Input`] and the service through [`guard::Guard`], so
/// that no message and no panic in a handler stops the server. The output goes through
/// [`publish::Output`], which the publish worker writes diagnostics to directly.
pub async fn run_stdio() -> bool {
    memory::cap_arenas();
    let stdin = transport::Input::new(tokio::io::stdin());
    let (output, writer) = publish::Output::start(std::io::stdout());
    let stdout = output.clone();
    let (service, socket) = LspService::new(move |client| Backend::new(client, output));
    let client = service.inner().client.clone();
    let service = guard::Guard::new(service, client);
    let shut_down = service.shutdown_flag();
    Server::new(stdin, stdout, socket)
        .concurrency_level(CONCURRENCY)
        .serve(service)
        .await;
    // Everything sent before the end is written before the process exits: the writer
    // ends when the worker, the last holder of the output, is gone with the service.
    let wait = tokio::task::spawn_blocking(move || writer.join());
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), wait).await;
    shut_down.is_set()
}
