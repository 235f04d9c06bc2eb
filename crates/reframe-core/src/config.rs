//! Configuration: rule severities, extra phrase rules, allowed phrases, the template and
//! the write-up globs.
//!
//! Plain data and parsing, no I/O: this module reads `.reframe.toml` *text* and LSP
//! settings *values* into [`Settings`] (one layer each), and resolves layers into what the
//! analysis runs with ([`Resolved`]). Finding and reading the files is
//! `crate::workspace`'s job; the CLI and the server both go through it.
//!
//! Every message names where it comes from: the file and 1-based line for a file, or the
//! setting's key path for LSP settings (which have no lines).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde_json::Value as Json;
use toml::de::{DeTable, DeValue};

use crate::rules::phrases::{PhraseRules, RowSpec};
use crate::rules::{RuleCode, Severity};
use crate::template::Template;

/// The name of the configuration file, looked for from a document's folder upward.
pub const FILE_NAME: &str = ".reframe.toml";

/// Everything the analysis reads besides the document: made from a resolved
/// configuration by [`Resolved::context_for`].
pub struct Context<'a> {
    pub template: &'a Template,
    pub config: &'a Config,
    pub phrases: &'a PhraseRules,
}

/// The settings the analysis needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Per-rule severity overrides; `None` turns the rule off.
    pub severity: HashMap<RuleCode, Option<Severity>>,
    /// Treat every markdown document as a write-up (default: only detected write-ups).
    pub all_markdown: bool,
    /// Run the structural rules only, not the wording rules (the server sets it for
    /// documents too large for a full analysis).
    pub structural_only: bool,
}

impl Config {
    /// The severity a rule reports at, or `None` when it is off.
    pub fn severity_of(&self, code: RuleCode) -> Option<Severity> {
        match self.severity.get(&code) {
            Some(setting) => *setting,
            None => Some(code.default_severity()),
        }
    }
}

/// A message about configuration: an error (the configuration is not used) or a warning
/// (it is used, with the offending part ignored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The file the setting is in (as the caller named it), or `LSP settings`.
    pub origin: String,
    /// 1-based line in that file, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.origin, line, self.message),
            None => write!(f, "{}: {}", self.origin, self.message),
        }
    }
}

/// Warnings and errors collected while reading and resolving configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub warnings: Vec<Problem>,
    pub errors: Vec<Problem>,
}

impl Report {
    /// Adds the other report's messages to this one.
    pub fn extend(&mut self, other: Report) {
        self.warnings.extend(other.warnings);
        self.errors.extend(other.errors);
    }
}

/// A value with the line it was written on (none for LSP settings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub line: Option<usize>,
}

/// A phrase rule from configuration (`[[phrases]]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhraseSetting {
    /// Row id; a built-in row's id replaces that row. Defaults to `user:PATTERN`.
    pub id: String,
    /// Regex, as in the built-in tables (case-insensitive; `{participle}` word lists).
    pub pattern: String,
    /// A built-in rule code or a new one.
    pub code: RuleCode,
    /// The diagnostic message.
    pub message: String,
    /// Rewrites, best first.
    pub replace: Vec<String>,
    /// Line of the `[[phrases]]` entry.
    pub line: Option<usize>,
}

/// One layer of settings as written: a `.reframe.toml` file or the client's LSP settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// The file name, or `LSP settings`, for messages.
    pub origin: String,
    /// The folder that relative paths (template, globs) are relative to.
    pub base: Option<PathBuf>,
    /// `template`: path of the template, relative to `base`.
    pub template: Option<Setting<String>>,
    /// `writeups`: globs of documents always treated as write-ups, relative to `base`.
    pub writeups: Option<Setting<Vec<String>>>,
    /// `[rules]`: rule code name → severity (`None`: off).
    pub rules: Vec<Setting<(String, Option<Severity>)>>,
    /// `[[phrases]]`: extra phrase rules.
    pub phrases: Vec<PhraseSetting>,
    /// `[allow] phrases`: phrases never flagged.
    pub allow: Vec<String>,
    /// `exclude`: globs of paths (relative to `base`) the command line never checks when
    /// it walks a folder.
    pub exclude: Option<Setting<Vec<String>>>,
    /// `templates`: folders (relative to `base`) holding templates that a write-up can
    /// name in its front matter (`template: NAME` picks `NAME.md`).
    pub templates: Option<Setting<Vec<String>>>,
}

