//! The command line's interview-readiness output: `reframe questions` (the follow-up
//! questions per write-up, as markdown or JSON) and `reframe check --summary` (one row of
//! readiness per write-up, most ready first).

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::cli::{Configs, QuestionsFormat, collect_inputs};
use reframe_core::analysis::questions::{self, Kind, Question};
use reframe_core::analysis::readiness::{Readiness, readiness};
use reframe_core::analysis::{self, Analysis};
use reframe_core::document::{Document, PositionEncoding};
use reframe_core::template::Template;
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
pub fn run(paths: &[PathBuf], format: QuestionsFormat, config: Option<PathBuf>) -> ExitCode {
    let mut errors = Vec::new();
    let inputs = collect_inputs(paths, &mut errors);
    let mut configs = Configs {
        fixed: config,
        cache: HashMap::new(),
    };
    let mut asked = Vec::new();
    for input in inputs {
        let Some((text, resolved)) = configs.read(&input, &mut errors) else {
            continue;
        };
        let doc = Document::new(&text);
        let analysis = analysis::analyze_text(&doc, &text, &resolved.context_for(input.path()));
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

/// One row of `check --summary`.
pub struct SummaryRow {
    path: String,
    readiness: Option<Readiness>,
}

/// The rows of `check --summary`, most ready first (ties by path), documents that are not
/// write-ups last.
pub fn summary_rows<'a>(
    checked: impl Iterator<Item = (String, &'a Document, &'a Analysis, &'a Template)>,
) -> Vec<SummaryRow> {
    let mut rows: Vec<SummaryRow> = checked
        .map(|(path, doc, analysis, template)| SummaryRow {
            path,
            readiness: readiness(&doc.text(), analysis, template),
        })
        .collect();
    rows.sort_by(|a, b| {
        let score = |r: &SummaryRow| r.readiness.as_ref().map(|r| r.score);
        score(b).cmp(&score(a)).then_with(|| a.path.cmp(&b.path))
    });
    rows
}

/// The summary as an aligned table.
pub fn write_summary_table(out: &mut impl Write, rows: &[SummaryRow]) -> std::io::Result<()> {
    let header = [
        "readiness",
        "fields",
        "placeholders",
        "weak/100 words",
        "impact evidence",
        "file",
    ];
    let mut lines: Vec<[String; 6]> = vec![header.map(str::to_string)];
    for row in rows {
        lines.push(match &row.readiness {
            Some(r) => [
                r.score.to_string(),
                format!("{}/{}", r.fields_answered, r.fields_asked),
                r.placeholders.to_string(),
                format!("{:.1}", r.weak_per_100_words()),
                r.impact
                    .map_or("-".to_string(), |(e, t)| format!("{e}/{t}")),
                row.path.clone(),
            ],
            None => [
                "-".to_string(),
                "-".to_string(),
                "-".to_string(),
                "-".to_string(),
                "-".to_string(),
                format!("{} (not a write-up)", row.path),
            ],
        });
    }
    let mut widths = [0usize; 5];
    for line in &lines {
        for (w, cell) in widths.iter_mut().zip(line.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for line in &lines {
        let mut text = String::new();
        for (w, cell) in widths.iter().zip(line.iter()) {
            text.push_str(&format!("{cell:>w$}  "));
        }
        text.push_str(&line[5]);
        writeln!(out, "{}", text.trim_end())?;
    }
    Ok(())
}

/// The summary as JSON: `[{"path", "writeup", "readiness", "parts": [{"name", "earned",
/// "max", "detail"}…]}]`.
pub fn write_summary_json(out: &mut impl Write, rows: &[SummaryRow]) -> std::io::Result<()> {
    let rows: Vec<Value> = rows
        .iter()
        .map(|row| match &row.readiness {
            Some(r) => json!({
                "path": row.path,
                "writeup": true,
                "readiness": r.score,
                "fieldsAnswered": r.fields_answered,
                "fieldsAsked": r.fields_asked,
                "placeholders": r.placeholders,
                "words": r.words,
                "weak": r.weak,
                "impactEvidence": r.impact.map(|(e, t)| json!({"withEvidence": e, "bullets": t})),
                "parts": r.parts.iter().map(|p| json!({
                    "name": p.name,
                    "earned": (p.earned * 10.0).round() / 10.0,
                    "max": p.max,
                    "detail": p.detail,
                })).collect::<Vec<_>>(),
            }),
            None => json!({ "path": row.path, "writeup": false, "readiness": null }),
        })
        .collect();
    let text = serde_json::to_string_pretty(&rows).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}
