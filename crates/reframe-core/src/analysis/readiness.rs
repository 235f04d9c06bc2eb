//! The readiness score: one figure out of 100 for how ready a write-up is to be read by
//! an interviewer or a committee, with its breakdown.
//!
//! | part | points | earned |
//! | --- | --: | --- |
//! | fields answered | 40 | in proportion to the fields answered (a section that is a menu — impact outcomes, skills — asks for at most three; a section without fields asks for content; a repeated section — the next story — asks again) |
//! | placeholders left | 15 | all with none left, 3 fewer per placeholder |
//! | wording | 20 | all with no weak phrase, nothing at 4 weak phrases (wording findings) per 100 words |
//! | impact evidence | 25 | in proportion to the impact bullets with a figure or a before/after, out of at least three |
//!
//! Placeholders and wording count in proportion to the fields answered: a write-up that
//! is mostly empty has no weak wording, but it is not ready. A part the template makes
//! meaningless (no impact section, no fields) is left out and the score is taken over the
//! remaining points.

use std::fmt::Write;

use super::impact;
use super::outline::{Symbol, SymbolKind, progress};
use super::roles::Roles;
use super::{Analysis, SectionStatus, is_template_text, sections};
use crate::rules::RuleCode;
use crate::template::Template;

/// Fields a menu section asks for (impact outcomes or skills to pick from).
use super::outline::MENU_QUOTA;

/// One part of the score.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// The part's name: "Fields answered", "Placeholders left", "Wording" or "Impact
    /// evidence".
    pub name: &'static str,
    /// Points earned.
    pub earned: f64,
    /// Points there are to earn.
    pub max: f64,
    /// What was counted: "18 of 25".
    pub detail: String,
}

/// A write-up's readiness.
#[derive(Clone, Debug, PartialEq)]
pub struct Readiness {
    /// 0 to 100.
    pub score: u8,
    /// Fields answered, at most as many as asked for per section.
    pub fields_answered: usize,
    /// Fields the template asks for (a menu section asks for at most three).
    pub fields_asked: usize,
    /// Placeholders left.
    pub placeholders: usize,
    /// Words of the writer's own prose.
    pub words: usize,
    /// Wording findings (weak verbs, minimisers, hedges, passives, custom phrases).
    pub weak: usize,
    /// Impact bullets with evidence, and the bullets counted (the bullets written, at
    /// least as many as the template's impact sections ask for); `None` when the template
    /// has no impact section.
    pub impact: Option<(usize, usize)>,
    /// The breakdown, in the order of the table above.
    pub parts: Vec<Part>,
    /// The template the write-up was checked against, and why it is that one:
    /// "star template: named in the front matter".
    pub template: String,
}

impl Readiness {
    /// Weak phrases per 100 words.
    pub fn weak_per_100_words(&self) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            self.weak as f64 * 100.0 / self.words as f64
        }
    }

    /// The score in a few words: "readiness 66/100".
    pub fn summary(&self) -> String {
        format!("readiness {}/100", self.score)
    }

    /// The breakdown in one line: "fields 18/25 · 2 placeholders · 1.6 weak per 100
    /// words · impact evidence 2/3".
    pub fn breakdown(&self) -> String {
        let mut parts = vec![format!(
            "fields {}/{}",
            self.fields_answered, self.fields_asked
        )];
        parts.push(match self.placeholders {
            1 => "1 placeholder".to_string(),
            n => format!("{n} placeholders"),
        });
        parts.push(format!(
            "{:.1} weak per 100 words",
            self.weak_per_100_words()
        ));
        if let Some((evidenced, total)) = self.impact {
            parts.push(format!("impact evidence {evidenced}/{total}"));
        }
        parts.join(" · ")
    }

    /// The part with the most points left to gain, and how many.
    pub fn most_to_gain(&self) -> Option<(&Part, f64)> {
        self.parts
            .iter()
            .map(|p| (p, p.max - p.earned))
            .filter(|(_, left)| *left >= 0.5)
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The readiness as markdown, for hover.
    pub fn markdown(&self) -> String {
        let mut out = format!("**Readiness: {}/100**\n", self.score);
        for part in &self.parts {
            let _ = write!(
                out,
                "\n- {}: {} — {:.0}/{:.0}",
                part.name, part.detail, part.earned, part.max
            );
        }
        if let Some((part, left)) = self.most_to_gain() {
            let _ = write!(
                out,
                "\n\nMost to gain: {} (+{left:.0})",
                part.name.to_lowercase()
            );
        }
        out
    }
}