/// The origin name used for settings that come from the LSP client.
pub const CLIENT_ORIGIN: &str = "LSP settings";

/// A configuration value in a form shared by TOML (with lines) and JSON (without).
#[derive(Debug)]
enum Node {
    Str(String),
    List(Vec<Item>),
    Table(Vec<(Key, Item)>),
    /// Anything else, named for messages ("a boolean").
    Other(&'static str),
}

#[derive(Debug)]
struct Item {
    node: Node,
    line: Option<usize>,
}

#[derive(Debug)]
struct Key {
    name: String,
    line: Option<usize>,
}

impl Node {
    fn kind(&self) -> &'static str {
        match self {
            Node::Str(_) => "a string",
            Node::List(_) => "an array",
            Node::Table(_) => "a table",
            Node::Other(kind) => kind,
        }
    }
}

/// Byte offsets of line starts, for turning TOML spans into line numbers.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines(starts)
    }

    fn line(&self, byte: usize) -> usize {
        self.0.partition_point(|&s| s <= byte)
    }
}

fn from_toml_table(table: &DeTable<'_>, lines: &Lines) -> Vec<(Key, Item)> {
    let mut entries: Vec<(Key, Item)> = table
        .iter()
        .map(|(key, value)| {
            (
                Key {
                    name: key.get_ref().to_string(),
                    line: Some(lines.line(key.span().start)),
                },
                Item {
                    node: from_toml_value(value.get_ref(), lines),
                    line: Some(lines.line(value.span().start)),
                },
            )
        })
        .collect();
    // The parser's map is sorted by key; messages read better in file order.
    entries.sort_by_key(|(key, _)| key.line);
    entries
}

fn from_toml_value(value: &DeValue<'_>, lines: &Lines) -> Node {
    match value {
        DeValue::String(s) => Node::Str(s.to_string()),
        DeValue::Array(items) => Node::List(
            items
                .iter()
                .map(|item| Item {
                    node: from_toml_value(item.get_ref(), lines),
                    line: Some(lines.line(item.span().start)),
                })
                .collect(),
        ),
        DeValue::Table(table) => Node::Table(from_toml_table(table, lines)),
        DeValue::Integer(_) | DeValue::Float(_) => Node::Other("a number"),
        DeValue::Boolean(_) => Node::Other("a boolean"),
        DeValue::Datetime(_) => Node::Other("a date"),
    }
}

fn from_json(value: &Json) -> Node {
    match value {
        Json::String(s) => Node::Str(s.clone()),
        Json::Array(items) => Node::List(
            items
                .iter()
                .map(|item| Item {
                    node: from_json(item),
                    line: None,
                })
                .collect(),
        ),
        Json::Object(map) => Node::Table(
            map.iter()
                .map(|(k, v)| {
                    (
                        Key {
                            name: k.clone(),
                            line: None,
                        },
                        Item {
                            node: from_json(v),
                            line: None,
                        },
                    )
                })
                .collect(),
        ),
        Json::Number(_) => Node::Other("a number"),
        Json::Bool(_) => Node::Other("a boolean"),
        Json::Null => Node::Other("null"),
    }
}

impl Settings {
    /// Parses the text of a `.reframe.toml`. `origin` names the file in messages and
    /// `base` is the folder it is in. Unknown keys are warnings; anything that cannot be
    /// used (bad TOML, a value of the wrong type, a bad severity or rule code) is an error.
    pub fn from_toml(text: &str, origin: &str, base: Option<PathBuf>) -> (Settings, Report) {
        let mut report = Report::default();
        let mut settings = Settings {
            origin: origin.to_string(),
            base,
            ..Settings::default()
        };
        let lines = Lines::new(text);
        match DeTable::parse(text) {
            Ok(table) => {
                let entries = from_toml_table(table.get_ref(), &lines);
                settings.read(&entries, &mut report);
            }
            Err(err) => {
                let line = err.span().map(|span| lines.line(span.start));
                let message = err.message().trim().to_string();
                report.errors.push(Problem {
                    origin: origin.to_string(),
                    line,
                    message: format!("not valid TOML: {message}"),
                });
            }
        }
        (settings, report)
    }

