//! The write-up formats built into reframe (STAR stories, brag documents, self-reviews,
//! case studies, besides the ops write-up and the promotion packet): each template has the
//! roles interview readiness needs, a fresh `reframe new --template NAME` reports only what
//! is left to fill, and repeated structures (several stories, one section per month) are
//! repeats of one template section, not misordered sections.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::path::Path;
use std::process::Command;

use reframe_core::analysis::roles::Roles;
use reframe_core::analysis::{Context, analyze};
use reframe_core::config::Config;
use reframe_core::document::Document;
use reframe_core::rules::RuleCode;
use reframe_core::rules::phrases::PhraseRules;
use reframe_core::template::Template;
use reframe_core::template_choice::{BUILTIN_TEMPLATES, builtin_template};

/// A fresh folder under the system's temporary folder, removed when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("reframe-formats-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn reframe(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_reframe"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run reframe");
    (
        output.status.code(),
        String::from_utf8(output.stdout).expect("utf-8"),
        String::from_utf8(output.stderr).expect("utf-8"),
    )
}

#[test]
fn a_fresh_write_up_of_each_template_reports_its_placeholders_and_prompts_only() {
    let dir = TempDir::new("new");
    for (name, _) in BUILTIN_TEMPLATES {
        let file = format!("{name}.md");
        let (status, out, err) = reframe(dir.path(), &["new", &file, "--template", name]);
        assert_eq!(status, Some(0), "{name}: {out}{err}");
        let (status, out, err) = reframe(dir.path(), &["check", "--format", "json", &file]);
        assert_eq!(status, Some(1), "{name}: {err}");
        let report: serde_json::Value = serde_json::from_str(&out).expect("json");
        let diagnostics = report[0]["diagnostics"].as_array().expect("diagnostics");
        let template = builtin_template(name).expect("built in");
        let mut placeholders = 0;
        let mut prompts = 0;
        for d in diagnostics {
            match d["code"].as_str().unwrap_or("") {
                "placeholder" => placeholders += 1,
                "template-prompt" => prompts += 1,
                // The template's own empty front-matter keys (`title:`) are prompts too.
                "empty-frontmatter" => {}
                other => panic!("{name}: a fresh write-up reports {other}: {d}"),
            }
        }
        // Every placeholder of the template's fields is reported, and every field that
        // holds a prompt or an example instead.
        assert!(
            placeholders >= template.placeholders().count(),
            "{name}: {placeholders} placeholders"
        );
        let prompt_fields = template
            .sections
            .iter()
            .filter(|s| !s.guidance_only)
            .flat_map(|s| &s.fields)
            .filter(|f| f.placeholders.is_empty() && !f.prompt.is_empty())
            .count();
        assert!(prompts >= prompt_fields, "{name}: {prompts} prompts");
    }
}

#[test]
fn reframe_templates_lists_every_built_in_template_with_one_line() {
    let dir = TempDir::new("list");
    let (status, out, _) = reframe(dir.path(), &["templates"]);
    assert_eq!(status, Some(0));
    for (name, _) in BUILTIN_TEMPLATES {
        let line = out
            .lines()
            .find(|l| l.split('\t').next() == Some(name))
            .unwrap_or_else(|| panic!("{name} not listed: {out}"));
        assert!(line.contains("built in: "), "{line}");
    }
    assert_eq!(out.lines().count(), BUILTIN_TEMPLATES.len());
}

#[test]
fn new_refuses_an_unknown_template_name_and_names_the_known_ones() {
    let dir = TempDir::new("unknown");
    let (status, _, err) = reframe(dir.path(), &["new", "x.md", "--template", "stra"]);
    assert_eq!(status, Some(2));
    assert!(err.contains("no template called “stra”"), "{err}");
    assert!(err.contains("star"), "{err}");
    assert!(!dir.path().join("x.md").exists());
}

#[test]
fn every_format_has_the_roles_readiness_needs() {
    for name in ["star", "brag-doc", "self-review", "case-study"] {
        let t = builtin_template(name).expect("built in");
        let roles = Roles::of(t);
        assert!(!roles.impact.is_empty(), "{name}: no impact section");
        assert!(roles.framing.is_some(), "{name}: no questions");
        assert!(!t.reframes.is_empty(), "{name}: no reframes");
        assert!(
            t.sections.iter().any(|s| s.guidance_only),
            "{name}: no guidance section"
        );
    }
    // The formats that tell one story set its scene in a situation section.
    for name in ["star", "case-study"] {
        let t = builtin_template(name).expect("built in");
        assert!(
            t.sections
                .iter()
                .any(reframe_core::analysis::roles::is_situation),
            "{name}: no situation section"
        );
    }
    assert!(
        Roles::of(builtin_template("self-review").unwrap())
            .skills
            .is_some()
    );
    let brag = builtin_template("brag-doc").unwrap();
    let repeatable: Vec<&str> = brag
        .sections
        .iter()
        .filter(|s| s.repeatable)
        .map(|s| s.name())
        .collect();
    assert_eq!(repeatable, ["Month or quarter"]);
}

