//! Diagnostics on the wire without waste.
//!
//! Each open document keeps an [`AnalysisCache`], brought up to date once per revision,
//! and the JSON of its diagnostics per finding group (one group per chunk of the
//! document, see `analysis::incremental`). A group's JSON holds lines relative to the
//! chunk's first line (columns do not change when a chunk moves, since chunks start at
//! line starts), so a publish after a keystroke serialises only the groups whose findings
//! changed and copies the rest, adding each chunk's first line.
//!
//! The message is framed here and written to stdout directly, through [`Output`], which
//! the LSP transport writes through too: tower-lsp-server would turn the parameters into
//! a `serde_json::Value` and serialise that again, which for thousands of diagnostics
//! costs more than the analysis. Messages are written whole and in the order they are
//! sent, so a publish never interleaves with another message.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write as _};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context as TaskContext, Poll};

use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::io::AsyncWrite;
use tokio::sync::mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{MessageType, Uri};

use crate::settings::Profile;
use crate::{ClientSupport, State, memory, to_proto};
use reframe_core::analysis::{Analysis, AnalysisCache, Finding, FindingGroup};
use reframe_core::config::Resolved;
use reframe_core::document::{Document, PositionEncoding};

/// Stdout, shared by the LSP transport and the publisher: whole messages go into a
/// channel and one thread writes them out in order, straight to the file descriptor.
#[derive(Clone)]
pub struct Output {
    sender: std::sync::mpsc::Sender<Outgoing>,
}

/// A message for the writer thread.
enum Outgoing {
    /// Bytes framed already (from the transport).
    Bytes(Vec<u8>),
    /// A diagnostics notification, framed and written out piece by piece.
    Publish(Message),
}

impl Output {
    /// Starts the writer thread over `sink`. It ends once every `Output` is dropped and
    /// everything sent is written (or writing fails).
    pub fn start<W>(sink: W) -> (Output, std::thread::JoinHandle<()>)
    where
        W: io::Write + Send + 'static,
    {
        let (sender, receiver) = std::sync::mpsc::channel::<Outgoing>();
        let writer = std::thread::spawn(move || {
            let mut sink = io::BufWriter::with_capacity(64 * 1024, sink);
            let write = |message: Outgoing, sink: &mut io::BufWriter<W>| match message {
                Outgoing::Bytes(bytes) => sink.write_all(&bytes),
                Outgoing::Publish(message) => message.write_to(sink),
            };
            while let Ok(first) = receiver.recv() {
                if write(first, &mut sink).is_err() {
                    return;
                }
                // Write what queued up meanwhile before flushing.
                while let Ok(more) = receiver.try_recv() {
                    if write(more, &mut sink).is_err() {
                        return;
                    }
                }
                if sink.flush().is_err() {
                    return;
                }
            }
        });
        (Output { sender }, writer)
    }

    /// Sends a diagnostics notification. It is not copied into one buffer: the writer
    /// frames it and writes its pieces (the diagnostics' JSON, shared with the cache).
    pub fn send_message(&self, message: Message) {
        // A closed channel means the server is shutting down: nothing to write to.
        let _ = self.sender.send(Outgoing::Publish(message));
    }
}

