//! Matching the document's headings to the template's sections, and the structural rules:
//! `missing-section`, `empty-section`, `section-heading`, `section-order`.

use super::Findings;
use super::data::{self, FindingData};
use super::model::{DocModel, Heading};
use crate::rules::RuleCode;
use crate::template::{Template, normalize_label, split_heading_number, title_words};

/// How a template section appears in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionStatus {
    /// A heading with the template's exact text.
    Exact,
    /// A heading that is this section under another name or number (`## Impact`).
    Renamed,
    /// No heading for it.
    Missing,
}

/// One template section and the document heading(s) standing for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionMatch {
    pub status: SectionStatus,
    /// Indices into the document's headings; the first is the one that counts.
    pub headings: Vec<usize>,
}

fn words_match(a: &str, b: &str) -> bool {
    a == b || (a.len() >= 5 && b.len() >= 5 && strsim::levenshtein(a, b) <= 1)
}

/// How well a heading stands for a section: 3 exact (its heading, or one of the names the
/// template also accepts for it), 2 same title, 1 similar, 0 not at all. The second value
/// breaks ties between similar titles.
fn score(heading_text: &str, section: &crate::template::Section) -> (u8, f64) {
    if normalize_label(heading_text) == normalize_label(&section.heading) {
        return (3, 1.0);
    }
    if !section.aliases.is_empty() {
        let (_, title) = split_heading_number(heading_text);
        let label = normalize_label(&title);
        let words = title_words(&title);
        let alias = section
            .aliases
            .iter()
            .any(|a| normalize_label(a) == label || (!words.is_empty() && title_words(a) == words));
        if alias {
            return (3, 1.0);
        }
    }
    let (number, title) = split_heading_number(heading_text);
    let numbers_agree = match (&number, &section.number) {
        (Some(a), Some(b)) => a == b,
        (Some(_), None) => false,
        _ => true,
    };
    let same_title = normalize_label(&title) == normalize_label(&section.title)
        || title_words(&title) == title_words(&section.title);
    if same_title && !title_words(&title).is_empty() {
        return (2, 1.0);
    }
    let heading_words = title_words(&title);
    let section_words = title_words(&section.title);
    if heading_words.is_empty() || section_words.is_empty() {
        return (0, 0.0);
    }
    let common = heading_words
        .iter()
        .filter(|h| section_words.iter().any(|s| words_match(h, s)))
        .count();
    if common > 0 && common * 2 >= heading_words.len() && numbers_agree {
        return (1, common as f64 / section_words.len() as f64);
    }
    if number.is_some() && numbers_agree {
        let similarity = strsim::normalized_levenshtein(
            &normalize_label(&title),
            &normalize_label(&section.title),
        );
        if similarity >= 0.6 {
            return (1, similarity * 0.5);
        }
    }
    (0, 0.0)
}

/// The template section a heading stands for, with the strength of the match (3 exact,
/// 2 same title, 1 similar), or `None`: no section, or an ambiguous weak match.
pub(crate) fn best_match(heading: &Heading, template: &Template) -> Option<(usize, u8)> {
    best_match_text(&heading.text, heading.level, template)
}

/// [`best_match`] for a heading given by its text and level. A heading at the level of a
/// [repeatable](crate::template::Section::repeatable) section that names no other section
/// stands for it (as an exact match: its title is the writer's to choose).
pub(crate) fn best_match_text(text: &str, level: u8, template: &Template) -> Option<(usize, u8)> {
    // An exact match is the best there is, and the first one in template order wins.
    let (exact, candidates) = template.index.lookup(text);
    let candidates = match exact {
        Some(s)
            if template
                .sections
                .get(s)
                .is_some_and(|section| score(text, section).0 == 3) =>
        {
            return Some((s, 3));
        }
        Some(_) => (0..template.sections.len()).collect(),
        None => candidates,
    };
    best_among(text, level, template, candidates)
}

/// The best of `candidates` (section indices) for a heading, by score; a tie between
/// weak matches is `None`, and no match at all falls back to a repeatable section at the
/// heading's level.
fn best_among(
    text: &str,
    level: u8,
    template: &Template,
    candidates: impl IntoIterator<Item = usize>,
) -> Option<(usize, u8)> {
    let mut best: Option<(usize, (u8, f64))> = None;
    let mut tied = false;
    for s in candidates {
        let Some(section) = template.sections.get(s) else {
            continue;
        };
        if section.repeatable {
            continue;
        }
        let (strength, weight) = score(text, section);
        // Headings nested deeper than the template's sections only count when exact.
        let too_deep = level > section.level && strength < 3;
        if strength == 0 || too_deep {
            continue;
        }
        match best {
            Some((_, b)) if (strength, weight) < b => {}
            Some((_, b)) if (strength, weight) == b => tied = true,
            _ => {
                best = Some((s, (strength, weight)));
                tied = false;
            }
        }
    }
    let Some((s, (strength, _))) = best else {
        return template
            .sections
            .iter()
            .position(|section| section.repeatable && section.level == level)
            .map(|s| (s, 3));
    };
    if tied && strength < 3 {
        return None; // ambiguous: better silent than wrong
    }
    Some((s, strength))
}

