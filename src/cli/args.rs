//! The command line's arguments (clap types): commands, formats, `--fail-on`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use reframe_core::rules::Severity;

/// The exit statuses, for `--help` and the man page.
pub const EXIT_STATUS: &str = "Exit status:
  0  no finding at or above --fail-on (default: warning)
  1  a finding at or above --fail-on (check), or a file not overwritten (new, init)
  2  a usage error, an I/O error or a broken configuration";

#[derive(Parser, Debug)]
#[command(
    name = "reframe",
    version,
    about = "Finds unfilled template fields and weak wording in markdown project write-ups",
    after_help = EXIT_STATUS
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
    #[command(after_help = EXIT_STATUS)]
    Check {
        /// Files, directories, or `-` to read one document from stdin (default: `.`).
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
        /// With `-`: the path the text belongs to; its configuration, write-up globs and
        /// printed name are used.
        #[arg(long, value_name = "PATH")]
        stdin_filename: Option<PathBuf>,
        #[command(flatten)]
        walk: WalkArgs,
        /// When to colour human output (`auto`: on a terminal, unless `NO_COLOR`;
        /// `CLICOLOR_FORCE` forces it).
        #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
        color: ColorWhen,
        /// How many files to analyse at once (default: one per CPU). The report is the
        /// same for any number: files are reported in the order given, `-j 1` checks them
        /// one after another.
        #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
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
        #[command(flatten)]
        walk: WalkArgs,
    },
    /// Start a new write-up from the template.
    New {
        /// The file to create (must not exist; missing folders are created).
        file: PathBuf,
        /// The template to use: a name (`star`, `brag-doc`, `self-review`, `case-study`,
        /// `promotion-packet`, `ops-writeup`, or a file of the configured `templates`
        /// folders; `reframe templates` lists them) or a path to a template file (default:
        /// the one configured for the file's folder, else the built-in ops template).
        #[arg(long, value_name = "NAME|PATH")]
        template: Option<PathBuf>,
    },
    /// Write a commented `.reframe.toml` (never overwrites one).
    Init {
        /// The folder to write it in (default: the current folder).
        folder: Option<PathBuf>,
    },
    /// List the templates a write-up can name in its front matter (`template: NAME`):
    /// the built-in ones and those in the configured `templates` folders.
    Templates {
        /// The folder whose configuration to read (default: the current folder).
        folder: Option<PathBuf>,
    },
    /// Print the JSON Schema of `.reframe.toml`.
    Schema,
    /// Print a shell completion script.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page (roff).
    Man,
}

/// How folders are walked.
#[derive(Args, Debug, Clone, Copy, Default)]
pub struct WalkArgs {
    /// Do not honour `.gitignore`, `.ignore` and the global git excludes.
    #[arg(long)]
    pub no_ignore: bool,
    /// Follow symbolic links to folders (a link loop is reported and skipped).
    #[arg(long)]
    pub follow_links: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
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
