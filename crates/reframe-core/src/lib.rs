//! The pure core of reframe: a markdown write-up and a template in, findings, fixes,
//! completions, an outline and hovers out.
//!
//! Modules: `document` (text, chunked syntax trees, positions), `template` (the template
//! model), `rules` (the rule registry and the phrase tables), `config` (configuration
//! text parsed and resolved), `analysis` (the rules run over a document). Nothing here
//! knows LSP, async, the file system, the environment or processes (`tests/layering.rs`
//! at the workspace root checks it).

/// Documents larger than this (in bytes) are not analysed in full: the server runs the
/// structural rules only and says so, the command line refuses them. One figure for both.
pub const FULL_ANALYSIS_LIMIT: usize = 5 * 1024 * 1024;

pub mod analysis;
pub mod config;
pub mod document;
pub mod language;
pub mod rules;
pub mod template;
pub mod template_choice;
