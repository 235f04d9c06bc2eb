//! Hostile and pathological input through the real server (issue 19): each case has a
//! time limit and a limit on the server's peak memory (`VmHWM` from /proc), and while the
//! hostile document is being analysed a request on another, small document must be
//! answered at once. The bounds are for a debug build on two shared cores; the old server
//! (one lock, analysis on the runtime thread) failed the small-document bound in every
//! case by seconds.
//!
//! The cases run one at a time (a lock), so that their timings do not mix.
//!
//! The cases of the issue whose cost was in the core (long sentences, blank and bracket
//! floods, many headings, big write-ups, big templates) are in `tests/hostile.rs`, with
//! the bounds for a release binary.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

mod common;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::Server;
use serde_json::json;

const SMALL_TEXT: &str = include_str!("../examples/ci-migration.md");
const SMALL: &str = "file:///tmp/reframe-hostile/small.md";

/// A request on the small document while the hostile one is analysed.
const OTHER_DOCUMENT: Duration = Duration::from_millis(500);

/// Peak memory of the server for any case.
const PEAK_KB: u64 = 200 * 1024;

/// One case at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn peak_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| {
            let value = line.strip_prefix("VmHWM:")?;
            value.trim().trim_end_matches("kB").trim().parse().ok()
        })
        .unwrap_or(0)
}

/// A server with the small document open and analysed.
fn started() -> Server {
    let mut server = Server::start();
    server.initialize(None);
    server.open(SMALL, 1, SMALL_TEXT);
    server.diagnostics(SMALL, 1);
    server
}

/// Times a hover on the small document's first section heading.
fn hover_small(server: &mut Server) -> Duration {
    let asked = Instant::now();
    let reply = server.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": SMALL}, "position": {"line": 10, "character": 5}}),
    );
    let took = asked.elapsed();
    assert!(reply["result"]["contents"].is_object(), "{reply}");
    took
}

/// Checks the bounds and prints the figures.
fn check(name: &str, server: &Server, hover: Duration, took: Duration, limit: Duration) {
    let peak = peak_kb(server.pid());
    eprintln!(
        "{name}: diagnostics after {took:?}, hover on another document {hover:?}, peak {} MB",
        peak / 1024
    );
    assert!(
        hover < OTHER_DOCUMENT,
        "{name}: a hover on another document waited {hover:?}"
    );
    assert!(took < limit, "{name}: {took:?}");
    assert!(peak < PEAK_KB, "{name}: peak memory {peak} kB");
}

fn writeup(body: &str) -> String {
    format!("---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n{body}\n")
}

/// A folder with a `.reframe.toml` whose template is `template`.
fn folder_with_template(name: &str, template: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("reframe-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(".reframe.toml"),
        format!("template = {}\n", json!(template)),
    )
    .unwrap();
    dir
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The server keeps answering when a configuration names a template it must not read.
fn template_case(name: &str, dir: &Path) {
    let mut server = started();
    let limit = Duration::from_secs(10);
    let path = dir.join("doc.md");
    let uri = file_uri(&path);
    let opened = Instant::now();
    server.open(&uri, 1, &writeup("I helped with it."));
    std::thread::sleep(Duration::from_millis(50));
    let hover = hover_small(&mut server);
    server.diagnostics_within(limit, &uri, 1);
    check(name, &server, hover, opened.elapsed(), limit);
    assert_eq!(server.shutdown_and_exit(), Some(0));
}

#[test]
fn a_template_of_dev_zero() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let dir = folder_with_template("zero", "/dev/zero");
    template_case("template = /dev/zero", &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_template_that_is_a_fifo() {
    let _serial = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    let dir = folder_with_template("fifo", "pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("pipe.md"))
        .status()
        .unwrap();
    assert!(made.success());
    template_case("template = a FIFO", &dir);
    let _ = std::fs::remove_dir_all(&dir);
}
