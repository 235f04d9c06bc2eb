//! `reframe check`: analyse each input, optionally apply the safe fixes (the fix loop) and
//! write them back, print the report, and give the exit status.
//!
//! The inputs are read in order on this thread (each with its configuration, resolved
//! once per configuration file) and analysed on a pool of `--jobs` threads; each file's
//! part of the report is rendered on the thread that analysed it and written here in
//! input order as soon as it and every file before it are done. At most [`WINDOW_PER_JOB`]
//! files per job are read and not yet written, so memory does not grow with the number
//! of files; what must wait for the end (human output's summary lines, the SARIF rule
//! catalog, `--summary` rows) is a line or a code per file. Output is buffered.

use std::collections::VecDeque;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc;

use reframe_core::analysis::actions::{apply_edits, safe_fix_edits};
use reframe_core::analysis::{self, Analysis, Finding};
use reframe_core::config::Resolved;
use reframe_core::document::Document;

use crate::cli::args::{ColorWhen, FailOn, Format, WalkArgs};
use crate::cli::files::{Written, write_if_unchanged};
use crate::cli::inputs::Input;
use crate::cli::inputs::{Configs, Read, collect_inputs};
use crate::cli::report::sarif::{Sarif, SarifResult};
use crate::cli::report::summary::SummaryRow;
use crate::cli::report::{self, Checked, StreamedArray};

/// What `reframe check` was asked to do.
pub(crate) struct CheckOptions {
    pub(crate) paths: Vec<PathBuf>,
    pub(crate) format: Format,
    pub(crate) fail_on: FailOn,
    pub(crate) fix: bool,
    pub(crate) config: Option<PathBuf>,
    pub(crate) summary: bool,
    pub(crate) stdin_filename: Option<PathBuf>,
    pub(crate) walk: WalkArgs,
    pub(crate) color: ColorWhen,
    /// `--jobs`: files analysed at once (default: the CPUs available).
    pub(crate) jobs: Option<usize>,
}

/// Files read ahead per job: enough to keep every job busy while a slow file holds the
/// output back, few enough that memory stays flat.
const WINDOW_PER_JOB: usize = 4;

/// Options that cannot work together: a usage error (exit 2) before anything is read.
pub(crate) fn usage_error(options: &CheckOptions) -> Option<String> {
    if options.summary && matches!(options.format, Format::Sarif | Format::Github) {
        let format = match options.format {
            Format::Sarif => "sarif",
            _ => "github",
        };
        return Some(format!(
            "--summary prints a table or JSON: it cannot be used with --format {format}"
        ));
    }
    if options.stdin_filename.is_some() && !options.paths.iter().any(|p| p.as_os_str() == "-") {
        return Some("--stdin-filename names the text read from `-`: add `-`".to_string());
    }
    None
}

/// The least chunk length on the command line, which never edits a document: longer
/// chunks than the editor's [`reframe_core::document::MIN_CHUNK`] (which keeps a
/// keystroke's reparse small) mean fewer parses and less per-chunk bookkeeping, with the
/// same findings (chunking never changes them). 100,000 headings: 1.2 s → 1.0 s.
const BATCH_MIN_CHUNK: usize = 1024;

