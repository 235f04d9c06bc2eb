//! `--format json`: the LSP `Diagnostic`s of each file, as the server publishes them:
//! `[{"path": …, "diagnostics": […]}, …]`, written one file at a time.

use serde_json::json;

use reframe_core::document::PositionEncoding;
use reframe_lsp::to_proto;

use crate::cli::report::Checked;

/// What the report is made of: an array, printed empty.
pub(crate) const MARKER: &str = "[]";

/// The report's document with the array empty ([`crate::cli::report::StreamedArray`]).
pub(crate) fn document() -> serde_json::Value {
    json!([])
}

/// One file's element of the array, pretty-printed.
pub(crate) fn file_entry(c: &Checked) -> std::io::Result<String> {
    let diagnostics: Vec<_> = c
        .analysis
        .findings
        .iter()
        .map(|f| to_proto::diagnostic(&c.doc, f, PositionEncoding::Utf16))
        .collect();
    let entry = json!({ "path": c.input.display(), "diagnostics": diagnostics });
    serde_json::to_string_pretty(&entry).map_err(std::io::Error::other)
}
