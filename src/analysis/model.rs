//! Reads the syntax tree of a document into the plain facts the rules need: front matter,
//! headings, fields, prose blocks (with everything that is not prose blanked out) and
//! bracketed texts that may be placeholders.
//!
//! Every walk here is iterative (a tree cursor, never recursion), so a document nested
//! fifty thousand levels deep cannot overflow the stack.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;
use tree_sitter::{Node, Tree};

use crate::document::Document;

/// Front matter (`---` … `---`) and its top-level keys.
#[derive(Clone, Debug, Default)]
pub struct FrontMatter {
    pub range: Range<usize>,
    pub entries: Vec<FrontMatterEntry>,
}

#[derive(Clone, Debug)]
pub struct FrontMatterEntry {
    pub key: String,
    /// The whole `key: value` line, without its line ending.
    pub line_range: Range<usize>,
    /// The value, empty when only the key is written (a block list below counts as a value).
    pub value: String,
}

/// A heading of the document.
#[derive(Clone, Debug)]
pub struct Heading {
    pub level: u8,
    /// The heading text (inline content), trimmed.
    pub text: String,
    /// The heading line(s) without the final line ending.
    pub range: Range<usize>,
    /// The byte range of the heading's text.
    pub text_range: Range<usize>,
    /// Where the heading's section ends (next heading of the same or a higher level).
    pub section_end: usize,
    /// The section (subsections included) holds something besides headings and comments.
    pub has_content: bool,
}

/// A field: a list item starting with `**Label**:`.
#[derive(Clone, Debug)]
pub struct Field {
    pub label: String,
    /// `**Label**:` including the colon.
    pub label_range: Range<usize>,
    /// The value after the colon, trimmed (empty range right after the colon when empty).
    pub value_range: Range<usize>,
    /// The whole list item.
    pub item_range: Range<usize>,
    /// The list item holds more blocks than its first paragraph (e.g. sub-bullets).
    pub has_nested_content: bool,
}

/// A block of prose (the inline content of a paragraph or heading).
#[derive(Clone, Debug)]
pub struct ProseBlock {
    pub range: Range<usize>,
    /// The text of `range` with every byte that is not the writer's prose (code, HTML,
    /// URLs, link destinations, markup, placeholders, a field's label) replaced by a space;
    /// line breaks are kept. Same length as `range`, so offsets carry over.
    pub prose: String,
    /// The block is a heading's text.
    pub is_heading: bool,
    /// Index into [`DocModel::fields`] when the block is a field's first paragraph.
    pub field: Option<usize>,
}

/// A bracketed text `[...]` that is not markdown syntax as far as the tree tells.
#[derive(Clone, Debug)]
pub struct Bracket {
    /// From `[` to `]` inclusive.
    pub range: Range<usize>,
    /// The text between the brackets.
    pub inner: String,
}

/// Everything the rules need from one document.
#[derive(Clone, Debug, Default)]
pub struct DocModel {
    pub front_matter: Option<FrontMatter>,
    pub headings: Vec<Heading>,
    pub fields: Vec<Field>,
    pub blocks: Vec<ProseBlock>,
    pub brackets: Vec<Bracket>,
    /// Labels of link reference definitions, normalised as CommonMark does.
    pub link_labels: HashSet<String>,
    /// Top-level lists (for folding), without their final line ending.
    pub lists: Vec<Range<usize>>,
}

/// Block nodes that are content of a section (anything else is structure or invisible).
fn is_content_block(kind: &str) -> bool {
    matches!(
        kind,
        "paragraph"
            | "fenced_code_block"
            | "indented_code_block"
            | "pipe_table"
            | "block_quote"
            | "list_item"
    )
}

