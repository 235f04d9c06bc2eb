//! Suppression comments read from the syntax, as markdownlint has them:
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

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;
use tree_sitter::Tree;

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
    pub(crate) fn covers(&self, code: &str) -> bool {
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
