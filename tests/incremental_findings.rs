//! The incremental analysis after edits equals the plain analysis of the same text parsed
//! as one chunk: same findings, same section matches, same model. Edits mix write-up
//! vocabulary (weak phrases, placeholders, headings, fields, link definitions, suppression
//! comments) with CJK, emoji and CRLF, and land anywhere, including inside the front
//! matter and code fences; documents are cut into small chunks so that edits move chunk
//! boundaries, and the cache is brought up to date after every edit or after a burst.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use proptest::prelude::*;
use proptest::sample::select;
use reframe_core::analysis::incremental::PARALLEL_FROM;
use reframe_core::analysis::{Analysis, AnalysisCache, Context, analyze, analyze_whole, outline};
use reframe_core::config::Config;
use reframe_core::document::{Document, MIN_CHUNK, PositionEncoding, Span};
use reframe_core::rules::phrases::PhraseRules;
use reframe_core::template::Template;

const BASE: &str = include_str!("../examples/ci-migration.md");

#[rustfmt::skip]
const INSERTS: &[&str] = &[
    "I just ", "helped with ", "I think ", "was deployed ", "[TBD]", "[Responsibilities]", "## ",
    "## Impact\n", "\n## 8. Interview Framing\n", "- **Scope**: ", "- **Scope**:\n", "`", "```\n",
    "\n", "\r\n", "中文", "😀", " ", "---\n", "> ", "[x]", "[[", "]]", "**", "I ", "some ",
    "\n- **What You Learned**: I think maybe\n", "\n\n", "\n\n## 5. Impact (Ops Style)\n\n",
    "\n\nI worked on it.\n\n", "[runbook]: https://x.example\n", "[tbd]: #\n", "[TBD]",
    "\n\n<!-- reframe-disable weak-verb -->\n\n", "<!-- reframe-enable -->",
    "<!-- reframe-disable-next-line -->\n", "\n\n# Part two\n\n", "<!--\n\n", "-->",
];

/// What must agree: findings, section matches, whether it is a write-up, and the model.
fn summary(analysis: &Analysis) -> (String, String) {
    let mut model = analysis.model.clone();
    let mut labels: Vec<String> = model.link_labels.drain().collect();
    labels.sort();
    (
        format!(
            "{:#?}\n{:?}\n{}",
            analysis.findings, analysis.sections, analysis.is_writeup
        ),
        format!("{model:#?}\n{labels:?}"),
    )
}

/// Snaps a byte offset to a char boundary at or before it, and out of a `\r\n` pair (no
/// position names the offset between them).
fn floor(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    if at > 0 && text.as_bytes()[at - 1] == b'\r' && text.as_bytes().get(at) == Some(&b'\n') {
        at -= 1;
    }
    at
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn incremental_analysis_matches_a_whole_analysis(
        edits in prop::collection::vec(
            (0.0f64..1.0, 0usize..40, select(INSERTS), 0usize..3, any::<bool>()),
            1..12,
        ),
        min_chunk in select(&[0usize, 16, 200][..]),
    ) {
        let phrases = PhraseRules::builtin();
        let config = Config::default();
        let cx = Context {
            template: Template::builtin(),
            config: &config,
            phrases: &phrases,
        };
        let mut doc = Document::with_min_chunk(BASE, min_chunk);
        let mut cache = AnalysisCache::new();
        cache.update(&doc, &cx);
        let mut text = BASE.to_string();
        for (at, delete, insert, enc, update) in edits {
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
            if update {
                cache.update(&doc, &cx);
            }
        }
        cache.update(&doc, &cx);
        for group in cache.groups() {
            prop_assert_eq!(group.first_line, doc.line_of_byte(group.start));
        }
        let whole = analyze_whole(&Document::new_unchunked(&text), &cx);
        let (findings, model) = summary(&cache.analysis(&doc));
        let (whole_findings, whole_model) = summary(&whole);
        prop_assert_eq!(findings, whole_findings, "findings differ for {:?}", text);
        prop_assert_eq!(model, whole_model, "models differ for {:?}", text);
        prop_assert_eq!(cache.findings(), whole.findings.clone());
        prop_assert_eq!(
            cache.progress(cx.template),
            outline::progress(&whole, cx.template)
        );
        // A fresh analysis of the edited document agrees too.
        prop_assert_eq!(analyze(&doc, &cx).findings, whole.findings);
    }
}

