//! Fill progress per template section, the document outline (sections → fields), and
//! folding ranges.

use std::collections::HashMap;
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
    fields_needed_with(&super::roles::Roles::of(template), template, index)
}

/// [`fields_needed`] with the template's roles already read (reading them costs a pass
/// over every section).
pub(crate) fn fields_needed_with(
    roles: &super::roles::Roles,
    template: &Template,
    index: usize,
) -> usize {
    let Some(section) = template.sections.get(index) else {
        return 0;
    };
    if roles.is_menu(index) {
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

/// Where the findings that progress counts start, sorted, so that each section and field
/// looks up its own with a binary search instead of reading every finding.
struct FindingStarts {
    /// Placeholders.
    placeholders: Vec<usize>,
    /// Findings that leave a field unanswered: empty fields, placeholders, prompts.
    unanswered: Vec<usize>,
}

impl FindingStarts {
    fn new(analysis: &Analysis) -> FindingStarts {
        let starts = |keep: &dyn Fn(RuleCode) -> bool| {
            let mut v: Vec<usize> = analysis
                .findings
                .iter()
                .filter(|f| keep(f.code))
                .map(|f| f.range.start)
                .collect();
            v.sort_unstable();
            v
        };
        FindingStarts {
            placeholders: starts(&|c| c == RuleCode::Placeholder),
            unanswered: starts(&|c| {
                matches!(
                    c,
                    RuleCode::EmptyField | RuleCode::Placeholder | RuleCode::TemplatePrompt
                )
            }),
        }
    }
}

/// How many of `sorted` fall in `span`.
fn count_in(sorted: &[usize], span: &Range<usize>) -> usize {
    let from = sorted.partition_point(|&s| s < span.start);
    let to = sorted.partition_point(|&s| s < span.end);
    to.saturating_sub(from)
}

/// Progress of every template section present in the document, one entry per heading
/// standing for it, in the order of the template's sections (guidance-only sections have
/// nothing to fill and are left out).
pub fn progress(analysis: &Analysis, template: &Template) -> Vec<SectionProgress> {
    let starts = FindingStarts::new(analysis);
    let roles = super::roles::Roles::of(template);
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
            let mut p = section_progress(analysis, &starts, section, index, heading, span);
            p.fields_needed = fields_needed_with(&roles, template, index);
            out.push(p);
        }
    }
    out
}

/// How far the document section under `heading` fills template section `index`.
fn section_progress(
    analysis: &Analysis,
    starts: &FindingStarts,
    section: &crate::template::Section,
    index: usize,
    heading: usize,
    span: Range<usize>,
) -> SectionProgress {
    // The fields are in document order: those in the span are one run of them.
    let fields = &analysis.model.fields;
    let from = fields.partition_point(|f| f.item_range.start < span.start);
    let to = fields.partition_point(|f| f.item_range.start < span.end);
    let mut doc_fields: HashMap<String, &super::model::Field> = HashMap::new();
    for f in fields.get(from..to.max(from)).unwrap_or(&[]) {
        if span.start <= f.item_range.start && f.item_range.start < span.end {
            doc_fields.entry(normalize_label(&f.label)).or_insert(f);
        }
    }
    let mut filled = 0;
    let mut missing = Vec::new();
    for field in &section.fields {
        match doc_fields.get(&normalize_label(&field.label)) {
            Some(f) => {
                let item = f.item_range.clone();
                let answered = count_in(
                    &starts.unanswered,
                    &(item.start..item.end.max(item.start + 1)),
                ) == 0;
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
        placeholders: count_in(&starts.placeholders, &span),
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
    // Each field belongs to the innermost heading whose section holds it: walking the
    // fields in order with the headings open at each, innermost on top.
    let fields = &analysis.model.fields;
    let mut by_start: Vec<usize> = (0..fields.len()).collect();
    by_start.sort_by_key(|&i| fields[i].item_range.start);
    let mut children_of: Vec<Vec<usize>> = vec![Vec::new(); headings.len()];
    let mut open: Vec<usize> = Vec::new();
    let mut next_heading = 0;
    for i in by_start {
        let at = fields[i].item_range.start;
        while next_heading < headings.len() && headings[next_heading].range.start < at {
            open.push(next_heading);
            next_heading += 1;
        }
        while open.last().is_some_and(|&h| headings[h].section_end <= at) {
            open.pop();
        }
        if let Some(&h) = open.last() {
            children_of[h].push(i);
        }
    }
    let mut progress_of: Vec<Option<&SectionProgress>> = vec![None; headings.len()];
    for p in progress.iter().rev() {
        if let Some(slot) = progress_of.get_mut(p.heading) {
            *slot = Some(p);
        }
    }
    let mut is_section = vec![false; headings.len()];
    for m in &analysis.sections {
        for &h in &m.headings {
            if let Some(slot) = is_section.get_mut(h) {
                *slot = true;
            }
        }
    }
    let mut left = MAX_SYMBOLS;
    let mut cut_at = None;
    for (h, heading) in headings.iter().enumerate() {
        if left == 0 {
            cut_at = Some(h);
            break;
        }
        left -= 1;
        children_of[h].truncate(left);
        left -= children_of[h].len();
        while stack
            .last()
            .is_some_and(|(level, _)| *level >= heading.level)
        {
            pop_into(&mut stack, &mut roots);
        }
        let matched = progress_of[h];
        let is_section = is_section[h];
        let range = heading.range.start..heading.section_end;
        let children: Vec<Symbol> = children_of[h]
            .iter()
            .map(|&i| &fields[i])
            .map(|f| Symbol {
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
    if let Some(first) = cut_at.and_then(|h| headings.get(h)) {
        let more = headings.len() - cut_at.unwrap_or(0);
        roots.push(Symbol {
            name: format!(
                "({more} more headings not shown: the outline holds {MAX_SYMBOLS} entries)"
            ),
            detail: None,
            kind: SymbolKind::Heading,
            range: first.range.start
                ..analysis
                    .model
                    .headings
                    .last()
                    .map_or(first.section_end, |h| h.section_end.max(first.section_end)),
            selection: first.range.clone(),
            children: Vec::new(),
        });
    }
    roots
}

/// The most entries (headings and fields) of an outline; the headings after them are
/// left out and one last entry says how many. An editor's outline of a document with
/// 100,000 headings took 1.8 GB to send and is of no use to read.
pub const MAX_SYMBOLS: usize = 5_000;

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
