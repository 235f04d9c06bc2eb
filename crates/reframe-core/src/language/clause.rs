//! Clause facts around one verb of a tagged sentence: its subject, negation, voice, and
//! whether it sits in a purpose or subordinate clause. Every walk goes left from the verb
//! to the start of its clause, so a question costs at most the sentence's length (and a
//! sentence has at most [`super::MAX_WORDS`] words).

use super::{Form, Pos, Word, is_be};

/// Who does what the verb says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubjectKind {
    /// "I", "we", "my team", "our team".
    Writer,
    /// No subject: a resume-style bullet or a sentence that opens with the verb, or a verb
    /// coordinated with such a one.
    Omitted,
    /// Someone or something else ("the team", "this", "it", "deploys").
    Other,
}

/// What the sentence says around one verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clause {
    pub subject: SubjectKind,
    /// "not", "n't", "never", "no longer" between the subject and the verb.
    pub negated: bool,
    /// A form of "be"/"get" before a past participle.
    pub passive: bool,
    /// A passive that names its agent ("by the SRE team").
    pub agent: bool,
    /// An infinitive of purpose: "… docs to help new hires", "in order to support".
    pub purpose: bool,
    /// Inside a clause opened by a subordinator or a relative word ("because …", "when
    /// …", "the services that were migrated").
    pub subordinate: bool,
    /// The finite verb of the clause is in the present tense.
    pub present: bool,
    /// A person other than the writer is the subject ("she", "they", "Alex"), as far as
    /// the words tell; a thing ("it", "this", "the pipeline") is not.
    pub someone_else: bool,
}

const FIRST_PERSON: &[&str] = &["i", "we", "i've", "we've", "i'm", "we're", "i'd", "we'd"];
const WRITER_POSSESSIVE: &[&str] = &["my", "our"];
const NEGATIONS: &[&str] = &["not", "n't", "never", "no", "nobody", "nothing", "neither"];
const RELATIVES: &[&str] = &[
    "that", "which", "who", "whom", "whose", "where", "when", "while", "because", "if", "unless",
    "until", "since", "although", "though", "as", "once", "whether", "how", "why", "what", "after",
    "before",
];

/// Pronouns that stand for a thing (often the work itself), not a person.
const THING_PRONOUNS: &[&str] = &["it", "this", "that", "these", "those", "which", "what"];

/// Nouns for people other than the writer ("maybe people wanted …", "users were …").
const PERSON_NOUNS: &[&str] = &[
    "people",
    "person",
    "user",
    "users",
    "customer",
    "colleague",
    "student",
    "manager",
    "stakeholder",
    "client",
    "everyone",
    "others",
    "patron",
    "member",
    "engineer",
    "developer",
    "teammate",
    "lead",
    "reviewer",
    "maintainer",
    "mentor",
    "professor",
    "teacher",
    "boss",
];

/// Whether a noun names people other than the writer ("users", "the students").
pub fn is_person_noun(w: &Word) -> bool {
    PERSON_NOUNS.contains(&w.lemma.as_str()) || PERSON_NOUNS.contains(&w.lower.as_str())
}

/// Nouns whose infinitive says what the chance or the task was, not a purpose.
const COMPLEMENT_NOUNS: &[&str] = &["opportunity", "chance", "task", "job", "goal", "time"];

fn is_negation(w: &Word) -> bool {
    NEGATIONS.contains(&w.lower.as_str()) || w.lower.ends_with("n't")
}

/// The clause facts of the verb at word index `verb`.
pub fn clause_of(words: &[Word], verb: usize) -> Clause {
    clause_at(words, verb, 0)
}

