//! The command line: `reframe lsp`, `reframe check`, `reframe new`.
//!
//! `check` loads each file's configuration through [`reframe_workspace`] (the loader the
//! server uses too), analyses, optionally applies the safe fixes, and prints the findings
//! in one of four formats. Exit status: 0 clean, 1 findings at or above `--fail-on`, 2 a
//! usage, configuration or I/O error.

use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

mod questions;
use serde_json::{Value, json};

use reframe_core::analysis::actions::{apply_edits, safe_fix_edits};
use reframe_core::analysis::{self, Analysis, Finding, SectionStatus};
use reframe_core::config::{Problem, Resolved};
use reframe_core::document::{Document, PositionEncoding};
use reframe_core::rules::{RuleCode, Severity};
use reframe_core::template::{self, Template};
use reframe_lsp::to_proto;
use reframe_workspace::{self as workspace, Loaded};

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
            fix,
            config,
            summary,
        } => check(&CheckOptions {
            paths,
            format,
            fail_on,
            fix,
            config,
            summary,
        }),
        Command::Questions {
            paths,
            format,
            config,
        } => questions::run(&paths, format, config),
        Command::New { file, template } => new_writeup(&file, template.as_deref()),
    }
}

fn run_lsp() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => {
            let shut_down = runtime.block_on(reframe_lsp::run_stdio());
            // Do not wait for the blocking read of stdin: a client that sent `exit` may keep
            // its end open.
            runtime.shutdown_background();
            if shut_down {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(err) => {
            eprintln!("reframe: cannot start the async runtime: {err}");
            ExitCode::from(2)
        }
    }
}

/// What `reframe check` was asked to do.
struct CheckOptions {
    paths: Vec<PathBuf>,
    format: Format,
    fail_on: FailOn,
    fix: bool,
    config: Option<PathBuf>,
    summary: bool,
}

/// Where a checked document came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    pub(crate) fn display(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
        }
    }

    pub(crate) fn path(&self) -> Option<&Path> {
        match self {
            Input::File(path) => Some(path),
            Input::Stdin => None,
        }
    }
}

/// Collects the documents named by `paths` (directories walked, sorted, hidden folders
/// skipped; `-` is stdin). Errors name the path.
pub(crate) fn collect_inputs(paths: &[PathBuf], errors: &mut Vec<String>) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            if !inputs.contains(&Input::Stdin) {
                inputs.push(Input::Stdin);
            }
        } else if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found, errors);
            inputs.extend(found.into_iter().map(Input::File));
        } else if path.exists() {
            inputs.push(Input::File(path.clone()));
        } else {
            errors.push(format!("{}: no such file or directory", path.display()));
        }
    }
    inputs
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

/// Loads configurations, once per configuration file.
pub(crate) struct Configs {
    /// `--config`: one configuration for every document.
    pub(crate) fixed: Option<PathBuf>,
    pub(crate) cache: HashMap<Option<PathBuf>, Option<Arc<Resolved>>>,
}

impl Configs {
    /// The configuration for a document, or `None` when it is broken (its problems are
    /// printed once, on first use).
    /// The text of `input` and the configuration it is checked with; `None` (with the
    /// reason added to `errors`) when either cannot be had.
    pub(crate) fn read(
        &mut self,
        input: &Input,
        errors: &mut Vec<String>,
    ) -> Option<(String, Arc<Resolved>)> {
        let text = read_input(input).map_err(|err| errors.push(err)).ok()?;
        let resolved = self.for_input(input, errors)?;
        Some((text, resolved))
    }

    pub(crate) fn for_input(
        &mut self,
        input: &Input,
        errors: &mut Vec<String>,
    ) -> Option<Arc<Resolved>> {
        let file = match &self.fixed {
            Some(path) => Some(path.clone()),
            None => {
                let folder = match input {
                    Input::File(path) => workspace::document_folder(path),
                    Input::Stdin => std::env::current_dir().unwrap_or_default(),
                };
                workspace::find_config(&folder)
            }
        };
        if let Some(found) = self.cache.get(&file) {
            return found.clone();
        }
        let loaded = match workspace::load(file.as_deref(), None) {
            Ok(Loaded {
                resolved, warnings, ..
            }) => {
                for warning in warnings {
                    eprintln!("reframe: warning: {warning}");
                }
                Some(resolved)
            }
            Err(problems) => {
                errors.extend(problems.iter().map(Problem::to_string));
                None
            }
        };
        self.cache.insert(file, loaded.clone());
        loaded
    }
}

