//! Code actions as plain data: quick fixes for findings, source actions for the whole
//! write-up, and the safe "fix all" set. Every action is a list of byte-range edits on the
//! text that was analysed; the server turns them into a `WorkspaceEdit`, the CLI applies
//! them with [`apply_edits`].

use std::ops::Range;

use super::data::{self, FindingData};
use super::edit::Edit;
use super::{Analysis, Finding, SectionStatus};
use crate::rules::RuleCode;
use crate::template::Template;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionKind {
    /// Fixes one finding.
    QuickFix,
    /// Works on the whole write-up ("Insert all missing sections").
    Source,
    /// The safe fixes of the whole document at once (`source.fixAll.reframe`).
    FixAll,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub kind: ActionKind,
    pub edits: Vec<Edit>,
    /// The best of the alternatives for its finding.
    pub preferred: bool,
    /// Index into `Analysis::findings` of the finding this action fixes.
    pub fixes: Option<usize>,
}

/// Applies non-overlapping edits to `text`. Edits are applied from the end so offsets stay
/// valid; overlapping or out-of-range edits are skipped (and reported by the return value).
pub fn apply_edits(text: &str, edits: &[Edit]) -> (String, usize) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut skipped = 0;
    for edit in sorted {
        let valid = edit.range.start >= at
            && edit.range.start <= edit.range.end
            && edit.range.end <= text.len()
            && text.is_char_boundary(edit.range.start)
            && text.is_char_boundary(edit.range.end);
        if !valid {
            skipped += 1;
            continue;
        }
        out.push_str(&text[at..edit.range.start]);
        out.push_str(&edit.new_text);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    (out, skipped)
}

/// The quick fixes for findings overlapping `range`, plus the source actions.
pub fn actions(
    text: &str,
    analysis: &Analysis,
    template: &Template,
    range: Range<usize>,
) -> Vec<Action> {
    let mut out = Vec::new();
    for (index, finding) in analysis.findings.iter().enumerate() {
        let touches = finding.range.start <= range.end && range.start <= finding.range.end;
        if touches {
            out.extend(quick_fixes(text, analysis, template, index, finding));
            let ignore = super::ignore::ignore_edit(text, &analysis.model, finding);
            let title = format!("Ignore this finding on this line ({})", finding.code);
            // One "Ignore" per code and line: two findings of one code on a line share it.
            if let Some(edit) = ignore.filter(|_| !out.iter().any(|a: &Action| a.title == title)) {
                out.push(Action {
                    title,
                    kind: ActionKind::QuickFix,
                    edits: vec![edit],
                    preferred: false,
                    fixes: Some(index),
                });
            }
        }
    }
    let inserts = missing_section_edits(text, analysis, template);
    if inserts.len() > 1 {
        out.push(Action {
            title: format!("Insert all {} missing sections", inserts.len()),
            kind: ActionKind::Source,
            edits: merge_insertions(inserts),
            preferred: false,
            fixes: None,
        });
    }
    let fix_all = safe_fix_edits(text, analysis, template);
    if !fix_all.is_empty() {
        out.push(Action {
            title: "Apply the safe reframe fixes".to_string(),
            kind: ActionKind::FixAll,
            edits: fix_all,
            preferred: false,
            fixes: None,
        });
    }
    out
}

/// The safe, meaning-preserving fixes of the whole document: drop a minimizer, complete a
/// heading to the template's. Nothing that needs the writer's judgement.
pub fn safe_fix_edits(text: &str, analysis: &Analysis, template: &Template) -> Vec<Edit> {
    let mut edits: Vec<Edit> = Vec::new();
    for (index, finding) in analysis.findings.iter().enumerate() {
        if !matches!(finding.code, RuleCode::SectionHeading | RuleCode::Minimizer) {
            continue;
        }
        let Some(fix) = quick_fixes(text, analysis, template, index, finding)
            .into_iter()
            .find(|a| is_safe(text, finding, a))
        else {
            continue;
        };
        for edit in fix.edits {
            let overlaps = edits
                .iter()
                .any(|e| e.range.start < edit.range.end && edit.range.start < e.range.end);
            if !overlaps {
                edits.push(edit);
            }
        }
    }
    edits
}

