//! The checks behind both fuzz targets, shared with their proptest versions in
//! `tests/fuzz_props.rs` (which includes this file), so CI runs the same checks on every
//! push without a nightly toolchain.
//!
//! - [`check_document`]: any text through the parse, the whole analysis, every editor
//!   feature and every code action applied.
//! - [`check_edits`]: a sequence of incremental changes, with ranges in any encoding, valid
//!   or not, against a plain `String` edited by an independent reference of the documented
//!   repairs; at the end, the same text and the same findings as a fresh parse.
//!
//! A failed check panics, which is what a fuzzer or a property test reports.

use std::ops::Range;
use std::sync::OnceLock;

use reframe_core::analysis::actions::ActionKind;
use reframe_core::analysis::{self, Analysis, Context, Finding};
use reframe_core::config::Config;
use reframe_core::document::{Document, Position, PositionEncoding, Span};
use reframe_core::rules::phrases::PhraseRules;
use reframe_core::template::Template;

/// The three encodings, indexed by a fuzzed number.
pub const ENCODINGS: [PositionEncoding; 3] = [
    PositionEncoding::Utf8,
    PositionEncoding::Utf16,
    PositionEncoding::Utf32,
];

/// The configurations a document is analysed with: the defaults (only detected write-ups
/// get findings) and every document taken as a write-up, so that arbitrary text reaches
/// every rule.
fn configs() -> [Config; 2] {
    [
        Config::default(),
        Config {
            all_markdown: true,
            ..Config::default()
        },
    ]
}

/// The built-in phrase rules, compiled once.
fn phrases() -> &'static PhraseRules {
    static PHRASES: OnceLock<PhraseRules> = OnceLock::new();
    PHRASES.get_or_init(PhraseRules::builtin)
}

fn analyse(doc: &Document, text: &str, config: &Config, phrases: &PhraseRules) -> Analysis {
    let cx = Context {
        template: Template::builtin(),
        config,
        phrases,
    };
    analysis::analyze_text(doc, text, &cx)
}

/// Checks that a byte range lies in `text` on character boundaries.
fn assert_range_in(text: &str, range: &Range<usize>, what: &str) {
    assert!(
        range.start <= range.end
            && range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end),
        "{what}: range {range:?} is not a range of the text ({} bytes)",
        text.len()
    );
}

/// Offsets to ask the editor features at: up to 16 spread over the text, taken from the
/// character boundaries at even steps and next to line breaks, both ends included.
fn probe_offsets(text: &str) -> Vec<usize> {
    let mut offsets = vec![0, text.len()];
    let step = (text.len() / 8).max(1);
    offsets.extend((0..text.len()).step_by(step));
    offsets.extend(text.match_indices('\n').flat_map(|(i, _)| [i, i + 1]));
    offsets.retain(|&o| text.is_char_boundary(o));
    offsets.sort_unstable();
    offsets.dedup();
    let every = offsets.len().div_ceil(16).max(1);
    let last = offsets.last().copied();
    let mut picked: Vec<usize> = offsets.into_iter().step_by(every).collect();
    picked.extend(last.filter(|l| picked.last() != Some(l)));
    picked
}

/// Fuzz target `document`: `bytes` (read as UTF-8, invalid sequences replaced) as a
/// markdown document through the parse, the whole analysis, every editor feature and every
/// code action applied (the results of the whole-document ones analysed again). Nothing may
/// panic; every range handed out must be a range of the text; every action's edits must
/// apply cleanly.
pub fn check_document(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let doc = Document::new(&text);
    assert_eq!(doc.text(), text, "the document holds the text as given");
    let template = Template::builtin();
    let phrases = phrases();
    for config in configs() {
        let analysis = analyse(&doc, &text, &config, phrases);
        check_analysis(&doc, &text, &analysis, template);
        for action in analysis::actions::actions(&text, &analysis, template, 0..text.len()) {
            for edit in &action.edits {
                assert_range_in(&text, &edit.range, &action.title);
            }
            let (fixed, skipped) = analysis::actions::apply_edits(&text, &action.edits);
            assert_eq!(skipped, 0, "{:?} has edits that do not apply", action.title);
            // The whole-document actions are analysed again; a quick fix's result is an
            // input like any other, which the fuzzer reaches by itself.
            if action.kind != ActionKind::QuickFix {
                let fixed_doc = Document::new(&fixed);
                for finding in analyse(&fixed_doc, &fixed, &config, phrases).findings {
                    assert_range_in(&fixed, &finding.range, finding.code.as_str());
                }
            }
        }
    }
    check_positions(&doc, &text);
}