/// The readiness of a write-up; `None` for a document that is not one.
pub fn readiness(text: &str, analysis: &Analysis, template: &Template) -> Option<Readiness> {
    if !analysis.is_writeup {
        return None;
    }
    let roles = Roles::of(template);
    let filled = progress(analysis, template);
    let mut repeats_of: Vec<Vec<&super::outline::SectionProgress>> =
        vec![Vec::new(); template.sections.len()];
    for p in &filled {
        if let Some(slot) = repeats_of.get_mut(p.section) {
            slot.push(p);
        }
    }
    let (mut answered, mut asked) = (0, 0);
    for (index, (section, m)) in template.sections.iter().zip(&analysis.sections).enumerate() {
        if section.guidance_only {
            continue;
        }
        if section.fields.is_empty() {
            // A section without fields asks for content under its heading.
            asked += 1;
            let has_content = m
                .headings
                .first()
                .and_then(|&h| analysis.model.headings.get(h))
                .is_some_and(|h| h.has_content);
            if m.status != SectionStatus::Missing && has_content {
                answered += 1;
            }
            continue;
        }
        let quota = super::outline::fields_needed_with(&roles, template, index);
        // Each repeat of the section (the next story, the next month) asks again.
        let repeats = &repeats_of[index];
        asked += quota * repeats.len().max(1);
        answered += repeats
            .iter()
            .map(|p| p.fields_filled.min(quota))
            .sum::<usize>();
    }
    let placeholders = analysis
        .findings
        .iter()
        .filter(|f| f.code == RuleCode::Placeholder)
        .count();
    let weak = analysis
        .findings
        .iter()
        .filter(|f| f.code.is_phrase_rule())
        .count();
    let words: usize = analysis
        .model
        .blocks
        .iter()
        .filter(|b| !b.is_heading)
        .filter(|b| !is_template_text(text.get(b.range.clone()).unwrap_or(""), template))
        .map(|b| {
            b.prose
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count()
        })
        .sum();
    let impact = (!roles.impact.is_empty()).then(|| {
        let bullets = impact::bullets(&analysis.model, text, template, &analysis.sections);
        let evidenced = bullets.iter().filter(|b| b.evidence).count();
        let wanted: usize = roles
            .impact
            .iter()
            .filter_map(|&i| template.sections.get(i))
            .map(|s| s.fields.len().clamp(1, MENU_QUOTA))
            .sum();
        (evidenced, bullets.len().max(wanted))
    });
    // How much of the write-up is there: placeholders and wording count in proportion.
    let completeness = if asked > 0 {
        answered as f64 / asked as f64
    } else {
        1.0
    };

    let mut parts = Vec::new();
    if asked > 0 {
        parts.push(Part {
            name: "Fields answered",
            earned: 40.0 * answered as f64 / asked as f64,
            max: 40.0,
            detail: format!("{answered} of {asked}"),
        });
    }
    parts.push(Part {
        name: "Placeholders left",
        earned: 15.0 * completeness * (1.0 - placeholders as f64 / 5.0).max(0.0),
        max: 15.0,
        detail: placeholders.to_string(),
    });
    let per_100 = if words == 0 {
        0.0
    } else {
        weak as f64 * 100.0 / words as f64
    };
    parts.push(Part {
        name: "Wording",
        earned: if words == 0 {
            0.0
        } else {
            20.0 * completeness * (1.0 - per_100 / 4.0).max(0.0)
        },
        max: 20.0,
        detail: format!("{weak} weak phrases in {words} words ({per_100:.1} per 100)"),
    });
    if let Some((evidenced, total)) = impact {
        parts.push(Part {
            name: "Impact evidence",
            earned: if total == 0 {
                0.0
            } else {
                25.0 * evidenced as f64 / total as f64
            },
            max: 25.0,
            detail: format!(
                "{evidenced} of {total} impact bullets with a figure or a before/after"
            ),
        });
    }
    let earned: f64 = parts.iter().map(|p| p.earned).sum();
    let max: f64 = parts.iter().map(|p| p.max).sum();
    let score = if max > 0.0 {
        (100.0 * earned / max).round().clamp(0.0, 100.0) as u8
    } else {
        0
    };
    Some(Readiness {
        template: template_note(analysis, template),
        score,
        fields_answered: answered,
        fields_asked: asked,
        placeholders,
        words,
        weak,
        impact,
        parts,
    })
}

