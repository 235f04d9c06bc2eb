//! Plain-data position types: encodings, positions, spans and the issues met
//! while turning a client-sent position into a byte offset.

use std::fmt;
use std::str::FromStr;

/// The unit in which a [`Position::character`] is counted (LSP 3.17
/// `positionEncoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PositionEncoding {
    /// UTF-8 code units, that is bytes.
    Utf8,
    /// UTF-16 code units; the LSP default. An astral character (an emoji)
    /// counts as two.
    #[default]
    Utf16,
    /// Unicode scalar values, that is Rust `char`s.
    Utf32,
}

impl PositionEncoding {
    /// The name LSP uses for this encoding: `utf-8`, `utf-16` or `utf-32`.
    pub fn as_str(self) -> &'static str {
        match self {
            PositionEncoding::Utf8 => "utf-8",
            PositionEncoding::Utf16 => "utf-16",
            PositionEncoding::Utf32 => "utf-32",
        }
    }

    /// The number of code units `c` takes in this encoding.
    pub fn len_of(self, c: char) -> usize {
        match self {
            PositionEncoding::Utf8 => c.len_utf8(),
            PositionEncoding::Utf16 => c.len_utf16(),
            PositionEncoding::Utf32 => 1,
        }
    }
}

impl fmt::Display for PositionEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing an unknown encoding name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEncoding(pub String);

impl fmt::Display for UnknownEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown position encoding {:?} (expected utf-8, utf-16 or utf-32)",
            self.0
        )
    }
}

impl std::error::Error for UnknownEncoding {}

impl FromStr for PositionEncoding {
    type Err = UnknownEncoding;

    /// Parses the LSP names `utf-8`, `utf-16` and `utf-32`, ignoring ASCII
    /// case; the forms without the dash are accepted too.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(PositionEncoding::Utf8),
            "utf-16" | "utf16" => Ok(PositionEncoding::Utf16),
            "utf-32" | "utf32" => Ok(PositionEncoding::Utf32),
            _ => Err(UnknownEncoding(s.to_owned())),
        }
    }
}

/// A zero-based line and a `character` offset in that line, counted in the
/// code units of some [`PositionEncoding`]. Ordered by line, then character.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    /// The zero-based line, with lines broken by `\n`, `\r\n` or `\r`.
    pub line: u32,
    /// The offset in the line, in code units of the encoding in use.
    pub character: u32,
}

impl Position {
    /// Makes a position from a line and a character offset.
    pub const fn new(line: u32, character: u32) -> Position {
        Position { line, character }
    }
}

impl fmt::Display for Position {
    /// Writes the position as `line:character`, both zero-based.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.character)
    }
}

/// A range between two positions; `end` is exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// The first position in the range.
    pub start: Position,
    /// The position just after the range.
    pub end: Position,
}

impl Span {
    /// Makes a span from its two ends.
    pub const fn new(start: Position, end: Position) -> Span {
        Span { start, end }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

/// What was wrong with a client-sent position or range, and what was done
/// about it. Meant for logging: every issue is repaired, none is fatal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditIssue {
    /// The line is past the last line of the document; the position was
    /// clamped to the end of the document.
    LineOutOfRange {
        /// The position as sent.
        position: Position,
        /// The number of lines in the document.
        line_count: usize,
    },
    /// The character is past the end of its line; the position was clamped to
    /// the end of the line, before its line ending.
    CharacterPastLineEnd {
        /// The position as sent.
        position: Position,
        /// The length of the line (without its line ending) in code units.
        line_length: u32,
        /// The encoding the position was counted in.
        encoding: PositionEncoding,
    },
    /// A UTF-16 position points between the two halves of a surrogate pair;
    /// it was moved back to the start of that character.
    InsideSurrogatePair {
        /// The position as sent.
        position: Position,
    },
    /// A UTF-8 position points inside a multi-byte character; it was moved
    /// back to the start of that character.
    InsideUtf8Character {
        /// The position as sent.
        position: Position,
    },
    /// The range ends before it starts; its ends were swapped.
    ReversedRange {
        /// The start as sent.
        start: Position,
        /// The end as sent.
        end: Position,
    },
}

impl fmt::Display for EditIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditIssue::LineOutOfRange {
                position,
                line_count,
            } => write!(
                f,
                "position {position}: line {} is past the last line (the document has {line_count} \
                 lines); clamped to the end of the document",
                position.line
            ),
            EditIssue::CharacterPastLineEnd {
                position,
                line_length,
                encoding,
            } => write!(
                f,
                "position {position}: character {} is past the end of the line ({line_length} \
                 {encoding} code units); clamped to the end of the line",
                position.character
            ),
            EditIssue::InsideSurrogatePair { position } => write!(
                f,
                "position {position} is inside a UTF-16 surrogate pair; moved to the start of \
                 that character"
            ),
            EditIssue::InsideUtf8Character { position } => write!(
                f,
                "position {position} is inside a multi-byte UTF-8 character; moved to the start \
                 of that character"
            ),
            EditIssue::ReversedRange { start, end } => write!(
                f,
                "range {start}-{end} ends before it starts; swapped its ends"
            ),
        }
    }
}

impl std::error::Error for EditIssue {}
