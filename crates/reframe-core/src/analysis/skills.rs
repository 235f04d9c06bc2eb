//! Which of the template's skills the write-up shows, and the sentence that shows each.
//!
//! The skills are the fields of the template's skills section ([`Roles::skills`]):
//! "Automation mindset: Identifying toil and eliminating it". A skill is shown by a
//! sentence of the writer's (outside the skills section) that names the skill's key word
//! ("automat…" for "Automation mindset"), or two of the words describing it — counting
//! the label of the field the sentence answers, so a filled "Automation" field shows the
//! automation mindset. A negated mention ("was never documented") shows nothing.

use std::ops::Range;

use super::roles::Roles;
use super::{Analysis, SectionOwner, is_template_text, prompt_prefix};
use crate::template::Template;

/// Words of a skill's label or description that say nothing about which skill it is.
const GENERIC: &[&str] = &[
    "making",
    "improving",
    "understanding",
    "identifying",
    "right",
    "work",
    "pieces",
    "together",
    "more",
    "etc",
    "least",
    "management",
    "mindset",
    "thinking",
    "awareness",
    "engineering",
    "with",
    "that",
    "this",
    "from",
    "your",
    "what",
    "how",
    "into",
    "them",
    "they",
    "their",
    "job",
    "tech",
    "fit",
    "and",
    "the",
    "for",
];

/// Words that negate the word after them.
const NEGATIONS: &[&str] = &["never", "not", "no", "without", "n't", "nobody", "none"];

/// Letters of a word compared (a prefix: "autom" matches "automated", "automation").
const STEM: usize = 5;

/// A template skill and the sentence of the write-up that shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Support {
    /// The skill's label ("Automation mindset").
    pub skill: String,
    /// What the template says it is ("Identifying toil and eliminating it").
    pub description: String,
    /// The supporting sentence as written (a field's label left out), whitespace collapsed.
    pub sentence: String,
    /// Where it is (document bytes).
    pub source: Range<usize>,
    /// The field the sentence answers, if any, else the section heading.
    pub place: String,
}

fn stem(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    if lower.chars().count() < 4 || GENERIC.contains(&lower.as_str()) {
        return None;
    }
    Some(lower.chars().take(STEM).collect())
}

