//! Load, end to end: 200 documents open at once in the real `reframe lsp` binary, edits
//! interleaved across them, every document's last version published; memory stays
//! bounded, and closing the documents gives it back.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::Server;
use serde_json::{Value, json};

const DOCUMENTS: usize = 200;
const ROUNDS: i64 = 5;

/// How long to wait for the answers to a burst of work on 200 documents in a debug build.
const SLOW: Duration = Duration::from_secs(300);

/// The example write-up, made longer (about 11 KB) and different for each document.
fn document(n: usize) -> String {
    let example = include_str!("../examples/ci-migration.md");
    let (front, body) = example.split_at(example.find("## 1.").expect("a first section"));
    let mut text = front.to_string();
    text.push_str(&format!("Document {n}.\n\n"));
    for copy in 0..4 {
        text.push_str(&body.replace("14 services", &format!("{} services", n * 10 + copy)));
    }
    text
}

fn uri(n: usize) -> String {
    format!("file:///tmp/reframe-load/doc-{n}.md")
}

/// The resident memory of a process in kilobytes (Linux).
fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Waits until every document has had diagnostics published for `versions[n]`, checking
/// that the versions published for each document never go backwards.
fn wait_for_versions(server: &mut Server, versions: &[i64], seen: &mut HashMap<String, i64>) {
    let uris: Vec<String> = (0..versions.len()).map(uri).collect();
    let done = |seen: &HashMap<String, i64>| {
        uris.iter()
            .zip(versions)
            .all(|(u, v)| seen.get(u) == Some(v))
    };
    while !done(seen) {
        let message = server.wait_for_within(SLOW, |m| {
            m["method"] == "textDocument/publishDiagnostics" && !m["params"]["version"].is_null()
        });
        let uri = message["params"]["uri"]
            .as_str()
            .expect("a uri")
            .to_string();
        let version = message["params"]["version"].as_i64().expect("a version");
        let before = seen.insert(uri.clone(), version);
        assert!(
            before.is_none_or(|b| b <= version),
            "{uri}: version {version} published after {before:?}"
        );
    }
}

#[test]
fn two_hundred_documents_with_interleaved_edits_and_memory_back_after_close() {
    let mut server = Server::start();
    server.initialize(None);
    let pid = server.pid();

    // Warm up with a few documents opened, edited as below and closed, so what is built
    // once on first use and kept (the phrase rows an edit first matches, each worker
    // thread's regex caches, the tagger's lexicon) is in the baseline; then measure it.
    const WARM: usize = 8;
    for n in DOCUMENTS..DOCUMENTS + WARM {
        server.open(&uri(n), 1, &document(n));
        server.change(
            &uri(n),
            2,
            json!([
                {"range": {"start": {"line": 12, "character": 0},
                           "end": {"line": 12, "character": 0}},
                 "text": format!("Edit 0 of document {n}: I just helped with it.\n")},
            ]),
        );
    }
    for n in DOCUMENTS..DOCUMENTS + WARM {
        server.diagnostics_within(SLOW, &uri(n), 2);
        server.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri(n)}}),
        );
    }
    std::thread::sleep(Duration::from_millis(300));
    server.drain(Duration::from_millis(200));
    let baseline = rss_kb(pid).expect("the server's memory");

    let mut seen = HashMap::new();
    let mut versions = vec![1; DOCUMENTS];
    for n in 0..DOCUMENTS {
        server.open(&uri(n), 1, &document(n));
    }
    wait_for_versions(&mut server, &versions, &mut seen);
    let opened = rss_kb(pid).expect("the server's memory");
    // Edits interleaved across the documents, none waited for: typing in one section of
    // each, a line added to another, a weak phrase fixed.
    for round in 0..ROUNDS {
        for (n, version) in versions.iter_mut().enumerate() {
            *version += 1;
            let line = 12 + (n + round as usize * 7) % 40;
            server.change(
                &uri(n),
                *version,
                json!([
                    {"range": {"start": {"line": line, "character": 0},
                               "end": {"line": line, "character": 0}},
                     "text": format!("Edit {round} of document {n}: I just helped with it.\n")},
                ]),
            );
        }
    }
    wait_for_versions(&mut server, &versions, &mut seen);
    let peak = rss_kb(pid).expect("the server's memory");

    // Every document still answers for its current version.
    for n in [0, DOCUMENTS / 2, DOCUMENTS - 1] {
        let reply = server.request_within(
            SLOW,
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri(n)}}),
        );
        assert!(
            reply["result"].as_array().is_some_and(|s| !s.is_empty()),
            "{reply}"
        );
    }

    // Close them all: each is cleared on the client, and its memory goes back.
    for n in 0..DOCUMENTS {
        server.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri(n)}}),
        );
    }
    let mut cleared = 0;
    while cleared < DOCUMENTS {
        server.wait_for_within(SLOW, |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["version"].is_null()
                && m["params"]["diagnostics"]
                    .as_array()
                    .is_some_and(|d| d.is_empty())
        });
        cleared += 1;
    }
    std::thread::sleep(Duration::from_millis(500));
    let after = rss_kb(pid).expect("the server's memory");
    eprintln!(
        "RSS: baseline {baseline} kB, 200 documents opened {opened} kB, edited {peak} kB, \
         closed {after} kB"
    );
    // Edits replace trees, they do not pile them up.
    let grown = peak.saturating_sub(baseline);
    let open_size = opened.saturating_sub(baseline);
    assert!(
        grown < open_size * 2,
        "edits grew memory from {opened} kB to {peak} kB (baseline {baseline} kB)"
    );
    assert!(
        grown > 10_000,
        "200 documents should take memory: {grown} kB"
    );
    assert!(
        after.saturating_sub(baseline) < grown / 4,
        "memory not given back after closing: baseline {baseline} kB, open {peak} kB, \
         closed {after} kB"
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
