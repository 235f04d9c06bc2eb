//! Sentence splitting and the little grammar the context conditions need: who the
//! subject of a match is, and whether a passive names its agent.

use std::ops::Range;

use super::words;

/// The sentences (and sentence-like clauses) of one block, as contiguous byte ranges
/// that cover the whole text. A sentence ends after `.`, `!`, `?` or `…` followed by
/// a space or the end, at `;`, at `:` followed by a space, at dashes used as
/// separators (`—`, `–`, ` - `), and at a line break that starts a bullet or quote line
/// or that follows an empty line. Parentheses are handled by [`context_tokens`].
pub(crate) struct Sentences {
    ends: Vec<usize>,
}

impl Sentences {
    pub(crate) fn new(text: &str) -> Sentences {
        let mut ends = Vec::new();
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            let end = i + c.len_utf8();
            let next = chars.get(k + 1).map(|p| p.1);
            let prev = k.checked_sub(1).and_then(|j| chars.get(j)).map(|p| p.1);
            let boundary = match c {
                '.' | '!' | '?' | '…' => {
                    next.is_none_or(|n| {
                        n.is_whitespace() || matches!(n, '"' | '”' | '’' | '\'' | ')' | ']')
                    }) && !(c == '.' && is_abbreviation(&text[..i]))
                }
                ';' | '—' | '–' => true,
                ':' => next.is_none_or(char::is_whitespace),
                '-' => prev.is_some_and(|p| p == ' ') && next.is_some_and(|n| n == ' '),
                '\n' => line_starts_item(&text[end..]) || next == Some('\n'),
                _ => false,
            };
            if boundary {
                ends.push(end);
            }
        }
        if ends.last() != Some(&text.len()) {
            ends.push(text.len());
        }
        Sentences { ends }
    }

    /// Every sentence, in order.
    pub(crate) fn ranges(&self) -> Vec<Range<usize>> {
        let mut start = 0;
        self.ends
            .iter()
            .map(|&end| {
                let range = start..end.max(start);
                start = end;
                range
            })
            .collect()
    }

    /// The sentence that contains byte `pos` (the last one for `pos == text.len()`).
    pub(crate) fn containing(&self, pos: usize) -> Range<usize> {
        let k = self
            .ends
            .partition_point(|&e| e <= pos)
            .min(self.ends.len().saturating_sub(1));
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        let end = self.ends.get(k).copied().unwrap_or(start);
        start..end.max(start)
    }
}

/// True when the text before a `.` ends with an abbreviation that does not end a
/// sentence ("e.g.", "i.e.", "vs.", "approx.").
fn is_abbreviation(before: &str) -> bool {
    // The longest abbreviation has six characters: reading back further than seven
    // would make a run of dots or letters cost its length at every dot.
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .take(7)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        word.as_str(),
        "e.g" | "i.e" | "vs" | "approx" | "cf" | "incl" | "e" | "i"
    )
}

/// True when a line starts a list item or a quote (after indentation).
fn line_starts_item(rest: &str) -> bool {
    let t = rest.trim_start_matches([' ', '\t']);
    let mut it = t.chars();
    match it.next() {
        Some('-' | '*' | '+' | '•' | '>') => it.next().is_none_or(char::is_whitespace),
        Some(c) if c.is_ascii_digit() => {
            let digits = t.bytes().take_while(u8::is_ascii_digit).count();
            matches!(t.as_bytes().get(digits), Some(b'.' | b')'))
                && t.as_bytes()
                    .get(digits + 1)
                    .is_none_or(|b| b.is_ascii_whitespace())
        }
        _ => false,
    }
}

/// A token of a prefix or suffix: a word (lower case, curly apostrophes made straight)
/// or a comma. Other punctuation (quotes, bullets, emoji) is skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Word(String),
    Comma,
}

/// Splits text into words and commas. A word is a run of letters and digits, with
/// hyphens and apostrophes kept when they join two such runs ("on-call", "I've") and a
/// percent sign kept after digits ("40%").
pub(crate) fn tokens(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
            continue;
        }
        if c == '%' && cur.chars().last().is_some_and(|l| l.is_ascii_digit()) {
            cur.push(c);
            continue;
        }
        let joiner = matches!(c, '-' | '\'' | '’');
        if joiner && !cur.is_empty() && chars.peek().is_some_and(|n| n.is_alphanumeric()) {
            cur.push(if c == '’' { '\'' } else { c });
            continue;
        }
        if !cur.is_empty() {
            out.push(Tok::Word(std::mem::take(&mut cur)));
        }
        if c == ',' {
            out.push(Tok::Comma);
        }
    }
    if !cur.is_empty() {
        out.push(Tok::Word(cur));
    }
    out
}

