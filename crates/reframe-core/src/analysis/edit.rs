//! A text edit as the analysis speaks it: bytes replaced by new text.

use std::ops::Range;

/// One text edit: replace `range` (bytes) with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub new_text: String,
}