fn findings(text: &str, template: &Template) -> Vec<(RuleCode, String)> {
    let config = Config::default();
    let phrases = PhraseRules::builtin();
    let cx = Context {
        template,
        config: &config,
        phrases: &phrases,
    };
    let doc = Document::new(text);
    let analysis = analyze(&doc, &cx);
    assert!(analysis.is_writeup, "{text}");
    analysis
        .findings
        .iter()
        .map(|f| (f.code, text[f.range.clone()].to_string()))
        .collect()
}

#[test]
fn repeated_stories_and_months_are_repeats_not_misordered_sections() {
    let star = builtin_template("star").unwrap();
    let story = "### Situation\n\nIt broke.\n\n### Task\n\nFix it.\n\n### Action\n\nI fixed it.\n\n### Result\n\nIt stopped breaking: 0 pages in May.\n\n";
    let text = format!("## One\n\n{story}## Two\n\n{story}## Three\n\n{story}");
    let found = findings(&text, star);
    assert!(
        found.iter().all(|(code, _)| *code != RuleCode::SectionOrder
            && *code != RuleCode::MissingSection
            && *code != RuleCode::SectionHeading),
        "{found:?}"
    );
    // A story that leaves out its Task is still a repeat, not a misordered Task.
    let short = "### Situation\n\nIt broke.\n\n### Action\n\nI fixed it.\n\n### Result\n\nFixed: 0 pages.\n\n";
    let text = format!("## One\n\n{short}## Two\n\n{story}");
    let found = findings(&text, star);
    assert!(
        found
            .iter()
            .all(|(code, _)| *code != RuleCode::SectionOrder),
        "{found:?}"
    );
    // Within one story the order still counts.
    let text = "## Situation\n\nIt broke.\n\n## Action\n\nI fixed it.\n\n## Task\n\nFix it.\n\n## Result\n\n0 pages.\n";
    let found = findings(text, star);
    let misordered: Vec<&String> = found
        .iter()
        .filter(|(code, _)| *code == RuleCode::SectionOrder)
        .map(|(_, text)| text)
        .collect();
    assert!(
        misordered == ["## Task"] || misordered == ["## Action"],
        "{found:?}"
    );

    let brag = builtin_template("brag-doc").unwrap();
    let text = "---\ntemplate: brag-doc\n---\n## Goals\n\n- **Goals for this period**: ship search.\n\n## January\n\n- Shipped search to 10% of users.\n\n## February\n\n- Shipped search to everyone.\n\n## March\n\n- Cut search p95 from 900 ms to 300 ms.\n\n## Learning and Growth\n\n- Learned shard sizing.\n";
    let found = findings(text, brag);
    assert!(
        found.iter().all(|(code, _)| !matches!(
            code,
            RuleCode::SectionOrder | RuleCode::MissingSection | RuleCode::SectionHeading
        )),
        "{found:?}"
    );
}

#[test]
fn a_template_placeholder_heading_alone_does_not_make_a_write_up() {
    // Any heading stands for a repeatable section, so those do not count towards the two
    // headings that make a document a write-up of the template.
    let brag = builtin_template("brag-doc").unwrap();
    let config = Config::default();
    let phrases = PhraseRules::builtin();
    let cx = Context {
        template: brag,
        config: &config,
        phrases: &phrases,
    };
    let doc = Document::new("# Readme\n\n## Install\n\nx\n\n## Usage\n\ny\n");
    assert!(!analyze(&doc, &cx).is_writeup);
}

#[test]
fn every_repeat_is_a_section_of_the_outline_with_its_own_progress() {
    use reframe_core::analysis::outline::{SymbolKind, outline, progress};
    let star = builtin_template("star").unwrap();
    let config = Config::default();
    let phrases = PhraseRules::builtin();
    let cx = Context {
        template: star,
        config: &config,
        phrases: &phrases,
    };
    let text = "## One\n\n### Situation\n\n- **Where and when**: Payments, 2025.\n\n### Result\n\nDone.\n\n## Two\n\n### Situation\n\n- **Where and when**: [Team, company and period]\n\n### Result\n\nDone.\n";
    let doc = Document::new(text);
    let analysis = analyze(&doc, &cx);
    let situations: Vec<String> = progress(&analysis, star)
        .iter()
        .filter(|p| star.sections[p.section].title == "Situation")
        .map(|p| p.summary())
        .collect();
    assert_eq!(
        situations,
        ["1/3 fields", "0/3 fields · 1 placeholder"],
        "{situations:?}"
    );
    let symbols = outline(&analysis, star);
    let stories: Vec<(SymbolKind, Option<String>)> = symbols
        .iter()
        .map(|story| (story.children[0].kind, story.children[0].detail.clone()))
        .collect();
    assert_eq!(
        stories,
        [
            (SymbolKind::Section, Some("1/3 fields".to_string())),
            (
                SymbolKind::Section,
                Some("0/3 fields · 1 placeholder".to_string())
            ),
        ]
    );
}

