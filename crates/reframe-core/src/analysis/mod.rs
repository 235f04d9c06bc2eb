//! The analysis core: document + template + configuration in, findings out.
//!
//! Pure by design: no LSP types, no async, no file system (tests/layering.rs greps for
//! them). Everything here works on byte offsets into the document text; the server and the
//! CLI convert to lines and columns.

pub mod actions;
pub mod completion;
pub mod data;
pub mod directives;
pub mod edit;
pub mod hover;
pub mod ignore;
pub mod impact;
pub mod incremental;
pub mod model;
pub mod outline;
pub mod questions;
pub mod readiness;
pub mod roles;
pub(crate) mod sections;
pub mod skills;
pub mod suppress;
pub mod wording;

use std::ops::Range;

use crate::config::Config;
use crate::document::Document;
use crate::rules::phrases;
use crate::rules::{RuleCode, Severity};
use crate::template::{Template, normalize_label, normalize_line};

pub use crate::config::Context;
pub use data::FindingData;
pub use incremental::{AnalysisCache, FindingGroup};
pub use sections::{SectionMatch, SectionStatus};

/// One problem found in a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub code: RuleCode,
    pub severity: Severity,
    /// Byte range in the document text.
    pub range: Range<usize>,
    /// What is wrong, naming the section or field, and what to do.
    pub message: String,
    /// What code actions need (rewrites, headings, section to insert...); sent to clients
    /// as JSON ([`data`]).
    pub data: FindingData,
}

/// The result of analysing one document.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Whether the document was recognised as a write-up of the template.
    pub is_writeup: bool,
    /// Findings sorted by position.
    pub findings: Vec<Finding>,
    /// How each template section is represented in the document.
    pub sections: Vec<SectionMatch>,
    /// What was read from the document (headings, fields, prose blocks...).
    pub model: model::DocModel,
}

/// Analyses a document (with a fresh [`AnalysisCache`]; keep one to analyse a document
/// again after edits).
pub fn analyze(doc: &Document, cx: &Context<'_>) -> Analysis {
    let mut cache = AnalysisCache::new();
    cache.update(doc, cx);
    cache.analysis(doc)
}

/// Analyses a document whose full text the caller already holds (the analysis reads the
/// text from the document; this is [`analyze`]).
pub fn analyze_text(doc: &Document, _text: &str, cx: &Context<'_>) -> Analysis {
    analyze(doc, cx)
}

/// The analysis done the plain way: the whole model read at once and every rule run over
/// it. [`AnalysisCache`] gives the same result with work proportional to each edit; the
/// tests compare the two.
pub fn analyze_whole(doc: &Document, cx: &Context<'_>) -> Analysis {
    let text = doc.text();
    let text = text.as_str();
    let model = model::read(doc);
    let sections = sections::match_sections(&model, cx.template);
    let is_writeup = cx.config.all_markdown
        || declares_template(&model)
        || sections::recognised(&sections, cx.template) >= 2;
    if !is_writeup {
        return Analysis {
            is_writeup,
            findings: Vec::new(),
            sections,
            model,
        };
    }
    let mut out = Findings {
        config: cx.config,
        items: Vec::new(),
    };
    sections::check_structure(&model, cx.template, &sections, &mut out);
    check_front_matter(&model, cx.template, &mut out);
    let owner = SectionOwner::new(&model, &sections, cx.template);
    check_fields(&model, text, cx.template, &owner, &mut out);
    check_placeholders(&model, cx.template, &owner, &mut out);
    check_prose(&model, text, cx, &owner, &mut out);
    impact::check(&model, text, cx.template, &sections, &mut out);
    let mut findings = out.items;
    incremental::sort_and_dedup(&mut findings);
    suppress::apply(doc, text, &mut findings);
    Analysis {
        is_writeup,
        findings,
        sections,
        model,
    }
}

/// Collects findings, applying the configured severities.
pub(crate) struct Findings<'a> {
    config: &'a Config,
    items: Vec<Finding>,
}

