//! The markdown syntax of one chunk: a block tree (`tree_sitter_md::LANGUAGE`) parsed over
//! the chunk's own text, and inline trees (`tree_sitter_md::INLINE_LANGUAGE`) parsed on
//! demand for its `inline` and `pipe_table_cell` nodes.
//!
//! A chunk's block tree is parsed over the chunk's text plus the first byte of the next
//! chunk (see `chunks.rs`: that byte proves the chunk ends in a clean state). Nodes that
//! start at or after the chunk's length belong to the next chunk; [`ChunkSyntax::owns`]
//! tells them apart. Positions in the trees are relative to the chunk's start.
//!
//! Each inline tree is parsed with included ranges that cover its block node minus the
//! node's named children (the `block_continuation` markers such as a block quote's `> ` on
//! continuation lines), so inline constructs can span the lines of a quote or a list item.
//! Inline trees are never kept: the analysis reads what it needs and drops them. A node
//! whose text holds none of the characters that start inline syntax gets no tree, and
//! neither does a node too long or too slow to parse (see [`parse_inline`]).

use std::cell::RefCell;
use std::ops::{ControlFlow, Range};
use std::time::{Duration, Instant};

use tree_sitter::{Node, ParseOptions, Parser, Tree};

/// The two parsers, one pair per thread (a `Parser` keeps its allocations between parses).
struct Parsers {
    block: Parser,
    inline: Parser,
}

impl Parsers {
    /// Makes both parsers. If a grammar cannot be loaded (an ABI mismatch, which the first
    /// test would reveal) the parser stays without a language and every parse returns
    /// `None`.
    fn new() -> Parsers {
        let mut block = Parser::new();
        let _ = block.set_language(&tree_sitter_md::LANGUAGE.into());
        let mut inline = Parser::new();
        let _ = inline.set_language(&tree_sitter_md::INLINE_LANGUAGE.into());
        Parsers { block, inline }
    }
}

thread_local! {
    static PARSERS: RefCell<Parsers> = RefCell::new(Parsers::new());
}

/// Parses the block structure of `text`, incrementally when given an old tree that was
/// edited to match it. `None` only if the grammar failed to load.
///
/// Text of blank lines only (spaces, tabs, `\r`, `\n`) holds no block, and tree-sitter-md
/// spends about 2 µs and 600 bytes on each blank line (2 MB of `\r` took 8 s and 1.2 GB):
/// it gets the tree of the empty text instead, which has the same nodes (none but the root).
pub(super) fn parse_block(text: &str, old: Option<&Tree>) -> Option<Tree> {
    let blank = text
        .bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
    PARSERS.with(|parsers| {
        let mut parsers = parsers.try_borrow_mut().ok()?;
        if blank {
            return parsers.block.parse("", None);
        }
        // A tree from the blank shortcut was not parsed from the text it was edited to
        // follow: parse afresh rather than reuse it.
        let old = old.filter(|t| t.root_node().child_count() > 0);
        parsers.block.parse(text, old)
    })
}

/// Parses the inline content of `source` in `ranges` from scratch.
///
/// Inline trees are never parsed incrementally: given an old inline tree, tree-sitter-md's
/// inline grammar sometimes tokenises punctuation differently from a fresh parse.
///
/// A node longer than [`MAX_INLINE_BYTES`], or whose parse runs over its time budget (see
/// [`inline_budget`]), gets no inline tree: its text is read as plain text, without code
/// spans, links or brackets.
fn parse_inline(source: &str, ranges: &[tree_sitter::Range]) -> Option<Tree> {
    let length = ranges.iter().map(|r| r.end_byte - r.start_byte).sum();
    if length > MAX_INLINE_BYTES {
        return None;
    }
    PARSERS.with(|parsers| {
        let mut parsers = parsers.try_borrow_mut().ok()?;
        let parser = &mut parsers.inline;
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
        let bytes = source.as_bytes();
        let mut read = |byte: usize, _: tree_sitter::Point| bytes.get(byte..).unwrap_or(&[]);
        let tree = parser.parse_with_options(&mut read, None, Some(options));
        if tree.is_none() {
            // A cancelled parse would otherwise resume on the next call.
            parser.reset();
        }
        tree
    })
}

