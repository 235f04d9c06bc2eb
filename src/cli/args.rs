//! The command line's arguments (clap types): commands, formats, `--fail-on`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use reframe_core::rules::Severity;

#[derive(Parser, Debug)]
#[command(
    name = "reframe",
    version,
    about = "Finds unfilled template fields and weak wording in markdown project write-ups"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the language server on stdin/stdout.
    Lsp {
        /// Accepted for clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Check write-ups (files, directories walked for *.md, or `-` for stdin).
    Check {
        /// Files, directories, or `-` to read one document from stdin.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit with 1 when a finding is at or above this severity.
        #[arg(long, value_enum, default_value_t = FailOn::Warning)]
        fail_on: FailOn,
        /// Apply the safe fixes to the files (written atomically) before reporting; with
        /// `-`, the fixed text goes to stdout and the report to stderr.
        #[arg(long)]
        fix: bool,
        /// Use this configuration file for every document instead of looking for
        /// `.reframe.toml` from each document's folder upward.
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
        /// Print one row per write-up instead of the findings: its readiness and what it
        /// is made of, most ready first (with `--format json`, as JSON).
        #[arg(long)]
        summary: bool,
    },
    /// Print the follow-up questions an interviewer is likely to ask about write-ups.
    Questions {
        /// Files, directories, or `-` to read one document from stdin.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = QuestionsFormat::Markdown)]
        format: QuestionsFormat,
        /// Use this configuration file for every document.
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
    },
    /// Start a new write-up from the template.
    New {
        /// The file to create (must not exist; missing folders are created).
        file: PathBuf,
        /// The template to use (default: the one configured for the file's folder, else
        /// the built-in ops template).
        #[arg(long, value_name = "PATH")]
        template: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style findings and a summary line per file.
    Human,
    /// `[{"path": …, "diagnostics": [LSP Diagnostic…]}]`.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow commands (`::warning file=…::…`).
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum QuestionsFormat {
    /// A markdown list per file, grouped by what the questions probe.
    Markdown,
    /// `[{"path": …, "writeup": true, "questions": [{"kind", "question", "section", "range"}…]}]`.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Information,
    Hint,
    Never,
}

impl FailOn {
    pub(crate) fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Information => Some(Severity::Information),
            FailOn::Hint => Some(Severity::Hint),
            FailOn::Never => None,
        }
    }
}