fn clause_at(words: &[Word], verb: usize, depth: usize) -> Clause {
    let mut clause = Clause {
        subject: SubjectKind::Other,
        negated: false,
        passive: false,
        agent: false,
        purpose: false,
        subordinate: false,
        someone_else: false,
        present: matches!(
            words.get(verb).map(|w| w.form),
            Some(Form::Base | Form::Third)
        ),
    };
    let Some(v) = words.get(verb) else {
        return clause;
    };
    let participle = matches!(v.form, Form::Past | Form::Participle);
    let mut i = verb;
    let mut saw_be = false;
    // Walk left over the verb group: adverbs, auxiliaries, negation, "to".
    while i > 0 {
        let w = &words[i - 1];
        if is_negation(w) {
            clause.negated = true;
        } else if is_be(&w.lower) && participle && !saw_be {
            saw_be = true;
            clause.passive = true;
            clause.present = matches!(
                w.lower.as_str(),
                "is" | "are" | "am" | "'s" | "'re" | "get" | "gets"
            );
        } else if w.pos == Pos::Aux || matches!(w.lower.as_str(), "have" | "has" | "had") {
            // "has been upgraded" is done, not how things are: only "is"/"are"/"do" make a
            // present.
            if matches!(w.lower.as_str(), "is" | "are" | "am" | "do" | "does") {
                clause.present = true;
            }
        } else if w.pos == Pos::Adverb {
        } else if w.lower == "to" {
            // An infinitive: whose is it?
            let before = i.checked_sub(2).and_then(|k| words.get(k));
            let in_order = i >= 3 && words[i - 2].lower == "order" && words[i - 3].lower == "in";
            let so_as = i >= 3 && words[i - 2].lower == "as" && words[i - 3].lower == "so";
            match before {
                _ if in_order || so_as => {
                    clause.purpose = true;
                    return clause;
                }
                Some(b) if matches!(b.pos, Pos::Verb | Pos::Aux) || b.lower == "able" => {
                    // "managed to", "helped to", "was able to": the subject of that verb.
                    let outer = clause_at(words, i - 2, depth + 1);
                    return Clause {
                        passive: clause.passive,
                        agent: clause.agent,
                        negated: clause.negated || outer.negated,
                        ..outer
                    };
                }
                Some(b) if b.lower == "used" => {}
                // "had the opportunity to work on": the infinitive completes the noun; its
                // subject is the one who had the chance.
                Some(b) if COMPLEMENT_NOUNS.contains(&b.lower.as_str()) && depth < 3 => {
                    let owner = (0..i - 2)
                        .rev()
                        .find(|&j| matches!(words[j].pos, Pos::Verb | Pos::Aux));
                    return match owner {
                        Some(j) => Clause {
                            purpose: false,
                            ..clause_at(words, j, depth + 1)
                        },
                        None => Clause {
                            subject: SubjectKind::Omitted,
                            ..clause
                        },
                    };
                }
                None => {
                    clause.subject = SubjectKind::Omitted;
                    return clause;
                }
                Some(_) => {
                    clause.purpose = true;
                    return clause;
                }
            }
        } else {
            break;
        }
        i -= 1;
    }
    if clause.passive {
        clause.agent = names_agent(words, verb);
    }
    // The word before the verb group decides the subject.
    let Some(k) = i.checked_sub(1) else {
        clause.subject = SubjectKind::Omitted;
        return clause;
    };
    let w = &words[k];
    // Only marks before the verb (a bullet, an emoji, a dash): nobody is named.
    let only_marks = words[..=k]
        .iter()
        .all(|w| w.pos == Pos::Punctuation && !matches!(w.lower.as_str(), "," | ";"));
    if only_marks
        || (w.pos == Pos::Punctuation && matches!(w.lower.as_str(), ":" | "(" | "-" | "*" | "•"))
    {
        clause.subject = SubjectKind::Omitted;
        return clause;
    }
    if FIRST_PERSON.contains(&w.lower.as_str()) {
        clause.subject = SubjectKind::Writer;
        clause.subordinate = opened_by_subordinator(words, k);
        return clause;
    }
    // "my team", "our team" act for the writer; "my proposal was approved" is a thing
    // something was done to.
    if matches!(w.pos, Pos::Noun | Pos::ProperNoun)
        && k >= 1
        && WRITER_POSSESSIVE.contains(&words[k - 1].lower.as_str())
        && !clause.passive
    {
        clause.subject = SubjectKind::Writer;
        clause.subordinate = opened_by_subordinator(words, k - 1);
        return clause;
    }
    if RELATIVES.contains(&w.lower.as_str()) {
        clause.subordinate = true;
        return clause;
    }
    if (w.pos == Pos::Coordinator || w.lower == ",") && depth < 3 {
        // Coordinated verbs share the subject of the verb before: "I designed X and
        // migrated Y", "Built X, ran Y".
        // The nearest verb before, a main-verb "did"/"had" included ("we not only did a
        // good job … but also managed to …").
        // A gerund ("took stints leading the team, … and was commended") or a participle
        // after a noun ("tested the product assigned to me and was able to …") is not
        // the verb the coordination continues when a finite verb comes before it.
        let is_verb =
            |j: usize| matches!(words[j].pos, Pos::Verb | Pos::Aux) && words[j].form != Form::None;
        let non_finite = |j: usize| {
            words[j].form == Form::Gerund
                // A verb right after a main verb is its object misread ("Reviewed pull
                // requests").
                || (j > 0 && words[j - 1].pos == Pos::Verb && !is_be(&words[j - 1].lower))
                || (j > 0
                    && matches!(words[j].form, Form::Past | Form::Participle)
                    && matches!(words[j - 1].pos, Pos::Noun | Pos::ProperNoun))
        };
        let nearest = (0..k).rev().find(|&j| is_verb(j));
        let finite = nearest.and_then(|n| {
            if !non_finite(n) {
                return Some(n);
            }
            (0..n).rev().find(|&j| is_verb(j) && !non_finite(j))
        });
        if let Some(prev) = finite.or(nearest) {
            let outer = clause_at(words, prev, depth + 1);
            return Clause {
                negated: clause.negated,
                passive: clause.passive,
                agent: clause.agent,
                present: clause.present,
                ..outer
            };
        }
        clause.subject = SubjectKind::Omitted;
        return clause;
    }
    clause.subject = SubjectKind::Other;
    clause.someone_else = match w.pos {
        Pos::ProperNoun => true,
        Pos::Pronoun => !THING_PRONOUNS.contains(&w.lower.as_str()),
        Pos::Noun => is_person_noun(w),
        _ => false,
    };
    clause.subordinate = opened_by_subordinator(words, k);
    clause
}

