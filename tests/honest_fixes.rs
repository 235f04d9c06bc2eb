//! Honest fixes, checked on every labelled sentence (`tests/data/sentences.tsv`) placed in
//! the section that tells the writer's work: a preferred fix (and every fixAll edit) never
//! drops a negation, never drops a word outside the flagged words, and never adds a claim
//! verb the sentence did not have. Stronger verbs are offered only as alternatives whose
//! title says they are a choice to make if true.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::collections::BTreeMap;

use reframe_core::analysis::actions::{Action, actions, apply_edits, safe_fix_edits};
use reframe_core::analysis::{Analysis, Context, analyze};
use reframe_core::config::Config;
use reframe_core::document::Document;
use reframe_core::rules::RuleCode;
use reframe_core::rules::phrases::PhraseRules;
use reframe_core::template::Template;

/// Verbs that claim leadership or authorship: a fix may not bring one in.
const CLAIM_VERBS: &[&str] = &[
    "led",
    "lead",
    "drove",
    "drive",
    "built",
    "build",
    "designed",
    "ran",
    "run",
    "shaped",
    "spearheaded",
    "architected",
    "delivered",
    "created",
    "owned",
    "own",
    "partnered",
    "implemented",
    "launched",
    "headed",
    "directed",
    "championed",
];

/// Claim verbs a row may use because they say the same as the words they replace.
const SAME_CLAIM: &[(&str, &str)] = &[
    ("responsible", "owned"),
    ("responsible", "own"),
    ("charge", "owned"),
];

const NEGATIONS: &[&str] = &["not", "never", "no", "n't", "nobody", "nothing", "without"];

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect()
}

fn multiset(words: &[String]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for w in words {
        *m.entry(w.clone()).or_insert(0) += 1;
    }
    m
}

fn negations(words: &[String]) -> usize {
    words
        .iter()
        .filter(|w| NEGATIONS.contains(&w.as_str()) || w.ends_with("n't"))
        .count()
}

struct Checked {
    problems: Vec<String>,
    preferred: usize,
}

/// `dismissal`: the flagged words are a minimizer or hedge whose negation is the shrug
/// itself ("nothing fancy", "I'm not sure"); dropping them may drop that negation.
fn check_fix(
    before: &str,
    after: &str,
    flagged: &str,
    dismissal: bool,
    what: &str,
    out: &mut Checked,
) {
    let old = words(before);
    let new = words(after);
    // Negations outside the flagged words stay ("was never documented" keeps "never"); a
    // flagged dismissal ("It wasn't a big deal") may go.
    let may_drop = if dismissal {
        negations(&words(flagged))
    } else {
        0
    };
    if negations(&new) + may_drop < negations(&old) {
        out.problems
            .push(format!("{what}: drops a negation: {before:?} → {after:?}"));
    }
    // Every word outside the flagged words stays.
    let mut outside = multiset(&old);
    for w in words(flagged) {
        if let Some(n) = outside.get_mut(&w) {
            *n = n.saturating_sub(1);
        }
    }
    let kept = multiset(&new);
    for (w, n) in &outside {
        if *n > 0 && kept.get(w).copied().unwrap_or(0) < *n {
            // A re-cased first word is the same word.
            out.problems.push(format!(
                "{what}: drops {w:?} from outside the flagged words: {before:?} → {after:?}"
            ));
        }
    }
    let had = multiset(&old);
    for w in &new {
        if CLAIM_VERBS.contains(&w.as_str()) && !had.contains_key(w) {
            let same = SAME_CLAIM
                .iter()
                .any(|(from, to)| to == w && old.iter().any(|o| o == from));
            if !same {
                out.problems.push(format!(
                    "{what}: adds the claim {w:?}: {before:?} → {after:?}"
                ));
            }
        }
    }
}

fn analyse(text: &str, template: &Template, rules: &PhraseRules) -> Analysis {
    let config = Config::default();
    let cx = Context {
        template,
        config: &config,
        phrases: rules,
    };
    analyze(&Document::new(text), &cx)
}

const HEAD: &str = "---\ntemplate: ops-writeup\n---\n## 3. What You Built/Implemented\n\n";

fn sentences() -> Vec<String> {
    let tsv = include_str!("data/sentences.tsv");
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.splitn(3, '\t').nth(2))
        .map(str::to_string)
        .collect()
}

