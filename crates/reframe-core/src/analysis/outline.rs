//! Fill progress per template section, the document outline (sections → fields), and
//! folding ranges.

use std::ops::Range;

use super::{Analysis, SectionStatus};
use crate::rules::RuleCode;
use crate::template::{Template, normalize_label};

/// How far one template section present in the document is filled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionProgress {
    /// Index into the template's sections.
    pub section: usize,
    /// Index into the document's headings.
    pub heading: usize,
    /// Fields the template asks for in this section.
    pub fields_total: usize,
    /// Of those, the ones answered (present, not empty, no placeholder or prompt left).
    pub fields_filled: usize,
    /// How many answered fields fill the section ([`fields_needed`]): all of them, or a
    /// few for a menu (impact outcomes, skills). Readiness counts the same.
    pub fields_needed: usize,
    /// Placeholders left in the section.
    pub placeholders: usize,
    /// Template fields with no label in the document's section, in template order.
    pub missing_fields: Vec<String>,
}

impl SectionProgress {
    /// A short summary: "2/3 fields · 1 placeholder".
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if self.fields_needed < self.fields_total {
            parts.push(format!(
                "{}/{} fields (any {} of {})",
                self.fields_filled.min(self.fields_needed),
                self.fields_needed,
                self.fields_needed,
                self.fields_total
            ));
        } else if self.fields_total > 0 {
            parts.push(format!(
                "{}/{} fields",
                self.fields_filled, self.fields_total
            ));
        }
        match self.placeholders {
            0 => {}
            1 => parts.push("1 placeholder".to_string()),
            n => parts.push(format!("{n} placeholders")),
        }
        if parts.is_empty() {
            parts.push("no fields".to_string());
        }
        parts.join(" · ")
    }
}

/// How many of a menu section's fields fill it (the impact outcomes, the skills: pick a
/// few that are true).
pub const MENU_QUOTA: usize = 3;

/// How many answered fields fill template section `index`: all of them, or
/// [`MENU_QUOTA`] for a menu. The one notion of "filled" that the outline, hover, inlay
/// hints and readiness share.
pub fn fields_needed(template: &Template, index: usize) -> usize {
    let Some(section) = template.sections.get(index) else {
        return 0;
    };
    if super::roles::Roles::of(template).is_menu(index) {
        section.fields.len().min(MENU_QUOTA)
    } else {
        section.fields.len()
    }
}

/// Byte range of the document section under template section `index` (heading to the next
/// heading of the same or a higher level).
fn section_span(analysis: &Analysis, heading: usize) -> Option<Range<usize>> {
    let h = analysis.model.headings.get(heading)?;
    Some(h.range.start..h.section_end)
}

fn findings_in(analysis: &Analysis, code: RuleCode, span: &Range<usize>) -> usize {
    analysis
        .findings
        .iter()
        .filter(|f| f.code == code && span.start <= f.range.start && f.range.start < span.end)
        .count()
}

/// Progress of every template section present in the document, one entry per heading
/// standing for it, in the order of the template's sections (guidance-only sections have
/// nothing to fill and are left out).
pub fn progress(analysis: &Analysis, template: &Template) -> Vec<SectionProgress> {
    let mut out = Vec::new();
    for (index, (section, m)) in template.sections.iter().zip(&analysis.sections).enumerate() {
        if section.guidance_only || m.status == SectionStatus::Missing {
            continue;
        }
        // Every heading standing for the section: a repeat (the next story, the next
        // month) is filled on its own.
        for &heading in &m.headings {
            let Some(span) = section_span(analysis, heading) else {
                continue;
            };
            let mut p = section_progress(analysis, section, index, heading, span);
            p.fields_needed = fields_needed(template, index);
            out.push(p);
        }
    }
    out
}

