use super::*;

use tree_sitter::{Point, Tree};

use PositionEncoding::{Utf8, Utf16, Utf32};

fn pos(line: u32, character: u32) -> Position {
    Position::new(line, character)
}

fn span(start: (u32, u32), end: (u32, u32)) -> Option<Span> {
    Some(Span::new(pos(start.0, start.1), pos(end.0, end.1)))
}

/// Every node of a tree that belongs to its chunk (`section`s and the root left out),
/// with its kind, byte range and points, one a line; offsets and rows are moved from
/// the chunk to the document by `base` bytes and `rows` rows. An inline node of a block
/// tree is followed by its inline tree.
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
                    Some(inline) => dump(syntax, &inline, base, rows, out),
                    None => out.push_str("no inline tree\n"),
                }
            }
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The chunks of a document with their block trees and inline trees, dumped.
fn dump_document(doc: &Document) -> String {
    let text = doc.text();
    let mut out = String::new();
    doc.visit_chunks(|chunk| {
        let range = chunk.range();
        let rows = text[..range.start].matches('\n').count();
        out.push_str(&format!("chunk {range:?}\n"));
        let syntax = chunk.syntax();
        assert_eq!(syntax.range(), range);
        assert_eq!(syntax.text(), &text[range.clone()]);
        dump(&syntax, syntax.block_tree(), range.start, rows, &mut out);
    });
    out
}

