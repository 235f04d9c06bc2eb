//! Impact bullets and the `impact-evidence` rule.
//!
//! An impact bullet is a list item in a section the template uses for outcomes (see
//! [`Roles::impact`]); a field with sub-bullets is one bullet with them. A bullet that
//! claims a change of degree ("Improved reliability") and carries neither a figure nor a
//! before/after contrast anywhere gets a hint; the quick fix appends a `Before: … After: …`
//! skeleton. Nothing outside impact sections is looked at, and neither is the template's
//! own text, a placeholder or a prompt left in a field.

use std::ops::Range;

use super::data::{self, FindingData};
use super::model::DocModel;
use super::roles::Roles;
use super::{Findings, SectionMatch, is_template_text, prompt_prefix};
use crate::rules::RuleCode;
use crate::rules::evidence;
use crate::template::Template;

/// What the quick fix appends to a bullet; the placeholders stay flagged until filled.
pub const SKELETON: &str = "Before: [how it was]. After: [how it is now].";

/// One impact bullet of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImpactBullet {
    /// From the bullet's first line of text to the end of its last block.
    pub range: Range<usize>,
    /// The bullet carries a figure or a before/after contrast.
    pub evidence: bool,
    /// An outcome claim with no evidence in the bullet (document bytes).
    pub claim: Option<Range<usize>>,
    /// Where a skeleton would be appended: the end of the block holding the claim.
    pub append_at: usize,
    /// The field the bullet answers, if it is one.
    pub field: Option<String>,
    /// The template section's heading.
    pub section: String,
    /// A plain bullet (no field label) of a repeated impact section (one per period:
    /// "one bullet per accomplishment, each saying what changed") that states no outcome
    /// and carries no evidence.
    pub wants_outcome: bool,
}

