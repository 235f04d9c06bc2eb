//! Suppression comments (`reframe-disable-next-line`, `-line`, `disable`/`enable`,
//! `-file`) and the "Ignore this finding on this line" quick fix that writes them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use reframe_core::analysis::actions::{actions, apply_edits};
use reframe_core::analysis::{Analysis, analyze_text};
use reframe_core::config::Resolved;
use reframe_core::document::Document;

fn analyse(text: &str) -> Analysis {
    let resolved = Resolved::defaults();
    let doc = Document::new(text);
    analyze_text(&doc, text, &resolved.context_for(None))
}

/// `(1-based line, code)` of every finding.
fn found(text: &str) -> Vec<(usize, String)> {
    analyse(text)
        .findings
        .iter()
        .map(|f| {
            let line = text[..f.range.start].matches('\n').count() + 1;
            (line, f.code.to_string())
        })
        .collect()
}

const HEAD: &str = "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n";

fn writeup(body: &str) -> String {
    format!(
        "{HEAD}{body}\n## 2. The Problem/Need\n\nDeploys were manual and slow for every team.\n"
    )
}

fn has(findings: &[(usize, String)], line: usize, code: &str) -> bool {
    findings.iter().any(|(l, c)| *l == line && c == code)
}

#[test]
fn without_comments_the_findings_are_there() {
    let text =
        writeup("I just set up monitoring. I think I helped with the move of [something].\n");
    let f = found(&text);
    for code in ["minimizer", "hedge", "weak-verb", "placeholder"] {
        assert!(has(&f, 6, code), "{code}: {f:?}");
    }
}

#[test]
fn disable_next_line_with_and_without_codes() {
    let text = writeup(
        "<!-- reframe-disable-next-line hedge, placeholder -->\nI just set up monitoring. I think I helped with the move of [something].\n",
    );
    let f = found(&text);
    assert!(!has(&f, 7, "hedge") && !has(&f, 7, "placeholder"), "{f:?}");
    assert!(has(&f, 7, "minimizer") && has(&f, 7, "weak-verb"), "{f:?}");

    let all = writeup(
        "<!-- reframe-disable-next-line -->\nI just set up monitoring. I think I helped with the move of [something].\n\nI just did it.\n",
    );
    let f = found(&all);
    assert!(!f.iter().any(|(l, _)| *l == 7), "{f:?}");
    // Only the next line: the paragraph two lines later is reported.
    assert!(has(&f, 9, "minimizer"), "{f:?}");
}

#[test]
fn disable_line_inline() {
    let text = writeup(
        "- **What You Did**: I just set it up. <!-- reframe-disable-line minimizer -->\n- **Your Role**: I just owned it.\n",
    );
    let f = found(&text);
    assert!(!has(&f, 6, "minimizer"), "{f:?}");
    assert!(has(&f, 7, "minimizer"), "{f:?}");
}

#[test]
fn disable_and_enable_ranges() {
    let text = writeup(
        "I just did one.\n\n<!-- reframe-disable -->\n\nI just did two [x].\n\n<!-- reframe-enable minimizer -->\n\nI just did three [y].\n\n<!-- reframe-enable -->\n\nI just did four [z].\n",
    );
    let f = found(&text);
    assert!(has(&f, 6, "minimizer"), "before the range: {f:?}");
    assert!(
        !has(&f, 10, "minimizer") && !has(&f, 10, "placeholder"),
        "all off: {f:?}"
    );
    assert!(has(&f, 14, "minimizer"), "minimizer enabled again: {f:?}");
    assert!(!has(&f, 14, "placeholder"), "the rest still off: {f:?}");
    assert!(
        has(&f, 18, "minimizer") && has(&f, 18, "placeholder"),
        "all on: {f:?}"
    );

    let codes = writeup(
        "<!-- reframe-disable placeholder -->\n\nI just did [x].\n\n<!-- reframe-enable placeholder -->\n\nI did [y].\n",
    );
    let f = found(&codes);
    assert!(
        !has(&f, 8, "placeholder") && has(&f, 8, "minimizer"),
        "{f:?}"
    );
    assert!(has(&f, 12, "placeholder"), "{f:?}");
}

#[test]
fn disable_file_anywhere() {
    let text = writeup(
        "I just set up monitoring. I think I helped with the move of [x].\n\n<!-- reframe-disable-file minimizer hedge -->\n",
    );
    let f = found(&text);
    assert!(
        !f.iter().any(|(_, c)| c == "minimizer" || c == "hedge"),
        "{f:?}"
    );
    assert!(has(&f, 6, "weak-verb"), "{f:?}");
    let all = writeup(
        "<!-- reframe-disable-file -->\nI just set up monitoring. I think I helped with the move of [x].\n",
    );
    assert!(found(&all).is_empty());
    // Structure findings (here a missing section, placed on a heading) go too.
    let before = found(&writeup("Text.\n"));
    assert!(
        before.iter().any(|(_, c)| c == "missing-section"),
        "{before:?}"
    );
}

