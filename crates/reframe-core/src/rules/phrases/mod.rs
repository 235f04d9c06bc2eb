//! Phrase rules: `weak-verb`, `minimizer`, `hedge` and `passive-voice`.
//!
//! The rules are data: each [`PhraseRow`] is a regex plus context conditions (who the
//! subject is, words that must not come before or after, words that exempt a match,
//! whether a passive names its agent), a message and rewrite templates. Built-in rows
//! and rows from configuration ([`RowSpec`]) compile into the same internal form, so
//! [`scan`] treats them alike.
//!
//! # What is flagged, and what is not (decisions on ambiguous cases)
//! - **weak-verb** only when the writer is the actor ([`Subject::Own`]): `I`/`we`/`my team`,
//!   a resume-style bullet with no subject, or a verb coordinated with such a subject.
//!   "This helped the team ship faster", "the cluster handled 3k rps", "to help new
//!   hires" are outcomes or other actors, not vague ownership.
//! - "helped with/on/out", "helped (to) migrate …" and "helped the SRE team with …" are
//!   flagged; "helped three teams migrate" (people, then what they achieved) is a real
//!   enabling claim and is not. A bare "helped" is not flagged.
//! - "handled"/"supported" followed by a number ("handled 40% fewer tickets", "supported
//!   30+ teams") are measured claims, not flagged; nor is any weak verb whose clause goes
//!   on to say how ("… by writing the validation scripts"). "worked on the SRE team",
//!   "worked on-call", "worked on weekends", "was part of the on-call rotation" are
//!   memberships, not claims; "part of the team that …" is flagged.
//! - **minimizer** "just"/"only"/"simply"/"merely" only right before the writer's own
//!   past-tense or `-ing` verb ("I just set up", "Just added …"); never before amounts,
//!   times or conditions ("just 30 minutes", "only after", "only if", "just as"), after
//!   "not"/"n't" ("not just faster but safer"), after "had/have" (recent past), or before
//!   verbs of need or discovery ("I only needed", "I had just joined"). "only" never at a
//!   sentence start ("Only 2 of 40 services"). "some", "a bit of", "small/quick/basic …"
//!   only as the object of the writer's past-tense verb ("wrote some Terraform"); "some
//!   of", "some teams", "some time", "a small team" are quantities, not minimizing.
//!   "simple" only before an artifact ("a simple script"): "a simple design" is a virtue.
//!   "a bit faster" is not flagged.
//! - **hedge** phrases fire anywhere, quoted speech included. "kind of"/"sort of" after a
//!   determiner mean "type of" ("what kind of alerts") and are not flagged; "I think
//!   about", "we believe in", "I think we should …" (values and opinions, not hedged
//!   claims) are not flagged; "more/most importantly" after "perhaps" is a transition.
//! - **passive-voice** (a hint) fires on a past be-form or "got" with a participle and no
//!   `by <agent>` in its clause ("by hand", "by 40%", "by Friday", "by switching" are not
//!   agents). Not flagged: present-tense passives ("logs are shipped to Loki" describes a
//!   system), stative participles ("based on", "located", "involved", "required",
//!   "impacted", `un…` adjectives: see `words::STATIVE`), passives whose subject is a
//!   person pronoun ("I was promoted", "nobody got paged"), and passives in relative or
//!   conditional clauses ("the services that were migrated first", "a bug where retries
//!   were mishandled"). A passive on the same words as another rule yields to it.
//!
//! # Patterns
//! Patterns are `regex` syntax, matched case-insensitively. A named group `hit` marks
//! the flagged words when the pattern also matches context around them (the `regex`
//! crate has no look-around). Patterns may name a word list in braces: `{base-verb}`,
//! `{participle}`, `{past}` and `{number}` (see `words.rs`).
//!
//! # Context
//! `unless_before` is matched against the sentence text before the match (trailing
//! space trimmed) and must end there; `unless_after` against the sentence text after
//! the match (leading space trimmed) and must start there. `unless_words` exempts a match
//! when a word of the capture group `w` (or `v`, or the flagged words) is in the list;
//! an entry of two words ("attached to") applies when the capture is the first word and the
//! text after the match starts with the second; an entry ending in `*` is a prefix.
//!
//! A match that is glued to a neighbouring word by a hyphen or an apostrophe
//! ("just-in-time", "well-supported") is not a match: hyphenated compounds are words.
//!
//! # Messages
//! `{phrase}` in a message stands for the flagged words ("“I think” hedges …").
//!
//! # Replacements
//! Templates are literal text with `$name` / `${name}` for a capture group and
//! `{past:name}`, `{past-of-gerund:name}`, `{past-of-participle:name}` for the simple
//! past of a captured verb. A template that cannot be filled is left out. When the
//! flagged words open a sentence they are capitalised; when every template of a row is
//! empty (drop the words), the range is widened over the next word so that the fix
//! capitalises it ("I think the fix…" → "The fix…").
//!
//! # Ranges and blanked text
//! The input has its non-prose parts replaced by spaces, so a run of two or more
//! spaces may hide markup. Hits never contain such a run: a hit whose words are
//! separated by one is dropped, and a trailing space is only included (for deletions)
//! when it is a single space.