/// Asserts the document's chunks and trees equal those of a fresh document with its
/// text, and that the chunked parse agrees with a parse of the whole text.
fn assert_fresh(doc: &Document) {
    let fresh = doc.with_same_chunking(&doc.text());
    let dumped = dump_document(doc);
    assert_same(&dumped, &dump_document(&fresh), &doc.text());
    let whole = Document::new_unchunked(&doc.text());
    let strip = |dump: &str| -> String {
        dump.lines()
            .filter(|l| !l.starts_with("chunk "))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    assert_same(&strip(&dumped), &strip(&dump_document(&whole)), &doc.text());
}

/// Asserts two dumps are equal, showing the first lines that differ.
fn assert_same(left: &str, right: &str, text: &str) {
    if left == right {
        return;
    }
    let (l, r): (Vec<&str>, Vec<&str>) = (left.lines().collect(), right.lines().collect());
    let at = l
        .iter()
        .zip(&r)
        .position(|(a, b)| a != b)
        .unwrap_or(l.len().min(r.len()));
    let from = at.saturating_sub(3);
    panic!(
        "dumps differ at line {at} for {text:?}\nleft:\n{}\nright:\n{}",
        l[from..(at + 4).min(l.len())].join("\n"),
        r[from..(at + 4).min(r.len())].join("\n")
    );
}

#[test]
fn columns_of_two_three_and_four_byte_characters() {
    let doc = Document::new("aé中😀b\n");
    // Byte offsets: a 0, é 1, 中 3, 😀 6, b 10, \n 11.
    let bytes = [0, 1, 3, 6, 10, 11];
    let utf8 = [0, 1, 3, 6, 10, 11];
    let utf16 = [0, 1, 2, 3, 5, 6];
    let utf32 = [0, 1, 2, 3, 4, 5];
    for (enc, columns) in [(Utf8, utf8), (Utf16, utf16), (Utf32, utf32)] {
        for (&byte, &column) in bytes.iter().zip(columns.iter()) {
            assert_eq!(
                doc.byte_to_position(byte, enc),
                pos(0, column),
                "{enc} {byte}"
            );
            assert_eq!(doc.position_to_byte(pos(0, column), enc), Ok(byte), "{enc}");
        }
    }
    assert_eq!(doc.byte_to_position(12, Utf16), pos(1, 0));
    assert_eq!(doc.position_to_byte(pos(1, 0), Utf32), Ok(12));
}

#[test]
fn utf16_position_inside_surrogate_pair_moves_to_the_emoji() {
    let mut doc = Document::new("aé中😀b\n");
    let issue = EditIssue::InsideSurrogatePair {
        position: pos(0, 4),
    };
    assert_eq!(doc.position_to_byte(pos(0, 4), Utf16), Err(issue.clone()));
    assert_eq!(
        doc.position_to_byte_clamped(pos(0, 4), Utf16),
        (6, Some(issue.clone()))
    );
    let issues = doc.apply_change(span((0, 4), (0, 4)), "X", Utf16);
    assert_eq!(issues, vec![issue]);
    assert_eq!(doc.text(), "aé中X😀b\n");
    assert_fresh(&doc);
}

#[test]
fn utf8_position_inside_a_character_moves_to_its_start() {
    let mut doc = Document::new("aé中😀b\n");
    assert_eq!(
        doc.position_to_byte_clamped(pos(0, 2), Utf8),
        (
            1,
            Some(EditIssue::InsideUtf8Character {
                position: pos(0, 2)
            })
        )
    );
    assert_eq!(
        doc.position_to_byte_clamped(pos(0, 8), Utf8),
        (
            6,
            Some(EditIssue::InsideUtf8Character {
                position: pos(0, 8)
            })
        )
    );
    // Deleting from inside 中 to inside 😀 deletes from the start of 中 to
    // the start of 😀.
    let issues = doc.apply_change(span((0, 4), (0, 7)), "", Utf8);
    assert_eq!(
        issues,
        vec![
            EditIssue::InsideUtf8Character {
                position: pos(0, 4)
            },
            EditIssue::InsideUtf8Character {
                position: pos(0, 7)
            },
        ]
    );
    assert_eq!(doc.text(), "aé😀b\n");
}

#[test]
fn utf32_counts_scalar_values() {
    let doc = Document::new("😀😀x");
    assert_eq!(doc.position_to_byte(pos(0, 2), Utf32), Ok(8));
    assert_eq!(doc.position_to_byte(pos(0, 2), Utf16), Ok(4));
    assert_eq!(doc.byte_to_position(8, Utf32), pos(0, 2));
    assert_eq!(doc.byte_to_position(8, Utf16), pos(0, 4));
    // Byte offsets inside a character move back to its start.
    assert_eq!(doc.byte_to_position(6, Utf16), pos(0, 2));
}

#[test]
fn crlf_and_lone_cr_break_lines() {
    let doc = Document::new("a\r\nb\rc\n");
    assert_eq!(doc.line_count(), 4);
    assert_eq!(
        (0..4).map(|l| doc.line_text(l)).collect::<Vec<_>>(),
        ["a", "b", "c", ""]
    );
    assert_eq!(
        (0..5).map(|l| doc.line_start_byte(l)).collect::<Vec<_>>(),
        [0, 3, 5, 7, 7]
    );
    assert_eq!(doc.position_to_byte(pos(1, 0), Utf16), Ok(3));
    assert_eq!(doc.position_to_byte(pos(2, 0), Utf16), Ok(5));
    assert_eq!(doc.position_to_byte(pos(0, 1), Utf16), Ok(1));
    assert_eq!(doc.position_to_byte(pos(1, 1), Utf16), Ok(4));
    // A character past the line goes before the line ending, never between
    // `\r` and `\n`.
    assert_eq!(
        doc.position_to_byte_clamped(pos(0, 2), Utf16),
        (
            1,
            Some(EditIssue::CharacterPastLineEnd {
                position: pos(0, 2),
                line_length: 1,
                encoding: Utf16,
            })
        )
    );
    // The offset between `\r` and `\n` belongs to the end of line 0.
    assert_eq!(doc.byte_to_position(2, Utf16), pos(0, 1));
    assert_eq!(doc.line_of_byte(2), 0);
    assert_eq!(doc.byte_to_position(4, Utf16), pos(1, 1));
    assert_eq!(doc.byte_to_position(5, Utf16), pos(2, 0));
    assert_eq!(doc.byte_to_position(7, Utf16), pos(3, 0));
}

#[test]
fn edits_across_line_endings_keep_trees_in_step() {
    let mut doc = Document::with_min_chunk("# A\r\n\r\ntext *one*\rmore\n\n> b\r> c\n", 0);
    assert!(doc.apply_change(span((0, 3), (1, 0)), "", Utf16).is_empty());
    assert_eq!(doc.text(), "# A\r\ntext *one*\rmore\n\n> b\r> c\n");
    assert_fresh(&doc);
    // Split the CRLF of line 0 by deleting its `\n` only: impossible through
    // positions, so delete the whole ending and type a lone `\r`.
    assert!(
        doc.apply_change(span((0, 3), (1, 0)), "\r", Utf16)
            .is_empty()
    );
    assert_eq!(doc.text(), "# A\rtext *one*\rmore\n\n> b\r> c\n");
    assert_fresh(&doc);
    // Type a `\n` after a lone `\r`, making it a CRLF.
    assert!(
        doc.apply_change(span((1, 0), (1, 0)), "\n", Utf16)
            .is_empty()
    );
    assert_eq!(doc.text(), "# A\r\ntext *one*\rmore\n\n> b\r> c\n");
    assert_eq!(doc.line_count(), 7);
    assert_fresh(&doc);
    // Turn the lone `\r` ending line 4 into a CRLF and a blank line.
    assert!(
        doc.apply_change(span((4, 3), (5, 0)), "\r\n\n", Utf16)
            .is_empty()
    );
    assert_eq!(doc.text(), "# A\r\ntext *one*\rmore\n\n> b\r\n\n> c\n");
    assert_fresh(&doc);
}

/// Reference tree-sitter point: rows count `\n`, columns count bytes.
fn reference_ts_point(text: &str, byte: usize) -> Point {
    let before = &text[..byte];
    let column = byte - before.rfind('\n').map_or(0, |i| i + 1);
    Point::new(before.matches('\n').count(), column)
}

/// Asserts every node of every chunk's block tree starts at the point the reference
/// gives for its byte in the chunk's text.
fn assert_ts_points(doc: &Document) {
    doc.visit_chunks(|chunk| {
        let syntax = chunk.syntax();
        let source = syntax.source();
        let mut stack = vec![syntax.block_tree().root_node()];
        while let Some(node) = stack.pop() {
            let byte = node.start_byte();
            assert_eq!(
                node.start_position(),
                reference_ts_point(source, byte),
                "{source:?} {byte}"
            );
            for i in 0..node.child_count() {
                stack.extend(node.child(i));
            }
        }
    });
}

#[test]
fn tree_sitter_points_count_only_line_feeds() {
    let mut doc = Document::new("a\rb\r\ncd\r\r\ne\n\rf\r\r\rg");
    assert_ts_points(&doc);
    // Join a lone `\r` with a typed `\n`, split a CRLF, delete across runs.
    let edits = [
        ((0, 1), (0, 1), "x"),
        ((1, 1), (1, 1), "\n"),
        ((2, 0), (2, 0), "\r"),
        ((4, 1), (6, 0), "\r\r"),
        ((0, 0), (1, 0), ""),
    ];
    for (start, end, text) in edits {
        assert!(doc.apply_change(span(start, end), text, Utf16).is_empty());
        assert_ts_points(&doc);
        assert_fresh(&doc);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Byte edits (which may split a CRLF, as positions never do) keep the chunks and
    /// their tree-sitter points right.
    #[test]
    fn tree_sitter_points_survive_edits(
        parts in proptest::collection::vec(
            proptest::sample::select(&["a", "é", "\r", "\n", "\r\n", "😀", "\n\n# h", "\n\nb"][..]),
            0..30,
        ),
        edits in proptest::collection::vec(
            (0..40usize, 0..40usize, proptest::sample::select(&["", "b", "\r", "\n", "\r\n", "\n\r", "\n\n# x\n"][..])),
            1..10,
        ),
        min in proptest::sample::select(&[0usize, 4, 16][..]),
    ) {
        let mut doc = Document::with_min_chunk(&parts.concat(), min);
        for (a, b, text) in edits {
            let len = doc.len_bytes();
            let (a, b) = (doc.floor_char_boundary(a.min(len)), doc.floor_char_boundary(b.min(len)));
            let (start, end) = (a.min(b), a.max(b));
            doc.replace_bytes(start, end, text);
            assert_ts_points(&doc);
            assert_fresh(&doc);
        }
    }
}

#[test]
fn lone_cr_files_keep_tree_positions_right() {
    // Old Mac line endings: tree-sitter sees one long row.
    let mut text = String::new();
    for i in 0..200 {
        text.push_str(&format!("line {i} *em*\r"));
        if i % 50 == 49 {
            text.push_str("\n# Heading\n\n");
        }
    }
    let mut doc = Document::with_min_chunk(&text, 0);
    for (line, character, insert) in [(120, 3, "x\r"), (5, 0, "\n\n"), (150, 2, "\r\n> q")] {
        let at = pos(line, character);
        assert!(
            doc.apply_change(Some(Span::new(at, at)), insert, Utf16)
                .is_empty()
        );
        assert_fresh(&doc);
    }
    assert!(
        doc.apply_change(span((100, 2), (180, 1)), "", Utf16)
            .is_empty()
    );
    assert_fresh(&doc);
}

#[test]
fn bom_is_kept_and_counted_as_a_character() {
    let text = "\u{feff}# Title\r\n";
    let doc = Document::new(text);
    assert_eq!(doc.text(), text);
    assert_eq!(doc.len_bytes(), text.len());
    assert_eq!(doc.byte_to_position(3, Utf16), pos(0, 1));
    assert_eq!(doc.byte_to_position(3, Utf8), pos(0, 3));
    assert_eq!(doc.position_to_byte(pos(0, 1), Utf32), Ok(3));
    assert_eq!(doc.line_text(0), "\u{feff}# Title");
}

/// The syntax of the first chunk.
fn first_chunk(doc: &Document) -> Option<ChunkSyntax> {
    let mut first = None;
    doc.visit_chunks(|chunk| {
        if first.is_none() {
            first = Some(chunk.syntax());
        }
    });
    first
}

fn first_block_kinds(doc: &Document) -> Vec<String> {
    let Some(syntax) = first_chunk(doc) else {
        return Vec::new();
    };
    let root = syntax.block_tree().root_node();
    let mut kinds = Vec::new();
    let mut cursor = root.walk();
    for child in root.children(&mut cursor) {
        kinds.push(child.kind().to_owned());
        if child.kind() == "section"
            && let Some(first) = child.child(0)
        {
            kinds.push(first.kind().to_owned());
        }
    }
    kinds
}

#[test]
fn bom_does_not_hide_front_matter_or_a_heading() {
    let doc = Document::new("\u{feff}---\ntitle: x\n---\n# H\n");
    assert_eq!(
        first_block_kinds(&doc),
        ["minus_metadata", "section", "atx_heading"]
    );
    let doc = Document::new("\u{feff}# Title\n\ntext\n");
    assert_eq!(first_block_kinds(&doc), ["section", "atx_heading"]);
    let doc = Document::new("\u{feff}- [ ] task\n");
    assert!(first_chunk(&doc).is_some_and(|syntax| {
        syntax
            .block_tree()
            .root_node()
            .to_sexp()
            .contains("task_list_marker_unchecked")
    }));
}

#[test]
fn typing_or_deleting_a_bom_keeps_front_matter() {
    let mut doc = Document::new("---\ntitle: x\n---\n# H\n");
    assert!(
        doc.apply_change(span((0, 0), (0, 0)), "\u{feff}", Utf16)
            .is_empty()
    );
    assert_eq!(
        first_block_kinds(&doc),
        ["minus_metadata", "section", "atx_heading"]
    );
    assert_fresh(&doc);
    assert!(doc.apply_change(span((0, 0), (0, 1)), "", Utf16).is_empty());
    assert_eq!(doc.text(), "---\ntitle: x\n---\n# H\n");
    assert_eq!(
        first_block_kinds(&doc),
        ["minus_metadata", "section", "atx_heading"]
    );
    assert_fresh(&doc);
}

#[test]
fn character_past_line_end_clamps_before_the_line_ending() {
    let mut doc = Document::new("ab\r\ncd");
    let issues = doc.apply_change(span((0, 100), (0, 100)), "!", Utf16);
    assert_eq!(
        issues,
        vec![EditIssue::CharacterPastLineEnd {
            position: pos(0, 100),
            line_length: 2,
            encoding: Utf16,
        }]
    );
    assert_eq!(doc.text(), "ab!\r\ncd");
    assert_eq!(doc.position_to_byte_clamped(pos(1, 9), Utf8).0, 7);
}

#[test]
fn reversed_range_is_swapped() {
    let mut doc = Document::new("abcdef");
    let issues = doc.apply_change(span((0, 3), (0, 1)), "X", Utf16);
    assert_eq!(
        issues,
        vec![EditIssue::ReversedRange {
            start: pos(0, 3),
            end: pos(0, 1),
        }]
    );
    assert_eq!(doc.text(), "aXdef");
    assert_fresh(&doc);
}

#[test]
fn line_out_of_range_clamps_to_the_end_of_the_document() {
    let mut doc = Document::new("ab\ncd");
    assert_eq!(
        doc.position_to_byte(pos(5, 0), Utf16),
        Err(EditIssue::LineOutOfRange {
            position: pos(5, 0),
            line_count: 2,
        })
    );
    let issues = doc.apply_change(span((9, 9), (9, 9)), "Z", Utf16);
    assert_eq!(issues.len(), 1);
    assert_eq!(doc.text(), "ab\ncdZ");
    // A range from a valid position to past the end deletes to the end.
    let issues = doc.apply_change(span((0, 1), (7, 0)), "", Utf16);
    assert_eq!(issues.len(), 1);
    assert_eq!(doc.text(), "a");
    assert_fresh(&doc);
}

#[test]
fn issues_say_what_was_done() {
    let messages = [
        EditIssue::LineOutOfRange {
            position: pos(5, 0),
            line_count: 2,
        }
        .to_string(),
        EditIssue::CharacterPastLineEnd {
            position: pos(0, 9),
            line_length: 2,
            encoding: Utf16,
        }
        .to_string(),
        EditIssue::InsideSurrogatePair {
            position: pos(0, 4),
        }
        .to_string(),
        EditIssue::InsideUtf8Character {
            position: pos(0, 2),
        }
        .to_string(),
        EditIssue::ReversedRange {
            start: pos(0, 3),
            end: pos(0, 1),
        }
        .to_string(),
    ];
    assert!(messages[0].contains("clamped to the end of the document"));
    assert!(messages[1].contains("clamped to the end of the line"));
    assert!(messages[1].contains("utf-16"));
    assert!(messages[2].contains("surrogate pair"));
    assert!(messages[3].contains("UTF-8"));
    assert!(messages[4].contains("swapped"));
}

#[test]
fn encoding_names_round_trip() {
    for enc in [Utf8, Utf16, Utf32] {
        assert_eq!(enc.to_string().parse::<PositionEncoding>(), Ok(enc));
    }
    assert_eq!("UTF-16".parse::<PositionEncoding>(), Ok(Utf16));
    assert!("utf-7".parse::<PositionEncoding>().is_err());
    assert_eq!(PositionEncoding::default(), Utf16);
}

#[test]
fn slice_clamps_to_character_boundaries() {
    let doc = Document::new("aé中😀b");
    assert_eq!(doc.slice(1..3), "é");
    // Both ends inside characters: each moves back to its character start.
    assert_eq!(doc.slice(2..5), "é");
    assert_eq!(doc.slice(2..6), "é中");
    assert_eq!(doc.slice(3..6), "中");
    assert_eq!(doc.slice(7..100), "😀b");
    let (from, to) = (9, 3);
    assert_eq!(doc.slice(from..to), "");
    assert_eq!(doc.slice(100..200), "");
}

#[test]
fn byte_range_to_span_converts_both_ends() {
    let doc = Document::new("# 😀 x\nsecond");
    assert_eq!(
        doc.byte_range_to_span(2..6, Utf16),
        Span::new(pos(0, 2), pos(0, 4))
    );
    assert_eq!(
        doc.byte_range_to_span(8..100, Utf8),
        Span::new(pos(0, 8), pos(1, 6))
    );
}

/// The inline nodes of a document's chunks with their inline trees' s-expressions.
fn inline_sexps(doc: &Document) -> Vec<Option<String>> {
    let mut out = Vec::new();
    doc.visit_chunks(|chunk| {
        let syntax = chunk.syntax();
        let mut stack = vec![syntax.block_tree().root_node()];
        while let Some(node) = stack.pop() {
            if is_inline_kind(node.kind()) && syntax.owns(&node) {
                out.push(syntax.inline_tree(&node).map(|t| t.root_node().to_sexp()));
            }
            for i in (0..node.child_count()).rev() {
                stack.extend(node.child(i));
            }
        }
    });
    out
}

#[test]
fn inline_trees_hang_off_inline_nodes() {
    let doc = Document::new("# Title\n\nSome *emph* and [link].\n\n| a | **b** |\n|---|---|\n");
    assert_eq!(
        inline_sexps(&doc),
        [
            None,
            Some(
                "(inline (emphasis (emphasis_delimiter) (emphasis_delimiter)) (shortcut_link (link_text)))"
                    .to_string()
            ),
            None,
            Some(
                "(inline (strong_emphasis (emphasis_delimiter) (emphasis_delimiter) (emphasis_delimiter) (emphasis_delimiter)))"
                    .to_string()
            ),
        ]
    );
    let Some(syntax) = first_chunk(&doc) else {
        panic!("no chunk");
    };
    let root = syntax.block_tree().root_node();
    assert!(syntax.inline_tree(&root).is_none());
    let section = root.child(0).map(|n| n.to_sexp());
    assert!(section.is_some_and(|s| s.starts_with("(section (atx_heading")));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Text without any of the characters that start inline syntax parses to a bare
    /// `inline` node (line breaks aside), so leaving it unparsed loses nothing.
    #[test]
    fn text_without_inline_syntax_has_no_inline_nodes(
        parts in proptest::collection::vec(
            proptest::sample::select(&[
                "a", "word ", " ", "  ", "\n", "é", "😀", "1.", "-", "#", "!", "(", ")", ":", "/",
                "http://x.y", "www.a.b", "'", "\"", "|", "=", "+", "@", "%", "^", "{", "}", ">",
                "?", ",", ";",
            ][..]),
            1..20,
        ),
    ) {
        let text = format!("p{}\n", parts.concat());
        proptest::prop_assume!(!may_hold_inline_syntax(&text));
        let mut parser = tree_sitter::Parser::new();
        parser.set_language(&tree_sitter_md::INLINE_LANGUAGE.into()).map_err(|e| {
            proptest::test_runner::TestCaseError::fail(e.to_string())
        })?;
        let tree = parser.parse(&text, None);
        let sexp = tree.map(|t| t.root_node().to_sexp()).unwrap_or_default();
        let bare = sexp.replace(" (hard_line_break)", "");
        proptest::prop_assert_eq!(bare, "(inline)", "{:?}", text);
    }
}

#[test]
fn inline_ranges_skip_block_quote_markers() {
    // The emphasis spans two lines of a quote; `> ` is not part of it.
    let doc = Document::new("> a *b\n> c* d\n");
    let Some(syntax) = first_chunk(&doc) else {
        panic!("no chunk");
    };
    let mut stack = vec![syntax.block_tree().root_node()];
    let mut inline = None;
    while let Some(node) = stack.pop() {
        if node.kind() == "inline" {
            inline = syntax.inline_tree(&node);
        }
        for i in 0..node.child_count() {
            stack.extend(node.child(i));
        }
    }
    let emphasis = inline.as_ref().and_then(|t| t.root_node().named_child(0));
    assert_eq!(emphasis.map(|n| n.kind()), Some("emphasis"));
    assert_eq!(emphasis.map(|n| n.byte_range()), Some(4..11));
}

#[test]
fn an_edit_reparses_only_the_chunk_it_falls_in() {
    let mut text = String::new();
    for i in 0..50 {
        text.push_str(&format!("Paragraph {i} with *emphasis*.\n\n"));
    }
    let mut doc = Document::new(&text);
    let chunks = doc.chunk_ranges();
    assert!(chunks.len() > 3, "{chunks:?}");
    let line = 60;
    let start = doc.line_start_byte(line);
    assert!(
        doc.apply_change(span((60, 0), (60, 0)), "x", Utf16)
            .is_empty()
    );
    // The inserted text; the chunk it fell in is found again by the next walk.
    assert_eq!(doc.last_changed_bytes(), Some(start..start + 1));
    assert_fresh(&doc);
}

#[test]
fn opening_a_code_fence_swallows_later_inline_nodes() {
    let mut doc = Document::with_min_chunk("a *b*\n\nc *d*\n\ne *f*\n", 0);
    assert!(
        doc.apply_change(span((2, 0), (2, 0)), "```\n", Utf16)
            .is_empty()
    );
    assert_fresh(&doc);
    assert_eq!(inline_sexps(&doc).len(), 1);
    assert!(doc.apply_change(span((2, 0), (3, 0)), "", Utf16).is_empty());
    assert_fresh(&doc);
    assert_eq!(inline_sexps(&doc).len(), 3);
}

#[test]
fn fences_and_front_matter_keep_a_chunk_together() {
    let filler = "Filler text that makes a chunk long enough to end.\n\n".repeat(8);
    // Blank lines and heading-like lines inside a fence, an HTML comment and front
    // matter are not boundaries.
    let text = format!(
        "---\ntitle: x\n\n# yaml comment\n\nkey: y\n---\n\n{filler}```bash\n\n# comment\n\nls\n```\n\n{filler}<!--\n\n# not a heading\n\n-->\n\n{filler}# End\n"
    );
    let doc = Document::new(&text);
    let chunks = doc.chunk_ranges();
    assert!(chunks.len() >= 3, "{chunks:?}");
    for chunk in &chunks {
        let first_line = text[chunk.start..].lines().next().unwrap_or("");
        assert!(
            !first_line.contains("comment") && !first_line.contains("not a heading"),
            "{chunk:?} starts at {first_line:?}"
        );
    }
    assert_fresh(&doc);
}

#[test]
fn full_replacement_resets_everything() {
    let mut doc = Document::new("old *text*\n");
    assert_eq!(doc.last_changed_bytes(), None);
    assert!(
        doc.apply_change(None, "# New\r\n\rbody\n", Utf16)
            .is_empty()
    );
    assert_eq!(doc.text(), "# New\r\n\rbody\n");
    assert_eq!(doc.last_changed_bytes(), Some(0..13));
    assert_fresh(&doc);
    assert!(
        doc.apply_change(span((2, 0), (2, 0)), "x", Utf16)
            .is_empty()
    );
    assert_fresh(&doc);
}

#[test]
fn empty_change_changes_nothing() {
    let mut doc = Document::new("abc");
    assert!(doc.apply_change(span((0, 1), (0, 1)), "", Utf16).is_empty());
    assert_eq!(doc.text(), "abc");
    assert_eq!(doc.last_changed_bytes(), Some(1..1));
}

#[test]
fn documents_are_send_and_sync() {
    fn sync<T: Send + Sync>() {}
    sync::<ChunkSyntax>();
    fn check<T: Send + Sync + Clone>() {}
    check::<Document>();
}

#[test]
fn a_chunk_may_start_with_a_setext_heading_or_a_table() {
    // Whether `Title` starts a chunk must not depend on how far past it a parse read:
    // alone it is a paragraph, with the next line a heading or a table.
    let text = "# H\n\n<!--\n\ncomment\n\n-->\n\n\nTitle\n===\n\nx | y\n--|--\n\n# End\n";
    let mut doc = Document::with_min_chunk(text, 0);
    assert_fresh(&doc);
    let starts: Vec<usize> = doc.chunk_ranges().iter().map(|r| r.start).collect();
    assert!(
        starts.contains(&text.find("Title").unwrap_or(0)),
        "{starts:?}"
    );
    assert!(
        starts.contains(&text.find("x | y").unwrap_or(0)),
        "{starts:?}"
    );
    assert!(
        doc.apply_change(span((4, 0), (4, 0)), "more ", Utf16)
            .is_empty()
    );
    assert_fresh(&doc);
    assert!(doc.apply_change(span((0, 0), (0, 3)), "", Utf16).is_empty());
    assert_fresh(&doc);
}

/// The named nodes of an inline tree below its root: kind and range.
fn inline_nodes(tree: &Tree) -> Vec<(String, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    loop {
        let moved = cursor.goto_first_child()
            || cursor.goto_next_sibling()
            || loop {
                if !cursor.goto_parent() {
                    break false;
                }
                if cursor.goto_next_sibling() {
                    break true;
                }
            };
        if !moved {
            return out;
        }
        let node = cursor.node();
        if node.is_named() {
            out.push((node.kind().to_string(), node.byte_range()));
        }
    }
}

/// Checks [`bold_label_delimiters`] against tree-sitter's inline parse of every inline
/// node of `text` that it accepts; gives how many it accepted.
fn check_bold_labels(text: &str) -> usize {
    let doc = Document::new(text);
    let mut accepted = 0;
    doc.visit_chunks(|chunk| {
        let syntax = chunk.syntax();
        let tree = syntax.block_tree().clone();
        let mut nodes = vec![tree.root_node()];
        while let Some(node) = nodes.pop() {
            let mut cursor = node.walk();
            nodes.extend(node.children(&mut cursor));
            if !is_inline_kind(node.kind()) || node.named_child_count() > 0 {
                continue;
            }
            let node_text = &syntax.source()[node.byte_range()];
            let Some(delimiters) = bold_label_delimiters(node_text) else {
                continue;
            };
            accepted += 1;
            let inline = syntax.inline_tree(&node).expect("an inline tree");
            let base = node.start_byte();
            let mut found: Vec<usize> = Vec::new();
            for (kind, range) in inline_nodes(&inline) {
                match kind.as_str() {
                    "emphasis_delimiter" => {
                        assert_eq!(range.len(), 1, "{text:?}");
                        found.push(range.start - base);
                    }
                    "strong_emphasis" => assert_eq!(range.start, base, "{text:?}"),
                    // Read by nothing in the analysis, so allowed.
                    "hard_line_break" => {}
                    other => panic!("{text:?}: an inline {other} node at {range:?}"),
                }
            }
            assert_eq!(found, delimiters, "{text:?}");
        }
    });
    accepted
}

#[test]
fn bold_labels_are_read_as_the_inline_parse_reads_them() {
    for text in [
        "- **What You Did**: I helped with it, no more.\n",
        "**A**\n",
        "- **Your Role**: (lead) x\n",
        "# **Title** here\n",
        "**B b**: line one  \nline two\n",
    ] {
        assert_eq!(check_bold_labels(text), 1, "{text:?}");
    }
    for text in [
        "**a**_b_\n",
        "** a**: x\n",
        "**a **: x\n",
        "**a**: `code`\n",
        "**a*: x\n",
        "**a**: [placeholder]\n",
        "***a***\n",
        "**(a)**: x\n",
        "- **Your Role (lead)**: x\n",
    ] {
        assert_eq!(check_bold_labels(text), 0, "{text:?}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    #[test]
    fn bold_labels_agree_with_tree_sitter(
        label in "[A-Za-z0-9]([A-Za-z0-9 ,.:;()'\"!?#|/-]{0,10}[A-Za-z0-9])?",
        rest in "[A-Za-z0-9 ,.:;()'\"!?#|/=+%^{}-]{0,16}(\n[ A-Za-z0-9:.#>|=+-]{0,10}){0,2}",
        context in 0..4usize,
    ) {
        let line = format!("**{label}**{rest}");
        let text = match context {
            0 => format!("{line}\n"),
            1 => format!("- {line}\n"),
            2 => format!("## Heading\n\n1. {line}\n"),
            _ => format!("> {line}\n"),
        };
        check_bold_labels(&text);
    }
}
