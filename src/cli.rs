//! The command line: `reframe lsp`, `reframe check`, `reframe new`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;

use crate::analysis::{self, Context, Finding};
use crate::config::Config;
use crate::document::{Document, PositionEncoding};
use crate::rules::Severity;
use crate::rules::phrases::PhraseRules;
use crate::server::convert;
use crate::template::Template;

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
    /// Check write-ups (files, or directories walked for *.md) and print the findings.
    Check {
        /// Files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Exit with 1 when a finding is at or above this severity.
        #[arg(long, value_enum, default_value_t = FailOn::Warning)]
        fail_on: FailOn,
    },
    /// Start a new write-up from the template.
    New {
        /// The file to create (must not exist).
        file: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
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
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Information => Some(Severity::Information),
            FailOn::Hint => Some(Severity::Hint),
            FailOn::Never => None,
        }
    }
}

/// Runs a parsed command line and gives the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Lsp { .. } => run_lsp(),
        Command::Check {
            paths,
            format,
            fail_on,
        } => check(&paths, format, fail_on),
        Command::New { file } => new_writeup(&file),
    }
}

fn run_lsp() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => {
            runtime.block_on(crate::server::run_stdio());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("reframe: cannot start the async runtime: {err}");
            ExitCode::from(2)
        }
    }
}

/// Collects the markdown files named by `paths` (directories walked, sorted, hidden
/// folders skipped). Errors name the path.
fn collect_files(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files, errors);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            errors.push(format!("{}: no such file or directory", path.display()));
        }
    }
    files
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<String>) {
    let mut stack = vec![dir.to_path_buf()];
    let mut found = Vec::new();
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(err) => {
                errors.push(format!("{}: {err}", dir.display()));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if path.is_dir() {
                if !hidden && entry.file_name() != "node_modules" && entry.file_name() != "target" {
                    stack.push(path);
                }
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    files.extend(found);
}

/// One checked file.
struct Checked {
    path: PathBuf,
    doc: Document,
    findings: Vec<Finding>,
}

fn check(paths: &[PathBuf], format: Format, fail_on: FailOn) -> ExitCode {
    let mut errors = Vec::new();
    let files = collect_files(paths, &mut errors);
    let template = Template::builtin();
    let config = Config::default();
    let phrases = PhraseRules::builtin();
    let cx = Context {
        template,
        config: &config,
        phrases: &phrases,
    };
    let mut checked = Vec::new();
    for path in files {
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) => {
                errors.push(format!("{}: cannot read: {err}", path.display()));
                continue;
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            errors.push(format!("{}: not UTF-8 text, skipped", path.display()));
            continue;
        };
        let doc = Document::new(&text);
        let findings = analysis::analyze_text(&doc, &text, &cx).findings;
        checked.push(Checked {
            path,
            doc,
            findings,
        });
    }

    let mut stdout = std::io::stdout().lock();
    let written = match format {
        Format::Human => write_human(&mut stdout, &checked),
        Format::Json => write_json(&mut stdout, &checked),
    };
    if let Err(err) = written {
        // A closed pipe (`| head`) is not worth a second error.
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("reframe: cannot write output: {err}");
        }
        return ExitCode::from(2);
    }
    for error in &errors {
        eprintln!("reframe: {error}");
    }
    if !errors.is_empty() {
        return ExitCode::from(2);
    }
    let failing = fail_on.threshold().is_some_and(|threshold| {
        checked
            .iter()
            .flat_map(|c| &c.findings)
            .any(|f| f.severity >= threshold)
    });
    if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn write_json(out: &mut impl Write, checked: &[Checked]) -> std::io::Result<()> {
    let files: Vec<serde_json::Value> = checked
        .iter()
        .map(|c| {
            let diagnostics: Vec<_> = c
                .findings
                .iter()
                .map(|f| convert::diagnostic(&c.doc, f, PositionEncoding::Utf16))
                .collect();
            json!({ "path": c.path.display().to_string(), "diagnostics": diagnostics })
        })
        .collect();
    let text = serde_json::to_string_pretty(&files).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}

fn write_human(out: &mut impl Write, checked: &[Checked]) -> std::io::Result<()> {
    let mut counts = [0usize; 4];
    for c in checked {
        for f in &c.findings {
            write_finding(out, c, f)?;
            counts[f.severity as usize] += 1;
        }
    }
    let total: usize = counts.iter().sum();
    if total == 0 {
        writeln!(out, "{} file(s) checked: no findings", checked.len())
    } else {
        writeln!(
            out,
            "{} file(s) checked: {total} finding(s): {} error(s), {} warning(s), {} information, {} hint(s)",
            checked.len(),
            counts[Severity::Error as usize],
            counts[Severity::Warning as usize],
            counts[Severity::Information as usize],
            counts[Severity::Hint as usize],
        )
    }
}

/// Writes one finding like a compiler: location, message, the line with the range marked,
/// and where to read more.
fn write_finding(out: &mut impl Write, c: &Checked, f: &Finding) -> std::io::Result<()> {
    let start = c.doc.byte_to_position(f.range.start, PositionEncoding::Utf32);
    let end = c.doc.byte_to_position(f.range.end, PositionEncoding::Utf32);
    let line_number = start.line as usize + 1;
    writeln!(
        out,
        "{}:{}:{}: {}[{}]: {}",
        c.path.display(),
        line_number,
        start.character + 1,
        f.severity.as_str(),
        f.code,
        f.message
    )?;
    let line = c.doc.line_text(start.line as usize);
    let gutter = " ".repeat(line_number.to_string().len());
    let width = if end.line == start.line {
        end.character.saturating_sub(start.character)
    } else {
        (line.chars().count() as u32).saturating_sub(start.character)
    }
    .max(1);
    let lead: String = line
        .chars()
        .take(start.character as usize)
        .map(|ch| if ch == '\t' { '\t' } else { ' ' })
        .collect();
    writeln!(out, "{gutter} |")?;
    writeln!(out, "{line_number} | {line}")?;
    writeln!(out, "{gutter} | {lead}{}", "^".repeat(width as usize))?;
    writeln!(out, "{gutter} = help: {}#{}", convert::HELP_BASE, f.code.help_anchor())?;
    writeln!(out)
}

/// Writes a new write-up scaffolded from the template, marked with `template:` in its front
/// matter so it is recognised from the first keystroke.
fn new_writeup(file: &Path) -> ExitCode {
    let template = Template::builtin();
    let source = crate::template::DEFAULT_TEMPLATE_SOURCE;
    let body = match source.strip_prefix("---\n") {
        Some(rest) => format!("---\ntemplate: {}\n{rest}", template.name),
        None => format!("---\ntemplate: {}\n---\n{source}", template.name),
    };
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)
        .and_then(|mut f| f.write_all(body.as_bytes()));
    match created {
        Ok(()) => {
            println!("created {} from the {} template", file.display(), template.name);
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("reframe: cannot create {}: {err}", file.display());
            ExitCode::from(2)
        }
    }
}
