//! `--format human`: compiler-style findings rendered by annotate-snippets (carets placed
//! by display width, so CJK text and emoji before a finding do not shift them), then one
//! summary line per file. Styles are always written; the `anstream` stream they go
//! through drops them unless colour is on (`--color`, `NO_COLOR`, `CLICOLOR_FORCE`, a
//! terminal).

use std::io::Write;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};

use reframe_core::analysis::{self, Finding};
use reframe_core::document::PositionEncoding;
use reframe_core::rules::{RuleCode, Severity};
use reframe_lsp::to_proto;

use crate::cli::report::{Checked, section_progress};

const BOLD: Style = Style::new().bold();

fn severity_style(severity: Severity) -> Style {
    let colour = match severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Information => AnsiColor::Blue,
        Severity::Hint => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(colour.into()))
}

fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// Writes the findings of one file. The report is every file's findings in input order,
/// then every file's [`summary_line`].
pub(crate) fn write_findings(out: &mut impl Write, c: &Checked) -> std::io::Result<()> {
    let renderer = Renderer::styled();
    for f in &c.analysis.findings {
        write_finding(out, &renderer, c, f)?;
    }
    Ok(())
}

/// `path: 2 warnings, 5 information — 7/9 sections, 3 placeholders left`.
pub(crate) fn summary_line(c: &Checked) -> String {
    let path = paint(BOLD, &c.input.display());
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
        paint(severity_style(s), &format!("{n} {word}"))
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

/// Writes one finding like a compiler: the message with its code, the location, the line
/// with the range marked, and where to read more.
fn write_finding(
    out: &mut impl Write,
    renderer: &Renderer,
    c: &Checked,
    f: &Finding,
) -> std::io::Result<()> {
    let start = c
        .doc
        .byte_to_position(f.range.start, PositionEncoding::Utf8);
    let end = c.doc.byte_to_position(f.range.end, PositionEncoding::Utf8);
    let line = c.doc.line_text(start.line as usize);
    let line = line.trim_end_matches(['\n', '\r']);
    let from = (start.character as usize).min(line.len());
    let to = if end.line == start.line {
        (end.character as usize).clamp(from, line.len())
    } else {
        line.len()
    };
    let level = match f.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Information => Level::INFO.with_name("information"),
        Severity::Hint => Level::NOTE.with_name("hint"),
    };
    let path = c.input.display();
    // A long line is shown around the finding only: the renderer measures the whole line
    // for each finding, so a 150 KB line with thousands of findings took seconds.
    let (shown, from_shown, to_shown) = window(line, from, to);
    let snippet = Snippet::source(shown)
        .line_start(start.line as usize + 1)
        .path(path.as_str())
        .annotation(AnnotationKind::Primary.span(from_shown..to_shown));
    let mut group = level
        .primary_title(f.message.as_str())
        .id(f.code.as_str())
        .element(snippet);
    let help = to_proto::help_uri(f.code).map(|u| u.as_str().to_string());
    if let Some(help) = &help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let mut rendered = renderer.render(&[group]);
    if shown.len() != line.len() {
        // The location the renderer wrote counts columns in the part shown.
        let line_number = start.line + 1;
        let column = |text: &str, at: usize| text.get(..at).map_or(0, |t| t.chars().count()) + 1;
        let wrong = format!("{path}:{line_number}:{}", column(shown, from_shown));
        let right = format!("{path}:{line_number}:{}", column(line, from));
        rendered = rendered.replacen(&wrong, &right, 1);
    }
    writeln!(out, "{rendered}")?;
    writeln!(out)
}

/// The longest line shown whole in a finding's snippet.
const LONG_LINE: usize = 400;

/// The part of `line` shown for the range `from..to`: the whole line when it is short,
/// else up to `LONG_LINE / 2` bytes either side of the range, with the range's offsets in
/// that part.
fn window(line: &str, from: usize, to: usize) -> (&str, usize, usize) {
    if line.len() <= LONG_LINE {
        return (line, from, to);
    }
    let mut start = from.saturating_sub(LONG_LINE / 2);
    while !line.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (to + LONG_LINE / 2).min(line.len());
    while !line.is_char_boundary(end) {
        end += 1;
    }
    (&line[start..end], from - start, to - start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_wraps_in_a_style_and_its_reset() {
        assert_eq!(paint(BOLD, "x"), "\x1b[1mx\x1b[0m");
    }
}
