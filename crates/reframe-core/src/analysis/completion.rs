//! Completion: template section headings on a heading line, the current section's missing
//! fields on a list line, and outcome phrases after "so that". Nothing elsewhere.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::outline::progress;
use super::skills::Support;
use super::{Analysis, SectionStatus};
use crate::template::Template;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Section,
    Field,
    Phrase,
}

/// One completion candidate: replace `replace` with `text` (or `snippet` when the client
/// understands snippets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    pub replace: Range<usize>,
    pub text: String,
    pub snippet: Option<String>,
    /// Sorts the items in template order.
    pub sort: String,
    /// What clients filter on (the whole replaced line for line completions).
    pub filter: String,
}

/// In the skills section: field items only for the skills the write-up shows, each with
/// where it shows it.
fn only_shown_skills(items: &mut Vec<Completion>, shown: &[Support]) {
    items.retain(|c| c.kind != CompletionKind::Field || shown.iter().any(|s| s.skill == c.label));
    for item in items.iter_mut() {
        let Some(support) = shown.iter().find(|s| s.skill == item.label) else {
            continue;
        };
        item.detail = Some(format!("skill shown in {}", support.place));
        item.documentation = Some(format!(
            "Shown by: “{}” ({})\n\n{}",
            support.sentence, support.place, support.description
        ));
    }
}