    /// Reads LSP settings: the object under `reframe` in `initializationOptions` or in
    /// `workspace/didChangeConfiguration`, with the same keys as the file. Relative paths
    /// are relative to `base` (the workspace folder). `null` gives empty settings.
    pub fn from_json(value: &Json, base: Option<PathBuf>) -> (Settings, Report) {
        let mut report = Report::default();
        let mut settings = Settings {
            origin: CLIENT_ORIGIN.to_string(),
            base,
            ..Settings::default()
        };
        match from_json(value) {
            Node::Table(entries) => settings.read(&entries, &mut report),
            Node::Other("null") => {}
            other => report.errors.push(Problem {
                origin: CLIENT_ORIGIN.to_string(),
                line: None,
                message: format!("`reframe` settings must be an object, not {}", other.kind()),
            }),
        }
        (settings, report)
    }

    fn problem(&self, line: Option<usize>, message: String) -> Problem {
        Problem {
            origin: self.origin.clone(),
            line,
            message,
        }
    }

    fn wrong_type(&self, key: &str, item: &Item, wanted: &str) -> Problem {
        self.problem(
            item.line,
            format!("`{key}` must be {wanted}, not {}", item.node.kind()),
        )
    }

    fn unknown(&self, key: &Key, place: &str) -> Problem {
        self.problem(
            key.line,
            format!("unknown key `{}`{place}: ignored", key.name),
        )
    }

    fn read(&mut self, entries: &[(Key, Item)], report: &mut Report) {
        for (key, item) in entries {
            match key.name.as_str() {
                "template" => match &item.node {
                    Node::Str(path) if !path.trim().is_empty() => {
                        self.template = Some(Setting {
                            value: path.trim().to_string(),
                            line: item.line,
                        });
                    }
                    _ => report
                        .errors
                        .push(self.wrong_type("template", item, "a non-empty path")),
                },
                "writeups" => {
                    if let Some(globs) = self.strings("writeups", item, report) {
                        for glob in &globs {
                            if let Err(err) = compile_glob(glob) {
                                report.errors.push(self.problem(
                                    item.line,
                                    format!(
                                        "`writeups` glob {glob:?} is not valid: {}",
                                        err.kind()
                                    ),
                                ));
                            }
                        }
                        self.writeups = Some(Setting {
                            value: globs,
                            line: item.line,
                        });
                    }
                }
                "exclude" => {
                    if let Some(globs) = self.strings("exclude", item, report) {
                        for glob in &globs {
                            if let Err(err) = compile_glob(glob) {
                                report.errors.push(self.problem(
                                    item.line,
                                    format!("`exclude` glob {glob:?} is not valid: {}", err.kind()),
                                ));
                            }
                        }
                        self.exclude = Some(Setting {
                            value: globs,
                            line: item.line,
                        });
                    }
                }
                "templates" => {
                    if let Some(folders) = self.strings("templates", item, report) {
                        self.templates = Some(Setting {
                            value: folders,
                            line: item.line,
                        });
                    }
                }
                "rules" => self.read_rules(item, report),
                "phrases" => self.read_phrases(item, report),
                "allow" => self.read_allow(item, report),
                _ => report.warnings.push(self.unknown(key, "")),
            }
        }
    }

    /// A string or an array of strings.
    fn strings(&self, key: &str, item: &Item, report: &mut Report) -> Option<Vec<String>> {
        match &item.node {
            Node::Str(s) => Some(vec![s.clone()]),
            Node::List(items) => {
                let mut out = Vec::new();
                for element in items {
                    match &element.node {
                        Node::Str(s) => out.push(s.clone()),
                        _ => {
                            report.errors.push(self.wrong_type(
                                key,
                                element,
                                "an array of strings",
                            ));
                            return None;
                        }
                    }
                }
                Some(out)
            }
            _ => {
                report
                    .errors
                    .push(self.wrong_type(key, item, "an array of strings"));
                None
            }
        }
    }

