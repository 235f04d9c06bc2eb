//! No waste on the wire: diagnostics are published once per version (not once per change
//! inside one notification), a burst of edits is coalesced (versions that were superseded
//! before their analysis started are never analysed or published), published versions
//! never go backwards, and the diagnostics published incrementally equal those of a
//! fresh open of the same text, positions included, after edits that move chunks and
//! lines.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use std::time::Duration;

use common::Server;
use serde_json::{Value, json};

const BASE: &str = include_str!("../examples/ci-migration.md");

/// Every `publishDiagnostics` for `uri` among `messages`, as (version, diagnostics).
fn publishes(messages: &[Value], uri: &str) -> Vec<(Option<i64>, Vec<Value>)> {
    messages
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .map(|m| {
            (
                m["params"]["version"].as_i64(),
                m["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default(),
            )
        })
        .collect()
}

/// An insertion at `(line, character)`.
fn insert(line: usize, character: usize, text: &str) -> Value {
    json!({
        "range": {
            "start": {"line": line, "character": character},
            "end": {"line": line, "character": character}
        },
        "text": text
    })
}

#[test]
fn one_notification_with_many_changes_publishes_once() {
    let mut server = Server::start();
    server.initialize(None);
    let uri = "file:///tmp/once.md";
    server.open(uri, 1, BASE);
    server.diagnostics(uri, 1);
    let changes: Vec<Value> = (0..6).map(|i| insert(13, 20 + i, "x")).collect();
    server.change(uri, 2, Value::Array(changes));
    server.diagnostics(uri, 2);
    let later = server.drain(Duration::from_millis(500));
    let again = publishes(&later, uri);
    assert!(again.is_empty(), "published again: {again:?}");
    server.shutdown_and_exit();
}

#[test]
fn a_burst_of_edits_is_coalesced_and_versions_only_go_forward() {
    let mut server = Server::start();
    server.initialize(None);
    let uri = "file:///tmp/burst.md";
    // A long write-up, so that each analysis takes a while and edits pile up.
    let text = BASE.repeat(40);
    server.open(uri, 1, &text);
    server.diagnostics(uri, 1);
    let edits = 60;
    let line = text[..text.len() / 2].matches('\n').count();
    for i in 0..edits {
        server.change(uri, 2 + i, json!([insert(line, 0, "I just ")]));
    }
    let last = 1 + edits;
    server.diagnostics(uri, last);
    let mut messages = std::mem::take(&mut server.backlog);
    messages.extend(server.drain(Duration::from_millis(300)));
    let versions: Vec<i64> = publishes(&messages, uri)
        .into_iter()
        .filter_map(|(v, _)| v)
        .collect();
    // The final version was published (taken above) and nothing after it.
    assert!(versions.iter().all(|&v| v < last), "{versions:?}");
    assert!(
        versions.windows(2).all(|w| w[0] < w[1]),
        "versions went backwards or repeated: {versions:?}"
    );
    assert!(
        versions.len() + 1 < edits as usize,
        "{} publishes for {edits} edits: nothing was coalesced",
        versions.len() + 1
    );
    server.shutdown_and_exit();
}

#[test]
fn incremental_diagnostics_equal_a_fresh_open() {
    let mut server = Server::start();
    server.initialize(None);
    let uri = "file:///tmp/edited.md";
    let mut text = BASE.repeat(8);
    server.open(uri, 1, &text);
    server.diagnostics(uri, 1);
    // Typing, new lines (which move every later chunk down), a new section and a
    // deletion, each followed by its publish.
    let middle = text[..text.len() / 2].matches('\n').count();
    let edits: Vec<(usize, &str)> = vec![
        (middle, "I just "),
        (middle, "\n\n## Impact\n\n- **Time**: [TBD]\n\n"),
        (3, "I think this helped with it.\n\n"),
        (middle + 9, "```\n"),
    ];
    let mut version = 1;
    for (line, inserted) in edits {
        version += 1;
        server.change(uri, version, json!([insert(line, 0, inserted)]));
        let at: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        text.insert_str(at, inserted);
        let incremental = server.diagnostics(uri, version);
        let fresh_uri = format!("file:///tmp/fresh-{version}.md");
        server.open(&fresh_uri, 1, &text);
        let fresh = server.diagnostics(&fresh_uri, 1);
        assert_eq!(incremental, fresh, "after edit {version}");
    }
    server.shutdown_and_exit();
}
