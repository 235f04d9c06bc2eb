//! Follow-up questions an interviewer is likely to ask, drawn from the write-up itself:
//!
//! - **choice**: the tools it names (from the tool table, `src/rules/tools.toml`) give "Why
//!   did you choose X over Y?"; a migration it states ("from Jenkins to GitHub Actions")
//!   gives "Why move … instead of fixing …?"; a comparison it states ("GitHub Actions over
//!   GitLab CI") gives "what would have made GitLab CI the better choice?".
//! - **scale**: a stated size ("14 services") gives "What if it grew from 14 services to
//!   1,400?".
//! - **failure**: automation it describes ("a script that opens the PR in each repo") and
//!   the chosen tools' categories give "What happens when … fails?".
//! - **reliability**: "How do you know … is reliable?" for the main chosen tool.
//!
//! Only the writer's prose counts: never code, the template's own text, a prompt left in a
//! field, or a placeholder. Each question is homed on the section where the template asks
//! for decisions (choice) or lists the interviewer's questions (the others), whichever the
//! write-up has; see [`Roles`].

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use super::roles::{Roles, asks_for_tools};
use super::{Analysis, SectionOwner, SectionStatus, is_template_text, prompt_prefix};
use crate::rules::tools::{Category, Mention, Scale, ToolTable};
use crate::template::Template;

/// At most this many questions of each kind.
const MAX_CHOICE: usize = 4;
const MAX_SCALE: usize = 2;
const MAX_FAILURE: usize = 2;
const MAX_RELIABILITY: usize = 1;
/// Tools of one sentence considered for "X over Y" and "from X to Y" pairs.
const MAX_PAIRED: usize = 12;

/// What a question probes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Choice,
    Scale,
    Failure,
    Reliability,
}

/// One follow-up question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// What the question probes.
    pub kind: Kind,
    /// The question, as asked.
    pub text: String,
    /// The words of the write-up the question comes from (document bytes).
    pub source: Range<usize>,
    /// The template section whose heading shows the question (lens, hover), if the
    /// write-up has a heading for one.
    pub home: Option<usize>,
}

/// Words right before a tool's name that make it the one left behind or not chosen.
const LEFT_BEHIND: &[&str] = &[
    "from",
    "off",
    "replaced",
    "replacing",
    "replace",
    "retired",
    "retiring",
    "legacy",
    "old",
    "deprecated",
    "decommissioned",
];
/// Words right before a tool's name that make it the alternative not chosen.
const NOT_CHOSEN: &[&str] = &["over", "than", "instead of", "rather than", "vs", "versus"];

/// One sentence of the writer's prose.
struct Sentence {
    /// Document byte offset of the sentence's start.
    start: usize,
    text: String,
    /// In the decisions section or in a field that asks for tools.
    tool_context: bool,
}

/// How a tool is named in the write-up.
#[derive(Default)]
struct ToolUse {
    mentions: usize,
    first: usize,
    chosen: bool,
    tool_context: bool,
    /// Tools it replaced (table indices), with where the write-up says so.
    replaced: Vec<(usize, Range<usize>)>,
    /// Tools it was chosen over, with where the write-up says so.
    over: Vec<(usize, Range<usize>)>,
    /// Where it is first named as chosen.
    source: Option<Range<usize>>,
}

/// The follow-up questions for a write-up, in the order: choice, scale, failure,
/// reliability. Empty for a document that is not a write-up.
pub fn questions(text: &str, analysis: &Analysis, template: &Template) -> Vec<Question> {
    if !analysis.is_writeup {
        return Vec::new();
    }
    let table = ToolTable::builtin();
    let roles = Roles::of(template);
    if roles.decisions.is_none() && roles.framing.is_none() {
        // A template that neither asks for decisions nor prepares for questions (a
        // postmortem, say) is not an interview write-up: nothing to ask.
        return Vec::new();
    }
    let sentences = sentences(text, analysis, template, &roles);
    let present = |i: Option<usize>| {
        i.filter(|&i| {
            analysis
                .sections
                .get(i)
                .is_some_and(|m| m.status != SectionStatus::Missing)
        })
    };
    let first_present = analysis
        .sections
        .iter()
        .enumerate()
        .filter(|(_, m)| m.status != SectionStatus::Missing)
        .filter_map(|(i, m)| Some((i, *m.headings.first()?)))
        .min_by_key(|(_, h)| *h)
        .map(|(i, _)| i);
    let decisions = present(roles.decisions);
    let framing = present(roles.framing);
    let choice_home = decisions.or(framing).or(first_present);
    let other_home = framing.or(decisions).or(first_present);

    let mut out = Vec::new();
    let uses = tool_uses(table, &sentences);
    let picked = pick_tools(table, &uses);
    out.extend(choice_questions(table, &uses, &picked, choice_home));
    out.extend(scale_questions(table, &sentences, other_home));
    out.extend(failure_questions(
        table, &sentences, &uses, &picked, other_home,
    ));
    out.extend(reliability_questions(table, &uses, &picked, other_home));
    out
}

