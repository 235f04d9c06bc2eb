//! The LSP adapter: converts messages to calls into the analysis and findings back to
//! diagnostics. No rule logic lives here.
//!
//! Ordering: tower-lsp-server polls notification handlers concurrently, so every handler
//! changes the shared state synchronously, before its first `.await`, under a plain mutex
//! that is never held across an await. Analysis and publishing happen on one worker task,
//! fed with the URIs of changed documents: a burst of edits coalesces into one analysis of
//! the newest version, and diagnostics for a version that was superseded while being
//! computed are dropped, so the client never sees a stale version and versions published for
//! a document never go backwards.

mod actions;
mod features;
pub mod from_proto;
pub mod guard;
mod memory;
mod publish;
mod settings;
pub mod to_proto;
pub mod transport;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionOptions, CodeActionParams, CodeActionProviderCapability,
    CodeActionResponse, CodeLens, CodeLensOptions, CodeLensParams, CompletionOptions,
    CompletionParams, CompletionResponse, DidChangeConfigurationParams,
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DocumentSymbolParams, DocumentSymbolResponse, FoldingRange,
    FoldingRangeParams, FoldingRangeProviderCapability, Hover, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, InitializedParams, InlayHint,
    InlayHintParams, MessageType, OneOf, ServerCapabilities, ServerInfo,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, Uri,
};
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use reframe_core::document::{Document, PositionEncoding};

/// An open document, the version the client gave it, and its configuration.
struct OpenDocument {
    doc: Document,
    version: i32,
    profile: settings::Profile,
    /// The analysis kept up to date across edits, and the diagnostics' JSON.
    analysis: Mutex<publish::DocumentAnalysis>,
}

impl OpenDocument {
    /// The analysis of the document with its own configuration, kept up to date across
    /// edits (the caller's copy of the text is not needed).
    fn analyze(&self, _text: &str) -> Arc<reframe_core::analysis::Analysis> {
        self.analysis()
    }
}

/// What the client said it can do (from `initialize`).
#[derive(Clone, Copy, Debug, Default)]
struct ClientSupport {
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
}

/// What the server knows: shared between handlers and the analysis worker.
struct State {
    encoding: PositionEncoding,
    client: ClientSupport,
    documents: HashMap<Uri, OpenDocument>,
    /// Configuration: client settings and the configuration files, per document.
    settings: settings::Settings,
}

pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    queue: mpsc::UnboundedSender<Uri>,
}

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
        }));
        let (queue, receiver) = mpsc::unbounded_channel();
        tokio::spawn(publish_worker(
            client.clone(),
            output,
            Arc::clone(&state),
            receiver,
        ));
        Backend {
            client,
            state,
            queue,
        }
    }

    fn schedule(&self, uri: Uri) {
        // The worker lives as long as the service; if it is gone we are shutting down.
        let _ = self.queue.send(uri);
    }
}

/// Analyses queued documents one at a time and publishes their diagnostics.
async fn publish_worker(
    client: Client,
    output: publish::Output,
    state: Arc<Mutex<State>>,
    mut receiver: mpsc::UnboundedReceiver<Uri>,
) {
    // Documents with diagnostics on the client, to clear when they close.
    let mut published: HashSet<Uri> = HashSet::new();
    // Section progress last shown per document, to refresh inlay hints when it changes.
    let mut progress: HashMap<Uri, Vec<String>> = HashMap::new();
    // What each document's last publish was made from: a URI queued again for a change
    // that publish already covered is not analysed or published again.
    let mut sent: HashMap<Uri, publish::Made> = HashMap::new();
    while let Some(first) = receiver.recv().await {
        let mut pending = vec![first];
        while let Ok(more) = receiver.try_recv() {
            pending.push(more);
        }
        let mut seen = HashSet::new();
        pending.retain(|uri| seen.insert(uri.clone()));
        let mut closed = false;
        for uri in pending {
            // A panic in the analysis costs this version its diagnostics, not the worker.
            let computed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                diagnostics_for(&state, &uri, sent.get(&uri))
            }));
            let Ok(computed) = computed else {
                let text = format!("internal error analysing {}: no diagnostics", uri.as_str());
                eprintln!("reframe: {text}");
                client.log_message(MessageType::ERROR, text).await;
                continue;
            };
            let (version, message, published_progress, made) = match computed {
                Publish::Closed => {
                    // Closed: clear what the client shows for it.
                    closed = true;
                    progress.remove(&uri);
                    sent.remove(&uri);
                    if published.remove(&uri) {
                        output.send_message(publish::clear_message(&uri));
                    }
                    continue;
                }
                Publish::Unchanged => continue,
                Publish::Message {
                    version,
                    message,
                    progress,
                    made,
                } => (version, message, progress, made),
            };
            // Drop the result if a newer version arrived meanwhile: it is queued already.
            let current = lock(&state).documents.get(&uri).map(|d| d.version);
            if current != Some(version) {
                continue;
            }
            published.insert(uri.clone());
            sent.insert(uri.clone(), made);
            let refresh = published_progress
                .as_ref()
                .is_some_and(|p| progress.get(&uri) != Some(p));
            if let Some(published_progress) = published_progress {
                progress.insert(uri.clone(), published_progress);
            }
            // Sent as built: serialised once, straight to the output.
            output.send_message(message);
            if refresh {
                // The client re-asks for hints. Its answer is not waited for here: a client
                // that never answers must not stall diagnostics.
                let client = client.clone();
                tokio::spawn(async move {
                    let _ = client.inlay_hint_refresh().await;
                });
            }
        }
        if closed {
            // The closed documents' trees were freed: give the memory back.
            memory::release();
        }
    }
}

