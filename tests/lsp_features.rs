//! End-to-end over stdio: code actions (with and without `codeAction/resolve`), completion,
//! outline, hover, folding and inlay hints on the bundled example.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use common::Server;
use serde_json::{Value, json};

const URI: &str = "file:///tmp/ci-migration.md";

fn example() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/ci-migration.md"
    ))
    .expect("example")
}

/// (line, UTF-16 column) of the start of `needle`.
fn pos(text: &str, needle: &str) -> Value {
    let at = text.find(needle).expect("needle");
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": text[start..at].encode_utf16().count()})
}

fn range_of(text: &str, needle: &str) -> Value {
    let start = pos(text, needle);
    let mut end = start.clone();
    end["character"] =
        json!(start["character"].as_u64().unwrap_or(0) + needle.encode_utf16().count() as u64);
    json!({"start": start, "end": end})
}

/// Applies LSP text edits (UTF-16 positions) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap_or(0) as usize;
        let character = p["character"].as_u64().unwrap_or(0) as usize;
        let line_start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[line_start..].char_indices() {
            if units >= character || c == '\n' {
                return line_start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse(s.0));
    let mut out = text.to_string();
    for (s, e, t) in spans {
        out.replace_range(s..e, &t);
    }
    out
}

fn edits_of(action: &Value) -> Vec<Value> {
    let edit = &action["edit"];
    if let Some(changes) = edit["documentChanges"].as_array() {
        return changes[0]["edits"].as_array().cloned().unwrap_or_default();
    }
    edit["changes"][URI].as_array().cloned().unwrap_or_default()
}

fn start(client_caps: Value) -> (Server, String) {
    let mut server = Server::start();
    let reply = server.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": client_caps}),
    );
    assert!(reply["result"]["capabilities"]["codeActionProvider"].is_object());
    server.notify("initialized", json!({}));
    let text = example();
    server.open(URI, 1, &text);
    server.diagnostics(URI, 1);
    (server, text)
}