mod table;
mod text;
mod words;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use regex::{Captures, Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use super::RuleCode;
pub(crate) use text::NOT_AGENTS;
use text::Sentences;

/// Whose words a row is about: where the match may stand in its sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Subject {
    /// Anywhere.
    Any,
    /// The writer is the actor: after `I`/`we`/`my team` (auxiliaries and adverbs may
    /// stand between), at the start of a sentence or bullet (a resume-style line with no
    /// subject), or as a verb coordinated with an earlier verb of such a sentence.
    Own,
    /// Only at the start of a sentence or bullet (after adverbs).
    Start,
    /// Right after `I`/`we`/`my team` (auxiliaries and adverbs may stand between), or
    /// as a verb coordinated with an earlier verb of such a sentence; not at the start.
    Pronoun,
    /// The object of the writer's own past-tense verb ("I wrote some …", "Wrote some …").
    OwnObject,
    /// Not right after a person pronoun (for passives: "I was promoted" and "nobody got
    /// paged" say what happened to people; they hide nobody's work).
    NotPerson,
}

/// One row of a phrase table: data, not code.
#[derive(Clone, Copy, Debug)]
pub struct PhraseRow {
    /// Stable row id, e.g. "helped-with".
    pub id: &'static str,
    /// The rule the row belongs to.
    pub code: RuleCode,
    /// What is weak and what to do instead.
    pub message: &'static str,
    /// A sentence this row must fire on.
    pub bad: &'static str,
    /// A sentence this row must not fire on.
    pub good: &'static str,
    /// Rewrite templates for the flagged words, best first (may be empty).
    pub replace: &'static [&'static str],
    /// The pattern (case-insensitive regex; see the module documentation).
    pub pattern: &'static str,
    /// Where the match may stand.
    pub subject: Subject,
    /// A regex that, matching at the end of the sentence text before the match, exempts it.
    pub unless_before: &'static str,
    /// A regex that, matching at the start of the sentence text after the match, exempts it.
    pub unless_after: &'static str,
    /// Words that exempt a match when the capture `w` (or `v`, or the hit) is one of them.
    pub unless_words: &'static [&'static str],
    /// The match only counts when its clause has no `by <agent>` after it.
    pub needs_no_agent: bool,
}

impl PhraseRow {
    /// A row with no pattern and no conditions, to fill in with struct update syntax.
    pub const EMPTY: PhraseRow = PhraseRow {
        id: "",
        code: RuleCode::WeakVerb,
        message: "",
        bad: "",
        good: "",
        replace: &[],
        pattern: "",
        subject: Subject::Any,
        unless_before: "",
        unless_after: "",
        unless_words: &[],
        needs_no_agent: false,
    };
}

/// A row built at run time (from configuration) or borrowed from a built-in row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowSpec {
    /// Row id; a spec with the id of a built-in row replaces it.
    pub id: Cow<'static, str>,
    /// The rule the row belongs to.
    pub code: RuleCode,
    /// Pattern, as in [`PhraseRow::pattern`].
    pub pattern: Cow<'static, str>,
    /// Where the match may stand.
    pub subject: Subject,
    /// As in [`PhraseRow::unless_before`] (empty for none).
    pub unless_before: Cow<'static, str>,
    /// As in [`PhraseRow::unless_after`] (empty for none).
    pub unless_after: Cow<'static, str>,
    /// As in [`PhraseRow::unless_words`].
    pub unless_words: Vec<Cow<'static, str>>,
    /// As in [`PhraseRow::needs_no_agent`].
    pub needs_no_agent: bool,
    /// The diagnostic message.
    pub message: Cow<'static, str>,
    /// Rewrite templates, best first.
    pub replace: Vec<Cow<'static, str>>,
}

