//! What a finding carries besides its message: the facts its code actions and hover need
//! (the rewrites, the section to insert, where a skeleton goes...), one type per kind of
//! finding.
//!
//! The server sends this as the LSP `Diagnostic.data` and `reframe check --format json`
//! prints it, and clients hand it back (in `codeAction` requests' diagnostics), so its JSON
//! is a wire format: each variant serialises to exactly the object the findings carried
//! when it was untyped — the same keys, camelCase, every key always present, `null` for an
//! absent value (`tests` below hold literal objects). Fields are declared in the order of
//! their keys' names, which is the order `serde_json` printed the untyped objects in (its
//! map sorts keys), so the text is the same whether the value is printed directly or
//! through a `serde_json::Value`, and whether or not `serde_json` keeps insertion order.
//!
//! The JSON names no variant: [`FindingData`] is `untagged`, and each variant is known by
//! its set of keys. Every variant refuses keys it does not have and needs every key it
//! has (`null` included), and no two variants have the same set of keys, so reading the
//! JSON back gives the value that was written, or an error — never another variant.

use serde::{Deserialize, Deserializer, Serialize};

/// The data of one finding. Which variant a finding holds follows from its code (see each
/// variant); a reader matches on it and has nothing to do for a variant it does not expect.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FindingData {
    /// The wording rules (`weak-verb`, `minimizer`, `hedge`, `passive-voice`, configured
    /// phrases).
    Wording(Wording),
    /// `placeholder`.
    Placeholder(Placeholder),
    /// `empty-field`.
    EmptyField(EmptyField),
    /// `template-prompt` in a field's value.
    FieldPrompt(FieldPrompt),
    /// `template-prompt`: the template's guidance left in a section.
    Guidance(Guidance),
    /// `empty-frontmatter`.
    EmptyFrontMatter(EmptyFrontMatter),
    /// `section-heading`.
    SectionHeading(SectionHeading),
    /// `missing-section`.
    MissingSections(MissingSections),
    /// `section-order`.
    SectionOrder(SectionOrder),
    /// `empty-section`.
    EmptySection(EmptySection),
    /// `impact-evidence` on an accomplishment that states no outcome.
    ImpactOutcome(ImpactOutcome),
    /// `impact-evidence` on an outcome stated without evidence.
    ImpactEvidence(ImpactEvidence),
    /// `unknown-template`.
    UnknownTemplate(UnknownTemplate),
}

/// A wording finding: the phrase row that matched and its rewrites.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Wording {
    /// Whether a `[what you did]` prompt may be offered when no rewrite keeps the meaning.
    pub ask: bool,
    /// The field the words are in.
    #[serde(deserialize_with = "present")]
    pub field: Option<String>,
    /// Where the replacements go, relative to the flagged words: bytes added to their end
    /// and to their start.
    pub fix_end: i64,
    pub fix_start: i64,
    /// Whether the first replacement says the same in stronger words (preferred) rather
    /// than claiming more (an alternative to choose only if true).
    pub keeps_meaning: bool,
    /// The rewrites of the flagged words, best first ("" removes them).
    pub replacements: Vec<String>,
    /// The phrase row's identifier.
    pub rule: String,
    /// The template section they are in (its name; empty outside any).
    pub section: String,
}

/// An unfilled `[placeholder]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Placeholder {
    /// The field it is in.
    #[serde(deserialize_with = "present")]
    pub field: Option<String>,
    /// Whether it is one of the template's own placeholders.
    pub from_template: bool,
    /// The text between the brackets.
    pub placeholder: String,
    /// The template section it is in (empty outside any).
    pub section: String,
}

/// A field with no answer.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmptyField {
    pub field: String,
    /// The template section it is in (empty outside any).
    pub section: String,
}

/// A field whose value starts with the template's prompt or example.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldPrompt {
    pub field: String,
    /// The template's prompt for the field.
    pub prompt: String,
    /// The template section it is in (empty outside any).
    pub section: String,
}

