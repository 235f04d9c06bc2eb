//! The sentence-aware half of the wording rules. The phrase tables (`rules::phrases`) find
//! candidate words; here each candidate is checked against the facts of its sentence
//! (`crate::language`): who the subject of its verb is, whether the verb is negated,
//! passive, in a purpose or a subordinate clause, whether a figure follows, and the role
//! of the section it sits in. A candidate the facts do not support is not a finding.
//!
//! The same facts decide whether a fix keeps the meaning (and may be preferred) or would
//! make the sentence claim more than it says (then it is only an alternative, titled as a
//! choice to make if true).

use std::collections::HashMap;
use std::ops::Range;

use crate::language::{self, Clause, Form, Pos, SubjectKind, Word};
use crate::rules::RuleCode;
use crate::rules::phrases::{PhraseHit, capitalize, sentence_ranges};

/// What part of the write-up a sentence tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The situation, the problem, the challenges: what was, not what the writer did.
    Situation,
    /// Anything else: the writer's work, its impact, or text outside any section.
    Work,
}

/// Rows whose first replacement says the same as the flagged words, in the writer's own
/// terms: "worked on migrating" → "migrated", "responsible for" → "owned". Every other
/// weak-verb replacement is a stronger claim ("led", "drove") and only an alternative.
const MEANING_KEEPING_ROWS: &[&str] = &[
    "weak-verb-gerund",
    "was-responsible-for",
    "am-responsible-for",
    "responsible-for",
    "responsible-to",
    "in-charge-of",
    "all-i-did",
    "capability-frame",
    "my-tasks-included",
];

/// Whether a hit's first replacement keeps the sentence's meaning.
pub fn keeps_meaning(hit: &PhraseHit, flagged: &str) -> bool {
    match hit.code {
        // Dropping a minimizer or a hedge frame keeps the claim and removes the shrug.
        RuleCode::Minimizer => true,
        // "might have revealed" → "revealed" turns what might have been into what was.
        RuleCode::Hedge => hit.row != "might-have",
        RuleCode::WeakVerb if hit.replacements.is_empty() => false,
        // "was primarily responsible for" → "owned" would drop the "primarily".
        // (A rewrite that keeps the adverb, "was able to quickly plan" → "quickly planned",
        // keeps it.)
        RuleCode::WeakVerb
            if flagged.split_whitespace().any(|w| {
                w.len() > 3
                    && w.to_lowercase().ends_with("ly")
                    && !hit
                        .replacements
                        .first()
                        .is_some_and(|r| r.split_whitespace().any(|x| x == w))
            }) =>
        {
            false
        }
        // "worked on migrating" → "migrated" says what was said; "helped with migrating",
        // "was involved in migrating" or "was tasked with migrating" → "migrated" would
        // claim the whole of it.
        RuleCode::WeakVerb if hit.row == "weak-verb-gerund" => {
            let lower = flagged.to_lowercase();
            ["worked on", "working on", "responsible for", "in charge of"]
                .iter()
                .any(|frame| lower.contains(frame))
        }
        RuleCode::WeakVerb => MEANING_KEEPING_ROWS.contains(&hit.row.as_ref()),
        _ => false,
    }
}

/// The tagged sentences of one prose block, each tagged at most once.
pub struct Sentences<'a> {
    pub text: &'a str,
    ranges: Vec<Range<usize>>,
    tagged: HashMap<usize, Vec<Word>>,
}

