//! The document model: a buffer's text (a [`ropey::Rope`]), its markdown
//! syntax trees, and conversions between byte offsets and LSP positions.
//!
//! This module is plain data: no LSP types, no async, no I/O. The server
//! converts its own types to [`Position`], [`Span`] and [`PositionEncoding`].
//!
//! # Lines and positions
//!
//! Lines are broken by `\n`, `\r\n` and `\r`, as LSP says; a `\r\n` pair is a
//! single line ending. A [`Position`] counts `character` in code units of the
//! negotiated [`PositionEncoding`] (UTF-8 bytes, UTF-16 code units, or
//! Unicode scalar values for UTF-32). The text is stored exactly as sent,
//! including a leading byte order mark (U+FEFF) and any mix of line endings,
//! so [`Document::byte_to_position`] followed by [`Document::position_to_byte`]
//! gives back the same byte offset for every character boundary in every
//! encoding. The one exception is the offset between the `\r` and the `\n` of
//! a `\r\n` pair, which no position can name: it maps to the end of its line.
//!
//! # What is done with bad positions
//!
//! A client can send positions that do not name a character boundary. None of
//! them panics or corrupts the buffer; each is repaired and reported as an
//! [`EditIssue`] (for logging):
//!
//! - a line past the last line is clamped to the end of the document
//!   ([`EditIssue::LineOutOfRange`]);
//! - a character past the end of its line is clamped to the end of the line,
//!   before its line ending, as LSP prescribes
//!   ([`EditIssue::CharacterPastLineEnd`]);
//! - a UTF-16 position between the halves of a surrogate pair, or a UTF-8
//!   position inside a multi-byte character, is moved back to the start of
//!   that character ([`EditIssue::InsideSurrogatePair`],
//!   [`EditIssue::InsideUtf8Character`]); a position can never fall between
//!   `\r` and `\n`, because the line ending is past the end of the line;
//! - a range whose end comes before its start has its ends swapped
//!   ([`EditIssue::ReversedRange`]).
//!
//! [`Document::position_to_byte`] reports the first three as an `Err`;
//! [`Document::position_to_byte_clamped`] and [`Document::apply_change`]
//! repair and report. Byte-offset inputs ([`Document::slice`],
//! [`Document::byte_to_position`], ...) are clamped silently to the text and
//! moved back to the start of the character they fall in.
//!
//! # Syntax
//!
//! The block tree is parsed with `tree_sitter_md::LANGUAGE`, and each `inline`
//! or `pipe_table_cell` node gets an inline tree parsed with
//! `tree_sitter_md::INLINE_LANGUAGE` over the node's text minus its
//! `block_continuation` children. The parsers read the rope chunk by chunk;
//! the text is never copied for a parse.
//!
//! A leading byte order mark needs no special handling: tree-sitter's lexer
//! skips U+FEFF at byte 0 and does not count it as a column, so front matter
//! or a heading on line 0 after a BOM parses as it would without one (the
//! tests check this, including a BOM typed or deleted at the start).
//!
//! An incremental change is one [`tree_sitter::InputEdit`] computed against
//! the text as it is just before that change (rows count `\n` only and columns
//! count bytes, as tree-sitter does; the lone `\r`s that LSP and ropey count
//! as line breaks are tracked to convert), then: edit the rope, edit the
//! block tree, reparse it with the old tree, and parse afresh only the inline
//! nodes that touch the edit or a range whose block structure changed
//! (`Tree::changed_ranges`). The other inline trees are kept; those after the
//! edit are moved to their new place lazily, on first access. Inline trees
//! are never parsed incrementally: tree-sitter-md's inline grammar can then
//! tokenise differently from a fresh parse. A full replacement
//! (`range: None`) reparses from scratch, so it always resynchronises.
//!
//! Cost of a keystroke: the rope edit, the point conversions and the inline
//! work are proportional to the edit (plus a few integer updates per inline
//! tree after it). The block reparse (and `Tree::changed_ranges`) is
//! tree-sitter's: tree-sitter-md's block trees are flat (the blocks of a
//! section, and the top-level sections, are long lists of siblings) and
//! tree-sitter rebuilds the sibling lists along the path to a change, so on
//! large documents that part grows with the number of blocks and sections.

