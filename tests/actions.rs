//! Every code action proven: applied to its document, each edit applies cleanly, removes the
//! finding it targets, adds no finding other than the placeholders (and template prompts)
//! it means to add, and leaves the rest of the text byte for byte.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::path::Path;

use reframe_core::analysis::actions::{ActionKind, actions, apply_edits, safe_fix_edits};
use reframe_core::analysis::edit::Edit;
use reframe_core::analysis::{Analysis, Context, Finding, FindingData, analyze};
use reframe_core::config::Config;
use reframe_core::document::Document;
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

fn count(findings: &[Finding], code: RuleCode) -> usize {
    findings.iter().filter(|f| f.code == code).count()
}

/// Checks the text outside the edits is unchanged: before the first edit and after the last.
fn assert_rest_untouched(before: &str, after: &str, edits: &[Edit]) {
    let start = edits.iter().map(|e| e.range.start).min().unwrap_or(0);
    let end = edits.iter().map(|e| e.range.end).max().unwrap_or(0);
    assert_eq!(
        &before[..start],
        &after[..start],
        "text before the edit changed"
    );
    assert_eq!(
        &before[end..],
        &after[after.len() - (before.len() - end)..],
        "text after the edit changed"
    );
}

/// Codes an action may add besides fixing its target.
fn allowed_new(code: RuleCode, kind: ActionKind) -> Vec<RuleCode> {
    let mut allowed = vec![RuleCode::Placeholder];
    if code == RuleCode::MissingSection || kind == ActionKind::Source {
        // An inserted section brings the template's fields: their prompts are meant to be
        // answered, and are reported as such.
        allowed.push(RuleCode::TemplatePrompt);
    }
    allowed
}

fn check_document(name: &str, text: &str, template: &Template) -> usize {
    let before = analyse(text, template);
    let mut checked = 0;
    for (index, finding) in before.findings.iter().enumerate() {
        for action in actions(text, &before, template, finding.range.clone()) {
            if action.fixes != Some(index) {
                continue;
            }
            let (after_text, skipped) = apply_edits(text, &action.edits);
            assert_eq!(
                skipped, 0,
                "{name}: {}: an edit did not apply",
                action.title
            );
            assert_rest_untouched(text, &after_text, &action.edits);
            let after = analyse(&after_text, template);
            // The target is gone: no finding of its code where the edit landed (or, for a
            // missing section, none for that section).
            let edit = &action.edits[0];
            let landed = edit.range.start..edit.range.start + edit.new_text.len();
            // A missing-section finding names a gap: inserting one of its sections leaves
            // one section fewer missing.
            let missing = |findings: &[Finding]| -> usize {
                findings
                    .iter()
                    .filter(|f| f.code == RuleCode::MissingSection)
                    .map(|f| match &f.data {
                        FindingData::MissingSections(m) => m.sections.len(),
                        other => panic!("missing-section data: {other:?}"),
                    })
                    .sum()
            };
            let still_there = if finding.code == RuleCode::MissingSection {
                missing(&after.findings) >= missing(&before.findings)
            } else {
                // (A deletion lands where the next line starts: one finding fewer of the
                // code is removal too.)
                count(&after.findings, finding.code) >= count(&before.findings, finding.code)
                    && after.findings.iter().any(|f| {
                        f.code == finding.code
                            && f.range.start < landed.end.max(landed.start + 1)
                            && landed.start < f.range.end.max(f.range.start + 1)
                    })
            };
            assert!(
                !still_there,
                "{name}: “{}” did not remove {} {:?}:\n{}",
                action.title,
                finding.code,
                &text[finding.range.clone()],
                &after_text[landed.clone()]
            );
            let allowed = allowed_new(finding.code, action.kind);
            for code in RuleCode::ALL {
                if allowed.contains(&code) || code == finding.code {
                    continue;
                }
                assert!(
                    count(&after.findings, code) <= count(&before.findings, code),
                    "{name}: “{}” added a {code} finding: {:#?}",
                    action.title,
                    after
                        .findings
                        .iter()
                        .filter(|f| f.code == code)
                        .collect::<Vec<_>>()
                );
            }
            checked += 1;
        }
    }
    checked
}

fn documents() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests/fixtures", "examples"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("dir")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("read");
            out.push((path.display().to_string(), text));
        }
    }
    out
}

#[test]
fn every_quick_fix_applies_cleanly_and_removes_its_finding() {
    let template = Template::builtin();
    let mut checked = 0;
    for (name, text) in documents() {
        checked += check_document(&name, &text, template);
    }
    // The fixtures and the example hold findings of every fixable kind.
    assert!(checked >= 20, "only {checked} actions checked");
}