impl RowSpec {
    /// A row that fires anywhere its pattern matches, with no rewrites.
    pub fn new(
        id: impl Into<Cow<'static, str>>,
        code: RuleCode,
        pattern: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> RowSpec {
        RowSpec {
            id: id.into(),
            code,
            pattern: pattern.into(),
            subject: Subject::Any,
            unless_before: Cow::Borrowed(""),
            unless_after: Cow::Borrowed(""),
            unless_words: Vec::new(),
            needs_no_agent: false,
            message: message.into(),
            replace: Vec::new(),
        }
    }
}

impl From<&'static PhraseRow> for RowSpec {
    fn from(row: &'static PhraseRow) -> RowSpec {
        RowSpec {
            id: Cow::Borrowed(row.id),
            code: row.code,
            pattern: Cow::Borrowed(row.pattern),
            subject: row.subject,
            unless_before: Cow::Borrowed(row.unless_before),
            unless_after: Cow::Borrowed(row.unless_after),
            unless_words: row.unless_words.iter().map(|w| Cow::Borrowed(*w)).collect(),
            needs_no_agent: row.needs_no_agent,
            message: Cow::Borrowed(row.message),
            replace: row.replace.iter().map(|r| Cow::Borrowed(*r)).collect(),
        }
    }
}

/// A row that could not be compiled, and why. The row is left out; the others work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// The row's id.
    pub id: String,
    /// What is wrong with it.
    pub reason: String,
}

/// One flagged phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhraseHit {
    /// The rule.
    pub code: RuleCode,
    /// The id of the row that fired.
    pub row: Cow<'static, str>,
    /// Byte range of the flagged words in the scanned text (no surrounding space).
    pub range: Range<usize>,
    /// The range the replacements apply to: `range`, plus the space after the words when
    /// the fix drops them, plus the next word when dropping them opens the sentence and
    /// that word needs a capital ("I think the fix" → "The fix").
    pub fix_range: Range<usize>,
    /// What is weak and what to do instead.
    pub message: String,
    /// Replacement texts for `fix_range`, best first (may be empty).
    pub replacements: Vec<String>,
    /// Whether a `[what you did]` prompt may stand in for the flagged words (false where
    /// the sentence would not survive it, as when the frame governs two verbs).
    pub ask: bool,
    /// The row came from the configuration: the user's phrase, reported as written.
    pub user: bool,
}

/// A regex compiled when first used. Most rows never match a given write-up, and
/// compiling all of them up front was most of the server's start-up time.
#[derive(Debug)]
struct LazyRegex {
    pattern: String,
    compiled: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    /// A regex to compile later; its pattern was checked by the caller.
    fn new(pattern: String) -> LazyRegex {
        LazyRegex {
            pattern,
            compiled: OnceLock::new(),
        }
    }

    /// A regex compiled now (user rows, so that errors are reported with the configuration).
    fn compiled(pattern: String) -> Result<LazyRegex, regex::Error> {
        let re = build_regex(&pattern)?;
        Ok(LazyRegex {
            pattern,
            compiled: OnceLock::from(Some(re)),
        })
    }

    /// The regex; `None` only if it fails to compile, which the set of every row's pattern
    /// (built with the rows) or the tests rule out for the built-in rows.
    fn get(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| build_regex(&self.pattern).ok())
            .as_ref()
    }
}

/// Compiles one row's pattern (case-insensitive, with a size limit).
fn build_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .size_limit(16 << 20)
        .build()
}

#[derive(Debug)]
struct CompiledRow {
    spec: RowSpec,
    re: LazyRegex,
    before: Option<LazyRegex>,
    after: Option<LazyRegex>,
    words: Vec<String>,
    /// True when every replacement is empty: the fix drops the flagged words.
    drops: bool,
    /// A row from the configuration (the user's own phrase), not the built-in table.
    user: bool,
}

/// The phrase rows, compiled once.
#[derive(Debug)]
pub struct PhraseRules {
    builtin: &'static [PhraseRow],
    rows: Vec<CompiledRow>,
    /// Prefilter over all patterns, index-aligned with `rows` (None: scan every row).
    set: Option<RegexSet>,
    /// Allowed phrases, ASCII lower case.
    allow: Vec<String>,
    errors: Vec<RowError>,
}

impl PhraseRules {
    /// The built-in tables, compiled.
    pub fn builtin() -> PhraseRules {
        PhraseRules::with_rows::<&str>(Vec::new(), &[])
    }