impl AsyncWrite for Output {
    /// Takes everything written: the transport's framed writer hands over whole
    /// messages, and accepting all of each write keeps them whole.
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut TaskContext<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.sender.send(Outgoing::Bytes(buf.to_vec())) {
            Ok(()) => Poll::Ready(Ok(buf.len())),
            Err(_) => Poll::Ready(Err(io::ErrorKind::BrokenPipe.into())),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut TaskContext<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// The most diagnostics published for one document: the first ones by position, then
/// one information diagnostic saying how many more there are. A 1-character edit in a
/// huge document so republishes at most this many.
pub const MAX_DIAGNOSTICS: usize = 1000;

/// The diagnostic that says how many were left out, at the start of the document.
fn capped_note(left_out: usize) -> Arc<[DiagnosticJson]> {
    let rest = json!({
        "severity": 3,
        "code": "too-many-findings",
        "source": "reframe",
        "message": format!(
            "{left_out} more findings are not shown: reframe publishes the first \
             {MAX_DIAGNOSTICS} by position (`reframe check` lists them all)"
        ),
    })
    .to_string();
    let rest = match rest.strip_prefix('{') {
        Some(rest) => format!(",{rest}"),
        None => "}".to_string(),
    };
    vec![DiagnosticJson {
        start: (0, 0),
        end: (0, 0),
        rest,
    }]
    .into()
}

/// One diagnostic as JSON, its range apart.
#[derive(Clone)]
struct DiagnosticJson {
    /// Start and end as (line relative to the chunk's first line, character).
    start: (u32, u32),
    end: (u32, u32),
    /// The rest of the object after the range: `,"code":…}`.
    rest: String,
}

/// The analysis state of one open document.
#[derive(Default)]
pub struct DocumentAnalysis {
    /// The configuration the cache works with, kept so that it outlives the cache.
    resolved: Option<Arc<Resolved>>,
    cache: AnalysisCache,
    /// The document revision analysed last.
    revision: Option<u64>,
    /// The whole analysis of that revision, made when a request needs it.
    assembled: Option<Arc<Analysis>>,
    /// The JSON of each finding group, by group key.
    serialized: HashMap<u64, Arc<[DiagnosticJson]>>,
    encoding: Option<PositionEncoding>,
}

/// What a publish is made from: the document's version and revision, and its
/// configuration (by identity; kept alive here, so that its address is not reused).
#[derive(Clone)]
pub struct Made {
    version: i32,
    revision: u64,
    configuration: Arc<Resolved>,
}

impl PartialEq for Made {
    fn eq(&self, other: &Made) -> bool {
        self.version == other.version
            && self.revision == other.revision
            && Arc::ptr_eq(&self.configuration, &other.configuration)
    }
}

impl Snapshot {
    /// What a publish of the document as it is now would be made from.
    pub(super) fn made(&self) -> Made {
        Made {
            version: self.version,
            revision: self.doc.revision(),
            configuration: Arc::clone(&self.profile.resolved),
        }
    }

    /// The document's analysis state, brought up to date with its text and
    /// configuration.
    fn analysed(&self) -> MutexGuard<'_, DocumentAnalysis> {
        let mut state = self.analysis.lock().unwrap_or_else(|poisoned| {
            // A panic in an analysis may have left the cache half updated: start afresh.
            let mut state = poisoned.into_inner();
            *state = DocumentAnalysis::default();
            state
        });
        self.analysis.clear_poison();
        let resolved = &self.profile.resolved;
        let same_config = state
            .resolved
            .as_ref()
            .is_some_and(|r| Arc::ptr_eq(r, resolved));
        if !same_config {
            state.cache = AnalysisCache::new();
            state.resolved = Some(Arc::clone(resolved));
            state.revision = None;
            state.serialized.clear();
        }
        let revision = self.doc.revision();
        if state.revision != Some(revision) {
            state
                .cache
                .update(&self.doc, &self.profile.context(self.limited()));
            state.revision = Some(revision);
            state.assembled = None;
        }
        state
    }

    /// The fill progress of each template section of the current text.
    pub(super) fn progress(&self) -> Vec<reframe_core::analysis::outline::SectionProgress> {
        self.analysed().cache.progress(self.profile.template())
    }

    /// The whole analysis of the snapshot's text (for editor requests).
    pub(super) fn analysis(&self) -> Arc<Analysis> {
        let mut state = self.analysed();
        if let Some(analysis) = &state.assembled {
            return Arc::clone(analysis);
        }
        let analysis = Arc::new(state.cache.analysis(&self.doc));
        state.assembled = Some(Arc::clone(&analysis));
        analysis
    }

    /// The `textDocument/publishDiagnostics` notification for the snapshot's text, and the
    /// number of diagnostics in it.
    pub(super) fn publish_message(&self, uri: &Uri) -> (Message, usize) {
        let encoding = self.encoding;
        let mut guard = self.analysed();
        let state = &mut *guard;
        if state.encoding != Some(encoding) {
            state.serialized.clear();
            state.encoding = Some(encoding);
        }
        let groups = state.cache.groups();
        let count = state.cache.finding_count();
        let mut parts = Vec::with_capacity(groups.len() + 1);
        let mut shown = 0;
        // Findings of the template choice (front matter: the top of the document).
        if !self.profile.extra.is_empty() {
            let group = FindingGroup {
                start: 0,
                first_line: 0,
                key: 0,
                findings: Arc::clone(&self.profile.extra),
            };
            let json = serialize_group(&self.doc, &group, encoding);
            shown += json.len();
            parts.push((0, json));
        }
        let count = count + shown;
        for group in groups {
            if shown >= MAX_DIAGNOSTICS {
                break;
            }
            let json = match state.serialized.get(&group.key) {
                Some(json) => Arc::clone(json),
                None => {
                    let json = serialize_group(&self.doc, group, encoding);
                    state.serialized.insert(group.key, Arc::clone(&json));
                    json
                }
            };
            let first_line = u32::try_from(group.first_line).unwrap_or(u32::MAX);
            let json = if shown + json.len() > MAX_DIAGNOSTICS {
                json[..MAX_DIAGNOSTICS - shown].iter().cloned().collect()
            } else {
                json
            };
            shown += json.len();
            parts.push((first_line, json));
        }
        if count > shown {
            parts.push((0, capped_note(count - shown)));
        }
        if state.serialized.len() > groups.len() {
            let live: std::collections::HashSet<u64> = groups.iter().map(|g| g.key).collect();
            state.serialized.retain(|key, _| live.contains(key));
        }
        (Message::new(uri, Some(self.version), parts), count)
    }
}

/// What a publish job found for one document.
enum Publish {
    /// The document is closed.
    Closed,
    /// The diagnostics of the snapshot's version, with the section progress summaries
    /// when the client can be asked to refresh inlay hints.
    Message {
        version: i32,
        message: Message,
        progress: Option<Vec<String>>,
        made: Made,
    },
    /// The analysis panicked: no diagnostics for this version.
    Failed,
}

/// How many threads publish jobs run on.
const PUBLISH_THREADS: usize = 2;

/// Publishes the diagnostics of the documents whose URIs arrive on `receiver`: at most one
/// job per document at a time, each analysing a snapshot on a worker thread, so
/// that a large document never holds up the diagnostics of another. A URI that arrives
/// while its document's job runs marks it to run once more when it ends (a burst of edits
/// costs one more analysis, of the newest version). A result whose version was superseded
/// meanwhile is dropped; results are sent from this task only, in order.
pub(super) async fn worker(
    client: Client,
    output: Output,
    state: Arc<Mutex<State>>,
    mut receiver: mpsc::UnboundedReceiver<Uri>,
) {
    let mut worker = Worker {
        client,
        output,
        state,
        published: HashSet::new(),
        progress: HashMap::new(),
        sent: HashMap::new(),
        jobs: HashMap::new(),
        releasing: Arc::default(),
        threads: Arc::new(crate::pool::Pool::new("reframe-publish", PUBLISH_THREADS)),
    };
    let (done, mut finished) = mpsc::unbounded_channel::<(Uri, Publish)>();
    loop {
        tokio::select! {
            queued = receiver.recv() => match queued {
                Some(uri) => worker.queued(uri, &done),
                // The service is gone: the server is exiting, and nobody waits for the
                // jobs still running.
                None => return,
            },
            Some((uri, outcome)) = finished.recv() => {
                let again = worker.jobs.remove(&uri).unwrap_or(false);
                worker.handle(&uri, outcome);
                if again {
                    worker.queued(uri, &done);
                }
            }
        }
    }
}

/// The publish worker's state.
struct Worker {
    client: Client,
    output: Output,
    state: Arc<Mutex<State>>,
    /// Documents with diagnostics on the client, to clear when they close.
    published: HashSet<Uri>,
    /// Section progress last shown per document, to refresh inlay hints when it changes.
    progress: HashMap<Uri, Vec<String>>,
    /// What each document's last publish was made from: a URI queued again for a change
    /// that publish already covered is not analysed or published again.
    sent: HashMap<Uri, Made>,
    /// Documents with a job running, and whether another change arrived meanwhile.
    jobs: HashMap<Uri, bool>,
    /// The threads publish jobs run on: a burst of opens uses these few, not one each.
    threads: Arc<crate::pool::Pool>,
    /// A memory release is running (one at a time, off the async thread).
    releasing: Arc<std::sync::atomic::AtomicBool>,
}

impl Worker {
    /// A document changed (or closed): starts its job, or marks the running one to run
    /// again.
    fn queued(&mut self, uri: Uri, done: &mpsc::UnboundedSender<(Uri, Publish)>) {
        if let Some(again) = self.jobs.get_mut(&uri) {
            *again = true;
            return;
        }
        let Some(snapshot) = crate::lock(&self.state).snapshot(&uri) else {
            self.handle(&uri, Publish::Closed);
            return;
        };
        let made = snapshot.made();
        if self.sent.get(&uri) == Some(&made) {
            return;
        }
        self.jobs.insert(uri.clone(), false);
        let done = done.clone();
        let refresh = snapshot.client.inlay_hint_refresh;
        let job_uri = uri.clone();
        let threads = Arc::clone(&self.threads);
        tokio::spawn(async move {
            let job = threads.run(move || compute(&job_uri, &snapshot, made, refresh));
            // A panic in the analysis costs this version its diagnostics, not the worker.
            let outcome = job.await.unwrap_or(Publish::Failed);
            let _ = done.send((uri, outcome));
        });
    }

