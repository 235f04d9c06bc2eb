//! The two-level markdown syntax of a document: one block tree
//! (`tree_sitter_md::LANGUAGE`) and one inline tree
//! (`tree_sitter_md::INLINE_LANGUAGE`) per `inline` or `pipe_table_cell` node
//! of the block tree.
//!
//! Each inline tree is parsed with included ranges that cover its block node
//! minus the node's named children (the `block_continuation` markers such as
//! a block quote's `> ` on continuation lines), so inline constructs can span
//! the lines of a quote or a list item.
//!
//! An edit reparses the block tree incrementally, then parses afresh only the
//! inline nodes that touch the changed region: the edit itself plus the
//! ranges where the block structure changed (`Tree::changed_ranges`). The
//! other inline trees are kept. Those after the edit have moved; rather than
//! `Tree::edit` every one of them on every keystroke, each remembers where it
//! was parsed and where its node is now, and is moved with one `Tree::edit`
//! the first time it is asked for (cached until the next change moves it).

use std::ops::{ControlFlow, Range};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use ropey::Rope;
use tree_sitter::{InputEdit, Node, ParseOptions, Parser, Point, Tree, TreeCursor};

/// The two parsers a document needs. Kept per document: `Parser` is `Send`
/// and `Sync`, so a `Document` is too.
struct Parsers {
    block: Parser,
    inline: Parser,
}

impl Parsers {
    /// Makes both parsers. If a grammar cannot be loaded (an ABI mismatch,
    /// which the first test would reveal) the parser stays without a
    /// language and every parse returns `None`.
    fn new() -> Parsers {
        let mut block = Parser::new();
        let _ = block.set_language(&tree_sitter_md::LANGUAGE.into());
        let mut inline = Parser::new();
        let _ = inline.set_language(&tree_sitter_md::INLINE_LANGUAGE.into());
        Parsers { block, inline }
    }
}

/// The inline tree of one block node.
struct InlineTree {
    /// The node's byte range in the current text.
    start: usize,
    end: usize,
    /// The node's start point in the current text.
    start_point: Point,
    /// The tree, with positions as of when its node started at `tree_start`.
    tree: Tree,
    tree_start: usize,
    tree_start_point: Point,
    /// `tree` moved to `start`, made on first use.
    moved: OnceLock<Tree>,
}

impl InlineTree {
    fn new(node: &PendingInline, tree: Tree) -> InlineTree {
        InlineTree {
            start: node.start,
            end: node.end,
            start_point: node.start_point,
            tree,
            tree_start: node.start,
            tree_start_point: node.start_point,
            moved: OnceLock::new(),
        }
    }

    /// The tree with positions in the current text.
    fn current(&self) -> &Tree {
        if self.start == self.tree_start && self.start_point == self.tree_start_point {
            return &self.tree;
        }
        self.moved.get_or_init(|| {
            // The tree's text is unchanged, only its place moved, so one edit
            // that replaces everything before it does the whole move.
            let mut tree = self.tree.clone();
            tree.edit(&InputEdit {
                start_byte: 0,
                old_end_byte: self.tree_start,
                new_end_byte: self.start,
                start_position: Point::new(0, 0),
                old_end_position: self.tree_start_point,
                new_end_position: self.start_point,
            });
            tree
        })
    }

    /// Moves the node by `edit`, which ends before the node starts.
    fn shift(&mut self, edit: &InputEdit) {
        self.start = self.start - edit.old_end_byte + edit.new_end_byte;
        self.end = self.end - edit.old_end_byte + edit.new_end_byte;
        self.start_point = shift_point(self.start_point, edit);
        if self.moved.get().is_some() {
            self.moved = OnceLock::new();
        }
    }
}

impl Clone for InlineTree {
    fn clone(&self) -> InlineTree {
        InlineTree {
            start: self.start,
            end: self.end,
            start_point: self.start_point,
            tree: self.tree.clone(),
            tree_start: self.tree_start,
            tree_start_point: self.tree_start_point,
            moved: self.moved.clone(),
        }
    }
}

/// An inline node of the new block tree waiting to be parsed.
struct PendingInline {
    start: usize,
    end: usize,
    start_point: Point,
    ranges: Vec<tree_sitter::Range>,
}

/// The block tree and the inline trees of a document, plus the parsers that
/// keep them up to date.
pub(super) struct Syntax {
    parsers: Parsers,
    block: Tree,
    /// Sorted by `start`; the node ranges do not overlap.
    inlines: Vec<InlineTree>,
}

