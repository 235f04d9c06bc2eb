//! Properties of `reframe_core::document`: incremental changes give the same text
//! as editing a plain `String`, the same chunks and syntax trees as a fresh
//! document with that text, and the same blocks as parsing the whole text as
//! one chunk; positions round-trip in every encoding and agree with a simple
//! reference implementation; bad ranges are repaired, never fatal.

use proptest::prelude::*;
use proptest::sample::{Index, select};
use reframe_core::document::{
    ChunkSyntax, Document, Position, PositionEncoding, Span, is_inline_kind,
};
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
    "\n\n# Chunk heading\n\n",
    "\n\nParagraph after a blank line\n",
    "\n\n<!--\n\ncomment\n\n-->\n",
    "\n\n<div>\n\nhtml\n</div>\n",
    "\n\n```\n\n# not a heading\n\n",
    "\n\n- item\n\n  more\n\nafter\n",
    "\n\n> quote\n\nafter\n",
    "\n\nTitle\n===\n",
    "---\n",
    "\n\n| a |\n|---|\n\nb\n",
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

/// Every node of a chunk's tree that belongs to the chunk, except `section`s and
/// the root, with its kind, byte range and points moved to the document (`base`
/// bytes, `rows` rows), one a line. An inline node is followed by its inline tree.
fn dump(syntax: &ChunkSyntax, tree: &Tree, base: usize, rows: usize, out: &mut String) {
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        if node.start_byte() < syntax.len() && node.kind() != "section" && node.parent().is_some() {
            let range = node.byte_range();
            let (start, end) = (node.start_position(), node.end_position());
            out.push_str(&format!(
                "{} {:?} ({}, {})-({}, {})\n",
                node.kind(),
                range.start + base..range.end + base,
                start.row + rows,
                start.column,
                end.row + rows,
                end.column
            ));
            if is_inline_kind(node.kind()) && tree.root_node().kind() == "document" {
                match syntax.inline_tree(&node) {
                    Some(inline) => {
                        out.push_str(&format!("{}\n", inline.root_node().to_sexp()));
                        dump(syntax, &inline, base, rows, out);
                    }
                    None => out.push_str("no inline tree\n"),
                }
            }
        }
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

/// What must match between an incrementally edited document and a fresh one:
/// the chunk ranges, and every node (kind, range, points) of every chunk's
/// block tree and inline trees. The second value leaves the chunks out: it must
/// also match a parse of the whole text as one chunk.
fn syntax_of(doc: &Document) -> (String, String) {
    let text = doc.text();
    let mut chunked = String::new();
    let mut nodes = String::new();
    let mut covered = 0;
    doc.visit_chunks(|chunk| {
        let range = chunk.range();
        assert_eq!(range.start, covered, "chunks leave a gap");
        covered = range.end;
        let rows = text[..range.start].matches('\n').count();
        chunked.push_str(&format!("chunk {range:?}\n"));
        let syntax = chunk.syntax();
        dump(&syntax, syntax.block_tree(), range.start, rows, &mut nodes);
        chunked.push_str(&nodes);
        nodes.clear();
    });
    assert_eq!(covered, text.len(), "chunks do not cover the text");
    let nodes = chunked
        .lines()
        .filter(|l| !l.starts_with("chunk "))
        .map(|l| format!("{l}\n"))
        .collect();
    (chunked, nodes)
}

/// Whether a parse of the whole text has an `ERROR` or `MISSING` node.
fn has_error(doc: &Document) -> bool {
    let mut error = false;
    doc.visit_chunks(|chunk| error |= chunk.syntax().block_tree().root_node().has_error());
    error
}

/// The first line where two dumps differ, with some context.
fn first_difference(left: &str, right: &str) -> String {
    let (l, r): (Vec<&str>, Vec<&str>) = (left.lines().collect(), right.lines().collect());
    let at = l
        .iter()
        .zip(&r)
        .position(|(a, b)| a != b)
        .unwrap_or(l.len().min(r.len()));
    let from = at.saturating_sub(2);
    format!(
        "line {at}\n  left: {:?}\n right: {:?}",
        &l[from..(at + 3).min(l.len())],
        &r[from..(at + 3).min(r.len())]
    )
}

fn assert_matches_fresh_parse(doc: &Document, model: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(doc.text(), model);
    prop_assert_eq!(doc.len_bytes(), model.len());
    let (chunked, nodes) = syntax_of(doc);
    let (fresh_chunked, _) = syntax_of(&doc.with_same_chunking(model));
    prop_assert!(
        chunked == fresh_chunked,
        "chunks or trees differ from a fresh document for {:?}: {}",
        model,
        first_difference(&chunked, &fresh_chunked)
    );
    let whole = Document::new_unchunked(model);
    let (_, whole_nodes) = syntax_of(&whole);
    // tree-sitter recovers from a syntax error (which markdown rarely has: a delimiter
    // row with no table, say) differently depending on what came before, far back; the
    // chunked parse is only promised equal to the whole parse where it has none.
    if has_error(&whole) {
        return Ok(());
    }
    prop_assert!(
        nodes == whole_nodes,
        "chunked parse differs from a parse of the whole text for {:?}: {}",
        model,
        first_difference(&nodes, &whole_nodes)
    );
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

    /// Valid edits applied one by one match a `String` and a fresh parse, whether the
    /// chunks are walked after every edit or after every `every` edits (an edit is
    /// resolved by the next walk, so several may wait for one).
    #[test]
    fn incremental_edits_match_string_and_fresh_parse(
        initial in initial_text(),
        edits in prop::collection::vec(edit_strategy(), 1..20),
        min in select(&[0usize, 8, 40][..]),
        every in 1usize..4,
    ) {
        let mut doc = Document::with_min_chunk(&initial, min);
        let mut model = initial;
        let count = edits.len();
        for (i, edit) in edits.into_iter().enumerate() {
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
            if (i + 1) % every == 0 || i + 1 == count {
                assert_matches_fresh_parse(&doc, &model)?;
            }
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
        min in select(&[0usize, 8, 40][..]),
    ) {
        let mut doc = Document::with_min_chunk(&initial, min);
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

/// The comparison with a whole parse above skips texts whose parse has a syntax error;
/// most generated texts must have none, or the property would say little.
#[test]
fn most_generated_texts_parse_without_errors() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = initial_text();
    let total = 400;
    let mut clean = 0;
    for _ in 0..total {
        let Ok(tree) = strategy.new_tree(&mut runner) else {
            continue;
        };
        if !has_error(&Document::new_unchunked(&tree.current())) {
            clean += 1;
        }
    }
    assert!(
        clean * 10 >= total * 7,
        "only {clean} of {total} texts parse cleanly"
    );
}