/// Builds the model of a document.
pub fn read(doc: &Document, text: &str) -> DocModel {
    let mut model = DocModel::default();
    let tree = doc.block_tree();
    let mut inline_nodes: Vec<(Node<'_>, Option<usize>, bool)> = Vec::new();
    let mut content_starts: Vec<usize> = Vec::new();
    let mut field_inlines: HashSet<usize> = HashSet::new();

    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        let kind = node.kind();
        let mut descend = true;
        match kind {
            "minus_metadata" => {
                model.front_matter = Some(read_front_matter(text, node.byte_range()));
                descend = false;
            }
            "atx_heading" | "setext_heading" => {
                if let Some(heading) = read_heading(&node, text) {
                    if let Some(inline) = heading_inline(&node) {
                        inline_nodes.push((inline, None, true));
                    }
                    model.headings.push(heading);
                }
                descend = false;
            }
            "paragraph" => {
                // A definition right after a footnote definition (`[^1]: …`) is read by
                // tree-sitter as paragraph text; Obsidian and GitHub treat it as a
                // definition, and so do we.
                for line in text[node.byte_range()].lines() {
                    if let Some(label) = definition_label(line) {
                        model.link_labels.insert(normalize_link_label(label));
                    }
                }
            }
            "link_reference_definition" => {
                if let Some(label) = child_of_kind(&node, "link_label") {
                    model
                        .link_labels
                        .insert(normalize_link_label(&text[label.byte_range()]));
                }
                descend = false;
            }
            // Code is content but not prose; HTML (comments above all) is neither.
            "fenced_code_block" | "indented_code_block" | "html_block" | "plus_metadata" => {
                descend = false;
            }
            "list" => {
                let nested = node.parent().is_some_and(|p| p.kind() == "list_item");
                if !nested {
                    model.lists.push(trim_line_end(text, node.byte_range()));
                }
            }
            "list_item" => {
                if let Some(field) = read_field(&node, text) {
                    let paragraph = child_of_kind(&node, "paragraph");
                    let index = model.fields.len();
                    model.fields.push(field);
                    if let Some(inline) = paragraph.and_then(|p| child_of_kind(&p, "inline")) {
                        field_inlines.insert(inline.id());
                        inline_nodes.push((inline, Some(index), false));
                    }
                }
            }
            "inline" => {
                if !field_inlines.contains(&node.id()) {
                    inline_nodes.push((node, None, false));
                }
                descend = false;
            }
            "pipe_table_cell" => {
                inline_nodes.push((node, None, false));
                descend = false;
            }
            _ => {}
        }
        if is_content_block(kind) {
            content_starts.push(node.start_byte());
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }

    finish_headings(&mut model.headings, &content_starts, text.len());

    let labels = model.link_labels.clone();
    for (node, field, is_heading) in inline_nodes {
        let range = node.byte_range();
        let mut prose = text[range.clone()].as_bytes().to_vec();
        blank_block_children(&node, range.start, &mut prose);
        let brackets_before = model.brackets.len();
        let mut html_tags = Vec::new();
        if let Some(inline_tree) = doc.inline_tree(&node) {
            read_inline(
                inline_tree,
                text,
                range.start,
                &mut prose,
                &labels,
                &mut model.brackets,
                &mut html_tags,
            );
        }
        if let Some(index) = field
            && let Some(field) = model.fields.get(index)
        {
            blank(&mut prose, range.start, field.label_range.clone());
        }
        let mut hidden = html_element_ranges(text, &html_tags);
        for r in &hidden {
            blank(&mut prose, range.start, r.clone());
        }
        for url in bare_urls(&text[range.clone()]) {
            let url = url.start + range.start..url.end + range.start;
            blank(&mut prose, range.start, url.clone());
            hidden.push(url);
        }
        let mut k = brackets_before;
        while k < model.brackets.len() {
            let b = &model.brackets[k].range;
            if hidden.iter().any(|h| h.start < b.end && b.start < h.end) {
                model.brackets.remove(k);
            } else {
                k += 1;
            }
        }
        let prose = String::from_utf8(prose).unwrap_or_else(|e| {
            // Blanking works on node boundaries, which are char boundaries; should a
            // boundary ever be off, losing the block's prose beats a corrupted offset.
            " ".repeat(e.as_bytes().len())
        });
        model.blocks.push(ProseBlock {
            range,
            prose,
            is_heading,
            field,
        });
    }
    model.blocks.sort_by_key(|b| b.range.start);
    model.brackets.sort_by_key(|b| b.range.start);
    model
}

fn child_of_kind<'t>(node: &Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut cursor = node.walk();
    node.children(&mut cursor).find(|c| c.kind() == kind)
}

fn heading_inline<'t>(node: &Node<'t>) -> Option<Node<'t>> {
    if node.kind() == "setext_heading" {
        let paragraph = child_of_kind(node, "paragraph")?;
        child_of_kind(&paragraph, "inline")
    } else {
        child_of_kind(node, "inline")
    }
}

fn read_heading(node: &Node<'_>, text: &str) -> Option<Heading> {
    let level = if node.kind() == "setext_heading" {
        if child_of_kind(node, "setext_h1_underline").is_some() {
            1
        } else {
            2
        }
    } else {
        let mut cursor = node.walk();
        let marker = node
            .children(&mut cursor)
            .find(|c| c.kind().starts_with("atx_h") && c.kind().ends_with("_marker"))?;
        u8::try_from(marker.byte_range().len()).ok()?
    };
    let range = trim_line_end(text, node.byte_range());
    let (text_range, heading_text) = match heading_inline(node) {
        Some(inline) => {
            let r = inline.byte_range();
            (r.clone(), text[r].trim().to_string())
        }
        None => (range.end..range.end, String::new()),
    };
    Some(Heading {
        level,
        text: heading_text,
        range,
        text_range,
        section_end: text.len(),
        has_content: false,
    })
}