fn stems(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(stem)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Words of `text`, lowercased, with whether the word before negates them.
fn words(text: &str) -> Vec<(String, bool)> {
    let raw: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    raw.iter()
        .enumerate()
        .map(|(i, w)| {
            let negated = raw[i.saturating_sub(3)..i]
                .iter()
                .any(|p| NEGATIONS.contains(&p.as_str()) || p.ends_with("n't"));
            (w.clone(), negated)
        })
        .collect()
}

/// One sentence of the writer's, read once for every skill.
struct Said {
    /// As written (a field's label left out), whitespace collapsed.
    sentence: String,
    words: Vec<(String, bool)>,
    /// The label of the field it answers (empty if none): its words and stems.
    label_words: Vec<(String, bool)>,
    label_stems: Vec<String>,
    place: String,
    range: Range<usize>,
}

impl Said {
    fn new(sentence: String, label: &str, place: String, range: Range<usize>) -> Said {
        Said {
            words: words(&sentence),
            label_words: words(label),
            label_stems: stems(label),
            sentence,
            place,
            range,
        }
    }
}

/// How well a sentence shows a skill: two points per key word of the skill's label, one
/// per word of its description; 0 when it does not. The label of the field the sentence
/// answers counts too when the field is about the skill (every significant word of it is
/// one of the skill's: "Automation" for "Automation mindset", not "Tools & Technologies"
/// for "Tool evaluation").
fn score(said: &Said, key: &[String], described: &[String]) -> usize {
    let mut found: Vec<(&String, bool)> = Vec::new();
    let all: Vec<&String> = key.iter().chain(described).collect();
    let about_the_skill = !said.label_stems.is_empty()
        && said
            .label_stems
            .iter()
            .all(|l| all.iter().any(|s| l.starts_with(s.as_str())));
    let label_words: &[(String, bool)] = if about_the_skill {
        &said.label_words
    } else {
        &[]
    };
    for (word, negated) in said.words.iter().chain(label_words) {
        if *negated {
            continue;
        }
        for s in &all {
            if word.starts_with(s.as_str()) && !found.iter().any(|(f, _)| f == s) {
                found.push((s, key.contains(s)));
            }
        }
    }
    let points: usize = found.iter().map(|(_, k)| if *k { 2 } else { 1 }).sum();
    if points >= 2 { points } else { 0 }
}

/// Each skill of the template's skills section that the write-up shows, with the best
/// sentence showing it, in template order. Empty when the template has no skills section
/// or the document is not a write-up.
pub fn supported(text: &str, analysis: &Analysis, template: &Template) -> Vec<Support> {
    if !analysis.is_writeup {
        return Vec::new();
    }
    let Some(skills_index) = Roles::of(template).skills else {
        return Vec::new();
    };
    let Some(skills_section) = template.sections.get(skills_index) else {
        return Vec::new();
    };
    let model = &analysis.model;
    let owner = SectionOwner::new(model, &analysis.sections, template);
    let mut sentences: Vec<Said> = Vec::new();
    for block in model.blocks.iter().filter(|b| !b.is_heading) {
        let section = owner.section_at(block.range.start);
        if section.is_some_and(|s| std::ptr::eq(s, skills_section)) {
            continue;
        }
        let raw = text.get(block.range.clone()).unwrap_or("");
        if is_template_text(raw, template) {
            continue;
        }
        let field = block.field.and_then(|f| model.fields.get(f));
        let mut start = block.range.start;
        if let Some(f) = field {
            let value = text.get(f.value_range.clone()).unwrap_or("");
            let prompt = section
                .and_then(|s| s.field(&f.label))
                .map_or("", |t| t.prompt.as_str());
            if prompt_prefix(value, prompt).is_some() {
                continue;
            }
            start = f.value_range.start.max(start);
        }
        let label = field.map_or(String::new(), |f| f.label.clone());
        let place = match (field, section) {
            (Some(f), _) => f.label.clone(),
            (None, Some(s)) => s.heading.clone(),
            (None, None) => String::new(),
        };
        let offset = start - block.range.start;
        let prose = block.prose.get(offset..).unwrap_or("");
        let mut from = 0;
        for (i, c) in prose.char_indices() {
            let end = i + c.len_utf8();
            let last = end == prose.len();
            let stop = matches!(c, '.' | '!' | '?' | '\n')
                && prose[end..].chars().next().is_none_or(char::is_whitespace);
            if stop || last {
                let range = start + from..start + end;
                if prose[from..end].trim().len() > 3 {
                    let written = text.get(range.clone()).unwrap_or("");
                    let sentence = written.split_whitespace().collect::<Vec<_>>().join(" ");
                    sentences.push(Said::new(sentence, &label, place.clone(), range));
                }
                from = end;
            }
        }
    }
    let mut out = Vec::new();
    for skill in &skills_section.fields {
        let key = stems(&skill.label);
        let described: Vec<String> = stems(&skill.prompt)
            .into_iter()
            .filter(|s| !key.contains(s))
            .collect();
        let best = sentences
            .iter()
            .map(|said| (score(said, &key, &described), said))
            .filter(|(points, _)| *points > 0)
            .max_by_key(|(points, said)| (*points, std::cmp::Reverse(said.range.start)));
        if let Some((_, said)) = best {
            out.push(Support {
                skill: skill.label.clone(),
                description: skill.prompt.clone(),
                sentence: said.sentence.clone(),
                source: said.range.clone(),
                place: said.place.clone(),
            });
        }
    }
    out
}

/// The skills the write-up shows, when `offset` is inside the template's skills section
/// (where completion offers only those); None elsewhere.
pub fn shown_at(
    text: &str,
    analysis: &Analysis,
    template: &Template,
    offset: usize,
) -> Option<Vec<Support>> {
    let skills_index = Roles::of(template).skills?;
    let in_skills = analysis
        .sections
        .get(skills_index)
        .and_then(|m| m.headings.first())
        .and_then(|&h| analysis.model.headings.get(h))
        .is_some_and(|h| h.range.end <= offset && offset <= h.section_end);
    in_skills.then(|| supported(text, analysis, template))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_skip_generic_and_short_words() {
        assert_eq!(stems("Automation mindset"), ["autom"]);
        assert_eq!(
            stems("Identifying toil and eliminating it"),
            ["elimi", "toil"]
        );
    }

    #[test]
    fn negated_words_show_nothing() {
        let said = |sentence: &str, label: &str| {
            Said::new(sentence.to_string(), label, String::new(), 0..0)
        };
        let key = stems("Documentation");
        assert_eq!(
            score(&said("The old config was never documented.", ""), &key, &[]),
            0
        );
        assert!(score(&said("I documented the runbook.", ""), &key, &[]) > 0);
        // The label of the field answered counts when the field is about the skill.
        let key = stems("Automation mindset");
        let script = "I wrote a script that opens the PRs.";
        assert!(score(&said(script, "Automation"), &key, &[]) > 0);
        let key = stems("Tool evaluation");
        assert_eq!(
            score(&said("Helm, Terraform.", "Tools & Technologies"), &key, &[]),
            0
        );
    }
}