/// Tokens of the text before a match, for deciding who its subject is: a closed
/// parenthetical is left out ("I wrote the tool (with help from Dana) and maintained
/// it"), and inside an open one only its own words count ("Helm (which handled …").
pub(crate) fn context_tokens(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut opens: Vec<usize> = Vec::new();
    let mut last = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => {
                out.extend(tokens(&s[last..i]));
                opens.push(out.len());
                last = i + 1;
            }
            ')' => {
                out.extend(tokens(&s[last..i]));
                // An unmatched ")" closes something opened earlier, or a list
                // marker ("1) Helped with …"): what came before does not count.
                out.truncate(opens.pop().unwrap_or(0));
                last = i + 1;
            }
            _ => {}
        }
    }
    out.extend(tokens(&s[last..]));
    if let Some(&mark) = opens.last() {
        out.drain(..mark);
    }
    out
}

/// Subject pronouns that make the writer the actor.
const OWN_PRONOUNS: &[&str] = &[
    "i", "we", "i've", "i'd", "i'm", "i'll", "we've", "we'd", "we're", "we'll",
];

/// Pronouns for people: a passive with one of these as subject says what happened to
/// people ("I was promoted", "nobody got paged"), not who did a piece of work.
const PERSON_PRONOUNS: &[&str] = &[
    "i",
    "we",
    "i've",
    "we've",
    "you",
    "he",
    "she",
    "they",
    "they've",
    "nobody",
    "everyone",
    "everybody",
    "somebody",
    "who",
];

/// Adverbs and auxiliaries that may stand between a subject and its verb.
const ADV_AUX: &[&str] = &[
    "also",
    "then",
    "later",
    "first",
    "initially",
    "originally",
    "eventually",
    "finally",
    "have",
    "has",
    "had",
    "was",
    "were",
    "am",
    "been",
    "being",
    "did",
    "do",
    "would",
    "just",
    "only",
    "simply",
    "merely",
    "myself",
    "ourselves",
    "all",
    "both",
    "together",
    "even",
    "still",
    "already",
    "once",
    "soon",
    "often",
    "again",
    "subsequently",
    "next",
    "ever",
    "never",
    "not",
    "sometimes",
    "personally",
    "mostly",
    "mainly",
    "primarily",
    "largely",
];

/// Words that join a verb to an earlier verb of the same subject.
const COORDINATORS: &[&str] = &["and", "or", "but", "then", "plus", "&"];

/// Prepositions and subordinators that open an introductory phrase ("In Q3, …").
const INTRO_WORDS: &[&str] = &[
    "in",
    "during",
    "at",
    "after",
    "before",
    "over",
    "within",
    "across",
    "as",
    "for",
    "from",
    "since",
    "throughout",
    "on",
    "when",
    "while",
    "once",
    "last",
    "this",
    "by",
    "early",
    "later",
    "until",
    "between",
    "around",
    "with",
    "without",
    // "To solve this, I …", "Using the new runner, we …": a phrase of purpose or means.
    "to",
    "using",
    "because",
    "through",
    "following",
    "overall",
    "ultimately",
    "finally",
];

/// Verbs of thought, perception or having, which do not make their object the writer's
/// work ("I think some teams…", "we had some downtime").
const NOT_WORK_VERBS: &[&str] = &[
    "thought",
    "believed",
    "guessed",
    "felt",
    "knew",
    "noticed",
    "saw",
    "found",
    "realized",
    "realised",
    "heard",
    "learned",
    "learnt",
    "had",
    "got",
    "needed",
    "wanted",
    "used",
    "spent",
    "took",
    "asked",
    "told",
    "received",
    "lost",
    "missed",
    "expected",
    "hoped",
    "interviewed",
    "talked",
    "met",
    "wished",
    "liked",
    "loved",
    "hated",
    "enjoyed",
    "faced",
    "hit",
    "saw",
    "watched",
    "read",
];

/// Particles of phrasal verbs ("set up", "rolled out").
const PARTICLES: &[&str] = &["up", "out", "together", "down", "in", "back", "off", "over"];

fn is_word(t: &Tok, list: &[&str]) -> bool {
    matches!(t, Tok::Word(w) if list.contains(&w.as_str()))
}

