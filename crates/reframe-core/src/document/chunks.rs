//! Splitting a document into chunks that parse independently.
//!
//! tree-sitter-md's block trees are flat, and tree-sitter's incremental reparse of a long
//! flat list of siblings costs nearly a full parse, so a keystroke in a 1 MB document
//! cost as much as parsing it. Instead the text is cut into chunks at places where the
//! block parser is in its initial state, and each chunk is parsed on its own: an edit
//! reparses the chunk it falls in, and the analysis reuses what it knew about the others.
//!
//! # Where a chunk may end
//!
//! A *candidate* is the start `c` of a line that begins with `#` or an ASCII letter and
//! follows a blank line (spaces, tabs and `\r` only, ended by `\n`). A candidate is a
//! *boundary* of a chunk starting at `b` when a parse of the text from `b` to one byte
//! past `c` has a heading or a paragraph starting at `c` whose ancestors are only the
//! document and sections. Such a block can only start when every container and leaf
//! block before it is closed (a fenced code block or an HTML block still open would have
//! swallowed the line), so the parser's state at `c` equals its initial state and the
//! text from `c` on parses the same alone as after `b`. The only construct whose parse
//! before `c` depends on text far after it is front matter, whose closing line the
//! scanner looks ahead for: no candidate is taken before the first line that could close
//! front matter (any line starting with `---` or `+++`) when the document opens with one.
//!
//! Chunks are found greedily: from a chunk's start, the next boundary is the first
//! candidate at least [`MIN_CHUNK`] bytes on that is a boundary. This makes the chunks a
//! function of the text alone, so a document edited any number of times has exactly the
//! chunks of a fresh document with the same text, and the tests compare the two.
//!
//! The only differences from a parse of the whole text are the `section` nodes (a section
//! ends at a chunk's end) and the `document` root: every other node has the same kind,
//! range and children. `tests/document_props.rs` checks this on random documents.
//!
//! # Keeping chunks up to date
//!
//! A chunk's extent depends on its own text and the first byte of the next chunk. After
//! an edit, the chunks from the first one whose text (or following byte) the edit touched
//! are found again from that chunk's start; as soon as a boundary found again is an old
//! boundary at or after the end of the edit, everything after it is unchanged and kept.
//! A document is resolved lazily: chunks past the last one asked for are found when they
//! are first needed, so opening a document parses each chunk once, while it is analysed.
//! An edit is resolved lazily too: it only drops the chunks it touched and remembers the
//! old ones after it (the *hints*); the next walk finds the touched ones again (on the
//! thread that analyses, not the one applying the change). A further edit after the
//! dropped chunks moves the hints; one before them first finds the dropped chunks again
//! ([`ChunkState::settle`]), so hints are always one run of old chunks.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use ropey::Rope;
use tree_sitter::{InputEdit, Point, Tree};

use super::syntax::{ChunkSyntax, parse_block, starts_top_level_block};

/// The least length of a chunk, in bytes (the last chunk may be shorter). Larger chunks
/// mean fewer of them to walk per keystroke; smaller ones less to reparse.
pub const MIN_CHUNK: usize = 256;

/// Identifiers of chunk texts, unique in the process: a chunk keeps its identifier while
/// its text is unchanged, wherever it moves.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// A chunk whose extent is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct KnownChunk {
    pub start: usize,
    pub id: u64,
}

/// The chunks of a document as far as they are known.
#[derive(Clone, Debug, Default)]
pub(super) struct ChunkState {
    /// Resolved chunks in order; each ends where the next starts, the last at `frontier`.
    pub known: Vec<KnownChunk>,
    /// The end of the resolved chunks: a boundary (or the end of the text).
    pub frontier: usize,
    /// After an edit: the old chunks after it (moved to the new text), to adopt once a
    /// resolved boundary meets one of them at or after `resync_from`.
    hints: Vec<KnownChunk>,
    /// Where the old resolved chunks ended (moved), when there are hints.
    hints_frontier: usize,
    /// The end of the last edit in the new text.
    resync_from: usize,
    /// No boundary comes before this byte ([`front_matter_guard`]).
    pub guard: usize,
    /// Syntax made while resolving, kept for the next visitor of that chunk.
    pub fresh: Vec<(u64, ChunkSyntax)>,
    /// The last chunk parsed, for an incremental reparse when the next edit falls in it.
    hot: Option<Hot>,
    /// That chunk's tree edited for the last edit (and the length of the text it now
    /// stands for), for the next parse from the frontier.
    reuse: Option<(Tree, usize)>,
}

