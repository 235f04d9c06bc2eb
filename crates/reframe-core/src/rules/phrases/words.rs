//! Word lists the phrase tables refer to, and the few verb forms the rewrites need.
//!
//! Patterns may name a list in braces (`{base-verb}`, `{participle}`, `{number}`): the
//! list is expanded into a regex alternation when the row is compiled, so the tables stay
//! readable and user rows from configuration can use the same lists.

use crate::rules::CARDINAL_WORDS;
/// Irregular verbs as (base, past, past participle).
const IRREGULAR: &[(&str, &str, &str)] = &[
    ("be", "was", "been"),
    ("become", "became", "become"),
    ("begin", "began", "begun"),
    ("bring", "brought", "brought"),
    ("build", "built", "built"),
    ("buy", "bought", "bought"),
    ("catch", "caught", "caught"),
    ("choose", "chose", "chosen"),
    ("cut", "cut", "cut"),
    ("deal", "dealt", "dealt"),
    ("do", "did", "done"),
    ("draw", "drew", "drawn"),
    ("drive", "drove", "driven"),
    ("feed", "fed", "fed"),
    ("find", "found", "found"),
    ("freeze", "froze", "frozen"),
    ("get", "got", "gotten"),
    ("give", "gave", "given"),
    ("grow", "grew", "grown"),
    ("hide", "hid", "hidden"),
    ("hold", "held", "held"),
    ("keep", "kept", "kept"),
    ("lay", "laid", "laid"),
    ("lead", "led", "led"),
    ("make", "made", "made"),
    ("meet", "met", "met"),
    ("oversee", "oversaw", "overseen"),
    ("pay", "paid", "paid"),
    ("put", "put", "put"),
    ("rebuild", "rebuilt", "rebuilt"),
    ("redo", "redid", "redone"),
    ("rerun", "reran", "rerun"),
    ("reset", "reset", "reset"),
    ("rewrite", "rewrote", "rewritten"),
    ("run", "ran", "run"),
    ("see", "saw", "seen"),
    ("seek", "sought", "sought"),
    ("sell", "sold", "sold"),
    ("send", "sent", "sent"),
    ("set", "set", "set"),
    ("shut", "shut", "shut"),
    ("speed", "sped", "sped"),
    ("spend", "spent", "spent"),
    ("spin", "spun", "spun"),
    ("split", "split", "split"),
    ("stand", "stood", "stood"),
    ("sweep", "swept", "swept"),
    ("take", "took", "taken"),
    ("teach", "taught", "taught"),
    ("tell", "told", "told"),
    ("throw", "threw", "thrown"),
    ("undertake", "undertook", "undertaken"),
    ("undo", "undid", "undone"),
    ("uphold", "upheld", "upheld"),
    ("win", "won", "won"),
    ("withdraw", "withdrew", "withdrawn"),
    ("write", "wrote", "written"),
];

/// Regular verbs common in engineering write-ups (base forms). Together with the
/// irregular table they are `{base-verb}`: the verbs that `helped (to) …` rewrites know.
const REGULAR: &[&str] = &[
    "add",
    "adopt",
    "architect",
    "audit",
    "automate",
    "benchmark",
    "clean",
    "coordinate",
    "codify",
    "complete",
    "configure",
    "consolidate",
    "containerize",
    "convert",
    "create",
    "debug",
    "decommission",
    "decrease",
    "define",
    "deliver",
    "deploy",
    "deprecate",
    "design",
    "detect",
    "develop",
    "diagnose",
    "document",
    "draft",
    "eliminate",
    "enable",
    "establish",
    "evaluate",
    "expand",
    "finish",
    "fix",
    "harden",
    "hire",
    "identify",
    "implement",
    "improve",
    "increase",
    "instrument",
    "integrate",
    "introduce",
    "investigate",
    "launch",
    "lower",
    "maintain",
    "manage",
    "mentor",
    "migrate",
    "modernize",
    "monitor",
    "move",
    "onboard",
    "optimize",
    "organize",
    "overhaul",
    "patch",
    "plan",
    "port",
    "prepare",
    "prevent",
    "prioritize",
    "prototype",
    "provision",
    "recruit",
    "reduce",
    "refactor",
    "release",
    "remove",
    "replace",
    "resolve",
    "restructure",
    "review",
    "roll",
    "scale",
    "secure",
    "ship",
    "shorten",
    "simplify",
    "stabilize",
    "standardize",
    "streamline",
    "test",
    "track",
    "train",
    "transition",
    "triage",
    "troubleshoot",
    "tune",
    "unblock",
    "unify",
    "update",
    "upgrade",
    "validate",
    "verify",
];

