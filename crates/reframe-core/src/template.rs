//! The template model: what a write-up template asks for.
//!
//! A template is ordinary markdown in a simple form: optional front matter, `##` section
//! headings (optionally numbered), fields written as list items `- **Label**: prompt`,
//! prose guidance, and reframing pairs (`❌ "weak"` then `✅ "strong"`). Everything the
//! analysis knows about sections, fields, placeholders and reframes comes from parsing such a
//! file; nothing about a particular template is written in Rust.
//!
//! The parser is line based on purpose: templates are small, written by hand, and must be
//! understood even when they are not perfectly formed markdown.

use std::sync::OnceLock;

use regex::Regex;

/// The default template (the ops write-up template), embedded in the binary.
pub const DEFAULT_TEMPLATE_NAME: &str = "ops-writeup";
pub const DEFAULT_TEMPLATE_SOURCE: &str = include_str!("../../../templates/ops-writeup.md");

/// A parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// Short name (the file stem), matched against a write-up's `template:` front matter.
    pub name: String,
    /// Front-matter keys in template order, with the template's value ("" when empty).
    pub front_matter: Vec<FrontMatterKey>,
    /// Top-level sections in template order.
    pub sections: Vec<Section>,
    /// Reframing pairs (❌ weak → ✅ strong), in template order.
    pub reframes: Vec<Reframe>,
    /// Every content line of the template, normalised (see [`normalize_line`]): a write-up
    /// line equal to one of these is the template's own text, not the writer's.
    pub own_lines: Vec<String>,
    /// The placeholders of [`Template::placeholders`], normalised and sorted.
    own_placeholders: Vec<String>,
    /// Which sections a heading may stand for, by the words of its text.
    pub(crate) index: HeadingIndex,
}

/// The most template sections one heading is compared with: those of each key of
/// [`HeadingIndex`], first in template order. A heading that shares a word with more
/// sections than this is compared with the first ones only, so a template of thousands
/// of sections titled alike costs each heading this many comparisons, not thousands.
pub(crate) const MAX_CANDIDATES: usize = 16;

/// Sections by the keys a document heading can share with them for a match to be
/// possible (see `analysis::sections::score`): the normalised heading and alias texts,
/// the title words and alias title words (each word also under every spelling with one
/// character left out, as a match allows one edit in long words), and the number.
/// Repeatable sections are not indexed: they are never matched by their text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct HeadingIndex {
    keys: std::collections::HashMap<String, Vec<usize>>,
}

impl HeadingIndex {
    fn new(sections: &[Section]) -> HeadingIndex {
        let mut index = HeadingIndex::default();
        for (s, section) in sections.iter().enumerate() {
            if section.repeatable {
                continue;
            }
            let mut keys = vec![format!("h:{}", normalize_label(&section.heading))];
            if let Some(number) = &section.number {
                keys.push(format!("n:{number}"));
            }
            for alias in &section.aliases {
                keys.push(format!("a:{}", normalize_label(alias)));
                let words = title_words(alias);
                if !words.is_empty() {
                    keys.push(format!("aw:{}", words.join(" ")));
                }
            }
            let titles = std::iter::once(section.title.as_str())
                .chain(section.aliases.iter().map(String::as_str));
            for title in titles {
                for word in title_words(title) {
                    word_keys(&word, &mut keys);
                }
            }
            keys.sort();
            keys.dedup();
            for key in keys {
                index.keys.entry(key).or_default().push(s);
            }
        }
        index
    }

    /// For a heading's text: the first section it is an exact match for (its heading, or
    /// one of its aliases by text or by title words), the best match there can be; else
    /// the sections it may stand for, in template order: a superset of those it can
    /// match, at most [`MAX_CANDIDATES`] per key.
    pub(crate) fn lookup(&self, text: &str) -> (Option<usize>, Vec<usize>) {
        let (number, title) = split_heading_number(text);
        let words = title_words(&title);
        // One buffer for every key probed: a heading is looked up once per analysis, and
        // a document of many headings would otherwise allocate a string per key.
        let mut key = String::with_capacity(text.len() + 4);
        let mut probe = |parts: &[&str]| {
            key.clear();
            parts.iter().for_each(|part| key.push_str(part));
            self.keys.get(key.as_str())
        };
        let exact = [
            probe(&["h:", &normalize_label(text)]),
            probe(&["a:", &normalize_label(&title)]),
            if words.is_empty() {
                None
            } else {
                probe(&["aw:", &words.join(" ")])
            },
        ]
        .into_iter()
        .flatten()
        .filter_map(|sections| sections.first().copied())
        .min();
        if exact.is_some() {
            return (exact, Vec::new());
        }
        let mut out: Vec<usize> = Vec::new();
        let mut take = |sections: Option<&Vec<usize>>| {
            if let Some(sections) = sections {
                out.extend(sections.iter().take(MAX_CANDIDATES).copied());
            }
        };
        if let Some(number) = &number {
            take(probe(&["n:", number]));
        }
        for word in &words {
            for_each_word_key(word, |variant| take(probe(&["w:", variant])));
        }
        out.sort_unstable();
        out.dedup();
        (None, out)
    }
}