/// The generated documents of the benchmarks, small and cut into many chunks, analysed
/// incrementally while typing in the middle, agree with the plain analysis.
#[test]
fn typing_in_a_long_writeup_matches_a_whole_analysis() {
    let phrases = PhraseRules::builtin();
    let config = Config::default();
    let cx = Context {
        template: Template::builtin(),
        config: &config,
        phrases: &phrases,
    };
    let text = BASE.repeat(6);
    let mut doc = Document::with_min_chunk(&text, 64);
    let mut cache = AnalysisCache::new();
    cache.update(&doc, &cx);
    let middle = doc.byte_to_position(text.len() / 2, PositionEncoding::Utf16);
    for (i, typed) in "I just helped with [TBD]\n\n## Impact\n"
        .chars()
        .enumerate()
    {
        let at = reframe_core::document::Position::new(middle.line, middle.character + i as u32);
        let at = if typed == '\n' || i > 0 && doc.line_text(at.line as usize).is_empty() {
            doc.byte_to_position(doc.len_bytes() / 2, PositionEncoding::Utf16)
        } else {
            at
        };
        doc.apply_change(
            Some(Span::new(at, at)),
            &typed.to_string(),
            PositionEncoding::Utf16,
        );
        cache.update(&doc, &cx);
        let whole = analyze_whole(&Document::new_unchunked(&doc.text()), &cx);
        assert_eq!(
            cache.findings(),
            whole.findings,
            "after typing {i} characters"
        );
    }
}

/// Every markdown file under `tests/fixtures` and `examples`, in a stable order.
fn corpus_files() -> Vec<String> {
    let mut paths = Vec::new();
    let mut dirs = vec![
        std::path::PathBuf::from("tests/fixtures"),
        std::path::PathBuf::from("examples"),
    ];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("a test folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a fixture"))
        .collect()
}

/// A document analysed for the first time from `PARALLEL_FROM` bytes on is read on two
/// threads; what it finds must be what one pass over the whole text finds, whichever
/// thread read which chunk. The documents: the example repeated, every fixture and
/// example one after another (CRLF, front matter, fences, suppression comments, other
/// templates' headings), and the same with CRLF line endings throughout.
#[test]
fn a_long_document_read_on_two_threads_matches_a_whole_analysis() {
    let phrases = PhraseRules::builtin();
    let config = Config::default();
    let writeups = Config {
        all_markdown: true,
        ..Config::default()
    };
    let long = |text: &str| text.repeat(PARALLEL_FROM / text.len() + 1);
    let all = long(&corpus_files().join("\n\n"));
    let texts = [long(BASE), all.clone(), all.replace('\n', "\r\n")];
    for (i, text) in texts.iter().enumerate() {
        assert!(text.len() >= PARALLEL_FROM, "document {i} is long enough");
        for config in [&config, &writeups] {
            let cx = Context {
                template: Template::builtin(),
                config,
                phrases: &phrases,
            };
            let whole = summary(&analyze_whole(&Document::new_unchunked(text), &cx));
            for min_chunk in [64, MIN_CHUNK] {
                // Several times: the split between the threads changes from run to run.
                for run in 0..3 {
                    let fresh = summary(&analyze(&Document::with_min_chunk(text, min_chunk), &cx));
                    assert!(
                        fresh == whole,
                        "document {i}, chunks of {min_chunk}+ bytes, run {run}: differs"
                    );
                }
            }
        }
    }
}
