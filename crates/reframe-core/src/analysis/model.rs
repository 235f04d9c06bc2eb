//! Reads the syntax tree of a document into the plain facts the rules need: front matter,
//! headings, fields, prose blocks (with everything that is not prose blanked out) and
//! bracketed texts that may be placeholders.
//!
//! Every walk here is iterative (a tree cursor, never recursion), so a document nested
//! fifty thousand levels deep cannot overflow the stack.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use regex::Regex;
use tree_sitter::{Node, Tree, TreeCursor};

use super::directives::{self, Directive};
use crate::document::{
    ChunkSyntax, Document, bold_label_delimiters, is_inline_kind, may_hold_inline_syntax,
};

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

/// An inline node (the text of a paragraph, heading or table cell) as read from one chunk,
/// before the document's link reference definitions are known.
#[derive(Clone, Debug)]
pub struct InlineFacts {
    pub range: Range<usize>,
    pub is_heading: bool,
    /// Index into the chunk's fields when this is a field's first paragraph.
    pub field: Option<usize>,
    /// What is not prose whatever the link definitions say, relative to the node's start.
    blanks: Vec<Range<usize>>,
    /// Bracketed texts that are a link when their label is defined and otherwise
    /// blanked, and a placeholder candidate unless they look like syntax.
    links: Vec<LinkFacts>,
    /// HTML elements and bare URLs: a bracket inside one is never a placeholder.
    hidden: Vec<Range<usize>>,
}

/// A `[...]` that is not a wiki link.
#[derive(Clone, Debug)]
struct LinkFacts {
    range: Range<usize>,
    inner: String,
    /// `inner` normalised as a link label.
    label: String,
    /// Looks like markdown or Obsidian syntax (footnote, callout, task box, citation,
    /// definition, ticket id) rather than a prompt.
    syntax: bool,
}

/// What one chunk of a document holds, with offsets relative to the chunk's start, as far
/// as it can be known without the rest of the document. [`ChunkFacts::model`] finishes it
/// once the document's link labels are known.
#[derive(Clone, Debug, Default)]
pub struct ChunkFacts {
    /// The chunk's length in bytes.
    pub len: usize,
    /// Line breaks in the text (`\n`, `\r\n` and a lone `\r` each count one), so the line
    /// a later chunk starts on is the sum of those before it.
    pub line_breaks: usize,
    pub front_matter: Option<FrontMatter>,
    /// Headings; `section_end` and `has_content` are the document's to fill in.
    pub headings: Vec<Heading>,
    /// Where content blocks start, sorted.
    pub content_starts: Vec<usize>,
    pub fields: Vec<Field>,
    /// Top-level lists, without their final line ending.
    pub lists: Vec<Range<usize>>,
    /// Labels of the link reference definitions in the chunk, normalised.
    pub link_labels: Vec<String>,
    /// Inline nodes in document order.
    pub inlines: Vec<InlineFacts>,
    /// Suppression comments in the chunk.
    pub directives: Vec<Directive>,
}

/// What the inline tree of one inline node says, offsets relative to the node's start.
#[derive(Debug, Default)]
struct InlineParse {
    /// Ranges that are not prose (code, HTML, URLs, markup, wiki brackets).
    blanks: Vec<Range<usize>>,
    links: Vec<LinkFacts>,
    html_tags: Vec<Range<usize>>,
    /// Suppression comments in inline HTML.
    directives: Vec<Directive>,
}

/// What an inline parse depends on: the node's text with the bytes just before and after
/// it, and the ranges the parse reads (the node minus block continuation markers).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct InlineKey {
    before: Option<u8>,
    text: Box<str>,
    after: Option<u8>,
    ranges: Box<[(usize, usize)]>,
}

/// Inline parses of recently read inline nodes, so that reading a chunk again after an
/// edit parses only the inline nodes whose text changed. Entries last two rounds
/// ([`InlineCache::next_round`]) after their last use.
#[derive(Debug, Default)]
pub struct InlineCache {
    current: HashMap<InlineKey, Arc<InlineParse>>,
    previous: HashMap<InlineKey, Arc<InlineParse>>,
    /// Parses made this round, not taken from the cache.
    parsed: usize,
}

/// The most inline parses a round adds to the cache: an edit reads a chunk or two again,
/// while opening a document reads every chunk once, which the cache cannot help.
const INLINE_CACHE_ROUND: usize = 256;

impl InlineCache {
    /// Starts a round: entries not used in this round or the last are forgotten.
    pub fn next_round(&mut self) {
        self.previous = std::mem::take(&mut self.current);
        self.parsed = 0;
    }
}

