//! reframe in a real, headless Neovim with the shipped `editors/neovim` config.
//!
//! One Neovim session (`editors/neovim/test/e2e.lua`) opens `editors/neovim/test/writeup.md`
//! in a scratch git folder with `editors/neovim` on the runtimepath and
//! `vim.lsp.enable('reframe')`, the config's `cmd` pointed at the binary under test. It
//! records what a user would see — diagnostics, the quick fixes offered and the buffer after
//! applying them through `vim.lsp.util.apply_workspace_edit`, the outline — into a JSON
//! report; the tests below assert on that report.
//!
//! Neovim (0.11 or newer) is `$REFRAME_NVIM`, else `nvim` on `PATH`. Without it each test
//! says it is skipped and passes, unless `REFRAME_REQUIRE_NVIM=1` (set by `.ci/run`), which
//! makes a missing Neovim a failure.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// How long one Neovim session may take before it is killed.
const SESSION_TIMEOUT: Duration = Duration::from_secs(60);

/// What one Neovim session observed.
struct Session {
    /// The JSON report written by `e2e.lua`.
    report: Value,
    /// The write-up as opened, one entry per line.
    lines: Vec<String>,
    /// The server's stderr and Neovim's LSP log, shown when a test fails.
    lsp_log: String,
    /// The folder the write-up was opened in (the expected LSP root).
    workspace: PathBuf,
}

impl Session {
    fn step(&self, name: &str) -> &Value {
        &self.report["steps"][name]
    }

    /// Fails the test with `message`, the step's report and the end of the LSP log.
    fn fail(&self, message: &str) -> ! {
        let log_tail: String = {
            let chars: Vec<char> = self.lsp_log.chars().collect();
            chars[chars.len().saturating_sub(3000)..].iter().collect()
        };
        panic!(
            "{message}\n\n--- Neovim {} report ---\n{}\n--- end of the LSP log ---\n{log_tail}",
            self.report["nvim_version"],
            serde_json::to_string_pretty(&self.report["steps"]).unwrap_or_default(),
        );
    }

    fn check(&self, ok: bool, message: impl FnOnce() -> String) {
        if !ok {
            self.fail(&message());
        }
    }

    /// Fails with a message naming what the server does not offer yet.
    fn require_capability(&self, provider: &str, what: &str) {
        assert!(
            self.report["capabilities"][provider] == json!(true),
            "the server does not offer {what} yet (no {provider} in its initialize result), \
             so Neovim cannot use it: waiting on the server"
        );
    }

    /// Fails when the step recorded an error.
    fn step_ok(&self, name: &str) -> &Value {
        let step = self.step(name);
        if let Some(error) = step["error"].as_str() {
            self.fail(&format!("step {name} failed in Neovim: {error}"));
        }
        step
    }
}