fn is_safe(text: &str, finding: &Finding, action: &Action) -> bool {
    match finding.code {
        RuleCode::SectionHeading => action.preferred,
        // Only dropping the words is safe: what remains, ignoring case, is the text the edit
        // covered minus the flagged words.
        RuleCode::Minimizer => action.edits.iter().all(|e| {
            let covered = text.get(e.range.clone()).unwrap_or("");
            let flagged = text.get(finding.range.clone()).unwrap_or("");
            e.range.start == finding.range.start
                && covered
                    .strip_prefix(flagged)
                    .is_some_and(|rest| rest.trim_start().eq_ignore_ascii_case(&e.new_text))
        }),
        _ => false,
    }
}

fn quick_fixes(
    text: &str,
    analysis: &Analysis,
    template: &Template,
    index: usize,
    finding: &Finding,
) -> Vec<Action> {
    let mut out = Vec::new();
    let flagged = text.get(finding.range.clone()).unwrap_or("");
    // A finding whose data is not the kind its code makes has no fixes.
    match (finding.code, &finding.data) {
        (
            RuleCode::WeakVerb | RuleCode::Minimizer | RuleCode::Hedge | RuleCode::PassiveVoice,
            FindingData::Wording(wording),
        ) => {
            // The template's own reframe first when the sentence is one of its ❌ examples.
            if let Some((range, strong)) = template_reframe(text, finding, template) {
                out.push(Action {
                    title: format!("Reframe as “{strong}”"),
                    kind: ActionKind::QuickFix,
                    edits: vec![Edit {
                        range,
                        new_text: strong,
                    }],
                    preferred: false,
                    fixes: Some(index),
                });
            }
            let fix_range = phrase_fix_range(text, finding, wording);
            let replaced = text.get(fix_range.clone()).unwrap_or("");
            // A weak verb's replacements are stronger verbs unless the row says the same in
            // the writer's own terms: those are choices to make only if true.
            let keeps_meaning = wording.keeps_meaning;
            let claims_more = finding.code == RuleCode::WeakVerb && !keeps_meaning;
            for (k, replacement) in wording.replacements.iter().enumerate() {
                let claims_more = claims_more || (finding.code == RuleCode::WeakVerb && k > 0);
                let title = if replacement.trim().is_empty() {
                    format!("Remove “{}”", flagged.trim())
                } else if replaced.trim() != flagged.trim() {
                    // The fix also re-cases the next word: show the whole change.
                    format!(
                        "Replace “{}” with “{}”",
                        replaced.trim(),
                        replacement.trim()
                    )
                } else {
                    format!("Replace “{}” with “{}”", flagged.trim(), replacement.trim())
                };
                let title = if claims_more {
                    format!("{title} (a stronger claim: only if true)")
                } else {
                    title
                };
                out.push(Action {
                    title,
                    kind: ActionKind::QuickFix,
                    edits: vec![Edit {
                        range: fix_range.clone(),
                        new_text: replacement.clone(),
                    }],
                    preferred: keeps_meaning && !claims_more && k == 0,
                    fixes: Some(index),
                });
            }
            if finding.code == RuleCode::PassiveVoice {
                out.extend(passive_rewrites(text, finding, index));
            }
            if matches!(finding.code, RuleCode::Minimizer | RuleCode::Hedge) && out.is_empty() {
                out.extend(frame_removals(text, finding, index));
            }
            if finding.code == RuleCode::WeakVerb && wording.ask && !out.iter().any(|a| a.preferred)
            {
                // No verb fits every sentence ("handled", "helped out"): leave a prompt the
                // placeholder rule keeps flagging until the writer names the action.
                // Keep the subject when the flagged words start with it ("I'm involved in").
                let first = flagged.split_whitespace().next().unwrap_or("");
                let first = first.split(['\'', '\u{2019}']).next().unwrap_or("");
                let subject = match first.to_lowercase().as_str() {
                    "i" => "I ",
                    "we" => {
                        if first.starts_with('W') {
                            "We "
                        } else {
                            "we "
                        }
                    }
                    _ => "",
                };
                // Who or what the flagged words name stays ("Assisted the data team with" →
                // "[what you did] the data team with"): only the vague verb is asked about.
                let (range, asked, after) = prompt_range(text, finding, wording);
                out.push(Action {
                    title: format!(
                        "Replace “{}” with a placeholder for what you did",
                        asked.trim()
                    ),
                    kind: ActionKind::QuickFix,
                    edits: vec![Edit {
                        range,
                        new_text: format!("{subject}[what you did]{after}"),
                    }],
                    // Asking keeps the sentence honest where no verb of ours would.
                    preferred: true,
                    fixes: Some(index),
                });
            }
            if finding.code == RuleCode::WeakVerb
                && let Some(first) = out
                    .iter()
                    .find(|a| !a.title.starts_with("Reframe"))
                    .cloned()
                && let Some(action) = with_outcome(text, finding, first)
            {
                out.push(action);
            }
            // No fallback: an action is preferred only where it was marked so above, as a
            // rewrite that keeps the meaning (or the prompt that asks). The template's
            // reframe tells a bigger story than the sentence and is always an alternative.
        }
        (RuleCode::SectionHeading, FindingData::SectionHeading(heading)) => {
            let replacement = &heading.replacement;
            out.push(Action {
                title: format!("Use the template heading “{replacement}”"),
                kind: ActionKind::QuickFix,
                edits: vec![Edit {
                    range: finding.range.clone(),
                    new_text: replacement.clone(),
                }],
                preferred: true,
                fixes: Some(index),
            });
        }
        (
            RuleCode::ImpactEvidence,
            FindingData::ImpactOutcome(data::ImpactOutcome { append_offset, .. })
            | FindingData::ImpactEvidence(data::ImpactEvidence { append_offset, .. }),
        ) => {
            // Append a before/after skeleton to the bullet; its placeholders stay flagged
            // until the writer fills them.
            let at = finding
                .range
                .end
                .checked_add(*append_offset)
                .filter(|&a| a <= text.len() && text.is_char_boundary(a));
            if let Some(at) = at {
                out.push(Action {
                    title: "Add a “Before: … After: …” skeleton".to_string(),
                    kind: ActionKind::QuickFix,
                    edits: vec![Edit {
                        range: at..at,
                        new_text: super::impact::skeleton_insertion(text, at),
                    }],
                    preferred: true,
                    fixes: Some(index),
                });
            }
        }
        (RuleCode::EmptyFrontmatter, FindingData::EmptyFrontMatter(empty)) => out.extend(
            front_matter_fixes(text, analysis, finding, &empty.key, index),
        ),
        (RuleCode::SectionOrder, FindingData::SectionOrder(order)) => out.extend(move_section(
            text, analysis, template, finding, order, index,
        )),
        (RuleCode::EmptyField, _) => {
            out.extend(answer_placeholder(text, analysis, template, finding, index))
        }
        (RuleCode::TemplatePrompt, _) => out.extend(prompt_fixes(text, analysis, finding, index)),
        (RuleCode::MissingSection, FindingData::MissingSections(missing)) => {
            // One action per section of the gap, each inserting that section alone.
            let wanted = &missing.sections;
            let edits = missing_section_edits(text, analysis, template);
            for name in wanted {
                let Some((_, edit)) = edits
                    .iter()
                    .find(|(s, _)| template.sections[*s].heading == *name)
                else {
                    continue;
                };
                out.push(Action {
                    title: format!("Insert section “{name}”"),
                    kind: ActionKind::QuickFix,
                    edits: vec![edit.clone()],
                    preferred: wanted.len() == 1,
                    fixes: Some(index),
                });
            }
        }
        _ => {}
    }
    out
}