/// How many template sections the document has a heading for, leaving out repeatable
/// sections (any heading at their level would stand for them): what decides whether a
/// document is a write-up of the template, and which template fits it best.
pub(crate) fn recognised(matches: &[SectionMatch], template: &Template) -> usize {
    matches
        .iter()
        .zip(&template.sections)
        .filter(|(m, section)| m.status != SectionStatus::Missing && !section.repeatable)
        .count()
}

/// Matches template sections to document headings.
pub fn match_sections(model: &DocModel, template: &Template) -> Vec<SectionMatch> {
    let best: Vec<Option<(usize, u8)>> = model
        .headings
        .iter()
        .map(|h| best_match(h, template))
        .collect();
    match_sections_with(&best, template.sections.len())
}

/// Matches template sections to document headings given each heading's
/// [`best_match`], in document order.
pub(crate) fn match_sections_with(
    best: &[Option<(usize, u8)>],
    section_count: usize,
) -> Vec<SectionMatch> {
    let mut matches: Vec<SectionMatch> = (0..section_count)
        .map(|_| SectionMatch {
            status: SectionStatus::Missing,
            headings: Vec::new(),
        })
        .collect();
    for (h, best) in best.iter().enumerate() {
        let Some((s, strength)) = *best else {
            continue;
        };
        let Some(m) = matches.get_mut(s) else {
            continue;
        };
        let status = if strength == 3 {
            SectionStatus::Exact
        } else {
            SectionStatus::Renamed
        };
        if m.headings.is_empty() {
            m.status = status;
        }
        m.headings.push(h);
    }
    matches
}

/// Reports the structural findings of a write-up.
pub(super) fn check_structure(
    model: &DocModel,
    template: &Template,
    matches: &[SectionMatch],
    out: &mut Findings<'_>,
) {
    check_headings(model, template, matches, out);
    check_missing(model, template, matches, out);
    check_order(model, template, matches, out);
    check_empty(model, template, matches, out);
}

fn check_headings(
    model: &DocModel,
    template: &Template,
    matches: &[SectionMatch],
    out: &mut Findings<'_>,
) {
    for (section, m) in template.sections.iter().zip(matches) {
        if m.status != SectionStatus::Renamed {
            continue;
        }
        let Some(heading) = m.headings.first().and_then(|&h| model.headings.get(h)) else {
            continue;
        };
        let replacement = format!(
            "{} {}",
            "#".repeat(usize::from(heading.level)),
            section.heading
        );
        out.push(
            RuleCode::SectionHeading,
            heading.range.clone(),
            format!(
                "“{}” looks like the template section “{}”: use the template's heading so the section is recognised",
                heading.text, section.heading
            ),
            FindingData::SectionHeading(data::SectionHeading {
                replacement,
                section: section.heading.clone(),
            }),
        );
    }
}

/// The missing template sections in gaps: runs of consecutive template sections (guidance
/// sections aside) with no heading, each with the nearest earlier template section that is
/// present, after which they belong. Shared by the finding and its actions.
pub(crate) fn missing_gaps(
    template: &Template,
    matches: &[SectionMatch],
) -> Vec<(Option<usize>, Vec<usize>)> {
    let mut gaps: Vec<(Option<usize>, Vec<usize>)> = Vec::new();
    let mut previous: Option<usize> = None;
    let mut open = false;
    for (index, (section, m)) in template.sections.iter().zip(matches).enumerate() {
        if m.status != SectionStatus::Missing {
            previous = Some(index);
            open = false;
            continue;
        }
        if section.guidance_only {
            continue;
        }
        match gaps.last_mut() {
            Some((_, sections)) if open => sections.push(index),
            _ => {
                gaps.push((previous, vec![index]));
                open = true;
            }
        }
    }
    gaps
}

