//! Interview readiness: the `impact-evidence` rule against a labelled set of impact
//! bullets (precision and recall printed with `--nocapture`), the fixture write-ups in
//! `tests/fixtures/readiness/` (questions, skills, readiness, and the negatives), the
//! template roles on other templates, and the quick fix.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::fmt::Write;
use std::path::{Path, PathBuf};

use reframe_core::analysis::actions::{ActionKind, actions, apply_edits};
use reframe_core::analysis::questions::{Kind, questions};
use reframe_core::analysis::readiness::readiness;
use reframe_core::analysis::skills::supported;
use reframe_core::analysis::{Analysis, Context, analyze};
use reframe_core::config::Config;
use reframe_core::document::{Document, PositionEncoding};
use reframe_core::rules::RuleCode;
use reframe_core::rules::phrases::PhraseRules;
use reframe_core::template::Template;

fn phrase_rules() -> &'static PhraseRules {
    static RULES: std::sync::OnceLock<PhraseRules> = std::sync::OnceLock::new();
    RULES.get_or_init(PhraseRules::builtin)
}

fn analyse(text: &str, template: &Template) -> Analysis {
    let config = Config::default();
    let cx = Context {
        template,
        config: &config,
        phrases: phrase_rules(),
    };
    analyze(&Document::new(text), &cx)
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative)).expect(relative)
}

fn impact_doc(bullet: &str) -> String {
    format!("---\ntemplate: ops-writeup\n---\n## 5. Impact (Ops Style)\n\n- {bullet}\n")
}

fn fires(text: &str) -> bool {
    analyse(text, Template::builtin())
        .findings
        .iter()
        .any(|f| f.code == RuleCode::ImpactEvidence)
}

fn labelled() -> Vec<(bool, String)> {
    read("tests/data/impact.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (label, bullet) = l.split_once('\t').expect("label<TAB>bullet");
            assert!(matches!(label, "fire" | "quiet"), "{l}");
            (label == "fire", bullet.to_string())
        })
        .collect()
}