/// The writer's sentences: prose blocks that are not headings, the template's text or a
/// prompt left in a field, split at sentence ends.
fn sentences(text: &str, analysis: &Analysis, template: &Template, roles: &Roles) -> Vec<Sentence> {
    let model = &analysis.model;
    let owner = SectionOwner::new(model, &analysis.sections, template);
    let mut out = Vec::new();
    for block in &model.blocks {
        if block.is_heading {
            continue;
        }
        let raw = text.get(block.range.clone()).unwrap_or("");
        if is_template_text(raw, template) {
            continue;
        }
        let section = owner.section_at(block.range.start);
        let index = section.and_then(|s| template.sections.iter().position(|t| std::ptr::eq(t, s)));
        let field = block.field.and_then(|f| model.fields.get(f));
        let template_field = field.and_then(|f| section.and_then(|s| s.field(&f.label)));
        if let (Some(f), Some(t)) = (field, template_field) {
            let value = text.get(f.value_range.clone()).unwrap_or("");
            if prompt_prefix(value, &t.prompt).is_some() {
                continue;
            }
        }
        let tool_context = (index.is_some() && index == roles.decisions)
            || template_field.is_some_and(asks_for_tools);
        let prose = &block.prose;
        let mut start = 0;
        for (i, c) in prose.char_indices() {
            let end_here = matches!(c, '.' | '!' | '?' | ';' | '\n')
                && prose[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace);
            if end_here {
                push_sentence(
                    &mut out,
                    prose,
                    start..i + c.len_utf8(),
                    block.range.start,
                    tool_context,
                );
                start = i + c.len_utf8();
            }
        }
        push_sentence(
            &mut out,
            prose,
            start..prose.len(),
            block.range.start,
            tool_context,
        );
    }
    out
}

fn push_sentence(
    out: &mut Vec<Sentence>,
    prose: &str,
    range: Range<usize>,
    base: usize,
    tool_context: bool,
) {
    let Some(slice) = prose.get(range.clone()) else {
        return;
    };
    if slice.trim().is_empty() {
        return;
    }
    out.push(Sentence {
        start: base + range.start,
        text: slice.to_string(),
        tool_context,
    });
}

/// The last few words before `at` in `text`, lowercased, punctuation dropped.
fn words_before(text: &str, at: usize, n: usize) -> Vec<String> {
    let before = text.get(..at).unwrap_or("");
    let mut words: Vec<String> = before
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let keep = words.len().saturating_sub(n);
    words.drain(..keep);
    words
}

/// Which marker list, if any, the words before a mention hold.
fn marker(words: &[String], list: &[&str]) -> bool {
    let joined = words.join(" ");
    list.iter().any(|m| {
        if m.contains(' ') {
            joined.contains(m)
        } else {
            words.iter().any(|w| w == m)
        }
    })
}