/// Calls `each` with a title word and, for a word of five bytes or more (where a match
/// allows one edit), each spelling with one character left out; a word of more than 64
/// characters only with itself.
fn for_each_word_key(word: &str, mut each: impl FnMut(&str)) {
    each(word);
    if word.len() < 5 || word.chars().count() > 64 {
        return;
    }
    let mut variant = String::with_capacity(word.len());
    for (skip, _) in word.char_indices() {
        variant.clear();
        variant.push_str(&word[..skip]);
        let rest = &word[skip..];
        let after = rest.chars().next().map_or(0, char::len_utf8);
        variant.push_str(&rest[after..]);
        each(&variant);
    }
}

/// The keys of a title word (see [`for_each_word_key`]).
fn word_keys(word: &str, keys: &mut Vec<String>) {
    for_each_word_key(word, |variant| keys.push(format!("w:{variant}")));
}

/// Words that carry no meaning for matching headings.
const STOPWORDS: &[&str] = &[
    "a", "an", "the", "of", "and", "or", "to", "in", "for", "on", "with", "what", "how", "why",
    "you", "your", "i", "we", "my", "our", "it", "is", "was", "did",
];

/// Lowercase stem of a word: trailing plural and verb endings removed.
fn stem(word: &str) -> String {
    let w = word.to_lowercase();
    for suffix in ["ing", "ed", "es", "s"] {
        if w.len() > suffix.len() + 3
            && let Some(stripped) = w.strip_suffix(suffix)
        {
            return stripped.to_string();
        }
    }
    w
}

/// Significant word stems of a title; a trailing parenthetical ("(Ops Style)") is left out.
pub(crate) fn title_words(title: &str) -> Vec<String> {
    let title = match title.find('(') {
        Some(i) if i > 0 => &title[..i],
        _ => title,
    };
    normalize_label(title)
        .split(' ')
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(w))
        .map(stem)
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontMatterKey {
    pub key: String,
    pub value: String,
}

/// A template section (a heading at the template's section level).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The section number as written ("5"), if the heading is numbered.
    pub number: Option<String>,
    /// The title without its number ("Impact (Ops Style)").
    pub title: String,
    /// The heading text exactly as in the template ("5. Impact (Ops Style)").
    pub heading: String,
    /// Heading level (2 for `##`).
    pub level: u8,
    /// Prose guidance lines of the section (not fields, not headings), trimmed.
    pub guidance: Vec<String>,
    /// Fields of the section, including those of its subsections, in order.
    pub fields: Vec<Field>,
    /// Titles of the section's subsections (`###` under this section).
    pub subsections: Vec<String>,
    /// A section that only guides the writer (nothing to fill in): never reported missing.
    pub guidance_only: bool,
    /// The title is only a placeholder (`## [Month or quarter]`): the section stands for
    /// any heading at its level that names no other section, as many times as the writer
    /// repeats it (one per month, one per story). Never matched by its title, and not
    /// counted when deciding whether a document is a write-up of the template.
    pub repeatable: bool,
    /// Other headings the template accepts for this section, from a comment line in its
    /// body (`<!-- also: Results, Outcome -->`): a document heading with one of these titles
    /// stands for the section as its own heading does.
    pub aliases: Vec<String>,
    /// The template's markdown body of this section (heading excluded), used to insert a
    /// missing section.
    pub body: String,
}