fn check_missing(
    model: &DocModel,
    template: &Template,
    matches: &[SectionMatch],
    out: &mut Findings<'_>,
) {
    for (previous, sections) in missing_gaps(template, matches) {
        // Where they would go: after the nearest earlier template section that is present.
        let anchor = previous.and_then(|i| {
            let h = *matches[i].headings.first()?;
            Some((i, model.headings.get(h)?))
        });
        let (range, after) = match anchor {
            Some((i, heading)) => (
                heading.range.clone(),
                Some(template.sections[i].heading.clone()),
            ),
            None => match model.headings.first() {
                Some(first) => (first.range.clone(), None),
                None => (0..0, None),
            },
        };
        let names: Vec<&str> = sections
            .iter()
            .map(|&s| template.sections[s].heading.as_str())
            .collect();
        let quoted: Vec<String> = names.iter().map(|n| format!("“{n}”")).collect();
        let message = match (sections.as_slice(), &after) {
            ([only], after) => {
                let section = &template.sections[*only];
                let place = match after {
                    Some(after) => format!("add it after “{after}”"),
                    None => "add it at the start of the write-up".to_string(),
                };
                let fields: Vec<&str> = section.fields.iter().map(|f| f.label.as_str()).collect();
                let asks = if fields.is_empty() {
                    String::new()
                } else {
                    format!(" (it asks for {})", fields.join(", "))
                };
                format!("Section “{}” is missing: {place}{asks}", section.heading)
            }
            (_, after) => {
                let place = match after {
                    Some(after) => format!("add them after “{after}”"),
                    None => "add them at the start of the write-up".to_string(),
                };
                format!(
                    "{} sections are missing: {}; {place}",
                    sections.len(),
                    quoted.join(", ")
                )
            }
        };
        out.push(
            RuleCode::MissingSection,
            range,
            message,
            FindingData::MissingSections(data::MissingSections::new(
                names.iter().map(|n| n.to_string()).collect(),
                after,
            )),
        );
    }
}