    /// A closed document's trees were freed: gives the memory back, on a worker thread (a
    /// burst of closes costs one release or two).
    fn release_memory(&self) {
        use std::sync::atomic::Ordering;
        if self.releasing.swap(true, Ordering::AcqRel) {
            return;
        }
        let releasing = Arc::clone(&self.releasing);
        drop(tokio::task::spawn_blocking(move || {
            releasing.store(false, Ordering::Release);
            memory::release();
        }));
    }

    /// Acts on what a job found (or on a closed document).
    fn handle(&mut self, uri: &Uri, outcome: Publish) {
        let (version, message, published_progress, made) = match outcome {
            Publish::Closed => {
                // Closed: clear what the client shows for it.
                self.progress.remove(uri);
                self.sent.remove(uri);
                if self.published.remove(uri) && !crate::lock(&self.state).client.pull_diagnostics {
                    self.output.send_message(clear_message(uri));
                }
                self.release_memory();
                return;
            }
            Publish::Failed => {
                let text = format!("internal error analysing {}: no diagnostics", uri.as_str());
                eprintln!("reframe: {text}");
                let client = self.client.clone();
                tokio::spawn(async move { client.log_message(MessageType::ERROR, text).await });
                return;
            }
            Publish::Message {
                version,
                message,
                progress,
                made,
            } => (version, message, progress, made),
        };
        // Dropped if a newer version arrived meanwhile: it is queued already.
        let (current, pulled) = {
            let state = crate::lock(&self.state);
            let current = state.documents.get(uri).map(|d| d.version);
            (current, state.client.pull_diagnostics)
        };
        if current != Some(version) {
            return;
        }
        self.published.insert(uri.clone());
        self.sent.insert(uri.clone(), made);
        let refresh = published_progress
            .as_ref()
            .is_some_and(|p| self.progress.get(uri) != Some(p));
        if let Some(published_progress) = published_progress {
            self.progress.insert(uri.clone(), published_progress);
        }
        // Sent as built: serialised once, straight to the output. A client that pulls
        // diagnostics asks for them itself (`pull.rs`); the analysis is ready for it.
        if !pulled {
            self.output.send_message(message);
        }
        if refresh {
            // The client re-asks for hints. Its answer is not waited for here: a client
            // that never answers must not stall diagnostics.
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = client.inlay_hint_refresh().await;
            });
        }
    }
}