impl Findings<'_> {
    pub(crate) fn push(
        &mut self,
        code: RuleCode,
        range: Range<usize>,
        message: String,
        data: FindingData,
    ) {
        if let Some(severity) = self.config.severity_of(code) {
            self.items.push(Finding {
                code,
                severity,
                range,
                message,
                data,
            });
        }
    }
}

fn declares_template(model: &model::DocModel) -> bool {
    model.front_matter.as_ref().is_some_and(|fm| {
        fm.entries
            .iter()
            .any(|e| e.key.eq_ignore_ascii_case("template") && !e.value.is_empty())
    })
}

/// Which template section (if any) each byte of the document belongs to.
pub(crate) struct SectionOwner<'t> {
    /// (start byte, end byte, template section index) of each matched heading's section.
    spans: Vec<(usize, usize, usize)>,
    template: &'t Template,
}

impl<'t> SectionOwner<'t> {
    fn new(model: &model::DocModel, matches: &[SectionMatch], template: &'t Template) -> Self {
        let mut spans: Vec<(usize, usize, usize)> = matches
            .iter()
            .enumerate()
            .flat_map(|(index, m)| {
                m.headings.iter().filter_map(move |&h| {
                    let heading = model.headings.get(h)?;
                    Some((heading.range.start, heading.section_end, index))
                })
            })
            .collect();
        spans.sort_unstable();
        SectionOwner { spans, template }
    }

    /// The template section whose document section contains `byte`.
    fn section_at(&self, byte: usize) -> Option<&'t crate::template::Section> {
        let i = self.spans.partition_point(|s| s.0 <= byte);
        let (_, end, index) = *self.spans.get(i.checked_sub(1)?)?;
        (byte < end).then(|| self.template.sections.get(index))?
    }
}

fn check_front_matter(model: &model::DocModel, template: &Template, out: &mut Findings<'_>) {
    let Some(fm) = &model.front_matter else {
        return;
    };
    for entry in &fm.entries {
        if !entry.value.is_empty() {
            continue;
        }
        if template
            .front_matter
            .iter()
            .any(|k| k.key.eq_ignore_ascii_case(&entry.key))
        {
            out.push(
                RuleCode::EmptyFrontmatter,
                entry.line_range.clone(),
                format!(
                    "Front matter `{}` is empty: fill it in or remove the key",
                    entry.key
                ),
                FindingData::EmptyFrontMatter(data::EmptyFrontMatter {
                    key: entry.key.clone(),
                }),
            );
        }
    }
}

/// A section name for messages: "5. Impact (Ops Style)".
fn section_name(section: Option<&crate::template::Section>) -> String {
    section.map(|s| s.name().to_string()).unwrap_or_default()
}

fn check_fields(
    model: &model::DocModel,
    text: &str,
    template: &Template,
    owner: &SectionOwner<'_>,
    out: &mut Findings<'_>,
) {
    for field in &model.fields {
        let section = owner.section_at(field.item_range.start);
        if section.is_some_and(|s| s.guidance_only) {
            continue;
        }
        let template_field = section.and_then(|s| s.field(&field.label)).or_else(|| {
            let wanted = normalize_label(&field.label);
            template
                .sections
                .iter()
                .flat_map(|s| s.fields.iter())
                .find(|f| normalize_label(&f.label) == wanted)
        });
        let value = &text[field.value_range.clone()];
        if value.is_empty() && !field.has_nested_content {
            let hint = template_field
                .map(|f| format!(" ({})", f.prompt))
                .filter(|h| h.len() > 3)
                .unwrap_or_default();
            out.push(
                RuleCode::EmptyField,
                field.label_range.clone(),
                format!("“{}” is empty: say what goes here{hint}", field.label),
                FindingData::EmptyField(data::EmptyField {
                    field: field.label.clone(),
                    section: section_name(section),
                }),
            );
            continue;
        }
        let Some(template_field) = template_field else {
            continue;
        };
        if !template_field.placeholders.is_empty() || template_field.prompt.is_empty() {
            continue; // the placeholder rule reports the unfilled brackets
        }
        if let Some(range) = prompt_prefix(value, &template_field.prompt) {
            let start = field.value_range.start;
            let what = if template_field.example {
                "the template's example"
            } else {
                "the template's prompt"
            };
            out.push(
                RuleCode::TemplatePrompt,
                start + range.start..start + range.end,
                format!(
                    "“{}” still holds {what}: replace it with your own answer",
                    field.label
                ),
                FindingData::FieldPrompt(data::FieldPrompt {
                    field: field.label.clone(),
                    prompt: template_field.prompt.clone(),
                    section: section_name(section),
                }),
            );
        }
    }
}