/// One checked document.
struct Checked {
    input: Input,
    doc: Document,
    analysis: Analysis,
    template: Arc<Template>,
    /// Safe fixes applied (with `--fix`).
    fixed: usize,
}

fn read_input(input: &Input) -> Result<String, String> {
    let bytes = match input {
        Input::File(path) => {
            std::fs::read(path).map_err(|err| format!("{}: cannot read: {err}", path.display()))?
        }
        Input::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|err| format!("<stdin>: cannot read: {err}"))?;
            bytes
        }
    };
    String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text, skipped", input.display()))
}

/// Applies the safe fixes until none is left (a fix can uncover another), at most a few
/// rounds. Gives the new text and how many edits were applied.
fn fix_text(text: &str, resolved: &Resolved, path: Option<&Path>) -> (String, usize) {
    let cx = resolved.context_for(path);
    let mut text = text.to_string();
    let mut applied = 0;
    for _ in 0..4 {
        let doc = Document::new(&text);
        let analysis = analysis::analyze_text(&doc, &text, &cx);
        let edits = safe_fix_edits(&text, &analysis, &resolved.template);
        if edits.is_empty() {
            break;
        }
        let (next, skipped) = apply_edits(&text, &edits);
        applied += edits.len() - skipped;
        if next == text {
            break;
        }
        text = next;
    }
    (text, applied)
}

/// A temporary file name in `path`'s folder, hidden and unique to this process.
fn temp_beside(path: &Path) -> PathBuf {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    folder.join(format!(".{name}.reframe-{}.tmp", std::process::id()))
}

