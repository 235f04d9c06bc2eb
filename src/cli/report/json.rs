//! `--format json`: the LSP `Diagnostic`s of each file, as the server publishes them.

use std::io::Write;

use serde_json::{Value, json};

use reframe_core::document::PositionEncoding;
use reframe_lsp::to_proto;

use crate::cli::report::Checked;

pub(crate) fn write_json(out: &mut impl Write, checked: &[Checked]) -> std::io::Result<()> {
    let files: Vec<Value> = checked
        .iter()
        .map(|c| {
            let diagnostics: Vec<_> = c
                .analysis
                .findings
                .iter()
                .map(|f| to_proto::diagnostic(&c.doc, f, PositionEncoding::Utf16))
                .collect();
            json!({ "path": c.input.display(), "diagnostics": diagnostics })
        })
        .collect();
    let text = serde_json::to_string_pretty(&files).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}
