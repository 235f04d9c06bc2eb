//! Security: reframe never executes anything, never connects anywhere, writes files only
//! where the user asked (the command line's `--fix` and `new`; the editor applies code
//! actions itself), reads configuration only from the document's folder upward and the
//! template that configuration names, and runs user regexes on a linear-time engine with
//! size limits.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::Server;
use reframe_core::analysis::analyze_text;
use reframe_core::config::{self, Settings};
use reframe_core::document::Document;
use reframe_core::template::Template;
use serde_json::{Value, json};

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            rust_files(&entry, out);
        } else if entry.extension().is_some_and(|e| e == "rs") {
            out.push(entry);
        }
    }
}

/// The lines of a source file that are code: before its unit tests, without comments.
fn code_lines(file: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(file).expect("read source");
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    code.lines()
        .enumerate()
        .map(|(n, line)| (n + 1, line.split("//").next().unwrap_or("").to_string()))
        .collect()
}

/// Ways to run a program or reach the network.
const EXECUTE_OR_CONNECT: &[&str] = &[
    "process::Command",
    "Command::new",
    "tokio::process",
    "std::net",
    "tokio::net",
    "TcpStream",
    "TcpListener",
    "UdpSocket",
    "UnixStream",
    "reqwest",
    "ureq",
    "hyper",
    "libc::system",
    "execv",
];

/// Ways to write, move or delete files.
const WRITE_FILES: &[&str] = &[
    "fs::write",
    "File::create",
    "OpenOptions",
    "create_dir",
    "fs::rename",
    "fs::copy",
    "remove_file",
    "remove_dir",
    "set_permissions",
    "tokio::fs",
];

/// Where files may be written: the command line (`check --fix`, `new`, `init`) and the
/// one edit the server makes when the user picks "Allow … in this folder's .reframe.toml".
const MAY_WRITE: &[&str] = &["src/cli", "crates/reframe-workspace/src/allow.rs"];

/// Files that open files with options to read them without blocking (a FIFO must not
/// stall a read): `OpenOptions` is allowed there, but none of its ways to write.
const OPENS_TO_READ: &[&str] = &["crates/reframe-workspace/src/lib.rs"];

/// The options that would make an open write.
const WRITE_OPTIONS: &[&str] = &[
    ".write(",
    ".create(",
    ".create_new(",
    ".append(",
    ".truncate(",
];

#[test]
fn nothing_executes_or_connects_and_only_the_command_line_writes_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("crates"), &mut files);
    assert!(files.len() > 20, "sources not found: {files:?}");
    let mut violations = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(root).unwrap_or(file);
        let may_write = MAY_WRITE.iter().any(|m| relative.starts_with(m));
        for (n, line) in code_lines(file) {
            for word in EXECUTE_OR_CONNECT {
                if line.contains(word) {
                    violations.push(format!("{}:{n}: {word}", relative.display()));
                }
            }
            let opens_to_read = OPENS_TO_READ.iter().any(|m| relative.starts_with(m));
            for word in WRITE_OPTIONS.iter().filter(|_| opens_to_read) {
                if line.contains(word) {
                    violations.push(format!("{}:{n}: {word}", relative.display()));
                }
            }
            for word in WRITE_FILES
                .iter()
                .filter(|_| !may_write)
                .filter(|w| !(opens_to_read && **w == "OpenOptions"))
            {
                if line.contains(word) {
                    violations.push(format!("{}:{n}: {word}", relative.display()));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));

    // The async runtime is built without its network, process and file-system parts.
    let manifest: toml::Table = std::fs::read_to_string(root.join("Cargo.toml"))
        .expect("Cargo.toml")
        .parse()
        .expect("TOML");
    let features: Vec<&str> = manifest["workspace"]["dependencies"]["tokio"]["features"]
        .as_array()
        .expect("tokio features")
        .iter()
        .filter_map(|f| f.as_str())
        .collect();
    for forbidden in ["full", "net", "process", "fs", "signal"] {
        assert!(
            !features.contains(&forbidden),
            "tokio feature {forbidden:?} is on: {features:?}"
        );
    }
}

