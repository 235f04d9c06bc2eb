//! Suppression comments, as markdownlint has them:
//!
//! - `<!-- reframe-disable-next-line [codes…] -->`: the line after the comment;
//! - `<!-- reframe-disable-line [codes…] -->`: the line the comment is on;
//! - `<!-- reframe-disable [codes…] -->` … `<!-- reframe-enable [codes…] -->`: from the
//!   comment on (to the matching enable, or the end);
//! - `<!-- reframe-disable-file [codes…] -->`: the whole document, wherever it stands.
//!
//! No codes means every rule; codes are separated by spaces or commas. A finding is
//! placed by where it starts. Comments count only where markdown makes them HTML (an HTML
//! block or inline HTML): not in code, not in front matter.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;
use tree_sitter::Tree;

use super::Finding;
use super::actions::Edit;
use super::model::DocModel;
use crate::document::Document;
use crate::rules::RuleCode;

/// What a directive does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    DisableNextLine,
    DisableLine,
    Disable,
    Enable,
    DisableFile,
}

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub kind: Kind,
    /// The rule codes it names; empty for all.
    pub codes: Vec<String>,
    /// Byte range of the comment.
    pub range: Range<usize>,
}

impl Directive {
    fn covers(&self, code: &str) -> bool {
        self.codes.is_empty() || self.codes.iter().any(|c| c == code)
    }
}

fn directive_pattern() -> Option<&'static Regex> {
    static PATTERN: OnceLock<Option<Regex>> = OnceLock::new();
    PATTERN
        .get_or_init(|| {
            Regex::new(
                r"<!--\s*reframe-(disable-next-line|disable-line|disable-file|disable|enable)(\s[^>]*?)?\s*-->",
            )
            .ok()
        })
        .as_ref()
}

/// Reads the directives of one piece of HTML that starts at byte `offset`.
pub(crate) fn read_directives(html: &str, offset: usize, out: &mut Vec<Directive>) {
    let Some(pattern) = directive_pattern() else {
        return;
    };
    for caps in pattern.captures_iter(html) {
        let (Some(all), Some(kind)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let kind = match kind.as_str() {
            "disable-next-line" => Kind::DisableNextLine,
            "disable-line" => Kind::DisableLine,
            "disable-file" => Kind::DisableFile,
            "disable" => Kind::Disable,
            _ => Kind::Enable,
        };
        let codes = caps
            .get(2)
            .map(|m| {
                m.as_str()
                    .split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        out.push(Directive {
            kind,
            codes,
            range: offset + all.start()..offset + all.end(),
        });
    }
}

/// The suppression comments of a document (whose text is `text`), in document order.
pub fn directives(doc: &Document, text: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    if !text.contains("reframe-") {
        return out;
    }
    doc.visit_chunks(|chunk| {
        if !chunk.text().contains("reframe-") {
            return;
        }
        let start = chunk.range().start;
        let facts = super::model::read_chunk(&chunk.syntax(), &mut Default::default());
        out.extend(facts.directives.into_iter().map(|d| Directive {
            range: d.range.start + start..d.range.end + start,
            ..d
        }));
    });
    out
}

/// Reads the directives in the HTML tags of an inline tree whose offsets index `text`.
pub(crate) fn collect_inline(tree: &Tree, text: &str, out: &mut Vec<Directive>) {
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.kind() == "html_tag" {
            if let Some(html) = text.get(node.byte_range())
                && html.starts_with("<!--")
            {
                read_directives(html, node.start_byte(), out);
            }
            continue;
        }
        if node.kind() == "code_span" {
            continue;
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
}

/// Removes the findings that suppression comments turn off.
pub fn apply(doc: &Document, text: &str, findings: &mut Vec<Finding>) {
    if findings.is_empty() {
        return;
    }
    let directives = directives(doc, text);
    if directives.is_empty() {
        return;
    }
    findings.retain(|f| !suppressed(doc, &directives, f.code, f.range.start));
}

/// Whether the directives (in document order) turn off a finding of rule `code` that
/// starts at byte `start`.
pub(crate) fn suppressed(
    doc: &Document,
    directives: &[Directive],
    code: RuleCode,
    start: usize,
) -> bool {
    let code = code.as_str();
    let line = doc.line_of_byte(start);
    // Replayed disable/enable state: everything off (with exceptions), or some codes off.
    let mut all_off = false;
    let mut except: BTreeSet<&str> = BTreeSet::new();
    let mut off: BTreeSet<&str> = BTreeSet::new();
    for d in directives {
        match d.kind {
            Kind::DisableFile if d.covers(code) => return true,
            Kind::DisableNextLine
                if d.covers(code) && doc.line_of_byte(d.range.end) + 1 == line =>
            {
                return true;
            }
            Kind::DisableLine
                if d.covers(code)
                    && (doc.line_of_byte(d.range.start)..=doc.line_of_byte(d.range.end))
                        .contains(&line) =>
            {
                return true;
            }
            Kind::Disable if d.range.end <= start => {
                if d.codes.is_empty() {
                    all_off = true;
                    except.clear();
                    off.clear();
                } else {
                    for c in &d.codes {
                        off.insert(c.as_str());
                        except.remove(c.as_str());
                    }
                }
            }
            Kind::Enable if d.range.end <= start => {
                if d.codes.is_empty() {
                    all_off = false;
                    except.clear();
                    off.clear();
                } else {
                    for c in &d.codes {
                        off.remove(c.as_str());
                        if all_off {
                            except.insert(c.as_str());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    (all_off && !except.contains(code)) || off.contains(code)
}

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
