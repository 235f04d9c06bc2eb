//! The command line as a linter people already use (issue 16) and the files it reads on
//! its own (issue 19): the folder walk (ignore files, links, FIFOs, `exclude`, the
//! template file), path normalisation for globs, front-matter templates, `--stdin-filename`,
//! usage errors, display-width carets and colour, `init`, completions and the man page,
//! refused templates and configurations, and `--fix` that never loses an edit.
//!
//! Every run has a time limit: a run that could hang (a FIFO, a link loop) is killed and
//! the test fails.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// How long one run may take. A hang (a FIFO read, a link loop) never ends, so the limit
/// only needs to be far above a debug build's start-up and check on a busy two-core machine.
const LIMIT: Duration = Duration::from_secs(90);

/// Runs reframe in `dir` with `stdin`, killed after [`LIMIT`] (a failure).
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    run_with(dir, args, env, stdin, LIMIT, |_| {})
}

fn run_with(
    dir: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: Option<&str>,
    limit: Duration,
    meanwhile: impl FnOnce(u32),
) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reframe"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("run reframe");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).ok();
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        err.read_to_string(&mut s).ok();
        s
    });
    meanwhile(child.id());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("reframe {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code(),
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_in(dir, args, &[], None)
}

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("reframe-walk-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(std::fs::canonicalize(&dir).unwrap())
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn example() -> String {
    std::fs::read_to_string(root().join("examples/ci-migration.md")).unwrap()
}

/// The paths in the human summary lines (one line per checked file, at the end).
fn summary_paths(out: &str) -> Vec<String> {
    out.lines()
        .filter(|l| {
            !l.starts_with(' ')
                && (l.contains(": not a write-up") || l.contains(" sections, "))
                && !l.contains('[')
        })
        .map(|l| l.split(": ").next().unwrap().to_string())
        .collect()
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

#[test]
fn the_walk_honours_gitignore_and_ignore_files_unless_no_ignore() {
    let s = Scratch::new("gitignore");
    s.write("a.md", "# A\n");
    s.write("build/b.md", "# B\n");
    s.write("private/c.md", "# C\n");
    s.write(".gitignore", "build/\n");
    s.write(".ignore", "private/\n");
    let out = run(s.path(), &["check", "."]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(summary_paths(&out.stdout), ["./a.md"]);
    let all = run(s.path(), &["check", "--no-ignore", "."]);
    assert_eq!(
        summary_paths(&all.stdout),
        ["./a.md", "./build/b.md", "./private/c.md"]
    );
}

#[test]
fn no_path_checks_the_current_folder() {
    let s = Scratch::new("nopath");
    s.write("a.md", "# A\n");
    s.write("sub/b.md", "# B\n");
    let out = run(s.path(), &["check"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(summary_paths(&out.stdout), ["a.md", "sub/b.md"]);
}

#[cfg(unix)]
#[test]
fn link_loops_end_and_no_file_is_reported_twice() {
    let s = Scratch::new("loops");
    s.write("a.md", "# A\n");
    s.write("sub/b.md", "# B\n");
    std::os::unix::fs::symlink(".", s.path().join("self")).unwrap();
    std::os::unix::fs::symlink("..", s.path().join("sub/up")).unwrap();
    std::os::unix::fs::symlink("a.md", s.path().join("alias.md")).unwrap();
    let out = run(s.path(), &["check", "."]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    // Links to folders are not followed; a link to a file already seen is that file.
    assert_eq!(summary_paths(&out.stdout), ["./a.md", "./sub/b.md"]);
    let followed = run(s.path(), &["check", "--follow-links", "."]);
    assert_eq!(followed.code, Some(0), "{}", followed.stderr);
    assert_eq!(summary_paths(&followed.stdout), ["./a.md", "./sub/b.md"]);
    assert!(followed.stderr.contains("loop"), "{}", followed.stderr);
    // Naming the same file twice checks it once.
    let twice = run(s.path(), &["check", "a.md", "./a.md", "alias.md"]);
    assert_eq!(summary_paths(&twice.stdout), ["a.md"]);
}

#[cfg(unix)]
#[test]
fn a_fifo_named_md_never_blocks_the_walk_and_is_refused_by_name() {
    let s = Scratch::new("fifo");
    s.write("a.md", "# A\n");
    mkfifo(&s.path().join("x.md"));
    let out = run(s.path(), &["check", "."]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(summary_paths(&out.stdout), ["./a.md"]);
    let named = run(s.path(), &["check", "x.md", "a.md"]);
    assert_eq!(named.code, Some(2));
    assert!(
        named
            .stderr
            .contains("x.md: cannot read: is not a regular file"),
        "{}",
        named.stderr
    );
    assert_eq!(summary_paths(&named.stdout), ["a.md"]);
}

#[test]
fn exclude_globs_and_the_template_file_are_left_out_of_the_walk() {
    let s = Scratch::new("exclude");
    s.write(
        ".reframe.toml",
        "template = \"tpl/mine.md\"\nexclude = [\"drafts\", \"**/*.old.md\"]\n",
    );
    let template = std::fs::read_to_string(root().join("templates/ops-writeup.md")).unwrap();
    s.write("tpl/mine.md", &template);
    s.write("a.md", "# A\n");
    s.write("drafts/d.md", "# D\n");
    s.write("notes/n.old.md", "# N\n");
    s.write("notes/n.md", "# N\n");
    let out = run(s.path(), &["check", "."]);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    assert_eq!(summary_paths(&out.stdout), ["./a.md", "./notes/n.md"]);
    let named = run(s.path(), &["check", "tpl/mine.md"]);
    assert!(
        named.stderr.contains("the configured template"),
        "{}",
        named.stderr
    );
    assert!(summary_paths(&named.stdout).is_empty());
}

#[cfg(unix)]
#[test]
fn globs_match_dot_slash_absolute_and_linked_paths_alike() {
    let s = Scratch::new("normalise");
    s.write(".reframe.toml", "writeups = [\"*.md\"]\n");
    s.write("001.md", "Just some notes.\n");
    std::os::unix::fs::symlink(s.path(), s.path().with_extension("link")).unwrap();
    let linked = s.path().with_extension("link").join("001.md");
    let absolute = s.path().join("001.md");
    for path in [
        "001.md",
        "./001.md",
        absolute.to_str().unwrap(),
        linked.to_str().unwrap(),
    ] {
        let out = run(s.path(), &["check", "--format", "json", path]);
        let files: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let diagnostics = files[0]["diagnostics"].as_array().unwrap();
        assert!(
            diagnostics.iter().any(|d| d["code"] == "missing-section"),
            "{path} not treated as a write-up: {}",
            out.stdout
        );
    }
    let _ = std::fs::remove_file(s.path().with_extension("link"));
}

#[test]
fn stdin_filename_gives_configuration_globs_and_name() {
    let s = Scratch::new("stdinname");
    s.write(".reframe.toml", "writeups = [\"writeups/*.md\"]\n");
    std::fs::create_dir_all(s.path().join("writeups")).unwrap();
    let text = "Just some notes about a project.\n";
    let plain = run_in(s.path(), &["check", "-"], &[], Some(text));
    assert!(
        plain.stdout.contains("<stdin>: not a write-up"),
        "{}",
        plain.stdout
    );
    let named = run_in(
        s.path(),
        &["check", "--stdin-filename", "writeups/p.md", "-"],
        &[],
        Some(text),
    );
    assert!(
        named.stdout.contains("writeups/p.md: ") && named.stdout.contains("sections"),
        "{}",
        named.stdout
    );
    assert!(
        named.stdout.contains("--> writeups/p.md:"),
        "{}",
        named.stdout
    );
}

#[test]
fn options_that_cannot_work_together_are_usage_errors() {
    for format in ["sarif", "github"] {
        let out = run(
            root(),
            &["check", "--summary", "--format", format, "examples/"],
        );
        assert_eq!(out.code, Some(2), "{format}");
        assert!(out.stderr.contains("--summary"), "{}", out.stderr);
        assert!(out.stdout.is_empty());
    }
    let out = run(root(), &["check", "--stdin-filename", "a.md", "examples/"]);
    assert_eq!(out.code, Some(2));
}

/// Terminal columns of `text`: CJK ideographs and emoji take two.
fn columns(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            0xFF00..=0xFF60 | 0x1F300..=0x1FAFF => 2,
            _ => 1,
        })
        .sum()
}

#[test]
fn carets_sit_under_the_finding_by_display_width() {
    let s = Scratch::new("carets");
    let line = "漢字の説明 🎉🎉 and I just fixed the build for the team.";
    s.write(
        "w.md",
        &format!("---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n{line}\n"),
    );
    let out = run(s.path(), &["check", "--fail-on", "never", "w.md"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.ends_with(line))
        .unwrap_or_else(|| panic!("{}", out.stdout));
    let source = lines[at];
    let carets = lines[at + 1];
    let gutter = source.len() - line.len();
    let caret_col = columns(&carets[..carets.find('^').expect("carets")]);
    let expected = columns(&source[..gutter]) + columns(&line[..line.find("just").unwrap()]);
    assert_eq!(caret_col, expected, "\n{source}\n{carets}");
    assert_eq!(carets.trim_start_matches([' ', '|']).trim(), "^^^^");
}

#[test]
fn colour_follows_color_no_color_and_clicolor_force() {
    let args = ["check", "--fail-on", "never", "examples/ci-migration.md"];
    let has_colour = |r: &Run| r.stdout.contains('\x1b');
    assert!(
        !has_colour(&run(root(), &args)),
        "piped output has no colour"
    );
    let mut always = args.to_vec();
    always.insert(1, "--color=always");
    assert!(has_colour(&run(root(), &always)));
    let mut never = args.to_vec();
    never.insert(1, "--color=never");
    assert!(!has_colour(&run_in(
        root(),
        &never,
        &[("CLICOLOR_FORCE", "1")],
        None
    )));
    assert!(has_colour(&run_in(
        root(),
        &args,
        &[("CLICOLOR_FORCE", "1")],
        None
    )));
    assert!(!has_colour(&run_in(
        root(),
        &args,
        &[("NO_COLOR", "1")],
        None
    )));
}

#[test]
fn front_matter_picks_a_builtin_or_configured_template_and_names_unknown_ones() {
    let s = Scratch::new("frontmatter");
    let out = run(
        s.path(),
        &[
            "new",
            "--template",
            root()
                .join("templates/promotion-packet.md")
                .to_str()
                .unwrap(),
            "promo/p.md",
        ],
    );
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let checked = run(s.path(), &["check", "--fail-on", "never", "promo/p.md"]);
    assert!(
        !checked.stdout.contains("Project Overview"),
        "checked against the ops template: {}",
        checked.stdout
    );
    // Every section of the promotion packet is there: none missing, all counted.
    assert!(!checked.stdout.contains("is missing"), "{}", checked.stdout);
    let summary = checked
        .stdout
        .lines()
        .find(|l| l.starts_with("promo/p.md: "))
        .unwrap();
    let sections = summary.split(" — ").nth(1).unwrap();
    let (present, total) = sections.split(' ').next().unwrap().split_once('/').unwrap();
    assert_eq!(present, total, "{summary}");

    // A template in a configured folder, by name.
    s.write(".reframe.toml", "templates = [\"tpl/\"]\n");
    s.write(
        "tpl/tiny.md",
        "---\ntitle:\n---\n## 1. Goal\n- **Aim**: [the aim]\n\n## 2. Outcome\n- **Result**: [the result]\n",
    );
    s.write(
        "t.md",
        "---\ntemplate: tiny\n---\n## 1. Goal\n- **Aim**: [the aim]\n",
    );
    let tiny = run(s.path(), &["check", "--format", "json", "t.md"]);
    let files: serde_json::Value = serde_json::from_str(&tiny.stdout).unwrap();
    let messages: Vec<String> = files[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("2. Outcome")),
        "{messages:?}"
    );

    // An unknown name: a finding on the front-matter line naming the known templates.
    s.write("u.md", "---\ntemplate: nonesuch\n---\n# U\n");
    let unknown = run(s.path(), &["check", "--format", "json", "u.md"]);
    let files: serde_json::Value = serde_json::from_str(&unknown.stdout).unwrap();
    let finding = files[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "unknown-template")
        .cloned()
        .unwrap_or_else(|| panic!("{}", unknown.stdout));
    assert_eq!(finding["range"]["start"]["line"], 1);
    let message = finding["message"].as_str().unwrap();
    for name in ["nonesuch", "ops-writeup", "promotion-packet", "tiny"] {
        assert!(message.contains(name), "{message}");
    }
    assert_eq!(unknown.code, Some(1));
    let sarif = run(s.path(), &["check", "--format", "sarif", "u.md"]);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let rule = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "unknown-template")
        .cloned()
        .unwrap();
    assert!(
        rule["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("template"),
        "{rule}"
    );

    let listed = run(s.path(), &["templates"]);
    assert_eq!(listed.code, Some(0), "{}", listed.stderr);
    let names: Vec<&str> = listed
        .stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    // The built-in templates first (whatever else is built in), then the configured ones.
    assert_eq!(names[..2], ["ops-writeup", "promotion-packet"]);
    assert_eq!(names.last(), Some(&"tiny"), "{names:?}");
}

#[test]
fn init_writes_a_commented_configuration_once() {
    let s = Scratch::new("init");
    let out = run(s.path(), &["init"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let text = std::fs::read_to_string(s.path().join(".reframe.toml")).unwrap();
    assert!(text.starts_with("#:schema https://"), "{text}");
    assert!(text.lines().filter(|l| l.starts_with('#')).count() > 10);
    // It is a configuration reframe reads without a warning.
    s.write("a.md", "# A\n");
    let checked = run(s.path(), &["check", "a.md"]);
    assert_eq!(checked.code, Some(0), "{}", checked.stderr);
    assert!(checked.stderr.is_empty(), "{}", checked.stderr);
    std::fs::write(s.path().join(".reframe.toml"), "# mine\n").unwrap();
    let again = run(s.path(), &["init"]);
    assert_eq!(again.code, Some(1));
    assert!(again.stderr.contains("not overwritten"));
    assert_eq!(
        std::fs::read_to_string(s.path().join(".reframe.toml")).unwrap(),
        "# mine\n"
    );
}

#[test]
fn completions_man_page_and_help_with_exit_statuses() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = run(root(), &["completions", shell]);
        assert_eq!(out.code, Some(0), "{shell}");
        assert!(out.stdout.contains("reframe"), "{shell}");
        assert!(out.stdout.contains("stdin-filename"), "{shell}");
    }
    let man = run(root(), &["man"]);
    assert_eq!(man.code, Some(0));
    assert!(man.stdout.contains(".TH reframe"), "{}", &man.stdout[..200]);
    assert!(man.stdout.contains("Exit status"));
    let help = run(root(), &["--help"]);
    assert!(help.stdout.contains("Exit status:"), "{}", help.stdout);
    assert!(help.stdout.contains("2  a usage error"));
    let check_help = run(root(), &["check", "--help"]);
    for flag in [
        "--no-ignore",
        "--follow-links",
        "--stdin-filename",
        "--color",
    ] {
        assert!(check_help.stdout.contains(flag), "{flag}");
    }
}

#[cfg(unix)]
#[test]
fn templates_and_configurations_that_are_not_regular_files_are_refused_at_their_line() {
    let s = Scratch::new("special");
    s.write("a.md", "# A\n");
    mkfifo(&s.path().join("fifo.md"));
    std::fs::create_dir_all(s.path().join("folder.md")).unwrap();
    for (template, says) in [
        ("fifo.md", "is not a regular file"),
        ("folder.md", "is a directory"),
        ("/dev/zero", "is not a regular file"),
    ] {
        s.write(
            ".reframe.toml",
            &format!("# line 1\ntemplate = \"{template}\"\n"),
        );
        let out = run_in(s.path(), &["check", "a.md"], &[], None);
        assert_eq!(out.code, Some(2), "{template}: {}", out.stderr);
        assert!(
            out.stderr.contains(".reframe.toml:2:"),
            "{template}: {}",
            out.stderr
        );
        assert!(out.stderr.contains(says), "{template}: {}", out.stderr);
    }
    // The configuration itself: a FIFO is refused, not waited on.
    std::fs::remove_file(s.path().join(".reframe.toml")).unwrap();
    mkfifo(&s.path().join(".reframe.toml"));
    let out = run(s.path(), &["check", "a.md"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("is not a regular file"),
        "{}",
        out.stderr
    );
    std::fs::remove_file(s.path().join(".reframe.toml")).unwrap();
    let out = run(s.path(), &["check", "--config", ".", "a.md"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("is a directory"), "{}", out.stderr);
}

#[test]
fn templates_and_configurations_are_read_up_to_a_size_limit() {
    let s = Scratch::new("sizes");
    s.write("a.md", "# A\n");
    let big = format!(
        "## 1. A\n- **Field**: [x]\n{}",
        "text\n".repeat(1024 * 1024 / 5 + 10)
    );
    s.write("big.md", &big);
    s.write(".reframe.toml", "template = \"big.md\"\n");
    let out = run(s.path(), &["check", "a.md"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("larger than 1024 KB"), "{}", out.stderr);
    s.write(
        ".reframe.toml",
        &format!("# {}\n", "x".repeat(1024 * 1024 + 1)),
    );
    let out = run(s.path(), &["check", "a.md"]);
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("larger than 1024 KB"), "{}", out.stderr);
}

#[cfg(unix)]
#[test]
fn a_relative_template_path_stays_inside_the_configuration_folder() {
    let outside = Scratch::new("outside");
    let template = std::fs::read_to_string(root().join("templates/ops-writeup.md")).unwrap();
    outside.write("t.md", &template);
    let s = Scratch::new("inside");
    s.write("a.md", "# A\n");
    let name = outside.path().file_name().unwrap().to_str().unwrap();
    s.write(".reframe.toml", &format!("template = \"../{name}/t.md\"\n"));
    let out = run(s.path(), &["check", "a.md"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains(".reframe.toml:1:"), "{}", out.stderr);
    assert!(out.stderr.contains("outside"), "{}", out.stderr);
    // A link inside the folder that leads out is refused too.
    std::os::unix::fs::symlink(outside.path().join("t.md"), s.path().join("link.md")).unwrap();
    s.write(".reframe.toml", "template = \"link.md\"\n");
    let out = run(s.path(), &["check", "a.md"]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    // Inside a configured template folder, or absolute: read.
    s.write(
        ".reframe.toml",
        &format!("templates = [\"../{name}\"]\ntemplate = \"../{name}/t.md\"\n"),
    );
    assert_eq!(run(s.path(), &["check", "a.md"]).code, Some(0));
    let absolute = outside.path().join("t.md");
    s.write(
        ".reframe.toml",
        &format!("template = \"{}\"\n", absolute.display()),
    );
    assert_eq!(run(s.path(), &["check", "a.md"]).code, Some(0));
}

#[test]
fn fix_never_overwrites_a_file_changed_after_it_was_read() {
    let s = Scratch::new("fixrace");
    let path = s.write("w.md", &example());
    let appended = "\nA line written while reframe was working.\n";
    let out = run_with(
        s.path(),
        &["check", "--fix", "w.md"],
        &[("REFRAME_TEST_FIX_PAUSE_MS", "1500")],
        None,
        LIMIT,
        |_| {
            std::thread::sleep(Duration::from_millis(500));
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap();
            file.write_all(appended.as_bytes()).unwrap();
        },
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, format!("{}{appended}", example()), "{}", out.stderr);
    assert!(
        out.stderr.contains("changed since it was read"),
        "{}",
        out.stderr
    );
    // The findings are still reported.
    assert!(out.stdout.contains("w.md: 5 warnings"), "{}", out.stdout);
}

#[test]
fn fix_that_cannot_write_still_prints_the_findings() {
    let s = Scratch::new("fixfail");
    let path = s.write("w.md", &example());
    let folder = s.path().to_path_buf();
    let out = run_with(
        s.path(),
        &["check", "--fix", "w.md"],
        &[("REFRAME_TEST_FIX_PAUSE_MS", "1500")],
        None,
        LIMIT,
        |pid| {
            // The temporary file's name is taken: the write fails.
            std::fs::create_dir_all(folder.join(format!(".w.md.reframe-{pid}.tmp/x"))).unwrap();
        },
    );
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("cannot write the fixes"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("w.md: 5 warnings"), "{}", out.stdout);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), example());
}

#[test]
fn new_under_a_file_says_the_folder_is_a_file() {
    let s = Scratch::new("newfile");
    s.write("afile", "x");
    let out = run(s.path(), &["new", "afile/x.md"]);
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("afile is a file, not a folder"),
        "{}",
        out.stderr
    );
}
