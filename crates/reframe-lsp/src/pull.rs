//! Pull diagnostics (LSP 3.17): `textDocument/diagnostic` for an open document and
//! `workspace/diagnostic` for every write-up under the workspace folders, open or not.
//!
//! Offered only to clients that declare `textDocument.diagnostic`; those get no
//! `publishDiagnostics` (the publish worker still keeps the analysis up to date). A report's
//! result id identifies its diagnostics, so a client that sends it back gets "unchanged".
//! The workspace scan walks the folders as `reframe check` does
//! (`reframe_workspace::walk`: ignore files, hidden entries, `exclude` globs), leaves out
//! the configuration's own files (a template is not a write-up), analyses the files on a
//! request thread and streams the reports as partial results when the client gave a token.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::{Value, json};
use tower_lsp_server::ls_types::notification::Notification;
use tower_lsp_server::ls_types::{
    Diagnostic, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, RelatedFullDocumentDiagnosticReport,
    RelatedUnchangedDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport, Uri,
    WorkspaceDocumentDiagnosticReport, WorkspaceFullDocumentDiagnosticReport,
    WorkspaceUnchangedDocumentDiagnosticReport,
};

use crate::publish::{MAX_DIAGNOSTICS, Snapshot};
use crate::settings::Profile;
use crate::to_proto;
use reframe_core::document::{Document, PositionEncoding};

/// The identifier diagnostic providers are registered under.
pub const IDENTIFIER: &str = "reframe";

/// Files read for the workspace scan at most this large (bigger ones are left out).
const MAX_FILE: u64 = 4 * 1024 * 1024;

/// How many file reports one partial result carries.
pub const BATCH: usize = 16;

/// `$/progress` with a partial result (`ls_types` only types work-done values).
pub enum PartialResult {}

impl Notification for PartialResult {
    type Params = Value;
    const METHOD: &'static str = "$/progress";
}

/// The report for an open document: unchanged when `previous` is its result id.
pub fn document_report(
    snap: &Snapshot,
    uri: &Uri,
    previous: Option<&str>,
) -> DocumentDiagnosticReportResult {
    let (message, _) = snap.publish_message(uri);
    let (items, id) = message.diagnostics();
    let report = if previous == Some(id.as_str()) {
        DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                result_id: id,
            },
        })
    } else {
        DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(id),
                items,
            },
        })
    };
    DocumentDiagnosticReportResult::Report(report)
}

/// The empty report (a document that is not open).
pub fn empty_report() -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: None,
                items: Vec::new(),
            },
        },
    ))
}

/// A document of the workspace scan: open (its snapshot) or on disk (its configuration).
pub enum Scanned {
    Open(Uri, Snapshot),
    File(Uri, PathBuf, Profile),
}

/// The markdown files under `folders`, walked as `reframe check` walks them.
pub fn walk(folders: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for folder in folders {
        for path in reframe_workspace::walk::markdown_files(
            folder,
            reframe_workspace::walk::WalkOptions::default(),
            |_| true,
            |_| {},
        ) {
            let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if seen.insert(real) {
                out.push(path);
            }
        }
    }
    out
}

fn hash(items: &[Diagnostic], version: Option<i32>) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(items)
        .unwrap_or_default()
        .hash(&mut hasher);
    version.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// What a scan found for a file on disk, kept while the file and its configuration stay
/// the same: clients pull the workspace again and again (VS Code every few seconds), and
/// an unchanged file then costs a `stat`.
struct ScannedFile {
    stamp: (u64, Option<std::time::SystemTime>),
    configuration: std::sync::Arc<reframe_core::config::Resolved>,
    encoding: PositionEncoding,
    items: Vec<Diagnostic>,
}

/// The files scanned before, by path.
#[derive(Default)]
pub struct ScanCache(HashMap<PathBuf, ScannedFile>);

impl ScanCache {
    /// Forgets the files no longer found.
    pub fn retain(&mut self, found: &std::collections::HashSet<PathBuf>) {
        self.0.retain(|path, _| found.contains(path));
    }
}

/// The diagnostics of a file on disk, from the cache while it is unchanged.
fn file_items(
    path: &std::path::Path,
    profile: &Profile,
    encoding: PositionEncoding,
    cache: &std::sync::Mutex<ScanCache>,
) -> Option<Vec<Diagnostic>> {
    let stamp = std::fs::metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().ok()))?;
    let lock = || cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(known) = lock().0.get(path)
        && known.stamp == stamp
        && known.encoding == encoding
        && std::sync::Arc::ptr_eq(&known.configuration, &profile.resolved)
    {
        return Some(known.items.clone());
    }
    let text = reframe_workspace::read_regular_file(path, MAX_FILE).ok()?;
    let doc = Document::new(&text);
    // The template this file's text asks for, as for an open document.
    let chosen = profile.chosen_for(&text, &mut Vec::new());
    let analysis = reframe_core::analysis::analyze(&doc, &chosen.context(false));
    let mut items: Vec<Diagnostic> = chosen
        .extra
        .iter()
        .chain(&analysis.findings)
        .take(MAX_DIAGNOSTICS)
        .map(|f| to_proto::diagnostic(&doc, f, encoding))
        .collect();
    items.sort_by_key(|d| (d.range.start.line, d.range.start.character));
    lock().0.insert(
        path.to_path_buf(),
        ScannedFile {
            stamp,
            configuration: std::sync::Arc::clone(&profile.resolved),
            encoding,
            items: items.clone(),
        },
    );
    Some(items)
}

/// The report of one scanned document; `None` for a file that cannot be read or is
/// excluded by its configuration.
pub fn workspace_report(
    scanned: &Scanned,
    encoding: PositionEncoding,
    previous: &HashMap<String, String>,
    cache: &std::sync::Mutex<ScanCache>,
) -> Option<WorkspaceDocumentDiagnosticReport> {
    let (uri, items, version, id) = match scanned {
        // The same result id as a `textDocument/diagnostic` of the same text.
        Scanned::Open(uri, snap) => {
            let (message, _) = snap.publish_message(uri);
            let (items, id) = message.diagnostics();
            (uri, items, Some(snap.version), id)
        }
        Scanned::File(uri, path, profile) => {
            if profile
                .resolved
                .is_excluded(&std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()))
            {
                return None;
            }
            let items = file_items(path, profile, encoding, cache)?;
            let id = hash(&items, None);
            (uri, items, None, id)
        }
    };
    Some(if previous.get(uri.as_str()) == Some(&id) {
        WorkspaceDocumentDiagnosticReport::Unchanged(WorkspaceUnchangedDocumentDiagnosticReport {
            uri: uri.clone(),
            version: version.map(i64::from),
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                result_id: id,
            },
        })
    } else {
        WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
            uri: uri.clone(),
            version: version.map(i64::from),
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(id),
                items,
            },
        })
    })
}

/// The `$/progress` value of a partial workspace result.
pub fn partial(token: &Value, items: &[WorkspaceDocumentDiagnosticReport]) -> Value {
    json!({ "token": token, "value": { "items": items } })
}