/// The placeholder left to type over where the template gives none.
pub const ANSWER_PLACEHOLDER: &str = "[answer]";

/// The whole line(s) of `range` with their line ending, for deleting a line.
fn whole_lines(text: &str, range: &Range<usize>) -> Range<usize> {
    let start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i + 1);
    start..end
}

/// The write-up's title heading: a heading above the template's sections that is none of
/// them ("# Moving deployments to GitHub Actions").
fn title_heading(analysis: &Analysis) -> Option<&super::model::Heading> {
    let section_headings: Vec<usize> = analysis
        .sections
        .iter()
        .flat_map(|m| m.headings.iter().copied())
        .collect();
    let level = section_headings
        .iter()
        .filter_map(|&h| analysis.model.headings.get(h))
        .map(|h| h.level)
        .min()
        .unwrap_or(2);
    analysis
        .model
        .headings
        .iter()
        .enumerate()
        .find(|(i, h)| h.level < level && !section_headings.contains(i) && !h.text.is_empty())
        .map(|(_, h)| h)
}

/// `empty-frontmatter`: fill `title` from the title heading, or remove the empty key.
fn front_matter_fixes(
    text: &str,
    analysis: &Analysis,
    finding: &Finding,
    key: &str,
    index: usize,
) -> Vec<Action> {
    let mut out = Vec::new();
    let Some(line) = text.get(finding.range.clone()) else {
        return out;
    };
    if key.eq_ignore_ascii_case("title")
        && let Some(heading) = title_heading(analysis)
    {
        let value = if heading.text.contains([':', '#', '"', '\'', '[', '{']) {
            format!(
                "\"{}\"",
                heading.text.replace('\\', "\\\\").replace('"', "\\\"")
            )
        } else {
            heading.text.clone()
        };
        let colon = line.find(':').map_or(line.len(), |i| i + 1);
        let at = finding.range.start + colon;
        out.push(Action {
            title: format!("Fill `{key}` from the heading “{}”", heading.text),
            kind: ActionKind::QuickFix,
            edits: vec![Edit {
                range: at..finding.range.end,
                new_text: format!(" {value}"),
            }],
            preferred: true,
            fixes: Some(index),
        });
    }
    out.push(Action {
        title: format!("Remove the empty key `{key}`"),
        kind: ActionKind::QuickFix,
        edits: vec![Edit {
            range: whole_lines(text, &finding.range),
            new_text: String::new(),
        }],
        preferred: false,
        fixes: Some(index),
    });
    out
}