/// The diagnostics in a report list, as (code, line, start byte, end byte, severity).
fn diagnostics(list: &Value) -> Vec<(String, usize, usize, usize, u64)> {
    let field = |d: &Value, key: &str| d[key].as_u64().unwrap_or(u64::MAX);
    list.as_array()
        .map(|all| {
            all.iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap_or("").to_string(),
                        field(d, "lnum") as usize,
                        field(d, "col") as usize,
                        field(d, "end_col") as usize,
                        field(d, "severity"),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn lines_of(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|lines| {
            lines
                .iter()
                .map(|l| l.as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Where each line differs between two versions of the buffer of the same length.
fn changed_lines(before: &[String], after: &[String]) -> Vec<usize> {
    (0..before.len().max(after.len()))
        .filter(|&i| before.get(i) != after.get(i))
        .collect()
}

fn session() -> Option<&'static Session> {
    static SESSION: OnceLock<Option<Session>> = OnceLock::new();
    SESSION.get_or_init(start_session).as_ref()
}

/// Writes to the real stderr, past the test harness's capture, so a skip is always seen.
fn say(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

fn nvim_version(nvim: &str) -> Option<(u32, u32)> {
    let output = Command::new(nvim).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let version = text.lines().next()?.strip_prefix("NVIM v")?;
    let mut parts = version.split(|c: char| !c.is_ascii_digit());
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

fn start_session() -> Option<Session> {
    let nvim = std::env::var("REFRAME_NVIM").unwrap_or_else(|_| "nvim".to_string());
    let required = std::env::var("REFRAME_REQUIRE_NVIM").is_ok_and(|v| v == "1");
    let problem = match nvim_version(&nvim) {
        Some(version) if version >= (0, 11) => None,
        Some((major, minor)) => Some(format!(
            "`{nvim}` is Neovim {major}.{minor}, older than 0.11"
        )),
        None => Some(format!("no Neovim found at `{nvim}`")),
    };
    if let Some(problem) = problem {
        assert!(
            !required,
            "REFRAME_REQUIRE_NVIM=1 but {problem} (set REFRAME_NVIM to a Neovim >= 0.11)"
        );
        say(&format!(
            "tests/nvim.rs: skipped: {problem}; set REFRAME_NVIM to a Neovim >= 0.11 \
             (.ci/run installs one) or REFRAME_REQUIRE_NVIM=1 to make this a failure"
        ));
        return None;
    }

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let editors = root.join("editors/neovim");
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let scratch = std::env::temp_dir().join(format!("reframe-nvim-{}-{nanos}", std::process::id()));
    let workspace = scratch.join("work");
    let prepare = || -> std::io::Result<String> {
        fs::create_dir_all(workspace.join(".git"))?;
        let text = fs::read_to_string(editors.join("test/writeup.md"))?;
        fs::write(workspace.join("writeup.md"), &text)?;
        // The bundled example (questions, a section out of order), and a write-up that is
        // never opened: workspace diagnostics report it.
        fs::copy(
            root.join("examples/ci-migration.md"),
            workspace.join("ci-migration.md"),
        )?;
        fs::create_dir_all(workspace.join("drafts"))?;
        fs::copy(
            root.join("examples/ci-migration.md"),
            workspace.join("drafts/closed.md"),
        )?;
        Ok(text)
    };
    let text = prepare().unwrap_or_else(|e| panic!("cannot set up {}: {e}", scratch.display()));
    let report_path = scratch.join("report.json");
    let output_path = scratch.join("nvim-output.txt");
    let output = fs::File::create(&output_path).unwrap_or_else(|e| panic!("{e}"));
    let errors = output.try_clone().unwrap_or_else(|e| panic!("{e}"));

    let started = Instant::now();
    let mut child = Command::new(&nvim)
        .args(["--headless", "--clean", "-u"])
        .arg(editors.join("test/e2e.lua"))
        .current_dir(&workspace)
        .env("REFRAME_RTP", &editors)
        .env("REFRAME_BIN", env!("CARGO_BIN_EXE_reframe"))
        .env("REFRAME_FILE", workspace.join("writeup.md"))
        .env("REFRAME_REPORT", &report_path)
        .env("REFRAME_EXAMPLE", workspace.join("ci-migration.md"))
        .env("REFRAME_CLOSED", workspace.join("drafts/closed.md"))
        // Keep Neovim's state, logs and swap files out of the user's home.
        .env("XDG_STATE_HOME", scratch.join("state"))
        .env("XDG_CONFIG_HOME", scratch.join("config"))
        .env("XDG_DATA_HOME", scratch.join("data"))
        .env("XDG_CACHE_HOME", scratch.join("cache"))
        .stdin(Stdio::null())
        .stdout(output)
        .stderr(errors)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start `{nvim}`: {e}"));
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > SESSION_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "Neovim did not finish within {SESSION_TIMEOUT:?}; its output:\n{}",
                    fs::read_to_string(&output_path).unwrap_or_default()
                );
            }
            Ok(None) => thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("waiting for Neovim: {e}"),
        }
    };
    let elapsed = started.elapsed();
    let nvim_output = fs::read_to_string(&output_path).unwrap_or_default();
    let lsp_log = fs::read_to_string(scratch.join("state/nvim/lsp.log")).unwrap_or_default();
    let report: Value = match fs::read_to_string(&report_path) {
        Ok(json) => serde_json::from_str(&json).unwrap_or_else(|e| panic!("bad report: {e}")),
        Err(e) => panic!(
            "Neovim exited with {status} and wrote no report ({e}); its output:\n{nvim_output}\n\
             LSP log:\n{lsp_log}"
        ),
    };
    let _ = fs::remove_dir_all(&scratch);
    assert!(
        status.success() && report["errors"].as_array().is_some_and(|e| e.is_empty()),
        "the Neovim session failed ({status}): {}\nits output:\n{nvim_output}\nLSP log:\n{lsp_log}",
        report["errors"]
    );
    say(&format!(
        "tests/nvim.rs: Neovim {} session took {:.2} s",
        report["nvim_version"].as_str().unwrap_or("?"),
        elapsed.as_secs_f64()
    ));
    Some(Session {
        report,
        lines: text.lines().map(str::to_string).collect(),
        lsp_log,
        workspace,
    })
}

/// The line index and byte column of the first `phrase` in the write-up.
fn locate(s: &Session, phrase: &str) -> (usize, usize) {
    s.lines
        .iter()
        .enumerate()
        .find_map(|(i, line)| line.find(phrase).map(|col| (i, col)))
        .unwrap_or_else(|| panic!("the fixture write-up has no {phrase:?}"))
}

#[test]
fn the_shipped_config_attaches_to_markdown_at_the_git_root() {
    let Some(s) = session() else { return };
    assert_eq!(s.report["filetype"], "markdown");
    assert_eq!(s.report["server_name"], "reframe");
    let root = s.report["root_dir"].as_str().unwrap_or("");
    assert_eq!(
        Path::new(root),
        s.workspace,
        "root_markers should find the .git folder"
    );
}

#[test]
fn settings_reach_the_server_as_initialization_options() {
    let Some(s) = session() else { return };
    assert_eq!(
        s.report["initialization_options"],
        json!({"reframe": {"rules": {"passive-voice": "off"}}}),
        "lsp/reframe.lua's before_init should pass `settings.reframe` at start-up"
    );
}

#[test]
fn a_rule_turned_off_in_the_settings_is_off_in_the_server() {
    let Some(s) = session() else { return };
    // Without settings the fixture has a passive-voice finding ("were deleted") ...
    let output = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .args(["check", "--format", "json", "--fail-on", "error"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/neovim/test/writeup.md"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run reframe check: {e}"));
    let cli = String::from_utf8_lossy(&output.stdout);
    assert!(
        cli.contains("\"passive-voice\""),
        "the fixture should have a passive-voice finding by default: {cli}"
    );
    // ... which the Neovim settings turn off (`passive-voice = 'off'`, see e2e.lua).
    let found = diagnostics(&s.report["diagnostics"]);
    s.check(!found.iter().any(|d| d.0 == "passive-voice"), || {
        format!(
            "settings.reframe.rules['passive-voice'] = 'off' did not turn the rule off: \
             the server does not apply the LSP settings yet (initializationOptions / \
             workspace/didChangeConfiguration under `reframe`): {found:?}"
        )
    });
}

#[test]
fn diagnostics_land_on_the_flagged_text() {
    let Some(s) = session() else { return };
    let found = diagnostics(&s.report["diagnostics"]);
    s.check(!found.is_empty(), || {
        "Neovim got no diagnostics".to_string()
    });
    for d in s.report["diagnostics"].as_array().into_iter().flatten() {
        s.check(d["source"] == "reframe", || {
            format!("a diagnostic without source reframe: {d}")
        });
    }
    // (code, the text it should cover, severity: 2 warning, 3 information, 4 hint). The
    // weak verb comes after "ü" and "—" on its line, so byte and UTF-16 columns differ: a
    // wrong position encoding would move it.
    let expected = [
        ("weak-verb", "helped with", 3),
        ("placeholder", "[Responsibilities]", 2),
        ("minimizer", "just", 3),
        ("section-heading", "## Impact", 4),
    ];
    for (code, phrase, severity) in expected {
        let (line, col) = locate(s, phrase);
        let hit = found.iter().find(|d| d.0 == code && d.1 == line);
        let Some((_, _, start, end, got_severity)) = hit else {
            s.fail(&format!(
                "no {code} diagnostic on line {}: {found:?}",
                line + 1
            ));
        };
        let text = s.lines[line].get(*start..*end);
        s.check(
            *start == col && text.map(str::trim_end) == Some(phrase),
            || {
                format!(
                    "{code} on line {} covers bytes {start}..{end} ({text:?}); expected {phrase:?} \
                 at byte {col}",
                    line + 1
                )
            },
        );
        s.check(*got_severity == severity, || {
            format!("{code} has severity {got_severity}, expected {severity}")
        });
    }
    // Every range falls on whole characters of its line.
    for (code, line, start, end, _) in &found {
        let text = s.lines.get(*line).and_then(|l| l.get(*start..*end));
        s.check(text.is_some(), || {
            format!("{code} range {line}:{start}..{end} is not inside its line")
        });
    }
}

#[test]
fn weak_verb_quick_fix_rewrites_the_phrase_and_the_finding_goes() {
    let Some(s) = session() else { return };
    s.require_capability("codeActionProvider", "textDocument/codeAction quick fixes");
    let step = s.step_ok("weak_verb_fix");
    s.check(step["chosen"].is_string(), || {
        "the server offered no quick fix for the weak-verb finding".to_string()
    });
    s.check(step["preferred"] == json!(true), || {
        "no quick fix for weak-verb is marked isPreferred".to_string()
    });
    let before = step["line_before"].as_str().unwrap_or("");
    // The preferred fix never claims more than the sentence ("led" is only an alternative):
    // it asks what the writer did.
    let expected = before.replace(
        "I helped with the migration",
        "I [what you did] the migration",
    );
    s.check(step["line_after"] == json!(expected), || {
        format!("the preferred fix should give {expected:?}")
    });
    let after = lines_of(&step["lines_after"]);
    let (line, _) = locate(s, "helped with");
    s.check(changed_lines(&s.lines, &after) == [line], || {
        "the fix changed lines other than the flagged one".to_string()
    });
    s.check(step["republished"] == json!(true), || {
        "the server published no diagnostics after the edit".to_string()
    });
    let remaining = diagnostics(&step["diagnostics_after"]);
    s.check(!remaining.iter().any(|d| d.0 == "weak-verb"), || {
        format!("the weak-verb finding is still there after the fix: {remaining:?}")
    });
    s.check(remaining.iter().any(|d| d.0 == "placeholder"), || {
        format!("other findings should stay after the fix: {remaining:?}")
    });
}

#[test]
fn heading_quick_fix_completes_the_template_heading() {
    let Some(s) = session() else { return };
    s.require_capability("codeActionProvider", "textDocument/codeAction quick fixes");
    let step = s.step_ok("heading_fix");
    s.check(step["chosen"].is_string(), || {
        "the server offered no quick fix for the section-heading finding".to_string()
    });
    s.check(
        step["line_after"] == json!("## 5. Impact (Ops Style)"),
        || "the heading fix should give \"## 5. Impact (Ops Style)\"".to_string(),
    );
    let before = lines_of(&s.step("weak_verb_fix")["lines_after"]);
    let after = lines_of(&step["lines_after"]);
    let (line, _) = locate(s, "## Impact");
    s.check(
        before.is_empty() || changed_lines(&before, &after) == [line],
        || "the heading fix changed lines other than the heading".to_string(),
    );
    let remaining = diagnostics(&step["diagnostics_after"]);
    s.check(!remaining.iter().any(|d| d.0 == "section-heading"), || {
        format!("the section-heading finding is still there after the fix: {remaining:?}")
    });
}

#[test]
fn outline_lists_template_sections_with_their_fields() {
    let Some(s) = session() else { return };
    s.require_capability(
        "documentSymbolProvider",
        "a textDocument/documentSymbol outline",
    );
    let step = s.step_ok("outline");
    let symbols = step["symbols"].as_array().cloned().unwrap_or_default();
    s.check(
        symbols
            .iter()
            .all(|sym| sym.get("selectionRange").is_some()),
        || {
            "the outline should be hierarchical DocumentSymbol[], not SymbolInformation[]"
                .to_string()
        },
    );
    let name = |sym: &Value| sym["name"].as_str().unwrap_or("").to_string();
    let find = |title: &str| symbols.iter().find(|sym| name(sym).contains(title));
    for title in [
        "Project Overview",
        "What You Built/Implemented",
        "Impact (Ops Style)",
    ] {
        s.check(find(title).is_some(), || {
            format!("no top-level outline entry for the section {title:?}")
        });
    }
    let overview = find("Project Overview").cloned().unwrap_or_default();
    let fields: Vec<String> = overview["children"]
        .as_array()
        .map(|c| c.iter().map(name).collect())
        .unwrap_or_default();
    for field in ["What You Did", "Your Role"] {
        s.check(fields.iter().any(|f| f.contains(field)), || {
            format!("the Project Overview entry should have the field {field:?}: {fields:?}")
        });
    }
    s.check(
        overview["detail"].as_str().is_some_and(|d| !d.is_empty()),
        || "the Project Overview entry should show its fill progress in detail".to_string(),
    );
}

#[test]
fn a_heading_completion_accepted_from_the_popup_inserts_the_whole_heading() {
    let Some(s) = session() else { return };
    let step = s.step_ok("completion");
    s.check(step["popup"] == json!(true), || {
        "the completion popup did not show".to_string()
    });
    // Typed "## Dec": the popup offers the template's heading, filtered on what was typed.
    let items = lines_of(&step["items"]);
    s.check(
        items.iter().any(|i| i == "## 6. Decisions & Trade-offs"),
        || format!("“## Dec” should offer “## 6. Decisions & Trade-offs”: {items:?}"),
    );
    s.check(
        step["line_after"] == json!("## 6. Decisions & Trade-offs"),
        || {
            format!(
                "accepting should give the whole heading, got {}",
                step["line_after"]
            )
        },
    );
}

#[test]
fn a_field_completion_accepted_from_the_popup_jumps_to_its_answer() {
    let Some(s) = session() else { return };
    let step = s.step_ok("field_completion");
    let line = step["line_after"].as_str().unwrap_or("");
    s.check(
        line.starts_with("- **Risk Reduction**: ") && line.len() > "- **Risk Reduction**: ".len(),
        || format!("accepting should give the field with its placeholder, got {line:?}"),
    );
    // The snippet's tab stop: the cursor is in the answer, past the label.
    let column = step["cursor_after"][1].as_u64().unwrap_or(0) as usize;
    s.check(column >= "- **Risk Reduction**: ".len(), || {
        format!("the cursor should be on the answer, at column {column} of {line:?}")
    });
}

#[test]
fn a_code_lens_adds_a_note_for_its_question() {
    let Some(s) = session() else { return };
    let step = s.step_ok("code_lens");
    let titles = lines_of(&step["titles"]);
    s.check(titles.iter().all(|t| t.chars().count() <= 44), || {
        format!("code lens titles should be short: {titles:?}")
    });
    s.check(step["added"] == json!(true), || {
        format!(
            "running the note lens should add “> [!question] {}”",
            step["question"]
        )
    });
    let lines = lines_of(&step["lines_after"]);
    let wanted = format!("> [!question] {}", step["question"].as_str().unwrap_or(""));
    let at = lines.iter().position(|l| *l == wanted).unwrap_or(0);
    let lens_line = step["lens_line"].as_u64().unwrap_or(u64::MAX) as usize;
    // Under the lens's heading, before the next heading.
    s.check(
        lens_line < at
            && !lines[lens_line + 1..at]
                .iter()
                .any(|l| l.starts_with("## ")),
        || format!("the note should be in the section under line {lens_line}, found at {at}"),
    );
}

#[test]
fn the_section_order_fix_moves_the_section_with_its_body() {
    let Some(s) = session() else { return };
    let step = s.step_ok("section_order_fix");
    s.check(step["preferred"] == json!(true), || {
        format!("the move should be the preferred fix: {}", step["titles"])
    });
    let lines = lines_of(&step["lines_after"]);
    let at = |prefix: &str| lines.iter().position(|l| l.starts_with(prefix));
    let (decisions, challenges) = (at("## 6. Decisions"), at("## 7. Challenges"));
    s.check(
        decisions.is_some() && challenges.is_some() && decisions < challenges,
        || format!("“6.” should come before “7.” after the move: {lines:#?}"),
    );
    // The moved section's body came with it: its first field follows its heading.
    let moved = step["line_before"].as_str().unwrap_or("");
    let body = at(moved)
        .and_then(|d| lines[d + 1..].iter().find(|l| !l.is_empty()))
        .cloned()
        .unwrap_or_default();
    s.check(body.starts_with("- **"), || {
        format!("the section's body should follow its heading, got {body:?}")
    });
    let left = diagnostics(&step["diagnostics_after"]);
    s.check(!left.iter().any(|d| d.0 == "section-order"), || {
        format!("section-order should be gone: {left:?}")
    });
}

#[test]
fn workspace_diagnostics_show_a_write_up_that_was_never_opened() {
    let Some(s) = session() else { return };
    s.require_capability("workspaceDiagnostics", "workspace diagnostics");
    let step = s.step_ok("workspace_diagnostics");
    s.check(step["was_listed"] == json!(false), || {
        "drafts/closed.md should not have been opened".to_string()
    });
    let found = diagnostics(&step["diagnostics"]);
    s.check(found.iter().any(|d| d.0 == "section-order"), || {
        format!("the unopened write-up should have its findings through a pull: {found:?}")
    });
}

#[test]
fn missing_sections_are_one_finding_per_gap_with_an_action_each() {
    let Some(s) = session() else { return };
    let step = s.step_ok("plain_menu");
    let gaps = step["lines"].as_array().cloned().unwrap_or_default();
    // writeup.md has sections 1, 3 and Impact: gaps 2 / 4 / 6, 7, 9 (8 is guidance).
    let named: Vec<Vec<String>> = gaps.iter().map(|g| lines_of(&g["sections"])).collect();
    s.check(
        named
            == [
                vec!["2. The Problem/Need"],
                vec!["4. Technical Details"],
                vec![
                    "6. Decisions & Trade-offs",
                    "7. Challenges",
                    "9. Skills Demonstrated",
                ],
            ],
        || format!("one missing-section finding per gap expected: {named:?}"),
    );
    let total: usize = named.iter().map(Vec::len).sum();
    for gap in &gaps {
        let titles: Vec<String> = gap["actions"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|x| x["title"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default();
        let sections = lines_of(&gap["sections"]);
        for section in &sections {
            let title = format!("Insert section “{section}”");
            s.check(titles.iter().filter(|t| **t == title).count() == 1, || {
                format!("one “{title}” expected in the menu: {titles:?}")
            });
        }
        let ignores = titles
            .iter()
            .filter(|t| t.starts_with("Ignore") && t.contains("(missing-section)"))
            .count();
        s.check(ignores == 1, || format!("one Ignore expected: {titles:?}"));
        let all = format!("Insert all {total} missing sections");
        s.check(titles.contains(&all), || {
            format!("“{all}” expected: {titles:?}")
        });
        // The plain menu (`gra`) has the safe fixes too, as source.fixAll.reframe.
        let fix_all = gap["actions"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["kind"] == "source.fixAll.reframe"));
        s.check(fix_all, || {
            format!("no source.fixAll.reframe in the plain menu: {titles:?}")
        });
    }
}

#[test]
fn reframe_new_creates_a_write_up_from_a_template_and_opens_it() {
    let Some(s) = session() else { return };
    let step = s.step_ok("new_writeup");
    let completions = lines_of(&step["completions"]);
    s.check(
        completions.contains(&"star".to_string())
            && completions.contains(&"self-review".to_string())
            && !completions.contains(&"brag-doc".to_string()),
        || {
            format!(
                ":Reframe new s<Tab> should offer the templates starting with s: {completions:?}"
            )
        },
    );
    s.check(step["opened"] == json!(true), || {
        format!(":Reframe new star FILE should open the new write-up: {step}")
    });
    s.check(step["exists"] == json!(true), || {
        format!("the new file should exist on disk: {step}")
    });
    let lines = lines_of(&step["lines"]);
    s.check(
        lines.first().map(String::as_str) == Some("---")
            && lines.iter().any(|l| l == "template: star"),
        || format!("the new write-up should be the STAR scaffold: {lines:?}"),
    );
}
