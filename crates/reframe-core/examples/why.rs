//! Debugging aid (not shipped): prints the phrase hits of each argument, the judgement and
//! the tagged words.
use reframe_core::analysis::wording::{Role, Sentences, judge, rejected_at};
use reframe_core::language;
use reframe_core::rules::phrases::{PhraseRules, scan};
fn main() {
    let rules = PhraseRules::builtin();
    for text in std::env::args().skip(1) {
        println!("== {text}");
        let words = language::tag(&text);
        for w in &words {
            print!("{}/{:?}/{:?}/{} ", w.lower, w.pos, w.form, w.lemma);
        }
        println!();
        let mut s = Sentences::new(&text);
        for mut h in scan(&text, &rules) {
            let kept = judge(&mut s, &mut h, Role::Work);
            println!(
                "  {} {} {:?} kept={kept} (line {}) repl={:?}",
                h.code,
                h.row,
                &text[h.range.clone()],
                rejected_at(),
                h.replacements
            );
        }
    }
}
