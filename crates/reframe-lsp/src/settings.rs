//! Configuration on the server side: which configuration each open document uses.
//!
//! A document uses the nearest `.reframe.toml` from its folder upward, on top of the
//! client's settings (`initializationOptions` or `workspace/didChangeConfiguration`, under
//! `reframe`); file values win. Loading goes through [`reframe_workspace::load`], the
//! loader the CLI uses, so both give the same findings for the same file.
//!
//! Configurations are cached by configuration file. A cached one is used again while the
//! files it was read from (the configuration and its template) keep their modification
//! time and length. That check runs when the files may have changed: on open, on save, on
//! `workspace/didChangeWatchedFiles`, and while typing at most once per
//! `CONFIG_RECHECK` (a `didChange` sooner than that leaves the check to a timer), so an
//! edit on disk takes effect within a fraction of a second even without a file watcher.
//! Clients that support it get a dynamic registration for `.reframe.toml` and markdown
//! files, and then the open documents are re-analysed as soon as a file changes.
//!
//! A configuration that fails to load is reported once (one `window/showMessage` error,
//! also logged) per distinct failure; until it is fixed, the documents it covers keep the
//! last configuration that loaded from that file, or the defaults if none ever did.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{
    ClientCapabilities, FileEvent, InitializeParams, MessageType, Registration, Uri,
};

use crate::State;

use reframe_core::analysis::{Context, Finding};
use reframe_core::config::{self, Config, Resolved};
use reframe_core::document::{Document, PositionEncoding, Span};
use reframe_core::template::Template;
use reframe_workspace::choice::Chooser;
use reframe_workspace::{self as workspace, Stamp};

/// The configuration one open document uses.
#[derive(Clone, Debug)]
pub struct Profile {
    /// What the analysis runs with: the configuration with the template chosen for this
    /// document's text ([`Profile::chosen_for`]).
    pub resolved: Arc<Resolved>,
    /// The configuration as loaded for the document's folder, before the choice.
    base: Arc<Resolved>,
    /// Findings from the choice itself (a front-matter template nobody knows).
    pub extra: Arc<[Finding]>,
    /// The document's file path (none for unsaved buffers), for the write-up globs.
    pub path: Option<PathBuf>,
    /// The document's configuration with the wording rules off, for documents larger
    /// than [`crate::FULL_ANALYSIS_LIMIT`].
    structural: Arc<Config>,
    /// Shared by every profile of the server.
    chooser: Arc<Chooser>,
}

impl Profile {
    fn new(resolved: Arc<Resolved>, path: Option<PathBuf>, chooser: Arc<Chooser>) -> Profile {
        let structural = Arc::new(Config {
            structural_only: true,
            ..(**resolved.config_for(path.as_deref())).clone()
        });
        Profile {
            base: Arc::clone(&resolved),
            resolved,
            extra: Arc::from(Vec::new()),
            path,
            structural,
            chooser,
        }
    }

    /// This profile with the template chosen for `text`: the one its front matter names,
    /// else the one its headings fit best (the command line's choice:
    /// [`reframe_workspace::choice`]). The same choice gives the very same configuration,
    /// so the analysis cache is kept. A named template file that cannot be used is a
    /// message in `notices`, once per message.
    pub fn chosen_for(&self, text: &str, notices: &mut Vec<Notice>) -> Profile {
        let choice = self.chooser.choose(&self.base, text);
        if let Some(message) = choice.broken
            && self.chooser.first_time(&message)
        {
            notices.push(Notice {
                show: true,
                kind: MessageType::WARNING,
                text: format!("reframe: {message}; using the configured template"),
            });
        }
        let mut chosen = self.clone();
        chosen.resolved = choice.resolved;
        if *chosen.extra != *choice.extra {
            chosen.extra = Arc::from(choice.extra);
        }
        chosen
    }

    /// The analysis context for this document; `limited`: the structural rules only.
    pub fn context(&self, limited: bool) -> Context<'_> {
        let full = self.resolved.context_for(self.path.as_deref());
        if limited {
            Context {
                config: &self.structural,
                ..full
            }
        } else {
            full
        }
    }

    /// Whether `other` is the same configuration and template for the same path.
    fn same_as(&self, other: &Profile) -> bool {
        Arc::ptr_eq(&self.resolved, &other.resolved)
            && Arc::ptr_eq(&self.base, &other.base)
            && self.path == other.path
            && *self.extra == *other.extra
    }

    /// The template this document is checked against.
    pub fn template(&self) -> &Template {
        &self.resolved.template
    }
}