/// Verbs that double their final consonant (ship → shipped, shipping; set → setting).
const DOUBLING: &[&str] = &[
    "debug", "plan", "ship", "drop", "stop", "scrap", "log", "tag", "map", "swap", "skip", "wrap",
    "trim", "pin", "plug", "commit", "submit", "permit", "control", "patrol", "set", "reset",
    "cut", "run", "rerun", "put", "get", "spin", "begin", "shut", "split", "win",
];

/// Participles that are adjectives after a be-verb far more often than passives
/// ("was based on", "were interested", "was blocked on review"). Entries of two words
/// apply only when the second word follows ("attached to"); `un*` stands for every word
/// starting with "un" ("undocumented", "untested", "unexpected").
pub(crate) const STATIVE: &[&str] = &[
    "based",
    "centered",
    "centred",
    "geared",
    "located",
    "situated",
    "interested",
    "involved",
    "required",
    "needed",
    "supposed",
    "meant",
    "intended",
    "expected",
    "allowed",
    "attached to",
    "concerned",
    "excited",
    "pleased",
    "surprised",
    "tired",
    "bored",
    "married",
    "worried",
    "frustrated",
    "annoyed",
    "confused",
    "overwhelmed",
    "stressed",
    "scared",
    "disappointed",
    "impressed",
    "relieved",
    "satisfied",
    "embarrassed",
    "amazed",
    "thrilled",
    "motivated",
    "determined",
    "convinced",
    "committed to",
    "dedicated",
    "focused",
    "qualified",
    "experienced",
    "skilled",
    "talented",
    "limited",
    "outdated",
    "antiquated",
    "complicated",
    "sophisticated",
    "coupled",
    "related",
    "associated",
    "affected",
    "impacted",
    "blocked",
    "started",
    "scattered",
    "fragmented",
    "siloed",
    "mixed",
    "named",
    "called",
    "titled",
    "entitled",
    "aligned",
    "opinionated",
    "detailed",
    "crowded",
    "isolated",
    "exposed",
    "degraded",
    "misconfigured",
    "overloaded",
    "overprovisioned",
    "underprovisioned",
    "understaffed",
    "overworked",
    "underutilized",
    "overcommitted",
    "prepared",
    "inclined",
    "tasked",
    "compared",
    "biased",
    "designed for",
    "tied",
    "done with",
    "fed up",
    "hosted",
    "un*",
];

/// Past participles used by `{participle}` besides the regular `-ed` forms. Adjectival
/// ones (broken, gone, stuck, known) are left out on purpose.
const EXTRA_PARTICIPLES: &[&str] = &[
    "begun",
    "bought",
    "brought",
    "built",
    "caught",
    "chosen",
    "cut",
    "dealt",
    "done",
    "drawn",
    "driven",
    "fed",
    "found",
    "frozen",
    "given",
    "grown",
    "held",
    "hidden",
    "kept",
    "laid",
    "led",
    "made",
    "met",
    "overseen",
    "overwritten",
    "paid",
    "put",
    "rebuilt",
    "redone",
    "rerun",
    "reset",
    "rewritten",
    "run",
    "seen",
    "sent",
    "set",
    "shown",
    "shut",
    "sold",
    "sought",
    "sped",
    "spent",
    "split",
    "spun",
    "swept",
    "taken",
    "taught",
    "thrown",
    "told",
    "torn",
    "undertaken",
    "undone",
    "upheld",
    "withdrawn",
    "written",
    "won",
];

/// Number words for `{number}` besides [`CARDINAL_WORDS`] (digits are matched separately).
const NUMBER_WORDS: &[&str] = &[
    "hundred",
    "hundreds",
    "thousand",
    "thousands",
    "dozen",
    "dozens",
    "several",
    "half",
    "a few",
    "a couple",
    "a handful",
    "a dozen",
    "a hundred",
    "a thousand",
    "twice",
    "double",
];

/// Expands the `{list}` names in a pattern into regex alternations: `{base-verb}` (base
/// forms the rewrites know), `{past}` (simple past: irregular forms and `-ed` words of
/// five letters or more), `{participle}` (past participles: irregular ones and `-ed`
/// words of four letters or more) and `{number}` (digits, number words, "a few"). Unknown names are
/// left as written (the regex parser then reports them as a repetition error, which the
/// caller turns into a row error).
pub(crate) fn expand_lists(pattern: &str) -> String {
    let mut out = pattern.to_string();
    if out.contains("{base-verb}") {
        out = out.replace("{base-verb}", &alternation(base_verbs()));
    }
    if out.contains("{participle}") {
        let list = alternation(EXTRA_PARTICIPLES.iter().copied());
        out = out.replace(
            "{participle}",
            &format!("(?:[a-z]{{2,}}ed|{})", &list[3..list.len() - 1]),
        );
    }
    if out.contains("{past}") {
        let list = alternation(IRREGULAR.iter().map(|v| v.1));
        out = out.replace(
            "{past}",
            &format!("(?:[a-z]{{3,}}ed|{})", &list[3..list.len() - 1]),
        );
    }
    if out.contains("{number}") {
        let words: Vec<String> = CARDINAL_WORDS
            .iter()
            .chain(NUMBER_WORDS)
            .map(|w| w.replace(' ', r"\s+"))
            .collect();
        out = out.replace(
            "{number}",
            &format!(r"(?:[~$€£]?\d|(?:{})\b)", words.join("|")),
        );
    }
    out
}

