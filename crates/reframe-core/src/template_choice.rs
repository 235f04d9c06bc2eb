//! Which template a write-up asks for: the `template: NAME` key of its front matter, the
//! templates built into reframe by name, the finding for a name nobody knows, and, for a
//! write-up that names none, the template its headings fit best ([`choose_by_headings`]).
//!
//! Pure: the caller (the command line, through reframe-workspace) looks the name up among
//! the built-in templates and the configured template folders, and adds
//! [`unknown_template`] to the findings when neither has it.

use std::ops::Range;
use std::sync::OnceLock;

use crate::analysis::Finding;
use crate::analysis::data::{self, FindingData};
use crate::rules::{RuleCode, Severity};
use crate::template::{DEFAULT_TEMPLATE_NAME, DEFAULT_TEMPLATE_SOURCE, Template};

/// The code of the finding on a front-matter `template:` that names no known template.
pub const UNKNOWN_TEMPLATE_CODE: &str = "unknown-template";

/// The templates built into reframe, by name, with their markdown.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    (DEFAULT_TEMPLATE_NAME, DEFAULT_TEMPLATE_SOURCE),
    (
        "promotion-packet",
        include_str!("../../../templates/promotion-packet.md"),
    ),
    ("star", include_str!("../../../templates/star.md")),
    ("brag-doc", include_str!("../../../templates/brag-doc.md")),
    (
        "self-review",
        include_str!("../../../templates/self-review.md"),
    ),
    (
        "case-study",
        include_str!("../../../templates/case-study.md"),
    ),
];

/// One line about each built-in template, for `reframe templates` and the README.
pub fn builtin_summary(name: &str) -> Option<&'static str> {
    Some(match name {
        DEFAULT_TEMPLATE_NAME => {
            "an ops or platform project: problem, what you built, impact, decisions"
        }
        "promotion-packet" => "a promotion case: scope, key projects, leadership, business impact",
        "star" => "interview stories: Situation, Task, Action, Result, one or several per file",
        "brag-doc" => "a running list of accomplishments, one section per month or quarter",
        "self-review" => {
            "a review-cycle self-assessment: accomplishments, impact, growth, next goals"
        }
        "case-study" => "one project start to finish: context, what I did, outcome, lessons",
        _ => return None,
    })
}

/// The headings of a markdown text as (level, text), outside front matter and fenced code;
/// read line by line (ATX headings), which is enough to compare a document with templates.
fn document_headings(text: &str) -> Vec<(u8, String)> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = body.lines().peekable();
    if lines.peek().map(|l| l.trim_end()) == Some("---") {
        lines.next();
        for line in lines.by_ref() {
            if matches!(line.trim_end(), "---" | "...") {
                break;
            }
        }
    }
    let mut fence: Option<(char, usize)> = None;
    let mut out = Vec::new();
    for line in lines {
        let t = line.trim_start();
        let run = |c: char| t.len() - t.trim_start_matches(c).len();
        match fence {
            Some((c, n)) => {
                if t.starts_with(c) && run(c) >= n && t.trim_end().len() == run(c) {
                    fence = None;
                }
                continue;
            }
            None => {
                if let Some(c) = t.chars().next().filter(|c| *c == '`' || *c == '~')
                    && run(c) >= 3
                {
                    fence = Some((c, run(c)));
                    continue;
                }
            }
        }
        if let Some(heading) = crate::template::parse_atx_heading(line) {
            out.push(heading);
        }
    }
    out
}

/// How well a document's headings fit a template: the number of its sections (repeatable
/// ones left out) that some heading stands for, then the sum of the best match strength
/// per section (3 exact, 2 same title, 1 similar).
pub fn fit(text: &str, template: &Template) -> (usize, u32) {
    fit_headings(&document_headings(text), template)
}

fn fit_headings(headings: &[(u8, String)], template: &Template) -> (usize, u32) {
    let mut best = vec![0u8; template.sections.len()];
    for (level, text) in headings {
        if let Some((s, strength)) =
            crate::analysis::sections::best_match_text(text, *level, template)
            && let Some(slot) = best.get_mut(s)
            && !template.sections[s].repeatable
        {
            *slot = (*slot).max(strength);
        }
    }
    let count = best.iter().filter(|&&b| b > 0).count();
    (count, best.iter().map(|&b| u32::from(b)).sum())
}

