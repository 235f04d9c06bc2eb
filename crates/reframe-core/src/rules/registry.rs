//! The rule registry: one row per built-in rule code, the single source of what every
//! other place says about a rule (SARIF's rule table, docs/rules.md, the VS Code settings
//! schema, README's rule table; `tests/registry.rs` fails when one of them disagrees).

use super::{RuleCode, Severity};

/// What part of a document a rule reads to decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One chunk of text (a block): findings are kept per chunk while it is unchanged.
    Chunk,
    /// One section of the write-up.
    Section,
    /// The whole document (its outline against the template).
    Document,
}

/// What a rule's code actions do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixKind {
    /// An edit that keeps the meaning (preferred; in fixAll where it needs no judgement).
    Keep,
    /// A bracketed prompt for the writer to fill.
    Ask,
    /// A stronger wording, offered as a choice to make only if true.
    Alternative,
    /// Inserts or moves template structure.
    Structure,
    /// The "ignore on this line" comment.
    Ignore,
}

/// One rule of the catalog.
#[derive(Clone, Copy, Debug)]
pub struct RuleInfo {
    pub code: RuleCode,
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// The anchor of the rule's entry in docs/rules.md.
    pub anchor: &'static str,
    pub scope: Scope,
    pub fixes: &'static [FixKind],
    /// A line the rule fires on and one it leaves alone.
    pub bad: &'static str,
    pub good: &'static str,
}

use FixKind::{Alternative, Ask, Ignore, Keep, Structure};
use Severity::{Hint, Information, Warning};

/// Every built-in rule, in catalog order.
pub const RULES: &[RuleInfo] = &[
    RuleInfo {
        code: RuleCode::Placeholder,
        severity: Warning,
        summary: "An unfilled [placeholder] from the template or a bracketed prompt",
        anchor: "placeholder",
        scope: Scope::Chunk,
        fixes: &[Ask, Ignore],
        bad: "- **Your Role**: [Responsibilities]",
        good: "- **Your Role**: I owned the CI migration.",
    },
    RuleInfo {
        code: RuleCode::TemplatePrompt,
        severity: Warning,
        summary: "The template's prompt or example text left verbatim",
        anchor: "template-prompt",
        scope: Scope::Chunk,
        fixes: &[Ask, Ignore],
        bad: "- **Pain points**: What made the old way frustrating/risky/slow?",
        good: "- **Pain points**: Releases took a day of manual steps.",
    },
    RuleInfo {
        code: RuleCode::EmptyField,
        severity: Warning,
        summary: "A field label with nothing after it",
        anchor: "empty-field",
        scope: Scope::Chunk,
        fixes: &[Ask, Ignore],
        bad: "- **Scope**:",
        good: "- **Scope**: 14 services in 3 environments.",
    },
    RuleInfo {
        code: RuleCode::EmptyFrontmatter,
        severity: Information,
        summary: "An empty front-matter key the template has",
        anchor: "empty-frontmatter",
        scope: Scope::Document,
        fixes: &[Keep, Structure, Ignore],
        bad: "title:",
        good: "title: CI migration",
    },
    RuleInfo {
        code: RuleCode::MissingSection,
        severity: Information,
        summary: "A template section absent from the write-up",
        anchor: "missing-section",
        scope: Scope::Document,
        fixes: &[Structure, Ignore],
        bad: "(no “## 5. Impact (Ops Style)” heading)",
        good: "## 5. Impact (Ops Style)",
    },
    RuleInfo {
        code: RuleCode::EmptySection,
        severity: Information,
        summary: "A section heading with no content under it",
        anchor: "empty-section",
        scope: Scope::Section,
        fixes: &[Structure, Ignore],
        bad: "## 7. Challenges\n\n## 8. Interview Framing",
        good: "## 7. Challenges\n\n- **Technical**: Jenkins plugins had no equivalent.",
    },
    RuleInfo {
        code: RuleCode::SectionHeading,
        severity: Hint,
        summary: "A template section under another name or number",
        anchor: "section-heading",
        scope: Scope::Document,
        fixes: &[Keep, Ignore],
        bad: "## Impact",
        good: "## 5. Impact (Ops Style)",
    },
    RuleInfo {
        code: RuleCode::SectionOrder,
        severity: Hint,
        summary: "Template sections out of order",
        anchor: "section-order",
        scope: Scope::Document,
        fixes: &[Structure, Ignore],
        bad: "## 5. Impact (Ops Style) before ## 3. What You Built/Implemented",
        good: "## 3. What You Built/Implemented before ## 5. Impact (Ops Style)",
    },
    RuleInfo {
        code: RuleCode::WeakVerb,
        severity: Information,
        summary: "Vague ownership of your own work (helped with, worked on, was responsible for)",
        anchor: "weak-verb",
        scope: Scope::Chunk,
        fixes: &[Keep, Ask, Alternative, Ignore],
        bad: "I helped with the migration to GitHub Actions.",
        good: "I wrote docs to help new hires.",
    },
    RuleInfo {
        code: RuleCode::Minimizer,
        severity: Information,
        summary: "Words that shrink your own work (just, simply, only)",
        anchor: "minimizer",
        scope: Scope::Chunk,
        fixes: &[Keep, Ignore],
        bad: "I just set up monitoring.",
        good: "Only 2 of 40 services failed over.",
    },
    RuleInfo {
        code: RuleCode::Hedge,
        severity: Information,
        summary: "Hedges on your own work or its impact (I think, maybe, probably, kind of)",
        anchor: "hedge",
        scope: Scope::Chunk,
        fixes: &[Keep, Ignore],
        bad: "I think the new pipeline cut deploy time in half.",
        good: "You might want to pin the provider version.",
    },
    RuleInfo {
        code: RuleCode::PassiveVoice,
        severity: Hint,
        summary: "A passive that hides who did your own work",
        anchor: "passive-voice",
        scope: Scope::Chunk,
        fixes: &[Keep, Ask, Ignore],
        bad: "The pipeline was migrated to GitHub Actions.",
        good: "Deploys were delayed for weeks (in the problem section).",
    },
    RuleInfo {
        code: RuleCode::ImpactEvidence,
        severity: Hint,
        summary: "An impact bullet claiming an outcome with neither a figure nor a before/after",
        anchor: "impact-evidence",
        scope: Scope::Section,
        fixes: &[Ask, Ignore],
        bad: "- **Reliability**: Improved reliability.",
        good: "- **Reliability**: Failed deploys went from 12 a month to 1.",
    },
];

/// The registry row of a built-in code; None for codes defined in configuration.
pub fn info(code: RuleCode) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.code == code)
}
