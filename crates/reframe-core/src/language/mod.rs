//! The language layer: the words of one sentence with their part of speech, verb form and
//! lemma, and the clause facts the wording rules decide on (who the subject is, whether
//! the verb is negated, passive, in a purpose or subordinate clause).
//!
//! Parts of speech come from harper's Brill tagger (`harper-brill`, trained on Universal
//! Dependencies English, with its lexicon of the most frequent tag of about 27,000 words);
//! verb lemmas and forms from that lexicon, harper-core's
//! its irregular-verb table. Nothing here is a hand-made word list of verbs: the few
//! closed-class words below (pronouns, auxiliaries, subordinators) are grammar, not
//! vocabulary. Tagging costs a few microseconds per sentence once the models are loaded;
//! [`warm_up`] loads them (about half a second) so that no keystroke pays for it, and a
//! sentence longer than [`MAX_WORDS`] words is not tagged at all (its facts are unknown,
//! and the rules that need them keep quiet), so the cost stays linear in the text.

mod clause;

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use harper_brill::{BrillTagger, FreqDict, Tagger, UPOS};
use harper_core::IrregularVerbs;

pub use clause::{Clause, SubjectKind, clause_of, counterfactual, is_person_noun};

/// Sentences longer than this are not tagged (tagging is linear, but a rule that looks
/// around a verb should never walk a 10,000-word "sentence").
pub const MAX_WORDS: usize = 120;

/// A word's part of speech (Universal Dependencies tags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pos {
    Noun,
    ProperNoun,
    Verb,
    Aux,
    Adjective,
    Adverb,
    Adposition,
    Determiner,
    Pronoun,
    Numeral,
    Particle,
    Coordinator,
    Subordinator,
    Interjection,
    Punctuation,
    Symbol,
    Other,
}

/// The form of a verb as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// "migrate"
    Base,
    /// "migrates"
    Third,
    /// "migrating"
    Gerund,
    /// "migrated" (simple past or past participle: the sentence tells which)
    Past,
    /// "written": only a past participle.
    Participle,
    /// "wrote": only a simple past.
    Preterite,
    /// Not a verb form.
    None,
}

/// One token of a sentence.
#[derive(Clone, Debug)]
pub struct Word {
    /// Byte range in the sentence text.
    pub range: Range<usize>,
    /// The text, lowercase.
    pub lower: String,
    pub pos: Pos,
    pub form: Form,
    /// The verb's lemma ("migrated" → "migrate"); the lowercase text for other words.
    pub lemma: String,
}

struct Models {
    tagger: Arc<BrillTagger<FreqDict>>,
    irregular: Arc<IrregularVerbs>,
}

fn models() -> &'static Models {
    static MODELS: OnceLock<Models> = OnceLock::new();
    MODELS.get_or_init(|| Models {
        tagger: harper_brill::brill_tagger(),
        irregular: IrregularVerbs::curated(),
    })
}

/// Loads the tagger and the irregular-verb table now (once per process: a few
/// milliseconds and a few megabytes).
pub fn warm_up() {
    let _ = models();
}

fn pos_of(tag: Option<UPOS>, text: &str) -> Pos {
    match tag {
        Some(UPOS::NOUN) => Pos::Noun,
        Some(UPOS::PROPN) => Pos::ProperNoun,
        Some(UPOS::VERB) => Pos::Verb,
        Some(UPOS::AUX) => Pos::Aux,
        Some(UPOS::ADJ) => Pos::Adjective,
        Some(UPOS::ADV) => Pos::Adverb,
        Some(UPOS::ADP) => Pos::Adposition,
        Some(UPOS::DET) => Pos::Determiner,
        Some(UPOS::PRON) => Pos::Pronoun,
        Some(UPOS::NUM) => Pos::Numeral,
        Some(UPOS::PART) => Pos::Particle,
        Some(UPOS::CCONJ) => Pos::Coordinator,
        Some(UPOS::SCONJ) => Pos::Subordinator,
        Some(UPOS::INTJ) => Pos::Interjection,
        Some(UPOS::PUNCT) => Pos::Punctuation,
        Some(UPOS::SYM) => Pos::Symbol,
        _ if text.chars().all(|c| c.is_ascii_digit()) => Pos::Numeral,
        _ if !text.chars().any(char::is_alphanumeric) => Pos::Punctuation,
        _ => Pos::Other,
    }
}

