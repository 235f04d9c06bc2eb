//! `reframe check` on many files at once (issue 14): the files are analysed in parallel
//! and the report must not depend on it. A folder of varied write-ups (three templates,
//! a configured phrase code, an unknown front-matter template, a document that is not a
//! write-up, a file that is not UTF-8) is checked with `--jobs 1` and with several jobs,
//! in every format; stdout, stderr and the exit status must be the same byte for byte.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("reframe-jobs-{name}-{}", std::process::id()));
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

/// A folder of write-ups: the examples and format fixtures, several times over with
/// small differences, in two sub-folders, one with its own configuration. Gives the number
/// of readable files.
fn writeups(dir: &Path) -> usize {
    let mut sources: Vec<PathBuf> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let formats = root().join("tests/fixtures/formats");
    sources.extend(
        std::fs::read_dir(&formats)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "md")),
    );
    sources.push(root().join("README.md"));
    sources.sort();
    let configured = dir.join("team");
    std::fs::create_dir_all(&configured).unwrap();
    std::fs::write(
        configured.join(".reframe.toml"),
        "[[phrases]]\npattern = '\\b(?:synergy|pipelines?)\\b'\ncode = \"jargon\"\n\
         message = \"Jargon: say what it is\"\n\n[rules]\npassive-voice = \"off\"\n",
    )
    .unwrap();
    let mut count = 0;
    for copy in 0..4 {
        for (i, source) in sources.iter().enumerate() {
            let text = std::fs::read_to_string(source).unwrap();
            let text = format!("{text}\n- **Note {copy}**: I just helped with copy {copy}.\n");
            let folder = if (i + copy) % 2 == 0 {
                dir
            } else {
                &configured
            };
            std::fs::write(folder.join(format!("w{copy}-{i:02}.md")), text).unwrap();
            count += 1;
        }
    }
    std::fs::write(
        dir.join("unknown.md"),
        "---\ntemplate: no-such-template\n---\n## 1. Project Overview\n\n## 2. Impact\n",
    )
    .unwrap();
    std::fs::write(dir.join("latin1.md"), b"caf\xe9\n").unwrap();
    count + 1
}

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

fn check(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .arg("check")
        .args(args)
        .arg(".")
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("run reframe");
    Run {
        code: output.status.code(),
        stdout: output.stdout,
        stderr: output.stderr,
    }
}

#[test]
fn parallel_and_sequential_reports_are_the_same_bytes() {
    let scratch = Scratch::new("same");
    let files = writeups(&scratch.0);
    for format in ["human", "json", "sarif", "github"] {
        let sequential = check(&scratch.0, &["--format", format, "-j", "1"]);
        // The unreadable file is an error (exit 2), named on stderr; the others are reported.
        assert_eq!(sequential.code, Some(2), "{format}");
        assert!(
            String::from_utf8_lossy(&sequential.stderr).contains("latin1.md"),
            "{format}"
        );
        for jobs in ["2", "3", "8"] {
            let parallel = check(&scratch.0, &["--format", format, "--jobs", jobs]);
            assert_eq!(parallel.code, sequential.code, "{format}, {jobs} jobs");
            assert!(
                parallel.stdout == sequential.stdout,
                "{format}: {jobs} jobs report differently from one"
            );
            assert_eq!(parallel.stderr, sequential.stderr, "{format}, {jobs} jobs");
        }
        if format == "json" {
            let report: serde_json::Value = serde_json::from_slice(&sequential.stdout).unwrap();
            // Every file but the unreadable one, in the walk's order (sorted by name).
            let paths: Vec<&str> = report
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["path"].as_str().unwrap())
                .collect();
            assert_eq!(paths.len(), files);
            let mut sorted = paths.clone();
            sorted.sort_unstable();
            assert_eq!(paths, sorted, "files are reported in the order of the walk");
        }
    }
    let summary = check(&scratch.0, &["--summary", "-j", "1"]);
    assert_eq!(
        check(&scratch.0, &["--summary", "-j", "4"]).stdout,
        summary.stdout
    );
}

#[test]
fn sarif_rule_indexes_point_at_their_rules() {
    let scratch = Scratch::new("sarif");
    writeups(&scratch.0);
    let run = check(&scratch.0, &["--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let mut custom = std::collections::HashSet::new();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result}");
        custom.insert(result["ruleId"].as_str().unwrap().to_string());
    }
    // Both codes from outside the catalog occur, each listed once.
    for code in ["jargon", "unknown-template"] {
        assert!(custom.contains(code), "{code} occurs");
        assert_eq!(
            rules.iter().filter(|r| r["id"] == code).count(),
            1,
            "{code}"
        );
    }
}

#[test]
fn a_json_report_with_no_files_is_an_empty_array() {
    let scratch = Scratch::new("empty");
    let run = check(&scratch.0, &["--format", "json"]);
    assert_eq!(run.code, Some(0));
    assert_eq!(String::from_utf8(run.stdout).unwrap(), "[]\n");
    let run = check(&scratch.0, &["--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}