/// `section-order`: the section (heading, body and subsections) moved to its template
/// place: after the section the finding names, or before the first section present.
fn move_section(
    text: &str,
    analysis: &Analysis,
    template: &Template,
    finding: &Finding,
    order: &data::SectionOrder,
    index: usize,
) -> Vec<Action> {
    let headings = &analysis.model.headings;
    let Some(heading) = headings.iter().find(|h| h.range == finding.range) else {
        return Vec::new();
    };
    let block = heading.range.start..heading.section_end.min(text.len());
    let section_heading = |name: &str| {
        let s = template.sections.iter().position(|s| s.heading == name)?;
        let h = *analysis.sections.get(s)?.headings.first()?;
        headings.get(h)
    };
    let target = match order.after.as_deref() {
        Some(after) => section_heading(after).map(|h| h.section_end),
        None => analysis
            .sections
            .iter()
            .filter_map(|m| m.headings.first())
            .filter_map(|&h| headings.get(h))
            .map(|h| h.range.start)
            .min(),
    };
    let Some(target) = target.map(|t| t.min(text.len())) else {
        return Vec::new();
    };
    // Moving into itself, or to where it already is, is no move.
    if block.start <= target && target <= block.end {
        return Vec::new();
    }
    let body = &text[block.clone()];
    let mut edits = vec![
        Edit {
            range: block.clone(),
            new_text: String::new(),
        },
        insertion(text, target, body.trim_end()),
    ];
    // Moved from the end: the blank line left before it goes with it.
    if block.end == text.len() && block.start > 0 {
        let kept = text[..block.start].trim_end_matches(['\n', '\r']).len();
        let line_break = if text[kept..block.start].contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        if kept + line_break.len() < block.start {
            edits[0].range.start = kept + line_break.len();
        }
    }
    edits.sort_by_key(|e| e.range.start);
    let section = &order.section;
    let place = match &order.after {
        Some(after) => format!("after “{after}”"),
        None => "to the start".to_string(),
    };
    vec![Action {
        title: format!("Move “{section}” {place}"),
        kind: ActionKind::QuickFix,
        edits,
        preferred: true,
        fixes: Some(index),
    }]
}

/// `empty-field`: a placeholder after the label to type over (the template's own, else
/// `[answer]`), which the placeholder rule keeps flagging until it is answered.
fn answer_placeholder(
    text: &str,
    analysis: &Analysis,
    template: &Template,
    finding: &Finding,
    index: usize,
) -> Vec<Action> {
    let Some(field) = analysis
        .model
        .fields
        .iter()
        .find(|f| f.label_range == finding.range)
    else {
        return Vec::new();
    };
    let placeholder = template
        .sections
        .iter()
        .flat_map(|s| s.fields.iter())
        .find(|f| {
            crate::template::normalize_label(&f.label)
                == crate::template::normalize_label(&field.label)
        })
        .and_then(|f| f.placeholders.first().cloned())
        .unwrap_or_else(|| ANSWER_PLACEHOLDER.to_string());
    let at = field.label_range.end;
    let line_end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
    vec![Action {
        title: format!("Add {placeholder} to type over"),
        kind: ActionKind::QuickFix,
        edits: vec![Edit {
            range: at..line_end,
            new_text: format!(" {placeholder}"),
        }],
        preferred: true,
        fixes: Some(index),
    }]
}