    fn read_rules(&mut self, item: &Item, report: &mut Report) {
        let Node::Table(entries) = &item.node else {
            report
                .errors
                .push(self.wrong_type("rules", item, "a table"));
            return;
        };
        for (key, value) in entries {
            let Node::Str(level) = &value.node else {
                report.errors.push(self.wrong_type(
                    &format!("rules.{}", key.name),
                    value,
                    "one of \"error\", \"warning\", \"information\", \"hint\", \"off\"",
                ));
                continue;
            };
            let severity = match level.trim().to_ascii_lowercase().as_str() {
                "off" | "none" => None,
                other => match Severity::parse(other) {
                    Some(severity) => Some(severity),
                    None => {
                        report.errors.push(self.problem(
                            value.line,
                            format!(
                                "`rules.{}` = {level:?}: use error, warning, information, hint or off",
                                key.name
                            ),
                        ));
                        continue;
                    }
                },
            };
            self.rules.push(Setting {
                value: (key.name.clone(), severity),
                line: key.line,
            });
        }
    }

    fn read_phrases(&mut self, item: &Item, report: &mut Report) {
        let Node::List(rows) = &item.node else {
            report.errors.push(self.wrong_type(
                "phrases",
                item,
                "an array of tables (`[[phrases]]`)",
            ));
            return;
        };
        for row in rows {
            let Node::Table(entries) = &row.node else {
                report
                    .errors
                    .push(self.wrong_type("phrases", row, "an array of tables"));
                continue;
            };
            // The first key's line is where the entry's content starts.
            let line = entries.first().and_then(|(k, _)| k.line).or(row.line);
            if let Some(phrase) = self.read_phrase(entries, line, report) {
                self.phrases.push(phrase);
            }
        }
    }

    fn read_phrase(
        &self,
        entries: &[(Key, Item)],
        line: Option<usize>,
        report: &mut Report,
    ) -> Option<PhraseSetting> {
        let mut id = None;
        let mut pattern = None;
        let mut code = None;
        let mut message = None;
        let mut replace = Vec::new();
        let mut ok = true;
        for (key, item) in entries {
            let text = match &item.node {
                Node::Str(s) => Some(s.clone()),
                _ => None,
            };
            match (key.name.as_str(), text) {
                ("id", Some(s)) => id = Some(s),
                ("pattern", Some(s)) => pattern = Some((s, item.line)),
                ("message", Some(s)) => message = Some(s),
                ("code", Some(s)) => match RuleCode::custom(s.trim()) {
                    Some(c) => code = Some(c),
                    None => {
                        ok = false;
                        report.errors.push(self.problem(
                            item.line,
                            format!(
                                "`phrases.code` {s:?} is not a rule code: use a built-in code or lowercase letters, digits and hyphens"
                            ),
                        ));
                    }
                },
                ("replace", _) => match self.strings("phrases.replace", item, report) {
                    Some(list) => replace = list,
                    None => ok = false,
                },
                ("id" | "pattern" | "message" | "code", None) => {
                    ok = false;
                    report.errors.push(self.wrong_type(
                        &format!("phrases.{}", key.name),
                        item,
                        "a string",
                    ));
                }
                _ => report.warnings.push(self.unknown(key, " in [[phrases]]")),
            }
        }
        let missing: Vec<&str> = [
            ("pattern", pattern.is_none()),
            ("code", code.is_none() && ok),
            ("message", message.is_none()),
        ]
        .into_iter()
        .filter(|(_, absent)| *absent)
        .map(|(name, _)| name)
        .collect();
        if !missing.is_empty() {
            report.errors.push(self.problem(
                line,
                format!("[[phrases]] entry needs `{}`", missing.join("`, `")),
            ));
            return None;
        }
        let ((pattern, pattern_line), code, message) = (pattern?, code?, message?);
        if !ok {
            return None;
        }
        if pattern.trim().is_empty() {
            report
                .errors
                .push(self.problem(pattern_line, "`phrases.pattern` is empty".to_string()));
            return None;
        }
        Some(PhraseSetting {
            id: id.unwrap_or_else(|| format!("user:{pattern}")),
            pattern,
            code,
            message,
            replace,
            line: pattern_line.or(line),
        })
    }