/// The longest inline node (a paragraph, heading or table cell) that gets an inline tree.
/// tree-sitter-md's inline grammar is quadratic on some inputs, within single parse steps
/// that no budget can interrupt: 60 KB of `_a ` with one `_` deleted takes seconds, 150 KB
/// half a minute. At 16 KB the worst input known takes well under a second; ordinary
/// paragraphs are a few hundred bytes.
const MAX_INLINE_BYTES: usize = 16 * 1024;

/// How long the inline parse of `length` bytes may take: half a second plus 10 µs a byte.
/// Ordinary text parses in well under a microsecond a byte (a few in a debug build).
/// tree-sitter-md's inline grammar rescans ahead quadratically on some inputs (thousands of
/// nested `*` or `![`: 20 KB of `*` takes over a second, 100 KB half a minute), which would
/// hold the document for that long on every keystroke in the paragraph.
fn inline_budget(length: usize) -> Duration {
    let per_byte = u64::try_from(length).unwrap_or(u64::MAX).saturating_mul(10);
    Duration::from_millis(500) + Duration::from_micros(per_byte)
}

/// Whether a block node kind carries inline content.
pub fn is_inline_kind(kind: &str) -> bool {
    kind == "inline" || kind == "pipe_table_cell"
}

/// Whether `text` can hold inline syntax that an inline tree would show as a named node
/// other than a line break: code spans and delimiters (`` ` ``), emphasis and
/// strikethrough (`*`, `_`, `~`), links, images and brackets (`[`, `]`), autolinks and
/// HTML (`<`), entities (`&`), escapes (`\`) and LaTeX (`$`). Text without any of them
/// parses to a bare `inline` node.
pub fn may_hold_inline_syntax(text: &str) -> bool {
    text.bytes().any(is_inline_syntax_byte)
}

/// Whether `byte` can start inline syntax (see [`may_hold_inline_syntax`]).
fn is_inline_syntax_byte(byte: u8) -> bool {
    matches!(
        byte,
        b'`' | b'*' | b'_' | b'~' | b'[' | b']' | b'<' | b'&' | b'\\' | b'$'
    )
}

/// The four `*` of a text that is a bold label and plain text after it, `**Label**: text`
/// (a template field), and no other inline syntax: the label has none of the bytes that
/// start inline syntax nor a line break, begins and ends with an ASCII letter or digit
/// (so the opening `**` is left-flanking and the closing one right-flanking), and the
/// rest has none of those bytes either. An inline parse of such a text always gives one
/// `strong_emphasis` whose four `emphasis_delimiter`s are these bytes (the tests compare
/// it with tree-sitter's parse), so the analysis reads them without one: most inline
/// nodes of a write-up are fields. `None` too for a text longer than an inline parse is
/// made for.
pub fn bold_label_delimiters(text: &str) -> Option<[usize; 4]> {
    if text.len() > MAX_INLINE_BYTES {
        return None;
    }
    let bytes = text.as_bytes();
    let rest = bytes.strip_prefix(b"**")?;
    let close = rest.iter().position(|&b| b == b'*')?;
    let label = &rest[..close];
    let (first, last) = (*label.first()?, *label.last()?);
    if !first.is_ascii_alphanumeric()
        || !last.is_ascii_alphanumeric()
        || label
            .iter()
            .any(|&b| is_inline_syntax_byte(b) || b == b'\n' || b == b'\r')
    {
        return None;
    }
    let after = rest[close..].strip_prefix(b"**")?;
    if after.iter().any(|&b| is_inline_syntax_byte(b)) {
        return None;
    }
    let end = 2 + close;
    Some([0, 1, end, end + 1])
}

/// The ranges an inline parse of `node` reads: the node minus its named children. Never
/// empty: an inline node with no text gets one empty range at its start (an empty list
/// would mean "the whole text").
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

