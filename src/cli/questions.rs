//! `reframe questions`: the follow-up questions an interviewer is likely to ask about each
//! write-up, as markdown or JSON.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::cli::args::{QuestionsFormat, WalkArgs};
use crate::cli::inputs::{Configs, Read, collect_inputs};
use reframe_core::analysis;
use reframe_core::analysis::questions::{self, Kind, Question};
use reframe_core::document::{Document, PositionEncoding};
use reframe_lsp::to_proto;

/// The questions of one document.
struct Asked {
    path: String,
    doc: Document,
    writeup: bool,
    template: String,
    questions: Vec<Question>,
    /// Template section headings, to name each question's home.
    headings: Vec<String>,
}

/// Runs `reframe questions`: 0 when every document was read, 2 otherwise.
pub fn run(
    paths: &[PathBuf],
    format: QuestionsFormat,
    config: Option<PathBuf>,
    walk: WalkArgs,
) -> ExitCode {
    let mut errors = Vec::new();
    let mut configs = Configs::new(config);
    let inputs = collect_inputs(paths, walk, None, &mut configs, &mut errors);
    let mut asked = Vec::new();
    for input in inputs {
        let Some(Read { text, resolved, .. }) = configs.read(&input, &mut errors) else {
            continue;
        };
        let doc = Document::new(&text);
        let glob_path = input.glob_path();
        let analysis =
            analysis::analyze_text(&doc, &text, &resolved.context_for(glob_path.as_deref()));
        let template = resolved.template.as_ref();
        asked.push(Asked {
            path: input.display(),
            writeup: analysis.is_writeup,
            template: template.name.clone(),
            questions: questions::questions(&text, &analysis, template),
            headings: template
                .sections
                .iter()
                .map(|s| s.heading.clone())
                .collect(),
            doc,
        });
    }
    let mut out = std::io::stdout().lock();
    let written = match format {
        QuestionsFormat::Markdown => write_markdown(&mut out, &asked),
        QuestionsFormat::Json => write_json(&mut out, &asked),
    };
    if let Err(err) = written
        && err.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("reframe: cannot write output: {err}");
        return ExitCode::from(2);
    }
    for error in &errors {
        eprintln!("reframe: {error}");
    }
    if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

fn kind_title(kind: Kind) -> &'static str {
    match kind {
        Kind::Choice => "Why this choice",
        Kind::Scale => "Scale",
        Kind::Failure => "When it fails",
        Kind::Reliability => "How you know it works",
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Choice => "choice",
        Kind::Scale => "scale",
        Kind::Failure => "failure",
        Kind::Reliability => "reliability",
    }
}

fn write_markdown(out: &mut impl Write, asked: &[Asked]) -> std::io::Result<()> {
    for (n, a) in asked.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(out, "# Follow-up questions: {}", a.path)?;
        writeln!(out)?;
        if !a.writeup {
            writeln!(
                out,
                "Not a write-up of the {} template: no questions.",
                a.template
            )?;
            continue;
        }
        if a.questions.is_empty() {
            writeln!(
                out,
                "No questions yet: the write-up names no tools, sizes or automation to ask about."
            )?;
            continue;
        }
        let mut first = true;
        for kind in [Kind::Choice, Kind::Scale, Kind::Failure, Kind::Reliability] {
            let of_kind: Vec<&Question> = a.questions.iter().filter(|q| q.kind == kind).collect();
            if of_kind.is_empty() {
                continue;
            }
            if !first {
                writeln!(out)?;
            }
            first = false;
            writeln!(out, "## {}", kind_title(kind))?;
            writeln!(out)?;
            for q in of_kind {
                let line = a
                    .doc
                    .byte_to_position(q.source.start, PositionEncoding::Utf32)
                    .line
                    + 1;
                writeln!(out, "- {} (line {line})", q.text)?;
            }
        }
    }
    Ok(())
}

fn write_json(out: &mut impl Write, asked: &[Asked]) -> std::io::Result<()> {
    let files: Vec<Value> = asked
        .iter()
        .map(|a| {
            let questions: Vec<Value> = a
                .questions
                .iter()
                .map(|q| {
                    json!({
                        "kind": kind_name(q.kind),
                        "question": q.text,
                        "section": q.home.and_then(|h| a.headings.get(h)),
                        "range": to_proto::range(&a.doc, q.source.clone(), PositionEncoding::Utf16),
                    })
                })
                .collect();
            json!({
                "path": a.path,
                "writeup": a.writeup,
                "questions": questions,
            })
        })
        .collect();
    let text = serde_json::to_string_pretty(&files).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}