/// What to publish for a queued document.
enum Publish {
    /// The document is closed.
    Closed,
    /// The last publish was made from this very text, version and configuration.
    Unchanged,
    /// The diagnostics of the current version, with the section progress summaries when
    /// the client can be asked to refresh inlay hints.
    Message {
        version: i32,
        message: publish::Message,
        progress: Option<Vec<String>>,
        made: publish::Made,
    },
}

/// The diagnostics message of a document's current version, unless `last` says it was
/// published already.
fn diagnostics_for(state: &Mutex<State>, uri: &Uri, last: Option<&publish::Made>) -> Publish {
    let state = lock(state);
    let Some(open) = state.documents.get(uri) else {
        return Publish::Closed;
    };
    let made = open.made();
    if last == Some(&made) {
        return Publish::Unchanged;
    }
    let (message, _) = open.publish_message(uri, state.encoding);
    let progress = state.client.inlay_hint_refresh.then(|| {
        open.progress()
            .iter()
            .map(|p| format!("{}:{}", p.heading, p.summary()))
            .collect()
    });
    Publish::Message {
        version: open.version,
        message,
        progress,
        made,
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
        };
        let notices = {
            let mut state = lock(&self.state);
            state.encoding = encoding;
            state.client = client;
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
        if lock(&self.state).settings.watch_files {
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
        settings::send(&self.client, notices).await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let state = lock(&self.state);
        Ok(actions::code_actions(&state, &params))
    }

    async fn code_action_resolve(&self, action: CodeAction) -> Result<CodeAction> {
        let state = lock(&self.state);
        Ok(actions::resolve(&state, action))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        Ok(features::completion(&lock(&self.state), &params))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        Ok(features::hover(&lock(&self.state), &params))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        Ok(features::document_symbols(&lock(&self.state), &params))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        Ok(features::folding_ranges(&lock(&self.state), &params))
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        Ok(features::inlay_hints(&lock(&self.state), &params))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        Ok(features::code_lenses(&lock(&self.state), &params))
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let item = params.text_document;
        let mut notices = Vec::new();
        {
            let mut state = lock(&self.state);
            let profile = state.settings.profile_for(&item.uri, &mut notices);
            state.documents.insert(
                item.uri.clone(),
                OpenDocument {
                    doc: Document::new(&item.text),
                    version: item.version,
                    profile,
                    analysis: publish::new_state(),
                },
            );
        }
        self.schedule(item.uri);
        settings::send(&self.client, notices).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let mut problems = Vec::new();
        let mut notices = Vec::new();
        let known = {
            let mut state = lock(&self.state);
            let encoding = state.encoding;
            // A configuration edited on disk takes effect here without a file watcher.
            let profile = state.settings.profile_for(&uri, &mut notices);
            match state.documents.get_mut(&uri) {
                Some(open) => {
                    for change in &params.content_changes {
                        let range = change.range.map(from_proto::range);
                        problems.extend(open.doc.apply_change(range, &change.text, encoding));
                    }
                    open.version = params.text_document.version;
                    open.profile = profile;
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

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let was_open = lock(&self.state).documents.remove(&uri).is_some();
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
    let stdin = transport::Input::new(tokio::io::stdin());
    let (output, writer) = publish::Output::start(std::io::stdout());
    let stdout = output.clone();
    let (service, socket) = LspService::new(move |client| Backend::new(client, output));
    let client = service.inner().client.clone();
    let service = guard::Guard::new(service, client);
    let shut_down = service.shutdown_flag();
    Server::new(stdin, stdout, socket).serve(service).await;
    // Everything sent before the end is written before the process exits: the writer
    // ends when the worker, the last holder of the output, is gone with the service.
    let wait = tokio::task::spawn_blocking(move || writer.join());
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), wait).await;
    shut_down.is_set()
}