/// Analyses `text` and adds the findings found outside the analysis, in position order.
/// The document is cut into chunks as in the editor, only longer ([`BATCH_MIN_CHUNK`]):
/// each chunk's parse is also what shows where it ends, so the text is parsed once.
fn analyse(
    text: &str,
    resolved: &Resolved,
    path: Option<&Path>,
    extra: &[Finding],
) -> (Document, Analysis) {
    let doc = Document::with_min_chunk(text, BATCH_MIN_CHUNK);
    let mut analysis = analysis::analyze_text(&doc, text, &resolved.context_for(path));
    if !extra.is_empty() {
        analysis.findings.extend(extra.iter().cloned());
        analysis
            .findings
            .sort_by_key(|f| (f.range.start, f.range.end));
    }
    (doc, analysis)
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

pub(crate) fn check(options: &CheckOptions) -> ExitCode {
    if let Some(message) = usage_error(options) {
        eprintln!("reframe: error: {message}");
        return ExitCode::from(2);
    }
    let mut errors = Vec::new();
    let mut configs = Configs::new(options.config.clone());
    let inputs = collect_inputs(
        &options.paths,
        options.walk,
        options.stdin_filename.as_deref(),
        &mut configs,
        &mut errors,
    );
    let choice = match options.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    let fixes_stdin = options.fix && inputs.iter().any(|i| matches!(i, Input::Stdin(_)));
    let run = if fixes_stdin {
        // The fixed document is the output; the report goes to stderr, after it.
        let mut report = Vec::new();
        let run = run_checks(inputs, &mut configs, options, &mut report, &mut errors);
        let mut stdout = std::io::stdout().lock();
        run.and_then(|run| {
            stdout.write_all(run.fixed_stdin.as_deref().unwrap_or("").as_bytes())?;
            stdout.flush()?;
            let mut err = anstream::AutoStream::new(std::io::stderr().lock(), choice);
            err.write_all(&report)?;
            err.flush()?;
            Ok(run)
        })
    } else {
        let stream = anstream::AutoStream::new(std::io::stdout().lock(), choice);
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, stream);
        run_checks(inputs, &mut configs, options, &mut out, &mut errors)
            .and_then(|run| out.flush().map(|()| run))
    };
    let run = match run {
        Ok(run) => run,
        Err(err) => {
            // A closed pipe (`| head`) is not worth a second error.
            if err.kind() != std::io::ErrorKind::BrokenPipe {
                eprintln!("reframe: cannot write output: {err}");
            }
            return ExitCode::from(2);
        }
    };
    for error in &errors {
        eprintln!("reframe: {error}");
    }
    if !errors.is_empty() {
        return ExitCode::from(2);
    }
    if run.failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What the whole run found, besides the report.
struct Run {
    /// A finding at or above `--fail-on`.
    failing: bool,
    /// With `--fix` and `-`: the fixed text of stdin.
    fixed_stdin: Option<String>,
}

/// What one file gives the report, made on the thread that analysed it.
#[derive(Default)]
struct Outcome {
    /// Its part of the report, written in input order (human findings, github lines).
    part: Vec<u8>,
    /// `--format json`: its element of the array.
    json: Option<String>,
    /// `--format sarif`: its results.
    sarif: Vec<SarifResult>,
    /// Human output: its summary line, written after every file's findings.
    summary_line: Option<String>,
    /// `--summary`: its row.
    row: Option<SummaryRow>,
    failing: bool,
    /// Said on stderr, in input order.
    notes: Vec<String>,
    errors: Vec<String>,
    fixed_stdin: Option<String>,
}

/// One input to check: what [`Configs::read`] gave for it.
struct Job {
    input: Input,
    read: Read,
}

/// What a job needs from the options (copied into each worker).
#[derive(Clone, Copy)]
struct Settings {
    format: Format,
    fix: bool,
    summary: bool,
    fail_on: FailOn,
}

/// Reads the inputs in order, analyses them on `--jobs` threads and writes the report to
/// `out` in input order.
fn run_checks(
    inputs: Vec<Input>,
    configs: &mut Configs,
    options: &CheckOptions,
    out: &mut impl Write,
    errors: &mut Vec<String>,
) -> std::io::Result<Run> {
    let settings = Settings {
        format: options.format,
        fix: options.fix,
        summary: options.summary,
        fail_on: options.fail_on,
    };
    let jobs = options.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    // One job runs here; more get a pool (which cannot fail to start other than for want
    // of threads, and then this thread does the work).
    let pool = (jobs > 1 && inputs.len() > 1)
        .then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .thread_name(|i| format!("reframe-check-{i}"))
                .build()
                .ok()
        })
        .flatten();
    let mut report = Report::begin(out, settings)?;
    let window = jobs.max(1) * WINDOW_PER_JOB;
    let mut pending: VecDeque<mpsc::Receiver<std::thread::Result<Outcome>>> = VecDeque::new();
    for input in inputs {
        let Some(read) = configs.read(&input, errors) else {
            continue;
        };
        let job = Job { input, read };
        match &pool {
            None => {
                let outcome = check_one(job, settings);
                report.add(out, outcome, errors)?;
            }
            Some(pool) => {
                if pending.len() >= window
                    && let Some(next) = pending.pop_front()
                {
                    report.add(out, received(&next), errors)?;
                }
                let (send, receive) = mpsc::sync_channel(1);
                pool.spawn(move || {
                    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        check_one(job, settings)
                    }));
                    let _ = send.send(outcome);
                });
                pending.push_back(receive);
            }
        }
    }
    while let Some(next) = pending.pop_front() {
        report.add(out, received(&next), errors)?;
    }
    report.finish(out)
}