fn is_adverb(t: &Tok) -> bool {
    match t {
        Tok::Word(w) => ADV_AUX.contains(&w.as_str()) || (w.len() > 4 && w.ends_with("ly")),
        Tok::Comma => false,
    }
}

fn strip_adverbs(toks: &mut Vec<Tok>) {
    while toks.last().is_some_and(is_adverb) {
        toks.pop();
    }
}

/// True when the subject of whatever follows `before` is the writer: nothing but
/// adverbs since the start of the sentence (a resume-style bullet), `I`/`we`/`my team`
/// (with auxiliaries and adverbs between), or a coordinated verb in a sentence whose
/// subject is the writer ("I designed the schema and helped with…").
pub(crate) fn own_subject(before: &str, sentence: &str) -> bool {
    let mut toks = context_tokens(before);
    own_tokens(&mut toks, sentence)
}

/// Verbs of aspect that take the writer's gerund: "continued working on", "began hacking on".
const ASPECT_VERBS: &[&str] = &[
    "continued",
    "continue",
    "continues",
    "began",
    "begin",
    "started",
    "start",
    "kept",
    "keep",
    "resumed",
];

fn own_tokens(toks: &mut Vec<Tok>, sentence: &str) -> bool {
    strip_adverbs(toks);
    let Some(last) = toks.last() else {
        return true;
    };
    if is_word(last, OWN_PRONOUNS) {
        return true;
    }
    // "Continued hacking on …", "I kept working with …": a verb of aspect before the
    // gerund; whose work it is, the aspect verb's own subject tells.
    if is_word(last, ASPECT_VERBS) {
        toks.pop();
        return own_tokens(toks, sentence);
    }
    // "ended up contributing to …": the same, with a particle.
    if is_word(last, &["up"])
        && toks.len() >= 2
        && is_word(&toks[toks.len() - 2], &["ended", "end", "ends"])
    {
        toks.truncate(toks.len() - 2);
        return own_tokens(toks, sentence);
    }
    // "… as well as worked on …": a coordinated verb.
    if is_word(last, &["as"])
        && toks.len() >= 3
        && is_word(&toks[toks.len() - 2], &["well"])
        && is_word(&toks[toks.len() - 3], &["as"])
    {
        return sentence_opens_own(sentence);
    }
    if is_word(last, &["team"]) && toks.len() >= 2 && is_word(&toks[toks.len() - 2], &["my", "our"])
    {
        return true;
    }
    if *last == Tok::Comma || is_word(last, COORDINATORS) {
        // "In Q3, helped with …": an introductory phrase, then the bullet's verb.
        let commas = toks.iter().filter(|t| **t == Tok::Comma).count();
        if *last == Tok::Comma
            && commas == 1
            && toks.first().is_some_and(|t| is_word(t, INTRO_WORDS))
        {
            return true;
        }
        return sentence_opens_own(sentence);
    }
    false
}

/// True when nothing but punctuation and adverbs comes before, in the sentence.
pub(crate) fn at_start(before: &str) -> bool {
    let mut toks = context_tokens(before);
    strip_adverbs(&mut toks);
    toks.is_empty()
}

/// True when no word at all comes before, in the sentence.
pub(crate) fn sentence_start(before: &str) -> bool {
    context_tokens(before).is_empty()
}

/// True when the match is the object of the writer's own past-tense verb: `I wrote
/// some …`, `Wrote some …`, `I designed X and set up basic …`.
pub(crate) fn own_object(before: &str, sentence: &str) -> bool {
    let mut toks = context_tokens(before);
    if toks.last().is_some_and(|t| is_word(t, PARTICLES)) {
        toks.pop();
    }
    match toks.pop() {
        Some(Tok::Word(v)) if words::is_past_verb(&v) && !NOT_WORK_VERBS.contains(&v.as_str()) => {}
        _ => return false,
    }
    own_tokens(&mut toks, sentence)
}

/// True unless the subject right before is a person pronoun or a relative pronoun
/// (used by passive rows: "I was promoted" and "the services that were migrated
/// first" are not hiding who did the work).
pub(crate) fn not_person(before: &str) -> bool {
    let mut toks = context_tokens(before);
    strip_adverbs(&mut toks);
    match toks.last() {
        Some(t) if is_word(t, PERSON_PRONOUNS) => false,
        Some(t) if is_word(t, &["one"]) => {
            !(toks.len() >= 2 && is_word(&toks[toks.len() - 2], &["no"]))
        }
        _ => true,
    }
}

