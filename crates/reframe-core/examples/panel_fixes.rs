//! Prints every preferred wording fix reframe offers on the panel's materialised write-ups
//! (`tests/panel/materialise.py` puts them in ~/.cache/reframe-panel/files), one
//! before/after pair per line, for a person to judge. Not part of the shipped binary.
use reframe_core::analysis::actions::{actions, apply_edits};
use reframe_core::analysis::{Context, analyze};
use reframe_core::config::Config;
use reframe_core::document::Document;
use reframe_core::rules::phrases::PhraseRules;
use reframe_core::template::Template;

fn line_of(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| {
        format!(
            "{}/.cache/reframe-panel/files",
            std::env::var("HOME").unwrap_or_default()
        )
    });
    let template = Template::builtin();
    let rules = PhraseRules::builtin();
    let config = Config::default();
    let cx = Context {
        template,
        config: &config,
        phrases: &rules,
    };
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    for path in paths {
        let Ok(body) = std::fs::read_to_string(&path) else {
            continue;
        };
        let text = format!("---\ntemplate: ops-writeup\n---\n{body}");
        let analysis = analyze(&Document::new(&text), &cx);
        let listed = actions(&text, &analysis, template, 0..text.len());
        for (i, f) in analysis.findings.iter().enumerate() {
            if !f.code.is_phrase_rule() {
                continue;
            }
            let Some(a) = listed.iter().find(|a| a.fixes == Some(i) && a.preferred) else {
                println!(
                    "{}\t{}\tNO-PREFERRED\t{}",
                    path.file_stem().unwrap_or_default().to_string_lossy(),
                    f.code,
                    line_of(&text, f.range.start).trim()
                );
                continue;
            };
            let (after, _) = apply_edits(&text, &a.edits);
            let at = f.range.start;
            let before_line = line_of(&text, at).trim().to_string();
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let after_line = line_of(&after, start.min(after.len())).trim().to_string();
            println!(
                "{}\t{}\t{}\t{}\t=>\t{}",
                path.file_stem().unwrap_or_default().to_string_lossy(),
                f.code,
                a.title,
                before_line,
                after_line
            );
        }
    }
}
