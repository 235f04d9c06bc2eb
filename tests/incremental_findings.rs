//! Findings after incremental edits equal the findings of a fresh parse of the same text.
//! Edits mix write-up vocabulary (weak phrases, placeholders, headings, fields) with CJK,
//! emoji and CRLF, and land anywhere, including inside the front matter and code fences.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use proptest::prelude::*;
use proptest::sample::select;
use reframe::analysis::{Context, Finding, analyze};
use reframe::config::Config;
use reframe::document::{Document, PositionEncoding, Span};
use reframe::rules::phrases::PhraseRules;
use reframe::template::Template;

const BASE: &str = include_str!("../examples/ci-migration.md");

#[rustfmt::skip]
const INSERTS: &[&str] = &[
    "I just ", "helped with ", "I think ", "was deployed ", "[TBD]", "[Responsibilities]", "## ",
    "## Impact\n", "\n## 8. Interview Framing\n", "- **Scope**: ", "- **Scope**:\n", "`", "```\n",
    "\n", "\r\n", "中文", "😀", " ", "---\n", "> ", "[x]", "[[", "]]", "**", "I ", "some ",
    "\n- **What You Learned**: I think maybe\n",
];

fn findings(doc: &Document, phrases: &PhraseRules) -> Vec<Finding> {
    let config = Config::default();
    let cx = Context {
        template: Template::builtin(),
        config: &config,
        phrases,
    };
    analyze(doc, &cx).findings
}

/// Snaps a byte offset to a char boundary at or before it.
fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn incremental_findings_match_a_fresh_parse(
        edits in prop::collection::vec(
            (0.0f64..1.0, 0usize..40, select(INSERTS), 0usize..3),
            1..12,
        )
    ) {
        let phrases = PhraseRules::builtin();
        let mut doc = Document::new(BASE);
        let mut text = BASE.to_string();
        for (at, delete, insert, enc) in edits {
            let enc = [PositionEncoding::Utf8, PositionEncoding::Utf16, PositionEncoding::Utf32][enc];
            let start = floor(&text, (at * text.len() as f64) as usize);
            let end = floor(&text, start + delete);
            let span = Span {
                start: doc.byte_to_position(start, enc),
                end: doc.byte_to_position(end, enc),
            };
            let issues = doc.apply_change(Some(span), insert, enc);
            // A range that splits "\r\n" is repaired by the document; mirror it.
            if issues.is_empty() {
                text.replace_range(start..end, insert);
            } else {
                text = doc.text();
            }
            prop_assert_eq!(doc.text(), text.clone());
        }
        let fresh = Document::new(&text);
        prop_assert_eq!(findings(&doc, &phrases), findings(&fresh, &phrases));
    }
}