fn regex(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

/// Escapes text for a snippet (`$`, `}` and `\` are special).
fn snippet_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '$' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Completions at byte `offset`.
pub fn complete(
    text: &str,
    analysis: &Analysis,
    template: &Template,
    offset: usize,
) -> Vec<Completion> {
    if !analysis.is_writeup || offset > text.len() || !text.is_char_boundary(offset) {
        return Vec::new();
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    let before = &text[line_start..offset];
    let in_front_matter = analysis
        .model
        .front_matter
        .as_ref()
        .is_some_and(|fm| fm.range.start <= offset && offset < fm.range.end);
    if in_front_matter {
        return Vec::new();
    }

    static HEADING: OnceLock<Option<Regex>> = OnceLock::new();
    static BULLET: OnceLock<Option<Regex>> = OnceLock::new();
    static SO_THAT: OnceLock<Option<Regex>> = OnceLock::new();
    if regex(&HEADING, r"^ {0,3}#{1,6}(?:[ \t].*)?$").is_some_and(|re| re.is_match(before)) {
        return headings(analysis, template, line_start..line_end, before);
    }
    if regex(&BULLET, r"^\s*[-*+][ \t]+(?:\*{0,2}[^*:]*)?$").is_some_and(|re| re.is_match(before)) {
        let mut items = fields(analysis, template, offset, line_start..line_end, before);
        if let Some(shown) = super::skills::shown_at(text, analysis, template, offset) {
            only_shown_skills(&mut items, &shown);
        }
        return items;
    }
    if let Some(caps) = regex(
        &SO_THAT,
        r"(?i)\bso(?: that)?(?: the team| we| they| devs| developers)?(?: could| can)? ([\w-]*)$",
    )
    .and_then(|re| re.captures(before))
        && before.to_lowercase().contains("so ")
    {
        let prefix = caps.get(1).map_or("", |m| m.as_str());
        let start = offset - prefix.len();
        return outcomes(template, start..offset, prefix);
    }
    Vec::new()
}

/// The filter text of a line item: what the client compares with what was typed on the
/// line. Clients filter differently (VS Code fuzzily, Neovim by prefix, case-sensitively
/// unless 'ignorecase'), so the candidate that starts with the typed text (case aside) is
/// chosen — the heading with its number ("## 5. Impact"), or its title alone ("## Impact")
/// — and given in the typed case up to the typed length. Neovim inserts the filter text
/// when the label does not start with what was typed, so every candidate is a whole line.
fn filter_for(typed: &str, candidates: &[String]) -> String {
    let typed = typed.trim_end_matches(['\r', '\n']);
    let lower = typed.to_lowercase();
    for candidate in candidates {
        if candidate.to_lowercase().starts_with(&lower) && candidate.is_char_boundary(typed.len()) {
            if candidate.starts_with(typed) {
                return candidate.clone();
            }
            // Same length when lowercasing keeps byte lengths (checked by the boundary).
            if candidate[..typed.len()].to_lowercase() == lower {
                return format!("{typed}{}", &candidate[typed.len()..]);
            }
        }
    }
    candidates.first().cloned().unwrap_or_default()
}

fn headings(
    analysis: &Analysis,
    template: &Template,
    line: Range<usize>,
    typed: &str,
) -> Vec<Completion> {
    // The heading on this line (if any) does not count: "## Impact" typed here is still
    // offered the template's "## 5. Impact (Ops Style)".
    let here = analysis
        .model
        .headings
        .iter()
        .position(|h| line.start <= h.range.start && h.range.start <= line.end);
    let hashes: String = typed
        .trim_start()
        .chars()
        .take_while(|&c| c == '#')
        .collect();
    template
        .sections
        .iter()
        .zip(&analysis.sections)
        .enumerate()
        .filter(|(_, (_, m))| {
            m.status == SectionStatus::Missing
                || (here.is_some() && m.headings.iter().all(|&h| Some(h) == here))
        })
        .map(|(i, (section, _))| {
            let heading = section.heading_line();
            let fields: Vec<&str> = section.fields.iter().map(|f| f.label.as_str()).collect();
            let hashes = if hashes.is_empty() {
                "#".repeat(usize::from(section.level))
            } else {
                hashes.clone()
            };
            let candidates = [
                heading.clone(),
                format!("{hashes} {}", section.heading),
                format!("{hashes} {}", section.title),
            ];
            Completion {
                label: heading.clone(),
                kind: CompletionKind::Section,
                detail: Some(if section.guidance_only {
                    "template section (guidance)".to_string()
                } else {
                    "template section".to_string()
                }),
                documentation: (!fields.is_empty())
                    .then(|| format!("Fields: {}", fields.join(", "))),
                replace: line.clone(),
                text: heading.clone(),
                snippet: Some(format!("{}$0", snippet_escape(&heading))),
                sort: format!("{i:03}"),
                filter: filter_for(typed, &candidates),
            }
        })
        .collect()
}

fn fields(
    analysis: &Analysis,
    template: &Template,
    offset: usize,
    line: Range<usize>,
    typed: &str,
) -> Vec<Completion> {
    let indent: String = typed.chars().take_while(|c| c.is_whitespace()).collect();
    let marker = typed.trim_start().chars().next().unwrap_or('-');
    let Some(section_progress) = progress(analysis, template).into_iter().find(|p| {
        analysis
            .model
            .headings
            .get(p.heading)
            .is_some_and(|h| h.range.end <= offset && offset <= h.section_end)
    }) else {
        return Vec::new();
    };
    let section = &template.sections[section_progress.section];
    section
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| section_progress.missing_fields.contains(&f.label))
        .map(|(i, field)| {
            let head = format!("{indent}{marker} **{}**: ", field.label);
            // The answer to type over: the template's placeholder, else a generic one
            // (the prompt itself is the item's documentation).
            let fill = field
                .placeholders
                .first()
                .cloned()
                .unwrap_or_else(|| "[answer]".to_string());
            Completion {
                label: field.label.clone(),
                kind: CompletionKind::Field,
                detail: Some(format!("field of {}", section.heading)),
                documentation: (!field.prompt.is_empty()).then(|| field.prompt.clone()),
                replace: line.clone(),
                // Without snippets the answer is left as a placeholder to type over.
                text: format!("{head}{fill}"),
                snippet: Some(format!(
                    "{}${{1:{}}}$0",
                    snippet_escape(&head),
                    snippet_escape(&fill)
                )),
                sort: format!("{i:03}"),
                filter: filter_for(
                    typed,
                    &[
                        format!("{head}{fill}"),
                        format!("{indent}{marker} {}: {fill}", field.label),
                    ],
                ),
            }
        })
        .collect()
}

/// Outcome phrases: the template's quoted example outcomes (fields whose prompt is an
/// example, such as the Impact section's), as lowercase clauses.
fn outcomes(template: &Template, replace: Range<usize>, prefix: &str) -> Vec<Completion> {
    let mut phrases: Vec<(String, String)> = Vec::new();
    for section in &template.sections {
        for field in section.fields.iter().filter(|f| f.example) {
            for quoted in field.prompt.split('"').skip(1).step_by(2) {
                let phrase = lowercase_first(quoted.trim().trim_end_matches('.'));
                if phrase.len() > 3 && !phrases.iter().any(|(p, _)| *p == phrase) {
                    phrases.push((phrase, field.label.clone()));
                }
            }
        }
    }
    let prefix = prefix.to_lowercase();
    phrases
        .into_iter()
        .enumerate()
        .filter(|(_, (p, _))| p.to_lowercase().starts_with(&prefix))
        .map(|(i, (phrase, label))| Completion {
            label: phrase.clone(),
            kind: CompletionKind::Phrase,
            detail: Some(format!("outcome: {label}")),
            documentation: None,
            replace: replace.clone(),
            text: phrase.clone(),
            snippet: None,
            sort: format!("{i:03}"),
            filter: phrase,
        })
        .collect()
}

fn lowercase_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        // Keep acronyms ("CI/CD") as written.
        Some(first) if !chars.clone().next().is_some_and(char::is_uppercase) => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => s.to_string(),
    }
}
