//! Properties of `reframe::document`: incremental changes give the same text
//! as editing a plain `String` and the same syntax trees as parsing that text
//! from scratch; positions round-trip in every encoding and agree with a
//! simple reference implementation; bad ranges are repaired, never fatal.

use proptest::prelude::*;
use proptest::sample::{Index, select};
use reframe::document::{Document, Position, PositionEncoding, Span};
use tree_sitter::Tree;

const ENCODINGS: [PositionEncoding; 3] = [
    PositionEncoding::Utf8,
    PositionEncoding::Utf16,
    PositionEncoding::Utf32,
];

/// Pieces that text is built from: words, markdown punctuation, every line
/// ending, tabs, CJK, emoji, a stray U+FEFF, and whole blocks.
#[rustfmt::skip]
const FRAGMENTS: &[&str] = &[
    "a", "b", "word", "text ", " ", "  ", "\t", "#", "# ", "## ", "-", "- ", "* ", "*", "**",
    "_", "`", "```", "~~~", "[", "]", "[x] ", "- [ ] ", ">", "> ", "\n", "\n", "\n\n", "\r\n",
    "\r", "中", "文字", "😀", "é", "|", " | ", "|---|", "---", "1. ", "!", "[[", "]]", "(", ")",
    "\\", "<", "&", "\u{feff}", "+++", "=", "^", ":",
    "\n## Heading\n",
    "\n- item *one*\n- item two\n",
    "\n> quote `code`\n> more\n",
    "\n| a | *b* |\n|---|---|\n| 1 | 2 |\n",
    "\n```\ncode\n```\n",
    "\n1. one\n   two\n",
    "\n---\ntitle: x\n---\n",
    "\n    indented\n",
    "[label]: http://x\n",
];

fn text_strategy(max_fragments: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(select(FRAGMENTS), 0..max_fragments).prop_map(|parts| parts.concat())
}

/// A starting text, sometimes with a byte order mark in front.
fn initial_text() -> impl Strategy<Value = String> {
    (any::<bool>(), text_strategy(40)).prop_map(
        |(bom, text)| {
            if bom { format!("\u{feff}{text}") } else { text }
        },
    )
}

/// Byte offsets where each LSP line starts: 0 and after every `\n`, `\r\n`
/// and lone `\r`.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        let lone_cr = b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
        if b == b'\n' || lone_cr {
            starts.push(i + 1);
        }
    }
    starts
}

/// The end of a line's content, before its line ending.
fn content_end(text: &str, starts: &[usize], line: usize) -> usize {
    let mut end = starts.get(line + 1).copied().unwrap_or(text.len());
    let bytes = text.as_bytes();
    if end > starts[line] && bytes[end - 1] == b'\n' {
        end -= 1;
    }
    if end > starts[line] && bytes[end - 1] == b'\r' {
        end -= 1;
    }
    end
}

fn units(c: char, enc: PositionEncoding) -> usize {
    match enc {
        PositionEncoding::Utf8 => c.len_utf8(),
        PositionEncoding::Utf16 => c.len_utf16(),
        PositionEncoding::Utf32 => 1,
    }
}

/// Reference: the position of a character boundary that is not inside a
/// `\r\n` pair.
fn reference_position(text: &str, byte: usize, enc: PositionEncoding) -> Position {
    let starts = line_starts(text);
    let line = starts.partition_point(|&s| s <= byte) - 1;
    let character: usize = text[starts[line]..byte]
        .chars()
        .map(|c| units(c, enc))
        .sum();
    Position::new(line as u32, character as u32)
}

/// Reference: the repaired byte offset of any position, and whether it
/// needed repair.
fn reference_byte(text: &str, pos: Position, enc: PositionEncoding) -> (usize, bool) {
    let starts = line_starts(text);
    let line = pos.line as usize;
    if line >= starts.len() {
        return (text.len(), true);
    }
    let (start, end) = (starts[line], content_end(text, &starts, line));
    let wanted = pos.character as usize;
    let mut counted = 0;
    for (offset, c) in text[start..end].char_indices() {
        if counted == wanted {
            return (start + offset, false);
        }
        counted += units(c, enc);
        if counted > wanted {
            return (start + offset, true);
        }
    }
    (end, counted != wanted)
}