#[test]
fn impact_evidence_precision_and_recall_on_the_labelled_set() {
    let set = labelled();
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let mut false_positives = Vec::new();
    let mut misses = Vec::new();
    for (expected, bullet) in &set {
        let fired = fires(&impact_doc(bullet));
        match (expected, fired) {
            (true, true) => tp += 1,
            (false, true) => {
                fp += 1;
                false_positives.push(bullet.clone());
            }
            (true, false) => {
                fn_ += 1;
                misses.push(bullet.clone());
            }
            (false, false) => {}
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    println!(
        "impact-evidence on {} labelled bullets: precision {precision:.3} ({tp}/{}), recall {recall:.3} ({tp}/{})",
        set.len(),
        tp + fp,
        tp + fn_
    );
    println!("missed: {misses:#?}");
    assert!(
        false_positives.is_empty(),
        "fired on bullets with evidence or no claim: {false_positives:#?}"
    );
    assert!(recall >= 0.8, "recall {recall:.3}; missed: {misses:#?}");
}

#[test]
fn impact_evidence_never_fires_outside_impact_sections() {
    for (_, bullet) in labelled() {
        for heading in ["## 4. Technical Details", "## 7. Challenges", "## Notes"] {
            let text = format!(
                "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n{heading}\n\n- {bullet}\n\nImproved reliability.\n"
            );
            assert!(!fires(&text), "{heading}: {bullet}");
        }
        // In the impact section, but as a paragraph rather than a bullet.
        let paragraph = format!(
            "---\ntemplate: ops-writeup\n---\n## 5. Impact (Ops Style)\n\n{}\n",
            bullet.trim_start_matches("**")
        );
        assert!(!fires(&paragraph), "paragraph: {bullet}");
    }
}

#[test]
fn impact_evidence_ignores_code_template_text_and_placeholders() {
    for bullet in [
        "`Improved reliability`",
        "**Reliability**: \"Reduced manual intervention needs\" / \"Improved system stability\"",
        "[Improved something]",
    ] {
        assert!(!fires(&impact_doc(bullet)), "{bullet}");
    }
    // A figure in a sub-bullet is evidence for its parent.
    assert!(!fires(&impact_doc(
        "**Time**: Improved deploy time\n  - from 45 to 6 minutes"
    )));
    assert!(fires(&impact_doc(
        "**Time**: Improved deploy time\n  - for every team"
    )));
}

#[test]
fn the_before_after_quick_fix_removes_the_hint() {
    let template = Template::builtin();
    for bullet in [
        "Improved reliability",
        "**Reliability**: Improved system stability.",
        "Faster deploys (for every team)",
    ] {
        let text = impact_doc(bullet);
        let analysis = analyse(&text, template);
        let finding = analysis
            .findings
            .iter()
            .find(|f| f.code == RuleCode::ImpactEvidence)
            .expect("hint");
        let found = actions(&text, &analysis, template, finding.range.clone());
        let fix = found
            .iter()
            .find(|a| a.kind == ActionKind::QuickFix && a.title.contains("Before"))
            .expect("skeleton fix");
        assert!(fix.preferred);
        let (after, skipped) = apply_edits(&text, &fix.edits);
        assert_eq!(skipped, 0);
        assert!(
            after.contains("Before: [how it was]. After: [how it is now]."),
            "{after}"
        );
        assert!(!fires(&after), "{after}");
        let placeholders = analyse(&after, template)
            .findings
            .iter()
            .filter(|f| f.code == RuleCode::Placeholder)
            .count();
        assert_eq!(placeholders, 2, "{after}");
    }
}

/// The template a fixture names in its front matter (`template: …`).
fn fixture_template(text: &str) -> Template {
    let name = text
        .lines()
        .find_map(|l| l.strip_prefix("template:"))
        .map(str::trim)
        .unwrap_or("ops-writeup");
    match name {
        "promotion-packet" => Template::parse(name, &read("templates/promotion-packet.md")),
        "postmortem" => Template::parse(name, &read("tests/fixtures/custom/template.md")),
        _ => Template::builtin().clone(),
    }
}

/// What interview readiness says about a document: the readiness and its breakdown, the
/// questions (kind, line, home section), the skills shown, and the impact-evidence hints.
fn render(text: &str, template: &Template) -> String {
    let analysis = analyse(text, template);
    let doc = Document::new(text);
    let line = |byte: usize| doc.byte_to_position(byte, PositionEncoding::Utf32).line + 1;
    let mut out = String::new();
    match readiness(text, &analysis, template) {
        Some(r) => writeln!(out, "{}: {}", r.summary(), r.breakdown()).unwrap(),
        None => writeln!(out, "not a write-up").unwrap(),
    }
    for q in questions(text, &analysis, template) {
        let home = q
            .home
            .and_then(|h| template.sections.get(h))
            .map_or("-", |s| s.heading.as_str());
        writeln!(
            out,
            "question {:?} line {} [{home}]: {}",
            q.kind,
            line(q.source.start),
            q.text
        )
        .unwrap();
    }
    for s in supported(text, &analysis, template) {
        writeln!(
            out,
            "skill {} line {} ({}): {}",
            s.skill,
            line(s.source.start),
            s.place,
            s.sentence
        )
        .unwrap();
    }
    for f in analysis
        .findings
        .iter()
        .filter(|f| f.code == RuleCode::ImpactEvidence)
    {
        let start = doc.byte_to_position(f.range.start, PositionEncoding::Utf32);
        writeln!(
            out,
            "impact-evidence {}:{} {:?}: {}",
            start.line + 1,
            start.character + 1,
            &text[f.range.clone()],
            f.message
        )
        .unwrap();
    }
    out
}

fn fixture_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("fixture dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            fixture_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "md") {
            found.push(path);
        }
    }
}

