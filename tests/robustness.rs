//! Protocol robustness, end to end: the real `reframe lsp` binary over stdio, fed what
//! editors send when something goes wrong (broken frames, unknown methods, wrong params,
//! changes for documents that are not open, bad ranges, lone surrogates, huge and deeply
//! nested documents, control bytes, bursts of edits) and the ways a session ends.
//!
//! Whenever the server's buffer is checked, it is checked the only way a client can see
//! it: the diagnostics of the edited document must equal those of a fresh document opened
//! with the text the edits should have produced.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{Server, codes};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/reframe-robustness/writeup.md";

/// How long the tests of huge documents wait for an answer. A debug build parses a few
/// megabytes a second, and the tests run side by side.
const SLOW: Duration = Duration::from_secs(180);

const WRITEUP: &str = "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n- **What You Did**: 🚀 I helped with the migration.\n- **Your Role**: [Responsibilities]\n\n## 2. The Problem/Need\n\nDeploys were manual.\n";

/// A JSON-RPC error code of a response, if it is an error.
fn error_code(response: &Value) -> Option<i64> {
    response["error"]["code"].as_i64()
}

/// Whether a message is a `window/logMessage` whose text contains every needle.
fn is_log(message: &Value, needles: &[&str]) -> bool {
    message["method"] == "window/logMessage"
        && message["params"]["message"]
            .as_str()
            .is_some_and(|text| needles.iter().all(|n| text.contains(n)))
}

/// A URI no other document of the test uses.
fn fresh_uri() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "file:///tmp/reframe-robustness/reference-{}.md",
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The diagnostics a fresh document holding `text` gets.
fn fresh_diagnostics(server: &mut Server, text: &str) -> Vec<Value> {
    let uri = fresh_uri();
    server.open(&uri, 1, text);
    let diagnostics = server.diagnostics(&uri, 1);
    server.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    diagnostics
}

/// Checks that the diagnostics of `uri` at `version` are those of a fresh parse of `text`,
/// and returns them.
fn assert_buffer_is(server: &mut Server, uri: &str, version: i64, text: &str) -> Vec<Value> {
    let edited = server.diagnostics(uri, version);
    let fresh = fresh_diagnostics(server, text);
    assert_eq!(
        edited, fresh,
        "the buffer of {uri} at version {version} is not the expected text:\n{text}"
    );
    edited
}

/// Byte offsets where each LSP line starts (after `\n`, `\r\n` or a lone `\r`).
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    starts
}

/// The byte offset a UTF-16 position names, repaired as the server documents: a line past
/// the end goes to the end of the text, a character past the end of its line to the end
/// of the line, a position inside a surrogate pair to the start of that character.
fn repaired_byte(text: &str, line: usize, character: usize) -> usize {
    let starts = line_starts(text);
    let Some(&start) = starts.get(line) else {
        return text.len();
    };
    let end = starts.get(line + 1).copied().unwrap_or(text.len());
    let content = text[start..end].trim_end_matches(['\n', '\r']);
    let mut units = 0;
    for (offset, c) in content.char_indices() {
        if units >= character {
            return start + offset;
        }
        units += c.len_utf16();
        if units > character {
            return start + offset;
        }
    }
    start + content.len()
}

/// The (line, UTF-16 character) of the first `needle` in `text`.
fn utf16_position(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).expect("needle present");
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count();
    (line, text[line_start..at].encode_utf16().count())
}

fn range(start: (usize, usize), end: (usize, usize)) -> Value {
    json!({"start": {"line": start.0, "character": start.1},
           "end": {"line": end.0, "character": end.1}})
}

/// Starts a server and opens `WRITEUP` as `URI` at version 1.
fn started() -> Server {
    let mut server = Server::start();
    server.initialize(None);
    server.open(URI, 1, WRITEUP);
    server.diagnostics(URI, 1);
    server
}

/// The server still answers: a request gets its reply and an edit gets diagnostics.
fn assert_alive(server: &mut Server) {
    let symbols = server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert!(symbols.get("error").is_none(), "{symbols}");
    let uri = fresh_uri();
    server.open(&uri, 4, WRITEUP);
    assert!(codes(&server.diagnostics(&uri, 4)).contains(&"weak-verb".to_string()));
}