/// `template-prompt`: a field's prompt becomes a placeholder to type over; guidance left
/// in a section can be deleted.
fn prompt_fixes(text: &str, analysis: &Analysis, finding: &Finding, index: usize) -> Vec<Action> {
    let in_field = analysis.model.fields.iter().any(|f| {
        f.value_range.start <= finding.range.start && finding.range.end <= f.value_range.end
    });
    if in_field {
        return vec![Action {
            title: format!("Replace the prompt with {ANSWER_PLACEHOLDER} to type over"),
            kind: ActionKind::QuickFix,
            edits: vec![Edit {
                range: finding.range.clone(),
                new_text: ANSWER_PLACEHOLDER.to_string(),
            }],
            preferred: true,
            fixes: Some(index),
        }];
    }
    vec![Action {
        title: "Delete the template guidance".to_string(),
        kind: ActionKind::QuickFix,
        edits: vec![Edit {
            range: whole_lines(text, &finding.range),
            new_text: String::new(),
        }],
        preferred: false,
        fixes: Some(index),
    }]
}

/// What a rewrite that needs an outcome inserts: the placeholder rule flags it until the
/// writer says who benefited.
pub const OUTCOME_PLACEHOLDER: &str = "so that [who benefited and how]";

/// The byte range of the sentence around `range`: from after the previous sentence end (or
/// line start) to before the next terminal punctuation (or line end).
fn sentence_around(text: &str, range: &Range<usize>) -> Range<usize> {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let start = text[line_start..range.start]
        .rfind(['.', '!', '?', ';'])
        .map_or(line_start, |i| line_start + i + 1);
    let start =
        start + (text[start..range.start].len() - text[start..range.start].trim_start().len());
    let end = text[range.end..]
        .find(['.', '!', '?', ';', '\n', '\r'])
        .map_or(text.len(), |i| range.end + i);
    start..end
}

/// The action `first` plus an outcome placeholder at the end of the sentence ("I led the
/// migration so that [who benefited and how].") — offered when the sentence states no
/// outcome yet.
fn with_outcome(text: &str, finding: &Finding, first: Action) -> Option<Action> {
    let sentence = sentence_around(text, &finding.range);
    let body = text.get(sentence.clone())?.to_lowercase();
    if [
        "so that", "so the", "so we", "which ", "enabling", "allowing", "to help",
    ]
    .iter()
    .any(|w| body.contains(w))
    {
        return None;
    }
    let edit = first.edits.first()?.clone();
    if edit.range.end > sentence.end {
        return None;
    }
    let tail = text[edit.range.end..sentence.end].trim_end();
    let insert_at = edit.range.end + tail.len();
    let mut edits = vec![edit];
    edits.push(Edit {
        range: insert_at..insert_at,
        new_text: format!(" {OUTCOME_PLACEHOLDER}"),
    });
    Some(Action {
        title: format!("{} and add the outcome", first.title),
        kind: ActionKind::QuickFix,
        edits,
        preferred: false,
        fixes: first.fixes,
    })
}