fn tool_uses(table: &ToolTable, sentences: &[Sentence]) -> HashMap<usize, ToolUse> {
    let mut uses: HashMap<usize, ToolUse> = HashMap::new();
    for sentence in sentences {
        let mentions = table.mentions(&sentence.text);
        let mut roles: Vec<(&Mention, bool, bool)> = Vec::new();
        for (i, m) in mentions.iter().enumerate() {
            // Only the words since the previous tool's name count (mentions are in order
            // and do not overlap).
            let previous_end = i
                .checked_sub(1)
                .and_then(|p| mentions.get(p))
                .map_or(0, |p| p.range.end);
            let gap = sentence.text.get(previous_end..m.range.start).unwrap_or("");
            let since = words_before(gap, gap.len(), 3);
            let left = marker(&since, LEFT_BEHIND);
            let not_chosen = marker(&since, NOT_CHOSEN);
            roles.push((m, left, not_chosen));
        }
        for &(m, left, not_chosen) in &roles {
            let entry = uses.entry(m.tool).or_insert_with(|| ToolUse {
                first: sentence.start + m.range.start,
                ..ToolUse::default()
            });
            entry.mentions += 1;
            entry.tool_context |= sentence.tool_context;
            if !(left || not_chosen) {
                entry.chosen = true;
                entry
                    .source
                    .get_or_insert(sentence.start + m.range.start..sentence.start + m.range.end);
            }
        }
        // Pairs within the sentence: the tool chosen and the one it replaced or beat. A
        // sentence naming dozens of tools is a list, not a comparison: only the first few
        // pair up.
        let category = |t: usize| table.tools.get(t).map(|t| t.category.as_str());
        let roles = &roles[..roles.len().min(MAX_PAIRED)];
        for &(rejected, left, not_chosen) in roles {
            if !(left || not_chosen) {
                continue;
            }
            for &(chosen, l2, n2) in roles {
                if l2 || n2 || chosen.tool == rejected.tool {
                    continue;
                }
                if category(chosen.tool) != category(rejected.tool) {
                    continue;
                }
                if let Some(entry) = uses.get_mut(&chosen.tool) {
                    let list = if left {
                        &mut entry.replaced
                    } else {
                        &mut entry.over
                    };
                    let from = chosen.range.start.min(rejected.range.start);
                    let to = chosen.range.end.max(rejected.range.end);
                    if !list.iter().any(|(t, _)| *t == rejected.tool) {
                        list.push((rejected.tool, sentence.start + from..sentence.start + to));
                    }
                }
            }
        }
    }
    uses
}

/// The tools to ask about: chosen ones that matter (named in a pair, where the template
/// asks for tools or decisions, or repeatedly), one per category, best first.
fn pick_tools(table: &ToolTable, uses: &HashMap<usize, ToolUse>) -> Vec<usize> {
    let score = |u: &ToolUse| {
        let paired = !(u.replaced.is_empty() && u.over.is_empty());
        4 * usize::from(paired) + 2 * usize::from(u.tool_context) + (u.mentions - 1).min(2)
    };
    let mut candidates: Vec<(usize, usize, usize)> = uses
        .iter()
        .filter(|(_, u)| u.chosen && score(u) >= 2)
        .map(|(&t, u)| (t, score(u), u.first))
        .collect();
    candidates.sort_by_key(|&(_, s, first)| (std::cmp::Reverse(s), first));
    let mut seen_categories: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (tool, _, _) in candidates {
        let Some(category) = table.tools.get(tool).map(|t| t.category.as_str()) else {
            continue;
        };
        if seen_categories.contains(&category) {
            continue;
        }
        seen_categories.push(category);
        out.push(tool);
    }
    out
}

/// Joins alternatives for a question: "A or B", "A, B or C".
fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn choice_questions(
    table: &ToolTable,
    uses: &HashMap<usize, ToolUse>,
    picked: &[usize],
    home: Option<usize>,
) -> Vec<Question> {
    let name = |t: usize| table.tools.get(t).map_or("", |t| t.name.as_str());
    let mut out = Vec::new();
    for &tool in picked {
        let Some(u) = uses.get(&tool) else {
            continue;
        };
        let source = u.source.clone().unwrap_or(u.first..u.first);
        let mut ask = |text: String, source: &Range<usize>| {
            out.push(Question {
                kind: Kind::Choice,
                text,
                source: source.clone(),
                home,
            });
        };
        for (old, said) in &u.replaced {
            let old = *old;
            ask(
                format!(
                    "Why move from {} to {} instead of fixing the {} setup you had?",
                    name(old),
                    name(tool),
                    name(old)
                ),
                said,
            );
        }
        for (other, said) in &u.over {
            let other = *other;
            ask(
                format!(
                    "You chose {} over {}: what would have made {} the better choice?",
                    name(tool),
                    name(other),
                    name(other)
                ),
                said,
            );
        }
        if u.replaced.is_empty() && u.over.is_empty() {
            let alternatives: Vec<&str> = table
                .tools
                .get(tool)
                .map(|t| {
                    t.alternatives
                        .iter()
                        .map(String::as_str)
                        .filter(|a| {
                            // An alternative the write-up also chose is not an alternative.
                            table
                                .tool_named(a)
                                .is_none_or(|i| !uses.get(&i).is_some_and(|u| u.chosen))
                        })
                        .take(2)
                        .collect()
                })
                .unwrap_or_default();
            if !alternatives.is_empty() {
                ask(
                    format!(
                        "Why did you choose {} over {}?",
                        name(tool),
                        or_list(&alternatives)
                    ),
                    &source,
                );
            }
        }
    }
    out.truncate(MAX_CHOICE);
    out
}

