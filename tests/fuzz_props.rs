//! The two fuzz targets of `fuzz/` as property tests, so every `cargo test` (and CI, which
//! has no nightly toolchain) runs their checks on a few hundred inputs; plus the inputs
//! the fuzzers and the robustness tests found, as regression tests.
//!
//! The checks themselves live in `fuzz/src/harness.rs`, included here as a module:
//! `check_document` (any text through parse, analysis, every editor feature and every code
//! action) and `check_edits` (incremental changes in any encoding, valid or not, against a
//! plain string and, at the end, a fresh parse).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

#[path = "../fuzz/src/harness.rs"]
mod harness;

use std::time::{Duration, Instant};

use harness::{Change, ENCODINGS, check_document, check_edits};
use proptest::prelude::*;
use proptest::sample::select;
use reframe_core::document::Position;

/// The texts the fuzzers are seeded with.
const SEEDS: &[&str] = &[
    include_str!("../examples/ci-migration.md"),
    include_str!("../templates/ops-writeup.md"),
    include_str!("../templates/promotion-packet.md"),
    include_str!("fixtures/brackets.md"),
    include_str!("fixtures/exclusions.md"),
    include_str!("fixtures/phrases.md"),
    include_str!("fixtures/structure.md"),
    include_str!("fixtures/readme.md"),
];

/// Pieces of text: markdown syntax of every kind, write-up structure, the wording the
/// rules look for, every line ending, astral and wide characters, controls.
#[rustfmt::skip]
const FRAGMENTS: &[&str] = &[
    "a", "word", "text ", " ", "  ", "\t", "\n", "\n", "\n\n", "\r\n", "\r", "\0", "\u{1b}",
    "\u{feff}", "\u{fffd}", "é", "中文", "😀", "👩‍💻", "#", "# ", "## ", "### ", "-", "- ", "* ",
    "1. ", "> ", "> [!note] ", "- [ ] ", "- [x] ", "*", "**", "_", "`", "```", "~~~", "    ",
    "[", "]", "[[", "]]", "[^1]", "(", ")", "![", "](http://x)", "<", ">", "<!--", "-->",
    "<span>", "|", " | ", "|---|", "---", "\\", "&amp;", "http://example.com/a_b",
    "---\ntemplate: ops-writeup\n---\n", "title:", "title: x\n",
    "## 1. Project Overview\n", "## 2. The Problem/Need\n", "## 5. Impact (Ops Style)\n",
    "## 8. Interview Framing\n", "## Impact\n", "- **What You Did**: ", "- **Your Role**:\n",
    "- **Scope**: [TBD]\n", "[Responsibilities]", "[Brief description]", "[label]: http://x\n",
    "I helped with ", "I was responsible for ", "I just ", "simply ", "I think maybe ",
    "was deployed ", "so that ", "Before: 40 min. After: 5 min.", "❌ \"I just did it\"",
    "✅ \"I led it\"", "<!-- reframe-disable-next-line weak-verb -->\n",
    "<!-- reframe-disable -->\n", "<!-- reframe-enable -->\n",
];

fn fragments(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(select(FRAGMENTS), 0..max).prop_map(|parts| parts.concat())
}

/// A seed with fragments spliced in at a few places.
fn spliced_seed() -> impl Strategy<Value = String> {
    (
        select(SEEDS),
        prop::collection::vec((0.0f64..1.0, fragments(4)), 0..6),
    )
        .prop_map(|(seed, splices)| {
            let mut text = seed.to_string();
            for (at, piece) in splices {
                let mut at = (at * text.len() as f64) as usize;
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.insert_str(at, &piece);
            }
            text
        })
}

/// Documents: fragment soup, seeds with splices, and raw bytes.
fn documents() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        fragments(60).prop_map(String::into_bytes),
        spliced_seed().prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..400),
    ]
}

/// Changes with positions on and around a document of a few dozen lines: inside lines,
/// past their ends, past the last line, reversed, in any encoding; now and then a full
/// replacement.
fn changes() -> impl Strategy<Value = Vec<Change>> {
    let position = (0u32..48, prop_oneof![0u32..12, 0u32..90, 0u32..400])
        .prop_map(|(line, character)| Position::new(line, character));
    let change = (
        0u8..24,
        position.clone(),
        position,
        0usize..3,
        prop_oneof![fragments(4), Just(String::new())],
        fragments(30),
    )
        .prop_map(|(kind, start, end, encoding, text, whole)| match kind {
            0 => Change {
                range: None,
                encoding: ENCODINGS[encoding],
                text: whole,
            },
            // Mostly short ranges, as typing makes.
            1..=15 => Change {
                range: Some((
                    start,
                    Position::new(start.line, start.character + (kind as u32 % 4)),
                )),
                encoding: ENCODINGS[encoding],
                text,
            },
            _ => Change {
                range: Some((start, end)),
                encoding: ENCODINGS[encoding],
                text,
            },
        });
    prop::collection::vec(change, 1..16)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn any_document_survives_analysis_features_and_actions(bytes in documents()) {
        check_document(&bytes);
    }

    #[test]
    fn incremental_changes_match_the_reference_and_a_fresh_parse(
        initial in prop_oneof![spliced_seed(), fragments(40)],
        changes in changes(),
    ) {
        check_edits(&initial, &changes);
    }
}

/// Regression (found by `tests/robustness.rs`): tree-sitter-md's inline grammar is
/// quadratic on long runs of emphasis delimiters, within single parse steps: 150 KB of
/// `_a ` with one `_` deleted took half a minute to parse in a release build, 100 KB of `*`
/// twenty seconds. Paragraphs that long now get no inline tree.
#[test]
fn pathological_paragraphs_parse_in_bounded_time() {
    let under = "_a ".repeat(50_000);
    let middle = under.len() / 2 + under[under.len() / 2..].find('_').expect("a `_`");
    let stars = "*".repeat(50_000) + "x" + &"*".repeat(50_000);
    let images = "![".repeat(50_000);
    for paragraph in [under.clone(), stars, images] {
        let started = Instant::now();
        check_document(format!("## 1. Project Overview\n\n{paragraph}\n").as_bytes());
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "took {:?}",
            started.elapsed()
        );
    }
    // The incremental path: delete one `_` in the middle of the line.
    let started = Instant::now();
    let delete = Change {
        range: Some((
            Position::new(0, middle as u32),
            Position::new(0, middle as u32 + 1),
        )),
        encoding: ENCODINGS[0],
        text: String::new(),
    };
    check_edits(&under, &[delete]);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}
