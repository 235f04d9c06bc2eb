//! Which template one write-up is checked against, for the command line and the server
//! alike: the template its front matter names (`template: NAME`, looked up with
//! [`crate::named_template`]), else the one its headings fit best among
//! [`crate::candidate_templates`] ([`template_choice::choose_by_headings`]), else the
//! configured one.
//!
//! A [`Chooser`] keeps, per configuration, the candidates and the configurations with
//! another template swapped in, so a document that keeps its template keeps the very
//! same `Arc<Resolved>` from one call to the next (the server's analysis cache is kept by
//! that identity). It is shared between threads (the server's workspace scan).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use reframe_core::analysis::Finding;
use reframe_core::config::Resolved;
use reframe_core::template::Template;
use reframe_core::template_choice;

use crate::Named;

/// What a write-up is checked with.
#[derive(Clone, Debug)]
pub struct Choice {
    /// The configuration, with the chosen template.
    pub resolved: Arc<Resolved>,
    /// Findings from outside the analysis: the front matter names a template nobody
    /// knows (`unknown-template`).
    pub extra: Vec<Finding>,
    /// The front matter names a template file that cannot be used (unreadable, or not a
    /// template): the message; the configured template is used meanwhile.
    pub broken: Option<String>,
}

/// The choices made for one configuration.
struct Entry {
    base: Arc<Resolved>,
    /// [`crate::candidate_templates`], read the first time a document names no template.
    candidates: Option<Vec<Arc<Template>>>,
    /// The configuration with another template swapped in, by template name.
    swapped: HashMap<String, Arc<Resolved>>,
    /// What a front-matter name gives, by name: `None` for the configured template.
    named: HashMap<String, Result<Option<Arc<Resolved>>, NameProblem>>,
}

#[derive(Clone)]
enum NameProblem {
    Unknown(Vec<String>),
    Broken(String),
}

/// Chooses templates; see the module documentation.
#[derive(Default)]
pub struct Chooser {
    entries: Mutex<Vec<Entry>>,
    /// Messages already given ([`Chooser::first_time`]).
    said: Mutex<HashSet<String>>,
}

impl std::fmt::Debug for Chooser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chooser").finish_non_exhaustive()
    }
}

/// At most this many configurations are remembered; the oldest goes first.
const MAX_ENTRIES: usize = 64;

impl Chooser {
    pub fn new() -> Chooser {
        Chooser::default()
    }

    /// Whether `message` is new: true the first time only (a broken template file is
    /// said once, not at every keystroke).
    pub fn first_time(&self, message: &str) -> bool {
        let mut said = self.said.lock().unwrap_or_else(|p| p.into_inner());
        if said.contains(message) {
            return false;
        }
        if said.len() >= MAX_ENTRIES {
            said.clear();
        }
        said.insert(message.to_string())
    }

    /// The template `text` is checked against, with `base` as its configuration.
    pub fn choose(&self, base: &Arc<Resolved>, text: &str) -> Choice {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        // Configurations nobody else holds any more are forgotten (a reloaded file).
        entries.retain(|e| Arc::strong_count(&e.base) > 1 || Arc::ptr_eq(&e.base, base));
        let index = match entries.iter().position(|e| Arc::ptr_eq(&e.base, base)) {
            Some(index) => index,
            None => {
                if entries.len() >= MAX_ENTRIES {
                    entries.remove(0);
                }
                entries.push(Entry {
                    base: Arc::clone(base),
                    candidates: None,
                    swapped: HashMap::new(),
                    named: HashMap::new(),
                });
                entries.len() - 1
            }
        };
        let entry = &mut entries[index];
        let mut choice = Choice {
            resolved: Arc::clone(base),
            extra: Vec::new(),
            broken: None,
        };
        if let Some((name, range)) = template_choice::front_matter_template(text) {
            let known = match entry.named.get(&name) {
                Some(known) => known.clone(),
                None => {
                    let found = match crate::named_template(base, &name) {
                        Named::Configured => Ok(None),
                        Named::Found(template) => Ok(Some(entry.swap(template))),
                        Named::Unknown(known) => Err(NameProblem::Unknown(known)),
                        Named::Broken(message) => Err(NameProblem::Broken(message)),
                    };
                    entry.named.insert(name.clone(), found.clone());
                    found
                }
            };
            match known {
                Ok(Some(resolved)) => choice.resolved = resolved,
                Ok(None) => {}
                Err(NameProblem::Unknown(known)) => {
                    choice
                        .extra
                        .extend(template_choice::unknown_template(&name, range, &known));
                }
                Err(NameProblem::Broken(message)) => choice.broken = Some(message),
            }
            return choice;
        }
        let candidates = entry
            .candidates
            .get_or_insert_with(|| crate::candidate_templates(base))
            .clone();
        let list: Vec<&Template> = candidates.iter().map(|t| t.as_ref()).collect();
        let (index, _) = template_choice::choose_by_headings(text, &list, 0);
        if index > 0
            && let Some(template) = candidates.get(index)
        {
            choice.resolved = entry.swap(Arc::clone(template));
        }
        choice
    }
}

impl Entry {
    /// The base configuration with `template` in place of its own, made once per name.
    fn swap(&mut self, template: Arc<Template>) -> Arc<Resolved> {
        let base = &self.base;
        Arc::clone(
            self.swapped
                .entry(template.name.clone())
                .or_insert_with(|| {
                    let mut swapped = Resolved::clone(base);
                    swapped.template = template;
                    Arc::new(swapped)
                }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_choice_is_the_same_configuration() {
        let base = Arc::new(Resolved::defaults());
        let chooser = Chooser::new();
        let star = "## Situation\n\nx\n\n## Task\n\ny\n\n## Action\n\nz\n";
        let first = chooser.choose(&base, star);
        assert_eq!(first.resolved.template.name, "star");
        let again = chooser.choose(&base, &format!("{star}\nmore\n"));
        assert!(Arc::ptr_eq(&first.resolved, &again.resolved));
        let named = chooser.choose(&base, "---\ntemplate: star\n---\n# x\n");
        assert!(Arc::ptr_eq(&first.resolved, &named.resolved));
        let plain = chooser.choose(&base, "# Readme\n\ntext\n");
        assert!(Arc::ptr_eq(&plain.resolved, &base));
        let unknown = chooser.choose(&base, "---\ntemplate: stra\n---\n");
        assert!(Arc::ptr_eq(&unknown.resolved, &base));
        assert_eq!(unknown.extra.len(), 1);
        assert!(
            unknown.extra[0].message.contains("star"),
            "{:?}",
            unknown.extra
        );
    }
}