#[test]
fn each_accomplishment_of_a_period_wants_its_outcome() {
    use reframe_core::analysis::actions::{actions, apply_edits};
    let brag = builtin_template("brag-doc").unwrap();
    let text = "---\ntemplate: brag-doc\n---\n# Brag\n\n## Goals\n\n- **Goals for this period**: ship search.\n\n## 2026-01\n\n- Shipped search to everyone.\n- Cut search p95 from 900 ms to 300 ms.\n- **Accomplishment**: moved the indexer.\n- Improved search.\n\n## Q2 2026\n\n- Wrote the shard sizing guide.\n  - Before: every team guessed. After: one page everyone links.\n";
    let found: Vec<(RuleCode, String)> = findings(text, brag)
        .into_iter()
        .filter(|(code, _)| *code == RuleCode::ImpactEvidence)
        .collect();
    // The bare accomplishment is asked for its outcome; the one with a figure, the field
    // (its Outcome field is where the outcome goes), and the one whose sub-bullet holds a
    // before/after are not; a claim with no evidence keeps its own message.
    assert_eq!(
        found,
        [
            (
                RuleCode::ImpactEvidence,
                "Shipped search to everyone.".to_string()
            ),
            (RuleCode::ImpactEvidence, "Improved".to_string()),
        ],
        "{found:?}"
    );
    // Its fix appends the before/after prompt, and the finding goes.
    let config = Config::default();
    let phrases = PhraseRules::builtin();
    let cx = Context {
        template: brag,
        config: &config,
        phrases: &phrases,
    };
    let doc = Document::new(text);
    let analysis = analyze(&doc, &cx);
    let at = text.find("Shipped search").unwrap();
    let message = analysis
        .findings
        .iter()
        .find(|f| f.range.start == at)
        .map(|f| f.message.clone())
        .unwrap();
    assert!(message.starts_with("2026-01: "), "{message}");
    let fix = actions(text, &analysis, brag, at..at)
        .into_iter()
        .find(|a| a.title.contains("Before"))
        .expect("skeleton fix");
    let (fixed, skipped) = apply_edits(text, &fix.edits);
    assert_eq!(skipped, 0);
    assert!(
        fixed.contains(
            "- Shipped search to everyone. Before: [how it was]. After: [how it is now].\n"
        ),
        "{fixed}"
    );
    let after = findings(&fixed, brag);
    assert!(
        !after
            .iter()
            .any(|(code, t)| *code == RuleCode::ImpactEvidence && t.starts_with("Shipped")),
        "{after:?}"
    );
    // A section the template does not repeat asks no outcome of a plain bullet: the ops
    // write-up's impact section is a menu of outcomes, its bullets claims to evidence.
    let ops = builtin_template("ops-writeup").unwrap();
    let ops_text = "## 5. Impact (Ops Style)\n\n- Shipped search to everyone.\n\n## 6. Decisions & Trade-offs\n\nx\n";
    assert!(
        !findings(ops_text, ops)
            .iter()
            .any(|(code, _)| *code == RuleCode::ImpactEvidence),
    );
}

/// Where `tests/panel/materialise.py` caches the real write-ups (`PANEL_CACHE`, else
/// `~/.cache/reframe-panel`).
fn panel_cache() -> std::path::PathBuf {
    match std::env::var_os("PANEL_CACHE") {
        Some(dir) => dir.into(),
        None => {
            Path::new(&std::env::var_os("HOME").unwrap_or_default()).join(".cache/reframe-panel")
        }
    }
}

fn sha256(path: &Path) -> Option<String> {
    let out = Command::new("sha256sum").arg(path).output().ok()?;
    String::from_utf8(out.stdout)
        .ok()?
        .split_whitespace()
        .next()
        .map(str::to_string)
}

/// The section names of a template as messages give them, lower case.
fn section_names(template: &Template) -> Vec<String> {
    template
        .sections
        .iter()
        .map(|s| s.name().to_lowercase())
        .collect()
}

