//! Configuration: every key of `.reframe.toml` (and of the LSP settings, which share the
//! reader), every way a configuration can be broken, and the loader the CLI and the
//! server share (`workspace::load`, `workspace::find_config`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::path::{Path, PathBuf};

use reframe_core::analysis::{Analysis, analyze_text};
use reframe_core::config::{self, Report, Resolved, Settings};
use reframe_core::document::Document;
use reframe_core::rules::{RuleCode, Severity};
use reframe_core::template::Template;
use reframe_workspace as workspace;
use serde_json::json;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/config")
}

/// Parses TOML text as a file in `/project` and resolves it with the built-in template.
fn resolve_toml(text: &str) -> (Resolved, Report) {
    let (settings, mut report) = Settings::from_toml(
        text,
        "/project/.reframe.toml",
        Some(PathBuf::from("/project")),
    );
    let resolved = config::resolve(&[&settings], Template::builtin().clone(), &mut report);
    (resolved, report)
}

fn analyse(resolved: &Resolved, path: Option<&Path>, text: &str) -> Analysis {
    let doc = Document::new(text);
    analyze_text(&doc, text, &resolved.context_for(path))
}

fn codes(analysis: &Analysis) -> Vec<&'static str> {
    analysis.findings.iter().map(|f| f.code.as_str()).collect()
}

/// A write-up with a hedge, a placeholder, a passive that hides the writer's work (in the
/// work section: "was migrated") and a situation passive (in the problem section, which
/// the wording rules leave alone).
const WRITEUP: &str = "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n- **What You Did**: I kind of spearheaded the synergy work.\n- **Your Role**: [Responsibilities]\n- **Environment**: The pipeline was migrated to GitHub Actions.\n\n## 2. The Problem/Need\n\nDeploys were run by hand and the config was never documented.\n";

#[test]
fn rules_key_sets_severities_and_turns_rules_off() {
    let (resolved, report) = resolve_toml(
        "[rules]\nplaceholder = \"error\"\nhedge = \"off\"\nweak-verb = \"hint\"\npassive-voice = \"information\"\n",
    );
    assert_eq!(report, Report::default());
    let config = &resolved.config;
    assert_eq!(
        config.severity_of(RuleCode::Placeholder),
        Some(Severity::Error)
    );
    assert_eq!(config.severity_of(RuleCode::Hedge), None);
    assert_eq!(config.severity_of(RuleCode::WeakVerb), Some(Severity::Hint));
    assert_eq!(
        config.severity_of(RuleCode::EmptyField),
        Some(Severity::Warning)
    );
    let analysis = analyse(&resolved, None, WRITEUP);
    let placeholder = analysis
        .findings
        .iter()
        .find(|f| f.code == RuleCode::Placeholder)
        .expect("placeholder finding");
    assert_eq!(placeholder.severity, Severity::Error);
    assert!(
        !codes(&analysis).contains(&"hedge"),
        "{:?}",
        codes(&analysis)
    );
    assert!(codes(&analysis).contains(&"passive-voice"));
}

#[test]
fn phrases_key_adds_rows_with_builtin_and_new_codes() {
    let (resolved, report) = resolve_toml(
        r#"
[rules]
jargon = "warning"

[[phrases]]
pattern = '(?i)\bspearheaded\b'
code = "weak-verb"
message = "Say what you did: led, started, proposed?"
replace = ["led", "started"]

[[phrases]]
id = "synergy"
pattern = '\bsynerg(?:y|ies)\b'
code = "jargon"
message = "Jargon: say who worked together"
"#,
    );
    assert_eq!(report, Report::default());
    let analysis = analyse(&resolved, None, WRITEUP);
    let spearheaded = analysis
        .findings
        .iter()
        .find(|f| f.message.contains("led, started, proposed"))
        .expect("user weak-verb row fires");
    assert_eq!(spearheaded.code, RuleCode::WeakVerb);
    assert_eq!(
        spearheaded.data.wording().map(|w| w.replacements.clone()),
        Some(vec!["led".to_string(), "started".to_string()])
    );
    let jargon = analysis
        .findings
        .iter()
        .find(|f| f.code.as_str() == "jargon")
        .expect("user row with a new code fires");
    assert!(!jargon.code.is_builtin());
    assert_eq!(jargon.severity, Severity::Warning);
    assert_eq!(
        jargon.data.wording().map(|w| w.rule.as_str()),
        Some("synergy")
    );
}