/// Splits a sentence into words and punctuation: a word is a run of letters and digits
/// with inner apostrophes, hyphens or dots ("on-call", "don't", "v1.2").
fn tokens(sentence: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut chars = sentence.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                let joins = matches!(d, '\'' | '’' | '-' | '.' | '/')
                    && sentence[j + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric);
                if d.is_alphanumeric() || joins {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(i..end);
        } else {
            out.push(i..i + c.len_utf8());
        }
    }
    out
}

/// Tags one sentence. Empty when the sentence has more than [`MAX_WORDS`] tokens.
pub fn tag(sentence: &str) -> Vec<Word> {
    let ranges = tokens(sentence);
    if ranges.is_empty() || ranges.len() > MAX_WORDS {
        return Vec::new();
    }
    let m = models();
    let strings: Vec<String> = ranges
        .iter()
        .map(|r| sentence[r.clone()].replace('’', "'"))
        .collect();
    let tags = m.tagger.tag_sentence(&strings);
    let mut words: Vec<Word> = ranges
        .into_iter()
        .zip(strings)
        .zip(tags)
        .map(|((range, text), tag)| {
            let lower = text.to_lowercase();
            let pos = pos_of(tag, &text);
            let (form, lemma) = verb_form(m, &lower, pos);
            Word {
                range,
                lower,
                pos,
                form,
                lemma,
            }
        })
        .collect();
    repair(m, &mut words);
    words
}

/// The tag the tagger's lexicon gives a word on its own (its most frequent one).
fn lexicon_tag(m: &Models, word: &str) -> Option<UPOS> {
    m.tagger
        .tag_sentence(&[word.to_string()])
        .first()
        .copied()
        .flatten()
}

/// Whether `word` is known as a verb: the irregular table has it, the lexicon's most
/// frequent tag for it is a verb, or it reads as a verb after "I".
fn is_verb_word(m: &Models, word: &str) -> bool {
    if m.irregular.get_preterite_for_lemma(word).is_some()
        || matches!(lexicon_tag(m, word), Some(UPOS::VERB))
    {
        return true;
    }
    // A word whose most frequent use is another ("support", "complete") can still be a
    // verb: after "I" the tagger says whether it reads as one.
    let tags = m.tagger.tag_sentence(&["I".to_string(), word.to_string()]);
    matches!(tags.get(1), Some(Some(UPOS::VERB)))
}

/// Endings of a stem that take back an "e" in the lemma ("migrat-ed" → "migrate",
/// "compil-ed" → "compile", "containeriz-ed" → "containerize"): English spelling, used
/// when the lexicon knows neither candidate.
const E_STEMS: &[&str] = &[
    "at", "iz", "is", "ur", "ut", "ud", "iv", "ov", "av", "ag", "ng", "rg", "uc", "nc", "rc", "bl",
    "pl", "tl", "dl", "gl", "kl", "zl", "in", "ot", "od", "as", "os", "us", "ir", "ar", "il", "ib",
    "ok", "ys", "yz",
];

/// The lemma of a regular form by spelling alone.
fn spelled_lemma(stem: &str) -> String {
    let b = stem.as_bytes();
    if b.len() >= 2 && b[b.len() - 1] == b[b.len() - 2] && !stem.ends_with("ss") {
        return stem[..stem.len() - 1].to_string();
    }
    let vowel_pair = b.len() >= 3 && b"aeiou".contains(&b[b.len() - 3]);
    if !vowel_pair && E_STEMS.iter().any(|e| stem.ends_with(e)) {
        return format!("{stem}e");
    }
    stem.to_string()
}