/// The outcome of a job run on the pool; a panic there is resumed here, as if the job had
/// run on this thread.
fn received(receive: &mpsc::Receiver<std::thread::Result<Outcome>>) -> Outcome {
    match receive.recv() {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        // The job was dropped without running: only when the pool is torn down.
        Err(_) => Outcome {
            errors: vec!["internal error: a check did not run".to_string()],
            ..Outcome::default()
        },
    }
}

/// Fixes (with `--fix`), analyses and renders one input.
fn check_one(job: Job, settings: Settings) -> Outcome {
    let Job {
        input,
        read:
            Read {
                text,
                resolved,
                extra,
                stamp,
            },
    } = job;
    let mut outcome = Outcome::default();
    let glob_path = input.glob_path();
    let (text, fixed) = if settings.fix {
        let (new_text, fixed) = fix_text(&text, &resolved, glob_path.as_deref());
        match input.file() {
            Some(path) if new_text != text => {
                match write_if_unchanged(path, &text, stamp, &new_text) {
                    Ok(Written::Done) => (new_text, fixed),
                    Ok(Written::Changed) => {
                        outcome.notes.push(format!(
                            "{}: changed since it was read: fixes not written",
                            path.display()
                        ));
                        (text, 0)
                    }
                    Err(err) => {
                        // The findings are still reported, for the text as it is.
                        outcome
                            .errors
                            .push(format!("{}: cannot write the fixes: {err}", path.display()));
                        (text, 0)
                    }
                }
            }
            Some(_) => (new_text, fixed),
            None => {
                outcome.fixed_stdin = Some(new_text.clone());
                (new_text, fixed)
            }
        }
    } else {
        (text, 0)
    };
    let (doc, analysis) = analyse(&text, &resolved, glob_path.as_deref(), &extra);
    drop(text);
    outcome.failing = settings
        .fail_on
        .threshold()
        .is_some_and(|threshold| analysis.findings.iter().any(|f| f.severity >= threshold));
    let checked = Checked {
        input,
        doc,
        analysis,
        template: Arc::clone(&resolved.template),
        fixed,
    };
    if let Err(err) = render(&checked, settings, &mut outcome) {
        outcome.errors.push(format!(
            "{}: cannot render the report: {err}",
            checked.input.display()
        ));
    }
    outcome
}

/// Renders one checked file's part of the report into `outcome`.
fn render(c: &Checked, settings: Settings, outcome: &mut Outcome) -> std::io::Result<()> {
    if settings.summary {
        outcome.row = Some(SummaryRow::new(
            c.input.display(),
            &c.doc,
            &c.analysis,
            &c.template,
        ));
        return Ok(());
    }
    match settings.format {
        Format::Human => {
            report::human::write_findings(&mut outcome.part, c)?;
            outcome.summary_line = Some(report::human::summary_line(c));
        }
        Format::Json => outcome.json = Some(report::json::file_entry(c)?),
        Format::Sarif => outcome.sarif = report::sarif::file_results(c)?,
        Format::Github => report::github::write_github(&mut outcome.part, c)?,
    }
    Ok(())
}

/// The report as it is written.
struct Report {
    settings: Settings,
    json: Option<StreamedArray>,
    sarif: Option<Sarif>,
    /// Human output's summary lines, written at the end.
    summary_lines: Deferred,
    rows: Vec<SummaryRow>,
    failing: bool,
    fixed_stdin: Option<String>,
}

