//! Which template a write-up asks for: the `template: NAME` key of its front matter, the
//! templates built into reframe by name, and the finding for a name nobody knows.
//!
//! Pure: the caller (the command line, through reframe-workspace) looks the name up among
//! the built-in templates and the configured template folders, and adds
//! [`unknown_template`] to the findings when neither has it.

use std::ops::Range;
use std::sync::OnceLock;

use serde_json::json;

use crate::analysis::Finding;
use crate::rules::{RuleCode, Severity};
use crate::template::{DEFAULT_TEMPLATE_NAME, DEFAULT_TEMPLATE_SOURCE, Template};

/// The code of the finding on a front-matter `template:` that names no known template.
pub const UNKNOWN_TEMPLATE_CODE: &str = "unknown-template";

/// The templates built into reframe, by name, with their markdown.
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    (DEFAULT_TEMPLATE_NAME, DEFAULT_TEMPLATE_SOURCE),
    (
        "promotion-packet",
        include_str!("../../../templates/promotion-packet.md"),
    ),
];

/// The built-in template called `name`, parsed once.
pub fn builtin_template(name: &str) -> Option<&'static Template> {
    static PARSED: OnceLock<Vec<Template>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        BUILTIN_TEMPLATES
            .iter()
            .map(|(name, source)| {
                if *name == DEFAULT_TEMPLATE_NAME {
                    Template::builtin().clone()
                } else {
                    Template::parse(name, source)
                }
            })
            .collect()
    });
    BUILTIN_TEMPLATES
        .iter()
        .position(|(n, _)| *n == name)
        .and_then(|i| parsed.get(i))
}

/// The value of the front matter's top-level `template:` key and the byte range of that
/// value, when the document starts with `---` front matter that has one.
pub fn front_matter_template(text: &str) -> Option<(String, Range<usize>)> {
    let text_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[text_start..];
    let mut lines = body.split_inclusive('\n');
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    let mut offset = text_start + body.find('\n')? + 1;
    for line in lines {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return None;
        }
        if !line.starts_with([' ', '\t', '-'])
            && let Some((key, value)) = trimmed.split_once(':')
            && key.trim().eq_ignore_ascii_case("template")
        {
            let raw = value.trim();
            let name = raw.trim_matches(['"', '\'']).trim();
            if name.is_empty() {
                return None;
            }
            let value_start = offset + key.len() + 1 + (value.len() - value.trim_start().len());
            return Some((name.to_string(), value_start..value_start + raw.len()));
        }
        offset += line.len();
    }
    None
}

/// The finding for a front-matter template name that is neither built in nor found in the
/// configured template folders; `known` lists the names that would work.
pub fn unknown_template(name: &str, range: Range<usize>, known: &[String]) -> Option<Finding> {
    let code = RuleCode::custom(UNKNOWN_TEMPLATE_CODE)?;
    let known = if known.is_empty() {
        "none".to_string()
    } else {
        known.join(", ")
    };
    Some(Finding {
        code,
        severity: Severity::Warning,
        range,
        message: format!(
            "Unknown template “{name}”: checked against the default template instead \
             (known templates: {known})"
        ),
        data: json!({ "template": name }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_template_key_and_its_range() {
        let text = "---\ntitle: x\ntemplate: promotion-packet\n---\n# A\n";
        let (name, range) = front_matter_template(text).unwrap_or_default();
        assert_eq!(name, "promotion-packet");
        assert_eq!(&text[range], "promotion-packet");
        assert_eq!(front_matter_template("# no front matter\n"), None);
        assert_eq!(
            front_matter_template("---\ntitle: x\n---\ntemplate: y\n"),
            None
        );
        let quoted = "---\ntemplate: \"ops\"\n---\n";
        let (name, range) = front_matter_template(quoted).unwrap_or_default();
        assert_eq!(name, "ops");
        assert_eq!(&quoted[range], "\"ops\"");
    }

    #[test]
    fn both_builtin_templates_parse_with_sections() {
        for (name, _) in BUILTIN_TEMPLATES {
            let template = builtin_template(name);
            assert!(template.is_some_and(|t| t.problems().is_empty()), "{name}");
        }
        assert!(builtin_template("nope").is_none());
    }
}