/// The form and lemma of a word, by its spelling: the irregular table first, then the
/// regular endings, each candidate lemma checked against the tagger's lexicon.
fn verb_form(m: &Models, lower: &str, pos: Pos) -> (Form, String) {
    if !matches!(
        pos,
        Pos::Verb | Pos::Aux | Pos::Adjective | Pos::Noun | Pos::Other
    ) {
        return (Form::None, lower.to_string());
    }
    // A prefixed irregular ("rebuilt", "rewritten", "overdone") is its base's form.
    for prefix in ["re", "un", "over", "out", "pre", "mis", "co"] {
        if let Some(base) = lower.strip_prefix(prefix).filter(|b| b.len() >= 3) {
            let known = m.irregular.get_lemma_for_preterite(base).is_some()
                || irregular_participle(m, base).is_some();
            if known {
                let (form, lemma) = verb_form(m, base, pos);
                if form != Form::None {
                    return (form, format!("{prefix}{lemma}"));
                }
            }
        }
    }
    if let Some(lemma) = m.irregular.get_lemma_for_preterite(lower) {
        let participle = m.irregular.get_past_participle_for_lemma(lemma);
        let form = if participle == Some(lower) {
            Form::Past
        } else {
            Form::Preterite
        };
        return (form, lemma.to_string());
    }
    // An irregular participle ("written", "done", "begun").
    if let Some(lemma) = irregular_participle(m, lower) {
        return (Form::Participle, lemma);
    }
    let candidates = |stem: &str, out: &mut Vec<String>| {
        out.push(stem.to_string());
        out.push(format!("{stem}e"));
        let b = stem.as_bytes();
        if b.len() >= 2 && b[b.len() - 1] == b[b.len() - 2] {
            out.push(stem[..stem.len() - 1].to_string());
        }
    };
    // A base form that only looks like an ending ("bring", "sing", "string"): the
    // irregular table knows it as a lemma.
    if m.irregular.get_preterite_for_lemma(lower).is_some() {
        return (Form::Base, lower.to_string());
    }
    let mut tries = Vec::new();
    let form = if let Some(stem) = lower.strip_suffix("ied") {
        tries.push(format!("{stem}y"));
        Form::Past
    } else if let Some(stem) = lower.strip_suffix("ed").filter(|s| s.len() >= 2) {
        candidates(stem, &mut tries);
        Form::Past
    } else if let Some(stem) = lower.strip_suffix("ing") {
        candidates(stem, &mut tries);
        Form::Gerund
    } else if let Some(stem) = lower.strip_suffix("ies") {
        tries.push(format!("{stem}y"));
        Form::Third
    } else if let Some(stem) = lower.strip_suffix("es") {
        tries.push(stem.to_string());
        tries.push(format!("{stem}e"));
        Form::Third
    } else if let Some(stem) = lower.strip_suffix('s').filter(|s| !s.ends_with('s')) {
        tries.push(stem.to_string());
        Form::Third
    } else if pos == Pos::Verb || is_verb_word(m, lower) {
        return (Form::Base, lower.to_string());
    } else {
        return (Form::None, lower.to_string());
    };
    let stem = tries.first().cloned().unwrap_or_default();
    match tries
        .into_iter()
        .find(|t| t.len() >= 2 && is_verb_word(m, t))
    {
        Some(lemma) => (form, lemma),
        // The lexicon knows neither candidate ("automated", "containerized"): where the
        // sentence uses the word as a verb, spelling decides.
        None if matches!(pos, Pos::Verb | Pos::Adjective | Pos::Other)
            && matches!(form, Form::Past | Form::Gerund) =>
        {
            (form, spelled_lemma(&stem))
        }
        None => (Form::None, lower.to_string()),
    }
}

fn irregular_participle(m: &Models, lower: &str) -> Option<String> {
    // The table maps lemma → forms; a participle's lemma is found through its stem
    // ("written" → "write", "done" → "do", "taken" → "take", "forgotten" → "forget").
    let mut lemmas: Vec<String> = Vec::new();
    for suffix in ["ten", "en", "n", "ne"] {
        if let Some(stem) = lower.strip_suffix(suffix).filter(|s| s.len() >= 2) {
            lemmas.push(stem.to_string());
            lemmas.push(format!("{stem}e"));
            let b = stem.as_bytes();
            if b.len() >= 2 && b[b.len() - 1] == b[b.len() - 2] {
                lemmas.push(stem[..stem.len() - 1].to_string());
            }
        }
    }
    // A stem may be the simple past instead ("broken" → "broke" → "break", "chosen" →
    // "chose" → "choose", "forgotten" → "forgot" → "forget").
    let through_preterite: Vec<String> = lemmas
        .iter()
        .filter_map(|l| m.irregular.get_lemma_for_preterite(l))
        .map(str::to_string)
        .collect();
    if let Some(found) = lemmas
        .into_iter()
        .chain(through_preterite)
        .find(|l| m.irregular.get_past_participle_for_lemma(l) == Some(lower))
    {
        return Some(found);
    }
    None
}

