//! Any sequence of incremental changes, ranges in any encoding, valid or not, checked
//! against a plain string and, at the end, a fresh parse (see `harness::check_edits`).
//!
//! Input: the initial text, then `SEPARATOR`, then the changes, each decoded with
//! `arbitrary` from the bytes that follow. Without a separator the initial text is empty.
//! The seeds (`fuzz/run.sh`) are the fixtures and templates followed by a few changes.

#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use reframe_core::document::Position;
use reframe_fuzz::harness::{Change, ENCODINGS, check_edits};

/// Separates the initial text from the changes.
const SEPARATOR: &[u8] = b"\n\0EDITS\0";

/// The most changes one input applies.
const MAX_CHANGES: usize = 64;

/// One change as the fuzzer makes it: lines and characters small enough to land in and
/// around a document of a few hundred lines.
#[derive(Arbitrary, Debug)]
struct FuzzChange {
    /// 255 replaces the whole text; anything else is a range change.
    kind: u8,
    start_line: u8,
    start_character: u8,
    end_line: u8,
    end_character: u8,
    encoding: u8,
    text: String,
}

impl From<FuzzChange> for Change {
    fn from(c: FuzzChange) -> Change {
        let range = (c.kind != 255).then(|| {
            (
                Position::new(u32::from(c.start_line), u32::from(c.start_character)),
                Position::new(u32::from(c.end_line), u32::from(c.end_character)),
            )
        });
        Change {
            range,
            encoding: ENCODINGS[usize::from(c.encoding) % ENCODINGS.len()],
            text: c.text,
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (initial, rest) = match data.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        Some(at) => (&data[..at], &data[at + SEPARATOR.len()..]),
        None => (&data[..0], data),
    };
    let initial = String::from_utf8_lossy(initial);
    let mut bytes = Unstructured::new(rest);
    let mut changes = Vec::new();
    while !bytes.is_empty() && changes.len() < MAX_CHANGES {
        match FuzzChange::arbitrary(&mut bytes) {
            Ok(change) => changes.push(Change::from(change)),
            Err(_) => break,
        }
    }
    check_edits(&initial, &changes);
});
