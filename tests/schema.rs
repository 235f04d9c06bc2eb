//! The JSON Schema of `.reframe.toml`: the shipped file (`docs/reframe.schema.json`) is
//! what `reframe schema` generates from the configuration types, every configuration shown
//! in README.md and docs/ (and the one `reframe init` writes, its keys commented and
//! switched on) is valid against it, and broken configurations are rejected.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn reframe(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_reframe"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run reframe")
}

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join("docs/reframe.schema.json")).unwrap();
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn as_json(toml_text: &str) -> Value {
    toml::from_str(toml_text).expect("the example is TOML")
}

/// The ```toml blocks of a markdown file.
fn toml_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_start().starts_with("```toml") => current = Some(String::new()),
            Some(block) if line.trim_start().starts_with("```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn the_shipped_schema_is_the_generated_one() {
    let out = reframe(&["schema"], root());
    assert!(out.status.success());
    let shipped = std::fs::read_to_string(root().join("docs/reframe.schema.json")).unwrap();
    assert!(
        String::from_utf8(out.stdout).unwrap() == shipped,
        "docs/reframe.schema.json is stale: run `reframe schema > docs/reframe.schema.json`"
    );
}

#[test]
fn every_documented_configuration_is_valid() {
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let properties = schema["properties"]
        .as_object()
        .expect("properties")
        .clone();
    let mut documents = vec![root().join("README.md")];
    for entry in std::fs::read_dir(root().join("docs")).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "md") {
            documents.push(entry.path());
        }
    }
    let mut checked = 0;
    for document in &documents {
        let text = std::fs::read_to_string(document).unwrap();
        for block in toml_blocks(&text) {
            // Other tools' files (Helix's languages.toml) share no key with reframe's.
            let value = as_json(&block);
            let ours = value
                .as_object()
                .is_some_and(|table| table.keys().any(|k| properties.contains_key(k)));
            if !ours {
                continue;
            }
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{}: a configuration fails the schema:\n{block}\n{errors:?}",
                document.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 1, "no configuration found in {documents:?}");

    // The file `reframe init` writes, with its commented keys switched on.
    let dir = std::env::temp_dir().join(format!("reframe-schema-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    assert!(reframe(&["init"], &dir).status.success());
    let init = std::fs::read_to_string(dir.join(".reframe.toml")).unwrap();
    assert!(validator.is_valid(&as_json(&init)));
    let enabled: String = init
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.contains(" = ") || rest.starts_with("[[") => rest,
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let errors: Vec<String> = validator
        .iter_errors(&as_json(&enabled))
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{enabled}\n{errors:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn broken_configurations_are_rejected() {
    let validator = jsonschema::validator_for(&schema()).expect("a valid schema");
    for broken in [
        "templte = \"x.md\"\n",
        "template = 3\n",
        "[rules]\nweak-verb = \"loud\"\n",
        "[[phrases]]\npattern = 'x'\nmessage = \"m\"\n",
        "[[phrases]]\npattern = 'x'\ncode = \"Not A Code\"\nmessage = \"m\"\n",
        "[allow]\nwords = [\"x\"]\n",
        "exclude = [1]\n",
    ] {
        assert!(
            !validator.is_valid(&as_json(broken)),
            "accepted a broken configuration:\n{broken}"
        );
    }
    assert!(validator.is_valid(&as_json(
        "template = \"t.md\"\ntemplates = [\"templates/\"]\nexclude = \"drafts/**\"\n"
    )));
}