/// `tests/fixtures/readiness/**/*.md` against the `.expected` beside each
/// (`REFRAME_BLESS=1` rewrites them; read the diff before committing).
#[test]
fn readiness_fixtures() {
    let mut files = Vec::new();
    fixture_files(&root().join("tests/fixtures/readiness"), &mut files);
    files.sort();
    assert!(files.len() >= 4);
    let mut failures = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let actual = render(&text, &fixture_template(&text));
        let expected_path = path.with_extension("expected");
        if std::env::var_os("REFRAME_BLESS").is_some() {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{}\n--- expected\n{expected}--- actual\n{actual}",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn example() -> String {
    read("examples/ci-migration.md")
}

#[test]
fn the_example_gets_the_questions_an_interviewer_would_ask() {
    let text = example();
    let template = Template::builtin();
    let analysis = analyse(&text, template);
    let asked = questions(&text, &analysis, template);
    let texts: Vec<&str> = asked.iter().map(|q| q.text.as_str()).collect();
    for expected in [
        "Why move from Jenkins to GitHub Actions instead of fixing the Jenkins setup you had?",
        "You chose GitHub Actions over GitLab CI: what would have made GitLab CI the better choice?",
        "Why did you choose Terraform over CloudFormation or Pulumi?",
        "What if it grew from 14 services to 1,400?",
        "What happens when the script that opens the migration PR in each repo fails?",
    ] {
        assert!(texts.contains(&expected), "{expected}\n{texts:#?}");
    }
    // Jenkins was left behind: nobody asks why it was chosen.
    assert!(
        !texts
            .iter()
            .any(|t| t.starts_with("Why did you choose Jenkins"))
    );
    // Every question is homed on the decisions section (the example has no Interview
    // Framing section).
    let decisions = template
        .sections
        .iter()
        .position(|s| s.title == "Decisions & Trade-offs");
    assert!(asked.iter().all(|q| q.home == decisions));
    let kinds: Vec<Kind> = asked.iter().map(|q| q.kind).collect();
    assert!(kinds.contains(&Kind::Scale) && kinds.contains(&Kind::Reliability));
}

#[test]
fn tools_in_code_give_no_questions_and_figures_give_no_hint() {
    let text = read("tests/fixtures/readiness/negatives.md");
    let template = Template::builtin();
    let analysis = analyse(&text, template);
    let asked = questions(&text, &analysis, template);
    assert!(asked.iter().all(|q| q.kind != Kind::Choice), "{asked:#?}");
    assert!(
        !asked
            .iter()
            .any(|q| q.text.contains("Terraform") || q.text.contains("GitHub Actions"))
    );
    assert!(
        !analysis
            .findings
            .iter()
            .any(|f| f.code == RuleCode::ImpactEvidence),
        "{:#?}",
        analysis.findings
    );
    let observability = read("tests/fixtures/readiness/observability.md");
    let analysis = analyse(&observability, template);
    let asked = questions(&observability, &analysis, template);
    // Pulumi is named only in a code block: never asked about as a choice.
    assert!(
        !asked
            .iter()
            .any(|q| q.text.contains("choose Pulumi") || q.text.contains("chose Pulumi")),
        "{asked:#?}"
    );
}

#[test]
fn other_templates_offer_less_and_never_nonsense() {
    // The postmortem template asks for no decisions and lists no questions: no questions,
    // no skills, no impact hints; readiness still adds up.
    let text = read("tests/fixtures/readiness/custom/outage.md");
    let template = fixture_template(&text);
    let analysis = analyse(&text, &template);
    assert!(analysis.is_writeup);
    assert!(questions(&text, &analysis, &template).is_empty());
    assert!(supported(&text, &analysis, &template).is_empty());
    assert!(
        !analysis
            .findings
            .iter()
            .any(|f| f.code == RuleCode::ImpactEvidence)
    );
    let r = readiness(&text, &analysis, &template).expect("readiness");
    assert!(r.impact.is_none());
    assert!(r.parts.iter().all(|p| p.earned <= p.max));
    // The promotion packet: impact hints only in its impact section.
    let text = read("tests/fixtures/readiness/promotion/packet.md");
    let template = fixture_template(&text);
    let analysis = analyse(&text, &template);
    let hints: Vec<&str> = analysis
        .findings
        .iter()
        .filter(|f| f.code == RuleCode::ImpactEvidence)
        .map(|f| &text[f.range.clone()])
        .collect();
    assert_eq!(hints, ["Faster"]);
    // A template with no sections, and a document that is not a write-up.
    let empty = Template::parse("empty", "just text");
    for doc in [
        "",
        "# Title\n\nImproved reliability with Terraform for 14 services.\n",
    ] {
        let analysis = analyse(doc, &empty);
        assert!(questions(doc, &analysis, &empty).is_empty());
        assert!(readiness(doc, &analysis, &empty).is_none());
    }
}

#[test]
fn readiness_of_the_example_and_its_breakdown() {
    let text = example();
    let template = Template::builtin();
    let analysis = analyse(&text, template);
    let r = readiness(&text, &analysis, template).expect("a write-up");
    assert_eq!(r.fields_answered, 18);
    assert_eq!(r.fields_asked, 25);
    assert_eq!(r.placeholders, 2);
    assert_eq!(r.impact, Some((2, 3)));
    let earned: f64 = r.parts.iter().map(|p| p.earned).sum();
    assert_eq!(r.score, earned.round() as u8);
    let markdown = r.markdown();
    assert!(markdown.starts_with(&format!("**Readiness: {}/100**", r.score)));
    assert!(
        markdown.contains("Impact evidence: 2 of 3 impact bullets"),
        "{markdown}"
    );
    // Filling in the empty Skills section raises it.
    let better = text.replace(
        "## 9. Skills Demonstrated\n",
        "## 9. Skills Demonstrated\n\n- **Automation mindset**: the migration script.\n- **Tool evaluation**: GitHub Actions over GitLab CI.\n- **Developer empathy**: deploys without the ops queue.\n",
    );
    let analysis = analyse(&better, template);
    let higher = readiness(&better, &analysis, template).expect("a write-up");
    assert!(higher.score > r.score, "{} → {}", r.score, higher.score);
}

#[test]
fn skills_completion_offers_what_the_write_up_shows() {
    use reframe_core::analysis::completion::complete;
    let template = Template::builtin();
    let text = format!("{}\n- ", example().trim_end_matches('\n'));
    // The cursor after "- " on a new line at the end of the Skills section.
    let text = text.replace(
        "## 9. Skills Demonstrated\n\n[runbook]",
        "## 9. Skills Demonstrated\n\n- \n\n[runbook]",
    );
    let offset = text.find("## 9. Skills Demonstrated\n\n- ").unwrap()
        + "## 9. Skills Demonstrated\n\n- ".len();
    let analysis = analyse(&text, template);
    let items = complete(&text, &analysis, template, offset);
    let labels: Vec<&str> = items.iter().map(|c| c.label.as_str()).collect();
    assert!(labels.contains(&"Automation mindset"), "{labels:?}");
    assert!(labels.contains(&"Tool evaluation"), "{labels:?}");
    assert!(!labels.contains(&"Security awareness"), "{labels:?}");
    let automation = items
        .iter()
        .find(|c| c.label == "Automation mindset")
        .unwrap();
    let doc = automation.documentation.as_deref().unwrap_or("");
    assert!(
        doc.contains("small script that opens the migration PR"),
        "{doc}"
    );
}

#[test]
fn the_outline_root_and_the_title_hover_carry_the_readiness() {
    use reframe_core::analysis::hover::hover;
    use reframe_core::analysis::outline::{SymbolKind, outline};
    use reframe_core::analysis::readiness::decorate_outline;
    // A `# Title` above the sections is the root: the readiness goes in its detail.
    let text = read("tests/fixtures/readiness/promotion/packet.md");
    let template = fixture_template(&text);
    let analysis = analyse(&text, &template);
    let r = readiness(&text, &analysis, &template).unwrap();
    let mut symbols = outline(&analysis, &template);
    decorate_outline(&mut symbols, &analysis, &r);
    assert_eq!(symbols.len(), 1);
    assert_eq!(symbols[0].name, "Promotion packet");
    // The readiness, then the template used and why.
    assert_eq!(
        symbols[0].detail.as_deref(),
        Some(
            format!(
                "readiness {}/100 · promotion-packet template: {}",
                r.score,
                r.template.split_once(": ").map_or("", |(_, why)| why)
            )
            .as_str()
        )
    );
    assert!(
        r.template.starts_with("promotion-packet template: "),
        "{}",
        r.template
    );
    let at = text.find("# Promotion packet").unwrap() + 3;
    let (_, markdown) = hover(&text, &analysis, &template, at).unwrap();
    assert!(markdown.starts_with("**Readiness:"), "{markdown}");
    // Without a title heading: a first entry named by the front matter's title.
    let text = example();
    let template = Template::builtin();
    let analysis = analyse(&text, template);
    let r = readiness(&text, &analysis, template).unwrap();
    let mut symbols = outline(&analysis, template);
    let before = symbols.len();
    decorate_outline(&mut symbols, &analysis, &r);
    assert_eq!(symbols.len(), before + 1);
    assert_eq!(symbols[0].kind, SymbolKind::Document);
    assert_eq!(
        symbols[0].name,
        "Moving deployments from Jenkins to GitHub Actions"
    );
}

fn reframe_cli(args: &[&str]) -> (Option<i32>, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_reframe"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run reframe");
    (
        output.status.code(),
        String::from_utf8(output.stdout).expect("utf-8"),
    )
}