mod position;
mod syntax;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use ropey::Rope;
use tree_sitter::{InputEdit, Node, Point, Tree};

pub use position::{EditIssue, Position, PositionEncoding, Span, UnknownEncoding};

use syntax::{Syntax, advance_point};

/// A markdown buffer: its text, its syntax trees and position conversions.
#[derive(Clone)]
pub struct Document {
    rope: Rope,
    /// Byte offsets of every `\r` not followed by `\n`, sorted. Ropey counts
    /// these as line breaks but tree-sitter rows do not, so the rows of an
    /// `InputEdit` subtract them.
    lone_crs: Vec<usize>,
    syntax: Syntax,
    last_changed: Option<Range<usize>>,
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("len_bytes", &self.rope.len_bytes())
            .field("line_count", &self.rope.len_lines())
            .field("last_changed", &self.last_changed)
            .finish_non_exhaustive()
    }
}

impl Default for Document {
    fn default() -> Document {
        Document::new("")
    }
}

/// Returns the sorted offsets of the `\r`s in `rope` that are not followed
/// by `\n`.
fn find_lone_crs(rope: &Rope) -> Vec<usize> {
    let mut found = Vec::new();
    let mut chunk_start = 0;
    for chunk in rope.chunks() {
        for (offset, _) in chunk.match_indices('\r') {
            let byte = chunk_start + offset;
            if rope.get_byte(byte + 1) != Some(b'\n') {
                found.push(byte);
            }
        }
        chunk_start += chunk.len();
    }
    found
}

/// Converts a count to a `u32` position field, saturating.
fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

impl Document {
    /// Makes a document holding `text` and parses it fully.
    pub fn new(text: &str) -> Document {
        let rope = Rope::from_str(text);
        let lone_crs = find_lone_crs(&rope);
        let syntax = Syntax::new(&rope);
        Document {
            rope,
            lone_crs,
            syntax,
            last_changed: None,
        }
    }

    /// The whole text.
    pub fn text(&self) -> String {
        self.rope.to_string()
    }

    /// The text as a rope.
    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    /// The length of the text in bytes.
    pub fn len_bytes(&self) -> usize {
        self.rope.len_bytes()
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.rope.len_bytes() == 0
    }