#[test]
fn comments_in_code_do_not_count() {
    let text = writeup(
        "```\n<!-- reframe-disable-file -->\n```\n\nIn `<!-- reframe-disable-line -->` I just did it.\n",
    );
    let f = found(&text);
    assert!(has(&f, 10, "minimizer"), "{f:?}");
}

#[test]
fn unrelated_comments_and_unknown_codes_change_nothing() {
    let text = writeup(
        "<!-- a note -->\nI just did it.\n\n<!-- reframe-disable-next-line no-such-code -->\nI just did more.\n",
    );
    let f = found(&text);
    assert!(has(&f, 7, "minimizer") && has(&f, 10, "minimizer"), "{f:?}");
}

/// Applies the ignore quick fix of every finding in `text`, one at a time, and checks it
/// removes exactly that finding, inserting nothing but the comment.
fn check_ignore_fixes(text: &str) -> usize {
    let before = analyse(text);
    let mut checked = 0;
    for (index, finding) in before.findings.iter().enumerate() {
        let Some(action) = actions(
            text,
            &before,
            &Resolved::defaults().template,
            finding.range.clone(),
        )
        .into_iter()
        .find(|a| {
            a.fixes == Some(index) && a.title.starts_with("Ignore this finding on this line")
        }) else {
            continue;
        };
        assert_eq!(action.edits.len(), 1);
        let edit = &action.edits[0];
        assert_eq!(
            edit.range.start, edit.range.end,
            "{}: inserts only",
            action.title
        );
        assert!(
            edit.new_text.contains("reframe-disable-"),
            "{:?}",
            edit.new_text
        );
        assert!(
            edit.new_text.contains(finding.code.as_str()),
            "{:?}",
            edit.new_text
        );
        let (after, skipped) = apply_edits(text, &action.edits);
        assert_eq!(skipped, 0);
        let after_findings = analyse(&after).findings;
        // Same findings, minus the one ignored (same code and text, shifted by the edit).
        let shift = |r: &std::ops::Range<usize>| {
            if r.start >= edit.range.start {
                r.start + edit.new_text.len()
            } else {
                r.start
            }
        };
        let expected: Vec<(String, usize)> = before
            .findings
            .iter()
            .enumerate()
            .filter(|(i, f)| {
                *i != index
                    && !(f.code == finding.code
                        && text[..f.range.start].matches('\n').count()
                            == text[..finding.range.start].matches('\n').count())
            })
            .map(|(_, f)| (f.code.to_string(), shift(&f.range)))
            .collect();
        let actual: Vec<(String, usize)> = after_findings
            .iter()
            .map(|f| (f.code.to_string(), f.range.start))
            .collect();
        assert_eq!(actual, expected, "{}\n{after}", action.title);
        checked += 1;
    }
    checked
}

#[test]
fn the_ignore_quick_fix_removes_only_its_finding() {
    let text = writeup(
        "- **What You Did**: I just set up monitoring. I think I helped with the move of [x].\n- **Your Role**: I was responsible for the pipeline.\n\nI led the move and\nI just wrote some Terraform.\n\n> I just did it.\n\n| a | b |\n| - | - |\n| I just did it | x |\n",
    );
    let checked = check_ignore_fixes(&text);
    assert!(checked >= 8, "only {checked} ignore fixes checked");
}

#[test]
fn the_ignore_quick_fix_on_the_example() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci-migration.md"),
    )
    .unwrap();
    let checked = check_ignore_fixes(&text);
    // Every finding but the one in front matter (where comments are not comments).
    assert_eq!(checked, analyse(&text).findings.len() - 1);
}

#[test]
fn the_ignore_quick_fix_forms() {
    let text = writeup(
        "- **What You Did**: I just did it.\n\nFirst line of a paragraph\nand I just did it.\n",
    );
    let analysis = analyse(&text);
    let titles_and_text: Vec<(String, String)> = analysis
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.code.as_str() == "minimizer")
        .map(|(i, f)| {
            let a = actions(
                &text,
                &analysis,
                &Resolved::defaults().template,
                f.range.clone(),
            )
            .into_iter()
            .find(|a| a.fixes == Some(i) && a.title.starts_with("Ignore"))
            .expect("ignore action");
            (a.title, a.edits[0].new_text.clone())
        })
        .collect();
    assert_eq!(
        titles_and_text,
        [
            (
                "Ignore this finding on this line (minimizer)".to_string(),
                "<!-- reframe-disable-next-line minimizer -->\n".to_string()
            ),
            (
                "Ignore this finding on this line (minimizer)".to_string(),
                " <!-- reframe-disable-line minimizer -->".to_string()
            ),
        ]
    );
}