/// Expands list names used as entries of a row's word list (`unless_words`).
pub(crate) fn expand_word_list(words: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for w in words {
        match *w {
            "{base-verb}" => out.extend(base_verbs().map(str::to_string)),
            "{stative}" => out.extend(STATIVE.iter().map(|s| s.to_string())),
            other => out.push(other.to_lowercase()),
        }
    }
    out
}

fn base_verbs() -> impl Iterator<Item = &'static str> {
    IRREGULAR
        .iter()
        .map(|v| v.0)
        .filter(|b| *b != "be")
        .chain(REGULAR.iter().copied())
}

/// `(?:a|b|c)` with the longest words first, so alternation prefers them.
fn alternation<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = words.collect();
    v.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    v.dedup();
    format!("(?:{})", v.join("|"))
}

/// True when `word` (lower case) reads as a simple past verb: an irregular past or a
/// regular `-ed` form of at least four letters.
pub(crate) fn is_past_verb(word: &str) -> bool {
    IRREGULAR.iter().any(|v| v.1 == word)
        || (word.len() >= 5
            && word.ends_with("ed")
            && word.chars().all(|c| c.is_ascii_alphabetic()))
}

/// The simple past of a base form ("build" → "built", "migrate" → "migrated").
pub(crate) fn past(base: &str) -> String {
    let lower = base.to_lowercase();
    if let Some(v) = IRREGULAR.iter().find(|v| v.0 == lower) {
        return v.1.to_string();
    }
    if DOUBLING.contains(&lower.as_str()) {
        let last = lower.chars().last().map(String::from).unwrap_or_default();
        return format!("{lower}{last}ed");
    }
    if lower.ends_with('e') {
        return format!("{lower}d");
    }
    if let Some(stem) = lower.strip_suffix('y') {
        if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) {
            return format!("{stem}ied");
        }
    }
    format!("{lower}ed")
}

/// The `-ing` form of a base form ("migrate" → "migrating", "ship" → "shipping").
fn gerund(base: &str) -> String {
    if DOUBLING.contains(&base) {
        let last = base.chars().last().map(String::from).unwrap_or_default();
        return format!("{base}{last}ing");
    }
    if let Some(stem) = base.strip_suffix("ie") {
        return format!("{stem}ying");
    }
    if base.ends_with('e') && !base.ends_with("ee") && base.len() > 2 {
        return format!("{}ing", &base[..base.len() - 1]);
    }
    format!("{base}ing")
}

/// The simple past for an `-ing` form of a known verb ("migrating" → "migrated").
pub(crate) fn past_of_gerund(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    base_verbs().find(|b| gerund(b) == lower).map(past)
}

/// The simple past for a past participle ("taken" → "took", "deployed" → "deployed").
/// `None` for "been", whose past depends on the subject.
pub(crate) fn past_of_participle(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    if lower == "been" {
        return None;
    }
    if let Some(v) = IRREGULAR.iter().find(|v| v.2 == lower) {
        return Some(v.1.to_string());
    }
    Some(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verb_forms() {
        assert_eq!(past("migrate"), "migrated");
        assert_eq!(past("ship"), "shipped");
        assert_eq!(past("build"), "built");
        assert_eq!(past("simplify"), "simplified");
        assert_eq!(past("deploy"), "deployed");
        assert_eq!(past_of_gerund("migrating").as_deref(), Some("migrated"));
        assert_eq!(past_of_gerund("setting").as_deref(), Some("set"));
        assert_eq!(past_of_gerund("shipping").as_deref(), Some("shipped"));
        assert_eq!(past_of_gerund("improving").as_deref(), Some("improved"));
        assert_eq!(past_of_gerund("xyzzying"), None);
        assert_eq!(past_of_participle("taken").as_deref(), Some("took"));
        assert_eq!(past_of_participle("been"), None);
        assert!(is_past_verb("wrote"));
        assert!(is_past_verb("deployed"));
        assert!(!is_past_verb("red"));
    }

    #[test]
    fn lists_expand() {
        let p = expand_lists(r"\bhelped\s+(?P<v>{base-verb})\b");
        assert!(p.contains("migrate") && !p.contains("{base-verb}"));
        assert!(expand_lists("{participle}").starts_with("(?:[a-z]{2,}ed|"));
        assert!(regex::Regex::new(&expand_lists("{number}")).is_ok());
        assert!(regex::Regex::new(&expand_lists("{participle}|{past}")).is_ok());
    }
}
