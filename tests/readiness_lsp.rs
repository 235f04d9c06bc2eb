//! Interview readiness in the editor, over stdio: follow-up questions as code lenses (or as
//! inlay hints for a client without lenses), readiness in hover on the title and on the
//! outline's root, the questions in hover on the decisions heading, and the impact-evidence
//! hint with its quick fix.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use common::Server;
use serde_json::{Value, json};

const URI: &str = "file:///tmp/reframe-readiness/ci-migration.md";

fn example() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/ci-migration.md"
    ))
    .expect("example")
}

/// The 0-based line of the first line starting with `prefix`.
fn line_of(text: &str, prefix: &str) -> u64 {
    text.lines()
        .position(|l| l.starts_with(prefix))
        .expect(prefix) as u64
}

fn start(capabilities: Value, text: &str) -> Server {
    let mut server = Server::start();
    let reply = server.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
    );
    assert_eq!(
        reply["result"]["capabilities"]["codeLensProvider"]["resolveProvider"],
        false
    );
    server.notify("initialized", json!({}));
    server.open(URI, 1, text);
    server.diagnostics(URI, 1);
    server
}

#[test]
fn questions_are_code_lenses_on_the_decisions_heading() {
    let text = example();
    let mut server = start(json!({"textDocument": {"codeLens": {}}}), &text);
    let reply = server.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": URI}}),
    );
    let lenses = reply["result"].as_array().cloned().unwrap_or_default();
    let decisions = line_of(&text, "## 6. Decisions");
    assert!(lenses.len() >= 3, "{lenses:#?}");
    assert!(
        lenses
            .iter()
            .all(|l| l["range"]["start"]["line"] == decisions),
        "{lenses:#?}"
    );
    let titles: Vec<&str> = lenses
        .iter()
        .filter_map(|l| l["command"]["title"].as_str())
        .collect();
    // "N questions: show all", then a note lens for each of the first two, all short and
    // all commands the server runs.
    assert!(titles[0].ends_with("questions: show all"), "{titles:?}");
    assert!(
        titles[1].starts_with("Note: Why move from Jenkins"),
        "{titles:?}"
    );
    assert!(titles.iter().all(|t| t.chars().count() <= 44), "{titles:?}");
    let commands: Vec<&str> = lenses
        .iter()
        .filter_map(|l| l["command"]["command"].as_str())
        .collect();
    assert_eq!(
        commands,
        [
            "reframe.showQuestions",
            "reframe.addQuestionNote",
            "reframe.addQuestionNote"
        ]
    );
    // With lenses, the questions are not repeated as inlay hints.
    let reply = server.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}}}),
    );
    let hints = reply["result"].as_array().cloned().unwrap_or_default();
    assert!(
        !hints
            .iter()
            .any(|h| h["label"].as_str().unwrap_or("").starts_with("Q: "))
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn without_lenses_the_questions_are_inlay_hints_and_hover_shows_readiness() {
    let text = example();
    let mut server = start(json!({}), &text);
    let reply = server.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 999, "character": 0}}}),
    );
    let hints = reply["result"].as_array().cloned().unwrap_or_default();
    let decisions = line_of(&text, "## 6. Decisions");
    let question = hints
        .iter()
        .find(|h| h["label"].as_str().unwrap_or("").starts_with("Q: "))
        .expect("a question hint");
    assert_eq!(question["position"]["line"], decisions);
    assert!(
        question["label"].as_str().unwrap().ends_with("more)"),
        "{question}"
    );
    let tooltip = question["tooltip"]["value"].as_str().unwrap_or("");
    assert!(
        tooltip.contains("- What if it grew from 14 services to 1,400?"),
        "{tooltip}"
    );

    // Hover on the title: the readiness and its breakdown.
    let title = line_of(&text, "title:");
    let reply = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": title, "character": 3}}),
    );
    let hover = reply["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(hover.starts_with("**Readiness: 60/100**"), "{hover}");
    assert!(hover.contains("Impact evidence: 2 of 3"), "{hover}");
    // Hover on the decisions heading: the questions.
    let reply = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": decisions, "character": 5}}),
    );
    let hover = reply["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(hover.contains("An interviewer may ask:"), "{hover}");
    assert!(hover.contains("- Why did you choose Terraform over CloudFormation or Pulumi?"));
    // The outline's first entry is the write-up, with its readiness.
    let reply = server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
    let root = &reply["result"][0];
    assert_eq!(
        root["name"],
        "Moving deployments from Jenkins to GitHub Actions"
    );
    let detail = root["detail"].as_str().unwrap_or("");
    assert!(
        detail.starts_with("readiness 60/100 · ops-writeup template: "),
        "{detail}"
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn the_impact_evidence_hint_and_its_fix() {
    let text = example().replace(
        "- **Developer Experience**: Teams deploy on merge; the ops queue for deploys is gone.",
        "- **Developer Experience**: Deploys are faster for every team.",
    );
    let mut server = start(json!({}), &text);
    server.change(URI, 2, json!([{"text": text}]));
    let diagnostics = server.diagnostics(URI, 2);
    let hint = diagnostics
        .iter()
        .find(|d| d["code"] == "impact-evidence")
        .expect("impact-evidence");
    assert_eq!(hint["severity"], 4);
    let line = line_of(&text, "- **Developer Experience**");
    assert_eq!(hint["range"]["start"]["line"], line);
    let reply = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": hint["range"], "context": {"diagnostics": [hint]}}),
    );
    let actions = reply["result"].as_array().cloned().unwrap_or_default();
    let fix = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap_or("").contains("Before"))
        .expect("skeleton fix");
    let edits = fix["edit"]["changes"][URI]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edits.len(), 1);
    assert_eq!(
        edits[0]["newText"],
        " Before: [how it was]. After: [how it is now]."
    );
    assert_eq!(edits[0]["range"]["start"]["line"], line);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