#[test]
fn code_actions_fix_the_finding_without_resolve() {
    let (mut server, text) = start(json!({}));
    let range = range_of(&text, "## Impact");
    let reply = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range, "context": {"diagnostics": [], "only": ["quickfix"]}}),
    );
    let actions = reply["result"].as_array().cloned().unwrap_or_default();
    let heading = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.contains("5. Impact (Ops Style)"))
        })
        .unwrap_or_else(|| panic!("no heading fix in {actions:#?}"));
    assert_eq!(heading["kind"], "quickfix");
    assert_eq!(heading["isPreferred"], true);
    assert_eq!(heading["diagnostics"][0]["code"], "section-heading");
    let fixed = apply(&text, &edits_of(heading));
    assert!(fixed.contains("\n## 5. Impact (Ops Style)\n"));
    assert_eq!(fixed.replace("## 5. Impact (Ops Style)", "## Impact"), text);

    // The edit, sent back as a change, makes the finding go away.
    server.change(URI, 2, json!([{"text": fixed}]));
    let diagnostics = server.diagnostics(URI, 2);
    assert!(diagnostics.iter().all(|d| d["code"] != "section-heading"));

    // source.fixAll is offered only when asked for.
    let reply = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range_of(&fixed, "## 1."), "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let fix_all = reply["result"].as_array().cloned().unwrap_or_default();
    assert_eq!(fix_all.len(), 1, "{fix_all:#?}");
    assert_eq!(fix_all[0]["kind"], "source.fixAll.reframe");
    let all_fixed = apply(&fixed, &edits_of(&fix_all[0]));
    assert!(
        all_fixed.contains("I set up reusable GitHub Actions workflows"),
        "{all_fixed}"
    );
    assert!(
        all_fixed.contains("I wrote Terraform for the self-hosted runners"),
        "{all_fixed}"
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn code_actions_resolve_their_edit_lazily_when_the_client_can() {
    let caps = json!({
        "textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}}},
        "workspace": {"workspaceEdit": {"documentChanges": true}}
    });
    let (mut server, text) = start(caps);
    let reply = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": range_of(&text, "just"), "context": {"diagnostics": []}}),
    );
    let actions = reply["result"].as_array().cloned().unwrap_or_default();
    let remove = actions
        .iter()
        .find(|a| a["title"] == "Remove “just”")
        .unwrap_or_else(|| panic!("{actions:#?}"))
        .clone();
    assert!(remove.get("edit").is_none(), "edit should come on resolve");
    let resolved = server.request("codeAction/resolve", remove.clone());
    let action = &resolved["result"];
    assert_eq!(
        action["edit"]["documentChanges"][0]["textDocument"]["version"],
        1
    );
    let fixed = apply(&text, &edits_of(action));
    assert!(fixed.contains("I set up reusable GitHub Actions workflows"));
    assert_eq!(fixed.len(), text.len() - "just ".len());

    // The data is the server's own, in a fixed shape.
    let data = &remove["data"];
    let mut keys: Vec<&str> = data
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    keys.sort_unstable();
    assert_eq!(keys, ["range", "title", "uri", "version"], "{data}");
    assert_eq!(data["uri"], URI);
    assert_eq!(data["version"], 1);
    // Data the server did not send is an invalid-params error that says so, not a guess,
    // and the server goes on; an action without data comes back as it was.
    for bad in [
        json!({"uri": URI, "version": 1, "title": "Remove “just”"}),
        json!({"uri": URI, "version": "1", "range": data["range"], "title": "x"}),
        json!({"uri": "not a uri", "version": 1, "range": data["range"], "title": "x"}),
        json!({"uri": URI, "version": 1, "range": data["range"], "title": "x", "more": 1}),
        json!("just"),
    ] {
        let mut sent = remove.clone();
        sent["data"] = bad.clone();
        let reply = server.request("codeAction/resolve", sent);
        assert_eq!(reply["error"]["code"], -32602, "{bad}: {reply}");
        let message = reply["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains("not what reframe sent"), "{message}");
    }
    let mut bare = remove.clone();
    bare.as_object_mut().map(|o| o.remove("data"));
    let reply = server.request("codeAction/resolve", bare.clone());
    assert_eq!(reply["result"], bare);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn completion_offers_missing_headings_and_fields() {
    let caps =
        json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}});
    let (mut server, text) = start(caps);
    // Type "## " on a new line after section 9: headings not yet in the write-up.
    let end_line = text.lines().count();
    let typed = format!("{text}\n## ");
    server.change(URI, 2, json!([{"text": typed}]));
    server.diagnostics(URI, 2);
    let reply = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": end_line + 1, "character": 3}}),
    );
    let items = reply["result"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    // "## Impact" stands for section 5 already, so only the guidance sections are left.
    assert_eq!(labels, ["## 8. Interview Framing", "## Remember"]);
    assert_eq!(items[0]["textEdit"]["newText"], "## 8. Interview Framing$0");
    assert_eq!(items[0]["textEdit"]["range"]["start"]["character"], 0);

    // A bullet in a section whose fields are all present gets nothing; in a section with a
    // field removed, that field.
    let line_7 = pos(&typed, "- **What You Learned**:")["line"]
        .as_u64()
        .unwrap_or(0);
    let with_bullet = typed.replacen("- **What You Learned**:", "- **What You Learned**:\n- ", 1);
    server.change(URI, 3, json!([{"text": with_bullet}]));
    server.diagnostics(URI, 3);
    let reply = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": line_7 + 1, "character": 2}}),
    );
    // All of section 7's fields are present in the example: nothing to offer.
    assert!(reply["result"].is_null(), "{reply}");
    let line_1 = pos(&with_bullet, "- **Environment**")["line"]
        .as_u64()
        .unwrap_or(0);
    let without_env = with_bullet.replacen(
        "- **Environment**: AWS (EKS, RDS), Terraform, Helm, 3 environments (dev, staging, prod), ~40 engineers.",
        "- ",
        1,
    );
    server.change(URI, 4, json!([{"text": without_env}]));
    server.diagnostics(URI, 4);
    let reply = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": line_1, "character": 2}}),
    );
    let items = reply["result"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(items.len(), 1, "{items:#?}");
    assert_eq!(items[0]["label"], "Environment");
    assert_eq!(items[0]["insertTextFormat"], 2);
    assert_eq!(
        items[0]["textEdit"]["newText"],
        "- **Environment**: ${1:[Systems, tools, scale you worked with]}$0"
    );
    // Plain prose gets no completion noise.
    let line_prose = pos(&without_env, "- **Pain points**")["line"]
        .as_u64()
        .unwrap_or(0);
    let reply = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": line_prose, "character": 30}}),
    );
    assert!(reply["result"].is_null(), "{reply}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn outline_hover_folding_and_inlay_hints() {
    let caps =
        json!({"textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}}});
    let (mut server, text) = start(caps);
    let reply = server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let symbols = reply["result"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = symbols.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            // The write-up's own entry (its front-matter title) carries the readiness.
            "Moving deployments from Jenkins to GitHub Actions",
            "1. Project Overview",
            "2. The Problem/Need",
            "3. What You Built/Implemented",
            "4. Technical Details",
            "Impact",
            "7. Challenges",
            "6. Decisions & Trade-offs",
            "9. Skills Demonstrated"
        ]
    );
    // The root says the readiness, then which template and why.
    let root = symbols[0]["detail"].as_str().unwrap_or("");
    assert!(
        root.starts_with("readiness 60/100 · ops-writeup template: "),
        "{root}"
    );
    assert_eq!(symbols[1]["detail"], "2/3 fields · 1 placeholder");
    assert_eq!(symbols[3]["detail"], "2/3 fields");
    let fields: Vec<&str> = symbols[1]["children"]
        .as_array()
        .map(|c| c.iter().filter_map(|f| f["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["What You Did", "Your Role", "Environment"]);

    let reply = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": pos(&text, "[Responsibilities]")}),
    );
    let hover = reply["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(hover.contains("Unfilled template placeholder"), "{hover}");
    let reply = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": pos(&text, "## 3. What You Built")}),
    );
    let hover = reply["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(
        hover.contains("**Scope**: Number of services/environments/teams affected"),
        "{hover}"
    );
    assert!(hover.contains("Progress: 2/3 fields"), "{hover}");

    let reply = server.request(
        "textDocument/foldingRange",
        json!({"textDocument": {"uri": URI}}),
    );
    let folds = reply["result"].as_array().cloned().unwrap_or_default();
    let section_1 = pos(&text, "## 1. Project Overview")["line"].as_u64();
    assert!(
        folds.iter().any(|f| f["startLine"].as_u64() == section_1
            && f["endLine"].as_u64() == section_1.map(|l| l + 4)),
        "{folds:#?}"
    );
    assert!(
        folds
            .iter()
            .any(|f| f["startLine"] == 0 && f["kind"] == "comment"),
        "front matter folds"
    );

    let reply = server.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}}}),
    );
    let hints = reply["result"].as_array().cloned().unwrap_or_default();
    let first = &hints[0];
    assert_eq!(first["label"], "2/3 fields · 1 placeholder");
    assert_eq!(
        first["position"],
        json!({"line": section_1, "character": "## 1. Project Overview".len()})
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
