//! Hover: what the template asks for where the cursor is, and why a flagged phrase is weak.
//! Returns markdown.

use std::fmt::Write;
use std::ops::Range;

use super::outline::progress;
use super::{Analysis, FindingData, SectionStatus};
use crate::rules::RuleCode;
use crate::template::{Section, Template, normalize_label};

/// The hover at byte `offset`: the range it is about and its markdown text.
pub fn hover(
    text: &str,
    analysis: &Analysis,
    template: &Template,
    offset: usize,
) -> Option<(Range<usize>, String)> {
    if !analysis.is_writeup {
        return None;
    }
    let inside = |r: &Range<usize>| r.start <= offset && offset <= r.end;
    // A flagged phrase or a placeholder under the cursor.
    if let Some(finding) = analysis.findings.iter().find(|f| {
        inside(&f.range)
            && (f.code.is_phrase_rule()
                || matches!(f.code, RuleCode::Placeholder | RuleCode::ImpactEvidence))
    }) {
        return Some((
            finding.range.clone(),
            finding_hover(text, finding, template),
        ));
    }
    // The write-up's title: its readiness.
    if let Some(range) = super::readiness::title_at(analysis, offset)
        && let Some(readiness) = super::readiness::readiness(text, analysis, template)
    {
        return Some((range, readiness.markdown()));
    }
    // A field label.
    if let Some(field) = analysis
        .model
        .fields
        .iter()
        .find(|f| inside(&f.label_range))
    {
        let wanted = normalize_label(&field.label);
        let (section, template_field) = template.sections.iter().find_map(|s| {
            s.fields
                .iter()
                .find(|f| normalize_label(&f.label) == wanted)
                .map(|f| (s, f))
        })?;
        let mut out = format!(
            "**{}** — field of *{}*",
            template_field.label, section.heading
        );
        if !template_field.prompt.is_empty() {
            let _ = write!(out, "\n\nThe template asks: {}", template_field.prompt);
        }
        return Some((field.label_range.clone(), out));
    }
    // A heading that stands for a template section.
    let (h, heading) = analysis
        .model
        .headings
        .iter()
        .enumerate()
        .find(|(_, h)| inside(&h.range))?;
    let (index, section) = template
        .sections
        .iter()
        .enumerate()
        .find(|(i, _)| analysis.sections[*i].headings.first() == Some(&h))?;
    let mut markdown = section_hover(analysis, template, index, section);
    let asked = super::questions::questions(text, analysis, template);
    let here = super::questions::for_section(&asked, index);
    if !here.is_empty() {
        markdown.push_str("\n\nAn interviewer may ask:");
        for question in here {
            let _ = write!(markdown, "\n- {}", question.text);
        }
    }
    Some((heading.range.clone(), markdown))
}

fn finding_hover(text: &str, finding: &super::Finding, template: &Template) -> String {
    let flagged = text.get(finding.range.clone()).unwrap_or("").trim();
    let mut out = format!("**{}** `{}`\n\n{}", flagged, finding.code, finding.message);
    if finding.code == RuleCode::Placeholder {
        let field = match &finding.data {
            FindingData::Placeholder(p) => p.field.as_deref(),
            _ => None,
        };
        let prompt = field
            .and_then(|field| {
                template
                    .sections
                    .iter()
                    .flat_map(|s| s.fields.iter())
                    .find(|f| normalize_label(&f.label) == normalize_label(field))
            })
            .map(|f| f.prompt.as_str())
            .filter(|p| !p.is_empty());
        if let Some(prompt) = prompt {
            let _ = write!(out, "\n\nWhat goes here: {prompt}");
        }
        return out;
    }
    let alternatives: Vec<&str> = finding
        .data
        .wording()
        .map(|w| {
            w.replacements
                .iter()
                .map(String::as_str)
                .filter(|s| !s.trim().is_empty())
                .collect()
        })
        .unwrap_or_default();
    if !alternatives.is_empty() {
        let _ = write!(
            out,
            "\n\nTry: {}",
            alternatives
                .iter()
                .map(|a| format!("“{a}”"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let lower = flagged.to_lowercase();
    if let Some(reframe) = template
        .reframes
        .iter()
        .find(|r| !lower.is_empty() && r.weak.to_lowercase().contains(&lower))
    {
        let _ = write!(
            out,
            "\n\nThe template's example: ❌ “{}” → ✅ “{}”",
            reframe.weak, reframe.strong
        );
    }
    out
}

fn section_hover(
    analysis: &Analysis,
    template: &Template,
    index: usize,
    section: &Section,
) -> String {
    let mut out = format!("**{}** — template section", section.heading);
    if section.guidance_only {
        out.push_str(" (guidance: nothing to fill in)");
    }
    if let Some(p) = progress(analysis, template)
        .iter()
        .find(|p| p.section == index)
    {
        let _ = write!(out, "\n\nProgress: {}", p.summary());
        if !p.missing_fields.is_empty() {
            let _ = write!(out, " · missing: {}", p.missing_fields.join(", "));
        }
    }
    if !section.guidance.is_empty() {
        out.push_str("\n\n");
        // One paragraph per guidance line: markdown would run single lines together.
        out.push_str(&section.guidance.join("\n\n"));
    }
    if !section.fields.is_empty() {
        out.push_str("\n\nFields:");
        for field in &section.fields {
            let _ = write!(out, "\n- **{}**: {}", field.label, field.prompt);
        }
    }
    let missing: Vec<&str> = template
        .sections
        .iter()
        .zip(&analysis.sections)
        .filter(|(s, m)| m.status == SectionStatus::Missing && !s.guidance_only)
        .map(|(s, _)| s.heading.as_str())
        .collect();
    if !missing.is_empty() {
        let _ = write!(
            out,
            "\n\nMissing from this write-up: {}",
            missing.join(", ")
        );
    }
    out
}