#[test]
fn the_example_offers_the_expected_fixes() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci-migration.md"),
    )
    .expect("example");
    let template = Template::builtin();
    let analysis = analyse(&text, template);
    let at = |needle: &str| {
        let start = text.find(needle).expect("needle");
        start..start + needle.len()
    };
    let titles = |range| -> Vec<String> {
        actions(&text, &analysis, template, range)
            .into_iter()
            // Every finding also offers "Ignore this finding on this line" (tests/suppress.rs).
            .filter(|a| a.kind == ActionKind::QuickFix && !a.title.starts_with("Ignore this"))
            .map(|a| a.title)
            .collect()
    };
    let heading = titles(at("## Impact"));
    assert_eq!(
        heading,
        ["Use the template heading “## 5. Impact (Ops Style)”"]
    );
    let just = titles(at("just set up"));
    assert!(just.iter().any(|t| t == "Remove “just”"), "{just:?}");
    let helped = titles(at("helped with"));
    assert!(helped.len() >= 2, "{helped:?}");
}

#[test]
fn the_template_reframe_is_offered_for_its_own_weak_example() {
    let template = Template::builtin();
    let text = "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n- **What You Did**: I just set up monitoring.\n";
    let analysis = analyse(text, template);
    let minimizer = analysis
        .findings
        .iter()
        .find(|f| f.code == RuleCode::Minimizer)
        .expect("minimizer");
    let found = actions(text, &analysis, template, minimizer.range.clone());
    let reframe = found
        .iter()
        .find(|a| a.title.starts_with("Reframe as"))
        .expect("the template's reframe is offered");
    let (after, _) = apply_edits(text, &reframe.edits);
    assert!(after.contains("- **What You Did**: I implemented observability so the team could proactively identify issues before customers were impacted."));
    let after = analyse(&after, template);
    assert_eq!(count(&after.findings, RuleCode::Minimizer), 0);
    assert_eq!(count(&after.findings, RuleCode::PassiveVoice), 0);
}

#[test]
fn fix_all_only_makes_safe_changes() {
    let template = Template::builtin();
    for (name, text) in documents() {
        let before = analyse(&text, template);
        let edits = safe_fix_edits(&text, &before, template);
        let (fixed, skipped) = apply_edits(&text, &edits);
        assert_eq!(skipped, 0, "{name}");
        let after = analyse(&fixed, template);
        assert_eq!(
            count(&after.findings, RuleCode::SectionHeading),
            0,
            "{name}"
        );
        for code in RuleCode::ALL {
            assert!(
                count(&after.findings, code) <= count(&before.findings, code),
                "{name}: fix-all added {code}"
            );
        }
        // Only deletions of minimizers and heading completions: every edit either removes
        // text or replaces a heading line.
        for e in &edits {
            let old = &text[e.range.clone()];
            assert!(
                e.new_text.is_empty() || old.starts_with('#'),
                "{name}: unsafe edit {old:?} → {:?}",
                e.new_text
            );
        }
    }
}

#[test]
fn insert_all_missing_sections_leaves_none_missing() {
    let template = Template::builtin();
    let text = "---\ntemplate: ops-writeup\n---\n## 2. The Problem/Need\n\nDeploys were manual and slow.\n\n## 7. Challenges\n\nLegacy systems.\n";
    let analysis = analyse(text, template);
    // One finding per gap: section 1 (before 2), 3–6 (between 2 and 7) and 9 (after 7;
    // 8 is guidance): six sections in three findings.
    let gaps = count(&analysis.findings, RuleCode::MissingSection);
    let missing: usize = analysis
        .findings
        .iter()
        .filter(|f| f.code == RuleCode::MissingSection)
        .map(|f| match &f.data {
            FindingData::MissingSections(m) => m.sections.len(),
            other => panic!("missing-section data: {other:?}"),
        })
        .sum();
    assert_eq!((gaps, missing), (3, 6));
    let all = actions(text, &analysis, template, 0..0)
        .into_iter()
        .find(|a| a.kind == ActionKind::Source)
        .expect("insert all");
    let (after, skipped) = apply_edits(text, &all.edits);
    assert_eq!(skipped, 0);
    let after_analysis = analyse(&after, template);
    assert_eq!(
        count(&after_analysis.findings, RuleCode::MissingSection),
        0,
        "{after}"
    );
    assert_eq!(
        count(&after_analysis.findings, RuleCode::SectionOrder),
        0,
        "{after}"
    );
    // The writer's text is all still there, in order.
    let kept: Vec<&str> = ["Deploys were manual and slow.", "Legacy systems."].to_vec();
    let positions: Vec<usize> = kept.iter().map(|k| after.find(k).expect("kept")).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]));
    assert!(after.starts_with("---\ntemplate: ops-writeup\n---\n\n## 1. Project Overview\n\n- **What You Did**: [Brief description]"), "{after}");
}