#[test]
fn a_new_code_defaults_to_information() {
    let (resolved, report) =
        resolve_toml("[[phrases]]\npattern = 'synergy'\ncode = \"jargon\"\nmessage = \"m\"\n");
    assert!(report.errors.is_empty(), "{report:?}");
    let analysis = analyse(&resolved, None, WRITEUP);
    let jargon = analysis
        .findings
        .iter()
        .find(|f| f.code.as_str() == "jargon")
        .expect("fires");
    assert_eq!(jargon.severity, Severity::Information);
}

#[test]
fn allow_key_stops_phrases_from_being_flagged() {
    let (before, _) = resolve_toml("");
    assert!(codes(&analyse(&before, None, WRITEUP)).contains(&"hedge"));
    let (resolved, report) = resolve_toml("[allow]\nphrases = [\"kind of\"]\n");
    assert_eq!(report, Report::default());
    assert!(!codes(&analyse(&resolved, None, WRITEUP)).contains(&"hedge"));
}

#[test]
fn writeups_key_makes_matching_documents_writeups() {
    let readme = "# Notes\n\nI just think maybe we should upgrade [some tool].\n";
    let (resolved, report) = resolve_toml("writeups = [\"writeups/**/*.md\"]\n");
    assert_eq!(report, Report::default());
    let inside = Path::new("/project/writeups/2026/notes.md");
    let outside = Path::new("/project/docs/notes.md");
    assert!(resolved.is_listed_writeup(inside));
    assert!(!resolved.is_listed_writeup(outside));
    // `*` stays within a folder; `**` crosses folders.
    let (shallow, _) = resolve_toml("writeups = [\"notes/*.md\"]\n");
    assert!(shallow.is_listed_writeup(Path::new("/project/notes/a.md")));
    assert!(!shallow.is_listed_writeup(Path::new("/project/notes/old/a.md")));
    assert!(analyse(&resolved, Some(inside), readme).is_writeup);
    assert!(!codes(&analyse(&resolved, Some(inside), readme)).is_empty());
    let other = analyse(&resolved, Some(outside), readme);
    assert!(!other.is_writeup);
    assert!(other.findings.is_empty());
    // A bare string is one glob.
    let (single, report) = resolve_toml("writeups = \"*.md\"\n");
    assert_eq!(report, Report::default());
    assert!(single.is_listed_writeup(Path::new("/project/a.md")));
}

#[test]
fn template_key_is_relative_to_the_file() {
    let (settings, report) = Settings::from_toml(
        "template = \"templates/postmortem.md\"\n",
        "/project/.reframe.toml",
        Some(PathBuf::from("/project")),
    );
    assert_eq!(report, Report::default());
    let (path, layer, line) = config::template_path(&[&settings]).expect("template set");
    assert_eq!(path, Path::new("/project/templates/postmortem.md"));
    assert_eq!(layer.origin, "/project/.reframe.toml");
    assert_eq!(line, Some(1));
}

#[test]
fn unknown_keys_are_warnings_naming_key_file_and_line() {
    let (resolved, report) = resolve_toml(
        "colour = \"blue\"\n\n[rules]\nweak-verb = \"error\"\nno-such-rule = \"warning\"\n\n[allow]\nwords = [\"x\"]\n\n[[phrases]]\npattern = 'x'\ncode = \"hedge\"\nmessage = \"m\"\nseverity = \"error\"\n",
    );
    assert!(report.errors.is_empty(), "{report:?}");
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 4, "{warnings:#?}");
    assert!(
        warnings[0].starts_with("/project/.reframe.toml:1: unknown key `colour`"),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("/project/.reframe.toml:8: unknown key `words` in [allow]")),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w
                .starts_with("/project/.reframe.toml:14: unknown key `severity` in [[phrases]]")),
        "{warnings:#?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("/project/.reframe.toml:5: unknown rule code `no-such-rule`")),
        "{warnings:#?}"
    );
    // The rest of the file still applies.
    assert_eq!(
        resolved.config.severity_of(RuleCode::WeakVerb),
        Some(Severity::Error)
    );
}

/// The first error of a TOML text, as displayed.
fn first_error(text: &str) -> String {
    let (_, report) = resolve_toml(text);
    report
        .errors
        .first()
        .map(ToString::to_string)
        .unwrap_or_else(|| panic!("no error for {text:?}: {report:?}"))
}

