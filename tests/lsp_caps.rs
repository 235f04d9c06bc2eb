//! Caps instead of unbounded work (issue 19): at most 1,000 diagnostics per document plus
//! one saying how many more, at most 200 code actions per request, the wording rules off
//! above 5 MiB (with a message), a cancelled request answered with RequestCancelled, a
//! version that goes backwards logged, a repeated `Content-Length` refused.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use std::time::Duration;

use common::{Server, codes};
use serde_json::{Value, json};

const SLOW: Duration = Duration::from_secs(120);

/// A write-up with `n` weak-verb findings.
fn many_findings(n: usize) -> String {
    let mut text = String::from("---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n");
    for i in 0..n {
        text.push_str(&format!("Item {i}: I helped with the migration.\n\n"));
    }
    text
}

#[test]
fn diagnostics_are_capped_at_a_thousand_plus_one_note() {
    let mut server = Server::start();
    server.initialize(None);
    let uri = "file:///tmp/reframe-caps/many.md";
    let text = many_findings(1500);
    server.open(uri, 1, &text);
    let diagnostics = server.diagnostics_within(SLOW, uri, 1);
    assert_eq!(diagnostics.len(), 1001, "{:?}", &codes(&diagnostics)[..5]);
    let note = diagnostics.last().unwrap();
    assert_eq!(note["code"], "too-many-findings");
    assert_eq!(note["severity"], 3);
    assert!(
        note["message"]
            .as_str()
            .unwrap()
            .contains("more findings are not shown")
    );
    // The first thousand by position.
    let lines: Vec<i64> = diagnostics[..1000]
        .iter()
        .map(|d| d["range"]["start"]["line"].as_i64().unwrap())
        .collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]));

    // A whole-document code action request gets at most 200.
    let reply = server.request_within(
        SLOW,
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 4000, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    let actions = reply["result"].as_array().unwrap();
    assert_eq!(actions.len(), 200);

    // A 1-character edit republishes no more than the cap.
    server.change(
        uri,
        2,
        json!([{"range": {"start": {"line": 7, "character": 0}, "end": {"line": 7, "character": 0}},
                "text": "x"}]),
    );
    assert_eq!(server.diagnostics_within(SLOW, uri, 2).len(), 1001);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn above_five_mebibytes_only_structural_rules_run_and_a_message_says_so() {
    let mut server = Server::start();
    server.initialize(None);
    let uri = "file:///tmp/reframe-caps/huge.md";
    let filler = "the pipeline moved forty services to the new runners. ";
    let mut text = String::from(
        "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n- **What You Did**:\n\n",
    );
    text.push_str("I just helped with the migration.\n\n");
    while text.len() <= 5 * 1024 * 1024 {
        text.push_str(filler);
    }
    server.open(uri, 1, &text);
    let shown = server.wait_for_within(SLOW, |m| m["method"] == "window/showMessage");
    let message = shown["params"]["message"].as_str().unwrap();
    assert!(message.contains("only the structural rules"), "{message}");
    let found = codes(&server.diagnostics_within(SLOW, uri, 1));
    assert!(found.contains(&"empty-field".to_string()), "{found:?}");
    assert!(!found.contains(&"weak-verb".to_string()), "{found:?}");
    assert!(!found.contains(&"minimizer".to_string()), "{found:?}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn a_cancelled_request_is_answered_with_request_cancelled() {
    let mut server = Server::start();
    server.initialize(None);
    let uri = "file:///tmp/reframe-caps/cancel.md";
    let text = many_findings(3000);
    server.open(uri, 1, &text);
    // Asked at once, before the analysis is ready: the request waits for it.
    let id = 4242;
    server.send(&json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/codeAction",
        "params": {"textDocument": {"uri": uri},
                   "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9000, "character": 0}},
                   "context": {"diagnostics": []}}}));
    server.notify("$/cancelRequest", json!({"id": id}));
    let reply = server.wait_for_within(SLOW, |m| m["id"] == id);
    assert_eq!(reply["error"]["code"], -32800, "{reply}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn a_version_that_goes_backwards_is_logged_and_the_text_taken() {
    let mut server = Server::start();
    server.initialize(None);
    let uri = "file:///tmp/reframe-caps/backwards.md";
    server.open(uri, 5, "# Notes\n");
    server.diagnostics(uri, 5);
    server.change(uri, 3, json!([{"text": "# Other notes\n"}]));
    let logged = server.wait_for(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("version 3 is not after 5"))
    });
    assert_eq!(logged["params"]["type"], 2);
    server.diagnostics(uri, 3);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn a_repeated_content_length_is_refused_and_the_next_message_read() {
    let mut server = Server::start();
    server.initialize(None);
    let body = json!({"jsonrpc": "2.0", "id": 77, "method": "shutdown"}).to_string();
    server.send_raw_bytes(
        format!(
            "Content-Length: {0}\r\nContent-Length: {0}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    let refused = server.wait_for(|m| m["error"]["code"] == -32700);
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(message.contains("Content-Length"), "{message}");
    // The stream is still in step: the next message is read as it should be.
    let reply = server.request(
        "textDocument/hover",
        json!({
        "textDocument": {"uri": "file:///tmp/none.md"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(reply.get("error").is_none(), "{reply}");
    assert_eq!(reply["result"], Value::Null);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