/// The inline parse of an inline node of a chunk, from the cache or parsed now.
fn inline_parse(
    syntax: &ChunkSyntax,
    node: &Node<'_>,
    cache: &mut InlineCache,
) -> Arc<InlineParse> {
    let text = syntax.source();
    let range = node.byte_range();
    let Some(node_text) = text.get(range.clone()) else {
        return Arc::default();
    };
    if !may_hold_inline_syntax(node_text) {
        return Arc::default();
    }
    let mut ranges = Vec::new();
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        if child.is_named() {
            let r = child.byte_range();
            ranges.push((r.start - range.start, r.end - range.start));
        }
    }
    let key = InlineKey {
        before: range
            .start
            .checked_sub(1)
            .and_then(|i| text.as_bytes().get(i))
            .copied(),
        text: node_text.into(),
        after: text.as_bytes().get(range.end).copied(),
        ranges: ranges.into(),
    };
    if let Some(found) = cache.current.get(&key) {
        return found.clone();
    }
    let parse = match cache.previous.remove(&key) {
        Some(found) => found,
        None => {
            cache.parsed += 1;
            let parse = Arc::new(read_inline_node(syntax, node));
            if cache.parsed > INLINE_CACHE_ROUND {
                return parse;
            }
            parse
        }
    };
    cache.current.insert(key, parse.clone());
    parse
}

/// Parses the inline tree of an inline node and reads it.
fn read_inline_node(syntax: &ChunkSyntax, node: &Node<'_>) -> InlineParse {
    let text = syntax.source();
    let base = node.start_byte();
    let mut parse = InlineParse::default();
    // A field's bold label and plain text: what its parse would show, without a parse.
    if node.named_child_count() == 0
        && is_inline_kind(node.kind())
        && let Some(delimiters) = text.get(node.byte_range()).and_then(bold_label_delimiters)
    {
        parse.blanks = delimiters.iter().map(|&d| d..d + 1).collect();
        return parse;
    }
    let Some(tree) = syntax.inline_tree(node) else {
        return parse;
    };
    read_inline(&tree, text, base, &mut parse);
    if text[node.byte_range()].contains("reframe-") {
        let mut directives = Vec::new();
        directives::collect_inline(&tree, text, &mut directives);
        parse.directives = directives
            .into_iter()
            .map(|d| Directive {
                range: d.range.start - base..d.range.end - base,
                ..d
            })
            .collect();
    }
    parse
}

/// The number of line breaks in `text`: `\n`, `\r\n` and a lone `\r` each count one.
fn count_line_breaks(text: &str) -> usize {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count()
}

/// Moves `cursor` to the next node in document order: into the current node's first child
/// when `descend`, else to the next sibling of it or of its nearest ancestor that has one.
/// False when the walk is over. An iterative walk, so no depth overflows the stack.
fn next_node(cursor: &mut TreeCursor<'_>, descend: bool) -> bool {
    if descend && cursor.goto_first_child() {
        return true;
    }
    loop {
        if cursor.goto_next_sibling() {
            return true;
        }
        if !cursor.goto_parent() {
            return false;
        }
    }
}

