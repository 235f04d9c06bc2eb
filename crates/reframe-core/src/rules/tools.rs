//! The table of common ops tools, their categories and usual alternatives, and the nouns
//! that state scale: data in `tools.toml` beside this file, embedded in the binary.
//! [`ToolTable::mentions`] finds the tools a piece of prose names; [`ToolTable::scales`]
//! finds stated sizes ("14 services", "~40 engineers").

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

/// The table's source, embedded.
pub const TOOLS_SOURCE: &str = include_str!("tools.toml");

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    #[serde(default)]
    scale: ScaleSpec,
    #[serde(default)]
    category: Vec<Category>,
    #[serde(default)]
    tool: Vec<Tool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleSpec {
    #[serde(default)]
    nouns: Vec<String>,
}

/// A kind of tool, with the questions asked about the one a write-up chose.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// What tools name in `category`.
    pub id: String,
    /// The failure question ("What happens when … fails?"), with `{tool}` for the tool's
    /// name; may be empty.
    #[serde(default)]
    pub failure: String,
    /// The reliability question ("How do you know … is reliable?"), with `{tool}`; may be
    /// empty.
    #[serde(default)]
    pub reliability: String,
}

/// One tool of the table.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// The name questions use.
    pub name: String,
    /// Other spellings that name it.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The id of its [`Category`].
    pub category: String,
    /// The usual alternatives, most usual first.
    #[serde(default)]
    pub alternatives: Vec<String>,
    /// Match the name and aliases only in the case written (the name is also a word).
    #[serde(default)]
    pub exact: bool,
}

/// Where prose names a tool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// Index into [`ToolTable::tools`].
    pub tool: usize,
    /// Byte range in the text searched.
    pub range: Range<usize>,
}

/// A stated size: a number followed by a scale noun ("14 services").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scale {
    /// The number as a value (thousands separators dropped).
    pub value: u64,
    /// The number as written ("14", "1,200").
    pub number: String,
    /// The noun as written ("services").
    pub noun: String,
    /// The noun's rank in the table (lower is more telling).
    pub rank: usize,
    /// The number was hedged ("~40", "about 40").
    pub approximate: bool,
    /// Byte range of the number and the noun in the text searched.
    pub range: Range<usize>,
}

/// The compiled table.
#[derive(Debug, Default)]
pub struct ToolTable {
    /// The tools, in table order.
    pub tools: Vec<Tool>,
    /// The categories, in table order.
    pub categories: Vec<Category>,
    /// Scale nouns, most telling first.
    pub scale_nouns: Vec<String>,
    /// Case-insensitive names (lowercased key → tool) and their regex.
    folded: Option<(Regex, HashMap<String, usize>)>,
    /// Names matched only as written.
    exact: Option<(Regex, HashMap<String, usize>)>,
    scale: Option<Regex>,
}