/// A field: `- **Label**: prompt`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub label: String,
    /// The prompt text after the label, trimmed ("[Brief description]" or a question).
    pub prompt: String,
    /// Bracketed placeholders in the prompt, brackets included ("[Brief description]").
    pub placeholders: Vec<String>,
    /// The prompt is a quoted example ("Reduced manual intervention needs"), not a question.
    pub example: bool,
    /// The subsection the field is in, if any.
    pub subsection: Option<String>,
}

/// A reframing pair from the template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reframe {
    pub weak: String,
    pub strong: String,
}

impl Template {
    /// The embedded default template, parsed once.
    pub fn builtin() -> &'static Template {
        static BUILTIN: OnceLock<Template> = OnceLock::new();
        BUILTIN.get_or_init(|| Template::parse(DEFAULT_TEMPLATE_NAME, DEFAULT_TEMPLATE_SOURCE))
    }

    /// Parses a template. Never fails: a template with no sections is a valid (if useless)
    /// template; [`Template::problems`] says what is wrong with it.
    pub fn parse(name: &str, source: &str) -> Template {
        let source = source.strip_prefix('\u{feff}').unwrap_or(source);
        let lines: Vec<&str> = source.lines().collect();
        let (front_matter, body_start) = parse_front_matter(&lines);

        let fenced = fence_mask(&lines[body_start..]);
        let headings: Vec<(usize, u8, String)> = lines
            .iter()
            .enumerate()
            .skip(body_start)
            .filter(|(i, _)| !fenced.get(i - body_start).copied().unwrap_or(false))
            .filter_map(|(i, line)| parse_atx_heading(line).map(|(level, text)| (i, level, text)))
            .collect();
        let section_level = section_level(&headings);

        let mut sections = Vec::new();
        let section_starts: Vec<usize> = headings
            .iter()
            .enumerate()
            .filter(|(_, (_, level, _))| *level == section_level)
            .map(|(k, _)| k)
            .collect();
        for (n, &k) in section_starts.iter().enumerate() {
            let (line_index, level, ref text) = headings[k];
            let end = section_starts
                .get(n + 1)
                .map(|&next| headings[next].0)
                .unwrap_or(lines.len());
            // A heading of a higher level (e.g. `#` above `##` sections) also ends the body.
            // The headings before the next section's are the ones after this one.
            let next = section_starts.get(n + 1).copied().unwrap_or(headings.len());
            let end = headings[k + 1..next]
                .iter()
                .find(|(i, l, _)| *i < end && *l < level)
                .map(|(i, _, _)| *i)
                .unwrap_or(end);
            sections.push(parse_section(text, level, &lines[line_index + 1..end]));
        }
        mark_guidance_only(&mut sections);

        let reframes = parse_reframes(&lines[body_start..]);
        let mut own_lines: Vec<String> = lines[body_start..]
            .iter()
            .map(|l| normalize_line(l))
            .filter(|l| l.chars().any(char::is_alphanumeric))
            .collect();
        own_lines.sort();
        own_lines.dedup();
        let mut own_placeholders: Vec<String> = sections
            .iter()
            .flat_map(|s| s.fields.iter())
            .flat_map(|f| f.placeholders.iter())
            .map(|p| normalize_line(p))
            .collect();
        own_placeholders.sort();
        own_placeholders.dedup();

        Template {
            name: name.to_string(),
            front_matter,
            index: HeadingIndex::new(&sections),
            sections,
            reframes,
            own_lines,
            own_placeholders,
        }
    }

    /// What makes this template unusable, for a configuration error message.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.sections.is_empty() {
            problems.push("the template has no section headings (`## Title`)".to_string());
        }
        problems
    }

    /// True when a normalised write-up line is one of the template's own lines.
    pub fn is_own_line(&self, normalized: &str) -> bool {
        self.own_lines
            .binary_search_by(|l| l.as_str().cmp(normalized))
            .is_ok()
    }

    /// True when a normalised bracketed text (`[…]`) is one of the template's placeholders.
    pub fn is_own_placeholder(&self, normalized: &str) -> bool {
        self.own_placeholders
            .binary_search_by(|p| p.as_str().cmp(normalized))
            .is_ok()
    }

    /// All placeholders the template itself uses, brackets included.
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.sections
            .iter()
            .flat_map(|s| s.fields.iter())
            .flat_map(|f| f.placeholders.iter().map(String::as_str))
    }
}