/// A message for the client, sent by the handler once the state is unlocked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Shown to the user (`window/showMessage`) as well as logged.
    pub show: bool,
    pub kind: MessageType,
    pub text: String,
}

/// One configuration file's cache entry (`None` key: no file, the client settings alone).
#[derive(Clone, Debug)]
struct Entry {
    /// The last configuration that loaded; `None` when it never did.
    good: Option<Arc<Resolved>>,
    /// The files read and their stamps when they were read.
    sources: Vec<PathBuf>,
    stamps: Vec<Stamp>,
    /// The error text of the last failed load, so it is shown once.
    error: Option<String>,
}

/// The server's configuration state.
#[derive(Debug, Default)]
pub struct Settings {
    /// The client's settings layer.
    client: Option<config::Settings>,
    /// The first workspace folder: the base of relative paths in the client's settings.
    root: Option<PathBuf>,
    /// The client can register `workspace/didChangeWatchedFiles` dynamically.
    pub watch_files: bool,
    cache: HashMap<Option<PathBuf>, Entry>,
    /// Defaults, built once.
    defaults: Option<Arc<Resolved>>,
    /// The template choice per document, shared with the profiles.
    chooser: Arc<Chooser>,
}

/// The `reframe` object of initialization options or configuration settings. A value
/// without a `reframe` key is taken as the object itself when it is an object.
fn reframe_section(value: &Value) -> Option<&Value> {
    match value.get("reframe") {
        Some(section) => Some(section),
        None if value.is_object() => Some(value),
        None => None,
    }
}

