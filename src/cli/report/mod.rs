//! The reports of `reframe check`, one module per format; this module holds what they
//! all read: the checked documents.

pub(crate) mod github;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod sarif;
pub(crate) mod summary;

use std::sync::Arc;

use reframe_core::analysis::{Analysis, SectionStatus};
use reframe_core::document::Document;
use reframe_core::template::Template;

use crate::cli::inputs::Input;

/// One checked document.
pub(crate) struct Checked {
    pub(crate) input: Input,
    pub(crate) doc: Document,
    pub(crate) analysis: Analysis,
    pub(crate) template: Arc<Template>,
    /// Safe fixes applied (with `--fix`).
    pub(crate) fixed: usize,
}

/// How many of the template's sections to fill (guidance-only ones aside) the write-up
/// has, and how many there are.
pub(crate) fn section_progress(analysis: &Analysis, template: &Template) -> (usize, usize) {
    let mut present = 0;
    let mut total = 0;
    for (section, m) in template.sections.iter().zip(&analysis.sections) {
        if section.guidance_only {
            continue;
        }
        total += 1;
        if m.status != SectionStatus::Missing {
            present += 1;
        }
    }
    (present, total)
}