/// Creates `path` (which must not exist) holding `text`, flushed to disk.
fn write_new_file(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// Replaces `path`'s contents by writing a temporary file beside it and renaming it over
/// the original, so a reader never sees a half-written file. Keeps the permissions; a
/// symbolic link is followed, so the link stays a link.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let path = &std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let temp = temp_beside(path);
    let result = (|| {
        write_new_file(&temp, text)?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn check(options: &CheckOptions) -> ExitCode {
    let mut errors = Vec::new();
    let inputs = collect_inputs(&options.paths, &mut errors);
    let mut configs = Configs {
        fixed: options.config.clone(),
        cache: HashMap::new(),
    };
    let mut checked = Vec::new();
    let mut fixed_stdin = None;
    for input in inputs {
        let Some((text, resolved)) = configs.read(&input, &mut errors) else {
            continue;
        };
        let (text, fixed) = if options.fix {
            let (new_text, fixed) = fix_text(&text, &resolved, input.path());
            match &input {
                Input::File(path) if new_text != text => {
                    if let Err(err) = write_atomically(path, &new_text) {
                        errors.push(format!("{}: cannot write the fixes: {err}", path.display()));
                        continue;
                    }
                }
                Input::Stdin => fixed_stdin = Some(new_text.clone()),
                Input::File(_) => {}
            }
            (new_text, fixed)
        } else {
            (text, 0)
        };
        let doc = Document::new(&text);
        let analysis = analysis::analyze_text(&doc, &text, &resolved.context_for(input.path()));
        checked.push(Checked {
            input,
            doc,
            analysis,
            template: Arc::clone(&resolved.template),
            fixed,
        });
    }

    let written = match fixed_stdin {
        Some(fixed) => {
            // The fixed document is the output; the report goes to stderr.
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(fixed.as_bytes())
                .and_then(|()| stdout.flush())
                .and_then(|()| write_report(&mut std::io::stderr().lock(), &checked, options))
        }
        None => write_report(&mut std::io::stdout().lock(), &checked, options),
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
    let failing = options.fail_on.threshold().is_some_and(|threshold| {
        checked
            .iter()
            .flat_map(|c| &c.analysis.findings)
            .any(|f| f.severity >= threshold)
    });
    if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn write_report(
    out: &mut impl Write,
    checked: &[Checked],
    options: &CheckOptions,
) -> std::io::Result<()> {
    if options.summary {
        let rows = questions::summary_rows(
            checked
                .iter()
                .map(|c| (c.input.display(), &c.doc, &c.analysis, c.template.as_ref())),
        );
        return match options.format {
            Format::Json => questions::write_summary_json(out, &rows),
            _ => questions::write_summary_table(out, &rows),
        };
    }
    match options.format {
        Format::Human => {
            let colour = Colours::for_stdout();
            write_human(out, checked, colour)
        }
        Format::Json => write_json(out, checked),
        Format::Sarif => write_sarif(out, checked),
        Format::Github => write_github(out, checked),
    }
}

fn write_json(out: &mut impl Write, checked: &[Checked]) -> std::io::Result<()> {
    let files: Vec<Value> = checked
        .iter()
        .map(|c| {
            let diagnostics: Vec<_> = c
                .analysis
                .findings
                .iter()
                .map(|f| to_proto::diagnostic(&c.doc, f, PositionEncoding::Utf16))
                .collect();
            json!({ "path": c.input.display(), "diagnostics": diagnostics })
        })
        .collect();
    let text = serde_json::to_string_pretty(&files).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}

/// ANSI styles for human output; all empty when colour is off.
#[derive(Clone, Copy)]
struct Colours {
    on: bool,
}

impl Colours {
    /// Colour only when stdout is a terminal and `NO_COLOR` is unset or empty.
    fn for_stdout() -> Colours {
        Colours::decide(
            std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        )
    }

    /// The rule of <https://no-color.org>: any non-empty `NO_COLOR` turns colour off.
    fn decide(terminal: bool, no_color: Option<&std::ffi::OsStr>) -> Colours {
        let no_color = no_color.is_some_and(|v| !v.is_empty());
        Colours {
            on: terminal && !no_color,
        }
    }

    fn paint(self, style: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{style}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(self, severity: Severity) -> String {
        let style = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Information => "1;34",
            Severity::Hint => "1;36",
        };
        self.paint(style, severity.as_str())
    }
}

fn write_human(out: &mut impl Write, checked: &[Checked], colour: Colours) -> std::io::Result<()> {
    for c in checked {
        for f in &c.analysis.findings {
            write_finding(out, c, f, colour)?;
        }
    }
    for c in checked {
        writeln!(out, "{}", summary_line(c, colour))?;
    }
    Ok(())
}

/// `path: 2 warnings, 5 information — 7/9 sections, 3 placeholders left`.
fn summary_line(c: &Checked, colour: Colours) -> String {
    let path = colour.paint("1", &c.input.display());
    let fixed = match c.fixed {
        0 => String::new(),
        1 => " (1 safe fix applied)".to_string(),
        n => format!(" ({n} safe fixes applied)"),
    };
    if !c.analysis.is_writeup {
        return format!(
            "{path}: not a write-up of the {} template, not checked{fixed}",
            c.template.name
        );
    }
    let mut counts = [0usize; 4];
    for f in &c.analysis.findings {
        counts[f.severity as usize] += 1;
    }
    let findings: Vec<String> = [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Information, "information", "information"),
        (Severity::Hint, "hint", "hints"),
    ]
    .into_iter()
    .filter(|(s, _, _)| counts[*s as usize] > 0)
    .map(|(s, one, many)| {
        let n = counts[s as usize];
        let word = if n == 1 { one } else { many };
        colour.paint(
            match s {
                Severity::Error => "31",
                Severity::Warning => "33",
                Severity::Information => "34",
                Severity::Hint => "36",
            },
            &format!("{n} {word}"),
        )
    })
    .collect();
    let findings = if findings.is_empty() {
        "no findings".to_string()
    } else {
        findings.join(", ")
    };
    let (present, total) = section_progress(&c.analysis, &c.template);
    let placeholders = c
        .analysis
        .findings
        .iter()
        .filter(|f| f.code == RuleCode::Placeholder)
        .count();
    let left = match placeholders {
        1 => "1 placeholder left".to_string(),
        n => format!("{n} placeholders left"),
    };
    let readiness = analysis::readiness::readiness(&c.doc.text(), &c.analysis, &c.template)
        .map(|r| format!(" — {}", r.summary()))
        .unwrap_or_default();
    format!("{path}: {findings} — {present}/{total} sections, {left}{readiness}{fixed}")
}

/// How many of the template's sections to fill (guidance-only ones aside) the write-up
/// has, and how many there are.
fn section_progress(analysis: &Analysis, template: &Template) -> (usize, usize) {
    let mut present = 0;
    let mut total = 0;
    for (section, m) in template.sections.iter().zip(&analysis.sections) {
        if section.guidance_only {
            continue;
        }
        total += 1;
        if m.status != SectionStatus::Missing {
            present += 1;
        }
    }
    (present, total)
}

/// Writes one finding like a compiler: location, message, the line with the range marked,
/// and where to read more.
fn write_finding(
    out: &mut impl Write,
    c: &Checked,
    f: &Finding,
    colour: Colours,
) -> std::io::Result<()> {
    let start = c
        .doc
        .byte_to_position(f.range.start, PositionEncoding::Utf32);
    let end = c.doc.byte_to_position(f.range.end, PositionEncoding::Utf32);
    let line_number = start.line as usize + 1;
    writeln!(
        out,
        "{}: {}[{}]: {}",
        colour.paint(
            "1",
            &format!(
                "{}:{}:{}",
                c.input.display(),
                line_number,
                start.character + 1
            )
        ),
        colour.severity(f.severity),
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
    let bar = colour.paint("34", "|");
    writeln!(out, "{gutter} {bar}")?;
    writeln!(
        out,
        "{} {bar} {line}",
        colour.paint("34", &line_number.to_string())
    )?;
    writeln!(
        out,
        "{gutter} {bar} {lead}{}",
        colour.paint("1;33", &"^".repeat(width as usize))
    )?;
    if let Some(help) = to_proto::help_uri(f.code) {
        writeln!(out, "{gutter} = help: {}", help.as_str())?;
    }
    writeln!(out)
}

/// A short description of each rule, for SARIF's rule list.
fn rule_description(code: RuleCode) -> &'static str {
    match code {
        RuleCode::Placeholder => {
            "An unfilled [placeholder] from the template or a bracketed prompt"
        }
        RuleCode::TemplatePrompt => "The template's prompt or example text left verbatim",
        RuleCode::EmptyField => "A field label with nothing after it",
        RuleCode::EmptyFrontmatter => "An empty front-matter key the template has",
        RuleCode::MissingSection => "A template section absent from the write-up",
        RuleCode::EmptySection => "A section heading with no content under it",
        RuleCode::SectionHeading => "A template section under another name or number",
        RuleCode::SectionOrder => "Template sections out of order",
        RuleCode::WeakVerb => "Vague ownership (helped with, worked on, was responsible for)",
        RuleCode::Minimizer => "Words that shrink your own work (just, simply, only)",
        RuleCode::Hedge => "Hedges (I think, maybe, probably, kind of)",
        RuleCode::PassiveVoice => "A passive that hides who acted",
        RuleCode::ImpactEvidence => {
            "An impact bullet claiming an outcome with neither a figure nor a before/after"
        }
        RuleCode::Custom(_) => "A phrase rule from the configuration",
    }
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// A relative path as a URI reference: `/` separators, bytes outside the unreserved set
/// percent-encoded.
fn uri_reference(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn write_sarif(out: &mut impl Write, checked: &[Checked]) -> std::io::Result<()> {
    // The catalog first, then the custom codes that occur, in a stable order.
    let mut codes: Vec<RuleCode> = RuleCode::ALL.to_vec();
    let mut custom: Vec<RuleCode> = checked
        .iter()
        .flat_map(|c| c.analysis.findings.iter().map(|f| f.code))
        .filter(|c| !c.is_builtin())
        .collect();
    custom.sort();
    custom.dedup();
    codes.extend(custom);
    let rules: Vec<Value> = codes
        .iter()
        .map(|&code| {
            let mut rule = json!({
                "id": code.as_str(),
                "shortDescription": { "text": rule_description(code) },
                "defaultConfiguration": { "level": sarif_level(code.default_severity()) },
            });
            if let Some(help) = to_proto::help_uri(code) {
                rule["helpUri"] = json!(help.as_str());
            }
            rule
        })
        .collect();
    let mut results = Vec::new();
    for c in checked {
        let uri = uri_reference(&c.input.display());
        for f in &c.analysis.findings {
            let start = c
                .doc
                .byte_to_position(f.range.start, PositionEncoding::Utf16);
            let end = c.doc.byte_to_position(f.range.end, PositionEncoding::Utf16);
            let rule_index = codes.iter().position(|&k| k == f.code).unwrap_or(0);
            results.push(json!({
                "ruleId": f.code.as_str(),
                "ruleIndex": rule_index,
                "level": sarif_level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": {
                            "startLine": start.line + 1,
                            "startColumn": start.character + 1,
                            "endLine": end.line + 1,
                            "endColumn": end.character + 1,
                        }
                    }
                }],
                "properties": { "severity": f.severity.as_str() },
            }));
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "reframe",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules,
                }
            },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    });
    let text = serde_json::to_string_pretty(&log).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}