/// The file path of a `file:` URI.
pub fn uri_path(uri: &Uri) -> Option<PathBuf> {
    let scheme = uri.scheme().as_str();
    if !scheme.eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

impl Settings {
    /// Reads what `initialize` says: the workspace folder, the settings in
    /// `initializationOptions`, and whether file watching can be registered.
    pub fn initialize(&mut self, params: &InitializeParams) -> Vec<Notice> {
        #[allow(deprecated)] // `root_uri` is still what many clients send
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| &f.uri)
            .or(params.root_uri.as_ref())
            .and_then(uri_path);
        self.root = root;
        self.watch_files = supports_watching(&params.capabilities);
        match params
            .initialization_options
            .as_ref()
            .and_then(reframe_section)
        {
            Some(section) => self.set_client(section),
            None => Vec::new(),
        }
    }

    /// Takes new client settings (the `settings` of `workspace/didChangeConfiguration`).
    /// Settings without a `reframe` section (e.g. `null` from pull-model clients) change
    /// nothing. Gives the messages to send.
    pub fn change_configuration(&mut self, settings: &Value) -> Vec<Notice> {
        match settings.get("reframe") {
            Some(section) => self.set_client(section),
            None => Vec::new(),
        }
    }

    fn set_client(&mut self, section: &Value) -> Vec<Notice> {
        let (parsed, report) = config::Settings::from_json(section, self.root.clone());
        // Every cached configuration includes the client layer: rebuild them all.
        self.cache.clear();
        let mut notices = Vec::new();
        if report.errors.is_empty() {
            self.client = Some(parsed);
        } else {
            let text = report
                .errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n");
            notices.push(Notice {
                show: true,
                kind: MessageType::ERROR,
                text: format!("reframe: the settings are not used:\n{text}"),
            });
        }
        notices.extend(warnings(&report.warnings));
        notices
    }

    /// A file changed on disk (from `workspace/didChangeWatchedFiles`): forgets the
    /// configurations read from it, and the broken ones (the change may fix them). Gives
    /// true when the open documents should be re-resolved.
    pub fn files_changed(&mut self, events: &[FileEvent]) -> bool {
        let paths: Vec<PathBuf> = events.iter().filter_map(|e| uri_path(&e.uri)).collect();
        let before = self.cache.len();
        self.cache.retain(|_, entry| entry.error.is_none());
        let mut relevant = self.cache.len() != before;
        for path in &paths {
            if path.file_name().is_some_and(|n| n == config::FILE_NAME) {
                // Created or deleted, a configuration file can change which one applies.
                relevant = true;
            }
            let before = self.cache.len();
            self.cache
                .retain(|_, entry| !entry.sources.iter().any(|s| s == path));
            relevant |= self.cache.len() != before;
        }
        relevant
    }

    /// Forgets the configurations read from `file` (which the server just wrote).
    pub fn forget(&mut self, file: &Path) {
        self.cache
            .retain(|_, entry| !entry.sources.iter().any(|s| s == file));
    }

    /// The configuration for the document at `uri`, loading or reloading it when needed.
    /// Messages about a configuration that fails to load go to `notices`.
    /// Whether `path` is a file a configuration was read from (a `.reframe.toml` or the
    /// template it names): never a write-up for the workspace scan.
    pub fn is_source(&self, path: &Path) -> bool {
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.cache.values().any(|e| {
            e.sources
                .iter()
                .any(|s| s == path || std::fs::canonicalize(s).is_ok_and(|s| s == real))
        })
    }

    pub fn profile_for(&mut self, uri: &Uri, notices: &mut Vec<Notice>) -> Profile {
        let path = uri_path(uri);
        let folder = path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .or_else(|| self.root.clone());
        let config_file = folder.as_deref().and_then(workspace::find_config);
        let resolved = self.resolved(config_file.as_deref(), notices);
        Profile::new(resolved, path, Arc::clone(&self.chooser))
    }

    fn defaults(&mut self) -> Arc<Resolved> {
        Arc::clone(
            self.defaults
                .get_or_insert_with(|| Arc::new(Resolved::defaults())),
        )
    }

    fn resolved(&mut self, file: Option<&Path>, notices: &mut Vec<Notice>) -> Arc<Resolved> {
        let key = file.map(Path::to_path_buf);
        if file.is_none() && self.client.is_none() {
            return self.defaults();
        }
        if let Some(entry) = self.cache.get(&key)
            && workspace::stamps(&entry.sources) == entry.stamps
        {
            if let Some(good) = &entry.good {
                return Arc::clone(good);
            }
            if entry.error.is_some() {
                return self.defaults();
            }
        }
        let previous = self.cache.remove(&key);
        let loaded = workspace::load(file, self.client.as_ref());
        let entry = match loaded {
            Ok(loaded) => {
                notices.extend(warnings(&loaded.warnings));
                if previous.as_ref().is_some_and(|p| p.error.is_some()) {
                    notices.push(Notice {
                        show: false,
                        kind: MessageType::INFO,
                        text: format!("reframe: configuration {} loaded again", describe(file)),
                    });
                }
                Entry {
                    good: Some(loaded.resolved),
                    stamps: workspace::stamps(&loaded.sources),
                    sources: loaded.sources,
                    error: None,
                }
            }
            Err(problems) => {
                let text = problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n");
                let good = previous.as_ref().and_then(|p| p.good.clone());
                let keeping = if good.is_some() {
                    "keeping the last configuration that worked"
                } else {
                    "using the defaults"
                };
                if previous.as_ref().and_then(|p| p.error.as_deref()) != Some(text.as_str()) {
                    notices.push(Notice {
                        show: true,
                        kind: MessageType::ERROR,
                        text: format!("reframe: broken configuration ({keeping}):\n{text}"),
                    });
                }
                // Watch what the broken configuration names, so fixing either reloads it.
                let mut sources: Vec<PathBuf> = file.map(Path::to_path_buf).into_iter().collect();
                if let Some(previous) = &previous {
                    for source in &previous.sources {
                        if !sources.contains(source) {
                            sources.push(source.clone());
                        }
                    }
                }
                Entry {
                    good,
                    stamps: workspace::stamps(&sources),
                    sources,
                    error: Some(text),
                }
            }
        };
        let resolved = entry.good.clone();
        self.cache.insert(key, entry);
        resolved.unwrap_or_else(|| self.defaults())
    }
}

fn describe(file: Option<&Path>) -> String {
    match file {
        Some(path) => path.display().to_string(),
        None => config::CLIENT_ORIGIN.to_string(),
    }
}

fn warnings(problems: &[config::Problem]) -> Vec<Notice> {
    if problems.is_empty() {
        return Vec::new();
    }
    let text = problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    vec![Notice {
        show: true,
        kind: MessageType::WARNING,
        text: format!("reframe: configuration warnings:\n{text}"),
    }]
}

fn supports_watching(caps: &ClientCapabilities) -> bool {
    caps.workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false)
}

/// The registration of `workspace/didChangeWatchedFiles` for configuration files and
/// markdown files (templates are markdown).
pub fn watch_registration() -> Registration {
    Registration {
        id: "reframe-watch-configuration".to_string(),
        method: "workspace/didChangeWatchedFiles".to_string(),
        register_options: Some(json!({
            "watchers": [
                { "globPattern": format!("**/{}", config::FILE_NAME) },
                { "globPattern": "**/*.md" },
            ]
        })),
    }
}

/// Takes `new` as the document's profile when it differs from `current` (so that an
/// unchanged configuration keeps the very profile the analysis cache was made with).
/// Gives whether it changed.
pub fn update_profile(current: &mut Profile, new: Profile) -> bool {
    if current.same_as(&new) {
        return false;
    }
    *current = new;
    true
}

