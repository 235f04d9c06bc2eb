//! `--format sarif`: SARIF 2.1.0, with the rule catalog and one result per finding.

use std::io::Write;

use serde_json::{Value, json};

use reframe_core::document::PositionEncoding;
use reframe_core::rules::{RuleCode, Severity, registry};
use reframe_core::template_choice::UNKNOWN_TEMPLATE_CODE;
use reframe_lsp::to_proto;

use crate::cli::report::Checked;

/// A short description of each rule, for SARIF's rule list: the registry's summary for a
/// built-in code.
fn rule_description(code: RuleCode) -> &'static str {
    if let Some(info) = registry::info(code) {
        return info.summary;
    }
    match code {
        RuleCode::Custom(custom) if custom.as_str() == UNKNOWN_TEMPLATE_CODE => {
            "A front-matter `template:` that names no known template"
        }
        _ => "A phrase rule from the configuration",
    }
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// A relative path as a URI reference: `/` separators, bytes outside the unreserved set
/// percent-encoded.
fn uri_reference(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

pub(crate) fn write_sarif(out: &mut impl Write, checked: &[Checked]) -> std::io::Result<()> {
    // The catalog first, then the custom codes that occur, in a stable order.
    let mut codes: Vec<RuleCode> = RuleCode::ALL.to_vec();
    let mut custom: Vec<RuleCode> = checked
        .iter()
        .flat_map(|c| c.analysis.findings.iter().map(|f| f.code))
        .filter(|c| !c.is_builtin())
        .collect();
    custom.sort();
    custom.dedup();
    codes.extend(custom);
    let rules: Vec<Value> = codes
        .iter()
        .map(|&code| {
            let mut rule = json!({
                "id": code.as_str(),
                "shortDescription": { "text": rule_description(code) },
                "defaultConfiguration": { "level": sarif_level(code.default_severity()) },
            });
            if let Some(help) = to_proto::help_uri(code) {
                rule["helpUri"] = json!(help.as_str());
            }
            rule
        })
        .collect();
    let mut results = Vec::new();
    for c in checked {
        let uri = uri_reference(&c.input.display());
        for f in &c.analysis.findings {
            let start = c
                .doc
                .byte_to_position(f.range.start, PositionEncoding::Utf16);
            let end = c.doc.byte_to_position(f.range.end, PositionEncoding::Utf16);
            let rule_index = codes.iter().position(|&k| k == f.code).unwrap_or(0);
            results.push(json!({
                "ruleId": f.code.as_str(),
                "ruleIndex": rule_index,
                "level": sarif_level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": {
                            "startLine": start.line + 1,
                            "startColumn": start.character + 1,
                            "endLine": end.line + 1,
                            "endColumn": end.character + 1,
                        }
                    }
                }],
                "properties": { "severity": f.severity.as_str() },
            }));
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "reframe",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules,
                }
            },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    });
    let text = serde_json::to_string_pretty(&log).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_references_are_percent_encoded() {
        assert_eq!(uri_reference("dir/my file.md"), "dir/my%20file.md");
    }
}