impl Report {
    fn begin(out: &mut impl Write, settings: Settings) -> std::io::Result<Report> {
        let (mut json, mut sarif) = (None, None);
        if !settings.summary {
            match settings.format {
                Format::Json => {
                    json = Some(StreamedArray::begin(
                        out,
                        &report::json::document(),
                        report::json::MARKER,
                    )?);
                }
                Format::Sarif => sarif = Some(Sarif::begin(out)?),
                Format::Human | Format::Github => {}
            }
        }
        Ok(Report {
            settings,
            json,
            sarif,
            summary_lines: Deferred::default(),
            rows: Vec::new(),
            failing: false,
            fixed_stdin: None,
        })
    }

    /// Writes one file's part (the files come in input order).
    fn add(
        &mut self,
        out: &mut impl Write,
        outcome: Outcome,
        errors: &mut Vec<String>,
    ) -> std::io::Result<()> {
        for note in &outcome.notes {
            eprintln!("reframe: {note}");
        }
        errors.extend(outcome.errors);
        self.failing |= outcome.failing;
        if outcome.fixed_stdin.is_some() {
            self.fixed_stdin = outcome.fixed_stdin;
        }
        out.write_all(&outcome.part)?;
        if let Some(line) = outcome.summary_line {
            self.summary_lines.push_line(&line)?;
        }
        if let (Some(array), Some(entry)) = (&mut self.json, &outcome.json) {
            array.element(out, entry)?;
        }
        if let Some(sarif) = &mut self.sarif {
            for result in &outcome.sarif {
                sarif.result(out, result)?;
            }
        }
        self.rows.extend(outcome.row);
        Ok(())
    }

    fn finish(mut self, out: &mut impl Write) -> std::io::Result<Run> {
        if self.settings.summary {
            report::summary::sort_rows(&mut self.rows);
            match self.settings.format {
                Format::Json => report::summary::write_summary_json(out, &self.rows)?,
                _ => report::summary::write_summary_table(out, &self.rows)?,
            }
        }
        self.summary_lines.write_to(out)?;
        if let Some(array) = self.json {
            array.finish(out, &report::json::document(), report::json::MARKER)?;
        }
        if let Some(sarif) = self.sarif {
            sarif.finish(out)?;
        }
        Ok(Run {
            failing: self.failing,
            fixed_stdin: self.fixed_stdin,
        })
    }
}

/// Text written at the end of the report, a line per file: kept in memory up to
/// [`Deferred::IN_MEMORY`] bytes, then in an anonymous temporary file, so that memory does
/// not grow with the number of files. Should no temporary file be had, it stays in memory.
#[derive(Default)]
struct Deferred {
    memory: Vec<u8>,
    file: Option<std::io::BufWriter<std::fs::File>>,
}

impl Deferred {
    const IN_MEMORY: usize = 256 * 1024;

    fn push_line(&mut self, line: &str) -> std::io::Result<()> {
        if self.file.is_none() && self.memory.len() + line.len() >= Self::IN_MEMORY {
            if let Ok(file) = tempfile::tempfile() {
                let mut file = std::io::BufWriter::new(file);
                file.write_all(&self.memory)?;
                self.memory = Vec::new();
                self.file = Some(file);
            }
        }
        let sink: &mut dyn Write = match &mut self.file {
            Some(file) => file,
            None => &mut self.memory,
        };
        sink.write_all(line.as_bytes())?;
        sink.write_all(b"\n")
    }

    fn write_to(self, out: &mut impl Write) -> std::io::Result<()> {
        match self.file {
            None => out.write_all(&self.memory),
            Some(file) => {
                use std::io::Seek as _;
                let mut file = file.into_inner().map_err(|e| e.into_error())?;
                file.seek(std::io::SeekFrom::Start(0))?;
                std::io::copy(&mut file, out).map(|_| ())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deferred_lines_come_back_in_order_past_the_memory_limit() {
        let mut deferred = Deferred::default();
        let lines: Vec<String> = (0..20_000)
            .map(|i| format!("line {i}: {}", "x".repeat(i % 40)))
            .collect();
        for line in &lines {
            deferred.push_line(line).unwrap();
        }
        assert!(deferred.file.is_some(), "spilled to a file");
        let mut out = Vec::new();
        deferred.write_to(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), lines.join("\n") + "\n");
    }
}
