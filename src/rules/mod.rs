//! Rule identities and the data tables the analysis runs.
//!
//! Every finding carries a [`RuleCode`]; codes are stable strings (they appear in
//! configuration, suppression comments, JSON output and LSP `Diagnostic.code`).

pub mod phrases;

use serde::{Deserialize, Serialize};

/// The stable rule codes of the catalog (docs/rules.md has one anchor per code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleCode {
    Placeholder,
    TemplatePrompt,
    EmptyField,
    EmptyFrontmatter,
    MissingSection,
    EmptySection,
    SectionHeading,
    SectionOrder,
    WeakVerb,
    Minimizer,
    Hedge,
    PassiveVoice,
}

impl RuleCode {
    pub const ALL: [RuleCode; 12] = [
        RuleCode::Placeholder,
        RuleCode::TemplatePrompt,
        RuleCode::EmptyField,
        RuleCode::EmptyFrontmatter,
        RuleCode::MissingSection,
        RuleCode::EmptySection,
        RuleCode::SectionHeading,
        RuleCode::SectionOrder,
        RuleCode::WeakVerb,
        RuleCode::Minimizer,
        RuleCode::Hedge,
        RuleCode::PassiveVoice,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleCode::Placeholder => "placeholder",
            RuleCode::TemplatePrompt => "template-prompt",
            RuleCode::EmptyField => "empty-field",
            RuleCode::EmptyFrontmatter => "empty-frontmatter",
            RuleCode::MissingSection => "missing-section",
            RuleCode::EmptySection => "empty-section",
            RuleCode::SectionHeading => "section-heading",
            RuleCode::SectionOrder => "section-order",
            RuleCode::WeakVerb => "weak-verb",
            RuleCode::Minimizer => "minimizer",
            RuleCode::Hedge => "hedge",
            RuleCode::PassiveVoice => "passive-voice",
        }
    }

    pub fn parse(s: &str) -> Option<RuleCode> {
        RuleCode::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Default severity from the catalog in DESIGN.md.
    pub fn default_severity(self) -> Severity {
        match self {
            RuleCode::Placeholder
            | RuleCode::TemplatePrompt
            | RuleCode::EmptyField => Severity::Warning,
            RuleCode::EmptyFrontmatter
            | RuleCode::MissingSection
            | RuleCode::EmptySection
            | RuleCode::WeakVerb
            | RuleCode::Minimizer
            | RuleCode::Hedge => Severity::Information,
            RuleCode::SectionHeading | RuleCode::SectionOrder | RuleCode::PassiveVoice => {
                Severity::Hint
            }
        }
    }

    /// True for the rules about wording (they run on any prose of a write-up);
    /// false for the rules about the template's structure.
    pub fn is_phrase_rule(self) -> bool {
        matches!(
            self,
            RuleCode::WeakVerb | RuleCode::Minimizer | RuleCode::Hedge | RuleCode::PassiveVoice
        )
    }

    /// Anchor of this rule's entry in docs/rules.md.
    pub fn help_anchor(self) -> &'static str {
        self.as_str()
    }
}

impl std::fmt::Display for RuleCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Severity, ordered from least to most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Information,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Information => "information",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "hint" => Some(Severity::Hint),
            "information" | "info" => Some(Severity::Information),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}