#[test]
fn every_offered_rewrite_fixes_every_rows_bad_example() {
    let template = Template::builtin();
    let phrases = phrase_rules();
    let mut offered = 0;
    let mut report = String::new();
    for row in phrases.rows() {
        let head = "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n";
        let text = format!("{head}{}\n", row.bad);
        let before = analyse(&text, template);
        let Some((index, finding)) = before.findings.iter().enumerate().find(|(_, f)| {
            f.code == row.code && f.data.wording().is_some_and(|w| w.rule == row.id)
        }) else {
            panic!(
                "row {} does not fire on its bad example in a write-up: {:?}",
                row.id, row.bad
            );
        };
        // The rewrites (not the "ignore" suppression, which the suppression tests cover).
        let fixes: Vec<_> = actions(&text, &before, template, finding.range.clone())
            .into_iter()
            .filter(|a| a.fixes == Some(index) && !a.title.starts_with("Ignore"))
            .collect();
        assert!(!fixes.is_empty(), "row {}: no rewrite offered", row.id);
        // At most one preferred fix, and only one that keeps the meaning: where every
        // rewrite would change what the sentence says ("I'm not sure it was the right call,
        // but …" → drop the clause), none is preferred and the writer chooses.
        assert!(
            fixes.iter().filter(|a| a.preferred).count() <= 1,
            "row {}: more than one preferred fix among {:?}",
            row.id,
            fixes
                .iter()
                .map(|a| (&a.title, a.preferred))
                .collect::<Vec<_>>()
        );
        for action in fixes {
            let (after, skipped) = apply_edits(&text, &action.edits);
            assert_eq!(skipped, 0);
            let fixed_line = after[head.len()..].trim_end();
            let again = analyse(&after, template);
            let start = head.len();
            assert!(
                !again.findings.iter().any(|f| f.code == row.code
                    && f.range.start >= start
                    && f.data.wording().is_some_and(|w| w.rule == row.id)),
                "row {}: “{}” left the finding: {fixed_line:?}",
                row.id,
                action.title
            );
            report.push_str(&format!(
                "{:<22} {:?}\n    → {fixed_line:?}\n",
                row.id, row.bad
            ));
            offered += 1;
        }
    }
    println!("{report}");
    assert!(offered >= 60, "only {offered} rewrites offered");
}

/// Whether a finding's data is the kind its code makes (the readers match on both).
fn data_fits(code: RuleCode, data: &FindingData) -> bool {
    match data {
        FindingData::Wording(_) => code.is_phrase_rule(),
        FindingData::Placeholder(_) => code == RuleCode::Placeholder,
        FindingData::EmptyField(_) => code == RuleCode::EmptyField,
        FindingData::FieldPrompt(_) | FindingData::Guidance(_) => code == RuleCode::TemplatePrompt,
        FindingData::EmptyFrontMatter(_) => code == RuleCode::EmptyFrontmatter,
        FindingData::SectionHeading(_) => code == RuleCode::SectionHeading,
        FindingData::MissingSections(_) => code == RuleCode::MissingSection,
        FindingData::SectionOrder(_) => code == RuleCode::SectionOrder,
        FindingData::EmptySection(_) => code == RuleCode::EmptySection,
        FindingData::ImpactOutcome(_) | FindingData::ImpactEvidence(_) => {
            code == RuleCode::ImpactEvidence
        }
        FindingData::UnknownTemplate(_) => code.as_str() == "unknown-template",
    }
}

#[test]
fn every_findings_data_fits_its_code_and_reads_back_from_its_json() {
    let template = Template::builtin();
    // Beside the fixtures: sections out of order (one belonging first) and missing before
    // the first present, an empty section.
    let more = "---\ntitle: T\n---\n## 3. What You Built/Implemented\n\n\
                - **Scope**: 3 teams.\n\n## 5. Impact (Ops Style)\n\n\
                - Migrated the pipeline to GitHub Actions.\n\n## 1. Project Overview\n\n\
                - **What You Did**: I moved the builds.\n\n## 7. Challenges\n\n## Notes\n";
    let mut documents = documents();
    documents.push(("more".to_string(), more.to_string()));
    let mut findings: Vec<Finding> = Vec::new();
    for (_, text) in &documents {
        findings.extend(analyse(text, template).findings);
    }
    // The other built-in formats, each against its own template.
    let formats = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    for (name, _) in reframe_core::template_choice::BUILTIN_TEMPLATES {
        let (Ok(text), Some(own)) = (
            std::fs::read_to_string(formats.join(format!("{name}.md"))),
            reframe_core::template_choice::builtin_template(name),
        ) else {
            continue;
        };
        findings.extend(analyse(&text, own).findings);
    }
    findings.extend(reframe_core::template_choice::unknown_template(
        "nosuch",
        0..0,
        &[],
    ));
    let mut kinds = std::collections::BTreeSet::new();
    for finding in &findings {
        assert!(data_fits(finding.code, &finding.data), "{finding:?}");
        let json = serde_json::to_value(&finding.data).expect("serialises");
        assert!(json.is_object(), "{json}");
        let back: FindingData = serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("{json} does not read back: {e}"));
        assert_eq!(back, finding.data, "{json}");
        kinds.insert(
            format!("{:?}", finding.data)
                .split('(')
                .next()
                .map(str::to_string),
        );
    }
    // Every kind of data is made somewhere above.
    assert_eq!(kinds.len(), 13, "{kinds:?}");
}