/// Removals of a hedging or shrinking frame that has no word-level rewrite: the phrase and
/// its comma ("To some extent, the migration…" → "The migration…"; "It was nothing fancy,
/// a script" → "It was a script"), or the whole opening clause that holds it ("I'm not sure
/// it was the right call, but we went with Consul" → "We went with Consul").
fn frame_removals(text: &str, finding: &Finding, index: usize) -> Vec<Action> {
    let mut out = Vec::new();
    let flagged = text.get(finding.range.clone()).unwrap_or("").trim();
    let sentence = sentence_around(text, &finding.range);
    let Some(comma) = text[finding.range.end..sentence.end].find(',') else {
        return out;
    };
    let comma = finding.range.end + comma;
    let after_comma = comma + 1 + (text[comma + 1..].len() - text[comma + 1..].trim_start().len());
    // Skip a conjunction that would be left dangling ("…, but we went").
    let rest = &text[after_comma..sentence.end];
    let conjunction = ["but ", "and ", "so "]
        .iter()
        .find(|c| rest.len() > c.len() && rest[..c.len()].eq_ignore_ascii_case(c))
        .map_or(0, |c| c.len());
    let next = after_comma + conjunction;
    let before = text[sentence.start..finding.range.start].trim();
    let recased = |from: usize| -> String {
        let word_end = text[from..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(text.len(), |i| from + i);
        let word = &text[from..word_end];
        let mut chars = word.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    };
    let phrase_only = comma == finding.range.end
        && (before.is_empty()
            || ["was", "is", "were", "are"]
                .iter()
                .any(|v| before.ends_with(v)));
    if phrase_only {
        let (edit, title) = if before.is_empty() {
            let word_end = text[after_comma..]
                .find(|c: char| !c.is_alphanumeric())
                .map_or(text.len(), |i| after_comma + i);
            (
                Edit {
                    range: sentence.start..word_end,
                    new_text: recased(after_comma),
                },
                format!("Remove “{flagged},”"),
            )
        } else {
            (
                Edit {
                    range: finding.range.start..after_comma,
                    new_text: String::new(),
                },
                format!("Remove “{flagged},”"),
            )
        };
        out.push(Action {
            title,
            kind: ActionKind::QuickFix,
            edits: vec![edit],
            preferred: true,
            fixes: Some(index),
        });
    } else if next < sentence.end {
        let word_end = text[next..]
            .find(|c: char| !c.is_alphanumeric())
            .map_or(text.len(), |i| next + i);
        let clause = text[sentence.start..comma].trim();
        out.push(Action {
            title: format!("Remove the opening clause “{clause},”"),
            kind: ActionKind::QuickFix,
            edits: vec![Edit {
                range: sentence.start..word_end,
                new_text: recased(next),
            }],
            // The clause says more than the hedge ("I'm not sure it was the right call"):
            // whether to drop it is the writer's call, so it is never preferred.
            preferred: false,
            fixes: Some(index),
        });
    }
    out
}

/// Active rewrites of a passive that hides who acted: "The pipeline was deployed last
/// year" → "I deployed the pipeline last year" (and "We …"), or naming the actor in place
/// ("was deployed by [who]").
fn passive_rewrites(text: &str, finding: &Finding, index: usize) -> Vec<Action> {
    let mut out = Vec::new();
    let flagged = text.get(finding.range.clone()).unwrap_or("");
    // The flagged words are a form of "be" (or "got") and the participle, last.
    let Some(participle) = flagged.split_whitespace().last() else {
        return out;
    };
    if flagged.split_whitespace().count() < 2 {
        return out;
    }
    let sentence = sentence_around(text, &finding.range);
    let subject = text[sentence.start..finding.range.start].trim();
    // The subject must be a plain noun phrase that becomes the object: not a clause
    // opener ("And as things"), not a pronoun that would dangle ("It", "This"), and the
    // flagged words must open with the form of "be" ("has been updated" keeps "has").
    let first_word = subject
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    let last_word = subject
        .split_whitespace()
        .last()
        .unwrap_or("")
        .to_lowercase();
    let opener = [
        "and", "but", "or", "so", "as", "because", "when", "while", "if", "how", "that", "which",
        "where", "once", "since", "after", "before", "then",
    ];
    let dangling = [
        "it", "this", "that", "these", "those", "they", "there", "which", "who",
    ];
    let be_first = flagged
        .split_whitespace()
        .next()
        .is_some_and(|w| matches!(w.to_lowercase().as_str(), "was" | "were" | "got"));
    let simple_subject = !subject.is_empty()
        && be_first
        && subject.split_whitespace().count() <= 6
        && !opener.contains(&first_word.as_str())
        && !dangling.contains(&first_word.as_str())
        && !matches!(
            last_word.as_str(),
            "has" | "have" | "had" | "will" | "would"
        )
        && subject.starts_with(|c: char| c.is_alphanumeric())
        && !subject.contains([',', ':', '(', ')', '"', '`', '*', '[', ']']);
    // "I …" says the writer did it, which the passive did not say: a section that tells
    // the project ("Project Overview") holds other people's work and the old state too
    // ("half of the services were written in Node"). The rewrite is an alternative to
    // choose only if true; the preferred fix asks who did it.
    if simple_subject && let Some(past) = past_of_participle(participle) {
        let object = lowercase_article(subject);
        for who in ["I", "We"] {
            out.push(Action {
                title: format!("Rewrite as “{who} {past} {object}” (only if {who} did it)"),
                kind: ActionKind::QuickFix,
                edits: vec![Edit {
                    range: sentence.start..finding.range.end,
                    new_text: format!("{who} {past} {object}"),
                }],
                preferred: false,
                fixes: Some(index),
            });
        }
    }
    // "… were iterated upon": the verb's own preposition closes the clause; "by [who]"
    // cannot go between them.
    let after = text[finding.range.end..sentence.end].trim_start();
    let next_word: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
    let rest = after[next_word.len()..].trim_start();
    let stranded = matches!(
        next_word.to_lowercase().as_str(),
        "upon" | "on" | "with" | "to" | "for" | "of" | "in" | "up" | "out" | "off" | "over"
    ) && (rest.is_empty() || rest.starts_with(['.', ',', ';', ':', '!', '?', ')']));
    if stranded {
        return out;
    }
    // After the verb's particle: "was broken down by [who]", not "broken by [who] down".
    let particle_end = {
        let rest = &text[finding.range.end..sentence.end];
        let word: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphabetic())
            .collect();
        let lead = rest.len() - rest.trim_start().len();
        if matches!(
            word.to_lowercase().as_str(),
            "out" | "up" | "down" | "off" | "away" | "back" | "over"
        ) {
            finding.range.end + lead + word.len()
        } else {
            finding.range.end
        }
    };
    out.push(Action {
        title: "Name who did it (“by [who]”)".to_string(),
        kind: ActionKind::QuickFix,
        edits: vec![Edit {
            range: particle_end..particle_end,
            new_text: " by [who]".to_string(),
        }],
        preferred: true,
        fixes: Some(index),
    });
    out
}

