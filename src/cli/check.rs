//! `reframe check`: analyse each input, optionally apply the safe fixes (the fix loop) and
//! write them back, print the report, and give the exit status.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use reframe_core::analysis::actions::{apply_edits, safe_fix_edits};
use reframe_core::analysis::{self, Analysis, Finding};
use reframe_core::config::Resolved;
use reframe_core::document::Document;

use crate::cli::args::{ColorWhen, FailOn, Format, WalkArgs};
use crate::cli::files::{Written, write_if_unchanged};
use crate::cli::inputs::{Configs, Read, collect_inputs};
use crate::cli::report::{self, Checked};

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
}

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

/// Analyses `text` and adds the findings found outside the analysis, in position order.
fn analyse(
    text: &str,
    resolved: &Resolved,
    path: Option<&Path>,
    extra: &[Finding],
) -> (Document, Analysis) {
    let doc = Document::new(text);
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
    let mut checked = Vec::new();
    let mut fixed_stdin = None;
    for input in inputs {
        let Some(Read {
            text,
            resolved,
            extra,
            stamp,
        }) = configs.read(&input, &mut errors)
        else {
            continue;
        };
        let glob_path = input.glob_path();
        let (text, fixed) = if options.fix {
            let (new_text, fixed) = fix_text(&text, &resolved, glob_path.as_deref());
            match input.file() {
                Some(path) if new_text != text => {
                    match write_if_unchanged(path, &text, stamp, &new_text) {
                        Ok(Written::Done) => (new_text, fixed),
                        Ok(Written::Changed) => {
                            eprintln!(
                                "reframe: {}: changed since it was read: fixes not written",
                                path.display()
                            );
                            (text, 0)
                        }
                        Err(err) => {
                            // The findings are still reported, for the text as it is.
                            errors
                                .push(format!("{}: cannot write the fixes: {err}", path.display()));
                            (text, 0)
                        }
                    }
                }
                Some(_) => (new_text, fixed),
                None => {
                    fixed_stdin = Some(new_text.clone());
                    (new_text, fixed)
                }
            }
        } else {
            (text, 0)
        };
        let (doc, analysis) = analyse(&text, &resolved, glob_path.as_deref(), &extra);
        checked.push(Checked {
            input,
            doc,
            analysis,
            template: Arc::clone(&resolved.template),
            fixed,
        });
    }

    let choice = match options.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    let written = match fixed_stdin {
        Some(fixed) => {
            // The fixed document is the output; the report goes to stderr.
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(fixed.as_bytes())
                .and_then(|()| stdout.flush())
                .and_then(|()| {
                    let mut err = anstream::AutoStream::new(std::io::stderr().lock(), choice);
                    write_report(&mut err, &checked, options)
                })
        }
        None => {
            let mut out = anstream::AutoStream::new(std::io::stdout().lock(), choice);
            write_report(&mut out, &checked, options).and_then(|()| out.flush())
        }
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
        let rows = report::summary::summary_rows(
            checked
                .iter()
                .map(|c| (c.input.display(), &c.doc, &c.analysis, c.template.as_ref())),
        );
        return match options.format {
            Format::Json => report::summary::write_summary_json(out, &rows),
            _ => report::summary::write_summary_table(out, &rows),
        };
    }
    match options.format {
        Format::Human => report::human::write_human(out, checked),
        Format::Json => report::json::write_json(out, checked),
        Format::Sarif => report::sarif::write_sarif(out, checked),
        Format::Github => report::github::write_github(out, checked),
    }
}