    /// The text in a byte range. The ends are clamped to the text and moved
    /// back to the start of the character they fall in; a reversed range
    /// gives an empty string. Borrows when the range lies in one rope chunk.
    pub fn slice(&self, bytes: Range<usize>) -> Cow<'_, str> {
        let start = self.floor_char_boundary(bytes.start);
        let end = self.floor_char_boundary(bytes.end);
        if start >= end {
            return Cow::Borrowed("");
        }
        let slice = self.rope.byte_slice(start..end);
        match slice.as_str() {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(slice.to_string()),
        }
    }

    /// Applies one LSP content change: `range: None` replaces the whole text;
    /// otherwise the text in `range` (counted in `enc`) is replaced by
    /// `new_text`. Bad ranges are repaired as the module documentation says.
    /// Returns the issues met, empty when the change was well-formed.
    pub fn apply_change(
        &mut self,
        range: Option<Span>,
        new_text: &str,
        enc: PositionEncoding,
    ) -> Vec<EditIssue> {
        let Some(span) = range else {
            self.replace_all(new_text);
            return Vec::new();
        };
        let mut issues = Vec::new();
        let (mut start, mut end) = (span.start, span.end);
        if end < start {
            issues.push(EditIssue::ReversedRange { start, end });
            std::mem::swap(&mut start, &mut end);
        }
        let (start_byte, start_issue) = self.position_to_byte_clamped(start, enc);
        issues.extend(start_issue);
        let end_byte = if end == start {
            start_byte
        } else {
            let (end_byte, end_issue) = self.position_to_byte_clamped(end, enc);
            issues.extend(end_issue);
            end_byte
        };
        // Clamping is monotonic, so the byte range is ordered; `max` only
        // guards that claim.
        self.replace_bytes(start_byte, end_byte.max(start_byte), new_text);
        issues
    }

    /// Replaces the whole text and reparses from scratch.
    fn replace_all(&mut self, new_text: &str) {
        let old_len = self.rope.len_bytes();
        let old_end = self.ts_point(old_len);
        self.rope = Rope::from_str(new_text);
        self.lone_crs = find_lone_crs(&self.rope);
        let edit = InputEdit {
            start_byte: 0,
            old_end_byte: old_len,
            new_end_byte: new_text.len(),
            start_position: Point::new(0, 0),
            old_end_position: old_end,
            new_end_position: advance_point(Point::new(0, 0), new_text),
        };
        self.syntax.reparse_from_scratch(&self.rope, &edit);
        self.last_changed = Some(0..new_text.len());
    }

    /// Replaces the bytes `start..end`, which are character boundaries with
    /// `start <= end <= len_bytes()`, and updates the trees incrementally.
    fn replace_bytes(&mut self, start: usize, end: usize, new_text: &str) {
        if start == end && new_text.is_empty() {
            self.last_changed = Some(start..start);
            return;
        }
        let start_position = self.ts_point(start);
        let old_end_position = self.ts_point(end);
        let new_end = start + new_text.len();
        let edit = InputEdit {
            start_byte: start,
            old_end_byte: end,
            new_end_byte: new_end,
            start_position,
            old_end_position,
            new_end_position: advance_point(start_position, new_text),
        };

        // Lone `\r`s: those in the replaced range go, the one just before it
        // may change, those after it shift.
        let keep = self
            .lone_crs
            .partition_point(|&cr| cr < start.saturating_sub(1));
        let after = self.lone_crs.partition_point(|&cr| cr < end);
        let shifted: Vec<usize> = self.lone_crs[after..]
            .iter()
            .map(|&cr| cr - end + new_end)
            .collect();
        self.lone_crs.truncate(keep);

        let start_char = self.rope.byte_to_char(start);
        let end_char = self.rope.byte_to_char(end);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, new_text);

        if start > 0
            && self.rope.get_byte(start - 1) == Some(b'\r')
            && self.rope.get_byte(start) != Some(b'\n')
        {
            self.lone_crs.push(start - 1);
        }
        for (offset, _) in new_text.match_indices('\r') {
            let byte = start + offset;
            if self.rope.get_byte(byte + 1) != Some(b'\n') {
                self.lone_crs.push(byte);
            }
        }
        self.lone_crs.extend(shifted);

        let changed = self.syntax.apply_edit(&self.rope, &edit);
        self.last_changed = Some(changed);
    }

    /// The tree-sitter point of a byte offset (a character boundary) of the
    /// current text: the row counts `\n`s before it, the column counts bytes
    /// since the last `\n`.
    fn ts_point(&self, byte: usize) -> Point {
        let line = self.rope.byte_to_line(byte);
        let row = line.saturating_sub(self.lone_crs_before(byte));
        Point::new(row, byte - self.ts_line_start(line))
    }

    /// The number of lone `\r`s before a byte offset.
    fn lone_crs_before(&self, byte: usize) -> usize {
        self.lone_crs.partition_point(|&cr| cr < byte)
    }

    /// Where the tree-sitter row holding (LSP) line `line` starts: the start
    /// of the first line of the run of lines joined to `line` by lone `\r`s.
    fn ts_line_start(&self, line: usize) -> usize {
        let start = self.rope.line_to_byte(line);
        if start == 0 || self.rope.get_byte(start - 1) != Some(b'\r') {
            return start;
        }
        // The `j` line breaks before lines `line - j + 1 ..= line` are all
        // lone `\r`s exactly when `j` lone `\r`s lie between the starts of
        // lines `line - j` and `line`. That holds for j = 1 and, once false,
        // stays false, so binary search for the largest such `j`.
        let lone_at_line = self.lone_crs_before(start);
        let all_lone = |j: usize| {
            let earlier = self.rope.line_to_byte(line - j);
            lone_at_line - self.lone_crs_before(earlier) == j
        };
        let (mut good, mut bad) = (1, line + 1);
        while bad - good > 1 {
            let mid = good + (bad - good) / 2;
            if all_lone(mid) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        self.rope.line_to_byte(line - good)
    }

    /// Moves a byte offset into the text and back to the start of the
    /// character it falls in.
    fn floor_char_boundary(&self, byte: usize) -> usize {
        let byte = byte.min(self.rope.len_bytes());
        self.rope.char_to_byte(self.rope.byte_to_char(byte))
    }

    /// The byte offset of the end of a line's content, before its line
    /// ending. `line` must be less than `line_count()`.
    fn line_content_end(&self, line: usize) -> usize {
        let start = self.rope.line_to_byte(line);
        let mut end = self.rope.line_to_byte(line + 1);
        if end > start && self.rope.get_byte(end - 1) == Some(b'\n') {
            end -= 1;
        }
        if end > start && self.rope.get_byte(end - 1) == Some(b'\r') {
            end -= 1;
        }
        end
    }

    /// The offset of `byte` in code units of `enc`, counted from the start
    /// of the text. `byte` must be a character boundary.
    fn units_before(&self, byte: usize, enc: PositionEncoding) -> usize {
        match enc {
            PositionEncoding::Utf8 => byte,
            PositionEncoding::Utf16 => self.rope.char_to_utf16_cu(self.rope.byte_to_char(byte)),
            PositionEncoding::Utf32 => self.rope.byte_to_char(byte),
        }
    }

    /// The position of a byte offset. The offset is clamped to the text,
    /// moved back to the start of the character it falls in, and an offset
    /// between `\r` and `\n` maps to the end of its line.
    pub fn byte_to_position(&self, byte: usize, enc: PositionEncoding) -> Position {
        let mut byte = self.floor_char_boundary(byte);
        if byte > 0
            && self.rope.get_byte(byte - 1) == Some(b'\r')
            && self.rope.get_byte(byte) == Some(b'\n')
        {
            byte -= 1;
        }
        let line = self.rope.byte_to_line(byte);
        let line_start = self.rope.line_to_byte(line);
        let character = self.units_before(byte, enc) - self.units_before(line_start, enc);
        Position::new(to_u32(line), to_u32(character))
    }

    /// The byte offset of a position, or the issue that stops it naming a
    /// character boundary (see [`Document::position_to_byte_clamped`] for
    /// the repaired offset).
    pub fn position_to_byte(
        &self,
        pos: Position,
        enc: PositionEncoding,
    ) -> Result<usize, EditIssue> {
        match self.position_to_byte_clamped(pos, enc) {
            (byte, None) => Ok(byte),
            (_, Some(issue)) => Err(issue),
        }
    }

    /// The byte offset of a position, repaired if needed: a line past the end
    /// maps to the end of the text, a character past the end of its line to
    /// the end of the line (before its line ending), and a position inside a
    /// character to the start of that character. The issue says which repair
    /// was made.
    pub fn position_to_byte_clamped(
        &self,
        pos: Position,
        enc: PositionEncoding,
    ) -> (usize, Option<EditIssue>) {
        let line = pos.line as usize;
        let line_count = self.rope.len_lines();
        if line >= line_count {
            let issue = EditIssue::LineOutOfRange {
                position: pos,
                line_count,
            };
            return (self.rope.len_bytes(), Some(issue));
        }
        let line_start = self.rope.line_to_byte(line);
        let line_end = self.line_content_end(line);
        let start_units = self.units_before(line_start, enc);
        let line_length = self.units_before(line_end, enc) - start_units;
        let character = pos.character as usize;
        if character > line_length {
            let issue = EditIssue::CharacterPastLineEnd {
                position: pos,
                line_length: to_u32(line_length),
                encoding: enc,
            };
            return (line_end, Some(issue));
        }
        match enc {
            PositionEncoding::Utf8 => {
                let byte = line_start + character;
                let floor = self.floor_char_boundary(byte);
                if floor == byte {
                    (byte, None)
                } else {
                    let issue = EditIssue::InsideUtf8Character { position: pos };
                    (floor, Some(issue))
                }
            }
            PositionEncoding::Utf16 => {
                let target = start_units + character;
                let char_index = self.rope.utf16_cu_to_char(target);
                let byte = self.rope.char_to_byte(char_index);
                if self.rope.char_to_utf16_cu(char_index) == target {
                    (byte, None)
                } else {
                    let issue = EditIssue::InsideSurrogatePair { position: pos };
                    (byte, Some(issue))
                }
            }
            PositionEncoding::Utf32 => (self.rope.char_to_byte(start_units + character), None),
        }
    }

    /// The span of a byte range; each end is converted as
    /// [`Document::byte_to_position`] does, and a reversed range is ordered.
    pub fn byte_range_to_span(&self, bytes: Range<usize>, enc: PositionEncoding) -> Span {
        let start = self.byte_to_position(bytes.start.min(bytes.end), enc);
        let end = self.byte_to_position(bytes.start.max(bytes.end), enc);
        Span::new(start, end)
    }

    /// The number of lines: one more than the number of line endings.
    pub fn line_count(&self) -> usize {
        self.rope.len_lines()
    }

    /// The zero-based line holding a byte offset (clamped to the text). An
    /// offset in a line ending belongs to the line it ends.
    pub fn line_of_byte(&self, byte: usize) -> usize {
        self.rope.byte_to_line(byte.min(self.rope.len_bytes()))
    }

    /// The byte offset where a line starts; past the last line, the end of
    /// the text.
    pub fn line_start_byte(&self, line: usize) -> usize {
        let line = line.min(self.rope.len_lines());
        self.rope.line_to_byte(line)
    }

    /// The text of a line without its line ending; empty past the last line.
    pub fn line_text(&self, line: usize) -> String {
        if line >= self.rope.len_lines() {
            return String::new();
        }
        let start = self.rope.line_to_byte(line);
        let end = self.line_content_end(line);
        self.rope.byte_slice(start..end).to_string()
    }

    /// The block tree (`tree_sitter_md::LANGUAGE`).
    pub fn block_tree(&self) -> &Tree {
        self.syntax.block_tree()
    }

    /// The inline tree (`tree_sitter_md::INLINE_LANGUAGE`) of an `inline` or
    /// `pipe_table_cell` node of the current block tree, if it has one.
    /// Its node positions are positions in the whole document.
    pub fn inline_tree(&self, inline_node: &Node<'_>) -> Option<&Tree> {
        self.syntax.inline_tree(inline_node)
    }

    /// Every inline tree, in document order.
    pub fn inline_trees(&self) -> impl ExactSizeIterator<Item = &Tree> {
        self.syntax.inline_trees()
    }

    /// The byte range of the current text whose text or syntax may differ
    /// from before the last [`Document::apply_change`] (coarse: it covers at
    /// least the inserted text and every inline node that was reparsed).
    /// `None` until the first change; a full replacement gives the whole text
    /// and an empty change an empty range.
    pub fn last_changed_bytes(&self) -> Option<Range<usize>> {
        self.last_changed.clone()
    }
}