/// The candidate a write-up that names no template in its front matter is checked
/// against: the one whose headings fit best ([`fit`]), when at least two of its section
/// headings are there; ties, and documents that fit none, go to `default` (the configured
/// template's index). Returns the index and the number of section headings found.
pub fn choose_by_headings(text: &str, candidates: &[&Template], default: usize) -> (usize, usize) {
    let headings = document_headings(text);
    let fits: Vec<(usize, u32)> = candidates
        .iter()
        .map(|t| fit_headings(&headings, t))
        .collect();
    let default_fit = fits.get(default).copied().unwrap_or((0, 0));
    let mut chosen = (default, default_fit);
    for (i, &f) in fits.iter().enumerate() {
        if f.0 >= 2 && f > chosen.1 {
            chosen = (i, f);
        }
    }
    (chosen.0, chosen.1.0)
}

/// The built-in template called `name`, parsed once.
pub fn builtin_template(name: &str) -> Option<&'static Template> {
    static PARSED: OnceLock<Vec<Template>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        BUILTIN_TEMPLATES
            .iter()
            .map(|(name, source)| {
                if *name == DEFAULT_TEMPLATE_NAME {
                    Template::builtin().clone()
                } else {
                    Template::parse(name, source)
                }
            })
            .collect()
    });
    BUILTIN_TEMPLATES
        .iter()
        .position(|(n, _)| *n == name)
        .and_then(|i| parsed.get(i))
}

/// The value of the front matter's top-level `template:` key and the byte range of that
/// value, when the document starts with `---` front matter that has one.
pub fn front_matter_template(text: &str) -> Option<(String, Range<usize>)> {
    let text_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[text_start..];
    let mut lines = body.split_inclusive('\n');
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    let mut offset = text_start + body.find('\n')? + 1;
    for line in lines {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return None;
        }
        if !line.starts_with([' ', '\t', '-'])
            && let Some((key, value)) = trimmed.split_once(':')
            && key.trim().eq_ignore_ascii_case("template")
        {
            let raw = value.trim();
            let name = raw.trim_matches(['"', '\'']).trim();
            if name.is_empty() {
                return None;
            }
            let value_start = offset + key.len() + 1 + (value.len() - value.trim_start().len());
            return Some((name.to_string(), value_start..value_start + raw.len()));
        }
        offset += line.len();
    }
    None
}

/// The finding for a front-matter template name that is neither built in nor found in the
/// configured template folders; `known` lists the names that would work.
pub fn unknown_template(name: &str, range: Range<usize>, known: &[String]) -> Option<Finding> {
    let code = RuleCode::custom(UNKNOWN_TEMPLATE_CODE)?;
    let known = if known.is_empty() {
        "none".to_string()
    } else {
        known.join(", ")
    };
    Some(Finding {
        code,
        severity: Severity::Warning,
        range,
        message: format!(
            "Unknown template “{name}”: checked against the default template instead \
             (known templates: {known})"
        ),
        data: FindingData::UnknownTemplate(data::UnknownTemplate {
            template: name.to_string(),
        }),
    })
}

