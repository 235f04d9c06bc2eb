//! Suppression applied: which findings the document's suppression comments
//! (`directives.rs`) turn off.

use std::collections::BTreeSet;

use super::Finding;
use super::directives::{Directive, Kind};
use crate::document::Document;
use crate::rules::RuleCode;

/// The suppression comments of a document (whose text is `text`), in document order.
pub fn directives(doc: &Document, text: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    if !text.contains("reframe-") {
        return out;
    }
    doc.visit_chunks(|chunk| {
        if !chunk.text().contains("reframe-") {
            return;
        }
        let start = chunk.range().start;
        let facts = super::model::read_chunk(&chunk.syntax(), &mut Default::default());
        out.extend(facts.directives.into_iter().map(|d| Directive {
            range: d.range.start + start..d.range.end + start,
            ..d
        }));
    });
    out
}

/// Removes the findings that suppression comments turn off.
pub fn apply(doc: &Document, text: &str, findings: &mut Vec<Finding>) {
    if findings.is_empty() {
        return;
    }
    let directives = directives(doc, text);
    if directives.is_empty() {
        return;
    }
    findings.retain(|f| !suppressed(doc, &directives, f.code, f.range.start));
}

/// Whether the directives (in document order) turn off a finding of rule `code` that
/// starts at byte `start`.
pub(crate) fn suppressed(
    doc: &Document,
    directives: &[Directive],
    code: RuleCode,
    start: usize,
) -> bool {
    let code = code.as_str();
    let line = doc.line_of_byte(start);
    // Replayed disable/enable state: everything off (with exceptions), or some codes off.
    let mut all_off = false;
    let mut except: BTreeSet<&str> = BTreeSet::new();
    let mut off: BTreeSet<&str> = BTreeSet::new();
    for d in directives {
        match d.kind {
            Kind::DisableFile if d.covers(code) => return true,
            Kind::DisableNextLine
                if d.covers(code) && doc.line_of_byte(d.range.end) + 1 == line =>
            {
                return true;
            }
            Kind::DisableLine
                if d.covers(code)
                    && (doc.line_of_byte(d.range.start)..=doc.line_of_byte(d.range.end))
                        .contains(&line) =>
            {
                return true;
            }
            Kind::Disable if d.range.end <= start => {
                if d.codes.is_empty() {
                    all_off = true;
                    except.clear();
                    off.clear();
                } else {
                    for c in &d.codes {
                        off.insert(c.as_str());
                        except.remove(c.as_str());
                    }
                }
            }
            Kind::Enable if d.range.end <= start => {
                if d.codes.is_empty() {
                    all_off = false;
                    except.clear();
                    off.clear();
                } else {
                    for c in &d.codes {
                        off.remove(c.as_str());
                        if all_off {
                            except.insert(c.as_str());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    (all_off && !except.contains(code)) || off.contains(code)
}