/// Columns of leading whitespace on the line holding `offset` (a tab counts 4).
fn indentation(text: &str, offset: usize) -> usize {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[start..offset]
        .chars()
        .take_while(|c| c.is_whitespace())
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// The impact bullets of a document, in order.
pub fn bullets(
    model: &DocModel,
    text: &str,
    template: &Template,
    sections: &[SectionMatch],
) -> Vec<ImpactBullet> {
    let roles = Roles::of(template);
    let mut out = Vec::new();
    // For each list (in document order), the furthest end of it and the lists before it.
    let list_reach: Vec<usize> = model
        .lists
        .iter()
        .scan(0, |reach, l| {
            *reach = (*reach).max(l.end);
            Some(*reach)
        })
        .collect();
    for &index in &roles.impact {
        let (Some(section), Some(m)) = (template.sections.get(index), sections.get(index)) else {
            continue;
        };
        for &h in &m.headings {
            let Some(heading) = model.headings.get(h) else {
                continue;
            };
            let span = heading.range.end..heading.section_end;
            // A repeated section is named by its own heading ("January 2026").
            let name = if section.repeatable {
                heading.text.as_str()
            } else {
                section.name()
            };
            section_bullets(
                model,
                &list_reach,
                text,
                template,
                index,
                span,
                name,
                &mut out,
            );
        }
    }
    out.sort_by_key(|b| b.range.start);
    out
}

/// A group of blocks forming one bullet: (first line's indentation, block indices).
type Group = (usize, Vec<usize>);

#[allow(clippy::too_many_arguments)]
fn section_bullets(
    model: &DocModel,
    list_reach: &[usize],
    text: &str,
    template: &Template,
    section_index: usize,
    span: Range<usize>,
    section_heading: &str,
    out: &mut Vec<ImpactBullet>,
) {
    // Lists and blocks are in document order, so the blocks of the span are one run of
    // them, and a block is in a list when the lists starting before it reach past it.
    let in_list = |r: &Range<usize>| {
        let k = model.lists.partition_point(|l| l.start <= r.start);
        k.checked_sub(1)
            .and_then(|k| list_reach.get(k))
            .is_some_and(|&end| r.start < end)
    };
    let from = model.blocks.partition_point(|b| b.range.start < span.start);
    let mut groups: Vec<Group> = Vec::new();
    for (i, block) in model.blocks.iter().enumerate().skip(from) {
        if block.range.start >= span.end {
            break;
        }
        if block.is_heading || block.range.start < span.start {
            continue;
        }
        if !(block.field.is_some() || in_list(&block.range)) {
            // A paragraph between lists ends the current bullet.
            groups.push((usize::MAX, Vec::new()));
            continue;
        }
        let indent = indentation(text, block.range.start);
        match groups.last_mut() {
            Some((first, members)) if *first != usize::MAX && indent > *first => members.push(i),
            _ => groups.push((indent, vec![i])),
        }
    }
    let template_section = template.sections.get(section_index);
    // A section the template repeats (its heading a placeholder: a month, a quarter) that
    // collects outcomes lists accomplishments, each of which wants its outcome.
    let per_accomplishment = template_section.is_some_and(|s| s.repeatable);
    for (_, members) in groups.into_iter().filter(|(_, m)| !m.is_empty()) {
        let mut evidence = false;
        let mut claim: Option<(Range<usize>, usize)> = None;
        let mut own_text = false;
        let mut field_label = None;
        for &i in &members {
            let Some(block) = model.blocks.get(i) else {
                continue;
            };
            let raw = text.get(block.range.clone()).unwrap_or("");
            if is_template_text(raw, template) {
                continue;
            }
            let field = block.field.and_then(|f| model.fields.get(f));
            if let Some(field) = field {
                field_label.get_or_insert_with(|| field.label.clone());
                let prompt = template_section
                    .and_then(|s| s.field(&field.label))
                    .map(|f| f.prompt.as_str())
                    .unwrap_or("");
                let value = text.get(field.value_range.clone()).unwrap_or("");
                if prompt_prefix(value, prompt).is_some() {
                    continue; // the template's example left in: template-prompt says so
                }
            }
            if block.prose.trim().is_empty() {
                continue; // only a placeholder, a label or code
            }
            own_text = true;
            if evidence::has_evidence(&block.prose) {
                evidence = true;
            }
            if claim.is_none()
                && let Some(found) = evidence::outcome_claim(&block.prose)
            {
                let start = block.range.start + found.start;
                let end = block.range.start + found.end;
                let append = block.range.start + raw.trim_end().len();
                claim = Some((start..end, append));
            }
        }
        if !own_text {
            continue;
        }
        let first = members.first().and_then(|&i| model.blocks.get(i));
        let last = members.last().and_then(|&i| model.blocks.get(i));
        let (Some(first), Some(last)) = (first, last) else {
            continue;
        };
        let claim = claim.filter(|_| !evidence);
        let wants_outcome =
            per_accomplishment && field_label.is_none() && !evidence && claim.is_none();
        out.push(ImpactBullet {
            wants_outcome,
            range: first.range.start..last.range.end,
            evidence,
            append_at: claim.as_ref().map_or(last.range.end, |(_, at)| *at),
            claim: claim.map(|(range, _)| range),
            field: field_label,
            section: section_heading.to_string(),
        });
    }
}

/// The `impact-evidence` rule: a hint on each impact bullet's unevidenced claim.
pub(crate) fn check(
    model: &DocModel,
    text: &str,
    template: &Template,
    sections: &[SectionMatch],
    out: &mut Findings<'_>,
) {
    for bullet in bullets(model, text, template, sections) {
        if bullet.wants_outcome {
            // The bullet's first line: what was done, and nothing about what it changed.
            let start = bullet.range.start;
            let line = text.get(start..bullet.range.end).unwrap_or("");
            let first = line.find(['\n', '\r']).unwrap_or(line.len());
            let end = start + line[..first].trim_end().len();
            out.push(
                RuleCode::ImpactEvidence,
                start..end,
                format!(
                    "{}: this accomplishment says what you did but not what changed because of it: add the outcome, with a figure or what it was before and after",
                    bullet.section
                ),
                FindingData::ImpactOutcome(data::ImpactOutcome {
                    append_offset: bullet.append_at.saturating_sub(end),
                    section: bullet.section.clone(),
                }),
            );
            continue;
        }
        let Some(claim) = bullet.claim else {
            continue;
        };
        let flagged = text.get(claim.clone()).unwrap_or("");
        let claim_end = claim.end;
        let place = bullet
            .field
            .clone()
            .unwrap_or_else(|| bullet.section.clone());
        out.push(
            RuleCode::ImpactEvidence,
            claim,
            format!(
                "{place}: “{flagged}” states an outcome with no evidence: add a figure (“from 45 to 6 minutes”) or what it was before and after"
            ),
            FindingData::ImpactEvidence(data::ImpactEvidence {
                // Where the skeleton goes, in bytes after the flagged words (relative, so
                // that the finding stays right wherever its part of the document moves).
                append_offset: bullet.append_at.saturating_sub(claim_end),
                field: bullet.field.clone(),
                section: bullet.section.clone(),
            }),
        );
    }
}

/// The text to insert at `at` to append the skeleton to the bullet ending there: a full
/// stop first when the bullet's text does not end a sentence.
pub fn skeleton_insertion(text: &str, at: usize) -> String {
    let before = text.get(..at).unwrap_or("").trim_end();
    let ends_sentence = before.ends_with(['.', '!', '?', ':', ';', ',']);
    if ends_sentence || before.is_empty() {
        format!(" {SKELETON}")
    } else {
        format!(". {SKELETON}")
    }
}