    /// The built-in tables, compiled once per process and shared (the server warms them
    /// up on a thread of its own when `initialize` arrives, see `server::warm_up`).
    pub fn shared() -> Arc<PhraseRules> {
        static SHARED: OnceLock<Arc<PhraseRules>> = OnceLock::new();
        Arc::clone(SHARED.get_or_init(|| Arc::new(PhraseRules::builtin())))
    }

    /// The built-in tables plus `extra` rows (an extra row with a built-in id replaces
    /// that row), and phrases to allow: a hit that overlaps an occurrence of an allowed
    /// phrase (case-insensitive, whole words) is not reported. Rows that fail to compile
    /// are left out and listed by [`PhraseRules::errors`].
    pub fn with_rows<S: AsRef<str>>(extra: Vec<RowSpec>, allow: &[S]) -> PhraseRules {
        let mut specs: Vec<RowSpec> = table::ROWS
            .iter()
            .filter(|r| !extra.iter().any(|e| e.id == r.id))
            .map(RowSpec::from)
            .collect();
        let builtin_count = specs.len();
        specs.extend(extra);
        let mut rows = Vec::with_capacity(specs.len());
        let mut errors = Vec::new();
        for (index, spec) in specs.into_iter().enumerate() {
            // Built-in rows come first and are compiled when first needed; user rows now.
            match compile(spec, index >= builtin_count) {
                Ok(row) => rows.push(row),
                Err(e) => errors.push(e),
            }
        }
        let set = RegexSetBuilder::new(rows.iter().map(|r| r.re.pattern.as_str()))
            .size_limit(64 << 20)
            .build()
            .ok();
        let allow = allow
            .iter()
            .map(|p| p.as_ref().trim().to_ascii_lowercase())
            .filter(|p| !p.is_empty())
            .collect();
        PhraseRules {
            builtin: table::ROWS,
            rows,
            set,
            allow,
            errors,
        }
    }

    /// The built-in rows.
    pub fn rows(&self) -> &[PhraseRow] {
        self.builtin
    }

    /// The ids of every compiled row, built-in and extra, in table order.
    pub fn row_ids(&self) -> impl Iterator<Item = &str> {
        self.rows.iter().map(|r| r.spec.id.as_ref())
    }

    /// Rows that could not be compiled.
    pub fn errors(&self) -> &[RowError] {
        &self.errors
    }
}

/// Prepares one row: its regexes compiled now when `eager`, else when first used.
fn compile(spec: RowSpec, eager: bool) -> Result<CompiledRow, RowError> {
    let err = |what: &str, e: regex::Error| RowError {
        id: spec.id.to_string(),
        reason: format!("{what}: {e}"),
    };
    let build = |p: &str| {
        if eager {
            LazyRegex::compiled(p.to_string())
        } else {
            Ok(LazyRegex::new(p.to_string()))
        }
    };
    if spec.pattern.trim().is_empty() {
        return Err(RowError {
            id: spec.id.to_string(),
            reason: "empty pattern".into(),
        });
    }
    // Case-insensitivity is written into the pattern so the prefilter set shares it.
    let re = build(&format!(
        "(?i:{})",
        ascii_boundaries(&words::expand_lists(&spec.pattern))
    ))
    .map_err(|e| err("pattern", e))?;
    let before = match spec.unless_before.as_ref() {
        "" => None,
        p => Some(
            build(&format!(
                "(?:{})$",
                ascii_boundaries(&words::expand_lists(p))
            ))
            .map_err(|e| err("unless_before", e))?,
        ),
    };
    let after = match spec.unless_after.as_ref() {
        "" => None,
        p => Some(
            build(&format!(
                "^(?:{})",
                ascii_boundaries(&words::expand_lists(p))
            ))
            .map_err(|e| err("unless_after", e))?,
        ),
    };
    let listed: Vec<&str> = spec.unless_words.iter().map(|w| w.as_ref()).collect();
    let words = words::expand_word_list(&listed);
    let drops = !spec.replace.is_empty() && spec.replace.iter().all(|r| r.is_empty());
    Ok(CompiledRow {
        spec,
        re,
        before,
        after,
        words,
        drops,
        user: eager,
    })
}