/// Fills each heading's section end and whether the section has content.
fn finish_headings(headings: &mut [Heading], content_starts: &[usize], len: usize) {
    let mut starts = content_starts.to_vec();
    starts.sort_unstable();
    for i in 0..headings.len() {
        let level = headings[i].level;
        let end = headings[i + 1..]
            .iter()
            .find(|h| h.level <= level)
            .map(|h| h.range.start)
            .unwrap_or(len);
        let from = headings[i].range.end;
        let first = starts.partition_point(|&s| s < from);
        headings[i].section_end = end;
        headings[i].has_content = starts.get(first).is_some_and(|&s| s < end);
    }
}

fn trim_line_end(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let trimmed = slice.trim_end_matches(['\n', '\r']);
    range.start..range.start + trimmed.len()
}

fn read_front_matter(text: &str, range: Range<usize>) -> FrontMatter {
    let mut entries: Vec<FrontMatterEntry> = Vec::new();
    let mut offset = range.start;
    let block = &text[range.clone()];
    for raw_line in block.split_inclusive('\n') {
        let line_start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        if line.trim_end() == "---" || line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t', '-']) {
            // A continuation (block list or nested map) gives the previous key a value.
            if let Some(last) = entries.last_mut()
                && last.value.is_empty()
            {
                last.value = line.trim().to_string();
            }
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            entries.push(FrontMatterEntry {
                key: key.trim().to_string(),
                line_range: line_start..line_start + line.len(),
                value: value.trim().to_string(),
            });
        }
    }
    FrontMatter { range, entries }
}

/// Reads `- **Label**: value` from a list item.
fn read_field(item: &Node<'_>, text: &str) -> Option<Field> {
    let paragraph = child_of_kind(item, "paragraph")?;
    let inline = child_of_kind(&paragraph, "inline")?;
    let start = inline.start_byte();
    let rest = &text[start..inline.end_byte()];
    let delimiter = if rest.starts_with("**") {
        "**"
    } else if rest.starts_with("__") {
        "__"
    } else {
        return None;
    };
    let after_open = &rest[2..];
    let close = after_open.find(delimiter)?;
    let inner = &after_open[..close];
    if inner.contains('\n') {
        return None;
    }
    let mut label_end = start + 2 + close + 2;
    let label = if let Some(label) = inner.trim_end().strip_suffix(':') {
        label
    } else if text[label_end..].starts_with(':') {
        label_end += 1;
        inner
    } else {
        return None;
    };
    let label = label.trim();
    if label.is_empty() {
        return None;
    }
    let paragraph_end = inline.end_byte();
    let value = &text[label_end..paragraph_end];
    let lead = value.len() - value.trim_start().len();
    let value_start = label_end + lead;
    let value_end = value_start + value.trim().len();
    let mut cursor = item.walk();
    let has_nested_content = item
        .children(&mut cursor)
        .any(|c| c.id() != paragraph.id() && is_content_block(c.kind()) || c.kind() == "list");
    Some(Field {
        label: label.to_string(),
        label_range: start..label_end,
        value_range: value_start..value_end,
        item_range: trim_line_end(text, item.byte_range()),
        has_nested_content,
    })
}

/// Blanks the named block-tree children of an inline node (block continuations such as
/// `> ` at the start of a quoted line).
fn blank_block_children(inline: &Node<'_>, base: usize, prose: &mut [u8]) {
    let mut cursor = inline.walk();
    for child in inline.children(&mut cursor) {
        if child.is_named() {
            blank(prose, base, child.byte_range());
        }
    }
}