/// A scratch folder tree for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("reframe-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        Scratch(dir)
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        std::fs::write(&path, text).expect("write");
        path
    }

    /// Every file under the folder, relative, sorted.
    fn files(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut dirs = vec![self.0.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let relative = path.strip_prefix(&self.0).expect("inside");
                    out.push(relative.display().to_string());
                }
            }
        }
        out.sort();
        out
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

const WRITEUP: &str = "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n- **What You Did**: I helped with the migration; see `$(touch pwned)` and [the wiki](https://example.com/x).\n- **Your Role**: [Responsibilities]\n\n## 2. The Problem/Need\n\nI think maybe it was deployed. <script>alert(1)</script>\n";

fn severity_of(diagnostics: &[Value], code: &str) -> Option<u64> {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .and_then(|d| d["severity"].as_u64())
}

#[test]
fn the_server_reads_configuration_only_from_the_document_folder_upward() {
    let scratch = Scratch::new("config-scope");
    // An ancestor's configuration applies.
    scratch.write(".reframe.toml", "[rules]\nweak-verb = \"error\"\n");
    // A configuration below the document's folder, beside it, in the server's working
    // directory or in the workspace folder the client names does not.
    scratch.write(
        "project/child/.reframe.toml",
        "[rules]\nplaceholder = \"off\"\n",
    );
    scratch.write("sibling/.reframe.toml", "[rules]\nhedge = \"off\"\n");
    scratch.write(
        "cwd/.reframe.toml",
        "[rules]\nplaceholder = \"off\"\nhedge = \"off\"\n",
    );
    let doc = scratch.write("project/doc.md", WRITEUP);
    let before = scratch.files();

    let mut server = Server::start_in(&scratch.0.join("cwd"));
    let workspace = file_uri(&scratch.0.join("sibling"));
    server.request(
        "initialize",
        json!({"processId": null, "rootUri": workspace,
               "workspaceFolders": [{"uri": workspace, "name": "sibling"}],
               "capabilities": {}}),
    );
    server.notify("initialized", json!({}));
    let uri = file_uri(&doc);
    server.open(&uri, 1, WRITEUP);
    let found = server.diagnostics(&uri, 1);
    assert_eq!(severity_of(&found, "weak-verb"), Some(1), "{found:#?}");
    assert_eq!(severity_of(&found, "placeholder"), Some(2), "{found:#?}");
    assert!(severity_of(&found, "hedge").is_some(), "{found:#?}");

    // Documents that are not files use the defaults, and nothing is looked up for them.
    for other in [
        "untitled:Untitled-1",
        "https://example.com/notes/writeup.md",
    ] {
        server.open(other, 1, WRITEUP);
        let found = server.diagnostics(other, 1);
        assert_eq!(
            severity_of(&found, "weak-verb"),
            Some(3),
            "{other}: {found:#?}"
        );
    }

    // Code actions are offered, not applied: the server wrote nothing.
    let reply = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 12, "character": 0}},
               "context": {"diagnostics": []}}),
    );
    assert!(
        reply["result"].as_array().is_some_and(|a| !a.is_empty()),
        "{reply}"
    );
    assert_eq!(server.shutdown_and_exit(), Some(0));
    assert_eq!(scratch.files(), before, "the server changed files");
}

