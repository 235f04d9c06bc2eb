//! Rule identities and the data tables the analysis runs.
//!
//! Every finding carries a [`RuleCode`]; codes are stable strings (they appear in
//! configuration, suppression comments, JSON output and LSP `Diagnostic.code`).

pub mod evidence;
pub mod phrases;
pub mod registry;
pub mod tools;

use std::collections::BTreeSet;
use std::sync::Mutex;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Cardinal number words, for the rules that take "two services" as a figure like "2".
pub(crate) const CARDINAL_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "fifteen", "twenty", "thirty", "forty", "fifty",
];

/// The stable rule codes of the catalog (docs/rules.md has one anchor per code), plus the
/// codes that configuration gives its own phrase rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// An impact bullet that claims an outcome with neither a figure nor a contrast.
    ImpactEvidence,
    /// A code that a configured phrase rule introduced (see [`RuleCode::custom`]).
    Custom(CustomCode),
}

/// The name of a rule code defined in configuration: lowercase ASCII letters, digits and
/// hyphens. Names are interned, so a code stays `Copy` and compares by its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomCode(&'static str);

impl CustomCode {
    /// The code's name.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// Interned custom code names. Each distinct name is leaked once, so reloading a
/// configuration any number of times does not grow memory.
static CUSTOM_CODES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

fn intern(name: &str) -> &'static str {
    let mut names = CUSTOM_CODES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(found) = names.get(name) {
        return found;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(leaked);
    leaked
}

impl RuleCode {
    pub const ALL: [RuleCode; 13] = [
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
        RuleCode::ImpactEvidence,
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
            RuleCode::ImpactEvidence => "impact-evidence",
            RuleCode::Custom(code) => code.as_str(),
        }
    }

    /// The built-in code with this name.
    pub fn parse(s: &str) -> Option<RuleCode> {
        RuleCode::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The built-in code with this name, or else a custom code of that name when the name
    /// is well formed (lowercase ASCII letters, digits and inner hyphens, at most 64 bytes).
    pub fn custom(name: &str) -> Option<RuleCode> {
        if let Some(code) = RuleCode::parse(name) {
            return Some(code);
        }
        let well_formed = !name.is_empty()
            && name.len() <= 64
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !name.starts_with('-')
            && !name.ends_with('-');
        well_formed.then(|| RuleCode::Custom(CustomCode(intern(name))))
    }

    /// True for the codes of the catalog, false for codes defined in configuration.
    pub fn is_builtin(self) -> bool {
        !matches!(self, RuleCode::Custom(_))
    }

    /// Default severity, from the registry ([`registry::RULES`]).
    pub fn default_severity(self) -> Severity {
        registry::info(self).map_or(Severity::Information, |r| r.severity)
    }

    /// True for the rules about wording (they run on any prose of a write-up);
    /// false for the rules about the template's structure. Custom codes come from
    /// configured phrase rules, so they are wording rules.
    pub fn is_phrase_rule(self) -> bool {
        matches!(
            self,
            RuleCode::WeakVerb
                | RuleCode::Minimizer
                | RuleCode::Hedge
                | RuleCode::PassiveVoice
                | RuleCode::Custom(_)
        )
    }

    /// Anchor of this rule's entry in docs/rules.md (from the registry).
    pub fn help_anchor(self) -> &'static str {
        registry::info(self).map_or(self.as_str(), |r| r.anchor)
    }

    /// One line on what the rule finds (from the registry).
    pub fn summary(self) -> &'static str {
        registry::info(self).map_or("A phrase rule from the configuration", |r| r.summary)
    }
}

impl Serialize for RuleCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RuleCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RuleCode, D::Error> {
        let name = String::deserialize(deserializer)?;
        RuleCode::custom(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("not a rule code: {name:?}")))
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