#[test]
fn broken_values_are_errors_naming_file_and_line() {
    let cases = [
        ("a = 1\nb = [\n", "/project/.reframe.toml:2: not valid TOML"),
        (
            "\n[rules]\nhedge = \"loud\"\n",
            "/project/.reframe.toml:3: `rules.hedge` = \"loud\"",
        ),
        (
            "[rules]\nhedge = 3\n",
            "/project/.reframe.toml:2: `rules.hedge` must be one of",
        ),
        (
            "template = 7\n",
            "/project/.reframe.toml:1: `template` must be a non-empty path",
        ),
        (
            "writeups = [1]\n",
            "/project/.reframe.toml:1: `writeups` must be an array of strings",
        ),
        (
            "writeups = [\"a/[b\"]\n",
            "/project/.reframe.toml:1: `writeups` glob \"a/[b\" is not valid",
        ),
        (
            "rules = \"off\"\n",
            "/project/.reframe.toml:1: `rules` must be a table",
        ),
        (
            "[[phrases]]\ncode = \"hedge\"\nmessage = \"m\"\n",
            "/project/.reframe.toml:2: [[phrases]] entry needs `pattern`",
        ),
        (
            "[[phrases]]\npattern = 'x'\ncode = \"Not A Code\"\nmessage = \"m\"\n",
            "/project/.reframe.toml:3: `phrases.code` \"Not A Code\" is not a rule code",
        ),
        (
            "[[phrases]]\npattern = 'x'\ncode = \"hedge\"\nmessage = \"m\"\nreplace = [1]\n",
            "/project/.reframe.toml:5: `phrases.replace` must be an array of strings",
        ),
        (
            "\n\n[[phrases]]\npattern = '(?i)\\bsynergy('\ncode = \"jargon\"\nmessage = \"m\"\n",
            "/project/.reframe.toml:4: [[phrases]] `user:(?i)\\bsynergy(`: pattern: regex parse error",
        ),
        ("[allow]\nphrases = \"x\"\n[allow.more]\n", "unknown key"),
    ];
    for (text, expected) in cases {
        if expected == "unknown key" {
            // A sub-table under [allow] is only a warning.
            let (_, report) = resolve_toml(text);
            assert!(report.errors.is_empty(), "{report:?}");
            assert!(
                report.warnings[0]
                    .to_string()
                    .contains("unknown key `more`")
            );
            continue;
        }
        let error = first_error(text);
        assert!(
            error.starts_with(expected),
            "for {text:?}\n got: {error}\nwant: {expected}…"
        );
    }
}

#[test]
fn a_huge_regex_is_refused_by_the_size_limit() {
    let error = first_error(
        "[[phrases]]\npattern = '\\w{1000}{1000}'\ncode = \"hedge\"\nmessage = \"m\"\n",
    );
    assert!(
        error.starts_with("/project/.reframe.toml:2: [[phrases]]"),
        "{error}"
    );
    assert!(error.contains("size limit"), "{error}");
}

#[test]
fn lsp_settings_use_the_same_keys_without_lines() {
    let value = json!({
        "rules": { "weak-verb": "warning", "hedge": "off" },
        "phrases": [{ "pattern": "synergy", "code": "jargon", "message": "m" }],
        "allow": { "phrases": ["kind of"] },
        "writeups": ["notes/*.md"],
        "bogus": true
    });
    let (settings, report) = Settings::from_json(&value, Some(PathBuf::from("/ws")));
    assert!(report.errors.is_empty(), "{report:?}");
    assert_eq!(report.warnings.len(), 1);
    assert_eq!(
        report.warnings[0].to_string(),
        "LSP settings: unknown key `bogus`: ignored"
    );
    let mut report = Report::default();
    let resolved = config::resolve(&[&settings], Template::builtin().clone(), &mut report);
    assert!(report.errors.is_empty());
    assert_eq!(
        resolved.config.severity_of(RuleCode::WeakVerb),
        Some(Severity::Warning)
    );
    assert_eq!(resolved.config.severity_of(RuleCode::Hedge), None);
    assert!(resolved.is_listed_writeup(Path::new("/ws/notes/a.md")));
    let (_, bad) = Settings::from_json(&json!({ "rules": { "hedge": "loud" } }), None);
    assert_eq!(bad.errors[0].line, None);
    assert!(
        bad.errors[0]
            .to_string()
            .starts_with("LSP settings: `rules.hedge`")
    );
    let (_, not_object) = Settings::from_json(&json!(3), None);
    assert!(!not_object.errors.is_empty());
}

