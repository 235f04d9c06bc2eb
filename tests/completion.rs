//! Completion and hover from the analysis core: where they offer something and where they
//! stay quiet.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use reframe_core::analysis::completion::{CompletionKind, complete};
use reframe_core::analysis::hover::hover;
use reframe_core::analysis::{Analysis, Context, analyze};
use reframe_core::config::Config;
use reframe_core::document::Document;
use reframe_core::rules::phrases::PhraseRules;
use reframe_core::template::Template;

fn analyse(text: &str) -> Analysis {
    let config = Config::default();
    let phrases = PhraseRules::builtin();
    let cx = Context {
        template: Template::builtin(),
        config: &config,
        phrases: &phrases,
    };
    analyze(&Document::new(text), &cx)
}

const HEAD: &str = "---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n- **What You Did**: I moved 14 services to GitHub Actions.\n";

fn at(text: &str, marker: &str) -> (String, usize) {
    let offset = text.find(marker).expect("marker");
    (text.replacen(marker, "", 1), offset)
}

#[test]
fn so_that_offers_the_templates_outcomes() {
    let (text, offset) = at(
        &format!("{HEAD}- **Your Role**: I owned the rollout so the team could en$0\n"),
        "$0",
    );
    let analysis = analyse(&text);
    let items = complete(&text, &analysis, Template::builtin(), offset);
    let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels, ["enabled devs to deploy without ops involvement"]);
    assert!(items.iter().all(|i| i.kind == CompletionKind::Phrase));
    // The completion replaces just the word being typed.
    assert_eq!(&text[items[0].replace.clone()], "en");
}

#[test]
fn no_completion_noise_in_prose_code_or_front_matter() {
    for marker_text in [
        format!("{HEAD}- **Your Role**: I owned the$0 rollout.\n"),
        "---\ntemplate: ops-$0writeup\n---\n## 1. Project Overview\n".to_string(),
        format!("{HEAD}\nPlain paragraph $0here.\n"),
    ] {
        let (text, offset) = at(&marker_text, "$0");
        let analysis = analyse(&text);
        let items = complete(&text, &analysis, Template::builtin(), offset);
        assert!(items.is_empty(), "{text:?}: {items:?}");
    }
}

#[test]
fn heading_completion_only_in_write_ups() {
    let (readme, offset) = at("# Tool\n\n## $0\n", "$0");
    let analysis = analyse(&readme);
    assert!(complete(&readme, &analysis, Template::builtin(), offset).is_empty());

    let (text, offset) = at(&format!("{HEAD}\n## 3$0\n"), "$0");
    let analysis = analyse(&text);
    let items = complete(&text, &analysis, Template::builtin(), offset);
    assert_eq!(items[0].text, "## 2. The Problem/Need");
    assert!(items.iter().all(|i| i.text != "## 1. Project Overview"));
}

#[test]
fn hover_explains_fields_and_weak_phrases() {
    let text = format!("{HEAD}- **Your Role**: I helped with the rollout.\n");
    let analysis = analyse(&text);
    let label = text.find("Your Role").unwrap();
    let (_, markdown) = hover(&text, &analysis, Template::builtin(), label).expect("field hover");
    assert!(
        markdown.contains("The template asks: [Responsibilities]"),
        "{markdown}"
    );
    let phrase = text.find("helped").unwrap();
    let (range, markdown) =
        hover(&text, &analysis, Template::builtin(), phrase).expect("phrase hover");
    assert_eq!(&text[range], "helped with");
    assert!(markdown.contains("Try:"), "{markdown}");
    let plain = text.find("rollout").unwrap();
    assert!(hover(&text, &analysis, Template::builtin(), plain).is_none());
}

#[test]
fn heading_items_replace_the_line_and_filter_on_what_was_typed() {
    for (typed, filter) in [
        ("## Dec", "## Decisions & Trade-offs"),
        ("## 6", "## 6. Decisions & Trade-offs"),
        ("## decis", "## decisions & Trade-offs"),
        ("#", "## 6. Decisions & Trade-offs"),
    ] {
        let text = format!("{HEAD}\n{typed}");
        let analysis = analyse(&text);
        let items = complete(&text, &analysis, Template::builtin(), text.len());
        let item = items
            .iter()
            .find(|i| i.label == "## 6. Decisions & Trade-offs")
            .unwrap_or_else(|| panic!("{typed:?}: {items:#?}"));
        assert_eq!(item.filter, filter, "{typed:?}");
        assert_eq!(&text[item.replace.clone()], typed);
        assert_eq!(item.text, "## 6. Decisions & Trade-offs");
        assert_eq!(
            item.snippet.as_deref(),
            Some("## 6. Decisions & Trade-offs$0")
        );
    }
    // The heading on the cursor's line does not count as present.
    let text = format!("{HEAD}\n## Decisions\n");
    let analysis = analyse(&text);
    let at = text.len() - 1;
    let items = complete(&text, &analysis, Template::builtin(), at);
    assert!(
        items
            .iter()
            .any(|i| i.label == "## 6. Decisions & Trade-offs"),
        "{items:#?}"
    );
    // Elsewhere it does.
    let text = format!("{HEAD}\n## Decisions\n\n## ");
    let analysis = analyse(&text);
    let items = complete(&text, &analysis, Template::builtin(), text.len());
    assert!(
        !items
            .iter()
            .any(|i| i.label == "## 6. Decisions & Trade-offs")
    );
}
