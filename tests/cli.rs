//! The command line, run as a real process: output formats (parsed, not grepped), exit
//! codes, `--fail-on`, `--fix`, `--config`, stdin, broken configurations, and `new`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn reframe(args: &[&str]) -> Output {
    reframe_with_stdin(args, None)
}

fn reframe_with_stdin(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run reframe");
    {
        let mut input = child.stdin.take().expect("stdin");
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).expect("write stdin");
        }
    }
    child.wait_with_output().expect("wait")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8 stderr")
}

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("reframe-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const EXAMPLE: &str = "examples/ci-migration.md";

/// How many findings the example has (from `--format json`): every format reports the
/// same ones, whatever the wording rules find today.
fn example_findings() -> usize {
    let output = reframe(&["check", "--format", "json", EXAMPLE]);
    let files: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let count = files[0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .len();
    assert!(
        count >= 7,
        "the example has its placeholders and fields: {count}"
    );
    count
}

#[test]
fn human_output_ends_with_a_summary_per_file_and_has_no_colour_when_piped() {
    let output = reframe(&["check", EXAMPLE, "tests/fixtures/readme.md"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(!text.contains('\x1b'), "colour in piped output");
    assert!(
        text.contains("information[weak-verb]: ")
            && text.contains(" --> examples/ci-migration.md:13:23\n"),
        "{text}"
    );
    assert!(text.contains(
        "= help: https://github.com/reframe-ls/reframe/blob/main/docs/rules.md#weak-verb"
    ));
    let lines: Vec<&str> = text.lines().collect();
    let n = lines.len();
    // The counts of wording findings belong to the wording rules' tests; here the shape.
    let summary = lines[n - 2];
    assert!(
        summary.starts_with("examples/ci-migration.md: 5 warnings, ")
            && summary.contains(" — 8/8 sections, 2 placeholders left — readiness "),
        "{summary}"
    );
    assert_eq!(
        lines[n - 1],
        "tests/fixtures/readme.md: not a write-up of the ops-writeup template, not checked"
    );
}

#[test]
fn json_output_is_lsp_diagnostics_per_file() {
    let output = reframe(&["check", "--format", "json", EXAMPLE]);
    assert_eq!(output.status.code(), Some(1));
    let files: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(files[0]["path"], EXAMPLE);
    let diagnostics = files[0]["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), example_findings());
    let weak = diagnostics
        .iter()
        .find(|d| d["code"] == "weak-verb")
        .expect("weak-verb");
    assert_eq!(weak["range"]["start"]["line"], 12);
    assert_eq!(weak["range"]["start"]["character"], 22);
    assert_eq!(weak["severity"], 3);
    assert_eq!(weak["source"], "reframe");
}

#[test]
fn sarif_output_has_the_required_fields() {
    let output = reframe(&["check", "--format", "sarif", EXAMPLE]);
    assert_eq!(output.status.code(), Some(1));
    let log: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "reframe");
    let rules = driver["rules"].as_array().expect("rules");
    assert!(rules.len() >= 13);
    for rule in rules {
        assert!(rule["id"].is_string());
        assert!(rule["shortDescription"]["text"].is_string());
    }
    let results = runs[0]["results"].as_array().expect("results");
    assert_eq!(results.len(), example_findings());
    for result in results {
        // Required by the schema: message; asked for: ruleId and locations.
        assert!(
            result["message"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        let rule_id = result["ruleId"].as_str().expect("ruleId");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], rule_id);
        assert!(["error", "warning", "note", "none"].contains(&result["level"].as_str().unwrap()));
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], EXAMPLE);
        let region = &location["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
        assert!(region["endLine"].as_u64().unwrap() >= region["startLine"].as_u64().unwrap());
    }
    let weak = results
        .iter()
        .find(|r| r["ruleId"] == "weak-verb")
        .expect("weak-verb");
    assert_eq!(
        weak["locations"][0]["physicalLocation"]["region"]["startLine"],
        13
    );
    assert_eq!(
        weak["locations"][0]["physicalLocation"]["region"]["startColumn"],
        23
    );
}

#[test]
fn github_output_is_workflow_commands() {
    let output = reframe(&["check", "--format", "github", EXAMPLE]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), example_findings());
    for line in &lines {
        let (command, rest) = line.strip_prefix("::").unwrap().split_once(' ').unwrap();
        assert!(["error", "warning", "notice"].contains(&command), "{line}");
        let (properties, message) = rest.split_once("::").unwrap();
        assert!(
            properties.starts_with("file=examples/ci-migration.md,line="),
            "{line}"
        );
        assert!(!message.is_empty() && !message.contains('\n'));
    }
    assert!(lines.contains(&"::warning file=examples/ci-migration.md,line=14,col=18,endLine=14,endColumn=36,title=reframe placeholder::Unfilled template placeholder [Responsibilities] in “Your Role”: replace it with your own text"), "{text}");
}

#[test]
fn fail_on_sets_the_threshold() {
    // The example has warnings at most.
    assert_eq!(
        reframe(&["check", "--fail-on", "error", EXAMPLE])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        reframe(&["check", "--fail-on", "warning", EXAMPLE])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        reframe(&["check", "--fail-on", "hint", EXAMPLE])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        reframe(&["check", "--fail-on", "never", EXAMPLE])
            .status
            .code(),
        Some(0)
    );
    // A file of hints and information only fails from `information` down.
    let scratch = Scratch::new("fail-on");
    let soft = scratch.write(
        "soft.md",
        "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n- **What You Did**: I just moved 14 services.\n- **Your Role**: Lead.\n- **Environment**: AWS.\n",
    );
    let soft = soft.to_str().unwrap();
    assert_eq!(reframe(&["check", soft]).status.code(), Some(0));
    assert_eq!(
        reframe(&["check", "--fail-on", "information", soft])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    let missing = reframe(&["check", "no/such/file.md"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no/such/file.md: no such file or directory"));
    assert_eq!(
        reframe(&["check", "--format", "xml", EXAMPLE])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        reframe(&["check", "--no-such-flag", EXAMPLE]).status.code(),
        Some(2)
    );
    // `reframe check` with no path checks `.` (tests/cli_walk.rs), not a usage error.
}

#[test]
fn stdin_is_read_with_a_dash() {
    let text = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let output = reframe_with_stdin(&["check", "--format", "json", "-"], Some(&text));
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let files: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(files[0]["path"], "<stdin>");
    assert_eq!(
        files[0]["diagnostics"].as_array().unwrap().len(),
        example_findings()
    );
    let clean = reframe_with_stdin(&["check", "-"], Some("# Just a README\n"));
    assert_eq!(clean.status.code(), Some(0));
}

#[test]
fn fix_applies_the_safe_fixes_atomically() {
    let scratch = Scratch::new("fix");
    let original = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let path = scratch.write("writeup.md", &original);
    let output = reframe(&["check", "--fix", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let fixed = std::fs::read_to_string(&path).unwrap();
    assert_ne!(fixed, original);
    assert!(
        fixed.contains("## 5. Impact (Ops Style)"),
        "heading completed"
    );
    assert!(
        fixed.contains("- **Solution Overview**: I set up reusable"),
        "minimizer dropped"
    );
    assert!(fixed.contains("I wrote Terraform"), "minimizer dropped");
    // Nothing else changed: the unsafe findings are still in the text.
    assert!(fixed.contains("I helped with the migration"));
    let files: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let codes: Vec<&str> = files[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        !codes.contains(&"minimizer") && !codes.contains(&"section-heading"),
        "{codes:?}"
    );
    assert!(codes.contains(&"weak-verb"));
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(&scratch.0)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["writeup.md"]);
    // A second run has nothing left to fix and leaves the file as it is.
    reframe(&["check", "--fix", path.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fixed);
}

#[cfg(unix)]
#[test]
fn fix_through_a_symbolic_link_keeps_the_link() {
    let scratch = Scratch::new("fix-link");
    let original = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let target = scratch.write("real/writeup.md", &original);
    let link = scratch.0.join("link.md");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    reframe(&["check", "--fix", link.to_str().unwrap()]);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        !std::fs::read_to_string(&target)
            .unwrap()
            .contains("I just set up")
    );
}

#[test]
fn fix_on_stdin_prints_the_fixed_text() {
    let output = reframe_with_stdin(
        &["check", "--fix", "-"],
        Some(
            "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\nI just set it up.\n\n## Impact\n\nFaster.\n",
        ),
    );
    assert_eq!(
        stdout(&output),
        "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\nI set it up.\n\n## 5. Impact (Ops Style)\n\nFaster.\n"
    );
    assert!(
        stderr(&output).contains("<stdin>: "),
        "report on stderr: {}",
        stderr(&output)
    );
}

#[test]
fn a_configured_folder_gives_its_templates_findings() {
    let output = reframe(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/config/promotion/packets/alex.md",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let files: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let found: Vec<(u64, &str, u64)> = files[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
                d["code"].as_str().unwrap(),
                d["severity"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (6, "empty-frontmatter", 3),
            (14, "weak-verb", 3),
            (16, "placeholder", 1),
            (27, "weak-verb", 3),
            (27, "jargon", 2),
            (30, "missing-section", 3),
            (33, "template-prompt", 2),
            (36, "missing-section", 3),
            (39, "empty-field", 2),
        ]
    );
    let text = stdout(&output);
    assert!(
        !text.contains("ops-writeup") && !text.contains("Project Overview"),
        "{text}"
    );
    assert!(text.contains("5. Influence and Mentoring"));
}

#[test]
fn config_option_overrides_discovery() {
    let output = reframe(&[
        "check",
        "--format",
        "json",
        "--config",
        "tests/fixtures/config/nearest/.reframe.toml",
        "tests/fixtures/config/nearest/inner/deep/writeup.md",
    ]);
    let files: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let weak = files[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "weak-verb")
        .expect("weak-verb");
    assert_eq!(weak["severity"], 1, "weak-verb = error from --config");
    // Without --config the nearest file (hedge = warning, weak-verb default) applies.
    let output = reframe(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/config/nearest/inner/deep/writeup.md",
    ]);
    let files: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let diagnostics = files[0]["diagnostics"].as_array().unwrap();
    let severity =
        |code: &str| diagnostics.iter().find(|d| d["code"] == code).unwrap()["severity"].clone();
    assert_eq!(severity("weak-verb"), 3);
    assert_eq!(severity("hedge"), 2);
}

#[test]
fn broken_configurations_exit_2_naming_file_and_line() {
    let cases = [
        ("broken-toml", ".reframe.toml:5: not valid TOML"),
        ("broken-regex", ".reframe.toml:5: [[phrases]]"),
        (
            "missing-template",
            ".reframe.toml:2: cannot read the template",
        ),
    ];
    for (dir, expected) in cases {
        let config = format!("tests/fixtures/config/{dir}/.reframe.toml");
        let output = reframe(&["check", "--config", &config, EXAMPLE]);
        assert_eq!(output.status.code(), Some(2), "{dir}");
        let err = stderr(&output);
        assert!(
            err.contains(&format!("tests/fixtures/config/{dir}/{expected}")),
            "{dir}: {err}"
        );
    }
}

#[test]
fn unknown_keys_warn_but_do_not_fail() {
    let output = reframe(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/config/unknown-keys/writeup.md",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("unknown-keys/.reframe.toml:1: unknown key `colour`: ignored"),
        "{err}"
    );
    assert!(
        err.contains("unknown-keys/.reframe.toml:5: unknown rule code `no-such-rule`"),
        "{err}"
    );
    assert!(
        err.contains("unknown-keys/.reframe.toml:9: unknown key `words` in [allow]"),
        "{err}"
    );
    let files: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let weak = files[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "weak-verb")
        .unwrap()
        .clone();
    assert_eq!(weak["severity"], 1, "the known keys still apply");
}

#[test]
fn new_writes_a_dated_writeup_and_never_overwrites() {
    let scratch = Scratch::new("new");
    let target = scratch.0.join("deep/er/project.md");
    let output = reframe(&["new", target.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("---\ntitle:\n"), "{text}");
    assert!(text.contains("\ntemplate: ops-writeup\n"));
    let date = text.lines().find_map(|l| l.strip_prefix("date: ")).unwrap();
    assert_ne!(date, "2025-11-09", "today's date, not the template's");
    assert_eq!(date.len(), 10);
    assert!(date.starts_with("20") && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-');
    assert!(text.contains("## 1. Project Overview\n\n- **What You Did**: [Brief description]"));
    // The new write-up is recognised at once and lists what is left to fill.
    let check = reframe(&["check", "--format", "json", target.to_str().unwrap()]);
    let files: Value = serde_json::from_str(&stdout(&check)).unwrap();
    assert!(
        files[0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "placeholder")
    );

    std::fs::write(&target, "mine").unwrap();
    let again = reframe(&["new", target.to_str().unwrap()]);
    assert_ne!(again.status.code(), Some(0));
    assert!(stderr(&again).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
}

#[test]
fn new_uses_the_given_or_configured_template() {
    let scratch = Scratch::new("new-template");
    let template = root().join("templates/promotion-packet.md");
    let given = scratch.0.join("given.md");
    let output = reframe(&[
        "new",
        given.to_str().unwrap(),
        "--template",
        template.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = std::fs::read_to_string(&given).unwrap();
    assert!(text.contains("\ntemplate: promotion-packet\n"), "{text}");
    assert!(text.contains("## 3. Key Projects"));
    assert!(!text.contains("Project Overview"));

    scratch.write(
        ".reframe.toml",
        &format!("template = {:?}\n", template.to_str().unwrap()),
    );
    let configured = scratch.0.join("packets/new.md");
    let output = reframe(&["new", configured.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = std::fs::read_to_string(&configured).unwrap();
    assert!(text.contains("\ntemplate: promotion-packet\n"), "{text}");

    let missing = reframe(&[
        "new",
        scratch.0.join("x.md").to_str().unwrap(),
        "--template",
        "no/such.md",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(!scratch.0.join("x.md").exists());
}