/// The simple past of a participle, from the language layer where it knows the verb
/// ("broken" → "broke"), else from the phrase tables' word list.
fn past_of_participle(participle: &str) -> Option<String> {
    let lower = participle.to_lowercase();
    crate::language::past_of_participle(&lower)
        .or_else(|| crate::rules::phrases::past_of_participle(participle))
}

/// Rows whose flagged words name who was helped ("helped the data team with"): the
/// prompt replaces only their verb, so the people stay.
const ROWS_NAMING_WHO: &[&str] = &[
    "helped-someone-with",
    "assisted-someone-with",
    "help-present",
];

/// The part of a weak-verb finding that the `[what you did]` prompt replaces: the whole
/// vague phrase ("took part in", "was tasked with"), except where the phrase names who
/// was helped, whose names stay ("Assisted the data team with" → "[what you did] the data
/// team with"). Returns the range and its text.
fn prompt_range<'t>(
    text: &'t str,
    finding: &Finding,
    wording: &data::Wording,
) -> (Range<usize>, &'t str, &'static str) {
    let flagged = text.get(finding.range.clone()).unwrap_or("");
    let row = wording.rule.as_str();
    // "Helped to ensure the UI is consistent" → "[what you did] to ensure the UI is
    // consistent": the writer's own verb stays, only the help is asked about.
    if ROWS_ENDING_IN_VERB.contains(&row)
        && let Some(at) = flagged.trim_end().rfind(char::is_whitespace)
    {
        let range = finding.range.start..finding.range.start + at + 1;
        return (range.clone(), text.get(range).unwrap_or(""), " to ");
    }
    if !ROWS_NAMING_WHO.contains(&row) {
        return (finding.range.clone(), flagged, "");
    }
    let end = flagged.find(char::is_whitespace).unwrap_or(flagged.len());
    let range = finding.range.start..finding.range.start + end;
    (range.clone(), text.get(range).unwrap_or(""), "")
}

/// Rows whose flagged words end with the writer's own verb after "help" ("helped
/// migrate", "help test").
const ROWS_ENDING_IN_VERB: &[&str] = &["helped-verb", "helped-any-verb", "help-verb-present"];

/// A sentence-initial subject as an object: "The pipeline" → "the pipeline"; proper nouns
/// and acronyms ("Jenkins", "CI") keep their case.
fn lowercase_article(subject: &str) -> String {
    let first = subject.split_whitespace().next().unwrap_or("");
    if matches!(
        first,
        "The"
            | "A"
            | "An"
            | "Our"
            | "My"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "All"
            | "Each"
            | "Every"
    ) || (first.chars().skip(1).all(|c| c.is_lowercase())
        && crate::language::is_common_word(&first.to_lowercase()))
    {
        // "The pipeline" → "the pipeline"; "Conflict was resolved" → "I resolved conflict";
        // "Jenkins", "AWS" keep their case.
        let mut chars = subject.chars();
        chars
            .next()
            .map(|c| c.to_lowercase().chain(chars).collect())
            .unwrap_or_default()
    } else {
        subject.to_string()
    }
}