/// The parse of the last chunk found: where it starts, what was parsed, the tree.
#[derive(Clone, Debug)]
struct Hot {
    start: usize,
    source: String,
    tree: Tree,
}

/// The syntax of the fresh chunks kept for their first reader; more are dropped.
const MAX_FRESH: usize = 16;

impl ChunkState {
    /// Where chunk `index` ends.
    pub fn end_of(&self, index: usize) -> usize {
        self.known
            .get(index + 1)
            .map_or(self.frontier, |next| next.start)
    }

    /// The syntax kept for chunk `id`, if any (taken: it is handed out once).
    pub fn take_fresh(&mut self, id: u64) -> Option<ChunkSyntax> {
        let at = self.fresh.iter().position(|(fresh, _)| *fresh == id)?;
        Some(self.fresh.swap_remove(at).1)
    }

    fn keep_fresh(&mut self, id: u64, syntax: ChunkSyntax) {
        if self.fresh.len() >= MAX_FRESH {
            self.fresh.remove(0);
        }
        self.fresh.push((id, syntax));
    }

    /// No chunk known yet, for `rope`.
    pub fn new(rope: &Rope) -> ChunkState {
        ChunkState {
            guard: front_matter_guard(rope),
            ..ChunkState::default()
        }
    }

    /// Updates the chunks for an edit that replaced `start..old_end` of the old text by
    /// text ending at `new_end`: drops the chunks the edit touched, for the next walk to
    /// find again. Call [`ChunkState::settle`] first, on the old text, when
    /// [`ChunkState::needs_settling`] says so.
    pub fn edit(&mut self, rope: &Rope, start: usize, old_end: usize, new_end: usize) {
        let moved = |byte: usize| byte - old_end + new_end;
        // The last chunk parsed is of use only to this edit: taken now, whatever happens.
        let hot = self.hot.take();
        self.reuse = None;
        // Front matter that now ends elsewhere moves the first possible boundary: find
        // every chunk again, lazily.
        let guard = front_matter_guard(rope);
        let old_guard = if self.guard == 0 || self.guard <= start {
            self.guard
        } else if self.guard >= old_end {
            moved(self.guard)
        } else {
            usize::MAX
        };
        if guard != old_guard {
            *self = ChunkState {
                guard,
                ..ChunkState::default()
            };
            return;
        }
        self.guard = guard;
        // The first chunk whose text or following byte the edit touches: the one before
        // the first chunk that starts at or after the edit (its end is that start).
        let after = self.known.partition_point(|c| c.start < start);
        let first = if self.known.is_empty() || start > self.frontier {
            None
        } else {
            Some(after.saturating_sub(1))
        };
        let Some(first) = first else {
            // The edit is past the resolved chunks: they stay, and the rest is found
            // lazily. (`frontier < start` here, so it does not move.) Hints after the
            // edit move with it; those before its end are dropped.
            self.fresh.clear();
            self.move_hints(start, old_end, new_end);
            return;
        };
        // `settle` ran before an edit at or before the frontier.
        debug_assert!(self.hints.is_empty());
        let later: Vec<KnownChunk> = self.known[first + 1..]
            .iter()
            .filter(|c| c.start >= old_end)
            .map(|c| KnownChunk {
                start: moved(c.start),
                id: c.id,
            })
            .collect();
        let old_frontier = self.frontier;
        self.frontier = self.known[first].start;
        self.known.truncate(first);
        self.fresh
            .retain(|(id, _)| later.iter().any(|c| c.id == *id));
        for (_, syntax) in &mut self.fresh {
            syntax.shift(start, old_end, new_end);
        }
        if old_frontier >= old_end && old_frontier > start {
            self.hints = later;
            self.hints_frontier = moved(old_frontier);
        } else {
            self.hints.clear();
        }
        self.resync_from = new_end;
        // The old tree of the chunk the edit falls in, edited to match, when it is the
        // last chunk parsed (typing goes on in one place). The touched chunks are found
        // again by the next walk.
        self.reuse = hot
            .filter(|hot| hot.start == self.frontier && old_end <= hot.start + hot.source.len())
            .map(|hot| edited_tree(hot, rope, start, old_end, new_end));
    }

