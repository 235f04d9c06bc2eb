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
//! The text is cut into *chunks* that tree-sitter-md parses independently (`chunks.rs`
//! says where and why that gives the same blocks as one parse of the whole text). Each
//! chunk has a block tree (`tree_sitter_md::LANGUAGE`) parsed over the chunk's own text,
//! with positions relative to the chunk, and its `inline` and `pipe_table_cell` nodes get
//! inline trees (`tree_sitter_md::INLINE_LANGUAGE`) parsed on demand over the node's text
//! minus its `block_continuation` children ([`ChunkSyntax`]).
//!
//! Trees are not kept: a document holds its text and where its chunks are, and each chunk
//! carries an identifier that stays the same as long as its text does. A reader walks the
//! chunks with [`Document::visit_chunks`], asks for the syntax of the chunks it has not
//! seen before, and keeps what it learnt from them under their identifiers. The chunks
//! of a new document are found the first time they are walked, so opening a document
//! parses it once, in the walk.
//!
//! A leading byte order mark needs no special handling: tree-sitter's lexer skips U+FEFF
//! at byte 0 and does not count it as a column, so front matter or a heading on line 0
//! after a BOM parses as it would without one (the tests check this, including a BOM
//! typed or deleted at the start).
//!
//! An incremental change edits the rope and drops the chunk it falls in; the next walk
//! finds it again (and its neighbours when the edit moved a boundary), parsing only them,
//! so applying a change parses nothing (unless it falls before chunks an earlier change
//! left to find: those are found first). A full replacement (`range: None`) forgets every
//! chunk, so it always resynchronises. Cost of a keystroke: the rope edit and the position conversions are
//! logarithmic in the text; the reparse is proportional to the chunk; the walk costs a
//! few integer operations per chunk.

mod chunks;
mod position;
mod syntax;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::{Mutex, MutexGuard};

use ropey::Rope;

pub use chunks::MIN_CHUNK;
pub use position::{EditIssue, Position, PositionEncoding, Span, UnknownEncoding};
pub use syntax::{ChunkSyntax, bold_label_delimiters, is_inline_kind, may_hold_inline_syntax};

use chunks::ChunkState;

/// A markdown buffer: its text, where its chunks are, and position conversions.
pub struct Document {
    rope: Rope,
    /// The least chunk length, or `None` for a document parsed as one chunk.
    min_chunk: Option<usize>,
    chunks: Mutex<ChunkState>,
    last_changed: Option<Range<usize>>,
    /// Counts changes, so that a reader can tell whether it has seen this text.
    revision: u64,
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

impl Clone for Document {
    fn clone(&self) -> Document {
        Document {
            rope: self.rope.clone(),
            min_chunk: self.min_chunk,
            chunks: Mutex::new(self.lock_chunks().clone()),
            last_changed: self.last_changed.clone(),
            revision: self.revision,
        }
    }
}

/// Converts a count to a `u32` position field, saturating.
fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// One chunk met by [`Document::visit_chunks`].
pub struct Chunk<'d> {
    doc: &'d Document,
    id: u64,
    range: Range<usize>,
    syntax: Option<ChunkSyntax>,
}

impl Chunk<'_> {
    /// An identifier that stays the same while the chunk's text does (wherever the chunk
    /// moves), unique in the process.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The chunk's byte range in the document.
    pub fn range(&self) -> Range<usize> {
        self.range.clone()
    }

    /// The chunk's text.
    pub fn text(&self) -> Cow<'_, str> {
        self.doc.slice(self.range.clone())
    }

    /// The chunk's syntax: the parse made while finding the chunk, or a new one.
    pub fn syntax(self) -> ChunkSyntax {
        match self.syntax {
            Some(syntax) => syntax,
            None => self.doc.parse_chunk(self.range),
        }
    }
}

impl Document {
    /// Makes a document holding `text`. Its chunks are found when first walked.
    pub fn new(text: &str) -> Document {
        Document::with_chunks(text, Some(MIN_CHUNK))
    }

    /// Makes a document holding `text` that is always parsed as one chunk, as a reference
    /// for the chunked parse (slow on large texts: every edit reparses everything).
    pub fn new_unchunked(text: &str) -> Document {
        Document::with_chunks(text, None)
    }

    /// Makes a document holding `text` whose chunks are at least `min_chunk` bytes long
    /// (instead of [`MIN_CHUNK`]): small values make many chunks of small texts, for tests;
    /// the command line, which never edits, uses longer ones.
    pub fn with_min_chunk(text: &str, min_chunk: usize) -> Document {
        Document::with_chunks(text, Some(min_chunk))
    }

    /// The least chunk length this document was made with (`None`: one chunk).
    pub fn min_chunk(&self) -> Option<usize> {
        self.min_chunk
    }