/// Reads one chunk, taking inline parses from `cache` where it has them.
pub fn read_chunk(syntax: &ChunkSyntax, cache: &mut InlineCache) -> ChunkFacts {
    let text = syntax.source();
    let mut facts = ChunkFacts {
        len: syntax.len(),
        line_breaks: count_line_breaks(syntax.text()),
        ..ChunkFacts::default()
    };
    let tree = syntax.block_tree();
    let mut inline_nodes: Vec<(Node<'_>, Option<usize>, bool)> = Vec::new();
    let mut field_inlines: HashSet<usize> = HashSet::new();
    let may_suppress = text.contains("reframe-");

    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        let kind = node.kind();
        let mut descend = true;
        if !syntax.owns(&node) {
            // The start of the next chunk, read only to know where this one ends.
            descend = false;
        } else {
            match kind {
                "minus_metadata" => {
                    // The parse may have read a line feed past the end of the text.
                    let range = node.start_byte()..node.end_byte().min(syntax.len());
                    facts.front_matter = Some(read_front_matter(text, range));
                    descend = false;
                }
                "atx_heading" | "setext_heading" => {
                    if let Some(heading) = read_heading(&node, text) {
                        if let Some(inline) = heading_inline(&node) {
                            inline_nodes.push((inline, None, true));
                        }
                        facts.headings.push(heading);
                    }
                    descend = false;
                }
                "paragraph" => {
                    // A definition right after a footnote definition (`[^1]: …`) is read
                    // by tree-sitter as paragraph text; Obsidian and GitHub treat it as a
                    // definition, and so do we.
                    for line in text[node.byte_range()].lines() {
                        if let Some(label) = definition_label(line) {
                            facts.link_labels.push(normalize_link_label(label));
                        }
                    }
                }
                "link_reference_definition" => {
                    if let Some(label) = child_of_kind(&node, "link_label") {
                        facts
                            .link_labels
                            .push(normalize_link_label(&text[label.byte_range()]));
                    }
                    descend = false;
                }
                "html_block" => {
                    if may_suppress && let Some(html) = text.get(node.byte_range()) {
                        directives::read_directives(html, node.start_byte(), &mut facts.directives);
                    }
                    descend = false;
                }
                // Code is content but not prose; front matter in TOML is neither.
                "fenced_code_block" | "indented_code_block" | "plus_metadata" => {
                    descend = false;
                }
                "list" => {
                    let nested = node.parent().is_some_and(|p| p.kind() == "list_item");
                    if !nested {
                        facts.lists.push(trim_line_end(text, node.byte_range()));
                    }
                }
                "list_item" => {
                    if let Some(field) = read_field(&node, text) {
                        let paragraph = child_of_kind(&node, "paragraph");
                        let index = facts.fields.len();
                        facts.fields.push(field);
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
                facts.content_starts.push(node.start_byte());
            }
        }
        if !next_node(&mut cursor, descend) {
            break;
        }
    }
    facts.content_starts.sort_unstable();

    for (node, field, is_heading) in inline_nodes {
        let range = node.byte_range();
        let relative = |r: Range<usize>| {
            r.start.saturating_sub(range.start).min(range.len())
                ..r.end.saturating_sub(range.start).min(range.len())
        };
        let mut blanks: Vec<Range<usize>> = Vec::new();
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            // Block continuations (`> ` at the start of a quoted line).
            if child.is_named() {
                blanks.push(relative(child.byte_range()));
            }
        }
        let parse = inline_parse(syntax, &node, cache);
        blanks.extend(parse.blanks.iter().cloned());
        let shift = |r: &Range<usize>| r.start + range.start..r.end + range.start;
        let links: Vec<LinkFacts> = parse
            .links
            .iter()
            .map(|link| LinkFacts {
                range: shift(&link.range),
                ..link.clone()
            })
            .collect();
        let html_tags: Vec<Range<usize>> = parse.html_tags.iter().map(shift).collect();
        facts
            .directives
            .extend(parse.directives.iter().map(|d| Directive {
                range: shift(&d.range),
                ..d.clone()
            }));
        if let Some(index) = field
            && let Some(field) = facts.fields.get(index)
        {
            blanks.push(relative(field.label_range.clone()));
        }
        let mut hidden = html_element_ranges(text, &html_tags);
        blanks.extend(hidden.iter().map(|r| relative(r.clone())));
        for url in bare_urls(&text[range.clone()]) {
            blanks.push(url.clone());
            hidden.push(shift(&url));
        }
        blanks.retain(|b| !b.is_empty());
        blanks.shrink_to_fit();
        hidden.shrink_to_fit();
        facts.inlines.push(InlineFacts {
            range,
            is_heading,
            field,
            blanks,
            links,
            hidden,
        });
    }
    facts.inlines.sort_by_key(|b| b.range.start);
    facts.directives.sort_by_key(|d| d.range.start);
    facts.directives.dedup();
    // Kept for as long as the chunk is unchanged: no spare room.
    facts.inlines.shrink_to_fit();
    facts.headings.shrink_to_fit();
    facts.fields.shrink_to_fit();
    facts.content_starts.shrink_to_fit();
    facts
}

impl ChunkFacts {
    /// The labels of the chunk's bracketed texts that a definition could turn into links,
    /// in order: [`ChunkFacts::model`] asks about exactly these.
    pub fn link_candidates(&self) -> impl Iterator<Item = &str> + '_ {
        self.inlines
            .iter()
            .flat_map(|inline| inline.links.iter().map(|link| link.label.as_str()))
    }

    /// The chunk's model, offsets relative to the chunk, given the chunk's text and which
    /// of the labels of [`ChunkFacts::link_candidates`] are defined somewhere in the
    /// document: fields, prose blocks and placeholder candidates, plus the chunk's
    /// headings (as read), front matter, lists and link labels.
    pub fn model(&self, text: &str, defined: &[bool]) -> DocModel {
        let mut model = DocModel {
            front_matter: self.front_matter.clone(),
            headings: self.headings.clone(),
            fields: self.fields.clone(),
            blocks: Vec::with_capacity(self.inlines.len()),
            brackets: Vec::new(),
            link_labels: self.link_labels.iter().cloned().collect(),
            lists: self.lists.clone(),
        };
        let mut defined = defined.iter();
        for inline in &self.inlines {
            let base = inline.range.start;
            let mut prose = text
                .get(inline.range.clone())
                .unwrap_or("")
                .as_bytes()
                .to_vec();
            for b in &inline.blanks {
                blank(&mut prose, 0, b.clone());
            }
            for link in &inline.links {
                let range = link.range.clone();
                if defined.next().copied().unwrap_or(false) {
                    blank(&mut prose, base, range.start..range.start + 1);
                    blank(&mut prose, base, range.end - 1..range.end);
                } else {
                    blank(&mut prose, base, range.clone());
                    let hidden = inline
                        .hidden
                        .iter()
                        .any(|h| h.start < range.end && range.start < h.end);
                    if !link.syntax && !hidden {
                        model.brackets.push(Bracket {
                            range,
                            inner: link.inner.clone(),
                        });
                    }
                }
            }
            let prose = String::from_utf8(prose).unwrap_or_else(|e| {
                // Blanking works on node boundaries, which are char boundaries; should a
                // boundary ever be off, losing the block's prose beats a corrupted offset.
                " ".repeat(e.as_bytes().len())
            });
            model.blocks.push(ProseBlock {
                range: inline.range.clone(),
                prose,
                is_heading: inline.is_heading,
                field: inline.field,
            });
        }
        model.brackets.sort_by_key(|b| b.range.start);
        model
    }
}

