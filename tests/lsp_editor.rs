//! The editor experience end to end, through the real `reframe lsp` over stdio (issue 17):
//! whole-line completion items that every client applies, one missing-section finding per
//! gap, an action for every structural finding, code lens commands the server runs, pull
//! and workspace diagnostics, and the details (hover paragraphs, sorted hints, one notion
//! of "filled", configuration polled without a watcher).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::Server;
use serde_json::{Value, json};

const URI: &str = "file:///tmp/reframe-editor-test.md";

/// A write-up with sections 1, 3 and a renamed "## Impact", then 7: gaps 2, 4 and 6, 8–9.
const WRITEUP: &str = "---\ntitle:\ntemplate: ops-writeup\n---\n# Moving CI to GitHub Actions\n\n## 1. Project Overview\n\n- **What You Did**: I moved 14 services to GitHub Actions.\n\n## 3. What You Built/Implemented\n\n- **Solution Overview**: Reusable workflows that build and deploy each service.\n- **Scope**:\n\n## Impact\n\n- **Time**: A deploy went from 25 minutes to 6 minutes.\n\n## 7. Challenges\n\n- **Technical**: Flaky runners.\n";

fn example() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/ci-migration.md"
    ))
    .expect("example")
}

/// (line, UTF-16 column) of byte `at`.
fn position(text: &str, at: usize) -> Value {
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": text[start..at].encode_utf16().count()})
}

fn pos(text: &str, needle: &str) -> Value {
    position(text, text.find(needle).expect("needle"))
}

fn line_of(text: &str, needle: &str) -> u64 {
    pos(text, needle)["line"].as_u64().unwrap()
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

fn edits_of(action: &Value, uri: &str) -> Vec<Value> {
    let edit = &action["edit"];
    if let Some(changes) = edit["documentChanges"].as_array() {
        return changes[0]["edits"].as_array().cloned().unwrap_or_default();
    }
    edit["changes"][uri].as_array().cloned().unwrap_or_default()
}

fn start(capabilities: Value, text: &str) -> Server {
    let mut server = Server::start();
    let reply = server.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
    );
    assert!(reply.get("error").is_none(), "{reply}");
    server.notify("initialized", json!({}));
    server.open(URI, 1, text);
    server.diagnostics(URI, 1);
    server
}

fn complete(server: &mut Server, at: Value) -> Vec<Value> {
    let reply = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": at}),
    );
    let result = &reply["result"];
    result["items"]
        .as_array()
        .or(result.as_array())
        .cloned()
        .unwrap_or_default()
}

/// Types `line` as a new last line and completes at its end.
fn complete_line(
    server: &mut Server,
    version: i64,
    text: &str,
    line: &str,
) -> (String, Vec<Value>) {
    let typed = format!("{text}\n{line}");
    server.change(URI, version, json!([{"text": typed}]));
    server.diagnostics(URI, version);
    let at = position(&typed, typed.len());
    (typed, complete(server, at))
}

fn find<'a>(items: &'a [Value], label: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no item {label}: {items:#?}"))
}

/// The line with the cursor after the item's edit (snippet syntax removed).
fn accepted(text: &str, item: &Value) -> String {
    let mut edit = item["textEdit"].clone();
    let new_text = edit["newText"].as_str().unwrap().to_string();
    let plain = new_text
        .replace("$0", "")
        .replace("${1:", "")
        .replace('}', "");
    edit["newText"] = json!(plain);
    apply(text, &[edit])
}