/// Fixes the tagger's commonest misreadings in write-ups: a resume bullet's opening verb
/// read as a noun ("Support the teams …", "Lead the migration …"), and a past form after a
/// form of "be" or "have" read as an adjective.
fn repair(m: &Models, words: &mut [Word]) {
    let first = words.iter().position(|w| w.pos != Pos::Punctuation);
    if let Some(i) = first {
        let next = words.get(i + 1).map(|w| w.pos);
        let opens_object = matches!(
            next,
            Some(Pos::Determiner | Pos::Pronoun | Pos::Adposition | Pos::Numeral | Pos::Noun)
                | Some(Pos::ProperNoun | Pos::Adjective)
        );
        let w = &words[i];
        let capitalised_verb = matches!(w.pos, Pos::Noun | Pos::ProperNoun | Pos::Adjective)
            && w.form != Form::None
            && is_verb_word(m, &w.lemma)
            && opens_object;
        if capitalised_verb {
            words[i].pos = Pos::Verb;
        }
    }
    for i in 1..words.len() {
        let after_be = is_be(&words[i - 1].lower)
            || (i >= 2 && is_be(&words[i - 2].lower) && words[i - 1].pos == Pos::Adverb);
        if after_be
            && words[i].pos == Pos::Adjective
            && matches!(words[i].form, Form::Past | Form::Participle)
        {
            words[i].pos = Pos::Verb;
        }
    }
}

/// The simple past of a verb lemma ("create" → "created", "write" → "wrote", "ship" →
/// "shipped"), from the irregular table or the regular spelling rules, a doubled final
/// consonant where the lexicon knows that spelling or the verb has one syllable.
pub fn past_of(lemma: &str) -> String {
    let m = models();
    if let Some(past) = m.irregular.get_preterite_for_lemma(lemma) {
        return past.to_string();
    }
    // Verbs the irregular table leaves out because they are also auxiliaries.
    match lemma {
        "have" => return "had".to_string(),
        "do" => return "did".to_string(),
        _ => {}
    }
    if lemma.ends_with('e') {
        return format!("{lemma}d");
    }
    let bytes = lemma.as_bytes();
    if let [.., before, b'y'] = bytes
        && !b"aeiou".contains(before)
    {
        return format!("{}ied", &lemma[..lemma.len() - 1]);
    }
    if let [.., a, b, c] = bytes
        && !b"aeiou".contains(a)
        && b"aeiou".contains(b)
        && !b"aeiouwxy".contains(c)
    {
        let doubled = format!("{lemma}{}ed", *c as char);
        let syllables = lemma
            .as_bytes()
            .windows(2)
            .filter(|w| b"aeiouy".contains(&w[1]) && !b"aeiouy".contains(&w[0]))
            .count()
            + usize::from(lemma.starts_with(|c: char| "aeiou".contains(c)));
        if syllables <= 1 || lexicon_tag(m, &doubled).is_some() {
            return doubled;
        }
    }
    format!("{lemma}ed")
}

/// Whether a word (or the last part of a hyphenated one) reads as a singular noun
/// ("feature", "mini-feature"; not "features", not "Terraform").
pub fn is_singular_countable(lower: &str) -> bool {
    let m = models();
    let last = lower.rsplit('-').next().unwrap_or(lower);
    !last.ends_with('s') && matches!(lexicon_tag(m, last), Some(UPOS::NOUN))
}

/// Whether the lexicon knows a word in lowercase as an ordinary word, not as a name
/// ("conflict", "physical"; not "jenkins").
pub fn is_common_word(lower: &str) -> bool {
    let m = models();
    matches!(lexicon_tag(m, lower), Some(tag) if tag != UPOS::PROPN)
}