/// Checks one analysis and asks every editor feature of it.
fn check_analysis(doc: &Document, text: &str, analysis: &Analysis, template: &Template) {
    for finding in &analysis.findings {
        assert_range_in(text, &finding.range, finding.code.as_str());
    }
    let starts: Vec<usize> = analysis.findings.iter().map(|f| f.range.start).collect();
    assert!(
        starts.is_sorted(),
        "findings are not sorted by position: {starts:?}"
    );
    if !analysis.is_writeup {
        assert!(analysis.findings.is_empty(), "findings for a non-write-up");
    }
    for offset in probe_offsets(text) {
        for item in analysis::completion::complete(text, analysis, template, offset) {
            assert_range_in(text, &item.replace, &item.label);
        }
        if let Some((range, _)) = analysis::hover::hover(text, analysis, template, offset) {
            assert_range_in(text, &range, "hover");
        }
    }
    let mut symbols = analysis::outline::outline(analysis, template);
    while let Some(symbol) = symbols.pop() {
        assert_range_in(text, &symbol.range, &symbol.name);
        assert_range_in(text, &symbol.selection, &symbol.name);
        symbols.extend(symbol.children);
    }
    for range in analysis::outline::folding(analysis, text) {
        assert_range_in(text, &range, "folding range");
    }
    for progress in analysis::outline::progress(analysis, template) {
        let _ = progress.summary();
    }
    if let Some(readiness) = analysis::readiness::readiness(text, analysis, template) {
        let _ = (
            readiness.summary(),
            readiness.breakdown(),
            readiness.markdown(),
        );
    }
    for question in analysis::questions::questions(text, analysis, template) {
        assert_range_in(text, &question.source, &question.text);
    }
    for support in analysis::skills::supported(text, analysis, template) {
        assert_range_in(text, &support.source, &support.skill);
    }
    let _ = analysis::suppress::directives(doc, text);
}

/// Position conversions round-trip at character boundaries in every encoding.
fn check_positions(doc: &Document, text: &str) {
    for offset in probe_offsets(text) {
        let after_cr = offset > 0
            && text.as_bytes()[offset - 1] == b'\r'
            && text.as_bytes().get(offset) == Some(&b'\n');
        for enc in ENCODINGS {
            let position = doc.byte_to_position(offset, enc);
            let back = doc.position_to_byte(position, enc);
            let expected = if after_cr { offset - 1 } else { offset };
            assert_eq!(
                back,
                Ok(expected),
                "offset {offset} -> {position} ({enc}) does not come back"
            );
        }
    }
}

/// One change of [`check_edits`]: `range: None` replaces the whole text.
#[derive(Clone, Debug)]
pub struct Change {
    /// The start and end as sent, in `encoding`; possibly past the end, reversed or inside
    /// a character.
    pub range: Option<(Position, Position)>,
    pub encoding: PositionEncoding,
    pub text: String,
}

/// Byte offsets where each LSP line starts: 0 and after every `\n`, `\r\n` and lone `\r`.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            starts.push(i + 1);
        }
    }
    starts
}

/// Reference for the documented repair of a client position: a line past the end goes to
/// the end of the text; a character past the end of its line to the end of the line (before
/// its line ending); a position inside a character to the start of that character.
fn reference_byte(text: &str, position: Position, enc: PositionEncoding) -> usize {
    let starts = line_starts(text);
    let Some(&start) = starts.get(position.line as usize) else {
        return text.len();
    };
    let next = starts
        .get(position.line as usize + 1)
        .copied()
        .unwrap_or(text.len());
    let content = text[start..next].trim_end_matches('\n');
    let content = content.strip_suffix('\r').unwrap_or(content);
    let wanted = position.character as usize;
    let mut units = 0;
    for (offset, c) in content.char_indices() {
        if units >= wanted {
            return start + offset;
        }
        units += enc.len_of(c);
        if units > wanted {
            return start + offset;
        }
    }
    start + content.len()
}

/// Applies one change to the reference text the way the documentation says.
fn reference_apply(text: &mut String, change: &Change) {
    let Some((start, end)) = change.range else {
        text.clone_from(&change.text);
        return;
    };
    let (start, end) = if end < start {
        (end, start)
    } else {
        (start, end)
    };
    let a = reference_byte(text, start, change.encoding);
    let b = if end == start {
        a
    } else {
        reference_byte(text, end, change.encoding)
    };
    text.replace_range(a..b.max(a), &change.text);
}

/// The findings of a document, compared without the parts that name the configuration.
fn findings(doc: &Document, text: &str, config: &Config, phrases: &PhraseRules) -> Vec<Finding> {
    analyse(doc, text, config, phrases).findings
}

/// Fuzz target `edits`: applies `changes` one at a time to a document holding `initial`
/// and to a plain `String` through the reference repairs. After every change both texts are
/// equal; at the end the document's findings equal those of a fresh parse of the text.
pub fn check_edits(initial: &str, changes: &[Change]) {
    let mut doc = Document::new(initial);
    let mut reference = initial.to_string();
    for (i, change) in changes.iter().enumerate() {
        let span = change.range.map(|(start, end)| Span::new(start, end));
        let issues = doc.apply_change(span, &change.text, change.encoding);
        reference_apply(&mut reference, change);
        assert_eq!(
            doc.text(),
            reference,
            "change {i} ({change:?}, issues {issues:?}) left a different text"
        );
    }
    let fresh = Document::new(&reference);
    for config in configs() {
        assert_eq!(
            findings(&doc, &reference, &config, phrases()),
            findings(&fresh, &reference, &config, phrases()),
            "incremental and fresh findings differ for {reference:?}"
        );
    }
}
