//! The "Ignore this finding on this line" quick fix: the suppression comment to insert.

use super::Finding;
use super::edit::Edit;
use super::model::DocModel;

/// The edit of "Ignore this finding on this line": a `reframe-disable-next-line` comment
/// above the finding's line, indented like it. When that line continues a paragraph (a
/// comment line there would split it), a `reframe-disable-line` comment at its end
/// instead. None inside front matter, where HTML comments are not comments.
pub fn ignore_edit(text: &str, model: &DocModel, finding: &Finding) -> Option<Edit> {
    if model
        .front_matter
        .as_ref()
        .is_some_and(|fm| fm.range.contains(&finding.range.start))
    {
        return None;
    }
    let start = finding.range.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    let indent = &line[..line.len() - line.trim_start().len()];
    let code = finding.code.as_str();
    let previous = text[..line_start.saturating_sub(1)]
        .rsplit('\n')
        .next()
        .filter(|_| line_start > 0)
        .map(|l| l.trim_end_matches('\r'));
    let continues_block = previous.is_some_and(|p| {
        let p = p.trim();
        !p.is_empty() && !p.starts_with('#') && !p.ends_with("-->") && p != "---"
    }) && !starts_block(line.trim_start());
    // A line in a table or a quote cannot take a comment line above it either.
    let keep_on_line = continues_block || line.trim_start().starts_with(['|', '>']);
    if keep_on_line {
        let end = line_start + line.len();
        return Some(Edit {
            range: end..end,
            new_text: format!(" <!-- reframe-disable-line {code} -->"),
        });
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    // The document's first line may start with a byte order mark: insert after it.
    let at = if line_start == 0 && text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        line_start
    };
    let indent = indent.trim_start_matches('\u{feff}');
    Some(Edit {
        range: at..at,
        new_text: format!("{indent}<!-- reframe-disable-next-line {code} -->{newline}"),
    })
}

/// True when a line (without its indentation) opens a block of its own: a list item or a
/// heading.
fn starts_block(line: &str) -> bool {
    let line = line.trim_start_matches('\u{feff}');
    if line.starts_with('#') {
        return true;
    }
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) || matches!(line, "-" | "*" | "+") {
        return true;
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}