#[test]
fn the_named_template_is_resolved_from_the_configuration_and_reported_when_missing() {
    let scratch = Scratch::new("template-path");
    let template = include_str!("../templates/promotion-packet.md");
    scratch.write("shared/templates/packet.md", template);
    scratch.write(
        "team/.reframe.toml",
        // A relative template outside the configuration's folder must be in one of its
        // template folders (issue 19).
        "templates = [\"../shared/templates\"]\ntemplate = \"../shared/templates/packet.md\"\n",
    );
    scratch.write(
        "broken/.reframe.toml",
        "template = \"nowhere/missing.md\"\n",
    );
    let mut server = Server::start_in(&scratch.0);
    server.initialize(None);

    // Resolved against the configuration's folder: the document is a write-up of the
    // promotion template (two of its headings) and completion offers its next heading.
    let headings: Vec<&str> = template.lines().filter(|l| l.starts_with("## ")).collect();
    let text = format!("{}\n\n{}\n\n## \n", headings[0], headings[1]);
    let doc = scratch.write("team/packet.md", &text);
    let uri = file_uri(&doc);
    server.open(&uri, 1, &text);
    server.diagnostics(&uri, 1);
    let reply = server.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 3}}),
    );
    let labels = reply["result"].to_string();
    let third = headings[2].trim_start_matches("## ");
    assert!(labels.contains(third), "{third}: {labels}");

    // Missing: reported with the path it looked at, and the defaults are used.
    let doc = scratch.write("broken/writeup.md", WRITEUP);
    let uri = file_uri(&doc);
    server.open(&uri, 1, WRITEUP);
    let shown = server.wait_for(|m| {
        m["method"] == "window/showMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("missing.md"))
    });
    let text = shown["params"]["message"].as_str().unwrap_or("");
    assert!(
        text.contains(
            &scratch
                .0
                .join("broken/nowhere/missing.md")
                .display()
                .to_string()
        ),
        "{text}"
    );
    assert!(!server.diagnostics(&uri, 1).is_empty());
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

/// Resolves a configuration file's text (as `/project/.reframe.toml`) and analyses `text`
/// with it, giving the codes found and the configuration's error messages.
fn analyse_with(config: &str, text: &str) -> (Vec<String>, Vec<String>) {
    let (settings, mut report) = Settings::from_toml(
        config,
        "/project/.reframe.toml",
        Some(PathBuf::from("/project")),
    );
    let resolved = config::resolve(&[&settings], Template::builtin().clone(), &mut report);
    let doc = Document::new(text);
    let analysis = analyze_text(&doc, text, &resolved.context_for(None));
    let codes = analysis
        .findings
        .iter()
        .map(|f| f.code.as_str().to_string())
        .collect();
    let problems = report
        .errors
        .iter()
        .chain(&report.warnings)
        .map(|p| p.to_string())
        .collect();
    (codes, problems)
}

#[test]
fn user_regexes_run_in_linear_time_within_size_limits() {
    // Catastrophic backtracking for a backtracking engine; linear here.
    let config = "[[phrases]]\npattern = '(a+)+$'\ncode = \"hedge\"\nmessage = \"m\"\n\
                  [[phrases]]\npattern = '(x|x|x|xx)*y'\ncode = \"hedge\"\nmessage = \"m\"\n";
    let text = format!(
        "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n{} b\n\n{}\n",
        "a".repeat(30_000),
        "x".repeat(30_000)
    );
    let started = Instant::now();
    let (_, problems) = analyse_with(config, &text);
    assert!(problems.is_empty(), "{problems:?}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    // What needs backtracking (backreferences, look-around) is refused, with the reason.
    for pattern in [r"(\w+) \1", r"foo(?=bar)", r"(?<!un)done"] {
        let config =
            format!("[[phrases]]\npattern = '{pattern}'\ncode = \"hedge\"\nmessage = \"m\"\n");
        let (_, problems) = analyse_with(&config, "text\n");
        assert!(
            problems
                .iter()
                .any(|p| p.contains("/project/.reframe.toml:2")),
            "{pattern}: {problems:?}"
        );
    }
    // Over the size limit: refused (tests/config.rs checks the message).
    let config =
        "[[phrases]]\npattern = '(\\w{100}){100}{100}'\ncode = \"hedge\"\nmessage = \"m\"\n";
    let started = Instant::now();
    let (_, problems) = analyse_with(config, "text\n");
    assert!(!problems.is_empty());
    assert!(started.elapsed() < Duration::from_secs(20));
}
