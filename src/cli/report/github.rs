//! `--format github`: GitHub Actions workflow commands, one per finding.

use std::io::Write;

use reframe_core::document::PositionEncoding;
use reframe_core::rules::Severity;

use crate::cli::report::Checked;

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

/// Writes the workflow commands of one file's findings.
pub(crate) fn write_github(out: &mut impl Write, c: &Checked) -> std::io::Result<()> {
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(github_data("50% a\nb"), "50%25 a%0Ab");
        assert_eq!(github_property("a:b,c"), "a%3Ab%2Cc");
    }
}