#[test]
fn invalid_json_in_a_valid_frame_is_a_parse_error_and_the_server_goes_on() {
    let mut server = started();
    server.send_raw(r#"{"jsonrpc": "2.0", "id": 40, "method": "#);
    let error = server.wait_for(|m| m.get("error").is_some());
    assert_eq!(error_code(&error), Some(-32700), "{error}");
    assert!(error["id"].is_null(), "{error}");
    // Valid JSON that is no JSON-RPC message is an invalid request.
    server.send_raw("[1, 2, 3]");
    let error = server.wait_for(|m| m.get("error").is_some());
    assert_eq!(error_code(&error), Some(-32600), "{error}");
    // Nesting deeper than the JSON reader goes is refused, not followed.
    let deep = format!(
        r#"{{"jsonrpc": "2.0", "id": 41, "method": "textDocument/hover", "params": {}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    server.send_raw(&deep);
    let error = server.wait_for(|m| m.get("error").is_some());
    assert_eq!(error_code(&error), Some(-32700), "{error}");
    assert_alive(&mut server);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn an_unknown_request_is_method_not_found_and_an_unknown_notification_is_ignored() {
    let mut server = started();
    let reply = server.request("reframe/noSuchRequest", json!({"x": 1}));
    assert_eq!(error_code(&reply), Some(-32601), "{reply}");
    let reply = server.request("$/noSuchRequest", json!(null));
    assert_eq!(error_code(&reply), Some(-32601), "{reply}");
    server.notify("reframe/noSuchNotification", json!({"x": 1}));
    server.notify("$/noSuchNotification", json!({}));
    assert_alive(&mut server);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn wrong_params_are_invalid_params() {
    let mut server = started();
    let reply = server.request(
        "textDocument/hover",
        json!({"textDocument": 5, "position": "here"}),
    );
    assert_eq!(error_code(&reply), Some(-32602), "{reply}");
    let reply = server.request("textDocument/documentSymbol", json!(null));
    assert_eq!(error_code(&reply), Some(-32602), "{reply}");
    let reply = server.request("textDocument/codeAction", json!([1, 2]));
    assert_eq!(error_code(&reply), Some(-32602), "{reply}");
    // Notifications cannot be answered: wrong params are dropped and nothing changes.
    server.notify("textDocument/didOpen", json!({"textDocument": {"uri": 7}}));
    server.notify("textDocument/didChange", json!({"contentChanges": "all"}));
    assert_alive(&mut server);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn requests_for_documents_that_are_not_open_get_empty_answers() {
    let mut server = started();
    let never = "file:///tmp/reframe-robustness/never-opened.md";
    let position = json!({"line": 0, "character": 0});
    for (method, params) in [
        (
            "textDocument/hover",
            json!({"textDocument": {"uri": never}, "position": position}),
        ),
        (
            "textDocument/completion",
            json!({"textDocument": {"uri": never}, "position": position}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": {"uri": never}, "range": range((0, 0), (0, 0)),
                   "context": {"diagnostics": []}}),
        ),
        (
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": never}}),
        ),
        (
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": never}}),
        ),
        (
            "textDocument/inlayHint",
            json!({"textDocument": {"uri": never}, "range": range((0, 0), (9, 0))}),
        ),
    ] {
        let reply = server.request(method, params);
        assert!(reply.get("error").is_none(), "{method}: {reply}");
        assert!(reply["result"].is_null(), "{method}: {reply}");
    }
    assert_alive(&mut server);
}

#[test]
fn did_change_for_an_unopened_document_is_logged_and_ignored() {
    let mut server = started();
    let never = "file:///tmp/reframe-robustness/not-open.md";
    server.change(
        never,
        2,
        json!([{"range": range((0, 0), (0, 0)), "text": "I just helped with it.\n"}]),
    );
    server.wait_for(|m| is_log(m, &[never, "not open"]));
    // Opening it afterwards starts from the opened text, without the stray change.
    server.open(never, 3, WRITEUP);
    assert_buffer_is(&mut server, never, 3, WRITEUP);
    let stray = server
        .drain(Duration::from_millis(300))
        .into_iter()
        .filter(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == never
                && m["params"]["version"] != 3
        })
        .count();
    assert_eq!(stray, 0, "diagnostics for a version that was never opened");
    // A close of a document that is not open is harmless too.
    server.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "file:///tmp/reframe-robustness/other.md"}}),
    );
    assert_alive(&mut server);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// Applies one change to the expected text the way the server repairs it.
