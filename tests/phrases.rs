//! Tests of the phrase engine: every built-in row against its own examples and
//! rewrites, precision and recall on the labelled sentences in `tests/data/sentences.tsv`,
//! ranges on blanked text, and a property test on arbitrary input.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::LazyLock;

use proptest::prelude::*;
use reframe_core::analysis::wording::{self, Role};
use reframe_core::rules::RuleCode;
use reframe_core::rules::phrases::{PhraseHit, PhraseRules, scan};

/// Compiled once for the property tests.
static RULES: LazyLock<PhraseRules> = LazyLock::new(PhraseRules::builtin);

const CODES: [RuleCode; 4] = [
    RuleCode::WeakVerb,
    RuleCode::Minimizer,
    RuleCode::Hedge,
    RuleCode::PassiveVoice,
];

/// The findings of a sentence in a work section: the tables' candidates that the sentence's
/// facts confirm (`analysis::wording::judge`), as `check_prose` keeps them.
fn found(text: &str, rules: &PhraseRules) -> Vec<PhraseHit> {
    let mut sentences = wording::Sentences::new(text);
    scan(text, rules)
        .into_iter()
        .filter_map(|mut hit| wording::judge(&mut sentences, &mut hit, Role::Work).then_some(hit))
        .collect()
}

fn apply(text: &str, range: &Range<usize>, replacement: &str) -> String {
    format!(
        "{}{}{}",
        &text[..range.start],
        replacement,
        &text[range.end..]
    )
}

