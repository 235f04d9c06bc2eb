//! The shape of `.reframe.toml` as types, for its JSON Schema (`reframe schema`,
//! `docs/reframe.schema.json`): editors with Taplo / Even Better TOML complete and check the
//! file from it.
//!
//! The file is read by the hand-written parser in `reframe_core::config` (which gives line
//! numbers and keeps going on defaults); these types only describe it. `tests/schema.rs`
//! keeps the two together: every documented configuration passes both the schema and the
//! parser, the shipped schema file equals the generated one, and a broken file fails.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

/// reframe's configuration, found from a document's folder upward (the first
/// `.reframe.toml` wins). Every key is optional.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "reframe configuration (.reframe.toml)")]
pub struct ConfigFile {
    /// The template every rule, action, completion and outline comes from (a markdown
    /// file). Relative to this file, and then it must stay inside this file's folder tree
    /// or a `templates` folder. Default: the built-in ops template.
    pub template: Option<String>,
    /// Folders (relative to this file) of templates that a write-up names in its front
    /// matter: `template: NAME` picks `NAME.md` from the first folder that has it, else a
    /// built-in template of that name.
    pub templates: Option<Vec<String>>,
    /// Globs (relative to this file) of documents that are always write-ups, besides
    /// front matter and section detection. `*` stays within a folder, `**` crosses
    /// folders.
    pub writeups: Option<Strings>,
    /// Globs (relative to this file) of files and folders `reframe check` skips when it
    /// walks a folder (a file named on the command line is still checked).
    pub exclude: Option<Strings>,
    /// Severity per rule code (a built-in code or a code of a `[[phrases]]` entry).
    pub rules: Option<BTreeMap<String, Level>>,
    /// Your own wording rules, run by the same engine as the built-in tables.
    pub phrases: Option<Vec<Phrase>>,
    /// What is never flagged.
    pub allow: Option<Allow>,
}

/// One string or a list of strings.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Strings {
    One(String),
    Many(Vec<String>),
}

/// A rule's severity, or `off`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Information,
    Hint,
    Off,
}

/// A `[[phrases]]` entry.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Phrase {
    /// A regex, case-insensitive; `{participle}`-style word lists as in the built-in
    /// tables.
    pub pattern: String,
    /// A built-in rule code or a new one (lowercase letters, digits, inner hyphens; new
    /// codes default to information).
    #[schemars(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"))]
    pub code: String,
    /// What the finding says.
    pub message: String,
    /// Rewrites, best first, offered as quick fixes.
    pub replace: Option<Strings>,
    /// An `id` of a built-in row replaces that row. Default: `user:PATTERN`.
    pub id: Option<String>,
}

/// `[allow]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Allow {
    /// Phrases never flagged (whole words, any case).
    pub phrases: Option<Strings>,
}

/// The JSON Schema of `.reframe.toml`, pretty-printed with a final newline.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(ConfigFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