/// Writes a number with thousands separators: "1,400" for 1400.
fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A scale noun's family: "microservices", "service" → "service".
fn noun_family(noun: &str) -> String {
    let lower = noun.to_lowercase();
    let lower = lower.strip_prefix("micro").unwrap_or(&lower).to_string();
    lower.strip_suffix('s').unwrap_or(&lower).to_string()
}

fn scale_questions(
    table: &ToolTable,
    sentences: &[Sentence],
    home: Option<usize>,
) -> Vec<Question> {
    let mut found = Vec::new();
    for sentence in sentences {
        for scale in table.scales(&sentence.text) {
            if scale.value == 0 {
                continue;
            }
            let range = sentence.start + scale.range.start..sentence.start + scale.range.end;
            found.push((scale, range));
        }
    }
    // One size per kind of thing (its first mention), the most telling kinds first.
    let mut firsts: Vec<(usize, String, Scale, Range<usize>)> = Vec::new();
    for (scale, range) in found {
        let family = noun_family(&scale.noun);
        match firsts.iter_mut().find(|(_, f, _, _)| *f == family) {
            Some(entry) => entry.0 = entry.0.min(scale.rank),
            None => firsts.push((scale.rank, family, scale, range)),
        }
    }
    firsts.sort_by_key(|(rank, _, _, range)| (*rank, range.start));
    let mut out = Vec::new();
    for (_, _, scale, range) in firsts {
        let about = if scale.approximate { "about " } else { "" };
        out.push(Question {
            kind: Kind::Scale,
            text: format!(
                "What if it grew from {about}{} {} to {}?",
                scale.number,
                scale.noun,
                thousands(scale.value.saturating_mul(100))
            ),
            source: range,
            home,
        });
        if out.len() == MAX_SCALE {
            break;
        }
    }
    out
}

fn regex(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

/// Words that end an automated thing's name ("automated the rollout *and* …").
const STOP_WORDS: &[&str] = &[
    "and", "so", "to", "with", "by", "for", "using", "which", "that", "from", "in", "on", "into",
    "across", "via", "when", "but", "because", "as", "at",
];

/// Automation the writer describes, as the subject of "What happens when … fails?":
/// "the script that opens the migration PR in each repo", "the automated deployment
/// pipeline".
fn automation(sentence: &str) -> Option<(String, Range<usize>)> {
    static THAT: OnceLock<Option<Regex>> = OnceLock::new();
    static AUTOMATED: OnceLock<Option<Regex>> = OnceLock::new();
    if let Some(caps) = regex(
        &THAT,
        r"(?i)\b(?:a|an|the|our|my|some)\s+(?:[\w-]+\s+){0,2}?(?P<noun>script|cron ?job|bot|lambda|job|workflow|pipeline|operator|controller)s?\s+that\s+(?P<what>[^.;,:!?()]{3,90})",
    )
    .and_then(|re| re.captures(sentence))
    {
        let noun = caps.name("noun")?.as_str().to_lowercase();
        let what: Vec<&str> = caps
            .name("what")?
            .as_str()
            .split_whitespace()
            .take_while(|w| !matches!(w.to_lowercase().as_str(), "so" | "which" | "but"))
            .collect();
        let range = caps.get(0)?.range();
        // A long clause may run on into the main verb ("a job that compares X and Y ran
        // until …"): only a short one is trusted to be the job's description.
        if !what.is_empty() && what.len() <= 8 {
            return Some((format!("the {noun} that {}", what.join(" ")), range));
        }
    }
    let caps = regex(
        &AUTOMATED,
        r"(?i)\bautomat(?:ed|es|ing)\s+(?:(?:the|our|my|their|all|all of our|all the)\s+)?(?P<what>[\w/-]+(?:\s+[\w/-]+){0,4})",
    )
    .and_then(|re| re.captures(sentence))?;
    let words: Vec<&str> = caps
        .name("what")?
        .as_str()
        .split_whitespace()
        .take_while(|w| !STOP_WORDS.contains(&w.to_lowercase().as_str()))
        .collect();
    if words.is_empty() {
        return None;
    }
    Some((
        format!("the automated {}", words.join(" ")),
        caps.get(0)?.range(),
    ))
}

fn failure_questions(
    table: &ToolTable,
    sentences: &[Sentence],
    uses: &HashMap<usize, ToolUse>,
    picked: &[usize],
    home: Option<usize>,
) -> Vec<Question> {
    let mut out: Vec<Question> = Vec::new();
    for sentence in sentences {
        if let Some((what, range)) = automation(&sentence.text) {
            // "the automated tests fail", "the script that … fails".
            let plural = !what.contains(" that ") && what.ends_with('s') && !what.ends_with("ss");
            let verb = if plural { "fail" } else { "fails" };
            let text = format!("What happens when {what} {verb}?");
            if !out.iter().any(|q| q.text == text) {
                out.push(Question {
                    kind: Kind::Failure,
                    text,
                    source: sentence.start + range.start..sentence.start + range.end,
                    home,
                });
            }
        }
    }
    out.extend(tool_questions(
        table,
        uses,
        picked,
        home,
        Kind::Failure,
        |c| &c.failure,
    ));
    out.truncate(MAX_FAILURE);
    out
}

fn reliability_questions(
    table: &ToolTable,
    uses: &HashMap<usize, ToolUse>,
    picked: &[usize],
    home: Option<usize>,
) -> Vec<Question> {
    tool_questions(table, uses, picked, home, Kind::Reliability, |c| {
        &c.reliability
    })
    .take(MAX_RELIABILITY)
    .collect()
}

/// For each picked tool, in order, the question its category asks of that kind (`text` of
/// the category, with the tool's name in place of `{tool}`), pointing at where the
/// write-up names the tool; tools whose category asks none are skipped.
fn tool_questions<'a>(
    table: &'a ToolTable,
    uses: &'a HashMap<usize, ToolUse>,
    picked: &'a [usize],
    home: Option<usize>,
    kind: Kind,
    text: impl Fn(&Category) -> &String + 'a,
) -> impl Iterator<Item = Question> + 'a {
    picked.iter().filter_map(move |&tool| {
        let t = table.tools.get(tool)?;
        let asked = text(table.category(&t.category)?);
        if asked.is_empty() {
            return None;
        }
        let source = uses
            .get(&tool)
            .and_then(|u| u.source.clone())
            .unwrap_or(0..0);
        Some(Question {
            kind,
            text: asked.replace("{tool}", &t.name),
            source,
            home,
        })
    })
}