/// The diagnostics message of a snapshot (on a worker thread).
fn compute(uri: &Uri, snapshot: &Snapshot, made: Made, refresh: bool) -> Publish {
    let (message, _) = snapshot.publish_message(uri);
    let progress = refresh.then(|| {
        snapshot
            .progress()
            .iter()
            .map(|p| format!("{}:{}", p.heading, p.summary()))
            .collect()
    });
    Publish::Message {
        version: snapshot.version,
        message,
        progress,
        made,
    }
}
/// The JSON of a group's diagnostics, lines relative to the chunk's first line.
fn serialize_group(
    doc: &Document,
    group: &FindingGroup,
    enc: PositionEncoding,
) -> Arc<[DiagnosticJson]> {
    let first_line = u32::try_from(group.first_line).unwrap_or(u32::MAX);
    group
        .findings
        .iter()
        .map(|finding| {
            let absolute = Finding {
                range: finding.range.start + group.start..finding.range.end + group.start,
                ..finding.clone()
            };
            let diagnostic = to_proto::diagnostic(doc, &absolute, enc);
            let range = diagnostic.range;
            let mut value = serde_json::to_value(&diagnostic).unwrap_or_default();
            if let Some(object) = value.as_object_mut() {
                object.remove("range");
            }
            let object = value.to_string();
            let rest = match object.strip_prefix('{') {
                Some("}") | None => "}".to_string(),
                Some(rest) => format!(",{rest}"),
            };
            DiagnosticJson {
                start: (
                    range.start.line.saturating_sub(first_line),
                    range.start.character,
                ),
                end: (
                    range.end.line.saturating_sub(first_line),
                    range.end.character,
                ),
                rest,
            }
        })
        .collect()
}