/// Makes `\b` ASCII-only. A Unicode word boundary makes the regex engine fall back to
/// its slow path on any non-ASCII text; the engine checks the neighbouring characters of
/// each match itself (see `glued`), which gives Unicode-aware boundaries back.
fn ascii_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('b') => out.push_str(r"(?-u:\b)"),
                Some(n) => {
                    out.push(c);
                    out.push(n);
                }
                None => out.push(c),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The simple past of a past participle ("taken" → "took", "deployed" → "deployed"), for
/// rewriting a passive as an active sentence; `None` for "been".
pub fn past_of_participle(word: &str) -> Option<String> {
    words::past_of_participle(word)
}

/// Scans one block of prose and returns the phrase hits, sorted by start.
///
/// `text` is the text of one markdown block in which everything that is not prose has
/// been replaced by ASCII spaces of the same length, so byte offsets are the
/// document's. Newlines are soft line breaks.
/// The sentences (and sentence-like clauses) of a prose block, as byte ranges that cover
/// it, split as the rows see them.
pub fn sentence_ranges(text: &str) -> Vec<Range<usize>> {
    Sentences::new(text).ranges()
}

/// Rows whose hits give way to any overlapping hit of the same rule, whatever its length.
const YIELDING_ROWS: &[&str] = &["reduced-passive", "helped-someone-do", "helped-any-verb"];

pub fn scan(text: &str, rules: &PhraseRules) -> Vec<PhraseHit> {
    let mut hits = Vec::new();
    if text.trim().is_empty() || rules.rows.is_empty() {
        return hits;
    }
    let candidates: Vec<usize> = match &rules.set {
        Some(set) => set.matches(text).into_iter().collect(),
        None => (0..rules.rows.len()).collect(),
    };
    if candidates.is_empty() {
        return hits;
    }
    let sentences = Sentences::new(text);
    let mut found: Vec<(usize, PhraseHit)> = Vec::new();
    for i in candidates {
        if let Some(row) = rules.rows.get(i) {
            for hit in row.find(text, &sentences) {
                found.push((i, hit));
            }
        }
    }
    // Longest first at each start; rows earlier in the table win ties. Passive hints
    // yield to any other rule on the same words.
    found.sort_by(|(ia, a), (ib, b)| {
        let pa = a.code == RuleCode::PassiveVoice;
        let pb = b.code == RuleCode::PassiveVoice;
        // Rows that read the most into their words (a passive that lost its be-form,
        // "helped" + words + a verb) yield to any other hit on them.
        let ra = YIELDING_ROWS.contains(&a.row.as_ref());
        let rb = YIELDING_ROWS.contains(&b.row.as_ref());
        pa.cmp(&pb)
            .then(ra.cmp(&rb))
            .then(a.range.start.cmp(&b.range.start))
            .then(b.range.end.cmp(&a.range.end))
            .then(ia.cmp(ib))
    });
    let mut allowed = allowed_ranges(text, &rules.allow);
    allowed.sort_by_key(|r| r.start);
    let allowed_longest = allowed.iter().map(|r| r.len()).max().unwrap_or(0);
    // `hits` stays sorted by start; a kept hit overlapping this one starts less than the
    // longest kept hit's length before it, so only those are looked at.
    let mut longest = 0;
    for (_, hit) in found {
        let overlaps = |r: &Range<usize>| r.start < hit.range.end && hit.range.start < r.end;
        let clash = near(&hits, |k| &k.range, longest, &hit.range).any(|k| {
            overlaps(&k.range) && (k.code == hit.code || hit.code == RuleCode::PassiveVoice)
        });
        let allowed_here = near(&allowed, |r| r, allowed_longest, &hit.range).any(overlaps);
        if !clash && !allowed_here {
            longest = longest.max(hit.range.len());
            let at = hits.partition_point(|k| {
                (k.range.start, k.range.end) <= (hit.range.start, hit.range.end)
            });
            hits.insert(at, hit);
        }
    }
    hits
}

/// The items of `sorted` (sorted by the start of `range_of`, none longer than `longest`)
/// that may overlap `range`: those starting less than `longest` before it and before its
/// end.
fn near<'a, T>(
    sorted: &'a [T],
    range_of: impl Fn(&T) -> &Range<usize>,
    longest: usize,
    range: &Range<usize>,
) -> impl Iterator<Item = &'a T> {
    let from = sorted.partition_point(|k| range_of(k).start + longest <= range.start);
    let to = sorted.partition_point(|k| range_of(k).start < range.end);
    sorted[from..to.max(from)].iter()
}

