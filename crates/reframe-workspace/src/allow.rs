//! Adding a phrase to `[allow] phrases` of a `.reframe.toml`, for the editor's "Allow this
//! phrase" action. The edit goes through `toml_edit`, so the file keeps its comments,
//! order and layout; only the one array grows (or the table and key appear, at the end).

use std::path::{Path, PathBuf};

use reframe_core::config;
use toml_edit::{Array, DocumentMut, Item, Value};

/// The configuration file an allowed phrase goes in for a document in `folder`: the nearest
/// `.reframe.toml` upward, or a new one in `folder` itself.
pub fn target_file(folder: &Path) -> PathBuf {
    crate::find_config(folder).unwrap_or_else(|| folder.join(config::FILE_NAME))
}

/// `text` (a `.reframe.toml`) with `phrase` added to `[allow] phrases`; `None` when the
/// phrase is allowed already (compared as the analysis does: trimmed, ignoring ASCII case).
/// An error when the text is not TOML or `allow` / `allow.phrases` has another type.
pub fn with_allowed_phrase(text: &str, phrase: &str) -> Result<Option<String>, String> {
    let phrase = phrase.trim();
    if phrase.is_empty() {
        return Err("an empty phrase cannot be allowed".to_string());
    }
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|err| format!("not valid TOML: {err}"))?;
    let allow = doc.entry("allow").or_insert(toml_edit::table());
    let Some(table) = allow.as_table_like_mut() else {
        return Err("`allow` is not a table".to_string());
    };
    let phrases = table
        .entry("phrases")
        .or_insert(Item::Value(Value::Array(Array::new())));
    let Some(array) = phrases.as_array_mut() else {
        return Err("`allow.phrases` is not an array".to_string());
    };
    let known = array.iter().any(|value| {
        value
            .as_str()
            .is_some_and(|p| p.trim().eq_ignore_ascii_case(phrase))
    });
    if known {
        return Ok(None);
    }
    // In an array written one value per line, the new value gets a line of its own with
    // the same indentation, after any comment that followed the last value.
    let indent = array.iter().last().and_then(|last| {
        let prefix = last.decor().prefix()?.as_str()?;
        prefix.rfind('\n').map(|at| prefix[at + 1..].to_string())
    });
    let trailing = array.trailing().as_str().unwrap_or("").to_string();
    array.push(phrase);
    if let Some(indent) = indent {
        let (comment, closing) = match trailing.rfind('\n') {
            Some(at) => (trailing[..=at].to_string(), trailing[at + 1..].to_string()),
            None => (format!("{trailing}\n"), String::new()),
        };
        if let Some(added) = array.iter_mut().last() {
            added.decor_mut().set_prefix(format!("{comment}{indent}"));
        }
        array.set_trailing(format!("\n{closing}"));
        array.set_trailing_comma(true);
    }
    Ok(Some(doc.to_string()))
}

/// Adds `phrase` to `[allow] phrases` of `file`, creating the file when it does not exist.
/// The file is replaced whole (written beside it, then renamed). Gives whether it changed.
pub fn allow_phrase(file: &Path, phrase: &str) -> Result<bool, String> {
    let shown = file.display();
    let text = match std::fs::symlink_metadata(file) {
        Ok(meta) if !meta.is_file() => {
            return Err(format!("{shown} is not a regular file"));
        }
        Ok(_) => crate::read_regular_file(file, crate::CONFIG_LIMIT)
            .map_err(|err| format!("{shown}: {err}"))?,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(format!("{shown}: {err}")),
    };
    let Some(edited) =
        with_allowed_phrase(&text, phrase).map_err(|err| format!("{shown}: {err}"))?
    else {
        return Ok(false);
    };
    let temporary = file.with_file_name(format!(
        "{}.reframe-{}.tmp",
        config::FILE_NAME,
        std::process::id()
    ));
    std::fs::write(&temporary, edited).map_err(|err| format!("{}: {err}", temporary.display()))?;
    std::fs::rename(&temporary, file).map_err(|err| {
        let _ = std::fs::remove_file(&temporary);
        format!("{shown}: {err}")
    })?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn added(text: &str, phrase: &str) -> String {
        match with_allowed_phrase(text, phrase) {
            Ok(Some(text)) => text,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_commented_file_keeps_its_comments_and_layout() {
        let text = "\
# Team settings for write-ups.
template = \"templates/ops.md\" # ours

[rules]
# Hedges are fine in drafts.
hedge = \"hint\"

[allow]
# Words our field uses.
phrases = [
    \"simply typed\", # a term of art
]
";
        let edited = added(text, "helped with");
        assert_eq!(
            edited,
            "\
# Team settings for write-ups.
template = \"templates/ops.md\" # ours

[rules]
# Hedges are fine in drafts.
hedge = \"hint\"

[allow]
# Words our field uses.
phrases = [
    \"simply typed\", # a term of art
    \"helped with\",
]
"
        );
        // It parses as the analysis reads it: both phrases allowed.
        let (settings, report) = config::Settings::from_toml(&edited, "t", None);
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert_eq!(settings.allow, ["simply typed", "helped with"]);
    }

    #[test]
    fn a_file_without_the_table_gets_it_and_an_empty_file_too() {
        let edited = added("# only a comment\n[rules]\nhedge = \"off\"\n", "just");
        assert!(edited.starts_with("# only a comment\n[rules]\nhedge = \"off\"\n"));
        assert!(
            edited.ends_with("\n[allow]\nphrases = [\"just\"]\n"),
            "{edited}"
        );
        assert_eq!(added("", "just"), "[allow]\nphrases = [\"just\"]\n");
    }

    #[test]
    fn an_allowed_phrase_is_not_added_twice_and_wrong_types_are_errors() {
        let text = "[allow]\nphrases = [\"Helped With\"]\n";
        assert_eq!(with_allowed_phrase(text, " helped with "), Ok(None));
        assert!(with_allowed_phrase("allow = 3\n", "x").is_err());
        assert!(with_allowed_phrase("[allow]\nphrases = \"x\"\n", "x").is_err());
        assert!(with_allowed_phrase("[allow\n", "x").is_err());
        assert!(with_allowed_phrase("", "  ").is_err());
        let inline = added("allow = { phrases = [] }\n", "just");
        assert_eq!(inline, "allow = { phrases = [\"just\"] }\n");
    }
}