/// If `value` starts with the template's `prompt` (compared as normalised lines), the byte
/// range of that leading prompt in `value`.
fn prompt_prefix(value: &str, prompt: &str) -> Option<Range<usize>> {
    let wanted = normalize_line(prompt);
    if wanted.is_empty() {
        return None;
    }
    // Normalising keeps a text's letters and digits (lower-cased) and only drops or
    // changes other characters, so a prefix can only normalise to the prompt if the
    // value's letters and digits start with the prompt's: a cheap test before the
    // prefix-by-prefix search below.
    let mut value_alnum = value
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric());
    if !wanted
        .chars()
        .filter(|c| c.is_alphanumeric())
        .all(|w| value_alnum.next() == Some(w))
    {
        return None;
    }
    // Find the shortest prefix of `value` whose normalisation equals the prompt's.
    let mut ends: Vec<usize> = value.char_indices().map(|(i, _)| i).skip(1).collect();
    ends.push(value.len());
    for end in ends {
        let candidate = normalize_line(&value[..end]);
        if candidate.len() > wanted.len() {
            return None;
        }
        if candidate == wanted {
            let next = value[end..].chars().next();
            if next.is_none_or(|c| !c.is_alphanumeric()) {
                return Some(0..end);
            }
        }
    }
    None
}

fn check_placeholders(
    model: &model::DocModel,
    template: &Template,
    owner: &SectionOwner<'_>,
    out: &mut Findings<'_>,
) {
    for bracket in &model.brackets {
        let section = owner.section_at(bracket.range.start);
        if section.is_some_and(|s| s.guidance_only) {
            continue;
        }
        let field = model.fields.iter().find(|f| {
            f.value_range.start <= bracket.range.start
                && bracket.range.end <= f.value_range.end.max(f.item_range.end)
        });
        let own = template.is_own_placeholder(&normalize_line(&format!("[{}]", bracket.inner)));
        let place = match (field, section) {
            (Some(f), _) => format!("“{}”", f.label),
            (None, Some(s)) => format!("section “{}”", s.name()),
            (None, None) => "the write-up".to_string(),
        };
        let what = if own {
            "template placeholder"
        } else {
            "placeholder"
        };
        out.push(
            RuleCode::Placeholder,
            bracket.range.clone(),
            format!(
                "Unfilled {what} [{}] in {place}: replace it with your own text",
                bracket.inner
            ),
            FindingData::Placeholder(data::Placeholder {
                field: field.map(|f| f.label.clone()),
                from_template: own,
                placeholder: bracket.inner.clone(),
                section: section_name(section),
            }),
        );
    }
}

/// True when every line of the block is one of the template's own lines.
fn is_template_text(text: &str, template: &Template) -> bool {
    let mut any = false;
    for line in text.lines() {
        let normalized = normalize_line(line);
        if normalized.is_empty() {
            continue;
        }
        if !template.is_own_line(&normalized) {
            return false;
        }
        any = true;
    }
    any
}

/// Spans of `text` that are one of the template's ✅ reframes (matched ignoring case): the
/// template endorses that wording, so the wording rules stay quiet on it.
fn endorsed_spans(text: &str, template: &Template) -> Vec<Range<usize>> {
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        return Vec::new();
    }
    let mut spans = Vec::new();
    for reframe in &template.reframes {
        let strong = reframe.strong.to_lowercase();
        if strong.len() > lower.len() {
            // Cannot occur (and setting up the search costs more than the block).
            continue;
        }
        let mut from = 0;
        while let Some(at) = lower[from..].find(&strong) {
            spans.push(from + at..from + at + strong.len());
            from += at + strong.len().max(1);
        }
    }
    spans
}