impl Section {
    /// The field with this label (compared as [`normalize_label`] does).
    pub fn field(&self, label: &str) -> Option<&Field> {
        let wanted = normalize_label(label);
        self.fields
            .iter()
            .find(|f| normalize_label(&f.label) == wanted)
    }

    /// The section's name in messages: its heading, or for a repeatable section (whose
    /// heading is a placeholder) the placeholder's words ("Month or quarter").
    pub fn name(&self) -> &str {
        if self.repeatable {
            self.heading.trim_start_matches('[').trim_end_matches(']')
        } else {
            &self.heading
        }
    }

    /// The markdown heading line for this section (`## 5. Impact (Ops Style)`).
    pub fn heading_line(&self) -> String {
        format!("{} {}", "#".repeat(usize::from(self.level)), self.heading)
    }
}

/// Normalises a line for comparison with the template's own lines: list markers, quote
/// markers and emphasis removed, whitespace collapsed, lowercased, curly quotes made straight.
pub fn normalize_line(line: &str) -> String {
    let mut s = line.trim();
    loop {
        let before = s;
        s = s.trim_start_matches('>').trim_start();
        for marker in ["- ", "* ", "+ "] {
            if let Some(rest) = s.strip_prefix(marker) {
                s = rest.trim_start();
            }
        }
        if s == before {
            break;
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = match c {
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2018}' | '\u{2019}' => '\'',
            '*' | '_' => continue,
            c => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Normalises a field label or heading title for matching: lowercase, alphanumerics and
/// single spaces only.
pub fn normalize_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for word in label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Splits a heading text into its number and title: "5. Impact" → (Some("5"), "Impact").
pub fn split_heading_number(text: &str) -> (Option<String>, String) {
    static NUMBERED: OnceLock<Option<Regex>> = OnceLock::new();
    let re = NUMBERED.get_or_init(|| Regex::new(r"^(\d+(?:\.\d+)*)[.):]?\s+(\S.*)$").ok());
    let text = text.trim();
    if let Some(caps) = re.as_ref().and_then(|re| re.captures(text))
        && let (Some(number), Some(title)) = (caps.get(1), caps.get(2))
    {
        return (
            Some(number.as_str().to_string()),
            title.as_str().trim().to_string(),
        );
    }
    (None, text.to_string())
}

/// Parses an ATX heading line: `## Title ##` → (2, "Title").
pub fn parse_atx_heading(line: &str) -> Option<(u8, String)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let hashes = rest.len() - rest.trim_start_matches('#').len();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let after = &rest[hashes..];
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    let text = after.trim();
    // An optional closing sequence of #s preceded by a space.
    let text = match text.trim_end_matches('#') {
        t if t.len() < text.len() && (t.is_empty() || t.ends_with([' ', '\t'])) => t.trim_end(),
        _ => text,
    };
    u8::try_from(hashes).ok().map(|l| (l, text.to_string()))
}

/// Parses a field line `- **Label**: prompt` (also `**Label:**`, `*`/`+` bullets, `__Label__`).
/// Returns the label and the text after the colon, trimmed.
pub fn parse_field_line(line: &str) -> Option<(String, String)> {
    static FIELD: OnceLock<Option<Regex>> = OnceLock::new();
    let re = FIELD.get_or_init(|| {
        Regex::new(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(\*\*|__)([^*_]+?)(:?)(\*\*|__)(:?)(.*)$").ok()
    });
    let caps = re.as_ref()?.captures(line)?;
    let colon_inside = !caps.get(3)?.as_str().is_empty();
    let colon_outside = !caps.get(5)?.as_str().is_empty();
    if caps.get(1)?.as_str() != caps.get(4)?.as_str() || colon_inside == colon_outside {
        return None;
    }
    let label = caps.get(2)?.as_str().trim().to_string();
    if label.is_empty() {
        return None;
    }
    Some((label, caps.get(6)?.as_str().trim().to_string()))
}

/// Bracketed placeholders in a piece of template text: `[text]` that is not a link, a
/// callout, a footnote, a task box or a wiki link.
pub fn find_placeholders(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'['
            && let Some(close) = text[i + 1..].find(']')
        {
            let inner = &text[i + 1..i + 1 + close];
            let end = i + 1 + close + 1;
            let before_bang = i > 0 && bytes[i - 1] == b'!';
            let wiki = (i > 0 && bytes[i - 1] == b'[') || bytes.get(i + 1) == Some(&b'[');
            let link = matches!(bytes.get(end), Some(b'(') | Some(b'['));
            let syntax = inner.starts_with(['!', '^'])
                || inner.trim().is_empty()
                || inner.eq_ignore_ascii_case("x")
                || inner.chars().all(|c| c.is_ascii_digit());
            if !before_bang && !wiki && !link && !syntax && !inner.contains('[') {
                out.push(text[i..end].to_string());
            }
            i = end;
            // The label part of a full reference link `[text][label]` is not a placeholder.
            if link
                && bytes.get(end) == Some(&b'[')
                && let Some(label_close) = text[end..].find(']')
            {
                i = end + label_close + 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

fn parse_front_matter(lines: &[&str]) -> (Vec<FrontMatterKey>, usize) {
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return (Vec::new(), 0);
    }
    let Some(close) = lines
        .iter()
        .skip(1)
        .position(|l| matches!(l.trim_end(), "---" | "..."))
    else {
        return (Vec::new(), 0);
    };
    let keys = lines[1..=close]
        .iter()
        .filter(|l| !l.starts_with([' ', '\t', '-', '#']))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| FrontMatterKey {
            key: k.trim().to_string(),
            value: v.trim().to_string(),
        })
        .filter(|k| !k.key.is_empty())
        .collect();
    (keys, close + 2)
}

/// For each line of `lines`, whether it is inside (or is a delimiter of) a fenced code
/// block.
fn fence_mask(lines: &[&str]) -> Vec<bool> {
    let mut open: Option<(char, usize)> = None;
    let mut mask = Vec::with_capacity(lines.len());
    for line in lines {
        let t = line.trim_start();
        let fence_char = t.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = fence_char.map(|c| t.len() - t.trim_start_matches(c).len());
        let delimiter = match (open, fence_char, run) {
            (None, Some(c), Some(n)) if n >= 3 => {
                open = Some((c, n));
                true
            }
            (Some((c, n)), Some(c2), Some(n2))
                if c == c2 && n2 >= n && t.trim_end().len() == n2 =>
            {
                open = None;
                true
            }
            _ => false,
        };
        mask.push(delimiter || open.is_some());
    }
    mask
}

/// The heading level used for sections: the shallowest level that occurs at least twice
/// (a single `# Title` above `##` sections is the document title, not a section).
fn section_level(headings: &[(usize, u8, String)]) -> u8 {
    (1..=6)
        .find(|level| headings.iter().filter(|(_, l, _)| l == level).count() >= 2)
        .or_else(|| headings.iter().map(|(_, l, _)| *l).min())
        .unwrap_or(2)
}

fn parse_section(heading: &str, level: u8, body: &[&str]) -> Section {
    let (number, title) = split_heading_number(heading);
    let mut guidance = Vec::new();
    let mut fields = Vec::new();
    let mut subsections = Vec::new();
    let mut subsection: Option<String> = None;
    let mut aliases = Vec::new();
    let fenced = fence_mask(body);
    for (line, fenced) in body.iter().zip(fenced) {
        if fenced {
            continue;
        }
        if let Some(names) = parse_aliases(line) {
            aliases.extend(names);
            continue;
        }
        if let Some((_, text)) = parse_atx_heading(line) {
            let (_, sub_title) = split_heading_number(&text);
            subsections.push(sub_title.clone());
            subsection = Some(sub_title);
            continue;
        }
        if let Some((label, prompt)) = parse_field_line(line) {
            let placeholders = find_placeholders(&prompt);
            let example = prompt.starts_with(['"', '\u{201c}']);
            fields.push(Field {
                label,
                prompt,
                placeholders,
                example,
                subsection: subsection.clone(),
            });
            continue;
        }
        let trimmed = line.trim();
        if !trimmed.is_empty() && trimmed.trim_matches(['-', '*', '_', ' ']).is_empty() {
            continue; // thematic break
        }
        if trimmed.chars().any(char::is_alphanumeric) {
            guidance.push(trimmed.to_string());
        }
    }
    let body_text = trim_blank_lines(body).join("\n");
    let repeatable = find_placeholders(&title) == [title.as_str()];
    Section {
        number,
        title,
        heading: heading.trim().to_string(),
        level,
        guidance,
        fields,
        subsections,
        guidance_only: false,
        repeatable,
        aliases,
        body: body_text,
    }
}

/// The names of an `<!-- also: A, B -->` comment line, if the line is one.
fn parse_aliases(line: &str) -> Option<Vec<String>> {
    let inner = line
        .trim()
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let (key, names) = inner.split_once(':')?;
    if !key.trim().eq_ignore_ascii_case("also") {
        return None;
    }
    Some(
        names
            .split([',', ';'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

fn trim_blank_lines<'a>(mut lines: &'a [&'a str]) -> &'a [&'a str] {
    // A closing thematic break belongs to the layout, not to the section.
    while let [rest @ .., last] = lines
        && (last.trim().is_empty() || last.trim() == "---")
    {
        lines = rest;
    }
    while let [first, rest @ ..] = lines
        && first.trim().is_empty()
    {
        lines = rest;
    }
    lines
}

/// Marks the sections that only guide the writer: in a numbered template the unnumbered
/// sections ("Remember"), sections with no fields of their own, only subsections
/// ("Interview Framing": examples and questions to prepare for), and sections with no
/// fields that hold reframing pairs (a list of ❌/✅ reminders).
fn mark_guidance_only(sections: &mut [Section]) {
    let numbered = sections.iter().filter(|s| s.number.is_some()).count();
    let template_is_numbered = numbered * 2 > sections.len();
    for section in sections.iter_mut() {
        let unnumbered = template_is_numbered && section.number.is_none();
        let only_subsections = !section.subsections.is_empty()
            && section.fields.iter().all(|f| f.subsection.is_some());
        let reminders = section.fields.is_empty() && section.body.contains('\u{274c}');
        section.guidance_only = unnumbered || only_subsections || reminders;
    }
}

/// Finds ❌/✅ pairs: a line with ❌ followed (blank lines allowed) by a line with ✅.
fn parse_reframes(lines: &[&str]) -> Vec<Reframe> {
    let mut out = Vec::new();
    let mut pending: Option<String> = None;
    for line in lines {
        if let Some(text) = marked_text(line, '\u{274c}') {
            pending = Some(text);
        } else if let Some(text) = marked_text(line, '\u{2705}') {
            if let Some(weak) = pending.take() {
                out.push(Reframe { weak, strong: text });
            }
        } else if !line.trim().is_empty() {
            pending = None;
        }
    }
    out
}

/// The quoted (or bare) text after a marker emoji on a line.
fn marked_text(line: &str, marker: char) -> Option<String> {
    let (_, after) = line.split_once(marker)?;
    let text = after
        .trim()
        .trim_matches(|c| matches!(c, '"' | '\u{201c}' | '\u{201d}'))
        .trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_template_sections() {
        let t = Template::builtin();
        let headings: Vec<&str> = t.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "1. Project Overview",
                "2. The Problem/Need",
                "3. What You Built/Implemented",
                "4. Technical Details",
                "5. Impact (Ops Style)",
                "6. Decisions & Trade-offs",
                "7. Challenges",
                "8. Interview Framing",
                "9. Skills Demonstrated",
                "Remember",
            ]
        );
        let guidance_only: Vec<&str> = t
            .sections
            .iter()
            .filter(|s| s.guidance_only)
            .map(|s| s.title.as_str())
            .collect();
        assert_eq!(guidance_only, ["Interview Framing", "Remember"]);
        assert!(t.sections.iter().all(|s| s.level == 2));
        assert_eq!(t.sections[4].number.as_deref(), Some("5"));
        assert_eq!(t.sections[4].title, "Impact (Ops Style)");
    }

    #[test]
    fn default_template_fields_and_placeholders() {
        let t = Template::builtin();
        let overview = &t.sections[0];
        let labels: Vec<&str> = overview.fields.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["What You Did", "Your Role", "Environment"]);
        assert_eq!(overview.fields[1].placeholders, ["[Responsibilities]"]);
        let problem = &t.sections[1];
        assert_eq!(problem.fields[0].label, "What wasn't working?");
        assert_eq!(
            problem.fields[0].prompt,
            "Manual processes? System instability? Deployment issues?"
        );
        assert!(t.sections[4].fields.iter().all(|f| f.example));
        assert_eq!(
            t.placeholders().collect::<Vec<_>>(),
            [
                "[Brief description]",
                "[Responsibilities]",
                "[Systems, tools, scale you worked with]"
            ]
        );
    }

    #[test]
    fn default_template_front_matter_and_reframes() {
        let t = Template::builtin();
        let keys: Vec<(&str, &str)> = t
            .front_matter
            .iter()
            .map(|k| (k.key.as_str(), k.value.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("title", ""),
                ("draft", "false"),
                ("tags", ""),
                ("description", ""),
                ("date", "2025-11-09")
            ]
        );
        assert_eq!(t.reframes.len(), 3);
        assert_eq!(t.reframes[0].weak, "I just set up monitoring");
        assert!(
            t.reframes[0]
                .strong
                .starts_with("I implemented observability")
        );
    }

    #[test]
    fn a_different_template_gives_a_different_model() {
        let source = "# Postmortem\n\n## Summary\n\n- **Incident**: [one line]\n- **Severity:** [SEV1-4]\n\n## Timeline\n\nWhat happened when.\n\n```\n## not a heading\n- **Not**: a field\n```\n\n## Lessons\n\n- ❌ \"we got lucky\"\n- ✅ \"detection took 4 minutes\"\n";
        let t = Template::parse("postmortem", source);
        let titles: Vec<&str> = t.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Summary", "Timeline", "Lessons"]);
        assert!(t.sections.iter().all(|s| s.number.is_none()));
        // Only the section of ❌/✅ reminders is guidance.
        let guidance: Vec<bool> = t.sections.iter().map(|s| s.guidance_only).collect();
        assert_eq!(guidance, [false, false, true]);
        let fields: Vec<(&str, &str)> = t.sections[0]
            .fields
            .iter()
            .map(|f| (f.label.as_str(), f.prompt.as_str()))
            .collect();
        assert_eq!(
            fields,
            [("Incident", "[one line]"), ("Severity", "[SEV1-4]")]
        );
        assert!(t.sections[1].fields.is_empty());
        assert_eq!(t.sections[1].guidance, ["What happened when."]);
        assert_eq!(t.reframes[0].strong, "detection took 4 minutes");
        assert!(t.problems().is_empty());
        assert!(!Template::parse("empty", "just text").problems().is_empty());
    }

    #[test]
    fn section_aliases_come_from_an_also_comment() {
        let source = "## Outcome\n<!-- also: Results, The result; Impact -->\n\n- **Result**: [x]\n\n## Lessons\n\n<!-- a note -->\n";
        let t = Template::parse("t", source);
        assert_eq!(t.sections[0].aliases, ["Results", "The result", "Impact"]);
        assert!(t.sections[0].guidance.is_empty());
        assert!(t.sections[1].aliases.is_empty());
    }

    #[test]
    fn field_line_forms() {
        assert_eq!(
            parse_field_line("- **Your Role**: [Responsibilities]"),
            Some(("Your Role".into(), "[Responsibilities]".into()))
        );
        assert_eq!(
            parse_field_line("* **Your Role:** led it"),
            Some(("Your Role".into(), "led it".into()))
        );
        assert_eq!(
            parse_field_line("- **Scope**:"),
            Some(("Scope".into(), String::new()))
        );
        assert_eq!(parse_field_line("- **bold** text: no"), None);
        assert_eq!(parse_field_line("**Label**: not a list item"), None);
    }

    #[test]
    fn placeholders_exclude_markdown_syntax() {
        let found = find_placeholders(
            "[a b] [link](x) [ref][r] ![img] [^1] [!note] [[wiki]] [ ] [x] [12] [real one]",
        );
        assert_eq!(found, ["[a b]", "[real one]"]);
    }

    #[test]
    fn heading_numbers() {
        assert_eq!(
            split_heading_number("5. Impact (Ops Style)"),
            (Some("5".into()), "Impact (Ops Style)".into())
        );
        assert_eq!(split_heading_number("Remember"), (None, "Remember".into()));
        assert_eq!(
            split_heading_number("2) Problem"),
            (Some("2".into()), "Problem".into())
        );
        assert_eq!(parse_atx_heading("## Title ##"), Some((2, "Title".into())));
        assert_eq!(parse_atx_heading("#hashtag"), None);
        assert_eq!(
            normalize_line("- **Reliability**: \u{201c}Reduced\u{201d}  needs"),
            "reliability: \"reduced\" needs"
        );
    }
}
