//! Evidence in an impact statement: the outcome claims that need it ("Improved
//! reliability", "faster deploys"), and what counts as evidence — a figure ("45 minutes",
//! "10x", "99.9%", "cut in half") or a before/after contrast ("from manual to automated",
//! "Before: … After: …", "than before", "no longer").
//!
//! The `impact-evidence` rule fires on a claim with no evidence anywhere in its bullet.
//! Precision comes first: anything that looks like a figure or a contrast silences it, and
//! only comparative claims (a change of degree that begs "by how much?") count. Absolute
//! outcomes ("Eliminated manual deploys", "Enabled devs to self-serve") state what changed
//! and are left alone.
//!
//! The word lists below are data; [`outcome_claim`], [`has_figure`] and [`has_contrast`]
//! run them over one piece of prose (code and markup already blanked by the caller).

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::CARDINAL_WORDS;

/// Verbs and nouns that claim a change of degree ("improved", "reduction").
const CLAIM_WORDS: &[&str] = &[
    r"improv(?:e|ed|es|ing|ements?)",
    r"increas(?:e|ed|es|ing)",
    r"reduc(?:e|ed|es|ing|tions?)",
    r"decreas(?:e|ed|es|ing)",
    r"enhanc(?:e|ed|es|ing|ements?)",
    r"boost(?:ed|s|ing)?",
    r"streamlin(?:e|ed|es|ing)",
    r"optimi[sz](?:e|ed|es|ing|ations?)",
    r"accelerat(?:e|ed|es|ing)",
    r"sped up",
    r"speed(?:s|ed)? up",
    r"lower(?:ed|s|ing)?",
    r"minimi[sz](?:e|ed|es|ing)",
    r"maximi[sz](?:e|ed|es|ing)",
    r"cut(?:s|ting)?",
    r"shorten(?:ed|s|ing)?",
    r"sav(?:e|ed|es|ing|ings)",
    r"slash(?:ed|es|ing)?",
    r"trimm?(?:ed|s|ing)?",
    r"tighten(?:ed|s|ing)?",
    r"faster",
    r"quicker",
    r"shorter",
    r"smaller",
    r"smoother",
    r"safer",
    r"simpler",
    r"easier",
    r"leaner",
    r"quieter",
    r"tighter",
    r"sooner",
    r"better",
    r"higher",
    r"greater",
    r"cheaper",
    r"fewer",
    r"less",
    r"more",
];

/// Words that state an amount without digits, besides [`CARDINAL_WORDS`] (and "zero" before
/// them).
const NUMBER_WORDS: &[&str] = &[
    "hundreds?",
    "thousands?",
    "millions?",
    "billions?",
    "dozens?",
    "half",
    "halved",
    "doubled?",
    "twice",
    "tripled?",
    "quadrupled?",
    "\\w+fold",
    "percent",
    "a third",
    "a quarter",
];

/// Phrases that set the new state against the old one.
const CONTRAST_PATTERNS: &[&str] = &[
    // "from 45 to 6 minutes", "from manual to automated", "went from weekly to daily"
    r"\bfrom\b[^.;!?]{1,80}?\b(?:to|into)\b",
    // "Before: … After: …", "before the migration … after it"
    r"\bbefore\b[^!?]*\bafter\b",
    r"\b(?:before|after)\s*[:\u{2014}-]",
    // "than before", "than the old pipeline"
    r"\bthan\b",
    r"\b(?:compared (?:to|with)|versus|vs\b\.?)",
    r"\b(?:instead of|rather than|in place of)\b",
    r"\b(?:no longer|no more|any ?more|used to|previously|formerly|prior to|until then)\b",
    r"\b(?:down|up) from\b",
    // "that they didn't have before", "than it was before"
    r"\bbefore\s*(?:[.,;)]|$)",
    r"\b(?:now|nowadays)\b",
];

fn compile(pattern: &str) -> Option<Regex> {
    Regex::new(pattern).ok()
}

fn claim_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| compile(&format!(r"(?i)\b(?:{})\b", CLAIM_WORDS.join("|"))))
        .as_ref()
}

fn number_word_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        let words: Vec<&str> = std::iter::once("zero")
            .chain(CARDINAL_WORDS.iter().copied())
            .chain(NUMBER_WORDS.iter().copied())
            .collect();
        compile(&format!(r"(?i)\b(?:{})\b", words.join("|")))
    })
    .as_ref()
}

fn contrast_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| compile(&format!("(?im)(?:{})", CONTRAST_PATTERNS.join("|"))))
        .as_ref()
}

/// True when the text states an amount: a digit that starts a number ("45", "10x",
/// "$40k", "99.9%", not the "8" of "k8s" or the "2" of "EC2"), a percent sign, or a number
/// word ("twice", "half", "three", "tenfold").
pub fn has_figure(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digit = bytes.iter().enumerate().any(|(i, b)| {
        b.is_ascii_digit()
            && (i == 0 || {
                let prev = bytes[i - 1];
                !prev.is_ascii_alphabetic() && prev != b'_'
            })
    });
    digit || text.contains('%') || number_word_regex().is_some_and(|re| re.is_match(text))
}

