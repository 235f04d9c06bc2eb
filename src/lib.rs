//! reframe: a language server and checker for markdown project write-ups.
//!
//! Layers (see ARCHITECTURE.md): `document` (text + syntax tree + positions),
//! `template` (the template model), `rules` (data tables), `analysis` (pure:
//! document + template + config in, findings out), `server` (LSP adapter) and
//! `cli` (command line), and `workspace` (finding and reading configuration files for both).
//! Only `server`, `cli` and `workspace` know about LSP, async or files.

pub mod analysis;
pub mod cli;
mod cli_interview;
pub mod config;
pub mod document;
pub mod rules;
pub mod server;
pub mod template;
pub mod workspace;