/// Escapes the message of a workflow command.
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn write_github(out: &mut impl Write, checked: &[Checked]) -> std::io::Result<()> {
    for c in checked {
        for f in &c.analysis.findings {
            let start = c
                .doc
                .byte_to_position(f.range.start, PositionEncoding::Utf32);
            let end = c.doc.byte_to_position(f.range.end, PositionEncoding::Utf32);
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Information | Severity::Hint => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                github_property(&c.input.display()),
                start.line + 1,
                start.character + 1,
                end.line + 1,
                end.character + 1,
                github_property(&format!("reframe {}", f.code)),
                github_data(&f.message)
            )?;
        }
    }
    Ok(())
}

/// Writes a new write-up scaffolded from the template, marked with `template:` in its
/// front matter (so it is recognised from the first keystroke) and dated today.
fn new_writeup(file: &Path, template_path: Option<&Path>) -> ExitCode {
    let (name, source) = match new_template_source(file, template_path) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("reframe: {message}");
            return ExitCode::from(2);
        }
    };
    if file.exists() {
        eprintln!(
            "reframe: {} already exists: not overwritten",
            file.display()
        );
        return ExitCode::from(1);
    }
    let body = scaffold(&name, &source, &today());
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty())
        && let Err(err) = std::fs::create_dir_all(parent)
    {
        eprintln!("reframe: cannot create {}: {err}", parent.display());
        return ExitCode::from(2);
    }
    match create_new_atomically(file, &body) {
        Ok(()) => {
            println!("created {} from the {name} template", file.display());
            ExitCode::SUCCESS
        }
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "reframe: {} already exists: not overwritten",
                file.display()
            );
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("reframe: cannot create {}: {err}", file.display());
            ExitCode::from(2)
        }
    }
}