    /// Whether an edit left old chunks waiting to be adopted, and an edit of
    /// `start..` would need them found first (it falls at or before the frontier).
    pub fn needs_settling(&self, start: usize) -> bool {
        !self.hints.is_empty() && start <= self.frontier
    }

    /// Finds the chunks an earlier edit dropped until its hints are adopted (or the text
    /// ends), keeping their syntax for the next walk.
    pub fn settle(&mut self, rope: &Rope, min_chunk: Option<usize>) {
        while !self.hints.is_empty() {
            if self.frontier >= rope.len_bytes() {
                self.hints.clear();
                break;
            }
            let (id, syntax) = self.resolve_next(rope, min_chunk);
            self.keep_fresh(id, syntax);
        }
    }

    /// Moves the hints for an edit past the frontier (see [`ChunkState::edit`]).
    fn move_hints(&mut self, start: usize, old_end: usize, new_end: usize) {
        if self.hints.is_empty() || start > self.hints_frontier {
            // Before the edit (the last one's following byte too): unchanged.
            return;
        }
        if self.hints_frontier < old_end {
            self.hints.clear();
            return;
        }
        let moved = |byte: usize| byte - old_end + new_end;
        self.hints.retain(|c| c.start >= old_end);
        for hint in &mut self.hints {
            hint.start = moved(hint.start);
        }
        self.hints_frontier = moved(self.hints_frontier);
        let earlier = if self.resync_from >= old_end {
            moved(self.resync_from)
        } else {
            0
        };
        self.resync_from = new_end.max(earlier);
    }

    /// Finds the chunk that starts at the frontier and adds it, adopting the old chunks
    /// after it when the boundary found is one of theirs. Returns the new chunk's
    /// identifier and syntax. The frontier must be before the end of the text.
    pub fn resolve_next(&mut self, rope: &Rope, min_chunk: Option<usize>) -> (u64, ChunkSyntax) {
        let reuse = self.reuse.take();
        self.resolve_next_with(rope, min_chunk, reuse)
    }

    /// [`ChunkState::resolve_next`], reparsing `reuse` (an old tree edited to match, and
    /// the length of the text it now stands for) when the chunk's first parse reads
    /// exactly that text.
    fn resolve_next_with(
        &mut self,
        rope: &Rope,
        min_chunk: Option<usize>,
        reuse: Option<(Tree, usize)>,
    ) -> (u64, ChunkSyntax) {
        let start = self.frontier;
        let syntax = find_chunk(rope, start, self.guard, min_chunk, reuse);
        self.hot = Some(Hot {
            start,
            source: syntax.source().to_string(),
            tree: syntax.block_tree().clone(),
        });
        let id = next_id();
        let end = start + syntax.len();
        self.known.push(KnownChunk { start, id });
        self.frontier = end;
        self.hints.retain(|c| c.start >= end);
        if let Some(first) = self.hints.first()
            && first.start == end
            && end >= self.resync_from
        {
            self.known.append(&mut self.hints);
            self.frontier = self.hints_frontier;
        }
        (id, syntax)
    }
}

/// Whether a line starting with `byte` may start a chunk.
fn may_start_chunk(byte: u8) -> bool {
    byte == b'#' || byte.is_ascii_alphabetic()
}