/// The template's guidance left in a section to fill.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Guidance {
    pub section: String,
}

/// A front-matter key with no value.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmptyFrontMatter {
    pub key: String,
}

/// A heading that stands for a template section in other words.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SectionHeading {
    /// The whole heading line to replace it with ("## 5. Impact (Ops Style)").
    pub replacement: String,
    /// The template section's heading text.
    pub section: String,
}

/// Consecutive template sections missing after one that is present.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MissingSections {
    /// The template section present that they follow; `None`: they start the write-up.
    #[serde(deserialize_with = "present")]
    pub after: Option<String>,
    /// The first of `sections` (kept for clients that read one section).
    #[serde(deserialize_with = "present")]
    pub section: Option<String>,
    /// The missing sections' headings, in template order.
    pub sections: Vec<String>,
}

impl MissingSections {
    pub fn new(sections: Vec<String>, after: Option<String>) -> Self {
        MissingSections {
            after,
            section: sections.first().cloned(),
            sections,
        }
    }
}

/// A section out of its template order.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SectionOrder {
    /// The section it belongs after; `None`: first.
    #[serde(deserialize_with = "present")]
    pub after: Option<String>,
    /// The template section's heading text.
    pub section: String,
}

/// A heading with nothing under it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmptySection {
    /// The heading's text.
    pub heading: String,
    /// The template section the heading stands for, if any.
    #[serde(deserialize_with = "present")]
    pub section: Option<String>,
}

/// An accomplishment that says what was done and not what it changed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImpactOutcome {
    /// Where the before/after skeleton goes, in bytes after the flagged words (relative,
    /// so the finding stays right wherever its part of the document moves).
    pub append_offset: usize,
    pub section: String,
}

/// An outcome stated with no figure or before and after.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImpactEvidence {
    /// Where the skeleton goes, in bytes after the flagged words.
    pub append_offset: usize,
    /// The field the outcome is in.
    #[serde(deserialize_with = "present")]
    pub field: Option<String>,
    pub section: String,
}

/// A front matter's `template:` naming no known template.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UnknownTemplate {
    pub template: String,
}

impl FindingData {
    /// The wording data, for the wording rules' fixes.
    pub fn wording(&self) -> Option<&Wording> {
        match self {
            FindingData::Wording(w) => Some(w),
            _ => None,
        }
    }
}

