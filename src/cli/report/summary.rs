//! `check --summary`: one row of readiness per write-up, most ready first, as an aligned
//! table or JSON.

use std::io::Write;

use serde_json::{Value, json};

use reframe_core::analysis::Analysis;
use reframe_core::analysis::readiness::{Readiness, readiness};
use reframe_core::document::Document;
use reframe_core::template::Template;

/// One row of `check --summary`.
pub struct SummaryRow {
    path: String,
    readiness: Option<Readiness>,
}

impl SummaryRow {
    /// The row of one checked document.
    pub fn new(path: String, doc: &Document, analysis: &Analysis, template: &Template) -> Self {
        SummaryRow {
            path,
            readiness: readiness(&doc.text(), analysis, template),
        }
    }
}

/// Sorts the rows of `check --summary`: most ready first (ties by path), documents that
/// are not write-ups last.
pub fn sort_rows(rows: &mut [SummaryRow]) {
    rows.sort_by(|a, b| {
        let score = |r: &SummaryRow| r.readiness.as_ref().map(|r| r.score);
        score(b).cmp(&score(a)).then_with(|| a.path.cmp(&b.path))
    });
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