/// Byte ranges of whole-word occurrences of the allowed phrases.
fn allowed_ranges(text: &str, allow: &[String]) -> Vec<Range<usize>> {
    if allow.is_empty() {
        return Vec::new();
    }
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    for phrase in allow {
        let mut from = 0;
        while let Some(k) = lower.get(from..).and_then(|s| s.find(phrase.as_str())) {
            let start = from + k;
            let end = start + phrase.len();
            let word_before = text[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && phrase.starts_with(char::is_alphanumeric);
            let word_after = text[end..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
                && phrase.ends_with(char::is_alphanumeric);
            if !word_before && !word_after {
                out.push(start..end);
            }
            from = start + phrase.chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// How many bytes of its sentence on each side of a match the context conditions read.
/// Every condition is about the words near the match, the subject that opens the
/// sentence, or the clause after it; a sentence under this length (any sentence the
/// tagger reads: at most `language::MAX_WORDS` words) is read whole. Beyond it, a match
/// far from the sentence's start is read as having an unknown word there, so it counts as
/// neither the start of a sentence nor the writer's own subject.
const CONTEXT: usize = 1024;

/// Stands for the words cut off the front of the text before a match: a word that is no
/// pronoun, adverb, conjunction or verb to any condition.
const CUT_MARK: &str = "0 ";

/// The parts of a match's sentence that its conditions read.
struct Window<'t> {
    /// The sentence before the match: its last `CONTEXT` bytes at most, after
    /// [`CUT_MARK`] when cut.
    before: Cow<'t, str>,
    /// Whether `before` was cut.
    cut: bool,
    /// The sentence after the match, `CONTEXT` bytes at most.
    after: &'t str,
    /// The sentence's first `CONTEXT` bytes at most.
    sentence: &'t str,
}

impl<'t> Window<'t> {
    fn new(text: &'t str, sentence: Range<usize>, matched: Range<usize>) -> Window<'t> {
        let whole_before = &text[sentence.start..matched.start];
        let (before, cut) = if whole_before.len() <= CONTEXT {
            (Cow::Borrowed(whole_before), false)
        } else {
            // Start at a word boundary inside the last CONTEXT bytes.
            let mut from = whole_before.len() - CONTEXT;
            while !whole_before.is_char_boundary(from) {
                from += 1;
            }
            let tail = &whole_before[from..];
            let tail = tail.find(char::is_whitespace).map_or(tail, |k| &tail[k..]);
            (Cow::Owned(format!("{CUT_MARK}{tail}")), true)
        };
        let whole_after = &text[matched.end..sentence.end];
        let after = cut_end(whole_after);
        let sentence = cut_end(&text[sentence]);
        Window {
            before,
            cut,
            after,
            sentence,
        }
    }
}

/// `s`, or its first `CONTEXT` bytes ending at a word boundary.
fn cut_end(s: &str) -> &str {
    if s.len() <= CONTEXT {
        return s;
    }
    let mut to = CONTEXT;
    while !s.is_char_boundary(to) {
        to -= 1;
    }
    let head = &s[..to];
    head.rfind(char::is_whitespace).map_or(head, |k| &head[..k])
}

impl CompiledRow {
    fn find(&self, text: &str, sentences: &Sentences) -> Vec<PhraseHit> {
        let mut out = Vec::new();
        let Some(re) = self.re.get() else {
            return out;
        };
        for caps in re.captures_iter(text) {
            if let Some(hit) = self.check(text, sentences, &caps) {
                out.push(hit);
            }
        }
        out
    }

    fn check(&self, text: &str, sentences: &Sentences, caps: &Captures<'_>) -> Option<PhraseHit> {
        let m0 = caps.get(0)?;
        let flagged = caps.name("hit").unwrap_or(m0);
        if flagged.is_empty() || glued(text, m0.range()) {
            return None;
        }
        let sentence = sentences.containing(flagged.start());
        if m0.start() < sentence.start || m0.end() > sentence.end {
            return None;
        }
        // The conditions read a window of the sentence around the match (see `CONTEXT`),
        // so one long sentence with many matches costs each match the window, not the
        // sentence.
        let window = Window::new(text, sentence.clone(), m0.range());
        let before = window.before.as_ref();
        let after = window.after;
        let stext = window.sentence;
        if self
            .before
            .as_ref()
            .and_then(LazyRegex::get)
            .is_some_and(|re| re.is_match(before.trim_end()))
        {
            return None;
        }
        if self
            .after
            .as_ref()
            .and_then(LazyRegex::get)
            .is_some_and(|re| re.is_match(after.trim_start()))
        {
            return None;
        }
        let subject_ok = match self.spec.subject {
            Subject::Any => true,
            Subject::Own => text::own_subject(before, stext),
            Subject::Start => text::at_start(before),
            Subject::Pronoun => !text::at_start(before) && text::own_subject(before, stext),
            Subject::OwnObject => text::own_object(before, stext),
            Subject::NotPerson => text::not_person(before),
        };
        if !subject_ok || self.exempt_word(caps, flagged.as_str(), after) {
            return None;
        }
        if self.spec.needs_no_agent && text::has_agent(after) {
            return None;
        }
        let mut range = trim_range(text, flagged.range())?;
        let core = range.start..range.start + text[range.clone()].trim_end().len();
        let message = self
            .spec
            .message
            .replace("{phrase}", &phrase(&text[range.clone()]));
        let mut replacements: Vec<String> = self
            .spec
            .replace
            .iter()
            .filter_map(|t| expand(t, caps))
            .collect();
        let opens = !window.cut
            && text::sentence_start(&text[sentence.start..range.start])
            && text[range.clone()].starts_with(char::is_uppercase);
        if opens {
            if self.drops && text[range.clone()].ends_with(char::is_whitespace) {
                let tail = &text[range.end..sentence.end];
                let next_len: usize = tail
                    .char_indices()
                    .find(|(_, c)| !c.is_alphanumeric())
                    .map_or(tail.len(), |(k, _)| k);
                if next_len > 0 && tail.starts_with(char::is_lowercase) {
                    let word = &tail[..next_len];
                    range.end += next_len;
                    replacements = vec![capitalize(word)];
                }
            } else {
                replacements = replacements.iter().map(|r| capitalize(r)).collect();
            }
        }
        let flagged_text = &text[range.clone()];
        replacements.retain(|r| r != flagged_text);
        replacements.dedup();
        Some(PhraseHit {
            code: self.spec.code,
            row: self.spec.id.clone(),
            range: core,
            fix_range: range,
            message,
            replacements,
            ask: true,
            user: self.user,
        })
    }

    /// True when the captured word (group `w`, else `v`, else the flagged words) is
    /// listed in `unless_words`.
    fn exempt_word(&self, caps: &Captures<'_>, flagged: &str, after: &str) -> bool {
        if self.words.is_empty() {
            return false;
        }
        let captured = caps
            .name("w")
            .or_else(|| caps.name("v"))
            .map_or(flagged, |m| m.as_str());
        let captured_words: Vec<String> = text::tokens(captured)
            .into_iter()
            .filter_map(|t| match t {
                text::Tok::Word(w) => Some(w),
                text::Tok::Comma => None,
            })
            .collect();
        let next_word = text::tokens(after).into_iter().find_map(|t| match t {
            text::Tok::Word(w) => Some(w),
            text::Tok::Comma => None,
        });
        self.words.iter().any(|entry| match entry.split_once(' ') {
            Some((first, second)) => {
                captured_words.len() == 1
                    && captured_words[0] == first
                    && next_word.as_deref() == Some(second)
            }
            None => match entry.strip_suffix('*') {
                Some(prefix) => captured_words.iter().any(|w| w.starts_with(prefix)),
                None => captured_words.iter().any(|w| w == entry),
            },
        })
    }
}

/// True when the match is part of a longer word: a letter or digit right next to it
/// (non-ASCII letters, which the ASCII `\b` does not see), or a hyphenated or
/// apostrophised compound ("just-in-time", "well-supported").
fn glued(text: &str, range: Range<usize>) -> bool {
    let joiner = |c: char| matches!(c, '-' | '\'' | '’');
    let matched = &text[range.clone()];
    if matched.starts_with(char::is_alphanumeric)
        && text[..range.start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    {
        return true;
    }
    if matched.ends_with(char::is_alphanumeric)
        && text[range.end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
    {
        return true;
    }
    let mut back = text[..range.start].chars().rev();
    let glued_before = match (back.next(), back.next()) {
        (Some(j), Some(w)) => joiner(j) && w.is_alphanumeric(),
        _ => false,
    } && text[range.clone()].starts_with(char::is_alphanumeric);
    let mut fwd = text[range.end..].chars();
    let glued_after = match (fwd.next(), fwd.next()) {
        (Some(j), Some(w)) => joiner(j) && w.is_alphanumeric(),
        _ => false,
    } && text[range].ends_with(char::is_alphanumeric);
    glued_before || glued_after
}

/// Trims whitespace off the flagged range, keeping one trailing whitespace character
/// when it is alone (so that dropping the words also drops their space). `None` when
/// the words are separated by a run of two or more whitespace characters, which may
/// hide blanked markup.
fn trim_range(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let s = &text[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    let core_end = range.start + s.trim_end().len();
    if start >= core_end {
        return None;
    }
    let mut run = 0;
    for c in text[start..core_end].chars() {
        run = if c.is_whitespace() { run + 1 } else { 0 };
        if run >= 2 {
            return None;
        }
    }
    if range.end > core_end {
        let mut ws = text[core_end..].chars().take_while(|c| c.is_whitespace());
        if let (Some(c), None) = (ws.next(), ws.next()) {
            return Some(start..core_end + c.len_utf8());
        }
    }
    Some(start..core_end)
}

/// The flagged words for a message: punctuation at the ends trimmed, spaces collapsed.
fn phrase(flagged: &str) -> String {
    let t = flagged.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’');
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text with its first character upper-cased.
pub(crate) fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Fills a replacement template from the captures; `None` when a capture is missing or
/// a verb form is unknown.
fn expand(template: &str, caps: &Captures<'_>) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(k) = rest.find(['$', '{']) {
        out.push_str(&rest[..k]);
        rest = &rest[k..];
        if let Some(body) = rest.strip_prefix('{') {
            let close = body.find('}')?;
            let (func, name) = body[..close].split_once(':')?;
            let word = caps.name(name)?.as_str();
            let form = match func {
                "past" => Some(words::past(word)),
                "past-of-gerund" => words::past_of_gerund(word),
                "past-of-participle" => words::past_of_participle(word),
                _ => None,
            }?;
            out.push_str(&form);
            rest = &body[close + 1..];
        } else {
            let body = &rest[1..];
            let (name, after) = if let Some(b) = body.strip_prefix('{') {
                let close = b.find('}')?;
                (&b[..close], &b[close + 1..])
            } else {
                let n = body
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(body.len());
                (&body[..n], &body[n..])
            };
            if name.is_empty() {
                out.push('$');
            } else {
                out.push_str(caps.name(name)?.as_str());
            }
            rest = after;
        }
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rows_compile() {
        let rules = PhraseRules::builtin();
        assert_eq!(rules.errors(), &[]);
        assert!(rules.set.is_some(), "the prefilter set compiles");
        // Built-in rows compile when first used: every one of them must.
        for row in &rules.rows {
            assert!(row.re.get().is_some(), "{} compiles", row.spec.id);
            for side in [&row.before, &row.after].into_iter().flatten() {
                assert!(
                    side.get().is_some(),
                    "{}: {} compiles",
                    row.spec.id,
                    side.pattern
                );
            }
        }
        assert_eq!(rules.row_ids().count(), rules.rows().len());
    }

    #[test]
    fn bad_user_rows_are_reported_not_fatal() {
        let bad = RowSpec::new("broken", RuleCode::WeakVerb, "(unclosed", "m");
        let good = RowSpec::new(
            "spearheaded",
            RuleCode::WeakVerb,
            r"\bspearheaded\b",
            "say what you did",
        );
        let rules = PhraseRules::with_rows(vec![bad, good], &["just-in-time"]);
        assert_eq!(rules.errors().len(), 1);
        let hits = scan("I spearheaded it.", &rules);
        assert!(hits.iter().any(|h| h.row == "spearheaded"));
    }

    #[test]
    fn allow_list_suppresses() {
        let rules = PhraseRules::with_rows(Vec::new(), &["worked on"]);
        assert!(scan("I worked on the migration.", &rules).is_empty());
        let rules = PhraseRules::builtin();
        assert!(!scan("I worked on the migration.", &rules).is_empty());
    }

    #[test]
    fn templates_expand() {
        let Ok(re) = Regex::new(r"(?P<v>\w+) (?P<o>\w+)") else {
            panic!("test regex")
        };
        let Some(caps) = re.captures("migrating db") else {
            panic!("no captures")
        };
        assert_eq!(
            expand("{past-of-gerund:v} $o ${o}!", &caps).as_deref(),
            Some("migrated db db!")
        );
        assert_eq!(expand("{past:zz}", &caps), None);
        assert_eq!(expand("cost $5", &caps), None);
    }
}
