//! End-to-end: the real binary over stdio, with real LSP messages.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use common::{Server, codes};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/writeup.md";

const WRITEUP: &str = "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n- **What You Did**: 🚀 I helped with the migration.\n- **Your Role**: [Responsibilities]\n\n## 2. The Problem/Need\n\nDeploys were manual.\n";

/// Column of `needle` on its line, in the given unit.
fn column(text: &str, needle: &str, utf16: bool) -> (u64, u64) {
    let at = text.find(needle).expect("needle present");
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() as u64;
    let prefix = &text[line_start..at];
    let col = if utf16 {
        prefix.encode_utf16().count()
    } else {
        prefix.len()
    };
    (line, col as u64)
}

fn find<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

fn start_of(d: &Value) -> (u64, u64) {
    (
        d["range"]["start"]["line"].as_u64().unwrap_or(u64::MAX),
        d["range"]["start"]["character"]
            .as_u64()
            .unwrap_or(u64::MAX),
    )
}

#[test]
fn utf8_negotiated_and_incremental_changes_are_applied_in_order() {
    let mut server = Server::start();
    let init = server.initialize(Some(&["utf-8", "utf-16"]));
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    assert_eq!(
        init["result"]["capabilities"]["textDocumentSync"]["change"],
        2
    );

    server.open(URI, 1, WRITEUP);
    let v1 = server.diagnostics(URI, 1);
    let weak = find(&v1, "weak-verb");
    assert_eq!(start_of(weak), column(WRITEUP, "helped with", false));
    assert_eq!(weak["source"], "reframe");
    assert_eq!(weak["severity"], 3);
    assert!(
        weak["codeDescription"]["href"]
            .as_str()
            .is_some_and(|h| h.ends_with("#weak-verb"))
    );
    let placeholder = find(&v1, "placeholder");
    assert_eq!(
        start_of(placeholder),
        column(WRITEUP, "[Responsibilities]", false)
    );
    assert_eq!(placeholder["severity"], 2);

    // Two changes in one notification: the second is positioned in the text the first made.
    let (line, col) = column(WRITEUP, "[Responsibilities]", false);
    let (hline, hcol) = column(WRITEUP, "helped with", false);
    server.change(
        URI,
        2,
        json!([
            {"range": {"start": {"line": line, "character": col},
                       "end": {"line": line, "character": col + 18}},
             "text": "I owned the rollout"},
            {"range": {"start": {"line": hline, "character": hcol},
                       "end": {"line": hline, "character": hcol + 11}},
             "text": "just led"},
        ]),
    );
    let v2 = server.diagnostics(URI, 2);
    let found = codes(&v2);
    assert!(!found.contains(&"placeholder".to_string()), "{found:?}");
    assert!(!found.contains(&"weak-verb".to_string()), "{found:?}");
    let minimizer = find(&v2, "minimizer");
    assert_eq!(start_of(minimizer), (hline, hcol));

    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn utf16_is_the_default_and_columns_count_surrogate_pairs() {
    let mut server = Server::start();
    let init = server.initialize(None);
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    server.open(URI, 7, WRITEUP);
    let v7 = server.diagnostics(URI, 7);
    let weak = find(&v7, "weak-verb");
    let utf16 = column(WRITEUP, "helped with", true);
    assert_eq!(start_of(weak), utf16);
    assert_ne!(utf16, column(WRITEUP, "helped with", false));

    // Type a character after the emoji, in UTF-16 units (the emoji is two of them).
    let (line, col) = column(WRITEUP, " I helped", true);
    server.change(
        URI,
        8,
        json!([{"range": {"start": {"line": line, "character": col},
                          "end": {"line": line, "character": col}},
                "text": "!"}]),
    );
    let v8 = server.diagnostics(URI, 8);
    let weak = find(&v8, "weak-verb");
    assert_eq!(start_of(weak), (utf16.0, utf16.1 + 1));
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn ordinary_markdown_gets_no_diagnostics_and_close_clears() {
    let mut server = Server::start();
    server.initialize(None);
    let readme = "# Tool\n\nI just think maybe you should run `cargo test`.\n\n- [Link text]\n";
    server.open("file:///tmp/README.md", 1, readme);
    assert!(server.diagnostics("file:///tmp/README.md", 1).is_empty());

    server.open(URI, 1, WRITEUP);
    assert!(!server.diagnostics(URI, 1).is_empty());
    server.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    let cleared = server.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == URI
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| d.is_empty())
    });
    assert!(cleared["params"]["version"].is_null());
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn full_text_change_replaces_the_document() {
    let mut server = Server::start();
    server.initialize(None);
    server.open(URI, 1, WRITEUP);
    server.diagnostics(URI, 1);
    server.change(URI, 2, json!([{"text": "plain text, not a write-up\n"}]));
    assert!(server.diagnostics(URI, 2).is_empty());
    server.change(URI, 3, json!([{"text": WRITEUP}]));
    assert!(codes(&server.diagnostics(URI, 3)).contains(&"weak-verb".to_string()));
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