#[test]
fn real_examples_of_each_format_get_only_their_format_s_sections() {
    // tests/formats/sources.tsv: three public write-ups per format, by location and hash
    // (their licences are unknown); the text comes from the panel cache. Without it the
    // test says so and passes, unless REFRAME_REQUIRE_FORMATS=1.
    let sources = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats/sources.tsv"),
    )
    .unwrap();
    let rows: Vec<Vec<&str>> = sources
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    let cache = panel_cache().join("files");
    let dir = TempDir::new("real");
    let mut files: Vec<(String, String, String)> = Vec::new(); // (format, file, text)
    for row in &rows {
        let (format, sha, id) = (row[0], row[4], row[5]);
        let path = cache.join(format!("{id}.md"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            assert!(
                std::env::var_os("REFRAME_REQUIRE_FORMATS").is_none(),
                "{} is missing: run tests/panel/materialise.py",
                path.display()
            );
            eprintln!(
                "formats: {} missing (tests/panel/materialise.py fetches it): real examples not checked",
                path.display()
            );
            return;
        };
        if let Some(found) = sha256(&path) {
            assert_eq!(found, sha, "{id}: not the text sources.tsv names");
        }
        // As published, and with the front matter a writer of that format would add.
        let plain = format!("plain-{format}-{id}.md");
        let named = format!("named-{format}-{id}.md");
        std::fs::write(dir.path().join(&plain), &text).unwrap();
        let with_front_matter = format!("---\ntemplate: {format}\n---\n{text}");
        std::fs::write(dir.path().join(&named), &with_front_matter).unwrap();
        files.push((format.to_string(), plain, text));
        files.push((format.to_string(), named, with_front_matter));
    }
    for format in ["star", "brag-doc", "self-review", "case-study"] {
        let count = rows.iter().filter(|r| r[0] == format).count();
        assert!(count >= 3, "{format}: {count} real examples in sources.tsv");
    }
    let (_, out, err) = reframe(dir.path(), &["check", "--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{err}"));
    let (_, out, _) = reframe(dir.path(), &["check", "--summary", "--format", "json", "."]);
    let summary: serde_json::Value = serde_json::from_str(&out).unwrap();
    let chooser = reframe_workspace::choice::Chooser::new();
    let defaults = std::sync::Arc::new(reframe_core::config::Resolved::defaults());
    let mut figures: std::collections::BTreeMap<String, (usize, usize, Vec<String>)> =
        Default::default();
    for (format, file, text) in &files {
        let own = section_names(builtin_template(format).unwrap());
        let foreign: Vec<String> = BUILTIN_TEMPLATES
            .iter()
            .filter(|(name, _)| name != format)
            .flat_map(|(name, _)| section_names(builtin_template(name).unwrap()))
            .filter(|n| !own.contains(n))
            .collect();
        let entry = report
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["path"].as_str().unwrap_or("").ends_with(file.as_str()));
        let diagnostics = entry
            .and_then(|e| e["diagnostics"].as_array().cloned())
            .unwrap_or_default();
        // A write-up naming no template is checked against its format or not at all.
        let chosen = chooser
            .choose(&defaults, text)
            .resolved
            .template
            .name
            .clone();
        assert!(
            diagnostics.is_empty() || chosen == *format,
            "{file}: checked against {chosen}: {diagnostics:?}"
        );
        for d in &diagnostics {
            let message = d["message"].as_str().unwrap_or("").to_lowercase();
            for name in &foreign {
                assert!(
                    !message.contains(&format!("“{name}”"))
                        && !message.starts_with(&format!("{name}:")),
                    "{file}: a {format} write-up is told about “{name}”: {d}"
                );
            }
            if d["code"] == "missing-section" {
                for section in d["data"]["sections"].as_array().unwrap() {
                    let section = section.as_str().unwrap().to_lowercase();
                    assert!(
                        own.contains(&section),
                        "{file}: {format} has no “{section}”: {d}"
                    );
                }
            }
        }
        let readiness = summary
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["path"].as_str().unwrap_or("").ends_with(file.as_str()))
            .and_then(|e| e["readiness"].as_u64())
            .map_or("-".to_string(), |r| r.to_string());
        let kind = if file.starts_with("named") {
            "named"
        } else {
            "plain"
        };
        let row = figures.entry(format!("{format} {kind}")).or_default();
        row.0 += 1;
        row.1 += diagnostics.len();
        row.2.push(readiness);
    }
    for (format, (count, findings, readiness)) in &figures {
        eprintln!(
            "formats: {format}: {count} files, {findings} findings, readiness {}",
            readiness.join(" ")
        );
    }
}