/// True when the sentence's subject is the writer: it opens (after adverbs and an
/// introductory phrase) with `I`, `we`, `my/our team`, or a past-tense verb.
fn sentence_opens_own(sentence: &str) -> bool {
    let toks = context_tokens(sentence);
    let mut rest: &[Tok] = &toks;
    if rest.first().is_some_and(|t| is_word(t, INTRO_WORDS)) {
        if let Some(p) = rest.iter().position(|t| *t == Tok::Comma) {
            rest = &rest[p + 1..];
        }
    }
    // "Did some time on SRE and helped …": "did" opening a bullet is its verb, not an
    // auxiliary.
    if rest.first().is_some_and(|t| is_word(t, &["did"]))
        && !rest.get(1).is_some_and(|t| is_word(t, &["not", "n't"]))
    {
        return true;
    }
    while rest.first().is_some_and(is_adverb) {
        rest = &rest[1..];
    }
    match rest {
        [Tok::Word(w), ..] if OWN_PRONOUNS.contains(&w.as_str()) || words::is_past_verb(w) => true,
        [Tok::Word(a), Tok::Word(b), ..] => (a == "my" || a == "our") && b == "team",
        _ => false,
    }
}

/// Conjunctions that, after a comma, start a new clause.
const CLAUSE_STARTS: &[&str] = &[
    "and", "but", "so", "which", "who", "where", "while", "because", "although", "though",
    "whereas", "then", "when", "after", "before", "until", "since", "yet",
];

/// Words after `by` that do not name an agent ("by hand", "by default", "by 40%",
/// "by Friday", "by the end of Q3").
pub(crate) const NOT_AGENTS: &[&str] = &[
    "hand",
    "default",
    "design",
    "then",
    "now",
    "far",
    "half",
    "twice",
    "double",
    "end",
    "eod",
    "eow",
    "eoq",
    "mid",
    "early",
    "late",
    "next",
    "about",
    "around",
    "roughly",
    "nearly",
    "almost",
    "over",
    "more",
    "less",
    "up",
    "at",
    "approximately",
    "accident",
    "mistake",
    "itself",
    "themselves",
    "way",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "q1",
    "q2",
    "q3",
    "q4",
    "h1",
    "h2",
    "tens",
    "orders",
    "percent",
    "comparison",
    "contrast",
    "chance",
    "hours",
    "minutes",
    "days",
    "weeks",
    "months",
    "year",
    "week",
    "month",
    "start",
    "beginning",
    "middle",
    "time",
    "day",
    "quarter",
    "deadline",
    "noon",
    "midnight",
    "email",
    "phone",
    "mail",
];

/// Number words: "by two teams" names an agent, "by two hours" does not.
const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "several",
    "dozens",
    "hundreds",
    "thousands",
    "many",
    "multiple",
];

/// Units and function words after a number that make "by <number>" an amount.
const AMOUNT_AFTER: &[&str] = &[
    "percent",
    "x",
    "times",
    "ms",
    "s",
    "sec",
    "secs",
    "seconds",
    "minutes",
    "mins",
    "hours",
    "hrs",
    "days",
    "weeks",
    "months",
    "years",
    "quarters",
    "points",
    "pp",
    "gb",
    "mb",
    "tb",
    "kb",
    "k",
    "m",
    "dollars",
    "usd",
    "eur",
    "orders",
    "percentage",
    "fold",
    "requests",
    "rps",
    "after",
    "before",
    "in",
    "on",
    "at",
    "from",
    "to",
    "over",
    "and",
    "or",
    "with",
    "per",
    "a",
    "compared",
    "versus",
    "vs",
    "which",
    "while",
    "when",
    "since",
    "of",
];

/// Nouns after `by the` / `by a` that do not name an agent.
const NOT_AGENT_NOUNS: &[&str] = &[
    "end",
    "time",
    "factor",
    "lot",
    "way",
    "order",
    "half",
    "start",
    "middle",
    "margin",
    "wide",
    "large",
    "huge",
    "significant",
    "small",
    "few",
    "couple",
    "third",
    "quarter",
    "same",
    "book",
];