/// A `textDocument/publishDiagnostics` notification: the groups' diagnostics, each
/// group's lines moved by its chunk's first line.
pub struct Message {
    /// Everything up to the opening bracket of the diagnostics.
    head: String,
    groups: Vec<(u32, Arc<[DiagnosticJson]>)>,
    /// The length of the body.
    len: usize,
}

/// What closes the body.
const TAIL: &str = "]}}";

/// The number of decimal digits of `n`.
fn digits(n: u32) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// The length of a range's JSON ([`write_range`]) without its four numbers.
const RANGE_FIXED: usize = 70;

/// Writes `{"range":…}` (the diagnostic's opening and range, then a comma).
fn write_range(out: &mut impl io::Write, d: &DiagnosticJson, base: u32) -> io::Result<()> {
    write!(
        out,
        r#"{{"range":{{"start":{{"line":{},"character":{}}},"end":{{"line":{},"character":{}}}}}"#,
        d.start.0.saturating_add(base),
        d.start.1,
        d.end.0.saturating_add(base),
        d.end.1
    )
}

impl Message {
    fn new(uri: &Uri, version: Option<i32>, groups: Vec<(u32, Arc<[DiagnosticJson]>)>) -> Message {
        let mut head = String::from(
            r#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#,
        );
        head.push_str(&serde_json::Value::String(uri.as_str().to_string()).to_string());
        if let Some(version) = version {
            head.push_str(&format!(r#","version":{version}"#));
        }
        head.push_str(r#","diagnostics":["#);
        let mut len = head.len() + TAIL.len();
        let mut count: usize = 0;
        for (base, json) in &groups {
            for d in json.iter() {
                count += 1;
                len += RANGE_FIXED
                    + digits(d.start.0.saturating_add(*base))
                    + digits(d.start.1)
                    + digits(d.end.0.saturating_add(*base))
                    + digits(d.end.1)
                    + d.rest.len();
            }
        }
        // Commas between diagnostics.
        len += count.saturating_sub(1);
        Message { head, groups, len }
    }

    /// Writes the message, framed with its `Content-Length` header.
    fn write_to(&self, out: &mut impl io::Write) -> io::Result<()> {
        write!(out, "Content-Length: {}\r\n\r\n", self.len)?;
        out.write_all(self.head.as_bytes())?;
        let mut first = true;
        for (base, json) in &self.groups {
            for d in json.iter() {
                if !first {
                    out.write_all(b",")?;
                }
                first = false;
                write_range(out, d, *base)?;
                out.write_all(d.rest.as_bytes())?;
            }
        }
        out.write_all(TAIL.as_bytes())
    }

    /// The diagnostics it carries, as LSP values (for pull requests), and an identifier
    /// of them: equal identifiers mean equal diagnostics.
    pub fn diagnostics(&self) -> (Vec<tower_lsp_server::ls_types::Diagnostic>, String) {
        use std::hash::{Hash, Hasher};
        let mut out = Vec::with_capacity(self.len + 32);
        let _ = self.write_to(&mut out);
        let body = out
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(&out[..], |i| &out[i + 4..]);
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        body.hash(&mut hasher);
        let diagnostics = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|mut v| serde_json::from_value(v["params"]["diagnostics"].take()).ok())
            .unwrap_or_default();
        (diagnostics, format!("{:016x}", hasher.finish()))
    }

    /// The framed message in one buffer (for tests).
    #[cfg(test)]
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let _ = self.write_to(&mut out);
        out
    }
}

/// A notification that clears a document's diagnostics.
pub fn clear_message(uri: &Uri) -> Message {
    Message::new(uri, None, Vec::new())
}

/// Locks a document's analysis state for a fresh document.
pub fn new_state() -> Mutex<DocumentAnalysis> {
    Mutex::new(DocumentAnalysis::default())
}

// ---- Snapshots: what an analysis off the state lock works from -------------------------
//
// A handler takes a [`Snapshot`] of one open document under the state lock (the
// document itself behind an `Arc`, its version, its configuration, its analysis state and
// what the client can do) and the work runs on a blocking worker thread without the lock.
// The document's analysis state has a lock of its own, so two requests on one document
// take turns, while a request on another document never waits for them.
//
// A request that the client cancels (`$/cancelRequest`) is dropped by tower-lsp-server,
// which answers it with RequestCancelled; dropping it raises its [`Cancel`] flag, and the
// work on the worker thread stops at its next check point ([`Snapshot::cancelled`]).

/// One open document as it was when the snapshot was taken.
pub struct Snapshot {
    pub doc: Arc<Document>,
    pub version: i32,
    pub profile: Profile,
    pub analysis: Arc<Mutex<DocumentAnalysis>>,
    pub encoding: PositionEncoding,
    pub client: ClientSupport,
    pub cancel: Cancel,
}

impl Snapshot {
    /// Whether the request this snapshot serves was cancelled (or its answer is no longer
    /// awaited): work stops here.
    pub fn cancelled(&self) -> bool {
        self.cancel.is_set()
    }