/// Whether a sentence tells what might have been, not what was: a conditional inversion
/// ("Had I just asked …"), or "if"/"what" followed by a modal perfect ("what might have
/// helped", "if I had known").
pub fn counterfactual(words: &[Word]) -> bool {
    let opens_inverted = words.first().is_some_and(|w| w.lower == "had")
        && words
            .get(1)
            .is_some_and(|w| matches!(w.pos, Pos::Pronoun | Pos::ProperNoun));
    let modal_perfect = words.windows(3).any(|w| {
        matches!(w[0].lower.as_str(), "if" | "what" | "wish")
            && (matches!(w[1].lower.as_str(), "might" | "could" | "would" | "should")
                || matches!(w[2].lower.as_str(), "might" | "could" | "would" | "should"))
    }) || words.windows(4).any(|w| {
        // "if I had known": a past perfect after "if".
        w[0].lower == "if"
            && matches!(w[1].pos, Pos::Pronoun | Pos::ProperNoun)
            && w[2].lower == "had"
            && matches!(w[3].form, Form::Past | Form::Participle)
    });
    opens_inverted || modal_perfect
}

/// Whether a subordinator or relative word opens the clause that holds word `k` (looking
/// left to the previous comma or the start).
fn opened_by_subordinator(words: &[Word], k: usize) -> bool {
    for w in words[..k].iter().rev() {
        if w.lower == "," || w.lower == ";" {
            return false;
        }
        if RELATIVES.contains(&w.lower.as_str()) || w.pos == Pos::Subordinator {
            return true;
        }
        if matches!(w.pos, Pos::Verb) {
            return false;
        }
    }
    false
}

/// "by" followed by a noun phrase that acts ("by the SRE team", "by our vendor"), not a
/// means, a measure or a time ("by hand", "by 40%", "by Friday", "by switching").
fn names_agent(words: &[Word], verb: usize) -> bool {
    let mut j = verb + 1;
    while j < words.len() && j <= verb + 6 {
        let w = &words[j];
        if w.lower == "," || w.lower == "." || w.lower == ";" {
            return false;
        }
        if w.lower == "by" {
            let Some(next) = words.get(j + 1) else {
                return false;
            };
            // Past a determiner, the head word decides: "by the end of the month" is a time.
            let head = if next.pos == Pos::Determiner {
                words.get(j + 2).unwrap_or(next)
            } else {
                next
            };
            return match head.pos {
                Pos::Numeral | Pos::Verb => false,
                _ if head.form == Form::Gerund => false,
                // The phrase tables' list of means, times and measures ("by hand", "by Friday").
                _ if crate::rules::phrases::NOT_AGENTS.contains(&head.lower.as_str()) => false,
                _ => true,
            };
        }
        j += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::tag;
    use super::*;

    fn facts(sentence: &str, verb: &str) -> Clause {
        let words = tag(sentence);
        let i = words
            .iter()
            .position(|w| w.lower == verb)
            .unwrap_or_else(|| panic!("{verb} not in {sentence}"));
        clause_of(&words, i)
    }

    #[test]
    fn subjects() {
        assert_eq!(
            facts("I helped with the migration.", "helped").subject,
            SubjectKind::Writer
        );
        assert_eq!(
            facts("Helped migrate 40 services.", "helped").subject,
            SubjectKind::Omitted
        );
        assert_eq!(
            facts("The team helped with the migration.", "helped").subject,
            SubjectKind::Other
        );
        assert_eq!(
            facts(
                "My team and I worked on it; our team handled the cutover.",
                "handled"
            )
            .subject,
            SubjectKind::Writer
        );
        assert_eq!(
            facts(
                "I designed the schema and helped with the backfill.",
                "helped"
            )
            .subject,
            SubjectKind::Writer
        );
    }

    #[test]
    fn purpose_and_capability() {
        assert!(facts("I wrote docs to help new hires.", "help").purpose);
        assert!(
            facts(
                "We added alerts in order to support the on-call team.",
                "support"
            )
            .purpose
        );
        let able = facts("I was able to create a dashboard.", "create");
        assert!(!able.purpose);
        assert_eq!(able.subject, SubjectKind::Writer);
    }

    #[test]
    fn passives_negation_and_agents() {
        let p = facts("The pipeline was migrated to GitHub Actions.", "migrated");
        assert!(p.passive && !p.agent && !p.negated && !p.present);
        let n = facts(
            "Deploys stalled; the old config was never documented.",
            "documented",
        );
        assert!(n.passive && n.negated);
        assert!(facts("The runbook was written by the SRE team.", "written").agent);
        assert!(!facts("The data was copied by hand.", "copied").agent);
        assert!(facts("the services that were migrated first", "migrated").subordinate);
        assert!(facts("Logs are shipped to Loki.", "shipped").present);
    }
}