/// The range a wording finding's replacements apply to (the flagged words, widened as the
/// phrase engine said: over the following space, or the next word to re-case it).
fn phrase_fix_range(text: &str, finding: &Finding, wording: &data::Wording) -> Range<usize> {
    let start = (finding.range.start as i64).saturating_add(wording.fix_start);
    let end = (finding.range.end as i64).saturating_add(wording.fix_end);
    let valid = 0 <= start
        && start <= end
        && (end as usize) <= text.len()
        && text.is_char_boundary(start as usize)
        && text.is_char_boundary(end as usize);
    if valid {
        start as usize..end as usize
    } else {
        finding.range.clone()
    }
}

/// When the sentence holding a wording finding is one of the template's ❌ examples (case
/// and punctuation aside), the range of that example in the text and its ✅ reframe.
fn template_reframe(
    text: &str,
    finding: &Finding,
    template: &Template,
) -> Option<(Range<usize>, String)> {
    let line_start = text[..finding.range.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[finding.range.end..]
        .find('\n')
        .map_or(text.len(), |i| finding.range.end + i);
    let line = &text[line_start..line_end];
    let lower = line.to_lowercase();
    // Lowercasing can change byte lengths outside ASCII; only trust equal lengths.
    if lower.len() != line.len() {
        return None;
    }
    for reframe in &template.reframes {
        let weak = reframe.weak.to_lowercase();
        let mut from = 0;
        while let Some(at) = lower[from..].find(&weak) {
            let start = line_start + from + at;
            let end = start + weak.len();
            let whole_words = !line[..from + at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && !text[end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            if whole_words && start <= finding.range.start && finding.range.end <= end {
                return Some((start..end, reframe.strong.clone()));
            }
            from += at + weak.len().max(1);
        }
    }
    None
}

/// One insertion per missing template section (section index, edit), at its template
/// position: after the nearest earlier template section present in the document.
pub fn missing_section_edits(
    text: &str,
    analysis: &Analysis,
    template: &Template,
) -> Vec<(usize, Edit)> {
    let headings = &analysis.model.headings;
    let mut out: Vec<(usize, Edit)> = Vec::new();
    for (index, (section, m)) in template.sections.iter().zip(&analysis.sections).enumerate() {
        if m.status != SectionStatus::Missing || section.guidance_only {
            continue;
        }
        let previous_end = (0..index).rev().find_map(|i| {
            let h = *analysis.sections[i].headings.first()?;
            Some(headings.get(h)?.section_end)
        });
        let at = match previous_end {
            Some(end) => end,
            // Nothing before it: insert before the first template section present, or at
            // the end of the front matter / start of the text.
            None => analysis
                .sections
                .iter()
                .filter_map(|m| m.headings.first())
                .filter_map(|&h| headings.get(h))
                .map(|h| h.range.start)
                .min()
                .or_else(|| analysis.model.front_matter.as_ref().map(|f| f.range.end))
                .unwrap_or(0),
        };
        let block = format!("{}\n\n{}\n", section.heading_line(), section.body);
        out.push((index, insertion(text, at, &block)));
    }
    out
}

/// Insertions going to the same place joined in template order into one edit (clients
/// order insertions at one position differently).
fn merge_insertions(edits: Vec<(usize, Edit)>) -> Vec<Edit> {
    let mut merged: Vec<Edit> = Vec::new();
    for (_, edit) in edits {
        match merged.last_mut() {
            Some(last) if last.range == edit.range => {
                last.new_text = join_blocks(&last.new_text, &edit.new_text);
            }
            _ => merged.push(edit),
        }
    }
    merged
}

fn join_blocks(a: &str, b: &str) -> String {
    format!(
        "{}\n\n{}",
        a.trim_end_matches('\n'),
        b.trim_start_matches('\n')
    )
}

/// An insertion of a markdown block at byte `at`, with blank lines around it as needed.
pub(crate) fn insertion(text: &str, at: usize, block: &str) -> Edit {
    let at = at.min(text.len());
    let before = &text[..at];
    let after = &text[at..];
    let mut new_text = String::new();
    if !before.is_empty() && !before.ends_with("\n\n") {
        new_text.push_str(if before.ends_with('\n') { "\n" } else { "\n\n" });
    }
    new_text.push_str(block.trim_end_matches('\n'));
    new_text.push('\n');
    if !after.is_empty() {
        new_text.push('\n');
    }
    Edit {
        range: at..at,
        new_text,
    }
}