/// Reads the text of `range` of `rope` into a string.
///
/// Text read up to the end of a document that does not end with a line feed gets one:
/// tree-sitter-md recovers from a heading cut off by the end of the input (`# a` with no
/// line ending) differently depending on the blocks before it, so without it the last
/// chunk could parse differently alone than after the others. With it, the text always
/// parses as if it ended with a line break (node ranges may end one byte past the text).
fn read(rope: &Rope, range: Range<usize>) -> String {
    let at_end = range.end == rope.len_bytes();
    let mut out = String::with_capacity(range.len() + 1);
    for piece in rope.byte_slice(range).chunks() {
        out.push_str(piece);
    }
    if at_end && !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// Where front matter may end, when the document opens with a `---` or `+++` line (after
/// a byte order mark and indentation): the end of the first later line that closes it as
/// tree-sitter-md's scanner does (exactly three of the opening character, then only
/// spaces or tabs, then a line ending or the end of the text, where the parse reads a line
/// ending). No chunk boundary comes before it. Zero when
/// there is no opener or no closing line (then there is no front matter to split).
pub(super) fn front_matter_guard(rope: &Rope) -> usize {
    let mut lines = rope.lines();
    let Some(first) = lines.next() else {
        return 0;
    };
    let first: String = first.chars().take(16).collect();
    let opener = first.trim_start_matches('\u{feff}').trim_start();
    let mark = if opener.starts_with("---") {
        b'-'
    } else if opener.starts_with("+++") {
        b'+'
    } else {
        return 0;
    };
    let mut end = rope.line_to_byte(1);
    for line in lines {
        end += line.len_bytes();
        let mut bytes = line.bytes();
        if !bytes.by_ref().take(3).eq([mark; 3]) {
            continue;
        }
        // The end of the text counts as a line ending: the parse reads one there.
        let rest = bytes.find(|&b| b != b' ' && b != b'\t');
        if matches!(rest, Some(b'\n' | b'\r') | None) {
            return end;
        }
    }
    0
}

/// The candidates of `rope` at or after `from`, in order (see the module documentation).
fn candidates(rope: &Rope, from: usize) -> impl Iterator<Item = usize> + '_ {
    let len = rope.len_bytes();
    // The line starts at or after `from`: each byte after a `\n`. One pass over the bytes
    // from `from - 1` (seeking the rope once per line cost 0.2 µs a line: a second for a
    // document of 4 million empty lines, on every keystroke).
    let first = from.max(1) - 1;
    let mut bytes = (first < len).then(|| rope.bytes_at(first));
    let mut at = first;
    // Whether the bytes of the current line before `at` are blank.
    let mut blank = at == 0 || follows_blank_line(rope, at);
    // A line start after a blank line, waiting for its first byte.
    let mut pending: Option<usize> = None;
    std::iter::from_fn(move || {
        let bytes = bytes.as_mut()?;
        for b in bytes.by_ref() {
            let here = at;
            at += 1;
            if pending.take() == Some(here) && may_start_chunk(b) {
                blank = false;
                return Some(here);
            }
            match b {
                b'\n' => {
                    if blank {
                        pending = Some(here + 1);
                    }
                    blank = true;
                }
                b' ' | b'\t' | b'\r' => {}
                _ => blank = false,
            }
        }
        None
    })
}

/// Whether the line that the `\n` at `newline` ends is blank (spaces, tabs and `\r`).
fn follows_blank_line(rope: &Rope, newline: usize) -> bool {
    let mut at = newline;
    while at > 0 {
        match rope.get_byte(at - 1) {
            Some(b'\n') => return true,
            Some(b' ' | b'\t' | b'\r') => at -= 1,
            _ => return false,
        }
    }
    true
}

/// The longest last chunk (the rest of a document after its last boundary) that is
/// parsed. tree-sitter-md spends
/// up to about a microsecond and over 100 bytes on each byte of some texts (10 MB of `[`
/// took 8 s and 1.2 GB, and again on every keystroke); a rest longer than this with no
/// place to cut it (one paragraph, list, quote or code block) is parsed only as far as
/// its first [`UNBROKEN_HEAD`] bytes, so what starts it (a heading, a field) is still
/// read and the rest is not.
pub const MAX_UNBROKEN: usize = 1 << 20;

/// How much of an over-long last chunk is parsed.
pub const UNBROKEN_HEAD: usize = 64 << 10;