    /// Whether the document is too large for the wording rules.
    pub fn limited(&self) -> bool {
        self.doc.len_bytes() > crate::FULL_ANALYSIS_LIMIT
    }
}

/// A flag raised when the request it belongs to is dropped (cancelled or answered).
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// A guard that raises the flag when dropped.
    pub fn on_drop(&self) -> CancelOnDrop {
        CancelOnDrop(self.clone())
    }
}

/// Raises its [`Cancel`] flag when dropped: held by a request's future, it tells the
/// worker thread that nobody waits for the answer any more.
pub struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        (self.0).0.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_length_of_a_range_is_counted_right() {
        for (l1, c1, l2, c2, base) in [
            (0, 0, 0, 0, 0),
            (9, 10, 99, 100, 0),
            (7, 3, 12, 4_000_000, 123_456),
        ] {
            let d = DiagnosticJson {
                start: (l1, c1),
                end: (l2, c2),
                rest: String::new(),
            };
            let mut out = Vec::new();
            assert!(write_range(&mut out, &d, base).is_ok());
            let expected =
                RANGE_FIXED + digits(l1 + base) + digits(c1) + digits(l2 + base) + digits(c2);
            assert_eq!(out.len(), expected);
        }
    }

    #[test]
    fn a_message_is_framed_with_its_length_and_parses() {
        let Ok(uri) = "file:///tmp/a%20b.md".parse::<Uri>() else {
            panic!("uri");
        };
        let group: Arc<[DiagnosticJson]> = vec![
            DiagnosticJson {
                start: (0, 1),
                end: (0, 5),
                rest: r#","message":"a \"quoted\" one"}"#.to_string(),
            },
            DiagnosticJson {
                start: (2, 0),
                end: (3, 10),
                rest: r#","message":"two"}"#.to_string(),
            },
        ]
        .into();
        for groups in [Vec::new(), vec![(0, Arc::clone(&group)), (40, group)]] {
            let bytes = Message::new(&uri, Some(7), groups).to_bytes();
            let text = String::from_utf8(bytes).unwrap_or_default();
            let (header, body) = text.split_once("\r\n\r\n").unwrap_or_default();
            assert_eq!(header, format!("Content-Length: {}", body.len()));
            let value: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
            assert_eq!(value["params"]["version"], 7);
            assert_eq!(value["params"]["uri"], "file:///tmp/a%20b.md");
            let diagnostics = value["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if let Some(last) = diagnostics.last() {
                assert_eq!(diagnostics.len(), 4);
                assert_eq!(last["range"]["end"]["line"], 43);
                assert_eq!(last["message"], "two");
            }
        }
    }
}