fn apply_repaired(text: &mut String, start: (usize, usize), end: (usize, usize), new: &str) {
    let a = repaired_byte(text, start.0, start.1);
    let b = repaired_byte(text, end.0, end.1);
    let (a, b) = (a.min(b), a.max(b));
    text.replace_range(a..b, new);
}

#[test]
fn bad_ranges_are_logged_repaired_and_a_full_change_resynchronises() {
    let mut server = started();
    let mut expected = WRITEUP.to_string();
    let (rocket_line, rocket_col) = utf16_position(WRITEUP, "🚀");
    let (role_line, _) = utf16_position(WRITEUP, "- **Your Role**");
    // (start, end, new text, what the log says)
    type Case = ((usize, usize), (usize, usize), &'static str, &'static str);
    let cases: Vec<Case> = vec![
        // Reversed: the ends are swapped.
        (
            (role_line, 20),
            (role_line, 17),
            "I just ",
            "ends before it starts",
        ),
        // A line past the end: clamped to the end of the document.
        (
            (400, 0),
            (400, 3),
            "\n## 3. Solution\n\nI was involved in it.\n",
            "past the last line",
        ),
        // A character past the end of its line: clamped to the end of the line.
        (
            (rocket_line, 900),
            (rocket_line, 900),
            " I think maybe.",
            "past the end of the line",
        ),
        // Inside the surrogate pair of the emoji: moved to the start of the emoji.
        (
            (rocket_line, rocket_col + 1),
            (rocket_line, rocket_col + 1),
            "[TBD] ",
            "surrogate pair",
        ),
        // Both ends inside the pair: an empty range at its start, the emoji kept.
        (
            (rocket_line, rocket_col + 7),
            (rocket_line, rocket_col + 7),
            "",
            "",
        ),
    ];
    let mut version = 1;
    for (start, end, new, complaint) in cases {
        version += 1;
        server.change(
            URI,
            version,
            json!([{"range": range(start, end), "text": new}]),
        );
        apply_repaired(&mut expected, start, end, new);
        if !complaint.is_empty() {
            server.wait_for(|m| is_log(m, &[URI, complaint]));
        }
        assert_buffer_is(&mut server, URI, version, &expected);
        // What the client sends next, positioned in the repaired text, lands where it should.
        version += 1;
        let at = utf16_position(&expected, "Deploys");
        server.change(URI, version, json!([{"range": range(at, at), "text": "x"}]));
        apply_repaired(&mut expected, at, at, "x");
        assert_buffer_is(&mut server, URI, version, &expected);
    }
    // A split pair deleted from its middle to past it removes the whole character.
    version += 1;
    let (line, col) = utf16_position(&expected, "🚀");
    server.change(
        URI,
        version,
        json!([{"range": range((line, col + 1), (line, col + 3)), "text": ""}]),
    );
    apply_repaired(&mut expected, (line, col + 1), (line, col + 3), "");
    assert!(!expected.contains('🚀'));
    server.wait_for(|m| is_log(m, &[URI, "surrogate pair"]));
    assert_buffer_is(&mut server, URI, version, &expected);
    // A full-text change resynchronises exactly, whatever happened before.
    version += 1;
    server.change(URI, version, json!([{"text": WRITEUP}]));
    assert_buffer_is(&mut server, URI, version, WRITEUP);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// A `didOpen` whose text holds `\uXXXX` escapes written into the JSON as they are.
fn open_raw(
    server: &mut Server,
    uri: &str,
    version: i64,
    text_with_marks: &str,
    marks: &[(&str, &str)],
) {
    let mut body = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": uri, "languageId": "markdown",
                                    "version": version, "text": text_with_marks}}})
    .to_string();
    for (mark, escape) in marks {
        body = body.replace(mark, escape);
    }
    server.send_raw(&body);
}

