//! `reframe check`: analyse each input, optionally apply the safe fixes (the fix loop) and
//! write them back, print the report, and give the exit status.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use reframe_core::analysis;
use reframe_core::analysis::actions::{apply_edits, safe_fix_edits};
use reframe_core::config::Resolved;
use reframe_core::document::Document;

use crate::cli::args::{FailOn, Format};
use crate::cli::files::write_atomically;
use crate::cli::inputs::{Configs, Input, collect_inputs};
use crate::cli::report::{self, Checked};

/// What `reframe check` was asked to do.
pub(crate) struct CheckOptions {
    pub(crate) paths: Vec<PathBuf>,
    pub(crate) format: Format,
    pub(crate) fail_on: FailOn,
    pub(crate) fix: bool,
    pub(crate) config: Option<PathBuf>,
    pub(crate) summary: bool,
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
    let mut errors = Vec::new();
    let inputs = collect_inputs(&options.paths, &mut errors);
    let mut configs = Configs::new(options.config.clone());
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
        Format::Human => {
            let colour = report::human::Colours::for_stdout();
            report::human::write_human(out, checked, colour)
        }
        Format::Json => report::json::write_json(out, checked),
        Format::Sarif => report::sarif::write_sarif(out, checked),
        Format::Github => report::github::write_github(out, checked),
    }
}
