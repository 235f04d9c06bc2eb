use super::*;

use PositionEncoding::{Utf8, Utf16, Utf32};

fn pos(line: u32, character: u32) -> Position {
    Position::new(line, character)
}

fn span(start: (u32, u32), end: (u32, u32)) -> Option<Span> {
    Some(Span::new(pos(start.0, start.1), pos(end.0, end.1)))
}

/// Every node of a tree with its kind, byte range and points, one a line.
fn dump(tree: &Tree) -> String {
    let mut out = String::new();
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        out.push_str(&format!(
            "{}{} {:?} {:?}-{:?}\n",
            "  ".repeat(cursor.depth() as usize),
            node.kind(),
            node.byte_range(),
            node.start_position(),
            node.end_position()
        ));
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}

/// The block tree and every inline tree (found through the block tree's
/// inline nodes) of a document, dumped.
fn dump_document(doc: &Document) -> String {
    let mut out = dump(doc.block_tree());
    let mut stack = vec![doc.block_tree().root_node()];
    while let Some(node) = stack.pop() {
        if matches!(node.kind(), "inline" | "pipe_table_cell") {
            match doc.inline_tree(&node) {
                Some(tree) => out.push_str(&dump(tree)),
                None => out.push_str("no inline tree\n"),
            }
        }
        for i in (0..node.child_count()).rev() {
            stack.extend(node.child(i));
        }
    }
    out
}

/// Asserts the document's trees equal those of a fresh parse of its text.
fn assert_fresh(doc: &Document) {
    let fresh = Document::new(&doc.text());
    assert_eq!(dump_document(doc), dump_document(&fresh));
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
    let mut doc = Document::new("# A\r\n\r\ntext *one*\rmore\n\n> b\r> c\n");
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

fn assert_ts_points(doc: &Document) {
    let text = doc.text();
    for byte in (0..=text.len()).filter(|&b| text.is_char_boundary(b)) {
        assert_eq!(
            doc.ts_point(byte),
            reference_ts_point(&text, byte),
            "{text:?} {byte}"
        );
    }
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

    /// The lone `\r` bookkeeping behind tree-sitter points survives edits.
    #[test]
    fn tree_sitter_points_survive_edits(
        parts in proptest::collection::vec(
            proptest::sample::select(&["a", "é", "\r", "\n", "\r\n", "😀"][..]),
            0..30,
        ),
        edits in proptest::collection::vec(
            (0..40usize, 0..40usize, proptest::sample::select(&["", "b", "\r", "\n", "\r\n", "\n\r"][..])),
            1..10,
        ),
    ) {
        let mut doc = Document::new(&parts.concat());
        for (a, b, text) in edits {
            let len = doc.len_bytes();
            let (a, b) = (doc.floor_char_boundary(a.min(len)), doc.floor_char_boundary(b.min(len)));
            let (start, end) = (a.min(b), a.max(b));
            // Byte edits may split a CRLF here, which positions never do.
            doc.replace_bytes(start, end, text);
            assert_ts_points(&doc);
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
    let mut doc = Document::new(&text);
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

fn first_block_kinds(doc: &Document) -> Vec<String> {
    let root = doc.block_tree().root_node();
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
    assert!(
        doc.block_tree()
            .root_node()
            .to_sexp()
            .contains("task_list_marker_unchecked")
    );
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

#[test]
fn inline_trees_hang_off_inline_nodes() {
    let doc = Document::new("# Title\n\nSome *emph* and [link].\n\n| a | **b** |\n|---|---|\n");
    let sexps: Vec<String> = doc
        .inline_trees()
        .map(|t| t.root_node().to_sexp())
        .collect();
    assert_eq!(
        sexps,
        [
            "(inline)",
            "(inline (emphasis (emphasis_delimiter) (emphasis_delimiter)) (shortcut_link (link_text)))",
            "(inline)",
            "(inline (strong_emphasis (emphasis_delimiter) (emphasis_delimiter) (emphasis_delimiter) (emphasis_delimiter)))",
        ]
    );
    let root = doc.block_tree().root_node();
    assert!(doc.inline_tree(&root).is_none());
    let section = root.child(0).map(|n| n.to_sexp());
    assert!(section.is_some_and(|s| s.starts_with("(section (atx_heading")));
}

#[test]
fn inline_ranges_skip_block_quote_markers() {
    // The emphasis spans two lines of a quote; `> ` is not part of it.
    let doc = Document::new("> a *b\n> c* d\n");
    let inline = doc.inline_trees().next().map(|t| t.root_node());
    let emphasis = inline.and_then(|n| n.named_child(0));
    assert_eq!(emphasis.map(|n| n.kind()), Some("emphasis"));
    assert_eq!(emphasis.map(|n| n.byte_range()), Some(4..11));
}

#[test]
fn an_edit_reparses_only_the_inline_nodes_it_touches() {
    let mut text = String::new();
    for i in 0..50 {
        text.push_str(&format!("Paragraph {i} with *emphasis*.\n\n"));
    }
    let mut doc = Document::new(&text);
    let line = 60;
    let start = doc.line_start_byte(line);
    assert!(
        doc.apply_change(span((60, 0), (60, 0)), "x", Utf16)
            .is_empty()
    );
    let changed = doc.last_changed_bytes();
    assert!(
        changed
            .as_ref()
            .is_some_and(|r| r.start >= doc.line_start_byte(line - 1))
    );
    assert!(
        changed
            .as_ref()
            .is_some_and(|r| r.end <= doc.line_start_byte(line + 2))
    );
    assert!(changed.is_some_and(|r| r.contains(&start)));
    assert_fresh(&doc);
}

#[test]
fn opening_a_code_fence_swallows_later_inline_nodes() {
    let mut doc = Document::new("a *b*\n\nc *d*\n\ne *f*\n");
    assert!(
        doc.apply_change(span((2, 0), (2, 0)), "```\n", Utf16)
            .is_empty()
    );
    assert_fresh(&doc);
    assert_eq!(doc.inline_trees().len(), 1);
    assert!(doc.apply_change(span((2, 0), (3, 0)), "", Utf16).is_empty());
    assert_fresh(&doc);
    assert_eq!(doc.inline_trees().len(), 3);
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
    fn check<T: Send + Sync + Clone>() {}
    check::<Document>();
}
