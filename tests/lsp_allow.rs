//! The "Allow “<phrase>” in this folder's .reframe.toml" code action (issue 16, item 9):
//! the server runs the command, which edits the nearest configuration file (keeping its
//! comments) and analyses every open document under that folder again, without the
//! finding.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use std::path::PathBuf;

use common::{Server, codes};
use serde_json::json;

const WRITEUP: &str = "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\nI helped with the migration of the build farm.\n";

const CONFIG: &str = "# Our team's settings.\n[rules]\n# Drafts may hedge.\nhedge = \"hint\"\n";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("reframe-allow-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    dir
}

fn uri(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn allowing_a_phrase_edits_the_configuration_and_the_finding_goes() {
    let dir = scratch("edit");
    std::fs::write(dir.join(".reframe.toml"), CONFIG).unwrap();
    let first = dir.join("a.md");
    let second = dir.join("sub/b.md");
    std::fs::write(&first, WRITEUP).unwrap();
    std::fs::write(&second, WRITEUP).unwrap();

    let mut server = Server::start();
    let init = server.initialize(None);
    let commands = &init["result"]["capabilities"]["executeCommandProvider"]["commands"];
    assert!(
        commands
            .as_array()
            .is_some_and(|c| c.contains(&json!("reframe.allowPhrase"))),
        "{commands}"
    );
    for path in [&first, &second] {
        server.open(&uri(path), 1, WRITEUP);
        let found = codes(&server.diagnostics(&uri(path), 1));
        assert!(found.contains(&"weak-verb".to_string()), "{found:?}");
    }
    let reply = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri(&first)},
               "range": {"start": {"line": 5, "character": 0}, "end": {"line": 5, "character": 10}},
               "context": {"diagnostics": []}}),
    );
    let actions = reply["result"].as_array().unwrap();
    let allow = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Allow “"))
        .unwrap_or_else(|| panic!("no allow action in {actions:#?}"));
    let title = allow["title"].as_str().unwrap();
    assert!(
        title.ends_with("” in this folder's .reframe.toml"),
        "{title}"
    );
    assert_eq!(allow["kind"], "quickfix");
    let command = &allow["command"];
    assert_eq!(command["command"], "reframe.allowPhrase");
    let phrase = command["arguments"][1].as_str().unwrap().to_string();
    assert!(phrase.contains("helped"), "{phrase}");

    let reply = server.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert!(reply.get("error").is_none(), "{reply}");
    let edited = std::fs::read_to_string(dir.join(".reframe.toml")).unwrap();
    assert!(
        edited.starts_with(CONFIG),
        "comments and layout kept:\n{edited}"
    );
    assert!(
        edited.contains(&format!("[allow]\nphrases = [{}]", json!(phrase))),
        "{edited}"
    );

    // Both open documents under the folder are analysed again, without the finding.
    for path in [&first, &second] {
        let found = codes(&server.diagnostics(&uri(path), 1));
        assert!(!found.contains(&"weak-verb".to_string()), "{found:?}");
    }

    // Asked again, the phrase is allowed already: the file stays as it is.
    let again = server.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert!(again.get("error").is_none(), "{again}");
    assert_eq!(
        std::fs::read_to_string(dir.join(".reframe.toml")).unwrap(),
        edited
    );

    // A path that is not an open document is refused: the command writes files.
    let refused = server.request(
        "workspace/executeCommand",
        json!({"command": "reframe.allowPhrase", "arguments": ["/etc/x.md", "just"]}),
    );
    assert_eq!(refused["error"]["code"], -32602, "{refused}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn without_a_configuration_file_one_is_created_in_the_folder() {
    let dir = scratch("create").join("sub");
    let path = dir.join("c.md");
    std::fs::write(&path, WRITEUP).unwrap();
    let mut server = Server::start();
    server.initialize(None);
    server.open(&uri(&path), 1, WRITEUP);
    server.diagnostics(&uri(&path), 1);
    let reply = server.request(
        "workspace/executeCommand",
        json!({"command": "reframe.allowPhrase",
               "arguments": [path.display().to_string(), "helped with"]}),
    );
    assert!(reply.get("error").is_none(), "{reply}");
    let created = std::fs::read_to_string(dir.join(".reframe.toml")).unwrap();
    assert_eq!(created, "[allow]\nphrases = [\"helped with\"]\n");
    let found = codes(&server.diagnostics(&uri(&path), 1));
    assert!(!found.contains(&"weak-verb".to_string()), "{found:?}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}