/// The template's markdown with its front matter naming the template and dated `date`
/// (keys added when the template has none).
pub fn scaffold(name: &str, source: &str, date: &str) -> String {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let newline = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let close = (lines.first().map(|l| l.trim_end()) == Some("---"))
        .then(|| {
            lines
                .iter()
                .skip(1)
                .position(|l| matches!(l.trim_end(), "---" | "..."))
                .map(|i| i + 1)
        })
        .flatten();
    let Some(close) = close else {
        return format!(
            "---{newline}template: {name}{newline}date: {date}{newline}---{newline}{source}"
        );
    };
    let mut out = String::with_capacity(source.len() + 64);
    out.push_str(lines[0]);
    let mut has_template = false;
    let mut has_date = false;
    for line in &lines[1..close] {
        let key = line.split(':').next().unwrap_or("").trim();
        if !line.starts_with([' ', '\t', '-']) && key.eq_ignore_ascii_case("template") {
            has_template = true;
            out.push_str(&format!("template: {name}{newline}"));
        } else if !line.starts_with([' ', '\t', '-']) && key.eq_ignore_ascii_case("date") {
            has_date = true;
            out.push_str(&format!("date: {date}{newline}"));
        } else {
            out.push_str(line);
        }
    }
    if !has_date {
        out.push_str(&format!("date: {date}{newline}"));
    }
    if !has_template {
        out.push_str(&format!("template: {name}{newline}"));
    }
    for line in &lines[close..] {
        out.push_str(line);
    }
    out
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_723), "2024-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_768), "2026-11-11");
    }

    #[test]
    fn scaffold_sets_template_and_date() {
        let out = scaffold(
            "ops-writeup",
            "---\ntitle:\ndate: 2025-11-09\n---\n## A\n",
            "2026-01-02",
        );
        assert_eq!(
            out,
            "---\ntitle:\ndate: 2026-01-02\ntemplate: ops-writeup\n---\n## A\n"
        );
        let bare = scaffold("pm", "## A\n\n## B\n", "2026-01-02");
        assert_eq!(
            bare,
            "---\ntemplate: pm\ndate: 2026-01-02\n---\n## A\n\n## B\n"
        );
    }

    #[test]
    fn finds_the_template_key_and_its_range() {
        let text = "---\ntitle: x\ntemplate: promotion-packet\n---\n# A\n";
        let (name, range) = front_matter_template(text).unwrap_or_default();
        assert_eq!(name, "promotion-packet");
        assert_eq!(&text[range], "promotion-packet");
        assert_eq!(front_matter_template("# no front matter\n"), None);
        assert_eq!(
            front_matter_template("---\ntitle: x\n---\ntemplate: y\n"),
            None
        );
        let quoted = "---\ntemplate: \"ops\"\n---\n";
        let (name, range) = front_matter_template(quoted).unwrap_or_default();
        assert_eq!(name, "ops");
        assert_eq!(&quoted[range], "\"ops\"");
    }

    #[test]
    fn every_builtin_template_parses_with_sections_and_a_summary() {
        for (name, _) in BUILTIN_TEMPLATES {
            let template = builtin_template(name);
            assert!(template.is_some_and(|t| t.problems().is_empty()), "{name}");
            assert!(builtin_summary(name).is_some(), "{name}");
        }
        assert!(builtin_template("nope").is_none());
    }

    fn builtins() -> Vec<&'static Template> {
        BUILTIN_TEMPLATES
            .iter()
            .filter_map(|(name, _)| builtin_template(name))
            .collect()
    }

    fn chosen(text: &str) -> &'static str {
        let candidates = builtins();
        let (index, _) = choose_by_headings(text, &candidates, 0);
        BUILTIN_TEMPLATES[index].0
    }

    #[test]
    fn headings_choose_the_template() {
        assert_eq!(
            chosen("# Story\n\n## Situation\n\nx\n\n## Task\n\n## Action\n\n## Result\n"),
            "star"
        );
        assert_eq!(
            chosen("## Context\n\n## What I did\n\n## Outcome\n\n## Lessons\n"),
            "case-study"
        );
        assert_eq!(
            chosen("## Summary\n\n## Accomplishments\n\n## Impact\n\n## Growth\n"),
            "self-review"
        );
        // Headings the templates also accept for their sections.
        assert_eq!(
            chosen("# Paywall\n\n## The Approach\n\n## The Result\n\n## What I'd Do Differently\n"),
            "case-study"
        );
        assert_eq!(
            chosen("## Story\n\n### Background\n\n### Actions taken\n\n### Results\n"),
            "star"
        );
        // Month headings alone do not make a brag document; two of its sections do.
        assert_eq!(chosen("## January\n\n## February\n"), "ops-writeup");
        assert_eq!(
            chosen("## Goals\n\n## 2026-01\n\n- x\n\n## Learning and growth\n"),
            "brag-doc"
        );
        // One heading is not enough; headings in code and front matter do not count.
        assert_eq!(chosen("## Situation\n\ntext\n"), "ops-writeup");
        assert_eq!(
            chosen("---\ntitle: x\n---\n```\n## Situation\n## Task\n```\n"),
            "ops-writeup"
        );
        // A tie goes to the configured default, wherever it is in the list.
        let star = builtin_template("star").unwrap();
        let text = "## Situation\n\n## Task\n";
        assert_eq!(choose_by_headings(text, &[star, star], 1), (1, 2));
        assert_eq!(choose_by_headings(text, &[star, star], 0), (0, 2));
    }
}