/// The simple past for a past participle ("broken" → "broke", "written" → "wrote",
/// "migrated" → "migrated"), when the word is one.
pub fn past_of_participle(lower: &str) -> Option<String> {
    let m = models();
    if let Some(lemma) = irregular_participle(m, lower).filter(|l| l != lower) {
        return Some(past_of(&lemma));
    }
    if m.irregular.get_lemma_for_preterite(lower).is_some() {
        return Some(lower.to_string());
    }
    lower.ends_with("ed").then(|| lower.to_string())
}

/// Forms of "be" (and "get", which makes passives too).
pub fn is_be(lower: &str) -> bool {
    matches!(
        lower,
        "be" | "is"
            | "are"
            | "was"
            | "were"
            | "been"
            | "being"
            | "am"
            | "'s"
            | "'re"
            | "got"
            | "gets"
            | "get"
            | "gotten"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagged(s: &str) -> Vec<(String, Pos, Form, String)> {
        tag(s)
            .into_iter()
            .map(|w| (w.lower, w.pos, w.form, w.lemma))
            .collect()
    }

    #[test]
    fn lemmas_and_forms_of_regular_and_irregular_verbs() {
        let words = tagged("I migrated the pipelines and wrote the runbooks.");
        assert_eq!(words[1].3, "migrate");
        assert_eq!(words[1].2, Form::Past);
        assert_eq!(words[5].3, "write");
        assert_eq!(words[5].2, Form::Preterite);
        let words = tagged("The runbook was written by the SRE team.");
        assert_eq!(words[3].3, "write");
        assert_eq!(words[3].2, Form::Participle);
        let words = tagged("Planning the cutover and copied the data.");
        assert_eq!(words[0].3, "plan");
        assert_eq!(words[0].2, Form::Gerund);
        assert_eq!(words[4].3, "copy");
        // Words the lexicon does not know, used as verbs: spelling decides.
        let words = tagged("The runbook was rewritten and the cluster rebuilt.");
        assert_eq!(
            (words[3].2, words[3].3.as_str()),
            (Form::Participle, "rewrite")
        );
        assert_eq!(words[7].3, "rebuild");
        assert_eq!(tagged("The build was red.")[3].2, Form::None);
        let words = tagged("I containerized and automated the builds.");
        assert_eq!(words[1].3, "containerize");
        assert_eq!(words[3].3, "automate");
    }

    #[test]
    fn pasts_of_participles_and_countable_nouns() {
        assert_eq!(past_of_participle("broken").as_deref(), Some("broke"));
        assert_eq!(past_of_participle("written").as_deref(), Some("wrote"));
        assert_eq!(past_of_participle("migrated").as_deref(), Some("migrated"));
        assert_eq!(past_of_participle("built").as_deref(), Some("built"));
        assert!(is_singular_countable("feature"));
        assert!(is_singular_countable("mini-feature"));
        assert!(!is_singular_countable("features"));
        assert!(is_common_word("conflict"));
        assert!(!is_common_word("jenkins"));
    }

    #[test]
    fn simple_pasts() {
        assert_eq!(past_of("create"), "created");
        assert_eq!(past_of("write"), "wrote");
        assert_eq!(past_of("ship"), "shipped");
        assert_eq!(past_of("submit"), "submitted");
        assert_eq!(past_of("open"), "opened");
        assert_eq!(past_of("copy"), "copied");
        assert_eq!(past_of("deploy"), "deployed");
        assert_eq!(past_of("plan"), "planned");
        assert_eq!(past_of("edit"), "edited");
    }

    #[test]
    fn a_bullet_opening_verb_is_a_verb() {
        let words = tagged("Support the development teams with Terraform modules.");
        assert_eq!(words[0].1, Pos::Verb);
        assert_eq!(words[0].3, "support");
    }

    #[test]
    fn long_sentences_are_not_tagged() {
        let long = "word ".repeat(MAX_WORDS + 1);
        assert!(tag(&long).is_empty());
        assert!(!tag("I migrated it.").is_empty());
    }
}