/// How far the document section under `heading` fills template section `index`.
fn section_progress(
    analysis: &Analysis,
    section: &crate::template::Section,
    index: usize,
    heading: usize,
    span: Range<usize>,
) -> SectionProgress {
    let doc_fields: Vec<&super::model::Field> = analysis
        .model
        .fields
        .iter()
        .filter(|f| span.start <= f.item_range.start && f.item_range.start < span.end)
        .collect();
    let mut filled = 0;
    let mut missing = Vec::new();
    for field in &section.fields {
        let wanted = normalize_label(&field.label);
        match doc_fields
            .iter()
            .find(|f| normalize_label(&f.label) == wanted)
        {
            Some(f) => {
                let item = f.item_range.clone();
                let answered = analysis.findings.iter().all(|x| {
                    !(matches!(
                        x.code,
                        RuleCode::EmptyField | RuleCode::Placeholder | RuleCode::TemplatePrompt
                    ) && item.start <= x.range.start
                        && x.range.start < item.end.max(item.start + 1))
                });
                if answered {
                    filled += 1;
                }
            }
            None => missing.push(field.label.clone()),
        }
    }
    SectionProgress {
        section: index,
        heading,
        fields_total: section.fields.len(),
        fields_filled: filled,
        fields_needed: section.fields.len(),
        placeholders: findings_in(analysis, RuleCode::Placeholder, &span),
        missing_fields: missing,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    /// A heading that stands for a template section.
    Section,
    /// Any other heading.
    Heading,
    /// A field (`- **Label**: …`).
    Field,
    /// The write-up itself: its title, with the readiness in `detail`.
    Document,
}

/// One entry of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole section or field.
    pub range: Range<usize>,
    /// The heading line or the field label.
    pub selection: Range<usize>,
    pub children: Vec<Symbol>,
}

/// The outline: headings nested by level; template sections carry their progress in
/// `detail` and their fields as children.
pub fn outline(analysis: &Analysis, template: &Template) -> Vec<Symbol> {
    let progress = progress(analysis, template);
    let headings = &analysis.model.headings;
    // Build bottom-up with a stack of (level, symbol).
    let mut roots: Vec<Symbol> = Vec::new();
    let mut stack: Vec<(u8, Symbol)> = Vec::new();
    let pop_into = |stack: &mut Vec<(u8, Symbol)>, roots: &mut Vec<Symbol>| {
        if let Some((_, done)) = stack.pop() {
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(done),
                None => roots.push(done),
            }
        }
    };
    // Each field belongs to the innermost heading whose section holds it.
    let owners: Vec<Option<usize>> = analysis
        .model
        .fields
        .iter()
        .map(|f| {
            let before = headings.partition_point(|h| h.range.start < f.item_range.start);
            (0..before)
                .rev()
                .find(|&h| headings[h].section_end > f.item_range.start)
        })
        .collect();
    for (h, heading) in headings.iter().enumerate() {
        while stack
            .last()
            .is_some_and(|(level, _)| *level >= heading.level)
        {
            pop_into(&mut stack, &mut roots);
        }
        let matched = progress.iter().find(|p| p.heading == h);
        let is_section = analysis.sections.iter().any(|m| m.headings.contains(&h));
        let range = heading.range.start..heading.section_end;
        let children: Vec<Symbol> = analysis
            .model
            .fields
            .iter()
            .zip(&owners)
            .filter(|(_, owner)| **owner == Some(h))
            .map(|(f, _)| Symbol {
                name: f.label.clone(),
                detail: None,
                kind: SymbolKind::Field,
                range: f.item_range.clone(),
                selection: f.label_range.clone(),
                children: Vec::new(),
            })
            .collect();
        let symbol = Symbol {
            name: if heading.text.is_empty() {
                "(empty heading)".to_string()
            } else {
                heading.text.clone()
            },
            detail: matched.map(SectionProgress::summary),
            kind: if is_section {
                SymbolKind::Section
            } else {
                SymbolKind::Heading
            },
            range,
            selection: heading.range.clone(),
            children,
        };
        stack.push((heading.level, symbol));
    }
    while !stack.is_empty() {
        pop_into(&mut stack, &mut roots);
    }
    roots
}

/// Folding ranges as (start byte, end byte): each section (heading to its last line of
/// content), each multi-line list, and the front matter.
pub fn folding(analysis: &Analysis, text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let trim_end = |range: Range<usize>| -> Range<usize> {
        let body = text.get(range.clone()).unwrap_or("");
        range.start..range.start + body.trim_end().len()
    };
    for heading in &analysis.model.headings {
        out.push(trim_end(heading.range.start..heading.section_end));
    }
    for list in &analysis.model.lists {
        out.push(trim_end(list.clone()));
    }
    if let Some(fm) = &analysis.model.front_matter {
        out.push(trim_end(fm.range.clone()));
    }
    // Only ranges spanning more than one line fold.
    out.retain(|r| text.get(r.clone()).is_some_and(|t| t.contains('\n')));
    out.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    out.dedup();
    out
}
