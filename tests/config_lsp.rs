//! Configuration in the editor, through the real `reframe lsp` binary: the CLI and the
//! server give the same findings for the same file; a custom template drives the
//! server's features; client settings; a broken configuration is reported once and the
//! last good one kept; changes on disk apply without a restart.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::Server;
use serde_json::{Value, json};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// `reframe check --format json` on one file: its diagnostics.
fn cli_diagnostics(path: &Path) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .args(["check", "--format", "json"])
        .arg(path)
        .output()
        .expect("run check");
    let files: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    files[0]["diagnostics"].clone()
}

fn initialize(server: &mut Server, options: Value, watch: bool) {
    let capabilities = json!({
        "textDocument": {"publishDiagnostics": {"versionSupport": true}},
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": watch}},
    });
    let reply = server.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri(root()),
            "capabilities": capabilities,
            "initializationOptions": options,
        }),
    );
    assert!(reply.get("error").is_none(), "{reply}");
    server.notify("initialized", json!({}));
}

/// Severity of the first diagnostic with `code`, if any.
fn severity(diagnostics: &[Value], code: &str) -> Option<u64> {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .and_then(|d| d["severity"].as_u64())
}

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("reframe-lsp-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const WRITEUP: &str = "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n- **What You Did**: I helped with the migration.\n- **Your Role**: [Responsibilities]\n\n## 2. The Problem/Need\n\nDeploys were manual.\n";

#[test]
fn cli_and_server_give_the_same_findings() {
    for relative in [
        "examples/ci-migration.md",
        "tests/fixtures/config/promotion/packets/alex.md",
        "tests/fixtures/config/nearest/inner/deep/writeup.md",
    ] {
        let path = root().join(relative);
        let expected = cli_diagnostics(&path);
        assert!(
            expected.as_array().is_some_and(|d| !d.is_empty()),
            "{relative}"
        );
        let mut server = Server::start();
        initialize(&mut server, Value::Null, false);
        let text = std::fs::read_to_string(&path).unwrap();
        server.open(&uri(&path), 1, &text);
        let published = server.diagnostics(&uri(&path), 1);
        assert_eq!(Value::Array(published), expected, "{relative}");
        assert_eq!(server.shutdown_and_exit(), Some(0));
    }
}

#[test]
fn a_custom_template_drives_the_editor_features() {
    let path = root().join("tests/fixtures/config/promotion/packets/alex.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut server = Server::start();
    initialize(&mut server, Value::Null, false);
    server.open(&uri(&path), 1, &text);
    let diagnostics = server.diagnostics(&uri(&path), 1);
    assert_eq!(
        severity(&diagnostics, "placeholder"),
        Some(1),
        "placeholder = error"
    );
    assert_eq!(severity(&diagnostics, "jargon"), Some(2), "custom code");
    let symbols = server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri(&path)}}),
    );
    let all = symbols["result"].to_string();
    assert!(
        all.contains("1. Summary") && all.contains("3. Key Projects"),
        "{all}"
    );
    assert!(!all.contains("Project Overview"), "{all}");
    // The ops template's sections appear nowhere in what the server says.
    for d in &diagnostics {
        let message = d["message"].as_str().unwrap();
        assert!(
            !message.contains("Project Overview") && !message.contains("Ops Style"),
            "{message}"
        );
    }
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn client_settings_apply_under_the_file() {
    let scratch = Scratch::new("client-settings");
    let path = scratch.0.join("writeup.md");
    std::fs::write(&path, WRITEUP).unwrap();
    let mut server = Server::start();
    initialize(
        &mut server,
        json!({"reframe": {"rules": {"weak-verb": "error", "placeholder": "hint"}}}),
        false,
    );
    server.open(&uri(&path), 1, WRITEUP);
    let diagnostics = server.diagnostics(&uri(&path), 1);
    assert_eq!(severity(&diagnostics, "weak-verb"), Some(1));
    assert_eq!(severity(&diagnostics, "placeholder"), Some(4));

    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"reframe": {"rules": {"weak-verb": "off"}}}}),
    );
    let diagnostics = server.diagnostics(&uri(&path), 1);
    assert_eq!(severity(&diagnostics, "weak-verb"), None);
    assert_eq!(
        severity(&diagnostics, "placeholder"),
        Some(2),
        "back to the default"
    );

    // Settings that cannot be used are shown as an error and change nothing.
    server.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"reframe": {"rules": {"hedge": "loud"}}}}),
    );
    let shown = server.wait_for(|m| m["method"] == "window/showMessage");
    assert_eq!(shown["params"]["type"], 1);
    let text = shown["params"]["message"].as_str().unwrap();
    assert!(
        text.contains("LSP settings: `rules.hedge` = \"loud\""),
        "{text}"
    );
    let diagnostics = server.diagnostics(&uri(&path), 1);
    assert_eq!(
        severity(&diagnostics, "weak-verb"),
        None,
        "the last good settings stay"
    );

    // A file in the folder wins over the client's settings, key by key.
    std::fs::write(
        scratch.0.join(".reframe.toml"),
        "[rules]\nweak-verb = \"hint\"\n",
    )
    .unwrap();
    // Files on disk are checked again at most every 250 ms while typing (the settings
    // change above was such a check), so the edit comes after that.
    std::thread::sleep(Duration::from_millis(300));
    server.change(&uri(&path), 2, json!([{"text": WRITEUP}]));
    let diagnostics = server.diagnostics(&uri(&path), 2);
    assert_eq!(severity(&diagnostics, "weak-verb"), Some(4));
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