/// Which template a write-up was checked against and why: its front matter names it, or
/// its headings are that template's (which is how a template is chosen when none is
/// named), or it is the configured one.
fn template_note(analysis: &Analysis, template: &Template) -> String {
    let named = analysis.model.front_matter.as_ref().and_then(|fm| {
        fm.entries
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case("template") && !e.value.is_empty())
    });
    let found = sections::recognised(&analysis.sections, template);
    let why = match named {
        Some(e) if e.value.trim_matches(['"', '\'']).trim() == template.name => {
            "named in the front matter".to_string()
        }
        Some(e) => format!(
            "the configured template (the front matter's “{}” is not known)",
            e.value.trim_matches(['"', '\'']).trim()
        ),
        None if found >= 2 => format!(
            "{found} of its {} section headings found",
            // The sections a write-up fills: guidance-only ones are never headings there.
            template
                .sections
                .iter()
                .filter(|s| !s.repeatable && !s.guidance_only)
                .count()
        ),
        None => "the configured template".to_string(),
    };
    format!("{} template: {why}", template.name)
}

/// Puts the readiness, and which template was used and why, on the outline's root: the
/// document's title heading when one holds the whole outline, else a first entry for the
/// write-up (named by its front matter `title`, covering the front matter).
pub fn decorate_outline(symbols: &mut Vec<Symbol>, analysis: &Analysis, readiness: &Readiness) {
    let summary = format!("{} · {}", readiness.summary(), readiness.template);
    if let [root] = symbols.as_mut_slice()
        && root.kind == SymbolKind::Heading
        && root.children.iter().any(|c| c.kind == SymbolKind::Section)
    {
        root.detail = Some(match root.detail.take() {
            Some(detail) => format!("{summary} · {detail}"),
            None => summary,
        });
        return;
    }
    let front_matter = analysis.model.front_matter.as_ref();
    let title = front_matter
        .and_then(|fm| {
            fm.entries
                .iter()
                .find(|e| e.key.eq_ignore_ascii_case("title") && !e.value.is_empty())
        })
        .map(|e| {
            (
                e.value.trim_matches(['"', '\'']).to_string(),
                e.line_range.clone(),
            )
        });
    let range = front_matter.map_or(0..0, |fm| fm.range.clone());
    let (name, selection) = match title {
        Some((name, line)) => (name, line),
        None => ("Write-up".to_string(), range.start..range.start),
    };
    symbols.insert(
        0,
        Symbol {
            name,
            detail: Some(summary),
            kind: SymbolKind::Document,
            range,
            selection,
            children: Vec::new(),
        },
    );
}

/// The byte range of the write-up's title under `offset`, if it is on one: the front
/// matter's `title` line, or a heading above the template's sections that is not one.
pub fn title_at(analysis: &Analysis, offset: usize) -> Option<std::ops::Range<usize>> {
    let inside = |r: &std::ops::Range<usize>| r.start <= offset && offset <= r.end;
    if let Some(entry) = analysis.model.front_matter.as_ref().and_then(|fm| {
        fm.entries
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case("title"))
    }) && inside(&entry.line_range)
    {
        return Some(entry.line_range.clone());
    }
    let section_headings: Vec<usize> = analysis
        .sections
        .iter()
        .flat_map(|m| m.headings.iter().copied())
        .collect();
    let section_level = section_headings
        .iter()
        .filter_map(|&h| analysis.model.headings.get(h))
        .map(|h| h.level)
        .min()?;
    analysis
        .model
        .headings
        .iter()
        .enumerate()
        .find(|(i, h)| inside(&h.range) && h.level < section_level && !section_headings.contains(i))
        .map(|(_, h)| h.range.clone())
}
