//! What part each template section plays, read from the template's structure rather than
//! from its titles: which sections collect impact, which ask for decisions, which hold
//! the questions an interviewer asks, which list skills, and which fields ask for tools.
//!
//! A template that has none of these (a postmortem, say) gets no roles, and the features
//! built on them (impact evidence, follow-up questions, skills completion) simply offer
//! less.

use std::sync::OnceLock;

use regex::Regex;

use crate::template::{Field, Section, Template};

/// Words of a section title that say the section tells what was, not what the writer
/// did: the situation, the problem, the challenges ("2. The Problem/Need", "Challenges",
/// "Situation", "Context"). Grammar of section titles, not the names of one template.
const SITUATION_WORDS: &[&str] = &[
    "problem",
    "problems",
    "need",
    "needs",
    "challenge",
    "challenges",
    "situation",
    "context",
    "background",
    "pain",
    "issue",
    "issues",
    "motivation",
    "before",
];

/// Whether a section tells the situation (its passives and hedges describe what was).
pub fn is_situation(section: &Section) -> bool {
    section
        .title
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| SITUATION_WORDS.contains(&w.to_lowercase().as_str()))
}

/// The roles of a template's sections, as indices into `template.sections`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roles {
    /// Sections of outcomes: most of their fields are quoted example outcomes
    /// ("Reliability": "Reduced manual intervention needs").
    pub impact: Vec<usize>,
    /// The section whose fields ask "why" the most ("Tool Selection: Why Terraform vs
    /// CloudFormation?"): where decisions are explained.
    pub decisions: Option<usize>,
    /// The section holding a list of quoted questions ("Why did you choose
    /// [tool/approach]?"): how the write-up will be probed.
    pub framing: Option<usize>,
    /// The section whose fields are skills to claim: short labels described by what one
    /// does ("Automation mindset: Identifying toil and eliminating it").
    pub skills: Option<usize>,
}

impl Roles {
    /// Reads the roles from a template.
    pub fn of(template: &Template) -> Roles {
        let sections = &template.sections;
        let impact = sections
            .iter()
            .enumerate()
            .filter(|(_, s)| is_impact(s))
            .map(|(i, _)| i)
            .collect();
        let decisions = sections
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.guidance_only)
            .map(|(i, s)| (i, s.fields.iter().filter(|f| asks_why(f)).count()))
            .filter(|(_, n)| *n > 0)
            .max_by_key(|(i, n)| (*n, std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        let framing = sections
            .iter()
            .position(|s| s.guidance.iter().filter(|l| is_quoted_question(l)).count() >= 2);
        let skills = sections
            .iter()
            .enumerate()
            .filter(|(_, s)| is_skill_list(s))
            .max_by_key(|(i, s)| (s.fields.len(), std::cmp::Reverse(*i)))
            .map(|(i, _)| i);
        Roles {
            impact,
            decisions,
            framing,
            skills,
        }
    }

    /// True for a section whose fields are a menu to pick from rather than all to fill:
    /// impact outcomes and skills.
    pub fn is_menu(&self, section: usize) -> bool {
        self.impact.contains(&section) || self.skills == Some(section)
    }
}

/// A section to fill whose fields are mostly quoted example outcomes.
fn is_impact(section: &Section) -> bool {
    let examples = section.fields.iter().filter(|f| f.example).count();
    !section.guidance_only && examples > 0 && examples * 2 > section.fields.len()
}

fn word_regex(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

/// True when a field's prompt asks "why".
fn asks_why(field: &Field) -> bool {
    static WHY: OnceLock<Option<Regex>> = OnceLock::new();
    word_regex(&WHY, r"(?i)\bwhy\b").is_some_and(|re| re.is_match(&field.prompt))
}

/// True for a guidance line that is a quoted question: `- "Why did you choose …?"`.
fn is_quoted_question(line: &str) -> bool {
    let text = line.trim().trim_start_matches(['-', '*', '+', '>']).trim();
    let opens = text.starts_with(['"', '\u{201c}']);
    let closes = text.ends_with("?\"") || text.ends_with("?\u{201d}");
    opens && closes
}

/// True when a template field asks for tools ("Tools & Technologies", "[Systems, tools,
/// scale you worked with]").
pub fn asks_for_tools(field: &Field) -> bool {
    static TOOLS: OnceLock<Option<Regex>> = OnceLock::new();
    word_regex(&TOOLS, r"(?i)\btools?\b")
        .is_some_and(|re| re.is_match(&field.label) || re.is_match(&field.prompt))
}

/// A section of skills: at least three fields, none a placeholder, an example or a
/// question, and most described by what one does (a prompt starting with an `-ing` word:
/// "Identifying toil", "Making systems more robust").
fn is_skill_list(section: &Section) -> bool {
    let fields = &section.fields;
    if section.guidance_only || fields.len() < 3 {
        return false;
    }
    let plain = fields.iter().all(|f| {
        f.placeholders.is_empty()
            && !f.example
            && !f.prompt.contains('?')
            && !f.label.contains('?')
            && f.label.split_whitespace().count() <= 4
    });
    let doing = fields
        .iter()
        .filter(|f| {
            f.prompt
                .split_whitespace()
                .next()
                .is_some_and(|w| w.len() > 4 && w.to_lowercase().ends_with("ing"))
        })
        .count();
    plain && doing * 2 > fields.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(template: &Template, indices: &[usize]) -> Vec<String> {
        indices
            .iter()
            .map(|&i| template.sections[i].title.clone())
            .collect()
    }

    #[test]
    fn the_builtin_template_roles() {
        let t = Template::builtin();
        let roles = Roles::of(t);
        assert_eq!(titles(t, &roles.impact), ["Impact (Ops Style)"]);
        assert_eq!(
            titles(t, &roles.decisions.into_iter().collect::<Vec<_>>()),
            ["Decisions & Trade-offs"]
        );
        assert_eq!(
            titles(t, &roles.framing.into_iter().collect::<Vec<_>>()),
            ["Interview Framing"]
        );
        assert_eq!(
            titles(t, &roles.skills.into_iter().collect::<Vec<_>>()),
            ["Skills Demonstrated"]
        );
        let tool_fields: Vec<&str> = t
            .sections
            .iter()
            .flat_map(|s| s.fields.iter())
            .filter(|f| asks_for_tools(f))
            .map(|f| f.label.as_str())
            .collect();
        assert!(tool_fields.contains(&"Environment"), "{tool_fields:?}");
        assert!(
            tool_fields.contains(&"Tools & Technologies"),
            "{tool_fields:?}"
        );
    }

    #[test]
    fn another_template_has_other_roles_or_none() {
        let source = "## Summary\n\n- **Incident**: [one line]\n\n## Timeline\n\n- **Detection**: How was it noticed?\n";
        let roles = Roles::of(&Template::parse("postmortem", source));
        assert_eq!(roles, Roles::default());
        let empty = Roles::of(&Template::parse("empty", "just text"));
        assert_eq!(empty, Roles::default());
    }
}