/// True when the clause that `after` starts names an agent with `by …`.
pub(crate) fn has_agent(after: &str) -> bool {
    let toks = tokens(after);
    let mut k = 0;
    while k < toks.len() {
        match &toks[k] {
            Tok::Comma if toks.get(k + 1).is_some_and(|t| is_word(t, CLAUSE_STARTS)) => {
                return false;
            }
            Tok::Word(w) if w == "by" => {
                if let Some(Tok::Word(n)) = toks.get(k + 1) {
                    let n2 = match toks.get(k + 2) {
                        Some(Tok::Word(x)) => x.as_str(),
                        _ => "",
                    };
                    let numeric = n.starts_with(|c: char| c.is_ascii_digit())
                        || NUMBER_WORDS.contains(&n.as_str());
                    let amount = (n.starts_with(|c: char| c.is_ascii_digit())
                        && n.ends_with(['%', 'x', 'k']))
                        || n2.is_empty()
                        || AMOUNT_AFTER.contains(&n2);
                    let not_agent = (numeric && amount)
                        || NOT_AGENTS.contains(&n.as_str())
                        || (n.len() > 4 && n.ends_with("ing"))
                        || (matches!(n.as_str(), "the" | "a" | "an")
                            && NOT_AGENT_NOUNS.contains(&n2));
                    if !not_agent {
                        return true;
                    }
                }
            }
            _ => {}
        }
        k += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let s = Sentences::new(text);
        let mut out = Vec::new();
        let mut start = 0;
        for &e in &s.ends {
            out.push(&text[start..e]);
            start = e;
        }
        out
    }

    #[test]
    fn splits_sentences() {
        assert_eq!(
            split("I did X. Then Y! e.g. this; that"),
            vec!["I did X.", " Then Y!", " e.g. this;", " that"]
        );
        assert_eq!(split("Role: helped"), vec!["Role:", " helped"]);
        assert_eq!(split("v1.2 at 10:30"), vec!["v1.2 at 10:30"]);
        assert_eq!(split("a\n- b\nc"), vec!["a\n", "- b\nc"]);
        assert_eq!(split(""), vec![""]);
        let s = Sentences::new("ab. cd");
        assert_eq!(s.containing(0), 0..3);
        assert_eq!(s.containing(4), 3..6);
        assert_eq!(s.containing(6), 3..6);
    }

    #[test]
    fn tokens_keep_joined_words() {
        assert_eq!(
            tokens("I’ve on-call, \"x\""),
            vec![
                Tok::Word("i've".into()),
                Tok::Word("on-call".into()),
                Tok::Comma,
                Tok::Word("x".into())
            ]
        );
    }

    #[test]
    fn subjects() {
        assert!(own_subject("", "Helped with X"));
        assert!(own_subject("  - Also ", "Also helped"));
        assert!(own_subject("In Q3, I ", "In Q3, I helped"));
        assert!(own_subject(
            "I designed the schema and ",
            "I designed the schema and helped"
        ));
        assert!(!own_subject("This ", "This helped"));
        assert!(!own_subject(
            "I built a tool that ",
            "I built a tool that helped"
        ));
        assert!(own_object("I wrote ", "I wrote some"));
        assert!(own_object("Wrote ", "Wrote some"));
        assert!(!own_object("I think ", "I think some"));
        assert!(!own_object("", "Some teams"));
        assert!(not_person("The pipeline "));
        assert!(!not_person("I "));
    }

    #[test]
    fn parentheses() {
        assert!(own_subject(
            "I wrote the tool (with help from Dana) and ",
            "I wrote the tool (with help from Dana) and just"
        ));
        assert!(!own_subject("Helm (which ", "Helm (which handled"));
        assert!(own_subject("I built X (", "I built X (helped"));
        assert_eq!(context_tokens("a (b) c ("), vec![]);
        assert_eq!(
            context_tokens("a (b) c"),
            vec![Tok::Word("a".into()), Tok::Word("c".into())]
        );
        assert_eq!(context_tokens("a) b"), vec![Tok::Word("b".into())]);
    }

    #[test]
    fn agents() {
        assert!(has_agent(" by the platform team"));
        assert!(has_agent(" last year by me."));
        assert!(!has_agent(" by 40% after the work"));
        assert!(!has_agent(" by hand every 90 days"));
        assert!(!has_agent(" by the end of Q3"));
        assert!(!has_agent(
            " last year, and the team was notified by PagerDuty"
        ));
        assert!(!has_agent(" by switching to gRPC"));
        assert!(has_agent(" by two other teams"));
        assert!(has_agent(" by 3 teams in a week"));
        assert!(!has_agent(" by 30 percent"));
        assert!(!has_agent(" by 40% after the work"));
        assert!(!has_agent(" by 3x."));
    }
}