/// Parses `start..end` of `rope`, `len` bytes of which are the chunk.
fn parse_chunk(rope: &Rope, start: usize, len: usize, end: usize) -> ChunkSyntax {
    let source = read(rope, start..end);
    let rest = end == rope.len_bytes();
    let parsed = if rest && len > MAX_UNBROKEN {
        let mut head = UNBROKEN_HEAD.min(source.len());
        while !source.is_char_boundary(head) {
            head -= 1;
        }
        &source[..head]
    } else {
        &source
    };
    let tree = parse_block(parsed, None);
    #[expect(
        clippy::expect_used,
        reason = "tree-sitter returns no tree only without a language, a timeout or a \
                  cancellation flag; the bundled grammar always loads and neither of the \
                  others is ever set"
    )]
    let tree = tree.expect("the markdown block grammar failed to load");
    ChunkSyntax::new(start, len, source, tree)
}

/// The tree of `hot` edited for a change of the text that replaced `start..old_end` (old
/// offsets in the document) by text ending at `new_end`, with the length of the text it
/// now stands for.
fn edited_tree(
    hot: Hot,
    rope: &Rope,
    start: usize,
    old_end: usize,
    new_end: usize,
) -> (Tree, usize) {
    let (from, to, new_to) = (start - hot.start, old_end - hot.start, new_end - hot.start);
    let start_position = point_at(&hot.source, from);
    let inserted = read(rope, start..new_end);
    let mut tree = hot.tree;
    tree.edit(&InputEdit {
        start_byte: from,
        old_end_byte: to,
        new_end_byte: new_to,
        start_position,
        old_end_position: point_at(&hot.source, to),
        new_end_position: advance_point(start_position, &inserted),
    });
    (tree, hot.source.len() - (to - from) + (new_to - from))
}

/// The tree-sitter point of a byte offset of `text`: the row counts `\n`s before it, the
/// column counts bytes since the last one.
fn point_at(text: &str, byte: usize) -> Point {
    let before = text.get(..byte).unwrap_or(text);
    advance_point(Point::new(0, 0), before)
}

/// The point reached from `start` by reading `text`.
fn advance_point(start: Point, text: &str) -> Point {
    match text.rfind('\n') {
        Some(last) => Point::new(
            start.row + text.bytes().filter(|&b| b == b'\n').count(),
            text.len() - last - 1,
        ),
        None => Point::new(start.row, start.column + text.len()),
    }
}

/// Parses a chunk whose extent is known, with the first byte after it.
pub(super) fn parse_known_chunk(rope: &Rope, range: Range<usize>) -> ChunkSyntax {
    let end = (range.end + 1).min(rope.len_bytes());
    parse_chunk(rope, range.start, range.len(), end)
}

/// Finds the chunk that starts at `start` (a boundary before the end of the text), at
/// least `min_chunk` bytes long (all the rest when `None`), and parses it.
///
/// `reuse` is an old tree edited to stand for a text of the given length from `start`:
/// the first parse reads that text when its length matches, and then reparses the old
/// tree incrementally.
fn find_chunk(
    rope: &Rope,
    start: usize,
    guard: usize,
    min_chunk: Option<usize>,
    mut reuse: Option<(Tree, usize)>,
) -> ChunkSyntax {
    let len = rope.len_bytes();
    let Some(min_chunk) = min_chunk else {
        return parse_chunk(rope, start, len - start, len);
    };
    let from = (start + min_chunk).max(guard).max(start + 1);
    let mut pending = candidates(rope, from).peekable();
    // Parse up to the first candidate; when it is not a boundary (inside a fence, say),
    // parse a window twice as long and test every candidate in it, and so on.
    let mut window = 0;
    while let Some(&first) = pending.peek() {
        window = (window * 2).max(first + 1 - start);
        let mut tested = Vec::new();
        while let Some(&c) = pending.peek() {
            if c + 1 - start > window && !tested.is_empty() {
                break;
            }
            tested.push(c);
            pending.next();
        }
        let end = tested.last().map_or(len, |&c| c + 1);
        let source = read(rope, start..end);
        let old = reuse
            .take()
            .filter(|(_, length)| *length == source.len())
            .map(|(tree, _)| tree);
        let Some(tree) = parse_block(&source, old.as_ref()) else {
            break;
        };
        if let Some(&boundary) = tested
            .iter()
            .find(|&&c| starts_top_level_block(&tree, c - start))
        {
            return ChunkSyntax::new(start, boundary - start, source, tree);
        }
    }
    parse_chunk(rope, start, len - start, len)
}
