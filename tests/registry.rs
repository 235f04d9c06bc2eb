//! The rule registry (`reframe_core::rules::registry`) is the one list of rules: every
//! built-in code has a row, and the places that describe rules to people agree with it —
//! docs/rules.md has an entry under each anchor, README's rule table a row with the
//! default severity, the VS Code extension a severity setting, and `RuleCode::ALL` the
//! same codes in the same order. A new code without all of these fails here.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::path::Path;

use reframe_core::rules::RuleCode;
use reframe_core::rules::registry::{RULES, info};

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect(path)
}

#[test]
fn every_code_has_one_registry_row_in_catalog_order() {
    let registered: Vec<RuleCode> = RULES.iter().map(|r| r.code).collect();
    assert_eq!(registered, RuleCode::ALL.to_vec());
    for code in RuleCode::ALL {
        let row = info(code).expect("registered");
        assert!(!row.summary.is_empty() && !row.bad.is_empty() && !row.good.is_empty());
        assert_eq!(code.default_severity(), row.severity);
        assert_eq!(code.help_anchor(), row.anchor);
    }
}

#[test]
fn docs_readme_and_the_vscode_settings_agree_with_the_registry() {
    let docs = read("docs/rules.md");
    let readme = read("README.md");
    let package: serde_json::Value =
        serde_json::from_str(&read("editors/vscode/package.json")).expect("package.json");
    let settings = &package["contributes"]["configuration"]["properties"];
    let mut problems = Vec::new();
    for row in RULES {
        let code = row.code.as_str();
        if !docs
            .lines()
            .any(|l| l.trim() == format!("## {}", row.anchor))
        {
            problems.push(format!("docs/rules.md has no “## {}” entry", row.anchor));
        }
        let readme_row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{code}` |")));
        match readme_row {
            None => problems.push(format!("README's rule table has no row for {code}")),
            Some(line)
                if !line
                    .trim_end()
                    .ends_with(&format!("| {} |", row.severity.as_str())) =>
            {
                problems.push(format!(
                    "README gives {code} another severity than {}: {line}",
                    row.severity.as_str()
                ))
            }
            Some(_) => {}
        }
        let setting = &settings[format!("reframe.rules.{code}")];
        if setting.is_null() {
            problems.push(format!(
                "VS Code package.json has no reframe.rules.{code} setting"
            ));
        } else if !setting["markdownDescription"]
            .as_str()
            .is_some_and(|d| d.contains(&format!("({})", row.severity.as_str())))
        {
            problems.push(format!(
                "VS Code setting reframe.rules.{code} does not name the default severity {}",
                row.severity.as_str()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