#[test]
fn preferred_fixes_and_fix_all_keep_the_meaning() {
    let template = Template::builtin();
    let rules = PhraseRules::builtin();
    let mut checked = Checked {
        problems: Vec::new(),
        preferred: 0,
    };
    let mut alternatives = 0;
    for sentence in sentences() {
        let text = format!("{HEAD}{sentence}\n");
        let analysis = analyse(&text, template, &rules);
        let listed: Vec<Action> = actions(&text, &analysis, template, 0..text.len());
        for (i, finding) in analysis.findings.iter().enumerate() {
            if !finding.code.is_phrase_rule() {
                continue;
            }
            let flagged = &text[finding.range.clone()];
            let dismissal = matches!(finding.code, RuleCode::Minimizer | RuleCode::Hedge);
            for action in listed.iter().filter(|a| a.fixes == Some(i)) {
                let (after, _) = apply_edits(&text, &action.edits);
                let claims_more = action.title.contains("only if true");
                if action.preferred {
                    checked.preferred += 1;
                    assert!(
                        !claims_more,
                        "a stronger claim is preferred: {}",
                        action.title
                    );
                    check_fix(
                        &text,
                        &after,
                        flagged,
                        dismissal,
                        &action.title,
                        &mut checked,
                    );
                } else if finding.code == RuleCode::WeakVerb && !claims_more {
                    // Alternatives that are not marked as choices must be honest too.
                    let mut quiet = Checked {
                        problems: Vec::new(),
                        preferred: 0,
                    };
                    check_fix(&text, &after, flagged, dismissal, &action.title, &mut quiet);
                    if quiet.problems.iter().any(|p| p.contains("adds the claim")) {
                        checked.problems.push(format!(
                            "unmarked stronger claim: {} on {sentence:?}",
                            action.title
                        ));
                    }
                } else if claims_more {
                    alternatives += 1;
                }
            }
        }
        let (fixed, _) = apply_edits(&text, &safe_fix_edits(&text, &analysis, template));
        if fixed != text {
            let flagged: String = analysis
                .findings
                .iter()
                .map(|f| &text[f.range.clone()])
                .collect::<Vec<_>>()
                .join(" ");
            // fixAll drops minimizers and completes headings: dismissals only.
            check_fix(&text, &fixed, &flagged, true, "fixAll", &mut checked);
        }
    }
    assert!(
        checked.preferred >= 50,
        "too few preferred fixes to judge: {}",
        checked.preferred
    );
    assert!(
        alternatives > 0,
        "no stronger verb offered as an alternative"
    );
    assert!(
        checked.problems.is_empty(),
        "{} dishonest fixes:\n{}",
        checked.problems.len(),
        checked.problems.join("\n")
    );
}

#[test]
fn the_honesty_check_catches_what_it_should() {
    let mut c = Checked {
        problems: Vec::new(),
        preferred: 0,
    };
    let bad = [
        (
            "I participated in the review.",
            "I led the review.",
            "participated in",
            false,
        ),
        (
            "The config was never documented.",
            "I documented the config.",
            "was never documented",
            false,
        ),
        (
            "I just set up monitoring (for 3 teams).",
            "I set up monitoring.",
            "just",
            true,
        ),
    ];
    for (before, after, flagged, dismissal) in bad {
        check_fix(before, after, flagged, dismissal, "x", &mut c);
    }
    // A claim added, a negation dropped, three words dropped from outside the flagged ones.
    assert_eq!(c.problems.len(), 5, "{:#?}", c.problems);
    let mut ok = Checked {
        problems: Vec::new(),
        preferred: 0,
    };
    let good = [
        (
            "I was responsible for CI.",
            "I owned CI.",
            "was responsible for",
            false,
        ),
        (
            "I just set up monitoring.",
            "I set up monitoring.",
            "just",
            true,
        ),
        (
            "It was nothing fancy, a script.",
            "It was a script.",
            "nothing fancy",
            true,
        ),
    ];
    for (before, after, flagged, dismissal) in good {
        check_fix(before, after, flagged, dismissal, "x", &mut ok);
    }
    assert!(ok.problems.is_empty(), "{:#?}", ok.problems);
}

/// The preferred fix of the one wording finding on `line`, under `heading`, applied.
fn preferred_after(heading: &str, line: &str) -> Option<String> {
    let template = Template::builtin();
    let rules = PhraseRules::builtin();
    let text = format!("---\ntemplate: ops-writeup\n---\n{heading}\n\n{line}\n");
    let analysis = analyse(&text, template, &rules);
    let listed = actions(&text, &analysis, template, 0..text.len());
    let (index, _) = analysis
        .findings
        .iter()
        .enumerate()
        .find(|(_, f)| f.code.is_phrase_rule())?;
    let action = listed
        .iter()
        .find(|a| a.fixes == Some(index) && a.preferred)?;
    let (after, _) = apply_edits(&text, &action.edits);
    let start = text.len() - line.len() - 1;
    Some(after[start..].trim_end().to_string())
}

#[test]
fn preferred_fixes_keep_tense_qualifiers_case_and_who_did_it() {
    let work = "## 3. What You Built/Implemented";
    // "helped <do>": the help is asked about, the writer's own verb stays.
    assert_eq!(
        preferred_after(work, "Helped to ensure the UI is consistent.").as_deref(),
        Some("[what you did] to ensure the UI is consistent.")
    );
    assert_eq!(
        preferred_after(work, "Reviewed pull requests and help test new features.").as_deref(),
        Some("Reviewed pull requests and [what you did] to test new features.")
    );
    // Adverbs of a capability frame stay with the verb.
    assert_eq!(
        preferred_after(work, "We were then able to ship an API.").as_deref(),
        Some("We then shipped an API.")
    );
    assert_eq!(
        preferred_after(work, "I was able to quickly and effectively plan the work.").as_deref(),
        Some("I quickly and effectively planned the work.")
    );
    // A present frame keeps the present.
    assert_eq!(
        preferred_after(work, "Am able to compile vague requirements into specs.").as_deref(),
        Some("Compile vague requirements into specs.")
    );
    // "primarily responsible" is not "owned": the fix asks.
    assert_eq!(
        preferred_after(work, "I was primarily responsible for the CI pipeline.").as_deref(),
        Some("I [what you did] the CI pipeline.")
    );
    // Even in the work section a passive does not say the writer did it: ask who.
    assert_eq!(
        preferred_after(work, "Conflict was resolved with patches.").as_deref(),
        Some("Conflict was resolved by [who] with patches.")
    );
    // Outside the template's sections too.
    assert_eq!(
        preferred_after("## Notes", "The pipeline was migrated to GitHub Actions.").as_deref(),
        Some("The pipeline was migrated by [who] to GitHub Actions.")
    );
    // "might have revealed" is what might have been: no preferred rewrite.
    assert_eq!(
        preferred_after(
            work,
            "Testing more layouts might have revealed bigger wins."
        )
        .as_deref(),
        None
    );
}