/// The message shown when a document is too large for the wording rules.
pub fn limited_notice(uri: &Uri) -> Notice {
    Notice {
        show: true,
        kind: MessageType::INFO,
        text: format!(
            "reframe: {} is larger than {} MB: only the structural rules run on it \
             (placeholders, fields, sections), not the wording rules",
            uri.as_str(),
            crate::FULL_ANALYSIS_LIMIT / (1024 * 1024)
        ),
    }
}

/// Resolves the configuration of every open document again (after the settings or a
/// watched file changed, or a save). Gives the documents to re-analyse and the messages to
/// send.
pub(super) fn refresh_open_documents(state: &mut State) -> (Vec<Uri>, Vec<Notice>) {
    let mut notices = Vec::new();
    let uris: Vec<Uri> = state.documents.keys().cloned().collect();
    let now = std::time::Instant::now();
    for uri in &uris {
        let profile = state.settings.profile_for(uri, &mut notices);
        if let Some(open) = state.documents.get_mut(uri) {
            let profile = profile.chosen_for(&open.doc.text(), &mut notices);
            update_profile(&mut open.profile, profile);
            open.config_checked = now;
        }
    }
    state.config_unchecked.clear();
    (uris, notices)
}

/// Checks the configuration files of every open document (their stamps: one `stat` per
/// file), for clients that watch no files. Gives the documents whose configuration changed.
pub(super) fn recheck_open_documents(state: &mut State) -> (Vec<Uri>, Vec<Notice>) {
    let mut notices = Vec::new();
    let uris: Vec<Uri> = state.documents.keys().cloned().collect();
    let mut changed = Vec::new();
    for uri in uris {
        let profile = state.settings.profile_for(&uri, &mut notices);
        if let Some(open) = state.documents.get_mut(&uri)
            && update_profile(
                &mut open.profile,
                profile.chosen_for(&open.doc.text(), &mut notices),
            )
        {
            changed.push(uri);
        }
    }
    (changed, notices)
}

/// Sends configuration messages: each is logged, and shown when it says so.
pub(super) async fn send(client: &Client, notices: Vec<Notice>) {
    for notice in notices {
        if notice.show {
            client.show_message(notice.kind, &notice.text).await;
        }
        client.log_message(notice.kind, &notice.text).await;
    }
}

/// How far into a document front matter is looked for (lines).
const FRONT_MATTER_LINES: usize = 200;

/// The number of lines at the start of `doc` that are front matter (its fences
/// included), or 0.
fn front_matter_lines(doc: &Document) -> usize {
    if doc.line_text(0).trim_start_matches('\u{feff}').trim_end() != "---" {
        return 0;
    }
    let last = doc.line_count().min(FRONT_MATTER_LINES);
    (1..last)
        .find(|&line| matches!(doc.line_text(line).trim_end(), "---" | "..."))
        .map_or(last, |line| line + 1)
}

fn heading_line(doc: &Document, line: usize) -> bool {
    doc.line_text(line).trim_start().starts_with('#')
}

/// Whether a change about to be applied to `doc` may change the template the document is
/// checked against: a full replacement, or a change that touches the front matter, a
/// heading line, or text with `#` or a code fence in it. Called before the change.
pub fn may_change_template(
    doc: &Document,
    range: Option<Span>,
    new_text: &str,
    enc: PositionEncoding,
) -> bool {
    const MARKS: [char; 3] = ['#', '`', '~'];
    let Some(span) = range else {
        return true;
    };
    if new_text.contains(MARKS) {
        return true;
    }
    let (first, last) = if span.start.line <= span.end.line {
        (span.start.line as usize, span.end.line as usize)
    } else {
        (span.end.line as usize, span.start.line as usize)
    };
    if first < front_matter_lines(doc) || heading_line(doc, first) || heading_line(doc, last) {
        return true;
    }
    let (a, _) = doc.position_to_byte_clamped(span.start, enc);
    let (b, _) = doc.position_to_byte_clamped(span.end, enc);
    doc.slice(a.min(b)..a.max(b)).contains(MARKS)
}

/// Whether the change just applied to `doc` left a heading or front matter where it
/// starts. Called after the change.
pub fn touched_heading(doc: &Document) -> bool {
    let Some(changed) = doc.last_changed_bytes() else {
        return false;
    };
    let line = doc.line_of_byte(changed.start);
    line < front_matter_lines(doc) || heading_line(doc, line)
}