fn check_prose(
    model: &model::DocModel,
    text: &str,
    cx: &Context<'_>,
    owner: &SectionOwner<'_>,
    out: &mut Findings<'_>,
) {
    for block in &model.blocks {
        if block.is_heading {
            continue;
        }
        let section = owner.section_at(block.range.start);
        let raw = &text[block.range.clone()];
        let field = block.field.and_then(|i| model.fields.get(i));
        if is_template_text(raw, cx.template) {
            // The template's own text: never the writer's wording. Left in a section to
            // fill, it is an unanswered prompt (fields report that themselves).
            if field.is_none() && section.is_some_and(|s| !s.guidance_only) {
                out.push(
                    RuleCode::TemplatePrompt,
                    block.range.clone(),
                    format!(
                        "Template guidance left in “{}”: replace it with your own text or delete it",
                        section_name(section)
                    ),
                    FindingData::Guidance(data::Guidance {
                        section: section_name(section),
                    }),
                );
            }
            continue;
        }
        if cx.config.structural_only {
            continue;
        }
        let place = match (field, section) {
            (Some(f), _) => f.label.clone(),
            (None, Some(s)) => s.name().to_string(),
            (None, None) => String::new(),
        };
        let endorsed = endorsed_spans(raw, cx.template);
        let role = match section {
            Some(s) if roles::is_situation(s) => wording::Role::Situation,
            _ => wording::Role::Work,
        };
        let mut sentences = wording::Sentences::new(&block.prose);
        for mut hit in phrases::scan(&block.prose, cx.phrases) {
            if !wording::judge(&mut sentences, &mut hit, role) {
                continue;
            }
            if endorsed
                .iter()
                .any(|e| e.start <= hit.range.start && hit.range.end <= e.end)
            {
                continue; // the template's own ✅ wording
            }
            let range = block.range.start + hit.range.start..block.range.start + hit.range.end;
            let message = if place.is_empty() {
                hit.message.clone()
            } else {
                format!("{place}: {}", hit.message)
            };
            out.push(
                hit.code,
                range,
                message,
                FindingData::Wording(data::Wording {
                    ask: hit.ask,
                    field: field.map(|f| f.label.clone()),
                    // Where the replacements go, relative to the flagged words.
                    fix_end: hit.fix_range.end as i64 - hit.range.end as i64,
                    fix_start: hit.fix_range.start as i64 - hit.range.start as i64,
                    // Whether the first replacement says the same in stronger words
                    // (preferred) or claims more (an alternative to choose only if true).
                    keeps_meaning: wording::keeps_meaning(
                        &hit,
                        block.prose.get(hit.range.clone()).unwrap_or(""),
                    ),
                    replacements: hit.replacements.clone(),
                    rule: hit.row.to_string(),
                    section: section_name(section),
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::prompt_prefix;

    const PROMPT: &str = "Manual processes? System instability? Deployment issues?";

    #[test]
    fn a_value_that_starts_with_the_prompt_has_it_as_its_prefix() {
        let value = format!("{PROMPT} We deployed by hand.");
        assert_eq!(prompt_prefix(&value, PROMPT), Some(0..PROMPT.len()));
        // Emphasis, case, spacing and curly quotes do not matter.
        let styled = "**MANUAL processes?**  System _instability?_ Deployment issues? Yes";
        let end = styled.find(" Yes").unwrap_or(0);
        assert_eq!(prompt_prefix(styled, PROMPT), Some(0..end));
        let quoted = "I \u{201c}did\u{201d} it, twice";
        let end = quoted.find(", twice").unwrap_or(0);
        assert_eq!(prompt_prefix(quoted, "I \"did\" it"), Some(0..end));
    }

    #[test]
    fn a_value_that_does_not_start_with_the_prompt_has_no_prefix() {
        assert_eq!(
            prompt_prefix("Manual deploys took 45 minutes", PROMPT),
            None
        );
        assert_eq!(prompt_prefix("Manual processes", PROMPT), None);
        // The prompt must end at a word boundary of the value.
        assert_eq!(prompt_prefix("Scopeless", "Scope"), None);
        assert_eq!(prompt_prefix("Scope: all", "Scope"), Some(0..5));
        assert_eq!(prompt_prefix("anything", ""), None);
    }
}