/// The template `new` uses: `--template`, else the one configured for the new file's
/// folder, else the built-in one. Gives its name and markdown.
fn new_template_source(
    file: &Path,
    template_path: Option<&Path>,
) -> Result<(String, String), String> {
    let path = match template_path {
        Some(path) => Some(path.to_path_buf()),
        None => {
            // The folder may not exist yet: look from its nearest existing ancestor.
            let folder = workspace::document_folder(file);
            let existing = folder
                .ancestors()
                .find(|p| p.is_dir())
                .map(Path::to_path_buf);
            let config = existing.and_then(|f| workspace::find_config(&f));
            match config {
                Some(config) => {
                    // Loading checks the whole configuration, template included.
                    let loaded = workspace::load(Some(&config), None).map_err(|problems| {
                        problems
                            .iter()
                            .map(Problem::to_string)
                            .collect::<Vec<_>>()
                            .join("\n")
                    })?;
                    loaded.template_file
                }
                None => None,
            }
        }
    };
    match path {
        Some(path) => {
            let source = std::fs::read_to_string(&path)
                .map_err(|err| format!("cannot read the template {}: {err}", path.display()))?;
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "custom".to_string());
            let problems = Template::parse(&name, &source).problems();
            if !problems.is_empty() {
                return Err(format!(
                    "the template {} cannot be used: {}",
                    path.display(),
                    problems.join("; ")
                ));
            }
            Ok((name, source))
        }
        None => Ok((
            template::DEFAULT_TEMPLATE_NAME.to_string(),
            template::DEFAULT_TEMPLATE_SOURCE.to_string(),
        )),
    }
}