/// Builds the model of a whole document (each chunk read afresh).
pub fn read(doc: &Document) -> DocModel {
    let mut chunks = Vec::new();
    doc.visit_chunks(|chunk| {
        let start = chunk.range().start;
        let text = chunk.text().into_owned();
        chunks.push((
            start,
            text,
            read_chunk(&chunk.syntax(), &mut InlineCache::default()),
        ));
    });
    let labels: HashSet<String> = chunks
        .iter()
        .flat_map(|(_, _, facts)| facts.link_labels.iter().cloned())
        .collect();
    let mut model = DocModel::default();
    let mut content_starts = Vec::new();
    for (start, text, facts) in &chunks {
        let defined: Vec<bool> = facts
            .link_candidates()
            .map(|label| labels.contains(label))
            .collect();
        let part = facts.model(text, &defined);
        model.append(part, *start);
        content_starts.extend(facts.content_starts.iter().map(|s| s + start));
    }
    finish_headings(&mut model.headings, &content_starts, doc.len_bytes());
    model
}

impl DocModel {
    /// Appends the model of a chunk that starts at `offset`, moving its offsets there.
    pub fn append(&mut self, part: DocModel, offset: usize) {
        let fields_before = self.fields.len();
        let shift = |r: Range<usize>| r.start + offset..r.end + offset;
        if let Some(fm) = part.front_matter {
            self.front_matter = Some(FrontMatter {
                range: shift(fm.range),
                entries: fm
                    .entries
                    .into_iter()
                    .map(|e| FrontMatterEntry {
                        line_range: shift(e.line_range),
                        ..e
                    })
                    .collect(),
            });
        }
        self.headings
            .extend(part.headings.into_iter().map(|h| Heading {
                range: shift(h.range),
                text_range: shift(h.text_range),
                section_end: h.section_end + offset,
                ..h
            }));
        self.fields.extend(part.fields.into_iter().map(|f| Field {
            label_range: shift(f.label_range),
            value_range: shift(f.value_range),
            item_range: shift(f.item_range),
            ..f
        }));
        self.blocks
            .extend(part.blocks.into_iter().map(|b| ProseBlock {
                range: shift(b.range),
                field: b.field.map(|i| i + fields_before),
                ..b
            }));
        self.brackets
            .extend(part.brackets.into_iter().map(|b| Bracket {
                range: shift(b.range),
                ..b
            }));
        self.link_labels.extend(part.link_labels);
        self.lists.extend(part.lists.into_iter().map(shift));
    }
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
pub fn finish_headings(headings: &mut [Heading], content_starts: &[usize], len: usize) {
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

/// Walks one inline tree whose offsets index `text`: collects what is not prose,
/// bracketed texts and HTML tags, with offsets relative to `base`.
fn read_inline(tree: &Tree, text: &str, base: usize, out: &mut InlineParse) {
    let relative = |r: Range<usize>| r.start - base..r.end - base;
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        let kind = node.kind();
        let mut descend = true;
        if is_non_prose_inline(kind) {
            if kind == "html_tag" {
                out.html_tags.push(relative(node.byte_range()));
            }
            out.blanks.push(relative(node.byte_range()));
            descend = false;
        } else if matches!(kind, "[" | "]" | "(" | ")")
            && node.parent().is_some_and(|p| p.kind().ends_with("link"))
        {
            out.blanks.push(relative(node.byte_range()));
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
                out.blanks.push(relative(range.start - 1..range.start + 1));
                out.blanks.push(relative(range.end - 1..range.end + 1));
            } else {
                out.links.push(LinkFacts {
                    range: relative(range),
                    inner: inner.to_string(),
                    label: normalize_link_label(inner),
                    syntax,
                });
            }
            descend = false;
        }
        if !next_node(&mut cursor, descend) {
            break;
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