impl<'a> Sentences<'a> {
    pub fn new(text: &'a str) -> Sentences<'a> {
        Sentences {
            text,
            ranges: sentence_ranges(text),
            tagged: HashMap::new(),
        }
    }

    /// The sentence holding byte `pos` and its words (offsets relative to the sentence).
    fn at(&mut self, pos: usize) -> (Range<usize>, &[Word]) {
        let k = self
            .ranges
            .partition_point(|r| r.end <= pos)
            .min(self.ranges.len().saturating_sub(1));
        let range = self.ranges.get(k).cloned().unwrap_or(0..self.text.len());
        let text = self.text.get(range.clone()).unwrap_or("");
        let words = self
            .tagged
            .entry(range.start)
            .or_insert_with(|| language::tag(text));
        (range, words)
    }
}

/// Rows whose flagged words end with the writer's own verb after a frame ("was able to
/// create", "helped redefine"): that verb must really be a verb in its base form.
const VERB_AFTER_FRAME: &[&str] = &["capability-frame", "helped-any-verb", "help-verb-present"];

/// Rows whose fix is the writer's verb in the simple past ("was able to create" →
/// "created"), computed here when the phrase table's own word list has no past for it.
const FRAME_TO_PAST: &[&str] = &["capability-frame"];

/// Adverbs that make a passive tell how things used to go.
const SITUATION_ADVERBS: &[&str] = &[
    "often",
    "frequently",
    "always",
    "constantly",
    "regularly",
    "usually",
    "sometimes",
    "rarely",
    "routinely",
    "repeatedly",
    "manually",
    "typically",
    "occasionally",
];

/// Participles whose doer is by nature someone other than the writer: a passive of one
/// ("my proposal was accepted", "the patch was merged", "I was promoted") tells what others
/// did, so it hides none of the writer's work.
const OTHERS_ACT: &[&str] = &[
    "accept",
    "acknowledge",
    "acquire",
    "admit",
    "approve",
    "award",
    "congratulate",
    "elect",
    "fund",
    "grant",
    "hire",
    "hold",
    "invite",
    "merge",
    "nominate",
    "offer",
    "pay",
    "praise",
    "promote",
    "recognise",
    "recognize",
    "recommend",
    "reject",
    "reward",
    "shortlist",
    "sponsor",
    "thank",
    "welcome",
];

/// Words that open a relative clause: a vague verb inside one ("what we had been working
/// on") names something, it does not claim.
const RELATIVE_OPENERS: &[&str] = &["what", "which", "that", "whatever"];

thread_local! {
    static REJECTED_AT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Records where [`judge`] turned a hit down (a source line of this file), for debugging
/// aids; always false.
fn rejected(line: u32) -> bool {
    REJECTED_AT.with(|c| c.set(line));
    false
}

/// The source line of this file at which the last [`judge`] on this thread turned its hit
/// down (0 if it kept it): for debugging aids such as `examples/why.rs`.
pub fn rejected_at() -> u32 {
    REJECTED_AT.with(|c| c.get())
}

/// Whether a candidate hit is a finding, given its sentence and section; may fill in the
/// hit's fix from the sentence's words.
pub fn judge(sentences: &mut Sentences<'_>, hit: &mut PhraseHit, role: Role) -> bool {
    REJECTED_AT.with(|c| c.set(0));
    if hit.user || !hit.code.is_builtin() {
        return true; // configured phrases are the user's own call
    }
    let text = sentences.text;
    let (sentence, words) = sentences.at(hit.range.start);
    if words.is_empty() {
        // Untagged (too long, or nothing to tag): only what the table alone can say.
        return hit.code != RuleCode::PassiveVoice && !VERB_AFTER_FRAME.contains(&hit.row.as_ref());
    }
    let start = hit.range.start.saturating_sub(sentence.start);
    let end = hit.range.end.saturating_sub(sentence.start);
    let inside: Vec<usize> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.range.start >= start && w.range.end <= end)
        .map(|(i, _)| i)
        .collect();
    let Some(&first) = inside.first() else {
        return true;
    };
    let last = inside.last().copied().unwrap_or(first);
    let reader_addressed = words.iter().any(|w| w.lower == "you" || w.lower == "your");
    let question = words.last().is_some_and(|w| w.lower == "?");
    let opens_sentence = text
        .get(sentence.start..hit.range.start)
        .is_some_and(|before| before.chars().all(|c| !c.is_alphanumeric()));
    match hit.code {
        RuleCode::WeakVerb => {
            if VERB_AFTER_FRAME.contains(&hit.row.as_ref()) {
                // After "able to" / "managed to" / "helped" the next word is the writer's
                // verb unless it is plainly something else ("able to the …") or "be".
                let v = &words[last];
                // "cut", "set", "put": a past that is also the base form.
                let same_as_base = v.lemma == v.lower && v.form != Form::None;
                let not_a_verb = matches!(
                    v.pos,
                    Pos::Determiner
                        | Pos::Pronoun
                        | Pos::Numeral
                        | Pos::Punctuation
                        | Pos::Adposition
                        | Pos::Coordinator
                        | Pos::Subordinator
                ) || (matches!(
                    v.form,
                    Form::Past | Form::Participle | Form::Gerund | Form::Third
                ) && !same_as_base)
                    || v.lower == "be"
                    // "was able to have our first commits …" → "had"; "helped have" is not
                    // a verb after "helped".
                    || (v.lower == "have" && hit.row != "capability-frame")
                    // After "helped" a word must read as a verb's base form: "helped Alex
                    // prepare", "helped junior designers" name people helped.
                    || (matches!(hit.row.as_ref(), "helped-any-verb" | "help-verb-present")
                        && v.form != Form::Base
                        && !same_as_base);
                if not_a_verb {
                    return rejected(line!());
                }
                if FRAME_TO_PAST.contains(&hit.row.as_ref()) {
                    // "was only able to cool it to 5 degrees": a stated limit, not a struggle.
                    let limit = (first..last).any(|i| words[i].lower == "only")
                        || (first > 0 && words[first - 1].lower == "only");
                    if limit {
                        return rejected(line!());
                    }
                    let clause = language::clause_of(words, first);
                    // "I didn't manage to finish" says it was not done: no finding.
                    if clause.negated {
                        return rejected(line!());
                    }
                    // "I hope I am able to …", "we plan to be able to …": a wish or a
                    // plan, not work done.
                    let wished = clause_before(words, first).take(6).any(|w| {
                        w.pos == Pos::Verb
                            && matches!(
                                w.lemma.as_str(),
                                "hope" | "wish" | "plan" | "want" | "expect" | "intend" | "aim"
                            )
                    });
                    if wished {
                        return rejected(line!());
                    }
                    // "was able to send the patch and complete the application": the frame
                    // governs both verbs, and no one-verb rewrite keeps the sentence whole.
                    // A word after "and" that takes an object ("and complete my
                    // application") is a second verb even where the tagger read it as an
                    // adjective.
                    let coordinated = words[last + 1..].windows(3).any(|w| {
                        matches!(w[0].lower.as_str(), "and" | "or")
                            && !matches!(
                                w[1].pos,
                                Pos::Determiner | Pos::Pronoun | Pos::Adposition | Pos::Numeral
                            )
                            && (w[1].form == Form::Base
                                || matches!(w[2].pos, Pos::Determiner | Pos::Pronoun))
                    }) || words[last + 1..].windows(2).last().is_some_and(|w| {
                        matches!(w[0].lower.as_str(), "and" | "or") && w[1].form == Form::Base
                    });
                    if coordinated {
                        // No fix would keep the sentence whole; whether the finding stands
                        // is decided below, as for every vague verb.
                        hit.replacements.clear();
                        hit.ask = false;
                    }
                    if !coordinated {
                        // Adverbs between "to" and the verb stay: "were able to successfully
                        // onboard" → "successfully onboarded".
                        // So do "then", "still" before "able", and "quickly and effectively".
                        let sentence_text = text.get(sentence.clone()).unwrap_or("");
                        let kept = |i: usize| {
                            words[i].pos == Pos::Adverb
                                || (words[i].lower == "and"
                                    && i > first
                                    && words[i - 1].pos == Pos::Adverb
                                    && words[i + 1].pos == Pos::Adverb)
                        };
                        let adverbs: Vec<&str> = (first..last)
                            .filter(|&i| kept(i))
                            .filter_map(|i| sentence_text.get(words[i].range.clone()))
                            .collect();
                        // "Am able to compile" keeps its present: "Compile".
                        let present = matches!(
                            words[first].lower.as_str(),
                            "am" | "is" | "are" | "manage" | "manages"
                        );
                        let mut past = if present {
                            v.lemma.clone()
                        } else {
                            language::past_of(&v.lemma)
                        };
                        if !adverbs.is_empty() {
                            past = format!("{} {past}", adverbs.join(" "));
                        }
                        hit.replacements = vec![if opens_sentence {
                            capitalize(&past)
                        } else {
                            past
                        }];
                    }
                }
            }
            // "helped Alex prepare", "helped the new hires set up …": the words between
            // are the people helped (a noun phrase, not the writer) and the last word is
            // that verb's base form. What the writer did for them is unsaid, so no
            // rewrite keeps the meaning.
            if hit.row == "helped-someone-do" {
                let between = words.get(first + 1..last).unwrap_or(&[]);
                // "helped design and build X": the word after "helped" is already its
                // verb; the finding is "helped design", as the "helped <do>" row has it.
                if let Some(own) = between
                    .first()
                    .filter(|w| w.pos == Pos::Verb && w.form == Form::Base)
                {
                    hit.range = hit.range.start..sentence.start + own.range.end;
                    hit.fix_range = hit.range.clone();
                    hit.replacements.clear();
                    return weak_verb_holds(own, &language::clause_of(words, first + 1))
                        || rejected(line!());
                }
                let people = !between.is_empty()
                    && between.iter().all(|w| {
                        matches!(
                            w.pos,
                            Pos::Determiner
                                | Pos::Adjective
                                | Pos::Noun
                                | Pos::ProperNoun
                                | Pos::Numeral
                                | Pos::Other
                        ) || (w.pos == Pos::Pronoun
                            && matches!(
                                w.lower.as_str(),
                                "them" | "him" | "her" | "their" | "his" | "my" | "our"
                            ))
                            || w.lower == "to"
                    })
                    && between.iter().any(|w| w.lower != "to");
                let v = &words[last];
                if !people || v.pos != Pos::Verb || v.form != Form::Base {
                    return rejected(line!());
                }
                hit.replacements.clear();
            }
            // "responsible for managing X and coordinating Y": the frame governs both
            // gerunds; turning one into a past tense would garble the sentence.
            if hit.row == "weak-verb-gerund"
                && words[last + 1..].windows(2).any(|w| {
                    matches!(w[0].lower.as_str(), "and" | "or") && w[1].form == Form::Gerund
                })
            {
                hit.replacements.clear();
                hit.ask = false;
            }
            // "everything I've worked on", "the people I worked with were …": a
            // preposition with no object after it closes a relative clause, which names
            // something rather than claims it.
            let clause_ends = |k: usize| {
                let Some(w) = words.get(k) else {
                    return true;
                };
                match w.pos {
                    // A mark that ends the clause, not the "." of ".NET".
                    Pos::Punctuation => {
                        matches!(w.lower.as_str(), "." | "," | ";" | ":" | "!" | "?" | ")")
                            && words.get(k + 1).is_none_or(|n| n.range.start > w.range.end)
                    }
                    // "in charge of supporting …": a gerund is the preposition's object.
                    Pos::Verb | Pos::Aux => w.form != Form::Gerund,
                    Pos::Subordinator => true,
                    Pos::Coordinator => !matches!(w.lower.as_str(), "both" | "either" | "neither"),
                    _ => false,
                }
            };
            let stranded = words[last].pos == Pos::Adposition && clause_ends(last + 1);
            if stranded {
                return rejected(line!());
            }
            // A lead-in to a list ("I worked on the following:") introduces the concrete
            // items that follow.
            // A colon with more on its line ("Helped to refactor the code: #111",
            // "Contributed to forum discussions: 1") ends a bullet's claim, not a lead-in.
            let rest_of_line = text
                .get(sentence.end..)
                .map(|after| after.split('\n').next().unwrap_or(""))
                .unwrap_or("");
            if words.last().is_some_and(|w| w.lower == ":") && rest_of_line.trim().is_empty() {
                return rejected(line!());
            }
            let verb = inside
                .iter()
                .copied()
                .find(|&i| matches!(words[i].pos, Pos::Verb | Pos::Aux | Pos::Adjective))
                .unwrap_or(first);
            // "Continued hacking on …", "began working with …": the gerund is the aspect
            // verb's object, and that verb's clause says whose work it is.
            let verb = match verb.checked_sub(1) {
                Some(a)
                    if words[verb].form == Form::Gerund
                        && words[a].pos == Pos::Verb
                        && matches!(
                            words[a].lemma.as_str(),
                            "continue" | "begin" | "start" | "keep" | "resume"
                        ) =>
                {
                    a
                }
                // "ended up contributing to …": the same, with a particle.
                Some(a)
                    if a > 0
                        && words[verb].form == Form::Gerund
                        && words[a].lower == "up"
                        && words[a - 1].lemma == "end" =>
                {
                    a - 1
                }
                _ => verb,
            };
            // "spent the week trying to …": the gerund tells what the spending was.
            let verb = if words[verb].form == Form::Gerund {
                (verb.saturating_sub(8)..verb)
                    .rev()
                    .take_while(|&i| !matches!(words[i].lower.as_str(), "," | ";"))
                    .find(|&i| words[i].pos == Pos::Verb && words[i].lemma == "spend")
                    .unwrap_or(verb)
            } else {
                verb
            };
            // "Wrote tests … as well as worked on …": the verb joins the bullet's first.
            let verb = if verb >= 3
                && words[verb - 1].lower == "as"
                && words[verb - 2].lower == "well"
                && words[verb - 3].lower == "as"
                && words[0].pos == Pos::Verb
            {
                0
            } else {
                verb
            };
            let clause = language::clause_of(words, verb);
            // The opener must belong to this clause: "with which we operated we were able
            // to …" has another verb between the two.
            let in_relative = clause_before(words, first)
                .take_while(|w| w.pos != Pos::Verb || w.form == Form::None)
                .any(|w| RELATIVE_OPENERS.contains(&w.lower.as_str()));
            // A noun phrase that a later verb has as its subject ("Participation in the
            // survey reached 80%", "Working with the Apollo client proved valuable") names
            // a thing; alone on a line it is a duty.
            // A verb inside parentheses or a relative clause ("… for REFIT (a platform
            // that deploys models)") belongs to a noun, not to the opening phrase.
            let later_main_verb = {
                let mut depth = 0usize;
                let mut relative = false;
                words[last + 1..].iter().any(|w| {
                    match w.lower.as_str() {
                        "(" | "[" => depth += 1,
                        ")" | "]" => depth = depth.saturating_sub(1),
                        "that" | "which" | "who" | "where" | "when" => relative = true,
                        "," | ";" => relative = false,
                        _ => {}
                    }
                    // "Working on JJB, I have become …": the phrase sets the scene for the
                    // writer's own clause.
                    depth == 0
                        && !relative
                        && ((w.pos == Pos::Verb
                            && matches!(w.form, Form::Past | Form::Third | Form::Preterite))
                            || matches!(w.lower.as_str(), "i" | "we"))
                })
            };
            if matches!(
                hit.row.as_ref(),
                "participation-in"
                    | "working-with-bullet"
                    | "gerund-bullet"
                    | "began-work-on"
                    | "extensive-work-with"
            ) && later_main_verb
            {
                return rejected(line!());
            }
            // "My primary tasks included developing X" → "I developed X": the writer's own
            // verb, as with "worked on migrating".
            if hit.row == "my-tasks-included" {
                hit.replacements.clear();
                if let Some(g) = words.get(last + 1).filter(|w| w.form == Form::Gerund) {
                    let past = language::past_of(&g.lemma);
                    hit.fix_range = hit.range.start..sentence.start + g.range.end;
                    hit.replacements = vec![format!("I {past}")];
                }
            }
            // "I was a key contributor to …": whose role it is, the copula's subject tells;
            // a bullet that opens with the role is the writer's.
            if hit.row == "key-contributor" {
                let be = (first.saturating_sub(6)..first)
                    .rev()
                    .find(|&i| language::is_be(&words[i].lower));
                let own = match be {
                    Some(b) => {
                        let clause = language::clause_of(words, b);
                        matches!(clause.subject, SubjectKind::Writer | SubjectKind::Omitted)
                            && !clause.negated
                            && !clause.subordinate
                    }
                    None => true,
                };
                return own || rejected(line!());
            }
            // "I tried to reproduce it, but …", "attempted to …, without success": the
            // attempt and its failure are the story.
            if hit.row == "tried-to" {
                let failed = words[last + 1..].iter().any(|w| {
                    matches!(
                        w.lower.as_str(),
                        "but"
                            | "however"
                            | "failed"
                            | "unable"
                            | "unsuccessfully"
                            | "without"
                            | "although"
                            | "though"
                            | "until"
                            | "instead"
                    ) || w.lower.ends_with("n't")
                        || w.lower == "not"
                        || w.lower == "never"
                });
                if failed {
                    return rejected(line!());
                }
            }
            // "Contributed adding …": the last word must be a gerund ("contributed
            // nothing" is not).
            if hit.row == "contributed-doing"
                && !(words[last].pos == Pos::Verb && words[last].form == Form::Gerund)
            {
                return rejected(line!());
            }
            // "Worked with many server OS types", "worked with standard server
            // components": experience with things, no one whose part the phrase hides.
            if matches!(hit.row.as_ref(), "worked-with" | "working-with-bullet")
                && works_with_things(&words[last + 1..])
            {
                return rejected(line!());
            }
            // "I had the privilege of working on …": whose privilege it was, the verb
            // before it tells.
            if hit.row == "privilege-of-working-on" {
                let had = (first.saturating_sub(6)..first)
                    .rev()
                    .find(|&i| matches!(words[i].pos, Pos::Verb | Pos::Aux));
                let own = had.is_some_and(|h| {
                    let clause = language::clause_of(words, h);
                    matches!(clause.subject, SubjectKind::Writer | SubjectKind::Omitted)
                        && !clause.negated
                });
                return own || rejected(line!());
            }
            // "My tasks included …", "my part was helping …": the writer by construction.
            let own_phrase = matches!(words[first].lower.as_str(), "my" | "our");
            // "if I handled it differently": a condition, not a claim.
            let conditional = clause_before(words, first)
                .any(|w| matches!(w.lower.as_str(), "if" | "unless" | "whether"));
            if in_relative || conditional {
                return rejected(line!());
            }
            own_phrase || weak_verb_holds(&words[verb], &clause) || rejected(line!())
        }
        RuleCode::PassiveVoice => {
            if role == Role::Situation {
                return rejected(line!());
            }
            if hit.row == "reduced-passive" {
                let sentence_text = text.get(sentence.clone()).unwrap_or("");
                return reduced_passive(sentence_text, words, first, last) || rejected(line!());
            }
            let participle = (first..=last)
                .rev()
                .find(|&i| matches!(words[i].form, Form::Past | Form::Participle))
                .unwrap_or(last);
            if !matches!(words[participle].form, Form::Past | Form::Participle) {
                return rejected(line!());
            }
            if OTHERS_ACT.contains(&words[participle].lemma.as_str()) {
                return rejected(line!());
            }
            // "a new manager was brought in", "was brought on to the team": hired.
            let hired = words[participle].lemma == "bring"
                && words
                    .get(participle + 1)
                    .is_some_and(|w| matches!(w.lower.as_str(), "in" | "on" | "aboard"));
            if hired {
                return rejected(line!());
            }
            // "it was decided that …", "it was mentioned in the task description": an
            // impersonal report of what was said or settled, not a deed without a doer.
            let impersonal = first > 0
                && words[first - 1].lower == "it"
                && matches!(
                    words[participle].lemma.as_str(),
                    "decide"
                        | "agree"
                        | "mention"
                        | "note"
                        | "state"
                        | "say"
                        | "suggest"
                        | "specify"
                        | "request"
                        | "expect"
                        | "know"
                        | "believe"
                        | "feel"
                );
            // "was built on React", "is focused on": what a thing rests on, a relation.
            // "was filled with smart people", "is packed with features": what a thing holds.
            let holds = matches!(
                words[participle].lemma.as_str(),
                "fill" | "pack" | "crowd" | "populate" | "staff" | "equip"
            ) && words.get(participle + 1).is_some_and(|w| w.lower == "with");
            if holds {
                return rejected(line!());
            }
            let relation = matches!(words[participle].lemma.as_str(), "build" | "focus")
                && words
                    .get(participle + 1)
                    .is_some_and(|w| matches!(w.lower.as_str(), "on" | "upon" | "atop" | "around"));
            if impersonal || relation {
                return rejected(line!());
            }
            let clause = language::clause_of(words, participle);
            // "was used to working nights" is a habit; "was used to track cookies" a
            // passive with its purpose.
            let accustomed = words[participle].lower == "used"
                && words.get(participle + 1).is_some_and(|w| w.lower == "to")
                && !words
                    .get(participle + 2)
                    .is_some_and(|w| w.form == Form::Base && w.pos == Pos::Verb);
            let stative = words[participle].pos == Pos::Adjective || accustomed;
            // "Deploys were often delayed", "bugs were only discovered manually": a
            // frequency or a manner of the old process tells a situation, not a deed.
            let situation = words[first..(participle + 2).min(words.len())]
                .iter()
                .any(|w| SITUATION_ADVERBS.contains(&w.lower.as_str()));
            if situation {
                return rejected(line!());
            }
            // "were made possible by …", "was kept secret": the participle has a complement
            // and says how things ended up; a modal passive ("could have been avoided")
            // tells what might have been.
            let complement = words
                .get(participle + 1)
                .is_some_and(|w| w.pos == Pos::Adjective && !w.lower.ends_with("ly"))
                && !words
                    .get(participle + 2)
                    .is_some_and(|w| matches!(w.pos, Pos::Noun | Pos::ProperNoun | Pos::Numeral));

            let modal = words[..first].iter().rev().take(3).any(|w| {
                matches!(
                    w.lower.as_str(),
                    "could" | "would" | "should" | "might" | "may" | "must" | "can" | "will"
                )
            });
            // "was made easier by …", "were made more reliable": a result state; "was
            // based on": a relation.
            // "was made far simpler": adverbs of degree before the adjective count too.
            let after_degree = words[participle + 1..]
                .iter()
                .find(|w| w.pos != Pos::Adverb || matches!(w.lower.as_str(), "more" | "less"));
            let result_state = (words[participle].lemma == "make"
                && after_degree.is_some_and(|w| {
                    w.pos == Pos::Adjective || matches!(w.lower.as_str(), "more" | "less")
                }))
                || words[participle].lemma == "base";
            // "every time a build was triggered": a repeated event, how things went.
            let repeated = words[..first].windows(2).any(|w| {
                matches!(w[0].lower.as_str(), "every" | "each" | "any" | "whenever")
                    && matches!(w[1].lower.as_str(), "time" | "times")
            });
            // "was being wasted": what was going on, a situation.
            let ongoing =
                first < participle && words[first..participle].iter().any(|w| w.lower == "being");
            if complement || modal || result_state || repeated || ongoing {
                return rejected(line!());
            }
            // "ensure deadlines were met", "made sure the logs were rotated": the passive
            // is what a verb before it achieved or checked, not a deed left without a doer.
            if object_clause(words, first) {
                return rejected(line!());
            }
            clause.passive
                && !clause.agent
                && !clause.negated
                && !clause.subordinate
                && !clause.present
                && !stative
                // "I was assigned to …": done to the writer, it hides nobody's work.
                && clause.subject == SubjectKind::Other
                || rejected(line!())
        }
        RuleCode::Hedge => {
            // Advice to the reader: "Maybe try it too."
            let advice = opens_sentence
                && words
                    .get(last + 1)
                    .is_some_and(|w| w.form == Form::Base && w.pos == Pos::Verb);
            if reader_addressed || question || advice || language::counterfactual(words) {
                return rejected(line!()); // advice, a question, or a lesson about what might have been
            }
            // "most probably", "very likely": a degree the hedge belongs to; dropping the
            // hedge alone would leave "most has".
            let degree = first > 0
                && matches!(
                    words[first - 1].lower.as_str(),
                    "most" | "very" | "quite" | "more" | "so" | "rather"
                );
            // "probably the toughest season I coached": an opinion about a superlative.
            let superlative = hit.row == "hedge-adverb"
                && words.get(last + 1).is_some_and(|w| w.lower == "the")
                && words.get(last + 2).is_some_and(|w| {
                    matches!(w.lower.as_str(), "most" | "least" | "best" | "worst")
                        || (w.lower.len() > 5
                            && w.lower.ends_with("est")
                            && matches!(w.pos, Pos::Adjective | Pos::Other))
                });
            // "I think what mattered most was …": an opinion about what counted.
            let what_clause = FRAME_ROWS.contains(&hit.row.as_ref())
                && words.get(last + 1).is_some_and(|w| {
                    matches!(
                        w.lower.as_str(),
                        "what" | "what's" | "what’s" | "that's" | "that’s" | "how"
                    )
                });
            if degree || superlative || what_clause {
                return rejected(line!());
            }
            // "I think X is important", "I believe it will help": an opinion or a forecast,
            // honest as it stands. A frame hedges a claim when what it frames happened ("I
            // feel like I accomplished …", "I think it was the right call").
            // "I feel his initiative has contributed …": a view of someone else.
            let about_someone = words.get(last + 1).is_some_and(|w| {
                matches!(
                    w.lower.as_str(),
                    "he" | "she" | "they" | "his" | "her" | "their"
                ) || w.pos == Pos::ProperNoun
            });
            if FRAME_ROWS.contains(&hit.row.as_ref())
                && (about_someone || !frames_a_claim(words, last))
            {
                return rejected(line!());
            }
            // "would probably have issues", "we'll … and maybe feel like experts": a
            // forecast or a wish, not a claim about what was done.
            if ADVERB_ROWS.contains(&hit.row.as_ref()) && in_forecast(words, first, last) {
                return rejected(line!());
            }
            // "Maybe someday.": no verb, so no claim to hedge.
            let has_verb = words.iter().any(|w| {
                (matches!(w.pos, Pos::Verb | Pos::Aux) && w.form != Form::None)
                    || language::is_be(&w.lower)
            });
            if ADVERB_ROWS.contains(&hit.row.as_ref()) && !has_verb {
                return rejected(line!());
            }
            // "testing a wider range might have revealed …": what something not done
            // might have done, a lesson, not a hedged result.
            let gerund_subject = clause_before(words, first)
                .take_while(|w| !matches!(w.pos, Pos::Verb | Pos::Aux) || w.form == Form::Gerund)
                .any(|w| w.form == Form::Gerund);
            if hit.row == "might-have" && gerund_subject {
                return rejected(line!());
            }
            // "it was kind of messy", "I was kind of nervous": a state or a feeling
            // described, not the writer's work undercut; an outcome ("kind of successful")
            // still is.
            let degree_word = hit.row != "hedge-adverb" || words[first].lower == "somewhat";
            if DEGREE_ROWS.contains(&hit.row.as_ref())
                && degree_word
                && describes_state(words, first, last)
            {
                return rejected(line!());
            }
            // A hedge on someone else's doing ("she probably has a side project") is about
            // them, not the writer's work.
            let frame = matches!(words[first].lower.as_str(), "i" | "we");
            if !frame {
                let next_verb = (last + 1..words.len().min(last + 4))
                    .find(|&i| matches!(words[i].pos, Pos::Verb | Pos::Aux));
                let previous_verb = (first.saturating_sub(3)..first)
                    .rev()
                    .find(|&i| matches!(words[i].pos, Pos::Verb | Pos::Aux));
                if let Some(v) = next_verb.or(previous_verb)
                    && language::clause_of(words, v).someone_else
                {
                    return rejected(line!());
                }
            }
            // In the situation's sections a hedge about the situation is the honest word
            // ("the outage was probably a vendor bug"); only the writer's own frame ("I
            // think …") or a hedge on the writer's own action stays a finding there.
            role != Role::Situation
                || matches!(words[first].lower.as_str(), "i" | "we")
                || nearest_verb_is_own(words, first, last)
                || rejected(line!())
        }
        RuleCode::Minimizer => {
            if reader_addressed || language::counterfactual(words) {
                return rejected(line!()); // "Had I just asked …" shrinks nothing that was done
            }
            if role == Role::Situation && !nearest_verb_is_own(words, first, last) {
                return rejected(line!());
            }
            // "added some mini-feature": "some" before a singular countable noun cannot just
            // be dropped ("added mini-feature"), and it reads as "a", not as a shrug.
            if words[first].lower == "some"
                && words
                    .get(last + 1)
                    .is_some_and(|w| language::is_singular_countable(&w.lower))
            {
                // The finding stands ("some mini-feature" shrinks it); dropping the word
                // would leave "added mini-feature", so no fix is offered.
                hit.replacements.clear();
            }
            // "fixed some bugs", "wrote some scripts": "some" before a plural is a
            // quantity, not a shrug.
            // Adjectives between count too: "some major improvements".
            // So do modifiers the tagger reads as names, nouns or verbs ("some cover
            // letters", "some CI jobs"): the phrase's head is its first plural noun.
            let head = words[last + 1..]
                .iter()
                .take(4)
                .take_while(|w| {
                    !matches!(
                        w.pos,
                        Pos::Punctuation | Pos::Adposition | Pos::Determiner | Pos::Coordinator
                    )
                })
                .find(|w| {
                    let modifier = matches!(w.pos, Pos::Adjective | Pos::Adverb)
                        || (w.form != Form::Third
                            && matches!(
                                w.pos,
                                Pos::ProperNoun | Pos::Other | Pos::Noun | Pos::Verb
                            ));
                    !modifier
                });
            if words[first].lower == "some"
                && head.is_some_and(|w| {
                    w.pos == Pos::Noun && w.form == Form::Third && w.lower.ends_with('s')
                })
            {
                return rejected(line!());
            }
            // "put some serious work in", "some real progress": emphasis, not a shrug.
            if words[first].lower == "some"
                && words.get(last + 1).is_some_and(|w| {
                    matches!(
                        w.lower.as_str(),
                        "serious"
                            | "real"
                            | "significant"
                            | "considerable"
                            | "substantial"
                            | "major"
                            | "heavy"
                            | "huge"
                            | "big"
                    )
                })
            {
                return rejected(line!());
            }
            // A figure right after ("only 2 of 40", "just 30 minutes") is a fact, not a shrug.
            let numeral = |w: &Word| {
                w.pos == Pos::Numeral || w.lower.starts_with(|c: char| c.is_ascii_digit())
            };
            let figure = match words.get(last + 1) {
                Some(w) if numeral(w) => true,
                Some(w) if matches!(w.lower.as_str(), "over" | "under" | "about" | "around") => {
                    words.get(last + 2).is_some_and(numeral)
                }
                _ => false,
            };
            // "only updated 11 articles": "only" limits the count the verb states.
            let counted = words[first].lower == "only"
                && words.get(last + 1).is_some_and(|w| w.pos == Pos::Verb)
                && words
                    .get(last + 2..(last + 4).min(words.len()))
                    .is_some_and(|ws| ws.iter().any(numeral));
            if figure || counted {
                return rejected(line!());
            }
            // "rather than just giving in", "instead of just patching it": the word sets
            // off what was not done, against what was.
            let contrast = first >= 2
                && matches!(
                    (
                        words[first - 2].lower.as_str(),
                        words[first - 1].lower.as_str()
                    ),
                    ("rather", "than") | ("instead", "of")
                );
            if contrast {
                return rejected(line!());
            }
            // The word it shrinks is someone else's action: not the writer's work.
            let next_verb = (last + 1..words.len().min(last + 4))
                .find(|&i| words[i].pos == Pos::Verb && words[i].form != Form::None);
            match next_verb {
                Some(v) => {
                    let clause = language::clause_of(words, v);
                    (!clause.someone_else && !clause.purpose) || rejected(line!())
                }
                None => true,
            }
        }
        _ => true,
    }
}

/// Plural nouns naming kinds of things one works with (hardware, software, data), not
/// people or teams.
const THINGS: &[&str] = &[
    "components",
    "servers",
    "systems",
    "tools",
    "technologies",
    "frameworks",
    "languages",
    "databases",
    "types",
    "platforms",
    "libraries",
    "devices",
    "datasets",
    "formats",
    "protocols",
];

/// Plural nouns naming people or groups of them.
const PEOPLE: &[&str] = &[
    "teams",
    "people",
    "users",
    "customers",
    "clients",
    "engineers",
    "developers",
    "members",
    "colleagues",
    "teammates",
    "stakeholders",
    "partners",
    "vendors",
    "owners",
    "leads",
    "managers",
    "designers",
    "analysts",
    "students",
    "interns",
    "contributors",
];

/// Whether the object after "worked with" names things and no people: "many server OS
/// types", not "service teams" or "the Product Owner". The object ends at punctuation, an
/// adposition, "to" or "including".
fn works_with_things(after: &[Word]) -> bool {
    let object: Vec<&Word> = after
        .iter()
        .take_while(|w| {
            !matches!(w.pos, Pos::Punctuation | Pos::Adposition)
                && !matches!(
                    w.lower.as_str(),
                    "to" | "including" | "such" | "like" | "and"
                )
        })
        .take(6)
        .collect();
    object.iter().any(|w| THINGS.contains(&w.lower.as_str()))
        && !object.iter().any(|w| {
            PEOPLE.contains(&w.lower.as_str())
                || (w.pos == Pos::ProperNoun && w.lower != "os")
                || w.lower.starts_with('@')
        })
}

/// Verbs whose subject can do them alone ("error rates dropped", "the team grew"): a noun
/// and one of these is an active sentence, not a passive without its "was".
const HAPPENS_BY_ITSELF: &[&str] = &[
    "increase",
    "decrease",
    "grow",
    "drop",
    "fall",
    "rise",
    "improve",
    "decline",
    "jump",
    "climb",
    "double",
    "triple",
    "shrink",
    "pass",
    "fail",
    "succeed",
    "happen",
    "occur",
    "arrive",
    "start",
    "begin",
    "end",
    "finish",
    "stop",
    "continue",
    "go",
    "come",
    "run",
    "work",
    "remain",
    "stay",
    "seem",
    "appear",
    "exist",
    "emerge",
    "evolve",
    "survive",
    "change",
    "expand",
    "move",
    "open",
    "close",
    "break",
    "crash",
    "spike",
    "surge",
    "plummet",
    "soar",
    "stabilise",
    "stabilize",
    "return",
    "resume",
    "proceed",
    "follow",
    "last",
    "matter",
    "sell",
    "learn",
    "join",
    "graduate",
    "volunteer",
    "travel",
    "live",
    // Verbs of relation, which have no passive to lose: "Migration consisted of …".
    "consist",
    "include",
    "involve",
    "contain",
    "require",
    "need",
    "cost",
    "take",
    "mean",
    "lead",
    "stem",
    "result",
    "belong",
    "depend",
    "use",
    "care",
    "surface",
    "complete",
    "settle",
    "turn",
    "prove",
    "mature",
];

/// Whether a bullet that opens with words and a participle ("Proposal doc submitted",
/// "Consumer lag reduced from 60,000 to 100") is a passive without its be-form: the words
/// before are a noun phrase naming a thing (no verb, no pronoun, no person), the
/// participle is a verb that needs a doer, and nothing after it reads as its object.
fn reduced_passive(sentence: &str, words: &[Word], first: usize, last: usize) -> bool {
    let participle = &words[last];
    // The lemma as tagged, or as the "-ed" ending gives it ("improved" read as an
    // adjective keeps "improved" as its lemma).
    let stem = participle.lower.strip_suffix("ed");
    let by_itself = HAPPENS_BY_ITSELF.contains(&participle.lemma.as_str())
        || stem.is_some_and(|b| {
            HAPPENS_BY_ITSELF.contains(&b) || HAPPENS_BY_ITSELF.contains(&format!("{b}e").as_str())
        });
    // "Technologies Used:": a label before a list.
    let label = words.get(last + 1).is_some_and(|w| w.lower == ":");
    if label {
        return false;
    }
    if !(participle.pos == Pos::Verb && matches!(participle.form, Form::Past | Form::Participle))
        || by_itself
        || OTHERS_ACT.contains(&participle.lemma.as_str())
    {
        return false;
    }
    let phrase = &words[first..last];
    let nounish = |w: &Word| matches!(w.pos, Pos::Noun | Pos::ProperNoun | Pos::Other);
    let noun_phrase = phrase.iter().enumerate().all(|(k, w)| {
        matches!(
            w.pos,
            Pos::Determiner | Pos::Adjective | Pos::Noun | Pos::ProperNoun | Pos::Numeral | Pos::Other
        ) || (w.pos == Pos::Adverb && k + 1 == phrase.len() && w.lower.ends_with("ly"))
            // "98% revenue protected": a figure's sign.
            || (w.lower == "%" && k > 0 && phrase[k - 1].pos == Pos::Numeral)
            // A modifier the tagger read as a verb: "Billing service", "Proposal doc" (a
            // base form only as the bullet's capitalised first word; "clarify information
            // provided" is an imperative).
            || (w.pos == Pos::Verb
                && (w.form == Form::Gerund
                    || (w.form == Form::Base
                        && k == 0
                        && sentence
                            .get(w.range.clone())
                            .is_some_and(|t| t.starts_with(|c: char| c.is_uppercase()))))
                && phrase.get(k + 1).is_some_and(nounish))
    }) && phrase.iter().any(|w| matches!(w.pos, Pos::Noun | Pos::ProperNoun))
        && !phrase.iter().any(|w| {
            language::is_person_noun(w)
                || matches!(w.lemma.as_str(), "team" | "squad" | "group" | "i" | "we")
        });
    // The first word must not be a verb form the tagger read as a noun ("Migrated
    // services …" has no subject: it is active).
    let opens_with_verb = phrase.first().is_some_and(|w| {
        matches!(
            w.form,
            Form::Past | Form::Preterite | Form::Third | Form::Participle
        ) && w.pos != Pos::Noun
    });
    // "Team shipped the feature": anything but a preposition, an adverb, a figure or the
    // end after the verb may be its object, and makes it active.
    let object_follows = words.get(last + 1).is_some_and(|w| {
        !matches!(
            w.pos,
            Pos::Adposition
                | Pos::Particle
                | Pos::Adverb
                | Pos::Punctuation
                | Pos::Numeral
                | Pos::Subordinator
                | Pos::Coordinator
        )
    });
    // A determiner makes it a sentence ("This change led to …", "The system detected
    // …"): a bullet that drops its be-form drops its article too ("Proposal submitted").
    let article = phrase.iter().any(|w| w.pos == Pos::Determiner);
    noun_phrase && !article && !opens_with_verb && !object_follows
}

/// Whether the clause holding the verb group that starts at `first` is the object of a
/// verb right before its subject ("ensure deadlines were met"): walking left over the
/// subject's noun phrase reaches a verb other than a form of "be".
fn object_clause(words: &[Word], first: usize) -> bool {
    let mut i = first;
    let mut nouns = 0;
    while i > 0 {
        let w = &words[i - 1];
        if matches!(
            w.pos,
            Pos::Noun | Pos::ProperNoun | Pos::Adjective | Pos::Determiner | Pos::Numeral
        ) && !FIRST_PERSON_WORDS.contains(&w.lower.as_str())
        {
            nouns += 1;
            i -= 1;
            continue;
        }
        return nouns > 0 && (CLAUSE_TAKING.contains(&w.lemma.as_str()) || w.lower == "sure");
    }
    false
}

const FIRST_PERSON_WORDS: &[&str] = &["i", "we", "my", "our"];

/// Verbs whose object can be a whole clause without "that" ("ensure deadlines were met").
const CLAUSE_TAKING: &[&str] = &[
    "ensure",
    "verify",
    "confirm",
    "check",
    "see",
    "insist",
    "require",
    "request",
    "demand",
    "propose",
    "suggest",
    "recommend",
    "expect",
    "hope",
    "know",
    "think",
    "believe",
    "feel",
    "notice",
    "find",
    "realize",
    "realise",
    "learn",
    "discover",
    "show",
    "prove",
    "say",
    "note",
    "mention",
    "report",
    "understand",
    "guarantee",
    "assume",
    "agree",
    "decide",
    "mean",
];

/// Hedge rows that frame a clause ("I think …", "I feel like …", "it seems that …").
const FRAME_ROWS: &[&str] = &[
    "i-think",
    "i-feel",
    "i-feel-like",
    "it-seems",
    "not-sure",
    "not-sure-start",
];

/// Hedge rows whose words are an adverb of likelihood or a wish.
const ADVERB_ROWS: &[&str] = &["hedge-adverb", "hedge-aside", "hedge-tail"];

/// Hedge rows that soften a degree ("kind of", "pretty much").
const DEGREE_ROWS: &[&str] = &["kind-of", "kinda", "pretty-much", "hedge-adverb"];

/// Words that make a verb group a forecast, a possibility or a wish.
fn is_modal(w: &Word) -> bool {
    matches!(
        w.lower.as_str(),
        "will"
            | "would"
            | "could"
            | "might"
            | "may"
            | "can"
            | "shall"
            | "should"
            | "must"
            | "wo"
            | "ca"
            | "going"
    ) || ["'ll", "’ll", "'d", "’d"]
        .iter()
        .any(|c| w.lower.ends_with(c))
}

/// Whether the clause a frame introduces makes a claim the frame hedges: what happened
/// (a past or a present perfect), a change ("the deploys are faster now"), or a present
/// fact. An opinion ("X is important"), the writer's own state of mind ("I believe I
/// understand") or a forecast ("it will help", "I would have preferred") is honest as
/// it stands. No verb found (the frame follows its clause): the claim stands.
fn frames_a_claim(words: &[Word], last: usize) -> bool {
    let rest = words.get(last + 1..).unwrap_or(&[]);
    for (i, w) in rest.iter().enumerate() {
        if w.lower == ";" {
            break;
        }
        if is_modal(w) {
            return false;
        }
        let after = || rest[i + 1..].iter().find(|n| n.pos != Pos::Adverb);
        match w.lower.as_str() {
            "was" | "were" | "did" | "had" | "got" => return true,
            "have" | "has" | "'ve" | "’ve"
                if after().is_some_and(|n| matches!(n.form, Form::Past | Form::Participle)) =>
            {
                return true;
            }
            "is" | "are" | "am" | "'s" | "'re" | "’s" | "’re" => {
                // "is important", "are slow", "is the capability to …": an opinion or a
                // general truth; "is because of …": a guess at a cause; "are faster
                // now", "is automated": a change the writer made.
                return match after() {
                    Some(n) if n.pos == Pos::Adjective => {
                        matches!(n.lower.as_str(), "more" | "less" | "fewer")
                            || (n.lower.ends_with("er") && n.lower.len() > 4)
                    }
                    Some(n) => {
                        !matches!(n.pos, Pos::Determiner | Pos::Noun | Pos::Pronoun)
                            && !matches!(n.lower.as_str(), "because" | "due")
                    }
                    None => true,
                };
            }
            _ => {}
        }
        // A verb right after a determiner or an adjective is a noun ("the fix worked").
        // After "to" it is an infinitive, not the clause's verb.
        let noun_like = i > 0
            && (matches!(rest[i - 1].pos, Pos::Determiner | Pos::Adjective)
                || rest[i - 1].lower == "to");
        if w.pos == Pos::Verb && !noun_like {
            match w.form {
                Form::Past | Form::Preterite | Form::Participle => return true,
                Form::Base | Form::Third => return !MENTAL_VERBS.contains(&w.lemma.as_str()),
                _ => {}
            }
        }
    }
    true
}

/// Verbs of the writer's own state of mind: "I believe I understand …" tells no deed.
const MENTAL_VERBS: &[&str] = &[
    "have",
    "understand",
    "know",
    "like",
    "prefer",
    "enjoy",
    "want",
    "need",
    "hope",
    "wish",
    "agree",
    "appreciate",
    "love",
    "care",
    "think",
    "believe",
    "feel",
    "see",
];

/// Whether the clause around a hedge at `first..=last` holds a modal: back to its start,
/// and forward up to ten words.
fn in_forecast(words: &[Word], first: usize, last: usize) -> bool {
    // "I'll keep it up, and probably further": an adverb that opens an elliptical
    // conjunct ("and probably …") belongs to the clause before the comma.
    let elliptical = first >= 1
        && matches!(words[first - 1].lower.as_str(), "and" | "or")
        && words
            .get(first + 1)
            .is_none_or(|w| w.pos != Pos::Verb || w.form == Form::None);
    let mut commas = 0;
    let before = words[..first]
        .iter()
        .rev()
        .take_while(|w| match w.lower.as_str() {
            ";" | ":" => false,
            "," => {
                commas += 1;
                elliptical && commas == 1
            }
            _ => true,
        })
        .any(is_modal);
    let after = words[last + 1..]
        .iter()
        .take_while(|w| !matches!(w.lower.as_str(), "," | ";" | ":"))
        .take(10)
        .any(is_modal);
    // "I probably plan to …", "we're probably aiming for …": an intention.
    let intention = words[last + 1..].iter().take(3).any(|w| {
        matches!(
            w.lemma.as_str(),
            "plan" | "intend" | "aim" | "hope" | "expect" | "want" | "try"
        ) && w.pos == Pos::Verb
    });
    before || after || intention
}

/// Adjectives of an outcome: softening one undercuts the writer's result.
const OUTCOME_WORDS: &[&str] = &[
    "successful",
    "effective",
    "useful",
    "helpful",
    "valuable",
    "impactful",
    "important",
    "better",
    "faster",
    "reliable",
    "stable",
    "good",
    "great",
    "done",
    "finished",
    "complete",
    "working",
];

/// Whether a degree hedge softens a predicate that describes a state or a feeling: after
/// a form of "be", "feel", "seem" or "look", before an adjective or a noun phrase ("was
/// kind of messy", "felt sort of lost", "was kind of a mess").
fn describes_state(words: &[Word], first: usize, last: usize) -> bool {
    let linking = first > 0 && {
        let w = &words[first - 1];
        language::is_be(&w.lower)
            || matches!(
                w.lemma.as_str(),
                "feel" | "seem" | "look" | "sound" | "become"
            )
    };
    let Some(next) = words.get(last + 1) else {
        return false;
    };
    let head = if matches!(next.lower.as_str(), "a" | "an") {
        words.get(last + 2)
    } else {
        Some(next)
    };
    linking
        && head.is_some_and(|h| {
            matches!(h.pos, Pos::Adjective | Pos::Noun)
                && !OUTCOME_WORDS.contains(&h.lower.as_str())
                && h.form != Form::Gerund
        })
}

/// Whether the verb a hit modifies (the next one within three words, else the previous one
/// within three) is the writer's: "I just set up", "wrote some Terraform".
fn nearest_verb_is_own(words: &[Word], first: usize, last: usize) -> bool {
    let is_verb = |i: &usize| words[*i].pos == Pos::Verb && words[*i].form != Form::None;
    let next = (last + 1..words.len().min(last + 4)).find(is_verb);
    let previous = (first.saturating_sub(3)..first).rev().find(is_verb);
    next.or(previous).is_some_and(|v| {
        let clause = language::clause_of(words, v);
        matches!(clause.subject, SubjectKind::Writer | SubjectKind::Omitted) && !clause.purpose
    })
}

/// The words before `first` back to the start of their clause (the previous comma or
/// semicolon), nearest first.
fn clause_before(words: &[Word], first: usize) -> impl Iterator<Item = &Word> {
    words[..first]
        .iter()
        .rev()
        .take_while(|w| w.lower != "," && w.lower != ";")
}

fn weak_verb_holds(verb: &Word, clause: &Clause) -> bool {
    if clause.purpose {
        return false; // "… to help new hires", "in order to support …"
    }
    if clause.subject == SubjectKind::Other {
        return false; // someone else's help, or a thing's ("this helped the team …")
    }
    if clause.subordinate && clause.subject != SubjectKind::Writer {
        return false;
    }
    // "support" as a noun ("customer support") is an area, not an action.
    !(verb.pos == Pos::Noun && clause.subject != SubjectKind::Omitted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::phrases::{PhraseRules, scan};

    fn judged(text: &str, role: Role) -> Vec<(RuleCode, String)> {
        let rules = PhraseRules::builtin();
        let mut sentences = Sentences::new(text);
        scan(text, &rules)
            .into_iter()
            .filter_map(|mut h| judge(&mut sentences, &mut h, role).then_some(h))
            .map(|h| (h.code, text[h.range].to_string()))
            .collect()
    }

    /// The weak-verb hit of `text`, judged in a work section; it must be kept.
    fn weak_verb_kept(text: &str) -> PhraseHit {
        let rules = PhraseRules::builtin();
        let mut sentences = Sentences::new(text);
        let mut hit = scan(text, &rules)
            .into_iter()
            .find(|h| h.code == RuleCode::WeakVerb)
            .expect("a hit");
        assert!(judge(&mut sentences, &mut hit, Role::Work), "{text}");
        hit
    }

    #[test]
    fn situation_passives_and_hedges_are_not_findings_there() {
        let text = "Deploys were delayed for weeks and the root cause was probably the old config.";
        assert!(judged(text, Role::Situation).is_empty());
        assert!(!judged(text, Role::Work).is_empty());
        // The writer's own work told in a problem section is still the writer's.
        let own = judged("I just set up monitoring.", Role::Situation);
        assert_eq!(own.len(), 1, "{own:?}");
        assert!(!judged("The pipeline was migrated to GitHub Actions.", Role::Work).is_empty());
        assert!(
            judged(
                "The pipeline was migrated to GitHub Actions.",
                Role::Situation
            )
            .is_empty()
        );
    }

    #[test]
    fn passives_of_how_things_used_to_go_are_left_alone() {
        assert!(judged("Deploys were often delayed by a day.", Role::Work).is_empty());
        assert!(judged("Bugs were only discovered manually.", Role::Work).is_empty());
    }

    #[test]
    fn negated_and_subordinate_passives_are_left_alone() {
        assert!(judged("The old config was never documented.", Role::Work).is_empty());
        assert!(
            judged(
                "I rebuilt the services that were migrated first.",
                Role::Work
            )
            .is_empty()
        );
    }

    #[test]
    fn capability_frames_become_the_writers_verb() {
        let text = "I was able to explain my methods to her.";
        let hit = weak_verb_kept(text);
        assert_eq!(&text[hit.range.clone()], "was able to explain");
        assert_eq!(hit.replacements, vec!["explained".to_string()]);
        let text = "We were able to successfully onboard all interns.";
        let hit = weak_verb_kept(text);
        assert_eq!(hit.replacements, vec!["successfully onboarded".to_string()]);
        assert!(judged("The team was able to deploy on Fridays again.", Role::Work).is_empty());
        assert!(judged("I was able to the store.", Role::Work).is_empty());
    }

    #[test]
    fn frames_found_behind_marks_relatives_and_base_forms_ending_in_ing() {
        // "bring" is a base form, not a gerund of "br".
        let text = "Through care I was able to bring the circuit back online.";
        assert_eq!(
            weak_verb_kept(text).replacements,
            vec!["brought".to_string()]
        );
        // An emoji before a resume-style bullet names nobody.
        let text = "😀 Learned Elixir and was able to ship a service to production.";
        assert_eq!(
            weak_verb_kept(text).replacements,
            vec!["shipped".to_string()]
        );
        // A relative clause earlier in the sentence has its own verb.
        let text = "With the time with which we operated we were able to find slack.";
        assert_eq!(weak_verb_kept(text).replacements, vec!["found".to_string()]);
    }

    #[test]
    fn hedges_on_opinions_forecasts_states_and_other_people_are_left_alone() {
        let none = |t: &str| {
            let found = judged(t, Role::Work);
            assert!(found.is_empty(), "{t}: {found:?}");
        };
        let one = |t: &str| {
            let found = judged(t, Role::Work);
            assert_eq!(found.len(), 1, "{t}: {found:?}");
        };
        // An opinion (present) or a forecast (modal) is honest as it stands.
        none("We have fun together, which I think is important for a long project.");
        none("I believe it will help me grow next year.");
        none("I think I would have preferred a smaller scope.");
        none("The patrons would probably have issues with the video calls.");
        none("I feel his initiative has contributed to the launch.");
        none("Maybe people wanted to share their photos.");
        // A state or a feeling softened is described, not undercut.
        none("At first it was kind of messy.");
        none("I was kind of nervous before the demo.");
        // What happened, hedged, is still a finding.
        one("I think it was the right call.");
        one("Overall, I feel like I accomplished my yearly goal.");
        one("The change probably saved us a few hours a week.");
        one("The rollout was kind of successful.");
    }

    #[test]
    fn vague_verbs_closing_a_relative_or_passives_as_objects_are_left_alone() {
        // A preposition with nothing after it ends a relative clause.
        assert!(judged("It helped everything I've worked on.", Role::Work).is_empty());
        assert!(!judged("I worked on the Terraform modules.", Role::Work).is_empty());
        // "Participated in both …": "both" opens the object.
        assert!(
            !judged(
                "Participated in both the design and the rollout.",
                Role::Work
            )
            .is_empty()
        );
        // A passive that is what a verb before it ensured or checked.
        assert!(
            judged(
                "Having to ensure deadlines were met taught me a lot.",
                Role::Work
            )
            .is_empty()
        );
        assert!(!judged("Development output was increased.", Role::Work).is_empty());
        // After a gerund, a coordinated passive shares the finite verb's subject.
        let text = "I took stints leading the team, and was commended on demo day.";
        assert!(judged(text, Role::Work).is_empty());
        // After a participle that modifies a noun, too.
        let text = "I tested the product assigned to me and was able to catch many bugs.";
        assert_eq!(
            weak_verb_kept(text).replacements,
            vec!["caught".to_string()]
        );
        // A gerund phrase that a later verb has as subject names a thing.
        assert!(
            judged(
                "Working with the Apollo client proved valuable.",
                Role::Work
            )
            .is_empty()
        );
    }

    #[test]
    fn a_bullet_that_opens_with_a_vague_gerund_is_a_duty() {
        for weak in [
            "Working on projects like use cases for REFIT (a platform that deploys models).",
            "Began work on the ratings service, with a first design.",
            "Further work on the bookings feature",
            "Collaborating closely with designers on the schema.",
        ] {
            assert_eq!(judged(weak, Role::Work).len(), 1, "{weak}");
        }
        for named in [
            "Working on the deploy tooling taught me how releases fail.",
            "Working on JJB, I became a core reviewer.",
            "Further work on the ratings service was postponed.",
            "Working on-call for the platform.",
        ] {
            assert!(
                judged(named, Role::Work)
                    .iter()
                    .all(|(code, _)| *code != RuleCode::WeakVerb),
                "{named}"
            );
        }
    }

    #[test]
    fn a_colon_ends_a_lead_in_only_at_the_end_of_its_line() {
        assert_eq!(
            judged("Contributed to forum discussions: 1", Role::Work).len(),
            1
        );
        assert!(judged("I worked on the following:\n- the API", Role::Work).is_empty());
    }

    #[test]
    fn passives_of_what_others_do_to_the_writers_work_are_left_alone() {
        for others in [
            "My first pull request was merged into the main branch.",
            "The proposal was accepted in March.",
            "I was promoted to senior engineer.",
        ] {
            assert!(judged(others, Role::Work).is_empty(), "{others}");
        }
        for relation in [
            "It was decided that the old cluster would stay.",
            "It was mentioned in the task description that both modes exist.",
            "The dashboard was built on Grafana.",
        ] {
            assert!(judged(relation, Role::Work).is_empty(), "{relation}");
        }
        // A decision may be the writer's: "AWS was selected" still asks who chose.
        assert_eq!(
            judged("After a review of vendors, AWS was selected.", Role::Work).len(),
            1
        );
    }

    #[test]
    fn a_bullet_that_dropped_its_be_form_is_a_passive() {
        for passive in [
            "Consumer lag reduced from 60,000 to 100",
            "Proposal doc submitted",
            "Access restricted to secondary accounts only",
            "Billing service migrated to Kubernetes in March.",
        ] {
            assert_eq!(judged(passive, Role::Work).len(), 1, "{passive}");
        }
        for active in [
            "Error rates dropped from 4% to 0.1%.",
            "Team shipped the feature in March.",
            "This simple misunderstanding led to team misalignment.",
            "The system detected 40 regressions.",
            "Migration consisted of three phases.",
            "Technologies Used: Go, Rust.",
            "Several edge cases surfaced in testing.",
        ] {
            assert!(judged(active, Role::Work).is_empty(), "{active}");
        }
        // The full passive still wins over the reduced reading of the same words.
        assert_eq!(
            judged("The pipeline was migrated to Actions.", Role::Work),
            vec![(RuleCode::PassiveVoice, "was migrated".to_string())]
        );
    }

    #[test]
    fn some_before_a_plural_is_a_quantity() {
        assert!(judged("I fixed some bugs in the scheduler.", Role::Work).is_empty());
        assert!(judged("I made some major improvements to the API.", Role::Work).is_empty());
        assert_eq!(
            judged("I wrote some Terraform for the cluster.", Role::Work).len(),
            1
        );
    }

    #[test]
    fn frames_coordination_figures_and_states() {
        let weak = |text: &str| {
            judged(text, Role::Work)
                .into_iter()
                .filter(|(c, _)| *c == RuleCode::WeakVerb)
                .map(|(_, t)| t)
                .collect::<Vec<_>>()
        };
        // Kept: frames and verbs whose subject is the writer.
        for (text, flagged) in [
            (
                "I have also been able to author my own projects.",
                "been able to author",
            ),
            (
                "Did some time on SRE and helped upgrade our monolith.",
                "helped upgrade",
            ),
            (
                "Wrote tests as well as worked on bug fixes in Python.",
                "worked on",
            ),
            (
                "Continuing to work on more endpoints.",
                "Continuing to work on",
            ),
            (
                "I made several contributions to the provider.",
                "made several contributions to",
            ),
            ("I work on a suite of Go services.", "I work on"),
            (
                "I spent the whole week trying to prototype a build cycle.",
                "trying to",
            ),
            (
                "I attempted major changes to the release automation.",
                "attempted",
            ),
            (
                "We worked hard together with Jonas to ship it.",
                "worked hard together",
            ),
        ] {
            assert_eq!(weak(text), vec![flagged.to_string()], "{text}");
        }
        // Left alone: a hope, someone else's subject, a negated attempt.
        for text in [
            "I hope I am able to materialize some of those.",
            "The team I joined was trying to fix it.",
            "I attempted several fixes that did not work.",
        ] {
            assert!(weak(text).is_empty(), "{text}");
        }
        // Minimizers: an adverb between "just" and the verb; "only" before a count.
        assert_eq!(
            judged("I just quickly removed the old forms.", Role::Work),
            vec![(RuleCode::Minimizer, "just".to_string())]
        );
        assert!(judged("I only updated 11 articles this year.", Role::Work).is_empty());
        // Passives: a figure before a result fragment; what a thing holds; an event held.
        assert_eq!(
            judged("98% revenue protected through feature parity", Role::Work),
            vec![(RuleCode::PassiveVoice, "98% revenue protected".to_string())]
        );
        for text in [
            "The startup was filled with smart physicists.",
            "The tool was intended to provide an interface.",
            "A community chat was held on Zulip this week.",
        ] {
            assert!(judged(text, Role::Work).is_empty(), "{text}");
        }
        // "I dare say" drops and leaves the claim, subject and all.
        let rules = PhraseRules::builtin();
        let text = "I dare to say that is 60% complete.";
        let hit = scan(text, &rules)
            .into_iter()
            .find(|h| h.code == RuleCode::Hedge)
            .expect("a hedge");
        assert_eq!(hit.replacements, vec!["That".to_string()]);
    }

    #[test]
    fn worked_with_things_contrast_felt_like_and_acknowledged() {
        // Experience with things hides no one's part; people or a team keep the finding.
        for left in [
            "Worked with standard server components as well as branded servers (Dell, HP).",
            "Worked with many server OS types including Windows and Linux.",
        ] {
            assert!(judged(left, Role::Work).is_empty(), "{left}");
        }
        for kept in [
            "Worked with service teams to launch the new cache layer.",
            "Worked with the platform teams on their database migrations.",
            "Working closely with business units and engineers.",
        ] {
            assert_eq!(judged(kept, Role::Work).len(), 1, "{kept}");
        }
        // "rather than just …" sets off what was not done.
        assert!(
            judged(
                "I planned each week rather than just giving in to the backlog.",
                Role::Work
            )
            .is_empty()
        );
        assert_eq!(judged("I just restarted the pods.", Role::Work).len(), 1);
        // "I felt like I was …" hedges the claim as "I feel like" does; "what's" is an opinion.
        assert_eq!(
            judged("I felt like I was the glue of the team.", Role::Work).len(),
            1
        );
        assert!(
            judged(
                "I think what's more important was the time to learn.",
                Role::Work
            )
            .is_empty()
        );
        // Emphasis, not a shrug; a forecast carried over "…, and probably …".
        assert!(judged("Put some serious work in K8S.", Role::Work).is_empty());
        assert_eq!(judged("Put some work into the docs.", Role::Work).len(), 1);
        assert!(
            judged(
                "I'll keep updating the feature until the end of the year, and probably further.",
                Role::Work
            )
            .is_empty()
        );
        assert_eq!(
            judged(
                "I rewrote the parser, and probably fixed the leak.",
                Role::Work
            )
            .len(),
            1
        );
        // Bringing someone in is hiring them; bringing a service back is work.
        assert!(
            judged(
                "After a new manager was brought in, I mentored the team.",
                Role::Work
            )
            .is_empty()
        );
        assert_eq!(
            judged(
                "The service was brought back online within an hour.",
                Role::Work
            )
            .len(),
            1
        );
        // A verb of aspect before the gerund: whose work, its subject tells.
        assert_eq!(
            judged("Continued hacking on the unwrap docs.", Role::Work).len(),
            1
        );
        assert!(judged("Users kept hacking on the old version.", Role::Work).is_empty());
        // "Contributed" before a gerund; "contributed nothing" is no finding.
        assert_eq!(
            judged("Contributed creating weekly demos.", Role::Work).len(),
            1
        );
        assert!(judged("Other teams contributed nothing to the plan.", Role::Work).is_empty());
        // Acknowledging is others' doing.
        assert!(judged("My patch was acknowledged and discussed.", Role::Work).is_empty());
    }

    #[test]
    fn help_before_a_verb_needs_the_verb() {
        assert_eq!(
            judged("Helped to ensure the UI is consistent.", Role::Work).len(),
            1
        );
        // "helped Alex prepare": the people helped, then their verb; what the writer did
        // for them is unsaid, so the finding has no rewrite. A thing that helped, a
        // mentor who helped the writer, or "help" in a purpose clause is no finding.
        let alex = weak_verb_kept("I have helped Alex prepare for the talk.");
        assert_eq!(alex.row, "helped-someone-do");
        assert!(alex.replacements.is_empty());
        assert_eq!(
            judged("Helped junior designers manage their workload.", Role::Work).len(),
            1
        );
        assert_eq!(
            judged("I helped my team migrate 40 services.", Role::Work).len(),
            1
        );
        for left in [
            "My mentor helped me understand the codebase.",
            "The runbook helped three teams migrate to the new CI system.",
            "Wrote docs to help new hires set up their laptops.",
        ] {
            assert!(judged(left, Role::Work).is_empty(), "{left}");
        }
        assert_eq!(
            judged(
                "Reviewed pull requests and help test new features.",
                Role::Work
            )
            .len(),
            1
        );
        assert!(judged("Staffed the help desk on Fridays.", Role::Work).is_empty());
        let text = "The result: I was able to quickly and effectively plan upcoming work.";
        assert_eq!(
            weak_verb_kept(text).replacements,
            vec!["quickly and effectively planned".to_string()]
        );
    }

    #[test]
    fn used_to_is_a_habit_before_a_noun_and_a_passive_before_a_verb() {
        let passive = judged("Sqlite was used to track cookies.", Role::Work);
        assert_eq!(passive.len(), 1, "{passive:?}");
        assert!(judged("The team was used to working nights.", Role::Work).is_empty());
        assert!(judged("I was used to the noise.", Role::Work).is_empty());
    }

    #[test]
    fn list_lead_ins_relatives_and_advice_are_left_alone() {
        assert!(
            judged(
                "I worked on the following things during the internship:",
                Role::Work
            )
            .is_empty()
        );
        assert!(judged("We presented what we had been working on.", Role::Work).is_empty());
        assert!(judged("Maybe try it too.", Role::Work).is_empty());
        assert!(!judged("I worked on the Terraform modules.", Role::Work).is_empty());
    }

    #[test]
    fn counterfactuals_are_lessons_not_hedges() {
        assert!(
            judged(
                "Had I just asked him earlier, it would have gone better.",
                Role::Work
            )
            .is_empty()
        );
        assert!(
            judged(
                "I think what might have helped was a cut-off time.",
                Role::Work
            )
            .is_empty()
        );
        assert!(!judged("I think the cut-off time helped.", Role::Work).is_empty());
    }

    #[test]
    fn a_hedge_inside_a_degree_is_left_alone() {
        assert!(
            judged(
                "He maintains three projects and most probably has a fourth.",
                Role::Work
            )
            .is_empty()
        );
        assert!(!judged("It probably saved the team a day a week.", Role::Work).is_empty());
    }

    #[test]
    fn coordination_reaches_a_main_verb_did() {
        let hits = judged(
            "We not only did a good job, but also managed to subvert her expectations.",
            Role::Work,
        );
        assert_eq!(hits.len(), 1, "{hits:?}");
    }

    #[test]
    fn capability_frames_negated_or_governing_two_verbs() {
        assert!(judged("I didn't manage to finish the drafts.", Role::Work).is_empty());
        // Coordinated infinitives: the finding stands, with no rewrite and no prompt.
        let text = "I was able to send my patch in and complete my application.";
        let hit = weak_verb_kept(text);
        assert!(hit.replacements.is_empty() && !hit.ask);
    }

    #[test]
    fn passives_with_complements_or_modals_are_left_alone() {
        assert!(
            judged(
                "These changes were made possible by a theme manager.",
                Role::Work
            )
            .is_empty()
        );
        assert!(judged("A lot of stress could have been avoided.", Role::Work).is_empty());
    }

    #[test]
    fn figures_after_a_minimizer_are_facts() {
        assert!(judged("Only 2 of 40 services failed over.", Role::Work).is_empty());
        assert!(!judged("I just set up monitoring.", Role::Work).is_empty());
    }
}