#[test]
fn completion_items_replace_the_typed_line_and_filter_on_what_was_typed() {
    let snippets =
        json!({"textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}});
    let mut server = start(snippets, WRITEUP);
    for (version, typed) in [(2, "## Dec"), (3, "## 6"), (4, "## decisions")] {
        let (text, items) = complete_line(&mut server, version, WRITEUP, typed);
        let item = find(&items, "## 6. Decisions & Trade-offs");
        // Neovim filters by prefix (case-sensitively by default): the filter text starts
        // with what was typed.
        let filter = item["filterText"].as_str().unwrap();
        assert!(filter.starts_with(typed), "{typed:?}: {filter:?}");
        // Items whose title does not start with the typed words are not made to match.
        if typed != "## 6" {
            let other = find(&items, "## 2. The Problem/Need");
            assert!(
                !other["filterText"].as_str().unwrap().starts_with(typed),
                "{other}"
            );
        }
        // A snippet, with the whole typed line as its range.
        assert_eq!(item["insertTextFormat"], 2);
        let range = &item["textEdit"]["range"];
        assert_eq!(range["start"]["character"], 0);
        assert_eq!(range["end"]["character"], typed.len());
        assert_eq!(range["start"]["line"], range["end"]["line"]);
        let after = accepted(&text, item);
        assert!(after.ends_with("\n## 6. Decisions & Trade-offs"), "{after}");
    }
    // The list is incomplete: the client asks again as the line changes.
    let reply = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": {"line": 999, "character": 0}}),
    );
    assert!(reply.get("error").is_none(), "{reply}");

    // "## Impact" stands for section 5 already; on its own line it is still offered, to
    // complete it to the template's heading.
    server.change(URI, 5, json!([{"text": WRITEUP}]));
    server.diagnostics(URI, 5);
    let impact = line_of(WRITEUP, "## Impact");
    let items = complete(&mut server, json!({"line": impact, "character": 9}));
    let item = find(&items, "## 5. Impact (Ops Style)");
    assert!(
        item["filterText"]
            .as_str()
            .unwrap()
            .starts_with("## Impact")
    );
    let after = accepted(WRITEUP, item);
    assert!(after.contains("\n## 5. Impact (Ops Style)\n"), "{after}");
    // Elsewhere it is not (it is in the write-up).
    let (_, items) = complete_line(&mut server, 6, WRITEUP, "## ");
    assert!(
        !items
            .iter()
            .any(|i| i["label"] == "## 5. Impact (Ops Style)")
    );

    // A field item jumps to its answer: the placeholder is the first tab stop.
    let text = WRITEUP.replace(
        "- **Technical**: Flaky runners.\n",
        "- **Technical**: Flaky runners.\n- **Pro",
    );
    server.change(URI, 7, json!([{"text": text}]));
    server.diagnostics(URI, 7);
    let at = pos(&text, "- **Pro");
    let at = json!({"line": at["line"], "character": 7});
    let items = complete(&mut server, at);
    let process = find(&items, "Process");
    let new_text = process["textEdit"]["newText"].as_str().unwrap();
    assert!(new_text.starts_with("- **Process**: ${1:"), "{new_text}");
    assert!(
        process["filterText"]
            .as_str()
            .unwrap()
            .starts_with("- **Pro")
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));

    // Without snippets: plain text, the whole line, a placeholder to type over.
    let mut server = start(json!({}), WRITEUP);
    let (text, items) = complete_line(&mut server, 2, WRITEUP, "## Dec");
    let item = find(&items, "## 6. Decisions & Trade-offs");
    assert_eq!(item["insertTextFormat"], 1);
    assert_eq!(item["textEdit"]["newText"], "## 6. Decisions & Trade-offs");
    assert!(apply(&text, &[item["textEdit"].clone()]).ends_with("\n## 6. Decisions & Trade-offs"));
    let text = WRITEUP.replace(
        "- **Technical**: Flaky runners.\n",
        "- **Technical**: Flaky runners.\n- ",
    );
    server.change(URI, 3, json!([{"text": text}]));
    server.diagnostics(URI, 3);
    let items = complete(&mut server, position(&text, text.len()));
    let process = find(&items, "Process");
    let plain = process["textEdit"]["newText"].as_str().unwrap();
    assert!(
        plain.starts_with("- **Process**: [") && plain.ends_with(']'),
        "{plain}"
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

fn actions_at(server: &mut Server, uri: &str, range: Value, only: Option<Value>) -> Vec<Value> {
    let mut context = json!({"diagnostics": []});
    if let Some(only) = only {
        context["only"] = only;
    }
    let reply = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
    );
    reply["result"].as_array().cloned().unwrap_or_default()
}

fn sections_named(diagnostic: &Value) -> Vec<String> {
    diagnostic["data"]["sections"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn one_missing_section_finding_per_gap_with_one_action_per_section() {
    let mut server = start(json!({}), WRITEUP);
    server.change(URI, 2, json!([{"text": WRITEUP}]));
    let diagnostics = server.diagnostics(URI, 2);
    let missing: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["code"] == "missing-section")
        .collect();
    // Gaps: 2 (after 1), 4 (after 3), 6 (after Impact), 9 (after 7; 8 is guidance).
    let gaps: Vec<Vec<String>> = missing.iter().map(|d| sections_named(d)).collect();
    assert_eq!(
        gaps,
        [
            vec!["2. The Problem/Need"],
            vec!["4. Technical Details"],
            vec!["6. Decisions & Trade-offs"],
            vec!["9. Skills Demonstrated"],
        ],
        "{missing:#?}"
    );
    // Each sits on the heading of the section they follow.
    for (d, heading) in missing.iter().zip([
        "## 1. Project Overview",
        "## 3. What You Built",
        "## Impact",
        "## 7. Challenges",
    ]) {
        assert_eq!(
            d["range"]["start"]["line"],
            line_of(WRITEUP, heading),
            "{d}"
        );
    }

    // A gap of several sections: one finding naming all, one action per section.
    let text = WRITEUP.replace("## 3. What You Built/Implemented\n\n- **Solution Overview**: Reusable workflows that build and deploy each service.\n- **Scope**:\n\n", "");
    server.change(URI, 3, json!([{"text": text}]));
    let diagnostics = server.diagnostics(URI, 3);
    let gap = diagnostics
        .iter()
        .find(|d| d["code"] == "missing-section" && sections_named(d).len() > 1)
        .expect("a gap of several sections");
    assert_eq!(
        sections_named(gap),
        [
            "2. The Problem/Need",
            "3. What You Built/Implemented",
            "4. Technical Details"
        ]
    );
    assert!(
        gap["message"]
            .as_str()
            .unwrap()
            .starts_with("3 sections are missing")
    );
    let total: usize = diagnostics
        .iter()
        .filter(|d| d["code"] == "missing-section")
        .map(|d| sections_named(d).len())
        .sum();
    let actions = actions_at(&mut server, URI, gap["range"].clone(), None);
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    let inserts: Vec<&&str> = titles
        .iter()
        .filter(|t| t.starts_with("Insert section"))
        .collect();
    assert_eq!(inserts.len(), 3, "{titles:#?}");
    assert!(
        titles.contains(&format!("Insert all {total} missing sections").as_str()),
        "{titles:#?}"
    );
    let ignores = titles
        .iter()
        .filter(|t| t.starts_with("Ignore") && t.contains("missing-section"))
        .count();
    assert_eq!(ignores, 1, "{titles:#?}");
    // Inserting the middle section inserts that one alone, in its place.
    let action = actions
        .iter()
        .find(|a| a["title"] == "Insert section “3. What You Built/Implemented”")
        .expect("insert 3");
    let after = apply(&text, &edits_of(action, URI));
    assert_eq!(
        after.matches("\n## ").count(),
        text.matches("\n## ").count() + 1,
        "{after}"
    );
    let overview = after.find("## 1. Project Overview").unwrap();
    let built = after.find("## 3. What You Built/Implemented").unwrap();
    let impact = after.find("## Impact").unwrap();
    assert!(overview < built && built < impact, "{after}");
    server.change(URI, 4, json!([{"text": after}]));
    let diagnostics = server.diagnostics(URI, 4);
    let names: Vec<String> = diagnostics
        .iter()
        .filter(|d| d["code"] == "missing-section")
        .flat_map(sections_named)
        .collect();
    assert!(!names.contains(&"3. What You Built/Implemented".to_string()));
    assert!(names.contains(&"2. The Problem/Need".to_string()));
    assert!(names.contains(&"4. Technical Details".to_string()));
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// Applies the action titled `starting` for the first diagnostic with `code`, and gives
/// the text after it and the diagnostics of the new version.
fn fix(
    server: &mut Server,
    text: &str,
    version: i64,
    diagnostics: &[Value],
    code: &str,
    starting: &str,
) -> (String, Vec<Value>) {
    let d = diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code}: {diagnostics:#?}"));
    let actions = actions_at(server, URI, d["range"].clone(), Some(json!(["quickfix"])));
    let action = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap_or("").starts_with(starting))
        .unwrap_or_else(|| panic!("no “{starting}…” for {code}: {actions:#?}"));
    let after = apply(text, &edits_of(action, URI));
    server.change(URI, version, json!([{"text": after}]));
    let diagnostics = server.diagnostics(URI, version);
    (after, diagnostics)
}

fn count(diagnostics: &[Value], code: &str) -> usize {
    diagnostics.iter().filter(|d| d["code"] == code).count()
}

#[test]
fn every_structural_finding_has_a_useful_action() {
    let text = WRITEUP.replace(
        "## 7. Challenges\n\n- **Technical**: Flaky runners.\n",
        "## 7. Challenges\n\n- **Technical**: Flaky runners.\n\n## 2. The Problem/Need\n\n- **Pain points**: Deploys took an afternoon.\n",
    );
    let mut server = start(json!({}), &text);
    server.change(URI, 2, json!([{"text": text}]));
    let diagnostics = server.diagnostics(URI, 2);

    // empty-frontmatter: `title:` filled from the title heading.
    let (after, diagnostics) = fix(
        &mut server,
        &text,
        3,
        &diagnostics,
        "empty-frontmatter",
        "Fill `title`",
    );
    assert!(
        after.contains("\ntitle: Moving CI to GitHub Actions\n"),
        "{after}"
    );
    assert_eq!(count(&diagnostics, "empty-frontmatter"), 0);

    // section-order: "2." after "7." moves, with its body, to after "1.".
    assert_eq!(count(&diagnostics, "section-order"), 1, "{diagnostics:#?}");
    let (after, diagnostics) = fix(
        &mut server,
        &after,
        4,
        &diagnostics,
        "section-order",
        "Move",
    );
    assert_eq!(count(&diagnostics, "section-order"), 0, "{after}");
    let problem = after
        .find("## 2. The Problem/Need\n\n- **Pain points**: Deploys took an afternoon.")
        .expect(&after);
    assert!(after.find("## 1. Project Overview").unwrap() < problem);
    assert!(problem < after.find("## 3. What You Built").unwrap());
    assert!(
        after.ends_with("- **Technical**: Flaky runners.\n"),
        "{after:?}"
    );

    // empty-field: a placeholder to type over.
    let (after, diagnostics) = fix(&mut server, &after, 5, &diagnostics, "empty-field", "Add [");
    assert_eq!(count(&diagnostics, "empty-field"), 0);
    let scope = after
        .lines()
        .find(|l| l.starts_with("- **Scope**:"))
        .unwrap();
    assert!(
        scope.starts_with("- **Scope**: [") && scope.ends_with(']'),
        "{scope}"
    );

    // template-prompt: the prompt replaced by a placeholder to type over.
    let prompt = "- **What wasn't working?**: ";
    let (text, version) = (after.replace("- **Pain points**:", &format!("{prompt}Manual processes? System instability? Deployment issues?\n- **Pain points**:")), 6);
    server.change(URI, version, json!([{"text": text}]));
    let diagnostics = server.diagnostics(URI, version);
    assert_eq!(
        count(&diagnostics, "template-prompt"),
        1,
        "{diagnostics:#?}"
    );
    let (after, diagnostics) = fix(
        &mut server,
        &text,
        7,
        &diagnostics,
        "template-prompt",
        "Replace the prompt",
    );
    assert_eq!(count(&diagnostics, "template-prompt"), 0, "{after}");
    assert!(after.contains(&format!("{prompt}[answer]")), "{after}");

    // fixAll: in the plain menu (no `only`) and when source actions are asked for.
    let everything =
        json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    for only in [
        None,
        Some(json!(["source"])),
        Some(json!(["source.fixAll"])),
    ] {
        let text = WRITEUP.replace("moved 14", "just moved 14");
        server.change(URI, 20, json!([{"text": text}]));
        server.diagnostics(URI, 20);
        let actions = actions_at(&mut server, URI, everything.clone(), only.clone());
        assert!(
            actions.iter().any(|a| a["kind"] == "source.fixAll.reframe"),
            "{only:?}: {actions:#?}"
        );
    }
    let actions = actions_at(&mut server, URI, everything, Some(json!(["quickfix"])));
    assert!(!actions.iter().any(|a| a["kind"] == "source.fixAll.reframe"));
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn code_lens_commands_add_a_note_and_show_the_questions() {
    let text = example();
    let caps = json!({"textDocument": {"codeLens": {}}, "workspace": {"applyEdit": true}});
    let mut server = start(caps, &text);
    let reply = server.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": URI}}),
    );
    let lenses = reply["result"].as_array().cloned().unwrap_or_default();
    let init_commands = ["reframe.showQuestions", "reframe.addQuestionNote"];
    assert!(!lenses.is_empty());
    for lens in &lenses {
        let command = lens["command"]["command"].as_str().unwrap();
        assert!(init_commands.contains(&command), "{lens}");
        assert!(
            lens["command"]["title"].as_str().unwrap().chars().count() <= 44,
            "{lens}"
        );
    }
    let note = lenses
        .iter()
        .find(|l| l["command"]["command"] == "reframe.addQuestionNote")
        .unwrap();
    let question = note["command"]["arguments"][1]
        .as_str()
        .unwrap()
        .to_string();
    // Run it as a client does: the server asks the client to apply the edit.
    server.send(&json!({"jsonrpc": "2.0", "id": 9001, "method": "workspace/executeCommand",
        "params": {"command": "reframe.addQuestionNote", "arguments": note["command"]["arguments"]}}));
    let apply_request = server.wait_for(|m| m["method"] == "workspace/applyEdit");
    let edits = apply_request["params"]["edit"]["changes"][URI]
        .as_array()
        .cloned()
        .unwrap();
    server.send(&json!({"jsonrpc": "2.0", "id": apply_request["id"], "result": {"applied": true}}));
    let done = server.wait_for(|m| m["id"] == 9001);
    assert!(done.get("error").is_none(), "{done}");
    let after = apply(&text, &edits);
    let callout = format!("> [!question] {question}\n");
    assert!(after.contains(&callout), "{after}");
    // Under the section whose heading shows the lens: after it, before the next heading.
    let heading_line = note["range"]["start"]["line"].as_u64().unwrap() as usize;
    let heading_at: usize = after
        .split_inclusive('\n')
        .take(heading_line)
        .map(str::len)
        .sum();
    let at = after.find(&callout).unwrap();
    assert!(heading_at < at);
    assert!(
        !after[heading_at + 3..at].contains("\n## "),
        "{}",
        &after[heading_at..at]
    );
    // Once there, the same note is not added again.
    server.change(URI, 2, json!([{"text": after}]));
    server.diagnostics(URI, 2);
    let reply = server.request(
        "workspace/executeCommand",
        json!({"command": "reframe.addQuestionNote", "arguments": [URI, question]}),
    );
    assert!(reply.get("error").is_none(), "{reply}");
    assert!(
        !server
            .backlog
            .iter()
            .any(|m| m["method"] == "workspace/applyEdit")
    );

    // "Show all questions": a message listing them, and the list as the answer.
    let reply = server.request(
        "workspace/executeCommand",
        json!({"command": "reframe.showQuestions", "arguments": [URI]}),
    );
    let list = reply["result"].as_str().unwrap_or_default().to_string();
    assert!(list.contains(&format!("- {question}")), "{reply}");
    let message = server.wait_for(|m| m["method"] == "window/showMessage");
    assert!(
        message["params"]["message"]
            .as_str()
            .unwrap()
            .contains(&question)
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// A scratch folder with a write-up, one ignored by `.gitignore`, one under
/// `node_modules`, and the write-up opened in the editor.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("reframe-editor-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("notes/node_modules")).unwrap();
        std::fs::write(dir.join(".gitignore"), "ignored.md\n").unwrap();
        std::fs::write(dir.join("closed.md"), WRITEUP).unwrap();
        std::fs::write(dir.join("ignored.md"), WRITEUP).unwrap();
        std::fs::write(dir.join("notes/node_modules/dep.md"), WRITEUP).unwrap();
        std::fs::write(dir.join("notes/readme.md"), "# Notes\n\nNothing to see.\n").unwrap();
        Scratch(dir)
    }

    /// Adds a configuration naming a template file in the folder and an `exclude` glob,
    /// with a write-up under it: neither the template nor the excluded file is reported.
    fn configured(self) -> Scratch {
        let dir = &self.0;
        std::fs::create_dir_all(dir.join("tpl")).unwrap();
        std::fs::create_dir_all(dir.join("old")).unwrap();
        let template = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/templates/ops-writeup.md"
        ))
        .unwrap();
        std::fs::write(dir.join("tpl/mine.md"), template).unwrap();
        std::fs::write(dir.join("old/excluded.md"), WRITEUP).unwrap();
        std::fs::write(
            dir.join(".reframe.toml"),
            "template = \"tpl/mine.md\"\nexclude = [\"old\"]\n",
        )
        .unwrap();
        self
    }

    fn uri(&self, name: &str) -> String {
        format!("file://{}", self.0.join(name).display())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn initialize_pull(server: &mut Server, root: &Path, window_progress: bool) -> Value {
    let caps = json!({
        "textDocument": {"diagnostic": {"dynamicRegistration": false}},
        "workspace": {"diagnostics": {"refreshSupport": true}},
        "window": {"workDoneProgress": window_progress},
    });
    let reply = server.request(
        "initialize",
        json!({"processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": caps}),
    );
    server.notify("initialized", json!({}));
    reply
}

#[test]
fn pull_diagnostics_with_result_ids_and_no_push() {
    let scratch = Scratch::new("pull");
    let mut server = Server::start();
    let init = initialize_pull(&mut server, &scratch.0, false);
    let provider = &init["result"]["capabilities"]["diagnosticProvider"];
    assert_eq!(provider["workspaceDiagnostics"], true, "{init}");
    let uri = scratch.uri("open.md");
    server.open(&uri, 1, WRITEUP);
    let reply = server.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    let report = &reply["result"];
    assert_eq!(report["kind"], "full", "{reply}");
    let items = report["items"].as_array().unwrap();
    assert!(
        items.iter().any(|d| d["code"] == "missing-section"),
        "{report}"
    );
    let id = report["resultId"].as_str().unwrap().to_string();
    // Asked again with that id, for the same text: unchanged.
    let reply = server.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": id}),
    );
    assert_eq!(reply["result"]["kind"], "unchanged", "{reply}");
    assert_eq!(reply["result"]["resultId"], id);
    // After an edit: a full report again, with the finding gone.
    let fixed = WRITEUP.replace("- **Scope**:\n", "- **Scope**: all 14 services.\n");
    server.change(&uri, 2, json!([{"text": fixed}]));
    let reply = server.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}, "previousResultId": id}),
    );
    assert_eq!(reply["result"]["kind"], "full", "{reply}");
    let items = reply["result"]["items"].as_array().unwrap();
    assert!(!items.iter().any(|d| d["code"] == "empty-field"), "{reply}");
    // A configuration change asks the client to pull again (it has refreshSupport).
    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"reframe": {"rules": {"missing-section": "off"}}}}),
    );
    let refresh = server.wait_for(|m| m["method"] == "workspace/diagnostic/refresh");
    server.send(&json!({"jsonrpc": "2.0", "id": refresh["id"], "result": null}));
    let reply = server.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    let items = reply["result"]["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{reply}");
    assert!(
        !items.iter().any(|d| d["code"] == "missing-section"),
        "{reply}"
    );
    // Nothing was pushed meanwhile.
    let pushed = server
        .drain(Duration::from_millis(300))
        .into_iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics")
        .count();
    assert_eq!(pushed, 0);
    assert_eq!(server.shutdown_and_exit(), Some(0));

    // A client that does not pull gets no provider, and pushed diagnostics.
    let mut server = Server::start();
    let init = server.initialize(None);
    assert!(
        init["result"]["capabilities"]["diagnosticProvider"].is_null(),
        "{init}"
    );
    server.open(&uri, 1, WRITEUP);
    assert!(!server.diagnostics(&uri, 1).is_empty());
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn workspace_diagnostics_cover_unopened_write_ups_as_reframe_check_walks() {
    let scratch = Scratch::new("workspace").configured();
    let mut server = Server::start();
    initialize_pull(&mut server, &scratch.0, true);
    let open_uri = scratch.uri("open.md");
    std::fs::write(scratch.0.join("open.md"), "stale text on disk").unwrap();
    server.open(&open_uri, 3, WRITEUP);
    // Streamed: partial results on the token, progress on the server's own token.
    server.send(
        &json!({"jsonrpc": "2.0", "id": 7001, "method": "workspace/diagnostic",
        "params": {"previousResultIds": [], "partialResultToken": "partial-1"}}),
    );
    let create = server.wait_for(|m| m["method"] == "window/workDoneProgress/create");
    server.send(&json!({"jsonrpc": "2.0", "id": create["id"], "result": null}));
    let answer = server.wait_for(|m| m["id"] == 7001);
    assert!(answer.get("error").is_none(), "{answer}");
    let messages = server.drain(Duration::from_millis(300));
    let mut items: Vec<Value> = answer["result"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut kinds = Vec::new();
    for m in &messages {
        if m["method"] != "$/progress" {
            continue;
        }
        if m["params"]["token"] == "partial-1" {
            items.extend(
                m["params"]["value"]["items"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default(),
            );
        } else if let Some(kind) = m["params"]["value"]["kind"].as_str() {
            kinds.push(kind.to_string());
        }
    }
    assert_eq!(
        kinds.first().map(String::as_str),
        Some("begin"),
        "{messages:#?}"
    );
    assert_eq!(
        kinds.last().map(String::as_str),
        Some("end"),
        "{messages:#?}"
    );
    let reported: Vec<&str> = items.iter().filter_map(|i| i["uri"].as_str()).collect();
    // The closed write-up is there with its findings; what `reframe check` skips is not.
    assert!(
        reported.contains(&scratch.uri("closed.md").as_str()),
        "{reported:#?}"
    );
    assert!(
        !reported
            .iter()
            .any(|u| u.ends_with("ignored.md") || u.contains("node_modules")),
        "{reported:#?}"
    );
    assert!(
        !reported
            .iter()
            .any(|u| u.ends_with("tpl/mine.md") || u.ends_with("old/excluded.md")),
        "{reported:#?}"
    );
    let closed = items
        .iter()
        .find(|i| i["uri"] == scratch.uri("closed.md"))
        .unwrap();
    assert_eq!(closed["kind"], "full");
    assert!(closed["version"].is_null());
    let codes: Vec<&str> = closed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(
        codes.contains(&"missing-section") && codes.contains(&"empty-field"),
        "{codes:?}"
    );
    // The open one is reported from its buffer, with its version.
    let open = items
        .iter()
        .find(|i| i["uri"] == open_uri)
        .expect("open document");
    assert_eq!(open["version"], 3);
    assert!(!open["items"].as_array().unwrap().is_empty());
    // Asked again with the result ids: unchanged, and no progress (only the first scan).
    let previous: Vec<Value> = items
        .iter()
        .filter(|i| i["kind"] == "full")
        .map(|i| json!({"uri": i["uri"], "value": i["resultId"]}))
        .collect();
    let reply = server.request(
        "workspace/diagnostic",
        json!({"previousResultIds": previous}),
    );
    let again = reply["result"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let closed = again
        .iter()
        .find(|i| i["uri"] == scratch.uri("closed.md"))
        .unwrap();
    assert_eq!(closed["kind"], "unchanged", "{closed}");
    // An open document's id is the one a document pull gives: unchanged across both.
    let open_again = again.iter().find(|i| i["uri"] == open_uri).unwrap();
    assert_eq!(open_again["kind"], "unchanged", "{open_again}");
    let reply = server.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": open_uri}}),
    );
    assert_eq!(reply["result"]["resultId"], open["resultId"], "{reply}");
    assert!(
        !server
            .backlog
            .iter()
            .any(|m| m["method"] == "window/workDoneProgress/create")
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn hover_paragraphs_sorted_hints_and_one_notion_of_filled() {
    let text = example();
    let mut server = start(json!({}), &text);
    // Hover on a heading: the guidance lines are paragraphs of their own.
    let heading = line_of(&text, "## Impact");
    let reply = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": heading, "character": 4}}),
    );
    let markdown = reply["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    let template = reframe_core::template::Template::builtin();
    let guidance = &template.sections[4].guidance;
    assert!(guidance.len() >= 2, "{guidance:?}");
    assert!(markdown.contains(&guidance.join("\n\n")), "{markdown}");
    // Inlay hints (progress, and questions without lenses) in position order.
    let reply = server.request(
        "textDocument/inlayHint",
        json!({"textDocument": {"uri": URI}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 9999, "character": 0}}}),
    );
    let hints = reply["result"].as_array().cloned().unwrap_or_default();
    let positions: Vec<(u64, u64)> = hints
        .iter()
        .map(|h| {
            (
                h["position"]["line"].as_u64().unwrap(),
                h["position"]["character"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = positions.clone();
    sorted.sort();
    assert!(positions.len() > 3);
    assert_eq!(positions, sorted);
    // The impact section is a menu: three answered outcomes fill it, for progress as for
    // readiness.
    let impact_hint = hints
        .iter()
        .find(|h| h["position"]["line"] == heading)
        .and_then(|h| h["label"].as_str())
        .unwrap_or_default();
    assert!(
        impact_hint.starts_with("3/3 fields (any 3 of"),
        "{impact_hint}"
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn configuration_edits_apply_without_an_edit_when_the_client_watches_nothing() {
    let dir = std::env::temp_dir().join(format!("reframe-editor-poll-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("writeup.md");
    std::fs::write(&path, WRITEUP).unwrap();
    let uri = format!("file://{}", path.display());
    let mut server = Server::start();
    server.initialize(None);
    server.open(&uri, 1, WRITEUP);
    let before = server.diagnostics(&uri, 1);
    assert!(count(&before, "empty-field") > 0);
    // Past the typing re-check window, the file changes on disk; no edit, no save, no
    // watcher: the poll notices.
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(
        dir.join(".reframe.toml"),
        "[rules]\nempty-field = \"off\"\n",
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let after = server.wait_for_within(Duration::from_secs(10), |m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri.as_str()
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| !d.iter().any(|d| d["code"] == "empty-field"))
    });
    assert!(Instant::now() < deadline, "{after}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}