#[test]
fn lone_surrogates_are_one_replacement_character_each() {
    let mut server = Server::start();
    server.initialize(None);
    // A lone high and a lone low surrogate; a client counts each as one UTF-16 unit.
    let marked = WRITEUP
        .replace("🚀", "HIGH")
        .replace("[Responsibilities]", "LOW [Responsibilities]");
    open_raw(
        &mut server,
        URI,
        1,
        &marked,
        &[("HIGH", r"\ud83d"), ("LOW", r"\udc00")],
    );
    let replaced = marked
        .replace("HIGH", "\u{fffd}")
        .replace("LOW", "\u{fffd}");
    let found = assert_buffer_is(&mut server, URI, 1, &replaced);
    assert!(!found.is_empty());
    let weak = found
        .iter()
        .find(|d| d["code"] == "weak-verb")
        .expect("weak-verb");
    let (line, col) = utf16_position(&replaced, "helped with");
    assert_eq!(
        weak["range"]["start"],
        json!({"line": line, "character": col})
    );

    // A lone surrogate typed by a change, then a position counted past it.
    let (line, col) = utf16_position(&replaced, "I helped");
    let body = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
    "textDocument": {"uri": URI, "version": 2},
    "contentChanges": [
        {"range": range((line, col), (line, col)), "text": "LOW"},
        {"range": range((line, col + 1), (line, col + 1)), "text": "I just "},
    ]}})
    .to_string()
    .replace("LOW", r"\udfff");
    server.send_raw(&body);
    let mut expected = replaced.clone();
    apply_repaired(&mut expected, (line, col), (line, col), "\u{fffd}");
    apply_repaired(&mut expected, (line, col + 1), (line, col + 1), "I just ");
    assert_buffer_is(&mut server, URI, 2, &expected);

    // Escaped backslashes are text, and proper pairs stay what they are.
    let marked = WRITEUP.replace("🚀", r"\ud83d PAIR");
    open_raw(
        &mut server,
        "file:///tmp/reframe-robustness/escapes.md",
        1,
        &marked,
        &[("PAIR", r"\ud83d\ude80")],
    );
    let unchanged = WRITEUP.replace("🚀", r"\ud83d 🚀");
    assert_buffer_is(
        &mut server,
        "file:///tmp/reframe-robustness/escapes.md",
        1,
        &unchanged,
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn a_megabyte_single_line_is_analysed_and_edited() {
    let mut server = Server::start();
    server.initialize(None);
    let filler = "the pipeline moved forty services to the new runners. ";
    // Just under the 1 MiB up to which a rest of the document with no place to cut it is
    // parsed (`document::chunks::MAX_UNBROKEN`; ARCHITECTURE.md, Bounds).
    let mut line = filler.repeat((1024 * 1024 - 400) / filler.len());
    line.push_str("I just helped with the migration.");
    assert!(line.len() > 1_000_000);
    // One line and nothing else: ordinary markdown, no findings.
    let plain = "file:///tmp/reframe-robustness/plain-huge.md";
    server.open(plain, 1, &line);
    assert!(server.diagnostics_within(SLOW, plain, 1).is_empty());
    // The same line in a write-up: findings at the far end of the line.
    let text = format!("---\ntemplate: ops-writeup\n---\n{line}");
    server.open(URI, 1, &text);
    let found = server.diagnostics_within(SLOW, URI, 1);
    let (line_no, col) = utf16_position(&text, "helped with");
    let weak = found
        .iter()
        .find(|d| d["code"] == "weak-verb")
        .expect("weak-verb");
    assert_eq!(
        weak["range"]["start"],
        json!({"line": line_no, "character": col})
    );
    // Edits at both ends of the line.
    server.change(
        URI,
        2,
        json!([{"range": range((line_no, col), (line_no, col + 11)), "text": "led"},
               {"range": range((line_no, 0), (line_no, 0)), "text": "Summary: "}]),
    );
    let found = server.diagnostics_within(SLOW, URI, 2);
    assert!(
        !codes(&found).contains(&"weak-verb".to_string()),
        "{found:?}"
    );
    assert!(
        codes(&found).contains(&"minimizer".to_string()),
        "{found:?}"
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// Asks every feature of a document and checks each answers without an error.
fn ask_everything(server: &mut Server, uri: &str, lines: usize) {
    let doc = json!({"uri": uri});
    let whole = range((0, 0), (lines, 0));
    let middle = json!({"line": lines / 2, "character": 3});
    for (method, params) in [
        ("textDocument/documentSymbol", json!({"textDocument": doc})),
        ("textDocument/foldingRange", json!({"textDocument": doc})),
        (
            "textDocument/inlayHint",
            json!({"textDocument": doc, "range": whole}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": doc, "range": whole, "context": {"diagnostics": []}}),
        ),
        (
            "textDocument/hover",
            json!({"textDocument": doc, "position": middle}),
        ),
        (
            "textDocument/completion",
            json!({"textDocument": doc, "position": middle}),
        ),
    ] {
        let reply = server.request_within(SLOW, method, params);
        assert!(reply.get("error").is_none(), "{method}: {reply}");
    }
}

#[test]
fn fifty_thousand_nesting_levels_do_not_overflow_the_stack() {
    let mut server = Server::start();
    server.initialize(None);
    let depth = 50_000;
    let nested = [
        ">".repeat(depth) + " deep quote\n",
        "> ".repeat(depth) + "deep quote\n",
        "- ".repeat(depth) + "deep item\n",
        "1. ".repeat(depth) + "deep item\n",
        "* ".repeat(depth) + "[TBD]\n",
        // Indentation nests lists too: a sawtooth 100 levels deep, 10 000 lines long.
        (0..10_000)
            .map(|i| format!("{}- level {i}\n", " ".repeat(i % 100 * 2)))
            .collect::<String>(),
        (0..depth).map(|_| "> - ").collect::<String>() + "mixed\n",
        "[".repeat(depth) + "x" + &"]".repeat(depth) + "\n",
        "*".repeat(depth) + "x" + &"*".repeat(depth) + "\n",
        "_a ".repeat(depth) + "\n",
        "[a](".repeat(depth) + &")".repeat(depth) + "\n",
        "<span>".repeat(depth) + "\n",
        "x ".to_string() + &"`".repeat(depth) + "\n",
        "![".repeat(depth) + "\n",
        "#".repeat(depth) + " heading\n",
        "x ".to_string() + &"<!--".repeat(depth) + "\n",
        "- [ ] ".repeat(depth) + "\n",
        "|".repeat(depth) + "\n|" + &"-|".repeat(depth) + "\n",
    ];
    for (i, block) in nested.iter().enumerate() {
        let uri = format!("file:///tmp/reframe-robustness/nested-{i}.md");
        let text = format!(
            "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n{block}\n## 2. The Problem/Need\n\nI just helped with it.\n"
        );
        let started = Instant::now();
        server.open(&uri, 1, &text);
        let found = server.diagnostics_within(SLOW, &uri, 1);
        assert!(
            codes(&found).contains(&"weak-verb".to_string()),
            "case {i}: {found:?}"
        );
        let lines = text.lines().count();
        ask_everything(&mut server, &uri, lines);
        // An edit in the middle of the nesting.
        let middle = (5, block.lines().next().map_or(0, |l| l.len() / 2));
        server.change(
            &uri,
            2,
            json!([{"range": range(middle, (middle.0, middle.1 + 1)), "text": ""}]),
        );
        server.diagnostics_within(SLOW, &uri, 2);
        server.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
        eprintln!("nesting case {i}: {:?}", started.elapsed());
    }
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn nul_and_control_bytes_are_text() {
    let mut server = Server::start();
    server.initialize(None);
    let controls: String = (0u8..0x20)
        .filter(|b| *b != b'\n' && *b != b'\r')
        .map(char::from)
        .chain([
            '\u{7f}', '\u{85}', '\u{2028}', '\u{2029}', '\u{feff}', '\u{200b}',
        ])
        .collect();
    let text = WRITEUP
        .replace("🚀", &format!("\0{controls}\0"))
        .replace("## 2.", "\0## 2.");
    server.open(URI, 1, &text);
    let found = assert_buffer_is(&mut server, URI, 1, &text);
    let (line, col) = utf16_position(&text, "helped with");
    let weak = found
        .iter()
        .find(|d| d["code"] == "weak-verb")
        .expect("weak-verb");
    assert_eq!(
        weak["range"]["start"],
        json!({"line": line, "character": col})
    );
    // Typing NULs and controls between the controls.
    let mut expected = text.clone();
    let mut version = 1;
    for at in [1, 5, 17, 30] {
        version += 1;
        let (l, c) = utf16_position(&expected, "\0");
        let pos = (l, c + at);
        server.change(
            URI,
            version,
            json!([{"range": range(pos, pos), "text": "\0\u{1}\u{1b}[31m"}]),
        );
        apply_repaired(&mut expected, pos, pos, "\0\u{1}\u{1b}[31m");
        assert_buffer_is(&mut server, URI, version, &expected);
    }
    ask_everything(&mut server, URI, expected.lines().count());
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn three_hundred_rapid_edits_publish_the_last_version_and_never_go_back() {
    let mut server = started();
    let mut expected = WRITEUP.to_string();
    let (line, col) = utf16_position(WRITEUP, " the migration");
    let typed = "I just helped with it and I think maybe it was deployed. ";
    for (i, c) in typed.chars().cycle().take(300).enumerate() {
        let at = (line, col + i);
        server.change(
            URI,
            2 + i as i64,
            json!([{"range": range(at, at), "text": c.to_string()}]),
        );
        apply_repaired(&mut expected, at, at, &c.to_string());
    }
    let last = 301;
    let is_publish =
        |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == URI;
    let mut published = Vec::new();
    while published
        .last()
        .map(|m: &Value| m["params"]["version"].clone())
        != Some(json!(last))
    {
        published.push(server.wait_for(is_publish));
    }
    published.extend(
        server
            .drain(Duration::from_millis(500))
            .into_iter()
            .filter(is_publish),
    );
    let versions: Vec<i64> = published
        .iter()
        .map(|m| m["params"]["version"].as_i64().expect("a version"))
        .collect();
    assert!(
        versions.windows(2).all(|w| w[0] <= w[1]),
        "versions went backwards: {versions:?}"
    );
    assert_eq!(versions.last(), Some(&last), "{versions:?}");
    let final_diagnostics = published
        .last()
        .and_then(|m| m["params"]["diagnostics"].as_array().cloned())
        .unwrap_or_default();
    assert_eq!(final_diagnostics, fresh_diagnostics(&mut server, &expected));
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn requests_after_shutdown_are_invalid_requests() {
    let mut server = started();
    let reply = server.request("shutdown", Value::Null);
    assert!(reply.get("error").is_none(), "{reply}");
    let reply = server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    assert_eq!(error_code(&reply), Some(-32600), "{reply}");
    let reply = server.request("shutdown", Value::Null);
    assert_eq!(error_code(&reply), Some(-32600), "{reply}");
    server.notify("exit", Value::Null);
    assert_eq!(server.wait_exit(), Some(0));
}

#[test]
fn exit_after_shutdown_exits_zero_and_without_it_one() {
    let mut server = started();
    assert_eq!(server.shutdown_and_exit(), Some(0));

    let mut server = started();
    server.notify("exit", Value::Null);
    assert_eq!(server.wait_exit(), Some(1));

    // Before initialize, too.
    let mut server = Server::start();
    server.notify("exit", Value::Null);
    assert_eq!(server.wait_exit(), Some(1));
}

#[test]
fn a_client_disconnect_ends_the_process_promptly() {
    for shut_down_first in [false, true] {
        let mut server = started();
        // Work in flight when the client goes.
        server.change(URI, 2, json!([{"text": WRITEUP.repeat(50)}]));
        if shut_down_first {
            let reply = server.request("shutdown", Value::Null);
            assert!(reply.get("error").is_none(), "{reply}");
        }
        let closed = Instant::now();
        server.close_stdin();
        let code = server.wait_exit();
        assert!(
            closed.elapsed() < Duration::from_secs(3),
            "took {:?} to exit",
            closed.elapsed()
        );
        assert_eq!(code, Some(if shut_down_first { 0 } else { 1 }));
    }
}

/// A server whose handlers panic, to check what [`reframe_lsp::guard::Guard`] does with
/// a panic. reframe's own handlers have none left to trigger, so this one is made to order.
struct Panicky;

impl tower_lsp_server::LanguageServer for Panicky {
    async fn initialize(
        &self,
        _: tower_lsp_server::ls_types::InitializeParams,
    ) -> tower_lsp_server::jsonrpc::Result<tower_lsp_server::ls_types::InitializeResult> {
        Ok(Default::default())
    }

    async fn shutdown(&self) -> tower_lsp_server::jsonrpc::Result<()> {
        Ok(())
    }

    async fn hover(
        &self,
        params: tower_lsp_server::ls_types::HoverParams,
    ) -> tower_lsp_server::jsonrpc::Result<Option<tower_lsp_server::ls_types::Hover>> {
        if params.text_document_position_params.position.line == 13 {
            panic!("boom on line 13");
        }
        Ok(None)
    }

    async fn did_change(&self, _: tower_lsp_server::ls_types::DidChangeTextDocumentParams) {
        panic!("boom in didChange");
    }
}

/// Reads one framed message, or fails after a few seconds.
async fn read_frame<R: tokio::io::AsyncBufRead + Unpin>(reader: &mut R) -> Value {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt};
    let read = async {
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).await.expect("read a header");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length:") {
                length = v.trim().parse().expect("a length");
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).await.expect("read a body");
        serde_json::from_slice(&body).expect("JSON")
    };
    tokio::time::timeout(Duration::from_secs(10), read)
        .await
        .expect("the server answers")
}

#[test]
fn a_panicking_handler_is_answered_with_an_internal_error_and_the_server_goes_on() {
    use reframe_lsp::{guard::Guard, transport::Input};
    use tokio::io::AsyncWriteExt;
    use tower_lsp_server::{LspService, Server as LspServer};

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let (client_end, server_end) = tokio::io::duplex(1 << 16);
        let (server_read, server_write) = tokio::io::split(server_end);
        let (client_read, mut client_write) = tokio::io::split(client_end);
        let mut client_read = tokio::io::BufReader::new(client_read);
        let mut client = None;
        let (service, socket) = LspService::new(|c| {
            client = Some(c);
            Panicky
        });
        let guard = Guard::new(service, client.expect("the client handle"));
        let shut_down = guard.shutdown_flag();
        let server = tokio::spawn(
            LspServer::new(Input::new(server_read), server_write, socket).serve(guard),
        );

        let mut backlog = Vec::new();
        let mut exchange = async |message: Value, want: &dyn Fn(&Value) -> bool| {
            let body = message.to_string();
            let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
            client_write
                .write_all(frame.as_bytes())
                .await
                .expect("write");
            if let Some(i) = backlog.iter().position(want) {
                return backlog.remove(i);
            }
            loop {
                let m = read_frame(&mut client_read).await;
                if want(&m) {
                    return m;
                }
                backlog.push(m);
            }
        };
        let uri = "file:///tmp/reframe-robustness/panics.md";
        let hover = |id: i64, line: u32| {
            json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {
                "textDocument": {"uri": uri}, "position": {"line": line, "character": 0}}})
        };
        let is_reply = |id: i64| move |m: &Value| m["id"] == id && m.get("method").is_none();

        let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                          "params": {"capabilities": {}}});
        exchange(init, &is_reply(1)).await;
        let failed = exchange(hover(2, 13), &is_reply(2)).await;
        assert_eq!(error_code(&failed), Some(-32603), "{failed}");
        let message = failed["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains("boom on line 13"), "{failed}");
        assert!(message.contains(uri), "{failed}");
        let fine = exchange(hover(3, 1), &is_reply(3)).await;
        assert!(
            fine.get("error").is_none() && fine["result"].is_null(),
            "{fine}"
        );
        // The panic was logged for the client, with the document it concerned.
        let logged = exchange(hover(4, 1), &|m| is_log(m, &["boom on line 13", uri])).await;
        assert_eq!(logged["params"]["type"], 1, "{logged}");

        // A notification that panics has nobody to answer: it is logged and the server goes on.
        let change = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "x"}]}});
        exchange(change, &|m| is_log(m, &["boom in didChange", uri])).await;
        let fine = exchange(hover(5, 2), &is_reply(5)).await;
        assert!(fine.get("error").is_none(), "{fine}");

        let reply = exchange(
            json!({"jsonrpc": "2.0", "id": 6, "method": "shutdown"}),
            &is_reply(6),
        )
        .await;
        assert!(reply.get("error").is_none(), "{reply}");
        assert!(shut_down.is_set());
        let exit = "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}";
        let frame = format!("Content-Length: {}\r\n\r\n{exit}", exit.len());
        client_write
            .write_all(frame.as_bytes())
            .await
            .expect("write");
        tokio::time::timeout(Duration::from_secs(10), server)
            .await
            .expect("the server stops after exit")
            .expect("the server task ends without a panic");
    });
}
