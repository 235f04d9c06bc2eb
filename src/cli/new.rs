//! `reframe new`: a write-up scaffolded from a template, dated today.

use std::path::Path;
use std::process::ExitCode;

use reframe_core::config::Problem;
use reframe_core::template::{self, Template};
use reframe_workspace as workspace;

use crate::cli::files::create_new_atomically;

/// Writes a new write-up scaffolded from the template, marked with `template:` in its
/// front matter (so it is recognised from the first keystroke) and dated today.
pub(crate) fn new_writeup(file: &Path, template_path: Option<&Path>) -> ExitCode {
    let (name, source) = match new_template_source(file, template_path) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("reframe: {message}");
            return ExitCode::from(2);
        }
    };
    // A file where a folder of the path should be: say so, not "already exists".
    if let Some(blocker) = file
        .ancestors()
        .skip(1)
        .filter(|p| !p.as_os_str().is_empty())
        .find(|p| p.exists() && !p.is_dir())
    {
        eprintln!(
            "reframe: cannot create {}: {} is a file, not a folder",
            file.display(),
            blocker.display()
        );
        return ExitCode::from(2);
    }
    if file.exists() || file.is_symlink() {
        eprintln!(
            "reframe: {} already exists: not overwritten",
            file.display()
        );
        return ExitCode::from(1);
    }
    let body = scaffold(&name, &source, &today());
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty())
        && let Err(err) = std::fs::create_dir_all(parent)
    {
        eprintln!("reframe: cannot create {}: {err}", parent.display());
        return ExitCode::from(2);
    }
    match create_new_atomically(file, &body) {
        Ok(()) => {
            println!("created {} from the {name} template", file.display());
            ExitCode::SUCCESS
        }
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "reframe: {} already exists: not overwritten",
                file.display()
            );
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("reframe: cannot create {}: {err}", file.display());
            ExitCode::from(2)
        }
    }
}

/// The configuration for a new file's folder, if one is found (the folder may not exist
/// yet: looked for from its nearest existing ancestor).
fn new_file_config(file: &Path) -> Result<Option<workspace::Loaded>, String> {
    let folder = workspace::document_folder(file);
    let existing = folder
        .ancestors()
        .find(|p| p.is_dir())
        .map(Path::to_path_buf);
    let Some(config) = existing.and_then(|f| workspace::find_config(&f)) else {
        return Ok(None);
    };
    // Loading checks the whole configuration, template included.
    workspace::load(Some(&config), None)
        .map(Some)
        .map_err(|problems| {
            problems
                .iter()
                .map(Problem::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })
}

/// Whether `--template` names a template rather than giving a path: no folder part, no
/// `.md` ending, and no file of that name here.
fn is_template_name(value: &Path) -> bool {
    value.components().count() == 1
        && value.extension().is_none()
        && !value.exists()
        && value.to_str().is_some_and(|s| !s.is_empty())
}

/// The template `new` uses: `--template` (a name among the built-in templates and those
/// of the configured template folders, or a path), else the one configured for the new
/// file's folder, else the built-in one. Gives its name and markdown.
fn new_template_source(
    file: &Path,
    template_path: Option<&Path>,
) -> Result<(String, String), String> {
    let path = match template_path {
        Some(value) if is_template_name(value) => {
            let name = value.to_string_lossy().into_owned();
            let resolved = match new_file_config(file)? {
                Some(loaded) => loaded.resolved,
                None => std::sync::Arc::new(reframe_core::config::Resolved::defaults()),
            };
            let known = workspace::known_templates(&resolved);
            match known.into_iter().find(|(n, _)| *n == name) {
                Some((_, Some(path))) => Some(path),
                Some((_, None)) => {
                    let source = reframe_core::template_choice::BUILTIN_TEMPLATES
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, source)| source.to_string())
                        .unwrap_or_default();
                    return Ok((name, source));
                }
                None => {
                    let names: Vec<String> = workspace::known_templates(&resolved)
                        .into_iter()
                        .map(|(n, _)| n)
                        .collect();
                    return Err(format!(
                        "no template called “{name}” (known templates: {}; or give a path)",
                        names.join(", ")
                    ));
                }
            }
        }
        Some(path) => Some(path.to_path_buf()),
        None => new_file_config(file)?.and_then(|loaded| loaded.template_file),
    };
    match path {
        Some(path) => {
            let source = workspace::read_regular_file(&path, workspace::TEMPLATE_LIMIT)
                .map_err(|err| format!("cannot read the template {}: {err}", path.display()))?;
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "custom".to_string());
            let problems = Template::parse(&name, &source).problems();
            if !problems.is_empty() {
                return Err(format!(
                    "the template {} cannot be used: {}",
                    path.display(),
                    problems.join("; ")
                ));
            }
            Ok((name, source))
        }
        None => Ok((
            template::DEFAULT_TEMPLATE_NAME.to_string(),
            template::DEFAULT_TEMPLATE_SOURCE.to_string(),
        )),
    }
}

/// The template's markdown with its front matter naming the template and dated `date`
/// (keys added when the template has none).
pub fn scaffold(name: &str, source: &str, date: &str) -> String {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let newline = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let close = (lines.first().map(|l| l.trim_end()) == Some("---"))
        .then(|| {
            lines
                .iter()
                .skip(1)
                .position(|l| matches!(l.trim_end(), "---" | "..."))
                .map(|i| i + 1)
        })
        .flatten();
    let Some(close) = close else {
        return format!(
            "---{newline}template: {name}{newline}date: {date}{newline}---{newline}{source}"
        );
    };
    let mut out = String::with_capacity(source.len() + 64);
    out.push_str(lines[0]);
    let mut has_template = false;
    let mut has_date = false;
    for line in &lines[1..close] {
        let key = line.split(':').next().unwrap_or("").trim();
        if !line.starts_with([' ', '\t', '-']) && key.eq_ignore_ascii_case("template") {
            has_template = true;
            out.push_str(&format!("template: {name}{newline}"));
        } else if !line.starts_with([' ', '\t', '-']) && key.eq_ignore_ascii_case("date") {
            has_date = true;
            out.push_str(&format!("date: {date}{newline}"));
        } else {
            out.push_str(line);
        }
    }
    if !has_date {
        out.push_str(&format!("date: {date}{newline}"));
    }
    if !has_template {
        out.push_str(&format!("template: {name}{newline}"));
    }
    for line in &lines[close..] {
        out.push_str(line);
    }
    out
}

/// Today's date (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_date(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_723), "2024-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(20_768), "2026-11-11");
    }

    #[test]
    fn scaffold_sets_template_and_date() {
        let out = scaffold(
            "ops-writeup",
            "---\ntitle:\ndate: 2025-11-09\n---\n## A\n",
            "2026-01-02",
        );
        assert_eq!(
            out,
            "---\ntitle:\ndate: 2026-01-02\ntemplate: ops-writeup\n---\n## A\n"
        );
        let bare = scaffold("pm", "## A\n\n## B\n", "2026-01-02");
        assert_eq!(
            bare,
            "---\ntemplate: pm\ndate: 2026-01-02\n---\n## A\n\n## B\n"
        );
    }
}
