//! The server chooses each document's template as `reframe check` does: the front matter's
//! `template:`, else the template its headings fit best; the choice drives diagnostics,
//! outline, completion and pull diagnostics, and changes when the headings or the front
//! matter do. `reframe.newWriteup` starts a write-up from a template.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use std::path::Path;
use std::process::Command;

use common::{Server, codes};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/reframe-lsp-formats/story.md";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/formats/{name}.md")),
    )
    .expect("fixture")
}

fn start(capabilities: Value) -> Server {
    let mut server = Server::start();
    let reply = server.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
    );
    assert!(reply.get("error").is_none(), "{reply}");
    server.notify("initialized", json!({}));
    server
}

fn outline_root(server: &mut Server, uri: &str) -> String {
    let reply = server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    reply["result"][0]["detail"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// (code, start line, start character, message) of each diagnostic, sorted.
fn summary(diagnostics: &[Value]) -> Vec<(String, u64, u64, String)> {
    let mut out: Vec<(String, u64, u64, String)> = diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["range"]["start"]["line"].as_u64().unwrap_or(0),
                d["range"]["start"]["character"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_server_checks_each_format_fixture_as_the_command_line_does() {
    let mut server = start(json!({
        "textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}}
    }));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (version, name) in ["star", "brag-doc", "self-review", "case-study"]
        .into_iter()
        .enumerate()
    {
        let text = fixture(name);
        let uri = format!("file:///tmp/reframe-lsp-formats/{name}.md");
        server.open(&uri, version as i64 + 1, &text);
        let published = server.diagnostics(&uri, version as i64 + 1);
        let output = Command::new(env!("CARGO_BIN_EXE_reframe"))
            .args(["check", "--format", "json", "-", "--stdin-filename"])
            .arg(format!("/tmp/reframe-lsp-formats/{name}.md"))
            .current_dir(root)
            .stdin(
                std::fs::File::open(root.join(format!("tests/fixtures/formats/{name}.md")))
                    .unwrap(),
            )
            .output()
            .expect("reframe check");
        let report: Value = serde_json::from_slice(&output.stdout).expect("json");
        let cli = report[0]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(!cli.is_empty(), "{name}");
        assert_eq!(summary(&published), summary(&cli), "{name}");
        // The outline's root says which template and why, as the summary does.
        let detail = outline_root(&mut server, &uri);
        assert!(
            detail.contains(&format!("· {name} template: ")),
            "{name}: {detail}"
        );
    }
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn the_template_follows_the_headings_and_the_front_matter_as_they_change() {
    let mut server = start(json!({
        "textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}}
    }));
    let story = "# Story\n\n## Situation\n\nThe release failed weekly.\n\n## Task\n\nMake it boring.\n\n## Action\n\nI rewrote the release job.\n\n## Result\n\nNo failed release in ten weeks.\n";
    server.open(URI, 1, story);
    let diagnostics = server.diagnostics(URI, 1);
    // Checked against STAR: none of the ops write-up's sections is asked for.
    for d in &diagnostics {
        let message = d["message"].as_str().unwrap_or_default();
        assert!(
            !message.contains("Project Overview") && !message.contains("Ops Style"),
            "{d}"
        );
    }
    assert!(
        !codes(&diagnostics).contains(&"missing-section".to_string()),
        "{diagnostics:?}"
    );
    let detail = outline_root(&mut server, URI);
    assert!(
        detail.contains("star template: 4 of its 4 section headings found"),
        "{detail}"
    );

    // Headings of a case study instead: typed over the first two, the choice follows.
    let case = "# Story\n\n## Context\n\nThe release failed weekly.\n\n## What I did\n\nI rewrote the release job.\n\n## Outcome\n\nNo failed release in ten weeks.\n\n## Lessons\n\nRollback first.\n";
    server.change(URI, 2, json!([{"text": case}]));
    server.diagnostics(URI, 2);
    let detail = outline_root(&mut server, URI);
    assert!(detail.contains("case-study template: "), "{detail}");

    // An incremental edit of one heading line: "## Lessons" becomes "## Situation"; STAR
    // now fits as many headings (Situation, What I did as Action, Outcome as Result),
    // more closely, and is chosen at once.
    let line = case.lines().position(|l| l == "## Lessons").unwrap();
    server.change(
        URI,
        3,
        json!([{"range": {"start": {"line": line, "character": 3}, "end": {"line": line, "character": 10}}, "text": "Situation"}]),
    );
    server.diagnostics(URI, 3);
    let detail = outline_root(&mut server, URI);
    assert!(
        detail.contains("star template: 3 of its 4 section headings found"),
        "{detail}"
    );

    // Front matter naming a template wins over the headings, typed in one keystroke at a
    // time is not needed: one change adds it.
    server.change(
        URI,
        4,
        json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "---\ntemplate: star\n---\n"}]),
    );
    let diagnostics = server.diagnostics(URI, 4);
    let detail = outline_root(&mut server, URI);
    assert!(
        detail.contains("star template: named in the front matter"),
        "{detail}"
    );
    // STAR's sections are asked for now.
    assert!(
        diagnostics.iter().any(|d| d["code"] == "missing-section"
            && d["message"].as_str().unwrap_or("").contains("Task")),
        "{diagnostics:?}"
    );
    // A name nobody knows: the warning on that line, the configured template meanwhile.
    server.change(
        URI,
        5,
        json!([{"range": {"start": {"line": 1, "character": 10}, "end": {"line": 1, "character": 14}}, "text": "stra"}]),
    );
    let diagnostics = server.diagnostics(URI, 5);
    let unknown: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["code"] == "unknown-template")
        .collect();
    assert_eq!(unknown.len(), 1, "{diagnostics:?}");
    assert_eq!(
        unknown[0]["range"]["start"],
        json!({"line": 1, "character": 10})
    );
    assert!(unknown[0]["message"].as_str().unwrap().contains("star"));
    let detail = outline_root(&mut server, URI);
    assert!(detail.contains("ops-writeup template: "), "{detail}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn repeated_stories_are_repeats_in_the_server_too() {
    let mut server = start(json!({
        "textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}}
    }));
    let story = "### Situation\n\nIt broke.\n\n### Task\n\nFix it.\n\n### Action\n\nI fixed it.\n\n### Result\n\nIt stopped breaking: 0 pages in May.\n\n";
    let text = format!("# Stories\n\n## One\n\n{story}## Two\n\n{story}## Three\n\n{story}");
    server.open(URI, 1, &text);
    let found = codes(&server.diagnostics(URI, 1));
    for code in ["section-order", "missing-section", "section-heading"] {
        assert!(!found.contains(&code.to_string()), "{found:?}");
    }
    // Checked against STAR, each story a repeat with its own entries in the outline.
    assert!(outline_root(&mut server, URI).contains("star template: 4 of its 4"));
    let reply = server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    // The root entry, then "# Stories" holding the three stories.
    let stories: Vec<usize> = reply["result"][1]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|story| story["children"].as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(stories, [4, 4, 4], "{reply}");
    let brag = "---\ntemplate: brag-doc\n---\n# Brag\n\n## Goals\n\n- **Goals for this period**: ship search.\n\n## January\n\n- Shipped search to 10% of users.\n\n## February\n\n- Shipped search to everyone.\n\n## Learning and Growth\n\n- Learned shard sizing.\n";
    server.change(URI, 2, json!([{"text": brag}]));
    let diagnostics = server.diagnostics(URI, 2);
    let found = codes(&diagnostics);
    for code in ["section-order", "section-heading", "unknown-template"] {
        assert!(!found.contains(&code.to_string()), "{found:?}");
    }
    // The months' bullets: the one with no outcome (February's) is asked for it.
    let asked: Vec<u64> = diagnostics
        .iter()
        .filter(|d| d["code"] == "impact-evidence")
        .map(|d| d["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    let february = brag
        .lines()
        .position(|l| l == "- Shipped search to everyone.")
        .unwrap() as u64;
    assert_eq!(asked, [february], "{diagnostics:?}");
    assert!(
        outline_root(&mut server, URI).contains("brag-doc template: named in the front matter")
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn new_writeup_fills_an_empty_document_or_creates_a_file_from_a_template() {
    let dir = std::env::temp_dir().join(format!("reframe-lsp-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut server = start(json!({
        "workspace": {"applyEdit": true, "workspaceEdit": {"documentChanges": true, "resourceOperations": ["create"]}},
        "textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}}
    }));
    let reply = server.request("initialize", json!({}));
    let _ = reply; // a second initialize is refused; the capabilities are those above

    // The templates to pick from.
    let reply = server.request(
        "workspace/executeCommand",
        json!({"command": "reframe.templates", "arguments": []}),
    );
    let names: Vec<&str> = reply["result"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    for name in [
        "ops-writeup",
        "promotion-packet",
        "star",
        "brag-doc",
        "self-review",
        "case-study",
    ] {
        assert!(names.contains(&name), "{reply}");
    }

    // Into an empty buffer: the edit replaces it with the scaffold.
    let empty = Uri::file(&dir.join("empty.md"));
    server.open(&empty, 1, "\n");
    server.diagnostics(&empty, 1);
    server.send(
        &json!({"jsonrpc": "2.0", "id": 9101, "method": "workspace/executeCommand",
        "params": {"command": "reframe.newWriteup", "arguments": ["star", empty]}}),
    );
    let apply = server.wait_for(|m| m["method"] == "workspace/applyEdit");
    let edits = apply["params"]["edit"]["changes"][&empty]
        .as_array()
        .cloned()
        .unwrap();
    assert_eq!(edits.len(), 1);
    let text = edits[0]["newText"].as_str().unwrap().to_string();
    assert!(
        text.starts_with("---\n") && text.contains("template: star\n"),
        "{text}"
    );
    assert_eq!(edits[0]["range"]["end"], json!({"line": 1, "character": 0}));
    server.send(&json!({"jsonrpc": "2.0", "id": apply["id"], "result": {"applied": true}}));
    let done = server.wait_for(|m| m["id"] == 9101);
    assert_eq!(done["result"]["template"], "star", "{done}");
    // The client applies it; the fresh write-up reports only what is left to fill.
    server.change(&empty, 2, json!([{"text": text}]));
    let diagnostics = server.diagnostics(&empty, 2);
    assert!(!diagnostics.is_empty());
    for code in codes(&diagnostics) {
        assert!(
            ["placeholder", "template-prompt", "empty-frontmatter"].contains(&code.as_str()),
            "{code}: {diagnostics:?}"
        );
    }
    assert!(outline_root(&mut server, &empty).contains("star template: named in the front matter"));

    // A document with text in it is left alone.
    let reply = server.request(
        "workspace/executeCommand",
        json!({"command": "reframe.newWriteup", "arguments": ["brag-doc", empty]}),
    );
    assert!(
        reply["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not empty"),
        "{reply}"
    );
    // An unknown template names the known ones.
    let fresh = Uri::file(&dir.join("notes/brag.md"));
    let reply = server.request(
        "workspace/executeCommand",
        json!({"command": "reframe.newWriteup", "arguments": ["brga", fresh]}),
    );
    assert!(
        reply["error"]["message"]
            .as_str()
            .unwrap()
            .contains("brag-doc"),
        "{reply}"
    );

    // A file that does not exist: created, then filled.
    server.send(
        &json!({"jsonrpc": "2.0", "id": 9102, "method": "workspace/executeCommand",
        "params": {"command": "reframe.newWriteup", "arguments": ["brag-doc", fresh]}}),
    );
    let apply = server.wait_for(|m| m["method"] == "workspace/applyEdit");
    let changes = apply["params"]["edit"]["documentChanges"]
        .as_array()
        .cloned()
        .unwrap();
    assert_eq!(changes[0]["kind"], "create", "{apply}");
    assert_eq!(changes[0]["uri"], fresh.as_str());
    assert_eq!(changes[0]["options"]["overwrite"], false);
    let text = changes[1]["edits"][0]["newText"].as_str().unwrap();
    assert!(text.contains("template: brag-doc\n"), "{text}");
    server.send(&json!({"jsonrpc": "2.0", "id": apply["id"], "result": {"applied": true}}));
    let done = server.wait_for(|m| m["id"] == 9102);
    assert!(done.get("error").is_none(), "{done}");
    // An existing file is never replaced.
    std::fs::write(dir.join("kept.md"), "mine\n").unwrap();
    let kept = Uri::file(&dir.join("kept.md"));
    let reply = server.request(
        "workspace/executeCommand",
        json!({"command": "reframe.newWriteup", "arguments": ["star", kept]}),
    );
    assert!(
        reply["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already exists"),
        "{reply}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("kept.md")).unwrap(),
        "mine\n"
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn pulled_diagnostics_choose_the_template_as_the_command_line_does() {
    let dir = std::env::temp_dir().join(format!("reframe-lsp-pull-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let names = ["star", "brag-doc", "self-review", "case-study"];
    for name in names {
        std::fs::write(dir.join(format!("{name}.md")), fixture(name)).unwrap();
    }
    let mut server = Server::start();
    let reply = server.request(
        "initialize",
        json!({"processId": null, "rootUri": Uri::file(&dir),
               "workspaceFolders": [{"uri": Uri::file(&dir), "name": "w"}],
               "capabilities": {"textDocument": {"diagnostic": {}}}}),
    );
    assert!(reply.get("error").is_none(), "{reply}");
    server.notify("initialized", json!({}));
    // The star file open in the editor (its buffer), the others on disk.
    let star = Uri::file(&dir.join("star.md"));
    server.open(&star, 1, &fixture("star"));
    let reply = server.request("workspace/diagnostic", json!({"previousResultIds": []}));
    let items = reply["result"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let output = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .args(["check", "--format", "json", "."])
        .current_dir(&dir)
        .output()
        .expect("reframe check");
    let report: Value = serde_json::from_slice(&output.stdout).expect("json");
    for name in names {
        let uri = Uri::file(&dir.join(format!("{name}.md")));
        let pulled = items
            .iter()
            .find(|i| i["uri"] == uri.as_str())
            .unwrap_or_else(|| panic!("{name} not reported: {reply}"));
        let cli = report
            .as_array()
            .unwrap()
            .iter()
            .find(|f| {
                f["path"]
                    .as_str()
                    .unwrap_or("")
                    .ends_with(&format!("{name}.md"))
            })
            .unwrap();
        assert_eq!(
            summary(pulled["items"].as_array().unwrap()),
            summary(cli["diagnostics"].as_array().unwrap()),
            "{name}"
        );
    }
    let reply = server.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": star}}),
    );
    let items = reply["result"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !codes(&items).contains(&"missing-section".to_string()),
        "{reply}"
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `file://` URIs of paths, for the test.
struct Uri;

impl Uri {
    fn file(path: &Path) -> String {
        format!("file://{}", path.display())
    }
}

#[test]
fn completion_offers_the_chosen_template_s_headings() {
    let mut server = start(json!({}));
    let text = "# Story\n\n## Situation\n\nThe release failed weekly.\n\n## Action\n\nI rewrote the release job.\n\n## Result\n\nNo failed release in ten weeks.\n\n## Ta";
    server.open(URI, 1, text);
    server.diagnostics(URI, 1);
    let line = text.lines().count() - 1;
    let reply = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": 5}}),
    );
    let result = &reply["result"];
    let items = result["items"]
        .as_array()
        .or(result.as_array())
        .cloned()
        .unwrap_or_default();
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(labels.iter().any(|l| l.contains("Task")), "{labels:?}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