fn show_messages(messages: &[Value]) -> Vec<&Value> {
    messages
        .iter()
        .filter(|m| m["method"] == "window/showMessage")
        .collect()
}

#[test]
fn a_broken_configuration_is_shown_once_and_the_last_good_one_kept() {
    let scratch = Scratch::new("broken");
    let config = scratch.0.join(".reframe.toml");
    let path = scratch.0.join("writeup.md");
    std::fs::write(&config, "[rules]\nweak-verb = \"error\"\n").unwrap();
    std::fs::write(&path, WRITEUP).unwrap();
    let mut server = Server::start();
    initialize(&mut server, Value::Null, false);
    server.open(&uri(&path), 1, WRITEUP);
    assert_eq!(
        severity(&server.diagnostics(&uri(&path), 1), "weak-verb"),
        Some(1)
    );

    // Broken on disk: the next change reports it, once, and keeps weak-verb = error.
    std::fs::write(&config, "[rules]\nweak-verb = \"error\"\nhedge = \"loud\n").unwrap();
    server.change(&uri(&path), 2, json!([{"text": WRITEUP}]));
    assert_eq!(
        severity(&server.diagnostics(&uri(&path), 2), "weak-verb"),
        Some(1)
    );
    server.change(&uri(&path), 3, json!([{"text": WRITEUP}]));
    assert_eq!(
        severity(&server.diagnostics(&uri(&path), 3), "weak-verb"),
        Some(1)
    );
    let messages = server.drain(Duration::from_millis(300));
    let shown = show_messages(&messages);
    assert_eq!(shown.len(), 1, "{messages:#?}");
    assert_eq!(shown[0]["params"]["type"], 1, "an error");
    let text = shown[0]["params"]["message"].as_str().unwrap();
    assert!(
        text.contains(&format!("{}:3: not valid TOML", config.display())),
        "{text}"
    );
    assert!(
        text.contains("keeping the last configuration that worked"),
        "{text}"
    );
    assert!(
        messages.iter().any(|m| m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("not valid TOML"))),
        "logged too"
    );

    // Fixed: the new configuration applies on the next change once the throttle's window
    // (configuration files are looked at most every 250 ms while typing) has passed.
    std::fs::write(&config, "[rules]\nweak-verb = \"hint\"\n").unwrap();
    std::thread::sleep(Duration::from_millis(400));
    server.change(&uri(&path), 4, json!([{"text": WRITEUP}]));
    assert_eq!(
        severity(&server.diagnostics(&uri(&path), 4), "weak-verb"),
        Some(4)
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn a_broken_configuration_from_the_start_uses_the_defaults() {
    let path = root().join("tests/fixtures/config/broken-regex/doc.md");
    let mut server = Server::start();
    initialize(&mut server, Value::Null, false);
    server.open(&uri(&path), 1, WRITEUP);
    let diagnostics = server.diagnostics(&uri(&path), 1);
    // hedge = "off" in the broken file is not applied: the defaults are.
    assert_eq!(severity(&diagnostics, "weak-verb"), Some(3));
    let shown = server.wait_for(|m| m["method"] == "window/showMessage");
    let text = shown["params"]["message"].as_str().unwrap();
    assert!(text.contains("broken-regex/.reframe.toml:5:"), "{text}");
    assert!(text.contains("using the defaults"), "{text}");
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn watched_file_changes_apply_without_an_edit() {
    let scratch = Scratch::new("watched");
    let config = scratch.0.join(".reframe.toml");
    let path = scratch.0.join("writeup.md");
    std::fs::write(&config, "[rules]\nweak-verb = \"error\"\n").unwrap();
    std::fs::write(&path, WRITEUP).unwrap();
    let mut server = Server::start();
    initialize(&mut server, Value::Null, true);
    let registration = server.wait_for(|m| m["method"] == "client/registerCapability");
    let registered = &registration["params"]["registrations"][0];
    assert_eq!(registered["method"], "workspace/didChangeWatchedFiles");
    let globs = registered["registerOptions"]["watchers"].to_string();
    assert!(globs.contains("**/.reframe.toml"), "{globs}");
    server.send(&json!({"jsonrpc": "2.0", "id": registration["id"], "result": null}));

    server.open(&uri(&path), 1, WRITEUP);
    assert_eq!(
        severity(&server.diagnostics(&uri(&path), 1), "weak-verb"),
        Some(1)
    );
    std::fs::write(&config, "[rules]\nweak-verb = \"warning\"\n").unwrap();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&config), "type": 2}]}),
    );
    assert_eq!(
        severity(&server.diagnostics(&uri(&path), 1), "weak-verb"),
        Some(2)
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
}