/// Replaces bytes of `range` (document offsets) in `prose` (which starts at `base`) with
/// spaces, keeping line breaks.
fn blank(prose: &mut [u8], base: usize, range: Range<usize>) {
    let start = range.start.saturating_sub(base).min(prose.len());
    let end = range.end.saturating_sub(base).min(prose.len());
    for b in &mut prose[start..end] {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// Ranges of bare URLs (`https://…`, `www.…`) in a piece of text.
fn bare_urls(text: &str) -> Vec<Range<usize>> {
    static URL: OnceLock<Option<Regex>> = OnceLock::new();
    URL.get_or_init(|| Regex::new(r"(?i)\b(?:https?://|ftp://|www\.)[^\s<>]+").ok())
        .as_ref()
        .map(|re| re.find_iter(text).map(|m| m.range()).collect())
        .unwrap_or_default()
}

/// The label of a link reference (or footnote) definition line: `[label]: destination`.
fn definition_label(line: &str) -> Option<&str> {
    let rest = line.trim_start_matches(' ').strip_prefix('[')?;
    let close = rest.find(']')?;
    let after = rest[close + 1..].strip_prefix(':')?;
    (!after.trim().is_empty() && close > 0).then(|| &rest[..close])
}

/// Ranges of inline HTML elements (`<span>…</span>`, opening tag to closing tag) given the
/// ranges of the inline's HTML tags in order. Unpaired tags cover only themselves.
fn html_element_ranges(text: &str, tags: &[Range<usize>]) -> Vec<Range<usize>> {
    let name_of = |r: &Range<usize>| -> (String, bool, bool) {
        let tag = text.get(r.clone()).unwrap_or("");
        let closing = tag.starts_with("</");
        let self_closing = tag.ends_with("/>") || tag.starts_with("<!");
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        (name, closing, self_closing)
    };
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut out = Vec::new();
    for r in tags {
        let (name, closing, self_closing) = name_of(r);
        if self_closing || name.is_empty() {
            out.push(r.clone());
        } else if !closing {
            open.push((name, r.start));
        } else if let Some(k) = open.iter().rposition(|(n, _)| *n == name) {
            out.push(open[k].1..r.end);
            open.truncate(k);
        } else {
            out.push(r.clone());
        }
    }
    out
}

/// Inline node kinds whose whole text is not the writer's prose.
fn is_non_prose_inline(kind: &str) -> bool {
    matches!(
        kind,
        "code_span"
            | "html_tag"
            | "uri_autolink"
            | "email_autolink"
            | "link_destination"
            | "link_title"
            | "link_label"
            | "image"
            | "latex_block"
            | "entity_reference"
            | "numeric_character_reference"
            | "emphasis_delimiter"
            | "code_span_delimiter"
            | "backslash_escape"
    )
}

/// Walks one inline tree: blanks non-prose, collects bracket candidates.
fn read_inline(
    tree: &Tree,
    text: &str,
    base: usize,
    prose: &mut [u8],
    labels: &HashSet<String>,
    brackets: &mut Vec<Bracket>,
    html_tags: &mut Vec<Range<usize>>,
) {
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        let kind = node.kind();
        let mut descend = true;
        if is_non_prose_inline(kind) {
            if kind == "html_tag" {
                html_tags.push(node.byte_range());
            }
            blank(prose, base, node.byte_range());
            descend = false;
        } else if matches!(kind, "[" | "]" | "(" | ")")
            && node.parent().is_some_and(|p| p.kind().ends_with("link"))
        {
            blank(prose, base, node.byte_range());
        } else if kind == "shortcut_link" {
            let range = node.byte_range();
            let inner = text
                .get(range.start + 1..range.end.saturating_sub(1))
                .unwrap_or("");
            let prev = range
                .start
                .checked_sub(1)
                .and_then(|i| text.as_bytes().get(i));
            let next = text.as_bytes().get(range.end);
            let wiki = prev == Some(&b'[') && next == Some(&b']');
            let defined = labels.contains(&normalize_link_label(inner));
            let line_start = range.start == 0 || text.as_bytes()[range.start - 1] == b'\n';
            let definition = line_start && next == Some(&b':');
            let syntax = inner.starts_with(['^', '!'])
                || inner.trim().is_empty()
                || inner.eq_ignore_ascii_case("x")
                || inner.chars().all(|c| c.is_ascii_digit())
                || definition
                || is_reference_id(inner);
            if wiki {
                // `[[Page]]`: keep the page name as prose, drop the brackets.
                blank(prose, base, range.start - 1..range.start + 1);
                blank(prose, base, range.end - 1..range.end + 1);
            } else if defined {
                blank(prose, base, range.start..range.start + 1);
                blank(prose, base, range.end - 1..range.end);
            } else {
                blank(prose, base, range.clone());
                if !syntax {
                    brackets.push(Bracket {
                        range,
                        inner: inner.to_string(),
                    });
                }
            }
            descend = false;
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
}

/// A ticket or document id such as `RFC-12`, `JIRA-3141` or `ADR-7`: a reference, not a
/// prompt to fill in.
fn is_reference_id(inner: &str) -> bool {
    let Some((prefix, number)) = inner.split_once('-') else {
        return false;
    };
    !prefix.is_empty()
        && prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && prefix.starts_with(|c: char| c.is_ascii_uppercase())
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
}

/// Normalises a link label as CommonMark does: brackets dropped, case folded, inner
/// whitespace collapsed.
pub fn normalize_link_label(label: &str) -> String {
    let inner = label
        .trim()
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(label);
    inner
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}