/// Whether a block node starting exactly at `at` sits at the top level of `tree`: its
/// ancestors are only the document and sections. Only what a line starting with `#` or a
/// letter can begin counts: a heading, a paragraph, or a table. Which of them it is may
/// depend on the lines after it (`Title` then `===`), but whether one starts there does
/// not, so the answer is the same however much of the text was parsed. Anything else,
/// including a zero-width node at `at`, answers no, which is always safe (the chunk just
/// grows).
pub(super) fn starts_top_level_block(tree: &Tree, at: usize) -> bool {
    let mut parent = tree.root_node();
    'levels: loop {
        let mut cursor = parent.walk();
        if !cursor.goto_first_child() {
            return false;
        }
        loop {
            let child = cursor.node();
            let (start, end) = (child.start_byte(), child.end_byte());
            if start > at {
                return false;
            }
            if start == at || at < end {
                if child.kind() == "section" {
                    parent = child;
                    continue 'levels;
                }
                return start == at
                    && matches!(
                        child.kind(),
                        "atx_heading" | "setext_heading" | "paragraph" | "pipe_table"
                    );
            }
            if !cursor.goto_next_sibling() {
                return false;
            }
        }
    }
}

/// The syntax of one chunk of a document.
#[derive(Clone)]
pub struct ChunkSyntax {
    /// Where the chunk starts in the document.
    start: usize,
    /// The chunk's length in bytes.
    len: usize,
    /// The text that was parsed: the chunk, then possibly the first byte of the next
    /// chunk or a little more.
    source: String,
    tree: Tree,
}

impl std::fmt::Debug for ChunkSyntax {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChunkSyntax")
            .field("start", &self.start)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl ChunkSyntax {
    /// Bundles a chunk's parse. `source` holds at least `len` bytes.
    pub(super) fn new(start: usize, len: usize, source: String, tree: Tree) -> ChunkSyntax {
        ChunkSyntax {
            start,
            len,
            source,
            tree,
        }
    }

    /// The chunk's byte range in the document.
    pub fn range(&self) -> Range<usize> {
        self.start..self.start + self.len
    }

    /// The chunk's length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the chunk is empty (only an empty document has an empty chunk).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The chunk's text.
    pub fn text(&self) -> &str {
        self.source.get(..self.len).unwrap_or(&self.source)
    }

    /// The parsed text: the chunk's text followed by what was read past it. Every node
    /// of the block tree lies inside it, so it can be sliced with any node's range.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The block tree, with byte offsets and points relative to the chunk's start. Nodes
    /// that start at or after [`ChunkSyntax::len`] belong to the next chunk (see
    /// [`ChunkSyntax::owns`]); the `document` and the `section`s at the end may reach
    /// into it.
    pub fn block_tree(&self) -> &Tree {
        &self.tree
    }

    /// Whether a node of the block tree belongs to this chunk (starts inside it). The
    /// root belongs to every chunk.
    pub fn owns(&self, node: &Node<'_>) -> bool {
        node.start_byte() < self.len || node.parent().is_none()
    }

    /// The inline tree of an `inline` or `pipe_table_cell` node of the block tree,
    /// parsed now. `None` for other nodes and for inline nodes whose text cannot hold
    /// inline syntax ([`may_hold_inline_syntax`]). Positions are relative to the chunk.
    pub fn inline_tree(&self, node: &Node<'_>) -> Option<Tree> {
        if !is_inline_kind(node.kind()) {
            return None;
        }
        let text = self.source.get(node.byte_range())?;
        if !may_hold_inline_syntax(text) {
            return None;
        }
        parse_inline(&self.source, &inline_ranges(*node))
    }

    /// Moves the chunk for an edit before it that replaced `start..old_end` by text
    /// ending at `new_end`.
    pub(super) fn shift(&mut self, start: usize, old_end: usize, new_end: usize) {
        if self.start >= old_end && self.start > start {
            self.start = self.start - old_end + new_end;
        }
    }
}