/// Indices (into `seq`) of one longest strictly increasing subsequence.
fn longest_increasing(seq: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new(); // indices into seq
    let mut prev: Vec<Option<usize>> = vec![None; seq.len()];
    for i in 0..seq.len() {
        let pos = tails.partition_point(|&t| seq[t] < seq[i]);
        if pos > 0 {
            prev[i] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut out = Vec::new();
    let mut cursor = tails.last().copied();
    while let Some(i) = cursor {
        out.push(i);
        cursor = prev[i];
    }
    out.reverse();
    out
}

fn check_order(
    model: &DocModel,
    template: &Template,
    matches: &[SectionMatch],
    out: &mut Findings<'_>,
) {
    // (heading index, template index) of every heading standing for a section, in
    // document order.
    let mut present: Vec<(usize, usize)> = matches
        .iter()
        .enumerate()
        .flat_map(|(s, m)| m.headings.iter().map(move |&h| (h, s)))
        .collect();
    present.sort_unstable();
    // A section met again starts a repeat of the template (a second STAR story, the next
    // month of a brag document): order is checked within each repeat.
    let mut start = 0;
    let mut seen = vec![false; template.sections.len()];
    while start < present.len() {
        let mut end = start;
        while end < present.len() && !seen.get(present[end].1).copied().unwrap_or(false) {
            if let Some(slot) = seen.get_mut(present[end].1) {
                *slot = true;
            }
            end += 1;
        }
        let end = end.max(start + 1);
        for p in &present[start..end] {
            if let Some(slot) = seen.get_mut(p.1) {
                *slot = false;
            }
        }
        check_order_of(model, template, &present[start..end], out);
        start = end;
    }
}

/// Reports the sections of one repeat (`present`: (heading, template index) in document
/// order, each section at most once) that are out of the template's order.
fn check_order_of(
    model: &DocModel,
    template: &Template,
    present: &[(usize, usize)],
    out: &mut Findings<'_>,
) {
    let order: Vec<usize> = present.iter().map(|&(_, s)| s).collect();
    let keep = longest_increasing(&order);
    let mut kept = vec![false; present.len()];
    for &k in &keep {
        kept[k] = true;
    }
    // The template indices kept in order, increasing.
    let kept_sections: Vec<usize> = keep.iter().map(|&i| order[i]).collect();
    for (k, &(h, s)) in present.iter().enumerate() {
        if kept[k] {
            continue;
        }
        let Some(heading) = model.headings.get(h) else {
            continue;
        };
        let section = &template.sections[s];
        // The template section it should follow: the nearest earlier one kept in order.
        let below = kept_sections.partition_point(|&t| t < s);
        let after = below
            .checked_sub(1)
            .and_then(|i| kept_sections.get(i))
            .map(|&t| template.sections[t].heading.clone());
        let place = match &after {
            Some(a) => format!("the template puts it after “{a}”"),
            None => "the template puts it first".to_string(),
        };
        out.push(
            RuleCode::SectionOrder,
            heading.range.clone(),
            format!("Section “{}” is out of order: {place}", section.heading),
            FindingData::SectionOrder(data::SectionOrder {
                after,
                section: section.heading.clone(),
            }),
        );
    }
}

fn check_empty(
    model: &DocModel,
    template: &Template,
    matches: &[SectionMatch],
    out: &mut Findings<'_>,
) {
    // The template section each heading stands for (a heading stands for at most one).
    let mut section_of = vec![None; model.headings.len()];
    for (s, m) in template.sections.iter().zip(matches) {
        for &h in &m.headings {
            if let Some(slot) = section_of.get_mut(h) {
                *slot = Some(s);
            }
        }
    }
    let guidance_heading = |h: usize| {
        section_of
            .get(h)
            .copied()
            .flatten()
            .is_some_and(|s| s.guidance_only)
    };
    let mut flagged_until = 0;
    for (h, heading) in model.headings.iter().enumerate() {
        if heading.has_content || heading.range.start < flagged_until || guidance_heading(h) {
            continue;
        }
        flagged_until = heading.section_end;
        let section = section_of.get(h).copied().flatten();
        let asks = match section {
            Some(s) if !s.fields.is_empty() => format!(
                ": fill in {}",
                s.fields
                    .iter()
                    .map(|f| f.label.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => ": write something under it or remove the heading".to_string(),
        };
        out.push(
            RuleCode::EmptySection,
            heading.range.clone(),
            format!("Section “{}” is empty{asks}", heading.text),
            FindingData::EmptySection(data::EmptySection {
                heading: heading.text.clone(),
                section: section.map(|s| s.heading.clone()),
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `best_match_text` as it was before the heading index: every section scored.
    fn best_match_scanning(text: &str, level: u8, template: &Template) -> Option<(usize, u8)> {
        best_among(text, level, template, 0..template.sections.len())
    }

    #[test]
    fn the_heading_index_finds_what_scoring_every_section_finds() {
        for (name, _) in crate::template_choice::BUILTIN_TEMPLATES {
            let Some(template) = crate::template_choice::builtin_template(name) else {
                continue;
            };
            let mut texts: Vec<String> = Vec::new();
            for section in &template.sections {
                texts.push(section.heading.clone());
                texts.push(section.title.clone());
                texts.push(section.title.to_uppercase());
                texts.push(format!("9. {}", section.title));
                texts.extend(section.aliases.iter().cloned());
                // One letter dropped from each long word, one word dropped.
                let words: Vec<&str> = section.title.split(' ').collect();
                let typo: Vec<String> = words
                    .iter()
                    .map(|w| {
                        if w.len() > 5 {
                            w.chars().skip(1).collect()
                        } else {
                            w.to_string()
                        }
                    })
                    .collect();
                texts.push(typo.join(" "));
                texts.push(words.iter().skip(1).copied().collect::<Vec<_>>().join(" "));
                if let Some(n) = &section.number {
                    texts.push(format!("{n}. Something else entirely"));
                }
            }
            texts.extend(["Results", "Overview", "Impact", "Notes", ""].map(String::from));
            for text in &texts {
                for level in 1..=4 {
                    assert_eq!(
                        best_match_text(text, level, template),
                        best_match_scanning(text, level, template),
                        "{name}: “{text}” at level {level}"
                    );
                }
            }
        }
    }

    #[test]
    fn longest_increasing_keeps_the_majority_order() {
        assert_eq!(longest_increasing(&[0, 1, 5, 2, 3, 4]), [0, 1, 3, 4, 5]);
        assert_eq!(longest_increasing(&[]), Vec::<usize>::new());
        assert_eq!(longest_increasing(&[3, 2, 1]).len(), 1);
    }

    #[test]
    fn heading_scores() {
        let t = Template::builtin();
        let impact = &t.sections[4];
        assert_eq!(score("5. Impact (Ops Style)", impact).0, 3);
        assert_eq!(score("5 Impact (Ops Style)", impact).0, 3);
        assert_eq!(score("Impact", impact).0, 2);
        assert_eq!(score("6. Impact", impact).0, 2);
        assert_eq!(score("Results", impact).0, 0);
        assert_eq!(score("Overview", &t.sections[0]).0, 1);
        assert_eq!(score("7. Chalenges", &t.sections[6]).0, 1);
        assert_eq!(score("What I learned", &t.sections[2]).0, 0);
        assert_eq!(score("Decisions", &t.sections[5]).0, 1);
    }
}
