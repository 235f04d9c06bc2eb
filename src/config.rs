//! Configuration the analysis reads: rule severities and which documents are write-ups.
//!
//! Plain data, no I/O: the CLI and the server load it and hand it to the analysis.

use std::collections::HashMap;

use crate::rules::{RuleCode, Severity};

/// The settings the analysis needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Per-rule severity overrides; `None` turns the rule off.
    pub severity: HashMap<RuleCode, Option<Severity>>,
    /// Treat every markdown document as a write-up (default: only detected write-ups).
    pub all_markdown: bool,
}

impl Config {
    /// The severity a rule reports at, or `None` when it is off.
    pub fn severity_of(&self, code: RuleCode) -> Option<Severity> {
        match self.severity.get(&code) {
            Some(setting) => *setting,
            None => Some(code.default_severity()),
        }
    }
}
