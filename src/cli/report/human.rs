//! `--format human`: compiler-style findings, then one summary line per file.

use std::io::{IsTerminal, Write};

use reframe_core::analysis::{self, Finding};
use reframe_core::document::PositionEncoding;
use reframe_core::rules::{RuleCode, Severity};
use reframe_lsp::to_proto;

use crate::cli::report::{Checked, section_progress};

/// ANSI styles for human output; all empty when colour is off.
#[derive(Clone, Copy)]
pub(crate) struct Colours {
    on: bool,
}

impl Colours {
    /// Colour only when stdout is a terminal and `NO_COLOR` is unset or empty.
    pub(crate) fn for_stdout() -> Colours {
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

pub(crate) fn write_human(
    out: &mut impl Write,
    checked: &[Checked],
    colour: Colours,
) -> std::io::Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