    /// A new document holding `text`, chunked like this one.
    pub fn with_same_chunking(&self, text: &str) -> Document {
        Document::with_chunks(text, self.min_chunk)
    }

    fn with_chunks(text: &str, min_chunk: Option<usize>) -> Document {
        let rope = Rope::from_str(text);
        let chunks = Mutex::new(ChunkState::new(&rope));
        Document {
            rope,
            min_chunk,
            chunks,
            last_changed: None,
            revision: 0,
        }
    }

    /// A number that changes whenever the text may have changed (every
    /// [`Document::apply_change`]).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Locks the chunk table; a panic while it was held leaves it usable.
    fn lock_chunks(&self) -> MutexGuard<'_, ChunkState> {
        self.chunks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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
        self.revision += 1;
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

    /// Replaces the whole text; the chunks are found again from scratch.
    fn replace_all(&mut self, new_text: &str) {
        self.rope = Rope::from_str(new_text);
        *self.chunks.get_mut().unwrap_or_else(|p| p.into_inner()) = ChunkState::new(&self.rope);
        self.last_changed = Some(0..new_text.len());
    }

    /// Replaces the bytes `start..end`, which are character boundaries with
    /// `start <= end <= len_bytes()`, and finds again the chunks the edit touched.
    fn replace_bytes(&mut self, start: usize, end: usize, new_text: &str) {
        if start == end && new_text.is_empty() {
            self.last_changed = Some(start..start);
            return;
        }
        let chunks = self.chunks.get_mut().unwrap_or_else(|p| p.into_inner());
        if chunks.needs_settling(start) {
            // An earlier edit's chunks are still to be found, and this one falls before
            // them: found now, on the text they were dropped from.
            chunks.settle(&self.rope, self.min_chunk);
        }
        let start_char = self.rope.byte_to_char(start);
        let end_char = self.rope.byte_to_char(end);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, new_text);
        let new_end = start + new_text.len();
        chunks.edit(&self.rope, start, end, new_end);
        self.last_changed = Some(start..new_end);
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

    /// Walks the chunks in order, finding those not known yet. `visit` gets each chunk
    /// with its identifier and range; [`Chunk::syntax`] parses it when its parse is not
    /// at hand.
    pub fn visit_chunks(&self, mut visit: impl FnMut(Chunk<'_>)) {
        let len = self.rope.len_bytes();
        // The chunks known now, in one go; the lock is not held while `visit` runs.
        let (known, mut fresh, frontier) = {
            let mut chunks = self.lock_chunks();
            let known: Vec<(u64, Range<usize>)> = (0..chunks.known.len())
                .map(|i| (chunks.known[i].id, chunks.known[i].start..chunks.end_of(i)))
                .collect();
            (known, std::mem::take(&mut chunks.fresh), chunks.frontier)
        };
        let mut index = known.len();
        for (id, range) in known {
            let syntax = fresh
                .iter()
                .position(|(fresh_id, _)| *fresh_id == id)
                .map(|at| fresh.swap_remove(at).1);
            visit(Chunk {
                doc: self,
                id,
                range,
                syntax,
            });
        }
        if frontier >= len {
            return;
        }
        // The rest is found one chunk at a time (finding one may bring back old chunks
        // after it, which are then visited as known).
        loop {
            let chunk = {
                let mut chunks = self.lock_chunks();
                if index < chunks.known.len() {
                    let known = chunks.known[index];
                    Chunk {
                        doc: self,
                        id: known.id,
                        range: known.start..chunks.end_of(index),
                        syntax: chunks.take_fresh(known.id),
                    }
                } else if chunks.frontier < len {
                    let start = chunks.frontier;
                    let (id, syntax) = chunks.resolve_next(&self.rope, self.min_chunk);
                    Chunk {
                        doc: self,
                        id,
                        range: start..chunks.end_of(index),
                        syntax: Some(syntax),
                    }
                } else {
                    return;
                }
            };
            visit(chunk);
            index += 1;
        }
    }

    /// The byte ranges of the chunks, in order (finding them all).
    pub fn chunk_ranges(&self) -> Vec<Range<usize>> {
        let mut ranges = Vec::new();
        self.visit_chunks(|chunk| ranges.push(chunk.range()));
        ranges
    }

    /// Parses the chunk at `range` (a chunk of the current text, as visited).
    pub fn parse_chunk(&self, range: Range<usize>) -> ChunkSyntax {
        chunks::parse_known_chunk(&self.rope, range)
    }

    /// The byte range of the current text that the last [`Document::apply_change`]
    /// wrote (the inserted text; its syntax around it may differ too). `None` until the
    /// first change; a full replacement gives the whole text and an empty change an
    /// empty range.
    pub fn last_changed_bytes(&self) -> Option<Range<usize>> {
        self.last_changed.clone()
    }
}