impl Clone for Syntax {
    fn clone(&self) -> Syntax {
        Syntax {
            parsers: Parsers::new(),
            block: self.block.clone(),
            inlines: self.inlines.clone(),
        }
    }
}

/// Returns the text of `rope` from `byte` to the end of the chunk holding it,
/// or an empty slice at or past the end.
fn read_rope(rope: &Rope, byte: usize) -> &[u8] {
    if byte >= rope.len_bytes() {
        return &[];
    }
    let (chunk, chunk_start, _, _) = rope.chunk_at_byte(byte);
    chunk.as_bytes().get(byte - chunk_start..).unwrap_or(&[])
}

/// Parses the block tree of `rope`, incrementally when given an edited old
/// tree. Returns `None` only if the parser has no language.
fn parse_block(parser: &mut Parser, rope: &Rope, old: Option<&Tree>) -> Option<Tree> {
    parser.parse_with_options(&mut |byte, _| read_rope(rope, byte), old, None)
}

/// Parses the inline content in `ranges` from scratch.
///
/// Inline trees are never parsed incrementally: given an old inline tree,
/// tree-sitter-md's inline grammar sometimes tokenises punctuation
/// differently from a fresh parse, and an inline node (one paragraph,
/// heading or cell) is cheap to parse whole.
///
/// A node longer than [`MAX_INLINE_BYTES`], or whose parse runs over its time
/// budget (see [`inline_budget`]), gets no inline tree: its text is read as
/// plain text, without code spans, links or brackets.
fn parse_inline(parser: &mut Parser, rope: &Rope, ranges: &[tree_sitter::Range]) -> Option<Tree> {
    let length = ranges.iter().map(|r| r.end_byte - r.start_byte).sum();
    if length > MAX_INLINE_BYTES {
        return None;
    }
    parser.set_included_ranges(ranges).ok()?;
    let deadline = Instant::now() + inline_budget(length);
    let mut in_time = |_: &tree_sitter::ParseState| {
        if Instant::now() > deadline {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let options = ParseOptions::new().progress_callback(&mut in_time);
    let tree = parser.parse_with_options(&mut |byte, _| read_rope(rope, byte), None, Some(options));
    if tree.is_none() {
        // A cancelled parse would otherwise resume on the next call.
        parser.reset();
    }
    tree
}

/// The longest inline node (a paragraph, heading or table cell) that gets an
/// inline tree. tree-sitter-md's inline grammar is quadratic on some inputs,
/// within single parse steps that no budget can interrupt: 60 KB of `_a `
/// with one `_` deleted takes seconds, 150 KB half a minute. At 16 KB the
/// worst input known takes well under a second; ordinary paragraphs are a
/// few hundred bytes.
const MAX_INLINE_BYTES: usize = 16 * 1024;

/// How long the inline parse of `length` bytes may take: half a second plus
/// 10 µs a byte. Ordinary text parses in well under a microsecond a byte
/// (a few in a debug build). tree-sitter-md's inline grammar rescans ahead
/// quadratically on some inputs (thousands of nested `*` or `![`: 20 KB of
/// `*` takes over a second, 100 KB half a minute), which would hold the
/// document for that long on every keystroke in the paragraph.
fn inline_budget(length: usize) -> Duration {
    let per_byte = u64::try_from(length).unwrap_or(u64::MAX).saturating_mul(10);
    Duration::from_millis(500) + Duration::from_micros(per_byte)
}

/// Whether a block node kind carries inline content.
fn is_inline_kind(kind: &str) -> bool {
    kind == "inline" || kind == "pipe_table_cell"
}

/// The ranges an inline parse of `node` reads: the node minus its named
/// children. Never empty: an inline node with no text gets one empty range
/// at its start (an empty list would mean "the whole document").
fn inline_ranges(node: Node<'_>) -> Vec<tree_sitter::Range> {
    let mut ranges = Vec::new();
    let mut start_byte = node.start_byte();
    let mut start_point = node.start_position();
    let mut cursor = node.walk();
    if cursor.goto_first_child() {
        loop {
            let child = cursor.node();
            if child.is_named() {
                if child.start_byte() > start_byte {
                    ranges.push(tree_sitter::Range {
                        start_byte,
                        end_byte: child.start_byte(),
                        start_point,
                        end_point: child.start_position(),
                    });
                }
                if child.end_byte() > start_byte {
                    start_byte = child.end_byte();
                    start_point = child.end_position();
                }
            }
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }
    if node.end_byte() > start_byte || ranges.is_empty() {
        let (end_byte, end_point) = if node.end_byte() >= start_byte {
            (node.end_byte(), node.end_position())
        } else {
            (start_byte, start_point)
        };
        ranges.push(tree_sitter::Range {
            start_byte,
            end_byte,
            start_point,
            end_point,
        });
    }
    ranges
}

/// Collects, in document order, the inline nodes of the tree under `root`
/// that intersect the closed byte interval `[lo, hi]`.
fn collect_inline_nodes(root: Node<'_>, lo: usize, hi: usize, out: &mut Vec<PendingInline>) {
    let mut cursor = root.walk();
    // A depth-first walk that enters only nodes intersecting [lo, hi].
    loop {
        let node = cursor.node();
        let mut descended = false;
        if node.end_byte() >= lo && node.start_byte() <= hi {
            if is_inline_kind(node.kind()) {
                out.push(PendingInline {
                    start: node.start_byte(),
                    end: node.end_byte(),
                    start_point: node.start_position(),
                    ranges: inline_ranges(node),
                });
            } else {
                descended = goto_first_child_ending_at_or_after(&mut cursor, lo);
            }
        }
        if descended {
            continue;
        }
        // Go to the next sibling that starts at or before `hi`, climbing
        // when the siblings run out or start past `hi`.
        loop {
            if cursor.goto_next_sibling() && cursor.node().start_byte() <= hi {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// Moves the cursor to the first child of its node that ends at or after
/// `lo`, returning whether it moved to a child at all.
///
/// tree-sitter's own searches (`Node::first_child_for_byte`,
/// `TreeCursor::goto_first_child_for_byte`) skip most children, but give up
/// and return nothing when the byte falls in a hidden node with no visible
/// child there (blank lines after a paragraph, say). A result they do return
/// is right, so it is used when there is one, and the children are scanned
/// from the first otherwise.
fn goto_first_child_ending_at_or_after(cursor: &mut TreeCursor<'_>, lo: usize) -> bool {
    let node = cursor.node();
    let target = lo
        .checked_sub(1)
        .and_then(|before| node.first_child_for_byte(before));
    if let Some(target) = target
        && target.start_byte() < target.end_byte()
        && cursor
            .goto_first_child_for_byte(target.start_byte())
            .is_some()
    {
        if cursor.node() == target {
            return true;
        }
        cursor.goto_parent();
    }
    if !cursor.goto_first_child() {
        return false;
    }
    // Children that end before `lo` fail the walk's intersection test, so
    // stopping on the last child when all of them do is harmless.
    while cursor.node().end_byte() < lo && cursor.goto_next_sibling() {}
    true
}

/// Maps a byte offset of the text before `edit` to the text after it. An
/// offset inside the replaced range maps to the end of the new text.
fn map_offset(edit: &InputEdit, byte: usize) -> usize {
    if byte <= edit.start_byte {
        byte
    } else if byte >= edit.old_end_byte {
        byte - edit.old_end_byte + edit.new_end_byte
    } else {
        edit.new_end_byte
    }
}

/// Maps a point at or after the end of the replaced range, as tree-sitter
/// does.
fn shift_point(point: Point, edit: &InputEdit) -> Point {
    let old_end = edit.old_end_position;
    let new_end = edit.new_end_position;
    if point.row == old_end.row {
        Point::new(new_end.row, new_end.column + point.column - old_end.column)
    } else {
        Point::new(point.row - old_end.row + new_end.row, point.column)
    }
}

impl Syntax {
    /// Parses `rope` from scratch.
    pub(super) fn new(rope: &Rope) -> Syntax {
        let mut parsers = Parsers::new();
        let block = parse_block(&mut parsers.block, rope, None);
        #[expect(
            clippy::expect_used,
            reason = "tree-sitter returns no tree only without a language, a timeout or a \
                      cancellation flag; the bundled grammar always loads and neither of the \
                      others is ever set"
        )]
        let block = block.expect("the markdown block grammar failed to load");
        let mut syntax = Syntax {
            parsers,
            block,
            inlines: Vec::new(),
        };
        syntax.parse_all_inlines(rope);
        syntax
    }

    /// Replaces everything with a fresh parse of `rope`, keeping the parsers.
    /// If the parse fails (it cannot, see [`Syntax::new`]) the old block tree
    /// is kept, edited by `edit` to span the new text, without inline trees.
    pub(super) fn reparse_from_scratch(&mut self, rope: &Rope, edit: &InputEdit) {
        match parse_block(&mut self.parsers.block, rope, None) {
            Some(block) => self.block = block,
            None => self.block.edit(edit),
        }
        self.parse_all_inlines(rope);
    }

    fn parse_all_inlines(&mut self, rope: &Rope) {
        let mut pending = Vec::new();
        collect_inline_nodes(self.block.root_node(), 0, usize::MAX, &mut pending);
        self.inlines.clear();
        for node in &pending {
            if let Some(tree) = parse_inline(&mut self.parsers.inline, rope, &node.ranges) {
                self.inlines.push(InlineTree::new(node, tree));
            }
        }
    }

    /// Brings the trees up to date with `rope`, which is the old text changed
    /// as `edit` describes. Returns the byte range of the new text whose
    /// text or syntax may have changed.
    pub(super) fn apply_edit(&mut self, rope: &Rope, edit: &InputEdit) -> Range<usize> {
        self.block.edit(edit);
        let mut lo = edit.start_byte;
        let mut hi = edit.new_end_byte;
        // `None` cannot happen (see `Syntax::new`); the edited tree stays.
        if let Some(block) = parse_block(&mut self.parsers.block, rope, Some(&self.block)) {
            for changed in self.block.changed_ranges(&block) {
                lo = lo.min(changed.start_byte);
                hi = hi.max(changed.end_byte);
            }
            self.block = block;
        }

        // Move the inline nodes at or after the edit into new coordinates.
        // Those touching the edit are about to be replaced, so only their
        // byte range is mapped, to keep the list sorted.
        let first_touched = self.inlines.partition_point(|t| t.end < edit.start_byte);
        for inline in &mut self.inlines[first_touched..] {
            if inline.start > edit.old_end_byte {
                inline.shift(edit);
            } else {
                inline.start = map_offset(edit, inline.start);
                inline.end = map_offset(edit, inline.end);
            }
        }

        // Grow [lo, hi] until it holds every old inline node and every new
        // inline node that intersects it: outside it, old and new agree.
        let mut pending = Vec::new();
        let (stale_start, stale_end) = loop {
            let stale_start = self.inlines.partition_point(|t| t.end < lo);
            let stale_end = self.inlines.partition_point(|t| t.start <= hi);
            pending.clear();
            collect_inline_nodes(self.block.root_node(), lo, hi, &mut pending);
            let mut new_lo = lo;
            let mut new_hi = hi;
            if stale_start < stale_end {
                if let Some(first) = self.inlines.get(stale_start) {
                    new_lo = new_lo.min(first.start);
                }
                if let Some(last) = self.inlines.get(stale_end - 1) {
                    new_hi = new_hi.max(last.end);
                }
            }
            if let (Some(first), Some(last)) = (pending.first(), pending.last()) {
                new_lo = new_lo.min(first.start);
                new_hi = new_hi.max(last.end);
            }
            if (new_lo, new_hi) == (lo, hi) {
                break (stale_start, stale_end);
            }
            lo = new_lo;
            hi = new_hi;
        };

        // The list is sorted and its ranges disjoint, so this never moves
        // anything; it only rules out a panicking splice.
        let stale_end = stale_end.max(stale_start);
        let mut fresh = Vec::with_capacity(pending.len());
        for node in &pending {
            if let Some(tree) = parse_inline(&mut self.parsers.inline, rope, &node.ranges) {
                fresh.push(InlineTree::new(node, tree));
            }
        }
        self.inlines.splice(stale_start..stale_end, fresh);

        let len = rope.len_bytes();
        lo.min(len)..hi.min(len)
    }

    /// The block tree.
    pub(super) fn block_tree(&self) -> &Tree {
        &self.block
    }

    /// The inline tree of an `inline` or `pipe_table_cell` node of the block
    /// tree.
    pub(super) fn inline_tree(&self, node: &Node<'_>) -> Option<&Tree> {
        if !is_inline_kind(node.kind()) {
            return None;
        }
        let (start, end) = (node.start_byte(), node.end_byte());
        let index = self.inlines.partition_point(|t| t.start < start);
        let inline = self.inlines.get(index)?;
        (inline.start == start && inline.end == end).then(|| inline.current())
    }

    /// Every inline tree, in document order.
    pub(super) fn inline_trees(&self) -> impl ExactSizeIterator<Item = &Tree> {
        self.inlines.iter().map(InlineTree::current)
    }
}

/// Returns the tree-sitter point reached from `start` by reading `text`:
/// rows count `\n` only and columns count bytes.
pub(super) fn advance_point(start: Point, text: &str) -> Point {
    match text.rfind('\n') {
        Some(last) => Point {
            row: start.row + text.bytes().filter(|&b| b == b'\n').count(),
            column: text.len() - last - 1,
        },
        None => Point {
            row: start.row,
            column: start.column + text.len(),
        },
    }
}
