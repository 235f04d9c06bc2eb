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

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context as TaskContext, Poll};

use tokio::io::AsyncWrite;
use tower_lsp_server::ls_types::Uri;

use super::{OpenDocument, convert};
use crate::analysis::{Analysis, AnalysisCache, Finding, FindingGroup};
use crate::config::Resolved;
use crate::document::{Document, PositionEncoding};

/// Stdout, shared by the LSP transport and the publisher: whole messages go into a
/// channel and one thread writes them out in order, straight to the file descriptor.
#[derive(Clone)]
pub struct Output {
    sender: std::sync::mpsc::Sender<Vec<u8>>,
}

impl Output {
    /// Starts the writer thread over `sink`. It ends once every `Output` is dropped and
    /// everything sent is written (or writing fails).
    pub fn start<W>(mut sink: W) -> (Output, std::thread::JoinHandle<()>)
    where
        W: io::Write + Send + 'static,
    {
        let (sender, receiver) = std::sync::mpsc::channel::<Vec<u8>>();
        let writer = std::thread::spawn(move || {
            while let Ok(first) = receiver.recv() {
                if sink.write_all(&first).is_err() {
                    return;
                }
                // Write what queued up meanwhile before flushing.
                while let Ok(more) = receiver.try_recv() {
                    if sink.write_all(&more).is_err() {
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

    /// Sends one message body, framed with its `Content-Length` header in place.
    pub fn send_message(&self, mut body: Vec<u8>) {
        let header = format!("Content-Length: {}\r\n\r\n", body.len());
        body.splice(0..0, header.into_bytes());
        // A closed channel means the server is shutting down: nothing to write to.
        let _ = self.sender.send(body);
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
        match self.sender.send(buf.to_vec()) {
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

/// One diagnostic as JSON, its range apart.
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

impl OpenDocument {
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
            state.cache.update(&self.doc, &self.profile.context());
            state.revision = Some(revision);
            state.assembled = None;
        }
        state
    }

    /// The fill progress of each template section of the current text.
    pub(super) fn progress(&self) -> Vec<crate::analysis::outline::SectionProgress> {
        self.analysed().cache.progress(self.profile.template())
    }

    /// The whole analysis of the current text (for editor requests).
    pub(super) fn analysis(&self) -> Arc<Analysis> {
        let mut state = self.analysed();
        if let Some(analysis) = &state.assembled {
            return Arc::clone(analysis);
        }
        let analysis = Arc::new(state.cache.analysis(&self.doc));
        state.assembled = Some(Arc::clone(&analysis));
        analysis
    }

    /// The `textDocument/publishDiagnostics` notification for the current text, as a
    /// message body, and the number of diagnostics in it.
    pub(super) fn publish_message(
        &self,
        uri: &Uri,
        encoding: PositionEncoding,
    ) -> (Vec<u8>, usize) {
        let mut guard = self.analysed();
        let state = &mut *guard;
        if state.encoding != Some(encoding) {
            state.serialized.clear();
            state.encoding = Some(encoding);
        }
        let groups = state.cache.groups();
        let count = state.cache.finding_count();
        let mut parts = Vec::with_capacity(groups.len());
        for group in groups {
            let json = match state.serialized.get(&group.key) {
                Some(json) => Arc::clone(json),
                None => {
                    let json = serialize_group(&self.doc, group, encoding);
                    state.serialized.insert(group.key, Arc::clone(&json));
                    json
                }
            };
            parts.push((group.first_line, json));
        }
        if state.serialized.len() > groups.len() {
            let live: std::collections::HashSet<u64> = groups.iter().map(|g| g.key).collect();
            state.serialized.retain(|key, _| live.contains(key));
        }
        let body = message(uri, Some(self.version), &parts);
        (body, count)
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
            let diagnostic = convert::diagnostic(doc, &absolute, enc);
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
fn message(uri: &Uri, version: Option<i32>, groups: &[(usize, Arc<[DiagnosticJson]>)]) -> Vec<u8> {
    use std::fmt::Write as _;
    // Room for everything, the ranges at their longest and the header the output adds.
    let size: usize = groups
        .iter()
        .flat_map(|(_, json)| json.iter())
        .map(|d| d.rest.len() + 100)
        .sum();
    let mut out = String::with_capacity(size + uri.as_str().len() + 240);
    out.push_str(r#"{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"#);
    out.push_str(&serde_json::Value::String(uri.as_str().to_string()).to_string());
    if let Some(version) = version {
        let _ = write!(out, r#","version":{version}"#);
    }
    out.push_str(r#","diagnostics":["#);
    let mut first = true;
    for (first_line, json) in groups {
        let base = u32::try_from(*first_line).unwrap_or(u32::MAX);
        for d in json.iter() {
            if !first {
                out.push(',');
            }
            first = false;
            let _ = write!(
                out,
                r#"{{"range":{{"start":{{"line":{},"character":{}}},"end":{{"line":{},"character":{}}}}}"#,
                d.start.0.saturating_add(base),
                d.start.1,
                d.end.0.saturating_add(base),
                d.end.1
            );
            out.push_str(&d.rest);
        }
    }
    out.push_str("]}}");
    out.into_bytes()
}

/// A notification that clears a document's diagnostics.
pub fn clear_message(uri: &Uri) -> Vec<u8> {
    message(uri, None, &[])
}

/// Locks a document's analysis state for a fresh document.
pub fn new_state() -> Mutex<DocumentAnalysis> {
    Mutex::new(DocumentAnalysis::default())
}