#[test]
fn file_values_win_over_client_settings() {
    let (client, _) = Settings::from_json(
        &json!({
            "rules": { "weak-verb": "error", "hedge": "warning" },
            "allow": { "phrases": ["kind of"] },
            "phrases": [{ "id": "same", "pattern": "synergy", "code": "jargon", "message": "from the client" }]
        }),
        None,
    );
    let (file, _) = Settings::from_toml(
        "[rules]\nweak-verb = \"hint\"\n[[phrases]]\nid = \"same\"\npattern = 'synergy'\ncode = \"jargon\"\nmessage = \"from the file\"\n",
        "f",
        None,
    );
    let mut report = Report::default();
    let resolved = config::resolve(&[&client, &file], Template::builtin().clone(), &mut report);
    assert!(report.errors.is_empty());
    assert_eq!(
        resolved.config.severity_of(RuleCode::WeakVerb),
        Some(Severity::Hint)
    );
    assert_eq!(
        resolved.config.severity_of(RuleCode::Hedge),
        Some(Severity::Warning)
    );
    let analysis = analyse(&resolved, None, WRITEUP);
    let jargon: Vec<&str> = analysis
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "jargon")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(jargon.len(), 1, "{jargon:?}");
    assert!(jargon[0].ends_with("from the file"));
    assert!(
        !codes(&analysis).contains(&"hedge"),
        "the client's allow list still applies"
    );
}

#[test]
fn the_nearest_configuration_file_wins() {
    let deep = fixtures().join("nearest/inner/deep");
    let found = workspace::find_config(&deep).expect("found");
    assert_eq!(found, fixtures().join("nearest/inner/.reframe.toml"));
    assert_eq!(
        workspace::find_config(&fixtures().join("nearest")),
        Some(fixtures().join("nearest/.reframe.toml"))
    );
    let loaded = workspace::load(Some(&found), None).expect("loads");
    // Only the nearest file applies: the outer one's weak-verb = "error" is not merged in.
    assert_eq!(
        loaded.resolved.config.severity_of(RuleCode::WeakVerb),
        Some(Severity::Information)
    );
    assert_eq!(
        loaded.resolved.config.severity_of(RuleCode::Hedge),
        Some(Severity::Warning)
    );
}

#[test]
fn load_reads_the_configured_template() {
    let file = fixtures().join("promotion/.reframe.toml");
    let loaded = workspace::load(Some(&file), None).expect("loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.resolved.template.name, "promotion-packet");
    assert_eq!(loaded.resolved.template.sections[0].heading, "1. Summary");
    assert_eq!(loaded.sources.len(), 2);
    assert!(loaded.sources[1].ends_with("templates/promotion-packet.md"));
    assert!(loaded.template_file.is_some());
    let defaults = workspace::load(None, None).expect("defaults");
    assert_eq!(defaults.resolved.template.name, "ops-writeup");
    assert!(defaults.sources.is_empty());
}

#[test]
fn load_errors_name_the_file_and_line() {
    let cases = [
        ("broken-toml", 5, "not valid TOML"),
        ("broken-regex", 5, "[[phrases]]"),
        ("missing-template", 2, "cannot read the template"),
    ];
    for (dir, line, what) in cases {
        let file = fixtures().join(dir).join(".reframe.toml");
        let errors = workspace::load(Some(&file), None).expect_err(dir);
        let first = errors[0].to_string();
        let prefix = format!("{}:{line}: ", file.display());
        assert!(first.starts_with(&prefix), "{dir}: {first}");
        assert!(first.contains(what), "{dir}: {first}");
    }
    let missing = workspace::load(Some(&fixtures().join("no-such/.reframe.toml")), None)
        .expect_err("missing file");
    assert!(
        missing[0]
            .to_string()
            .contains("cannot read the configuration")
    );
}

#[test]
fn a_template_that_does_not_parse_is_an_error() {
    let dir = std::env::temp_dir().join(format!("reframe-config-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("plain.md"), "Just prose, no sections.\n").unwrap();
    std::fs::write(dir.join(".reframe.toml"), "\ntemplate = \"plain.md\"\n").unwrap();
    let errors = workspace::load(Some(&dir.join(".reframe.toml")), None).expect_err("no sections");
    let text = errors[0].to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(text.contains(".reframe.toml:2: the template"), "{text}");
    assert!(text.contains("no section headings"), "{text}");
}

#[test]
fn custom_codes_are_interned_and_validated() {
    let a = RuleCode::custom("jargon").expect("valid");
    let b = RuleCode::custom("jargon").expect("valid");
    assert_eq!(a, b);
    assert_eq!(a.as_str(), "jargon");
    assert_eq!(RuleCode::custom("hedge"), Some(RuleCode::Hedge));
    for bad in ["", "Jargon", "-x", "x-", "a b", "x_y"] {
        assert_eq!(RuleCode::custom(bad), None, "{bad:?}");
    }
    assert_eq!(serde_json::to_value(a).unwrap(), json!("jargon"));
    let back: RuleCode = serde_json::from_value(json!("weak-verb")).unwrap();
    assert_eq!(back, RuleCode::WeakVerb);
}