    fn read_allow(&mut self, item: &Item, report: &mut Report) {
        let Node::Table(entries) = &item.node else {
            report
                .errors
                .push(self.wrong_type("allow", item, "a table"));
            return;
        };
        for (key, value) in entries {
            if key.name == "phrases" {
                if let Some(phrases) = self.strings("allow.phrases", value, report) {
                    self.allow.extend(phrases);
                }
            } else {
                report.warnings.push(self.unknown(key, " in [allow]"));
            }
        }
    }
}

/// The template setting that wins among `layers` (lowest priority first), as a path made
/// absolute against its layer's folder, with the layer for messages.
pub fn template_path<'a>(
    layers: &[&'a Settings],
) -> Option<(PathBuf, &'a Settings, Option<usize>)> {
    layers.iter().rev().find_map(|layer| {
        let setting = layer.template.as_ref()?;
        let path = Path::new(&setting.value);
        let path = match &layer.base {
            Some(base) if path.is_relative() => base.join(path),
            _ => path.to_path_buf(),
        };
        Some((path, *layer, setting.line))
    })
}

/// Compiles a write-up glob: `*` and `?` stay within one path component, `**` crosses
/// folders.
fn compile_glob(glob: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(glob).literal_separator(true).build()
}

/// The write-up globs of one layer, compiled, with the folder they are relative to.
#[derive(Clone, Debug)]
struct Writeups {
    base: Option<PathBuf>,
    globs: GlobSet,
}

impl Writeups {
    /// True when `path`, relative to the globs' folder, matches; with `folders`, also
    /// when one of the folders it is in does.
    fn matches(&self, path: &Path, folders: bool) -> bool {
        let path = normalize_path(path);
        let relative = match &self.base {
            Some(base) => {
                let base = normalize_path(base);
                match path.strip_prefix(&base) {
                    Ok(relative) => relative.to_path_buf(),
                    Err(_) => path.clone(),
                }
            }
            None => path.clone(),
        };
        if self.globs.is_match(&relative) {
            return true;
        }
        folders
            && relative
                .ancestors()
                .skip(1)
                .filter(|a| !a.as_os_str().is_empty())
                .any(|a| self.globs.is_match(a))
    }
}

/// `path` with `.` components dropped and `..` applied to the component before it, without
/// looking at the file system.
pub fn normalize_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// What the analysis runs with for the documents one configuration covers.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub template: Arc<Template>,
    pub config: Arc<Config>,
    pub phrases: Arc<PhraseRules>,
    /// `config` with every markdown document a write-up, for documents matching `writeups`.
    writeup_config: Arc<Config>,
    writeups: Option<Writeups>,
    /// `exclude` globs: paths the command line skips when it walks a folder.
    exclude: Option<Writeups>,
    /// `templates` folders, made absolute against their layer's folder.
    pub template_folders: Vec<PathBuf>,
}

impl Resolved {
    /// The built-in template, default severities, built-in phrase rules.
    pub fn defaults() -> Resolved {
        let config = Config::default();
        Resolved {
            template: Arc::new(Template::builtin().clone()),
            writeup_config: Arc::new(Config {
                all_markdown: true,
                ..config.clone()
            }),
            config: Arc::new(config),
            phrases: PhraseRules::shared(),
            writeups: None,
            exclude: None,
            template_folders: Vec::new(),
        }
    }

    /// True when `path` matches the configured write-up globs.
    /// `./a.md` and `a.md` are the same path: paths are normalised lexically first (the
    /// caller resolves symbolic links).
    pub fn is_listed_writeup(&self, path: &Path) -> bool {
        self.writeups
            .as_ref()
            .is_some_and(|w| w.matches(path, false))
    }

    /// True when `path` (or a folder it is in) matches the configured `exclude` globs.
    pub fn is_excluded(&self, path: &Path) -> bool {
        self.exclude.as_ref().is_some_and(|w| w.matches(path, true))
    }

    /// The configuration for the document at `path` (none for unsaved buffers and stdin).
    pub fn config_for(&self, path: Option<&Path>) -> &Arc<Config> {
        if path.is_some_and(|p| self.is_listed_writeup(p)) {
            &self.writeup_config
        } else {
            &self.config
        }
    }

    /// The analysis context for the document at `path`.
    pub fn context_for(&self, path: Option<&Path>) -> Context<'_> {
        Context {
            template: &self.template,
            config: self.config_for(path),
            phrases: &self.phrases,
        }
    }
}