/// Offsets a position can name: character boundaries, except between the
/// `\r` and `\n` of a pair.
fn nameable_offsets(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .filter(|&i| !(i > 0 && bytes[i - 1] == b'\r' && bytes.get(i) == Some(&b'\n')))
        .collect()
}

/// Every node of a tree with its kind, byte range and points.
fn dump(tree: &Tree, out: &mut String) {
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        out.push_str(&format!(
            "{}{} {:?} {:?}-{:?}\n",
            " ".repeat(cursor.depth() as usize),
            node.kind(),
            node.byte_range(),
            node.start_position(),
            node.end_position()
        ));
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// What must match between an incrementally edited document and a fresh
/// parse: the block tree's s-expression, the s-expressions of the inline
/// trees of the block tree's inline nodes (in order), and every node's
/// kind, range and points in all of them.
fn syntax_of(doc: &Document) -> (String, Vec<Option<String>>, String) {
    let block = doc.block_tree();
    let mut inline_sexps = Vec::new();
    let mut positions = String::new();
    dump(block, &mut positions);
    let mut stack = vec![block.root_node()];
    while let Some(node) = stack.pop() {
        if matches!(node.kind(), "inline" | "pipe_table_cell") {
            let tree = doc.inline_tree(&node);
            inline_sexps.push(tree.map(|t| t.root_node().to_sexp()));
            if let Some(tree) = tree {
                dump(tree, &mut positions);
            }
        }
        for i in (0..node.child_count()).rev() {
            stack.extend(node.child(i));
        }
    }
    (block.root_node().to_sexp(), inline_sexps, positions)
}

fn assert_matches_fresh_parse(doc: &Document, model: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(doc.text(), model);
    prop_assert_eq!(doc.len_bytes(), model.len());
    let fresh = Document::new(model);
    let (block, inlines, positions) = syntax_of(doc);
    let (fresh_block, fresh_inlines, fresh_positions) = syntax_of(&fresh);
    prop_assert_eq!(block, fresh_block, "block tree differs for {:?}", model);
    prop_assert_eq!(
        inlines,
        fresh_inlines,
        "inline trees differ for {:?}",
        model
    );
    prop_assert_eq!(
        positions,
        fresh_positions,
        "positions differ for {:?}",
        model
    );
    prop_assert_eq!(doc.inline_trees().len(), fresh.inline_trees().len());
    Ok(())
}

/// One edit: two offsets picked among the nameable ones, the new text, and
/// the encoding the positions are sent in.
#[derive(Clone, Debug)]
struct Edit {
    start: Index,
    end: Index,
    text: String,
    encoding: usize,
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    (any::<Index>(), any::<Index>(), text_strategy(6), 0..3usize).prop_map(
        |(start, end, text, encoding)| Edit {
            start,
            end,
            text,
            encoding,
        },
    )
}

/// 128 cases by default, or `PROPTEST_CASES` when set (for a longer soak).
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 128;
    }
    config
}