#[test]
fn the_command_line_prints_questions_and_the_summary_table() {
    let (code, markdown) = reframe_cli(&["questions", "examples/ci-migration.md"]);
    assert_eq!(code, Some(0));
    assert!(markdown.starts_with("# Follow-up questions: examples/ci-migration.md\n"));
    assert!(markdown.contains("- What if it grew from 14 services to 1,400? (line 13)"));
    let (code, json) = reframe_cli(&[
        "questions",
        "--format",
        "json",
        "examples/ci-migration.md",
        "tests/fixtures/readme.md",
    ]);
    assert_eq!(code, Some(0));
    let files: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(files[0]["writeup"], true);
    let first = &files[0]["questions"][0];
    assert_eq!(first["kind"], "choice");
    assert_eq!(first["section"], "6. Decisions & Trade-offs");
    assert_eq!(first["range"]["start"]["line"], 12);
    assert_eq!(files[1]["writeup"], false);
    assert_eq!(files[1]["questions"], serde_json::json!([]));

    let (code, table) = reframe_cli(&[
        "check",
        "--summary",
        "examples/",
        "tests/fixtures/readme.md",
    ]);
    assert_eq!(code, Some(1), "findings at warning level");
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("readiness"), "{table}");
    let scores: Vec<u32> = lines[1..]
        .iter()
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    assert!(scores.len() >= 3, "{table}");
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "sorted: {table}");
    assert!(
        lines
            .last()
            .unwrap()
            .ends_with("tests/fixtures/readme.md (not a write-up)")
    );
    let (_, json) = reframe_cli(&[
        "check",
        "--summary",
        "--format",
        "json",
        "examples/ci-migration.md",
    ]);
    let rows: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(rows[0]["readiness"], 60);
    assert_eq!(rows[0]["parts"].as_array().map(Vec::len), Some(4));
}