/// Resolves layers (lowest priority first: LSP settings, then the file) with the template
/// they name, already read and parsed by the caller. Later layers win key by key; phrase
/// rules and allowed phrases add up (a later row with the same id replaces an earlier one).
/// Problems found here (a phrase rule whose regex does not compile, an unknown rule code)
/// go to `report`.
pub fn resolve(layers: &[&Settings], template: Template, report: &mut Report) -> Resolved {
    let mut rows: Vec<&PhraseSetting> = Vec::new();
    for layer in layers {
        for phrase in &layer.phrases {
            rows.retain(|r| r.id != phrase.id);
            rows.push(phrase);
        }
    }
    let custom_codes: HashSet<RuleCode> = rows.iter().map(|r| r.code).collect();

    let mut config = Config::default();
    for layer in layers {
        for rule in &layer.rules {
            let (name, severity) = &rule.value;
            let code = RuleCode::parse(name)
                .or_else(|| RuleCode::custom(name).filter(|c| custom_codes.contains(c)));
            match code {
                Some(code) => {
                    config.severity.insert(code, *severity);
                }
                None => report.warnings.push(Problem {
                    origin: layer.origin.clone(),
                    line: rule.line,
                    message: format!(
                        "unknown rule code `{name}` in [rules]: ignored (codes: {}, or a code of a [[phrases]] entry)",
                        RuleCode::ALL.map(RuleCode::as_str).join(", ")
                    ),
                }),
            }
        }
    }

    let specs: Vec<RowSpec> = rows
        .iter()
        .map(|row| {
            let mut spec = RowSpec::new(
                row.id.clone(),
                row.code,
                row.pattern.clone(),
                row.message.clone(),
            );
            spec.replace = row.replace.iter().cloned().map(Into::into).collect();
            spec
        })
        .collect();
    let allow: Vec<&str> = layers
        .iter()
        .flat_map(|l| l.allow.iter().map(String::as_str))
        .collect();
    let phrases = if specs.is_empty() && allow.is_empty() {
        PhraseRules::shared()
    } else {
        Arc::new(PhraseRules::with_rows(specs, &allow))
    };
    for error in phrases.errors() {
        let (origin, line) = layers
            .iter()
            .rev()
            .find_map(|layer| {
                let row = layer.phrases.iter().find(|p| p.id == error.id)?;
                Some((layer.origin.clone(), row.line))
            })
            .unwrap_or_else(|| (String::from("configuration"), None));
        report.errors.push(Problem {
            origin,
            line,
            message: format!("[[phrases]] `{}`: {}", error.id, error.reason),
        });
    }

    let writeups = layers.iter().rev().find_map(|layer| {
        let setting = layer.writeups.as_ref()?;
        let mut builder = GlobSetBuilder::new();
        for glob in &setting.value {
            // Invalid globs were reported when the layer was read.
            if let Ok(glob) = compile_glob(glob) {
                builder.add(glob);
            }
        }
        let globs = builder.build().ok()?;
        Some(Writeups {
            base: layer.base.clone(),
            globs,
        })
    });

    let exclude = layers.iter().rev().find_map(|layer| {
        let setting = layer.exclude.as_ref()?;
        let mut builder = GlobSetBuilder::new();
        for glob in &setting.value {
            if let Ok(glob) = compile_glob(glob) {
                builder.add(glob);
            }
        }
        Some(Writeups {
            base: layer.base.clone(),
            globs: builder.build().ok()?,
        })
    });
    let template_folders = layers
        .iter()
        .rev()
        .find_map(|layer| {
            let setting = layer.templates.as_ref()?;
            Some(
                setting
                    .value
                    .iter()
                    .map(|folder| match &layer.base {
                        Some(base) if Path::new(folder).is_relative() => base.join(folder),
                        _ => PathBuf::from(folder),
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .unwrap_or_default();

    Resolved {
        template: Arc::new(template),
        writeup_config: Arc::new(Config {
            all_markdown: true,
            ..config.clone()
        }),
        config: Arc::new(config),
        phrases,
        writeups,
        exclude,
        template_folders,
    }
}
