//! Fixture write-ups with their expected findings written beside them.
//!
//! Each `tests/fixtures/NAME.md` has `NAME.expected`: one finding per line,
//! `LINE:COL code "flagged text": message` (1-based line, column in characters; the
//! flagged text is the first line of the finding's range). Lines starting with `#` are comments. Fixtures in
//! `tests/fixtures/custom/` are checked against `tests/fixtures/custom/template.md`; those
//! in `tests/fixtures/formats/` (one per built-in write-up format) against the built-in
//! template their front matter names, else the one their headings fit best, as
//! `reframe check` chooses.
//!
//! `REFRAME_BLESS=1 cargo test --test fixtures` rewrites the expectation files; read the
//! diff before committing it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::path::{Path, PathBuf};

use reframe_core::analysis::{Context, analyze};
use reframe_core::config::Config;
use reframe_core::document::{Document, PositionEncoding};
use reframe_core::rules::phrases::PhraseRules;
use reframe_core::template::Template;

fn render(doc: &Document, text: &str, template: &Template) -> String {
    let config = Config::default();
    let phrases = PhraseRules::builtin();
    let cx = Context {
        template,
        config: &config,
        phrases: &phrases,
    };
    let analysis = analyze(doc, &cx);
    let mut out = String::new();
    for f in &analysis.findings {
        let start = doc.byte_to_position(f.range.start, PositionEncoding::Utf32);
        let flagged = text[f.range.clone()].lines().next().unwrap_or("");
        out.push_str(&format!(
            "{}:{} {} {:?}: {}\n",
            start.line + 1,
            start.character + 1,
            f.code,
            flagged,
            f.message
        ));
    }
    out
}

fn check_dir(dir: &Path, template: &Template) -> Vec<String> {
    check_dir_with(dir, |_| template)
}

fn check_dir_with<'t>(dir: &Path, template_for: impl Fn(&str) -> &'t Template) -> Vec<String> {
    let mut failures = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| p.file_name().is_some_and(|n| n != "template.md"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", dir.display());
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read fixture");
        let doc = Document::new(&text);
        let actual = render(&doc, &text, template_for(&text));
        let expected_path = path.with_extension("expected");
        if std::env::var_os("REFRAME_BLESS").is_some() {
            std::fs::write(&expected_path, &actual).expect("bless");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        let expected: String = expected
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        if expected != actual {
            failures.push(format!(
                "{}\n--- expected\n{expected}--- actual\n{actual}",
                path.display()
            ));
        }
    }
    failures
}

#[test]
fn fixtures_match_their_expected_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut failures = check_dir(&root, Template::builtin());
    let custom_source =
        std::fs::read_to_string(root.join("custom/template.md")).expect("custom template");
    let custom = Template::parse("postmortem", &custom_source);
    failures.extend(check_dir(&root.join("custom"), &custom));
    failures.extend(check_dir_with(&root.join("formats"), builtin_for));
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The built-in template a format fixture is checked against: the one its front matter
/// names, else the one its headings fit best (the default on a tie).
fn builtin_for(text: &str) -> &'static Template {
    use reframe_core::template_choice::{
        BUILTIN_TEMPLATES, builtin_template, choose_by_headings, front_matter_template,
    };
    if let Some((name, _)) = front_matter_template(text) {
        return builtin_template(&name).expect("a built-in template");
    }
    let candidates: Vec<&Template> = BUILTIN_TEMPLATES
        .iter()
        .filter_map(|(name, _)| builtin_template(name))
        .collect();
    candidates[choose_by_headings(text, &candidates, 0).0]
}

#[test]
fn each_builtin_format_has_a_fixture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    for (name, _) in reframe_core::template_choice::BUILTIN_TEMPLATES {
        let text = std::fs::read_to_string(root.join(format!("{name}.md"))).expect("fixture");
        assert_eq!(builtin_for(&text).name, *name);
    }
}
