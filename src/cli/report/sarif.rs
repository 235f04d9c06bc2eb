//! `--format sarif`: SARIF 2.1.0, with the rule catalog and one result per finding; the
//! results are written as each file's are ready.

use std::io::Write;

use serde_json::{Value, json};

use reframe_core::document::PositionEncoding;
use reframe_core::rules::{RuleCode, Severity, registry};
use reframe_core::template_choice::UNKNOWN_TEMPLATE_CODE;
use reframe_lsp::to_proto;

use crate::cli::report::{Checked, StreamedArray};

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

/// The `ruleIndex` a result of a code outside the built-in catalog is printed with,
/// replaced by the code's index once it is known ([`Sarif::result`]).
const UNSET_INDEX: u64 = u64::MAX;

/// Where the results go in the log printed with none.
pub(crate) const MARKER: &str = "\"results\": []";

/// One result, pretty-printed, with the code it is for when that code is not built in
/// (its `ruleIndex` is then [`UNSET_INDEX`]).
pub(crate) struct SarifResult {
    custom: Option<RuleCode>,
    pretty: String,
}

/// The SARIF results of one file.
pub(crate) fn file_results(c: &Checked) -> std::io::Result<Vec<SarifResult>> {
    let uri = uri_reference(&c.input.display());
    let mut results = Vec::with_capacity(c.analysis.findings.len());
    for f in &c.analysis.findings {
        let start = c
            .doc
            .byte_to_position(f.range.start, PositionEncoding::Utf16);
        let end = c.doc.byte_to_position(f.range.end, PositionEncoding::Utf16);
        let (custom, rule_index) = match RuleCode::ALL.iter().position(|&k| k == f.code) {
            Some(index) => (None, index as u64),
            None => (Some(f.code), UNSET_INDEX),
        };
        let result = json!({
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
        });
        let pretty = serde_json::to_string_pretty(&result).map_err(std::io::Error::other)?;
        results.push(SarifResult { custom, pretty });
    }
    Ok(results)
}

/// The SARIF log being written: its results streamed, its rule catalog (the built-in
/// rules, then the other codes in the order they first occur) written at the end, after
/// the results (the log's keys are sorted: `results` comes before `tool`).
pub(crate) struct Sarif {
    custom: Vec<RuleCode>,
    array: StreamedArray,
}

impl Sarif {
    pub(crate) fn begin(out: &mut impl Write) -> std::io::Result<Sarif> {
        let array = StreamedArray::begin(out, &log(&[]), MARKER)?;
        Ok(Sarif {
            custom: Vec::new(),
            array,
        })
    }

    pub(crate) fn result(
        &mut self,
        out: &mut impl Write,
        result: &SarifResult,
    ) -> std::io::Result<()> {
        let Some(code) = result.custom else {
            return self.array.element(out, &result.pretty);
        };
        let index = match self.custom.iter().position(|&k| k == code) {
            Some(i) => i,
            None => {
                self.custom.push(code);
                self.custom.len() - 1
            }
        };
        // The key as printed, outside any string: inside one its quotes would be escaped.
        let unset = format!("\"ruleIndex\": {UNSET_INDEX}");
        let set = format!("\"ruleIndex\": {}", RuleCode::ALL.len() + index);
        self.array
            .element(out, &result.pretty.replacen(&unset, &set, 1))
    }

    pub(crate) fn finish(self, out: &mut impl Write) -> std::io::Result<()> {
        self.array.finish(out, &log(&self.custom), MARKER)
    }
}

/// The log with no results and the rule catalog: the built-in rules, then `custom`.
fn log(custom: &[RuleCode]) -> Value {
    let codes = RuleCode::ALL.iter().chain(custom);
    let rules: Vec<Value> = codes
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
    json!({
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
            "results": [],
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_references_are_percent_encoded() {
        assert_eq!(uri_reference("dir/my file.md"), "dir/my%20file.md");
    }
}