/// The template's markdown with its front matter naming the template and dated `date`
/// (keys added when the template has none).
pub fn scaffold(name: &str, source: &str, date: &str) -> String {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let newline = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let close = (lines.first().map(|l| l.trim_end()) == Some("---"))
        .then(|| {
            lines
                .iter()
                .skip(1)
                .position(|l| matches!(l.trim_end(), "---" | "..."))
                .map(|i| i + 1)
        })
        .flatten();
    let Some(close) = close else {
        return format!(
            "---{newline}template: {name}{newline}date: {date}{newline}---{newline}{source}"
        );
    };
    let mut out = String::with_capacity(source.len() + 64);
    out.push_str(lines[0]);
    let mut has_template = false;
    let mut has_date = false;
    for line in &lines[1..close] {
        let key = line.split(':').next().unwrap_or("").trim();
        if !line.starts_with([' ', '\t', '-']) && key.eq_ignore_ascii_case("template") {
            has_template = true;
            out.push_str(&format!("template: {name}{newline}"));
        } else if !line.starts_with([' ', '\t', '-']) && key.eq_ignore_ascii_case("date") {
            has_date = true;
            out.push_str(&format!("date: {date}{newline}"));
        } else {
            out.push_str(line);
        }
    }
    if !has_date {
        out.push_str(&format!("date: {date}{newline}"));
    }
    if !has_template {
        out.push_str(&format!("template: {name}{newline}"));
    }
    for line in &lines[close..] {
        out.push_str(line);
    }
    out
}

/// Today's date (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_date(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Creates `path` with `text` without ever leaving a partly written file under that name,
/// and without replacing a file that appears meanwhile: write a temporary file, then link
/// it to the name (which fails if the name exists).
fn create_new_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let temp = temp_beside(path);
    let result = (|| {
        write_new_file(&temp, text)?;
        match std::fs::hard_link(&temp, path) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Err(err),
            // A file system without hard links: fall back to an exclusive create.
            Err(_) => std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .and_then(|mut f| f.write_all(text.as_bytes())),
        }
    })();
    let _ = std::fs::remove_file(&temp);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_723), "2024-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_768), "2026-11-11");
    }

    #[test]
    fn scaffold_sets_template_and_date() {
        let out = scaffold(
            "ops-writeup",
            "---\ntitle:\ndate: 2025-11-09\n---\n## A\n",
            "2026-01-02",
        );
        assert_eq!(
            out,
            "---\ntitle:\ndate: 2026-01-02\ntemplate: ops-writeup\n---\n## A\n"
        );
        let bare = scaffold("pm", "## A\n\n## B\n", "2026-01-02");
        assert_eq!(
            bare,
            "---\ntemplate: pm\ndate: 2026-01-02\n---\n## A\n\n## B\n"
        );
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        use std::ffi::OsStr;
        assert!(Colours::decide(true, None).on);
        assert!(Colours::decide(true, Some(OsStr::new(""))).on);
        assert!(!Colours::decide(true, Some(OsStr::new("1"))).on);
        assert!(!Colours::decide(false, None).on);
        let on = Colours::decide(true, None);
        assert_eq!(on.severity(Severity::Warning), "\x1b[1;33mwarning\x1b[0m");
        assert_eq!(
            Colours::decide(false, None).severity(Severity::Warning),
            "warning"
        );
    }

    #[test]
    fn escapes() {
        assert_eq!(github_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(github_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(uri_reference("dir/my file.md"), "dir/my%20file.md");
    }
}