/// Builds a regex matching any of `names` as whole words, longest first.
fn alternation(names: &[&str], case_insensitive: bool) -> Option<Regex> {
    if names.is_empty() {
        return None;
    }
    let mut sorted: Vec<&str> = names.to_vec();
    sorted.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let body = sorted
        .iter()
        .map(|n| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|");
    let flags = if case_insensitive { "(?i)" } else { "" };
    Regex::new(&format!(r"{flags}\b(?:{body})\b")).ok()
}

impl ToolTable {
    /// The embedded table, compiled once. Should the embedded data ever fail to parse (a
    /// test guards against it), the table is empty and no tool questions are asked.
    pub fn builtin() -> &'static ToolTable {
        static TABLE: OnceLock<ToolTable> = OnceLock::new();
        TABLE.get_or_init(|| ToolTable::parse(TOOLS_SOURCE).unwrap_or_default())
    }

    /// Parses and compiles a table in the form of `tools.toml`.
    pub fn parse(source: &str) -> Result<ToolTable, String> {
        let file: TableFile = toml::from_str(source).map_err(|e| e.to_string())?;
        let mut folded_names: Vec<(String, usize)> = Vec::new();
        let mut exact_names: Vec<(String, usize)> = Vec::new();
        for (index, tool) in file.tool.iter().enumerate() {
            for name in std::iter::once(&tool.name).chain(&tool.aliases) {
                if tool.exact {
                    exact_names.push((name.clone(), index));
                } else {
                    folded_names.push((name.to_lowercase(), index));
                }
            }
        }
        let build = |names: &[(String, usize)], fold: bool| {
            let list: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
            alternation(&list, fold).map(|re| (re, names.iter().cloned().collect()))
        };
        let nouns: Vec<&str> = file.scale.nouns.iter().map(String::as_str).collect();
        let scale = (!nouns.is_empty())
            .then(|| {
                let mut sorted = nouns.clone();
                sorted.sort_by_key(|n| std::cmp::Reverse(n.len()));
                let body = sorted
                    .iter()
                    .map(|n| regex::escape(n))
                    .collect::<Vec<_>>()
                    .join("|");
                Regex::new(&format!(
                    r"(?i)(?P<approx>~|≈|\babout\s+|\baround\s+|\bover\s+|\bnearly\s+|\balmost\s+|\broughly\s+|\bsome\s+|\bmore than\s+)?\b(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+)\+?\s+(?:[a-z][\w-]*\s+)?(?P<noun>{body})\b"
                ))
                .ok()
            })
            .flatten();
        Ok(ToolTable {
            folded: build(&folded_names, true),
            exact: build(&exact_names, false),
            tools: file.tool,
            categories: file.category,
            scale_nouns: file.scale.nouns,
            scale,
        })
    }

    /// The category with this id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The tool with this name or alias (any case).
    pub fn tool_named(&self, name: &str) -> Option<usize> {
        self.tools.iter().position(|t| {
            t.name.eq_ignore_ascii_case(name)
                || t.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        })
    }

    /// The tools `text` names, in order, overlaps resolved in favour of the longer name.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let mut found: Vec<Mention> = Vec::new();
        for (matcher, fold) in [(&self.folded, true), (&self.exact, false)] {
            let Some((re, names)) = matcher else {
                continue;
            };
            for m in re.find_iter(text) {
                let key = if fold {
                    m.as_str().to_lowercase()
                } else {
                    m.as_str().to_string()
                };
                if let Some(&tool) = names.get(&key) {
                    found.push(Mention {
                        tool,
                        range: m.range(),
                    });
                }
            }
        }
        found.sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end)));
        let mut out: Vec<Mention> = Vec::new();
        for mention in found {
            if out
                .last()
                .is_some_and(|last| mention.range.start < last.range.end)
            {
                continue;
            }
            out.push(mention);
        }
        out
    }

    /// The sizes `text` states ("14 services", "~40 engineers"), in order.
    pub fn scales(&self, text: &str) -> Vec<Scale> {
        let Some(re) = &self.scale else {
            return Vec::new();
        };
        re.captures_iter(text)
            .filter_map(|caps| {
                let number = caps.name("n")?;
                let noun = caps.name("noun")?;
                let value: u64 = number.as_str().replace(',', "").parse().ok()?;
                let rank = self
                    .scale_nouns
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(noun.as_str()))?;
                let start = caps.get(0).map_or(number.start(), |m| m.start());
                Some(Scale {
                    value,
                    number: number.as_str().to_string(),
                    noun: noun.as_str().to_string(),
                    rank,
                    approximate: caps.name("approx").is_some(),
                    range: start..noun.end(),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_parses_and_is_consistent() {
        let table = ToolTable::parse(TOOLS_SOURCE).expect("tools.toml parses");
        assert!(table.tools.len() > 40);
        for tool in &table.tools {
            assert!(
                table.category(&tool.category).is_some(),
                "{}: unknown category {}",
                tool.name,
                tool.category
            );
            assert!(!tool.alternatives.is_empty(), "{}", tool.name);
            assert!(
                !tool.alternatives.contains(&tool.name),
                "{} is its own alternative",
                tool.name
            );
        }
        let mut names: Vec<String> = table
            .tools
            .iter()
            .flat_map(|t| std::iter::once(&t.name).chain(&t.aliases))
            .map(|n| n.to_lowercase())
            .collect();
        names.sort();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "a name or alias is listed twice");
    }

    #[test]
    fn mentions_prefer_longer_names_and_respect_case() {
        let table = ToolTable::builtin();
        let text = "Moved from GitLab CI/CD to GitHub Actions; helm at the helm, Helm charts and terraform.";
        let names: Vec<&str> = table
            .mentions(text)
            .iter()
            .map(|m| &text[m.range.clone()])
            .collect();
        assert_eq!(
            names,
            ["GitLab CI/CD", "GitHub Actions", "Helm charts", "terraform"]
        );
    }

    #[test]
    fn scales_are_numbers_before_scale_nouns() {
        let table = ToolTable::builtin();
        let found = table.scales(
            "for 14 services, 3 environments (dev), ~40 engineers, 8 weeks, 1,200 backend services",
        );
        let summary: Vec<(u64, &str, bool)> = found
            .iter()
            .map(|s| (s.value, s.noun.as_str(), s.approximate))
            .collect();
        assert_eq!(
            summary,
            [
                (14, "services", false),
                (3, "environments", false),
                (40, "engineers", true),
                (1200, "services", false)
            ]
        );
    }
}