proptest! {
    #![proptest_config(config())]

    /// Valid edits applied one by one match a `String` and a fresh parse.
    #[test]
    fn incremental_edits_match_string_and_fresh_parse(
        initial in initial_text(),
        edits in prop::collection::vec(edit_strategy(), 1..20),
    ) {
        let mut doc = Document::new(&initial);
        let mut model = initial;
        for edit in edits {
            let enc = ENCODINGS[edit.encoding];
            let offsets = nameable_offsets(&model);
            let a = *edit.start.get(&offsets);
            let b = *edit.end.get(&offsets);
            let (start, end) = (a.min(b), a.max(b));
            let span = Span::new(
                reference_position(&model, start, enc),
                reference_position(&model, end, enc),
            );
            let issues = doc.apply_change(Some(span), &edit.text, enc);
            prop_assert!(issues.is_empty(), "{:?} for {:?} in {:?}", issues, span, model);
            model.replace_range(start..end, &edit.text);
            prop_assert_eq!(doc.text(), model.as_str());
            let changed = doc.last_changed_bytes();
            prop_assert!(
                changed.is_some_and(|r| r.start <= start && r.end >= start + edit.text.len()),
                "changed range misses the edit"
            );
            assert_matches_fresh_parse(&doc, &model)?;
        }
    }

    /// Positions and offsets round-trip in every encoding and agree with the
    /// reference conversion.
    #[test]
    fn positions_round_trip_in_every_encoding(text in initial_text()) {
        let doc = Document::new(&text);
        prop_assert_eq!(doc.line_count(), line_starts(&text).len());
        for enc in ENCODINGS {
            for byte in nameable_offsets(&text) {
                let pos = doc.byte_to_position(byte, enc);
                prop_assert_eq!(pos, reference_position(&text, byte, enc));
                prop_assert_eq!(doc.position_to_byte(pos, enc), Ok(byte));
                prop_assert_eq!(doc.line_of_byte(byte), pos.line as usize);
            }
        }
        let starts = line_starts(&text);
        for (line, &start) in starts.iter().enumerate() {
            prop_assert_eq!(doc.line_start_byte(line), start);
            let end = content_end(&text, &starts, line);
            prop_assert_eq!(doc.line_text(line), &text[start..end]);
        }
    }

    /// Any positions, in range or not, are repaired as the reference says,
    /// never panic, keep the trees in step, and a full replacement afterwards
    /// resynchronises exactly.
    #[test]
    fn invalid_ranges_are_repaired_and_full_change_resyncs(
        initial in initial_text(),
        changes in prop::collection::vec(
            (0..12u32, 0..40u32, 0..12u32, 0..40u32, text_strategy(4), 0..3usize),
            1..8,
        ),
        replacement in initial_text(),
    ) {
        let mut doc = Document::new(&initial);
        let mut model = initial;
        for (start_line, start_char, end_line, end_char, text, encoding) in changes {
            let enc = ENCODINGS[encoding];
            let mut start = Position::new(start_line, start_char);
            let mut end = Position::new(end_line, end_char);
            let issues = doc.apply_change(Some(Span::new(start, end)), &text, enc);
            let reversed = end < start;
            if reversed {
                std::mem::swap(&mut start, &mut end);
            }
            let (start_byte, start_bad) = reference_byte(&model, start, enc);
            let (end_byte, end_bad) = reference_byte(&model, end, enc);
            let bad = reversed || start_bad || (end != start && end_bad);
            prop_assert_eq!(!issues.is_empty(), bad, "{:?}", issues);
            prop_assert!(issues.len() <= 3);
            for issue in &issues {
                prop_assert!(!issue.to_string().is_empty());
            }
            model.replace_range(start_byte..end_byte, &text);
            prop_assert_eq!(doc.text(), model.as_str());
            assert_matches_fresh_parse(&doc, &model)?;
        }
        let issues = doc.apply_change(None, &replacement, PositionEncoding::Utf16);
        prop_assert!(issues.is_empty());
        prop_assert_eq!(doc.last_changed_bytes(), Some(0..replacement.len()));
        assert_matches_fresh_parse(&doc, &replacement)?;
    }

    /// Byte-offset inputs are clamped, never panic.
    #[test]
    fn byte_inputs_are_clamped(text in initial_text(), a in 0..400usize, b in 0..400usize) {
        let doc = Document::new(&text);
        let slice = doc.slice(a..b);
        let start = (0..=a.min(text.len())).rev().find(|&i| text.is_char_boundary(i));
        let end = (0..=b.min(text.len())).rev().find(|&i| text.is_char_boundary(i));
        let expected = match (start, end) {
            (Some(s), Some(e)) if s < e => &text[s..e],
            _ => "",
        };
        prop_assert_eq!(slice.as_ref(), expected);
        for enc in ENCODINGS {
            let pos = doc.byte_to_position(a, enc);
            let (byte, issue) = doc.position_to_byte_clamped(pos, enc);
            prop_assert!(issue.is_none());
            prop_assert!(byte <= text.len() && text.is_char_boundary(byte));
            let span = doc.byte_range_to_span(a..b, enc);
            prop_assert!(span.start <= span.end);
        }
        prop_assert!(doc.line_of_byte(a) < doc.line_count());
        prop_assert!(doc.line_start_byte(a) <= text.len());
    }
}