/// An optional value whose key must be there (`null` when absent): serde would otherwise
/// read a missing key as `None`, and a variant with fewer keys could be read as another.
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn s(text: &str) -> String {
        text.to_string()
    }

    /// One value of every variant (with `None` where a field may be absent, and a
    /// variant with the most keys of the same names beside one with the fewest), each with
    /// the JSON the untyped findings sent: objects taken from `reframe check --format json`
    /// before the data had a type.
    fn examples() -> Vec<(FindingData, Value)> {
        vec![
            (
                FindingData::Wording(Wording {
                    rule: s("weak-verb-gerund"),
                    replacements: vec![s("set")],
                    ask: true,
                    keeps_meaning: false,
                    fix_start: 0,
                    fix_end: 0,
                    field: Some(s("What You Did")),
                    section: s("1. Project Overview"),
                }),
                json!({"ask": true, "field": "What You Did", "fixEnd": 0, "fixStart": 0,
                       "keepsMeaning": false, "replacements": ["set"],
                       "rule": "weak-verb-gerund", "section": "1. Project Overview"}),
            ),
            (
                FindingData::Wording(Wording {
                    rule: s("i-think"),
                    replacements: vec![s("It")],
                    ask: true,
                    keeps_meaning: true,
                    fix_start: 0,
                    fix_end: 3,
                    field: None,
                    section: s("2. The Problem/Need"),
                }),
                json!({"ask": true, "field": null, "fixEnd": 3, "fixStart": 0,
                       "keepsMeaning": true, "replacements": ["It"], "rule": "i-think",
                       "section": "2. The Problem/Need"}),
            ),
            (
                FindingData::Wording(Wording {
                    rule: s("shift"),
                    replacements: vec![],
                    ask: false,
                    keeps_meaning: false,
                    fix_start: -2,
                    fix_end: 1,
                    field: None,
                    section: s(""),
                }),
                json!({"ask": false, "field": null, "fixEnd": 1, "fixStart": -2,
                       "keepsMeaning": false, "replacements": [], "rule": "shift",
                       "section": ""}),
            ),
            (
                FindingData::Placeholder(Placeholder {
                    placeholder: s("Responsibilities"),
                    field: Some(s("Your Role")),
                    section: s("1. Project Overview"),
                    from_template: true,
                }),
                json!({"field": "Your Role", "fromTemplate": true,
                       "placeholder": "Responsibilities", "section": "1. Project Overview"}),
            ),
            (
                FindingData::Placeholder(Placeholder {
                    placeholder: s("who benefited and how"),
                    field: None,
                    section: s("2. The Problem/Need"),
                    from_template: false,
                }),
                json!({"field": null, "fromTemplate": false,
                       "placeholder": "who benefited and how",
                       "section": "2. The Problem/Need"}),
            ),
            (
                FindingData::EmptyField(EmptyField {
                    field: s("Pain points"),
                    section: s("2. The Problem/Need"),
                }),
                json!({"field": "Pain points", "section": "2. The Problem/Need"}),
            ),
            (
                FindingData::FieldPrompt(FieldPrompt {
                    field: s("Who was affected?"),
                    section: s("2. The Problem/Need"),
                    prompt: s("Dev teams? End users? On-call engineers?"),
                }),
                json!({"field": "Who was affected?",
                       "prompt": "Dev teams? End users? On-call engineers?",
                       "section": "2. The Problem/Need"}),
            ),
            (
                FindingData::Guidance(Guidance {
                    section: s("5. Impact (Ops Style)"),
                }),
                json!({"section": "5. Impact (Ops Style)"}),
            ),
            (
                FindingData::EmptyFrontMatter(EmptyFrontMatter { key: s("tags") }),
                json!({"key": "tags"}),
            ),
            (
                FindingData::SectionHeading(SectionHeading {
                    section: s("5. Impact (Ops Style)"),
                    replacement: s("## 5. Impact (Ops Style)"),
                }),
                json!({"replacement": "## 5. Impact (Ops Style)",
                       "section": "5. Impact (Ops Style)"}),
            ),
            (
                FindingData::MissingSections(MissingSections::new(
                    vec![s("4. Technical Details"), s("5. Impact (Ops Style)")],
                    Some(s("3. What You Built/Implemented")),
                )),
                json!({"after": "3. What You Built/Implemented",
                       "section": "4. Technical Details",
                       "sections": ["4. Technical Details", "5. Impact (Ops Style)"]}),
            ),
            (
                FindingData::MissingSections(MissingSections::new(
                    vec![s("1. Project Overview")],
                    None,
                )),
                json!({"after": null, "section": "1. Project Overview",
                       "sections": ["1. Project Overview"]}),
            ),
            (
                FindingData::MissingSections(MissingSections::new(Vec::new(), None)),
                json!({"after": null, "section": null, "sections": []}),
            ),
            (
                FindingData::SectionOrder(SectionOrder {
                    section: s("Outcome"),
                    after: Some(s("What I Did")),
                }),
                json!({"after": "What I Did", "section": "Outcome"}),
            ),
            (
                FindingData::SectionOrder(SectionOrder {
                    section: s("1. Project Overview"),
                    after: None,
                }),
                json!({"after": null, "section": "1. Project Overview"}),
            ),
            (
                FindingData::EmptySection(EmptySection {
                    section: Some(s("[Month or quarter]")),
                    heading: s("March 2026"),
                }),
                json!({"heading": "March 2026", "section": "[Month or quarter]"}),
            ),
            (
                FindingData::EmptySection(EmptySection {
                    section: None,
                    heading: s("Notes for later"),
                }),
                json!({"heading": "Notes for later", "section": null}),
            ),
            (
                FindingData::ImpactOutcome(ImpactOutcome {
                    section: s("January 2026"),
                    append_offset: 0,
                }),
                json!({"appendOffset": 0, "section": "January 2026"}),
            ),
            (
                FindingData::ImpactEvidence(ImpactEvidence {
                    field: Some(s("Reliability")),
                    section: s("5. Impact (Ops Style)"),
                    append_offset: 33,
                }),
                json!({"appendOffset": 33, "field": "Reliability",
                       "section": "5. Impact (Ops Style)"}),
            ),
            (
                FindingData::ImpactEvidence(ImpactEvidence {
                    field: None,
                    section: s("February 2026"),
                    append_offset: 40,
                }),
                json!({"appendOffset": 40, "field": null, "section": "February 2026"}),
            ),
            (
                FindingData::UnknownTemplate(UnknownTemplate {
                    template: s("nosuch-template"),
                }),
                json!({"template": "nosuch-template"}),
            ),
        ]
    }

    #[test]
    fn every_variant_serialises_to_the_json_clients_rely_on_and_back() {
        for (data, expected) in examples() {
            let value = serde_json::to_value(&data).expect("serialises");
            assert_eq!(value, expected, "{data:?}");
            // The text, key order included, is the untyped object's.
            let text = serde_json::to_string(&data).expect("serialises");
            assert_eq!(text, expected.to_string(), "{data:?}");
            let back: FindingData = serde_json::from_value(value).expect("reads back");
            assert_eq!(back, data);
            let back: FindingData = serde_json::from_str(&text).expect("reads back");
            assert_eq!(back, data);
        }
    }

    #[test]
    fn every_variant_is_in_the_examples() {
        // A new variant must get an example above: this match stops compiling otherwise.
        let mut seen = [false; 13];
        for (data, _) in examples() {
            let i = match data {
                FindingData::Wording(_) => 0,
                FindingData::Placeholder(_) => 1,
                FindingData::EmptyField(_) => 2,
                FindingData::FieldPrompt(_) => 3,
                FindingData::Guidance(_) => 4,
                FindingData::EmptyFrontMatter(_) => 5,
                FindingData::SectionHeading(_) => 6,
                FindingData::MissingSections(_) => 7,
                FindingData::SectionOrder(_) => 8,
                FindingData::EmptySection(_) => 9,
                FindingData::ImpactOutcome(_) => 10,
                FindingData::ImpactEvidence(_) => 11,
                FindingData::UnknownTemplate(_) => 12,
            };
            seen[i] = true;
        }
        assert!(seen.iter().all(|&s| s), "{seen:?}");
    }

    #[test]
    fn a_key_missing_or_added_is_an_error_not_another_variant() {
        for (_, expected) in examples() {
            let Value::Object(map) = expected else {
                panic!("an object");
            };
            for key in map.keys() {
                let mut fewer = map.clone();
                fewer.remove(key);
                let read = serde_json::from_value::<FindingData>(Value::Object(fewer.clone()));
                // Taking a key away may leave another variant's exact set of keys (a
                // section order without `after` is guidance): then it must read as that.
                if let Ok(data) = read {
                    assert_eq!(serde_json::to_value(&data).ok(), Some(Value::Object(fewer)));
                }
            }
            let mut more = map.clone();
            more.insert(s("extra"), json!(1));
            assert!(serde_json::from_value::<FindingData>(Value::Object(more)).is_err());
        }
        for bad in [
            json!(null),
            json!([]),
            json!("section"),
            json!({}),
            json!({"section": 5}),
            json!({"appendOffset": -1, "section": "Impact"}),
            json!({"after": "x", "section": null}),
        ] {
            assert!(
                serde_json::from_value::<FindingData>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }
}