fn describe(hits: &[PhraseHit], text: &str) -> String {
    hits.iter()
        .map(|h| format!("{}:{} {:?}", h.code, h.row, &text[h.range.clone()]))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn every_row_fires_on_bad_not_on_good_and_its_rewrites_fix_it() {
    let rules = PhraseRules::builtin();
    assert!(
        rules.errors().is_empty(),
        "built-in rows must compile: {:?}",
        rules.errors()
    );
    assert!(!rules.rows().is_empty());
    let mut problems = Vec::new();
    for row in rules.rows() {
        assert!(
            !row.message.is_empty() && !row.bad.is_empty() && !row.good.is_empty(),
            "{}: incomplete row",
            row.id
        );
        let hits = found(row.bad, &rules);
        let Some(hit) = hits.iter().find(|h| h.row == row.id && h.code == row.code) else {
            problems.push(format!(
                "{}: does not fire on its bad example {:?} (got {})",
                row.id,
                row.bad,
                describe(&hits, row.bad)
            ));
            continue;
        };
        assert!(
            !hit.message.contains("{phrase}"),
            "{}: message placeholder left in",
            row.id
        );
        let good_hits: Vec<PhraseHit> = found(row.good, &rules)
            .into_iter()
            .filter(|h| h.code == row.code)
            .collect();
        if !good_hits.is_empty() {
            problems.push(format!(
                "{}: fires on its good example {:?}: {}",
                row.id,
                row.good,
                describe(&good_hits, row.good)
            ));
        }
        if !row.replace.is_empty() && hit.replacements.is_empty() {
            problems.push(format!(
                "{}: has templates but gave no replacement on {:?}",
                row.id, row.bad
            ));
        }
        for r in &hit.replacements {
            let fixed = apply(row.bad, &hit.fix_range, r);
            let again = found(&fixed, &rules);
            if again.iter().any(|h| h.row == row.id) {
                problems.push(format!(
                    "{}: still fires after rewrite {:?} -> {:?}",
                    row.id, r, fixed
                ));
            }
            if again.len() >= hits.len() {
                problems.push(format!(
                    "{}: rewrite {:?} -> {:?} did not reduce the findings ({})",
                    row.id,
                    r,
                    fixed,
                    describe(&again, &fixed)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn rewrites_read_well() {
    let rules = PhraseRules::builtin();
    let cases = [
        ("I helped with the migration.", "I led the migration."),
        (
            "Helped with the rollout of Istio.",
            "Led the rollout of Istio.",
        ),
        (
            "I was responsible for the pipeline.",
            "I owned the pipeline.",
        ),
        (
            "We're responsible for the pipeline.",
            "We own the pipeline.",
        ),
        ("I just set up monitoring.", "I set up monitoring."),
        ("Just set up a cron job.", "Set up a cron job."),
        ("I think the fix worked.", "The fix worked."),
        ("The fix, I think, worked.", "The fix worked."),
        ("It worked, I think.", "It worked."),
        ("I helped migrate 40 services.", "I migrated 40 services."),
        (
            "I worked on setting up the cluster.",
            "I set up the cluster.",
        ),
        ("I just wrote some Terraform.", "I wrote some Terraform."),
        ("It might have taken a week.", "It took a week."),
        (
            "Arguably, the runbooks mattered most.",
            "The runbooks mattered most.",
        ),
    ];
    for (input, want) in cases {
        let hits = found(input, &rules);
        let Some(hit) = hits.first() else {
            panic!("no hit on {input:?}")
        };
        let Some(best) = hit.replacements.first() else {
            panic!("no replacement on {input:?}")
        };
        assert_eq!(
            apply(input, &hit.fix_range, best),
            want,
            "{input:?} ({})",
            hit.row
        );
    }
}

struct Labelled {
    line: usize,
    weak: bool,
    codes: BTreeSet<RuleCode>,
    text: String,
}

fn load_sentences() -> Vec<Labelled> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sentences.tsv");
    let data = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let mut out = Vec::new();
    for (k, line) in data.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, '\t');
        let (Some(label), Some(code), Some(text)) = (parts.next(), parts.next(), parts.next())
        else {
            panic!("line {}: want label<TAB>code<TAB>sentence", k + 1);
        };
        let weak = match label {
            "weak" => true,
            "ok" => false,
            other => panic!("line {}: unknown label {other:?}", k + 1),
        };
        let codes: BTreeSet<RuleCode> = if weak {
            code.split(',')
                .map(|c| {
                    RuleCode::parse(c.trim())
                        .unwrap_or_else(|| panic!("line {}: unknown code {c:?}", k + 1))
                })
                .collect()
        } else {
            assert_eq!(code, "-", "line {}: ok lines take code -", k + 1);
            BTreeSet::new()
        };
        out.push(Labelled {
            line: k + 1,
            weak,
            codes,
            text: text.to_string(),
        });
    }
    out
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    fn recall(self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
}

#[test]
fn precision_and_recall_on_labelled_sentences() {
    let rules = PhraseRules::builtin();
    let set = load_sentences();
    let weak = set.iter().filter(|s| s.weak).count();
    assert!(
        set.len() >= 250,
        "at least 250 labelled sentences, have {}",
        set.len()
    );
    assert!(
        weak * 3 >= set.len() && weak * 3 <= set.len() * 2,
        "roughly half weak: {weak} of {}",
        set.len()
    );
    let mut counts: BTreeMap<RuleCode, Counts> =
        CODES.iter().map(|c| (*c, Counts::default())).collect();
    let mut report = Vec::new();
    for s in &set {
        let hits = found(&s.text, &rules);
        let fired: BTreeSet<RuleCode> = hits.iter().map(|h| h.code).collect();
        for code in CODES {
            let c = counts.entry(code).or_default();
            match (s.codes.contains(&code), fired.contains(&code)) {
                (true, true) => c.tp += 1,
                (false, true) => {
                    c.fp += 1;
                    report.push(format!(
                        "FP   {:<13} line {:>3}: {}  [{}]",
                        code.as_str(),
                        s.line,
                        s.text,
                        describe(&hits, &s.text)
                    ));
                }
                (true, false) => {
                    c.fn_ += 1;
                    report.push(format!(
                        "MISS {:<13} line {:>3}: {}  [{}]",
                        code.as_str(),
                        s.line,
                        s.text,
                        describe(&hits, &s.text)
                    ));
                }
                (false, false) => {}
            }
        }
    }
    let total = counts.values().fold(Counts::default(), |a, c| Counts {
        tp: a.tp + c.tp,
        fp: a.fp + c.fp,
        fn_: a.fn_ + c.fn_,
    });
    println!(
        "\nlabelled sentences: {} ({} weak, {} ok)",
        set.len(),
        weak,
        set.len() - weak
    );
    println!(
        "{:<14} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "code", "tp", "fp", "fn", "precision", "recall"
    );
    for (code, c) in &counts {
        println!(
            "{:<14} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}",
            code.as_str(),
            c.tp,
            c.fp,
            c.fn_,
            c.precision(),
            c.recall()
        );
    }
    println!(
        "{:<14} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}",
        "overall",
        total.tp,
        total.fp,
        total.fn_,
        total.precision(),
        total.recall()
    );
    for line in &report {
        println!("{line}");
    }
    for (code, c) in &counts {
        assert!(
            c.precision() >= 0.9,
            "{code} precision {:.3} < 0.9",
            c.precision()
        );
    }
    assert!(
        total.precision() >= 0.95,
        "overall precision {:.3} < 0.95",
        total.precision()
    );
    assert!(
        total.recall() >= 0.80,
        "overall recall {:.3} < 0.80",
        total.recall()
    );
}

fn check_ranges(text: &str, hits: &[PhraseHit]) {
    let mut last = 0;
    for h in hits {
        assert!(
            h.range.start < h.range.end,
            "empty range {:?} in {text:?}",
            h.range
        );
        assert!(
            h.range.end <= text.len(),
            "range {:?} out of bounds in {text:?}",
            h.range
        );
        assert!(
            text.is_char_boundary(h.range.start) && text.is_char_boundary(h.range.end),
            "range {:?} splits a char in {text:?}",
            h.range
        );
        assert!(h.range.start >= last, "hits not sorted in {text:?}");
        last = h.range.start;
    }
}

#[test]
fn ranges_are_in_bounds_on_all_examples() {
    let rules = PhraseRules::builtin();
    let mut texts: Vec<String> = load_sentences().into_iter().map(|s| s.text).collect();
    texts.extend(
        rules
            .rows()
            .iter()
            .flat_map(|r| [r.bad.to_string(), r.good.to_string()]),
    );
    texts.push("I just 😀 set up monitoring — I think, maybe… “I helped with” ü".into());
    for t in &texts {
        check_ranges(t, &scan(t, &rules));
    }
}

/// Builds a block from prose and non-prose pieces, blanking the non-prose ones the way
/// the analysis does, and returns the text and the blanked ranges.
fn blanked(pieces: &[(&str, bool)]) -> (String, Vec<Range<usize>>) {
    let mut text = String::new();
    let mut blanks = Vec::new();
    for (piece, prose) in pieces {
        if *prose {
            text.push_str(piece);
        } else {
            blanks.push(text.len()..text.len() + piece.len());
            text.push_str(&" ".repeat(piece.len()));
        }
    }
    (text, blanks)
}

fn assert_no_overlap(text: &str, blanks: &[Range<usize>], rules: &PhraseRules) -> Vec<PhraseHit> {
    let hits = scan(text, rules);
    check_ranges(text, &hits);
    for h in &hits {
        for b in blanks {
            assert!(
                h.range.end <= b.start || b.end <= h.range.start,
                "hit {}:{} {:?} overlaps blank {:?} in {text:?}",
                h.code,
                h.row,
                h.range,
                b
            );
        }
    }
    hits
}

#[test]
fn hits_never_overlap_blanked_markup() {
    let rules = PhraseRules::builtin();
    let cases: Vec<Vec<(&str, bool)>> = vec![
        vec![
            ("I ", true),
            ("**", false),
            ("just", true),
            ("**", false),
            (" set up ", true),
            ("`prometheus`", false),
            (".", true),
        ],
        vec![
            ("I just", true),
            ("`kubectl apply`", false),
            ("'d the manifests.", true),
        ],
        vec![
            ("I helped ", true),
            ("`make`", false),
            (" with the build.", true),
        ],
        vec![
            ("**Your Role**:", false),
            (" Helped with the rollout.", true),
        ],
        vec![
            ("I worked on ", true),
            ("[", false),
            ("the migration", true),
            ("](https://example.com/x)", false),
            (".", true),
        ],
        vec![("I think ", true), ("<br>", false), ("it worked.", true)],
        vec![
            ("The pipeline was ", true),
            ("_", false),
            ("deployed", true),
            ("_", false),
            (" last year.", true),
        ],
        vec![("I only", true), ("*", false), (" wrote a script.", true)],
    ];
    for pieces in &cases {
        let (text, blanks) = blanked(pieces);
        assert_no_overlap(&text, &blanks, &rules);
    }
    // Blanks inserted at every space of every row's bad example.
    for row in rules.rows() {
        for (k, _) in row.bad.match_indices(' ') {
            for blank in ["`x`", "**", "_"] {
                let pieces = [
                    (&row.bad[..k + 1], true),
                    (blank, false),
                    (&row.bad[k + 1..], true),
                ];
                let (text, blanks) = blanked(&pieces);
                assert_no_overlap(&text, &blanks, &rules);
            }
        }
    }
    // Still found when the markup sits outside the phrase.
    let (text, blanks) = blanked(&[
        ("- ", false),
        ("I helped with the ", true),
        ("`terraform`", false),
        (" migration.", true),
    ]);
    let hits = assert_no_overlap(&text, &blanks, &rules);
    assert!(hits.iter().any(|h| h.row == "helped-with"), "{hits:?}");
}

#[test]
fn user_rows_and_allowed_phrases() {
    use reframe_core::rules::phrases::RowSpec;
    let mut row = RowSpec::new(
        "spearheaded",
        RuleCode::WeakVerb,
        r"\bspearheaded\b",
        "say what you did",
    );
    row.replace = vec!["led".into()];
    let rules = PhraseRules::with_rows(vec![row], &["just"]);
    let hits = scan(
        "I spearheaded the migration and just set up monitoring.",
        &rules,
    );
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].row, "spearheaded");
    assert_eq!(hits[0].replacements, vec!["led".to_string()]);
}

fn prose_like() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "I",
        "we",
        "just",
        "only",
        "helped",
        "with",
        "worked",
        "on",
        "was",
        "were",
        "deployed",
        "by",
        "me",
        "the",
        "team",
        "kind",
        "of",
        "some",
        "Terraform",
        "think",
        "maybe",
        ",",
        ".",
        ";",
        ":",
        "-",
        "—",
        "(",
        ")",
        "'",
        "’",
        "\n",
        "\n- ",
        "  ",
        "😀",
        "é",
        "ü",
        "responsible",
        "for",
        "a",
        "small",
        "script",
        "might",
        "have",
        "taken",
        "I'm",
        "got",
        "not",
    ]);
    prop::collection::vec(word, 0..40).prop_map(|ws| ws.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn scan_never_panics_on_arbitrary_text(text in "\\PC{0,200}") {
        check_ranges(&text, &scan(&text, &RULES));
    }

    #[test]
    fn scan_never_panics_on_prose_like_text(text in prose_like()) {
        let rules = &*RULES;
        let hits = scan(&text, rules);
        check_ranges(&text, &hits);
        for h in &hits {
            for r in &h.replacements {
                let fixed = apply(&text, &h.fix_range, r);
                check_ranges(&fixed, &scan(&fixed, rules));
            }
        }
    }
}

/// The first quoted sentence of a table cell of docs/rules.md, and whether the cell says
/// it is about a section other than the work (those need the template's sections).
fn quoted(cell: &str) -> Option<(String, bool)> {
    let start = cell.find('"')? + 1;
    let end = start + cell[start..].find('"')?;
    let sentence = cell[start..end].to_string();
    let situational = cell.contains("section") || cell.contains(" in the problem");
    Some((sentence, situational))
}

/// docs/rules.md shows, for each wording rule, sentences it flags and sentences it leaves
/// alone; the rules must do what the page says.
#[test]
fn the_rules_page_examples_behave_as_documented() {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md"))
        .expect("docs/rules.md");
    let rules = PhraseRules::builtin();
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut code = None;
    for line in page.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            code = CODES.iter().copied().find(|c| c.as_str() == heading.trim());
            continue;
        }
        let Some(code) = code else { continue };
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || cells[1].starts_with("---") || cells[1] == "flagged" {
            continue;
        }
        if let Some((sentence, situational)) = quoted(cells[1]) {
            if !situational {
                checked += 1;
                if !found(&sentence, &rules).iter().any(|h| h.code == code) {
                    problems.push(format!("{code}: not flagged: {sentence:?}"));
                }
            }
        }
        if let Some((sentence, situational)) = quoted(cells[2]) {
            if !situational {
                checked += 1;
                let hits: Vec<PhraseHit> = found(&sentence, &rules)
                    .into_iter()
                    .filter(|h| h.code == code)
                    .collect();
                if !hits.is_empty() {
                    problems.push(format!(
                        "{code}: flagged, though documented as left alone: {sentence:?} ({})",
                        describe(&hits, &sentence)
                    ));
                }
            }
        }
    }
    assert!(
        checked >= 30,
        "only {checked} examples read from docs/rules.md"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