/// True when the text sets a new state against an old one: "from X to Y", "Before: …
/// After: …", "than before", "no longer", "instead of", "now".
pub fn has_contrast(text: &str) -> bool {
    contrast_regex().is_some_and(|re| re.is_match(text))
}

/// True when the text carries a figure or a before/after contrast.
pub fn has_evidence(text: &str) -> bool {
    has_figure(text) || has_contrast(text)
}

/// Claim words that are something else before these words: (claim word prefix, what
/// follows it). "cut over" and "cut a release" are steps, "lower environments" are dev and
/// staging, "more or less" is a hedge.
const NOT_CLAIMS: &[(&str, &[&str])] = &[
    (
        "cut",
        &[
            "over",
            "a ",
            "an ",
            "release",
            "the release",
            "tag",
            "branch",
        ],
    ),
    ("lower", &["env", "tier"]),
    ("higher", &["env", "tier"]),
    ("more", &["or ", "of the same"]),
    ("less", &["or "]),
];

/// What "save" must be about to be an outcome ("saved time", "saves the team hours"),
/// not storing something ("saved the dashboards to git").
const SAVED_WHAT: &[&str] = &[
    "time",
    "hours",
    "days",
    "weeks",
    "minutes",
    "money",
    "cost",
    "effort",
    "toil",
    "spend",
    "budget",
    "us ",
    "the team",
    "teams",
    "engineers",
    "developers",
    "everyone",
];

/// The first outcome claim in the text: a word claiming a change of degree ("improved",
/// "reduced", "faster", "more reliable"). See [`NOT_CLAIMS`] and [`SAVED_WHAT`] for the
/// look-alikes that are not claims.
pub fn outcome_claim(text: &str) -> Option<Range<usize>> {
    let re = claim_regex()?;
    for m in re.find_iter(text) {
        let word = m.as_str().to_ascii_lowercase();
        let after = text[m.end()..].trim_start_matches([' ', '-']);
        let mut end = after.len().min(24);
        while !after.is_char_boundary(end) {
            end -= 1;
        }
        let after_lower = after[..end].to_lowercase();
        let excluded = NOT_CLAIMS.iter().any(|(claim, next)| {
            word.starts_with(claim) && next.iter().any(|n| after_lower.starts_with(n))
        });
        let bare_comparative =
            (word == "more" || word == "less") && !after.starts_with(char::is_alphabetic);
        let storing = word.starts_with("sav")
            && word != "savings"
            && !SAVED_WHAT.iter().any(|w| after_lower.contains(w));
        // Glued to a neighbouring word by a hyphen ("well-reduced"), or the end of "more
        // or less".
        let before = text[..m.start()].trim_end().to_lowercase();
        let glued = text[..m.start()].ends_with('-') || before.ends_with("more or");
        if excluded || bare_comparative || storing || glued {
            continue;
        }
        return Some(m.range());
    }
    None
}

/// The range of an outcome claim that states no evidence in the same text, if any.
pub fn unevidenced_claim(text: &str) -> Option<Range<usize>> {
    if has_evidence(text) {
        return None;
    }
    outcome_claim(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_without_evidence_are_found() {
        for text in [
            "Improved reliability",
            "Reduced manual intervention needs",
            "Deploys are faster and more reliable",
            "Significant cost savings for the platform team",
            "Cut deploy time for every team",
        ] {
            assert!(unevidenced_claim(text).is_some(), "{text}");
        }
    }

    #[test]
    fn figures_and_contrasts_silence_the_claim() {
        for text in [
            "Cut deploy time from 45 to 6 minutes",
            "Before: deploys took an afternoon. After: improved to minutes",
            "Deploys are 10x faster",
            "Cut the on-call pages in half",
            "Improved availability to 99.95%",
            "Reduced toil: engineers no longer SSH into hosts",
            "Faster than the old Jenkins pipeline",
            "Improved visibility into X that the team didn't have before.",
            "Reduced costs by $40k a month",
            "Doubled deploy frequency",
            "Changed process from manual/slow to automated/fast",
        ] {
            assert!(unevidenced_claim(text).is_none(), "{text}");
        }
    }

    #[test]
    fn figures_are_numbers_not_digits_in_names() {
        assert!(!has_figure("Moved to k8s on EC2 and S3"));
        assert!(has_figure("14 services"));
        assert!(has_figure("~40 engineers"));
        assert!(has_figure("a tenfold drop"));
        assert!(unevidenced_claim("Improved k8s reliability").is_some());
    }

    #[test]
    fn absolute_outcomes_and_non_claims_are_not_claims() {
        for text in [
            "Eliminated error-prone manual steps",
            "Enabled devs to deploy without ops involvement",
            "We cut over to the new cluster in March",
            "Made the lower environments match production",
            "Saved the dashboards as code",
            "It is more or less done",
            "Teams deploy on merge; the ops queue for deploys is gone.",
        ] {
            assert!(outcome_claim(text).is_none(), "{text}");
        }
    }
}