/// The questions homed on template section `section`, for its heading's lens and hover.
pub fn for_section(questions: &[Question], section: usize) -> Vec<&Question> {
    questions
        .iter()
        .filter(|q| q.home == Some(section))
        .collect()
}

/// The questions by the document heading that shows them: (heading range, questions),
/// in document order.
pub fn placed<'q>(
    questions: &'q [Question],
    analysis: &Analysis,
) -> Vec<(Range<usize>, Vec<&'q Question>)> {
    let mut out: Vec<(Range<usize>, Vec<&'q Question>)> = Vec::new();
    for question in questions {
        let Some(heading) = question
            .home
            .and_then(|s| analysis.sections.get(s))
            .and_then(|m| m.headings.first())
            .and_then(|&h| analysis.model.headings.get(h))
        else {
            continue;
        };
        match out.iter_mut().find(|(r, _)| *r == heading.range) {
            Some((_, list)) => list.push(question),
            None => out.push((heading.range.clone(), vec![question])),
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

/// The note a writer keeps for a follow-up question: a `> [!question]` callout with a
/// placeholder for the answer, inserted at the end of the section whose heading is
/// `heading` (the heading the question is shown on). `None` when the heading is gone or
/// the section holds that note already.
pub fn note_edit(
    text: &str,
    analysis: &Analysis,
    heading: &Range<usize>,
    question: &str,
) -> Option<super::edit::Edit> {
    let heading = analysis
        .model
        .headings
        .iter()
        .find(|h| h.range == *heading)?;
    let end = heading.section_end.min(text.len());
    let callout = format!("> [!question] {question}");
    if text.get(heading.range.end..end)?.contains(&callout) {
        return None;
    }
    let block = format!("{callout}\n> [answer]\n");
    Some(super::actions::insertion(text, end, &block))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_lists_read_well() {
        assert_eq!(thousands(1400), "1,400");
        assert_eq!(thousands(100), "100");
        assert_eq!(thousands(1_200_000), "1,200,000");
        assert_eq!(or_list(&["A", "B"]), "A or B");
        assert_eq!(or_list(&["A", "B", "C"]), "A, B or C");
        assert_eq!(noun_family("microservices"), "service");
    }

    #[test]
    fn automation_is_named_from_the_sentence() {
        let (what, _) =
            automation("I wrote a small script that opens the migration PR in each repo.")
                .expect("script");
        assert_eq!(what, "the script that opens the migration PR in each repo");
        let (what, _) = automation("I automated our deployment pipeline, removing manual steps")
            .expect("automated");
        assert_eq!(what, "the automated deployment pipeline");
        assert!(automation("We talked about automation.").is_none());
    }
}
