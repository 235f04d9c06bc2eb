//! The analysis kept up to date across edits: work proportional to the edit.
//!
//! A [`Document`] is a list of chunks, each with an identifier that stays the same while
//! its text does. An [`AnalysisCache`] keeps, per chunk, in document order:
//!
//! 1. the chunk's facts ([`ChunkFacts`]: headings, fields, prose with code and markup
//!    blanked, bracketed texts, link definitions, suppression comments) and which
//!    template section each of its headings stands for;
//! 2. its model ([`DocModel`] of the chunk), which also depends on which of its bracketed
//!    texts have a link definition somewhere in the document;
//! 3. its findings from the field, placeholder and wording rules, which also depend on the
//!    template section that owns each part of the chunk.
//!
//! An update walks the chunks, reads those it has not seen, and recomputes the
//! document-level part from the cached outline: heading extents, section matching, the
//! structural and front-matter rules, and which section owns what. Headings of chunks it
//! has seen are moved over from the last update, not read again. A chunk's model and
//! findings are reused when what they depend on is unchanged (the definitions its
//! brackets name, the owning sections over its extent). Findings are kept per chunk with
//! offsets relative to the chunk, so a chunk that moves keeps them; [`FindingGroup`]s hand
//! them out that way, and [`Analysis`] (all findings and the whole model, for editor
//! requests) is assembled on demand.
//!
//! The result equals [`super::analyze_whole`] on the same text;
//! `tests/incremental_findings.rs` checks that after random edits.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, TrySendError};

use super::directives::Directive;
use super::model::{self, ChunkFacts, DocModel, FrontMatter, Heading, InlineCache};
use super::outline::{self, SectionProgress};
use super::roles::Roles;
use super::sections::{self, SectionMatch, SectionStatus};
use super::suppress;
use super::{
    Analysis, Context, Finding, Findings, SectionOwner, check_fields, check_front_matter,
    check_placeholders, check_prose, declares_template, impact,
};
use crate::document::{ChunkSyntax, Document};
use crate::template::Template;

/// The findings of one chunk, offsets relative to the chunk's start.
#[derive(Clone, Debug)]
pub struct FindingGroup {
    /// Where the chunk starts in the document.
    pub start: usize,
    /// The line the chunk starts on.
    pub first_line: usize,
    /// Identifies the findings: equal keys mean equal findings (at any start).
    pub key: u64,
    /// Sorted by position, duplicates removed, suppressed ones left out.
    pub findings: Arc<[Finding]>,
}

/// What is kept about one chunk.
struct ChunkEntry {
    facts: Arc<ChunkFacts>,
    /// The template section each heading stands for ([`sections::best_match`]).
    heading_matches: Vec<Option<(usize, u8)>>,
    /// Whether each of the chunk's bracketed texts has a definition. The chunk's model
    /// follows from these and the text; it is made when needed, not kept (it holds a copy
    /// of the prose).
    defined: Option<Vec<bool>>,
    /// The findings for the model, with the fingerprint of the section owners they were
    /// made for and their key.
    findings: Option<(u64, u64, Arc<[Finding]>)>,
    /// Those findings merged with the document-level ones in the chunk, under the key
    /// of the merge.
    merged: Option<(u64, Arc<[Finding]>)>,
}

/// One chunk of the document as of the last update.
struct Slot {
    id: u64,
    start: usize,
    len: usize,
    first_line: usize,
    entry: Box<ChunkEntry>,
    /// Where the chunk's headings are in the outline's headings.
    headings: Range<usize>,
    /// Where the chunk started and its headings were in the last update, when it was
    /// there already.
    before: Option<(usize, Range<usize>)>,
}

/// The document-level results of the last update.
#[derive(Default)]
struct Outline {
    is_writeup: bool,
    sections: Vec<SectionMatch>,
    /// Headings with their sections' extents, offsets in the document.
    headings: Vec<Heading>,
    front_matter: Option<FrontMatter>,
    /// The document's link labels, sorted.
    link_labels: Vec<String>,
    /// The chunks that define link labels, in order: while they stay, so do the labels.
    label_chunks: Vec<u64>,
    groups: Vec<FindingGroup>,
}

/// The analysis of one document, kept up to date across edits. Give it the same
/// document after every change (a different document works too, with fewer chunks
/// reused).
///
/// The cache belongs to one analysis context: when the template, configuration or phrase
/// rules are different objects from those of the last update, everything is computed
/// afresh. Keep the context alive while the cache is in use (or make a new cache), so
/// that a new context cannot reuse the address of a dropped one.
#[derive(Default)]
pub struct AnalysisCache {
    context: Option<[usize; 3]>,
    slots: Vec<Slot>,
    inlines: InlineCache,
    outline: Outline,
    /// What each template section is for (made once per context).
    roles: Option<Roles>,
    /// The section-wide findings of the last update, by what they depend on.
    impact: HashMap<SectionKey, Arc<Vec<(Finding, u64)>>>,
}

impl ChunkEntry {
    /// What is known of a chunk just read: its facts and the template section each of its
    /// headings stands for; the rest is worked out by the next outline update.
    fn new(facts: ChunkFacts, template: &Template) -> Box<ChunkEntry> {
        let heading_matches = facts
            .headings
            .iter()
            .map(|h| sections::best_match(h, template))
            .collect();
        Box::new(ChunkEntry {
            facts: Arc::new(facts),
            heading_matches,
            defined: None,
            findings: None,
            merged: None,
        })
    }
}

/// The most chunks an update may read and still keep their inline parses for the next:
/// typing reads one chunk again and again; opening a document reads all of them once.
const INLINE_CACHE_CHUNKS: usize = 8;

/// From this length on, a document analysed for the first time is read on two threads
/// ([`AnalysisCache::read_all_chunks`]); below it a thread costs more than it saves.
pub const PARALLEL_FROM: usize = 32 * 1024;

/// How many batches of chunks may wait for the reader thread; when it is behind, the
/// thread that finds the chunks reads the next batch itself.
const READER_QUEUE: usize = 4;

/// How many chunks are handed to the reader thread at a time (one message and at most one
/// wake-up per batch rather than per chunk).
const READER_BATCH: usize = 16;

/// Keys of findings made by any cache, unique in the process (below 2^63; keys of
/// findings derived from them have the top bit set).
static NEXT_KEY: AtomicU64 = AtomicU64::new(1);

/// A hash of a value (not stable across processes; only compared within one).
fn hash_of(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Moves a range by a chunk's move from `from` to `to`.
fn moved(range: &Range<usize>, from: usize, to: usize) -> Range<usize> {
    range.start - from + to..range.end - from + to
}

impl AnalysisCache {
    /// An empty cache.
    pub fn new() -> AnalysisCache {
        AnalysisCache::default()
    }

    /// Brings the analysis up to date with `doc`.
    pub fn update(&mut self, doc: &Document, cx: &Context<'_>) {
        let context = [
            std::ptr::from_ref(cx.template) as usize,
            std::ptr::from_ref(cx.config) as usize,
            std::ptr::from_ref(cx.phrases) as usize,
        ];
        if self.context != Some(context) {
            *self = AnalysisCache {
                context: Some(context),
                ..AnalysisCache::default()
            };
        }
        self.read_chunks(doc, cx);
        self.update_outline(doc, cx);
    }

    /// Walks the document's chunks, keeping what is known about those seen before
    /// (in order) and reading the others.
    fn read_chunks(&mut self, doc: &Document, cx: &Context<'_>) {
        if self.slots.is_empty() && doc.len_bytes() >= PARALLEL_FROM {
            self.read_all_chunks(doc, cx);
            return;
        }
        let mut old: Vec<Option<Slot>> = std::mem::take(&mut self.slots)
            .into_iter()
            .map(Some)
            .collect();
        let newest_old = old.iter().flatten().map(|s| s.id).max().unwrap_or(0);
        let mut next_old = 0;
        let mut old_index: Option<HashMap<u64, usize>> = None;
        let mut slots = Vec::with_capacity(old.len());
        let mut line = 0;
        let mut read = 0;
        let inlines = &mut self.inlines;
        inlines.next_round();
        doc.visit_chunks(|chunk| {
            let range = chunk.range();
            let id = chunk.id();
            // Chunks seen before come in the same order: look at the next one first.
            let found = if old
                .get(next_old)
                .is_some_and(|s| s.as_ref().is_some_and(|s| s.id == id))
            {
                Some(next_old)
            } else if id > newest_old {
                None
            } else {
                old_index
                    .get_or_insert_with(|| {
                        old.iter()
                            .enumerate()
                            .filter_map(|(i, s)| Some((s.as_ref()?.id, i)))
                            .collect()
                    })
                    .get(&id)
                    .copied()
            };
            let seen = found.and_then(|i| {
                next_old = i + 1;
                old.get_mut(i)?.take()
            });
            let (entry, before) = match seen {
                Some(slot) => (slot.entry, Some((slot.start, slot.headings))),
                None => {
                    read += 1;
                    let facts = model::read_chunk(&chunk.syntax(), inlines);
                    (ChunkEntry::new(facts, cx.template), None)
                }
            };
            let line_breaks = entry.facts.line_breaks;
            slots.push(Slot {
                id,
                start: range.start,
                len: range.len(),
                first_line: line,
                entry,
                headings: 0..0,
                before,
            });
            line += line_breaks;
        });
        self.slots = slots;
        if read > INLINE_CACHE_CHUNKS {
            // Not an edit (an open, or a change that moved many chunks): the inline
            // parses of this round are unlikely to be asked for again.
            self.inlines = InlineCache::default();
        }
    }

    /// Reads every chunk of a document seen for the first time, on two threads: this one
    /// finds the chunks (their block parses must run in order) and hands them, a batch
    /// of [`READER_BATCH`] at a time, to a reader thread while that one keeps up, reading
    /// a batch itself when the reader is behind. Reading a chunk is its facts and the
    /// template sections its headings stand for. A chunk's facts depend on its syntax
    /// alone, so who reads it does not change them. A panic on the reader thread is
    /// passed on, as if it had happened here.
    fn read_all_chunks(&mut self, doc: &Document, cx: &Context<'_>) {
        type Batch = Vec<(usize, ChunkSyntax)>;
        let template = cx.template;
        let read =
            |batch: Batch, inlines: &mut InlineCache, out: &mut Vec<(usize, Box<ChunkEntry>)>| {
                for (index, syntax) in batch {
                    let facts = model::read_chunk(&syntax, inlines);
                    drop(syntax);
                    out.push((index, ChunkEntry::new(facts, template)));
                }
            };
        // Each chunk: identifier and extent, in order.
        let mut chunks: Vec<(u64, Range<usize>)> = Vec::new();
        let mut entries: Vec<(usize, Box<ChunkEntry>)> = Vec::new();
        let handed = std::thread::scope(|scope| {
            let (send, receive) = mpsc::sync_channel::<Batch>(READER_QUEUE);
            let reader = std::thread::Builder::new()
                .name("reframe-read".into())
                .spawn_scoped(scope, move || {
                    let mut inlines = InlineCache::default();
                    let mut out = Vec::new();
                    for batch in receive {
                        read(batch, &mut inlines, &mut out);
                    }
                    out
                });
            let mut send = reader.is_ok().then_some(send);
            let mut inlines = InlineCache::default();
            let mut batch: Batch = Vec::with_capacity(READER_BATCH);
            let mut hand = |batch: Batch, entries: &mut Vec<(usize, Box<ChunkEntry>)>| {
                let batch = match &send {
                    None => batch,
                    Some(s) => match s.try_send(batch) {
                        Ok(()) => return,
                        Err(TrySendError::Full(batch)) => batch,
                        Err(TrySendError::Disconnected(batch)) => {
                            send = None;
                            batch
                        }
                    },
                };
                read(batch, &mut inlines, entries);
            };
            doc.visit_chunks(|chunk| {
                let index = chunks.len();
                chunks.push((chunk.id(), chunk.range()));
                batch.push((index, chunk.syntax()));
                if batch.len() >= READER_BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(READER_BATCH));
                    hand(full, &mut entries);
                }
            });
            if !batch.is_empty() {
                hand(batch, &mut entries);
            }
            // The reader's input ends here, so it finishes (`hand`'s borrow of it ended).
            drop(send);
            match reader.map(|handle| handle.join()) {
                Ok(Ok(read)) => read,
                Ok(Err(panic)) => std::panic::resume_unwind(panic),
                Err(_) => Vec::new(),
            }
        });
        let mut slots_entries: Vec<Option<Box<ChunkEntry>>> = Vec::new();
        slots_entries.resize_with(chunks.len(), || None);
        for (index, entry) in entries.into_iter().chain(handed) {
            if let Some(slot) = slots_entries.get_mut(index) {
                *slot = Some(entry);
            }
        }
        let mut line = 0;
        let mut slots = Vec::with_capacity(chunks.len());
        for ((id, range), entry) in chunks.into_iter().zip(slots_entries) {
            // Every chunk was read by one thread or the other; should one be missing, it
            // is read now.
            let entry = entry.unwrap_or_else(|| {
                let mut fallback = InlineCache::default();
                let facts = model::read_chunk(&doc.parse_chunk(range.clone()), &mut fallback);
                ChunkEntry::new(facts, template)
            });
            let line_breaks = entry.facts.line_breaks;
            slots.push(Slot {
                id,
                start: range.start,
                len: range.len(),
                first_line: line,
                entry,
                headings: 0..0,
                before: None,
            });
            line += line_breaks;
        }
        self.slots = slots;
        self.inlines = InlineCache::default();
    }

    /// Recomputes the document-level results and each chunk's findings where what they
    /// depend on changed.
    fn update_outline(&mut self, doc: &Document, cx: &Context<'_>) {
        let old = std::mem::take(&mut self.outline);
        let mut outline = Outline::default();

        // Headings: moved over from the last update for chunks seen before.
        let mut old_headings = old.headings.into_iter().enumerate().peekable();
        let mut headings: Vec<Heading> = Vec::with_capacity(old_headings.len());
        let mut best: Vec<Option<(usize, u8)>> = Vec::with_capacity(old_headings.len());
        for slot in &mut self.slots {
            let first = headings.len();
            let count = slot.entry.facts.headings.len();
            let moved_over = slot.before.as_ref().is_some_and(|(_, r)| r.len() == count);
            if let (true, Some((old_start, range))) = (moved_over, &slot.before) {
                while old_headings.peek().is_some_and(|(i, _)| *i < range.start) {
                    old_headings.next();
                }
                for (_, heading) in old_headings.by_ref().take(range.len()) {
                    headings.push(Heading {
                        range: moved(&heading.range, *old_start, slot.start),
                        text_range: moved(&heading.text_range, *old_start, slot.start),
                        ..heading
                    });
                }
            } else {
                headings.extend(slot.entry.facts.headings.iter().map(|h| Heading {
                    range: moved(&h.range, 0, slot.start),
                    text_range: moved(&h.text_range, 0, slot.start),
                    ..h.clone()
                }));
            }
            slot.headings = first..headings.len();
            best.extend(slot.entry.heading_matches.iter().copied());
        }
        drop(old_headings);
        finish_headings(&mut headings, &self.slots, doc.len_bytes());
        outline.sections = sections::match_sections_with(&best, cx.template.sections.len());
        outline.front_matter = self.slots.first().and_then(|slot| {
            let fm = slot.entry.facts.front_matter.as_ref()?;
            Some(shift_front_matter(fm, slot.start))
        });

        // Link labels: unchanged while the chunks that define them are.
        outline.label_chunks = self
            .slots
            .iter()
            .filter(|s| !s.entry.facts.link_labels.is_empty())
            .map(|s| s.id)
            .collect();
        let labels_changed = if outline.label_chunks == old.label_chunks {
            outline.link_labels = old.link_labels;
            false
        } else {
            let mut labels: Vec<String> = self
                .slots
                .iter()
                .flat_map(|s| s.entry.facts.link_labels.iter().cloned())
                .collect();
            labels.sort_unstable();
            labels.dedup();
            let changed = labels != old.link_labels;
            outline.link_labels = labels;
            changed
        };
        let mut label_set: Option<HashSet<&str>> = None;
        for slot in &mut self.slots {
            let entry = &mut slot.entry;
            if !labels_changed && entry.defined.is_some() {
                continue;
            }
            let set = label_set
                .get_or_insert_with(|| outline.link_labels.iter().map(String::as_str).collect());
            let defined: Vec<bool> = entry
                .facts
                .link_candidates()
                .map(|label| set.contains(label))
                .collect();
            if entry.defined.as_ref() != Some(&defined) {
                entry.defined = Some(defined);
                entry.findings = None;
            }
        }
        drop(label_set);

        let outline_model = DocModel {
            front_matter: outline.front_matter.take(),
            headings,
            ..DocModel::default()
        };
        outline.is_writeup = cx.config.all_markdown
            || declares_template(&outline_model)
            || sections::recognised(&outline.sections, cx.template) >= 2;
        if outline.is_writeup {
            // Document-level findings: structure and front matter.
            let mut out = Findings {
                config: cx.config,
                items: Vec::new(),
            };
            sections::check_structure(&outline_model, cx.template, &outline.sections, &mut out);
            check_front_matter(&outline_model, cx.template, &mut out);
            let section_wide =
                self.section_findings(doc, cx, &outline_model.headings, &outline.sections);
            let owner = SectionOwner::new(&outline_model, &outline.sections, cx.template);
            let directives: Vec<Directive> = self
                .slots
                .iter()
                .flat_map(|slot| {
                    slot.entry.facts.directives.iter().map(|d| Directive {
                        range: moved(&d.range, 0, slot.start),
                        ..d.clone()
                    })
                })
                .collect();
            outline.groups =
                self.chunk_findings(doc, cx, &owner, out.items, section_wide, &directives);
        }
        outline.front_matter = outline_model.front_matter;
        outline.headings = outline_model.headings;
        self.outline = outline;
    }

    /// Each chunk's findings: reused when the owning sections over the chunk are
    /// unchanged, merged with the document-level findings that fall in the chunk (those
    /// of `before` made before the chunk's own, those of `after` after them, as one pass
    /// over the whole document makes them), with suppressed ones left out.
    fn chunk_findings(
        &mut self,
        doc: &Document,
        cx: &Context<'_>,
        owner: &SectionOwner<'_>,
        before: Vec<Finding>,
        after: Vec<(Finding, u64)>,
        directives: &[Directive],
    ) -> Vec<FindingGroup> {
        // Document-level findings by chunk, offsets relative to it, in the order made,
        // each with a hash of what it says.
        let slots = &self.slots;
        let place = |finding: Finding, hash: Option<u64>| {
            let at = finding.range.start;
            let index = slots.partition_point(|s| s.start <= at).saturating_sub(1);
            let base = slots.get(index).map_or(0, |s| s.start);
            let finding = Finding {
                range: finding.range.start - base..finding.range.end - base,
                ..finding
            };
            let hash = hash.unwrap_or_else(|| finding_hash(&finding));
            (index, finding, hash)
        };
        let mut before: Vec<(usize, Finding, u64)> =
            before.into_iter().map(|f| place(f, None)).collect();
        let mut after: Vec<(usize, Finding, u64)> =
            after.into_iter().map(|(f, h)| place(f, Some(h))).collect();
        before.sort_by_key(|(index, _, _)| *index);
        after.sort_by_key(|(index, _, _)| *index);
        let mut before = before.into_iter().peekable();
        let mut after = after.into_iter().peekable();

        let mut groups = Vec::with_capacity(self.slots.len());
        for (index, slot) in self.slots.iter_mut().enumerate() {
            let entry = &mut slot.entry;
            let Some(defined) = &entry.defined else {
                continue;
            };
            let fingerprint = owner.fingerprint(slot.start, slot.len);
            let (key, findings) = match &entry.findings {
                Some((seen, key, findings)) if *seen == fingerprint => (*key, Arc::clone(findings)),
                _ => {
                    let local = SectionOwner {
                        spans: owner.restricted(slot.start, slot.len).collect(),
                        template: cx.template,
                    };
                    let mut out = Findings {
                        config: cx.config,
                        items: Vec::new(),
                    };
                    let text = doc.slice(slot.start..slot.start + slot.len);
                    let model = entry.facts.model(&text, defined);
                    check_fields(&model, &text, cx.template, &local, &mut out);
                    check_placeholders(&model, cx.template, &local, &mut out);
                    check_prose(&model, &text, cx, &local, &mut out);
                    let mut items = out.items;
                    sort_and_dedup(&mut items);
                    let findings: Arc<[Finding]> = items.into();
                    let key = NEXT_KEY.fetch_add(1, Ordering::Relaxed);
                    entry.findings = Some((fingerprint, key, Arc::clone(&findings)));
                    (key, findings)
                }
            };
            let mut group = FindingGroup {
                start: slot.start,
                first_line: slot.first_line,
                key,
                findings,
            };
            let mut first: Vec<(Finding, u64)> = Vec::new();
            while let Some((_, finding, hash)) = before.next_if(|(i, _, _)| *i == index) {
                first.push((finding, hash));
            }
            let mut last: Vec<(Finding, u64)> = Vec::new();
            while let Some((_, finding, hash)) = after.next_if(|(i, _, _)| *i == index) {
                last.push((finding, hash));
            }
            if !first.is_empty() || !last.is_empty() {
                let mut hasher = DefaultHasher::new();
                key.hash(&mut hasher);
                first.iter().for_each(|(_, h)| h.hash(&mut hasher));
                0xff_u8.hash(&mut hasher);
                last.iter().for_each(|(_, h)| h.hash(&mut hasher));
                let merged_key = hasher.finish() | 1 << 63;
                match &entry.merged {
                    Some((seen, findings)) if *seen == merged_key => {
                        group.key = merged_key;
                        group.findings = Arc::clone(findings);
                    }
                    _ => {
                        let mut all: Vec<Finding> = first.into_iter().map(|(f, _)| f).collect();
                        all.extend(group.findings.iter().cloned());
                        all.extend(last.into_iter().map(|(f, _)| f));
                        sort_and_dedup(&mut all);
                        group.key = merged_key;
                        group.findings = all.into();
                        entry.merged = Some((merged_key, Arc::clone(&group.findings)));
                    }
                }
            }
            if !directives.is_empty() {
                apply_suppression(doc, directives, &mut group);
            }
            if !group.findings.is_empty() {
                groups.push(group);
            }
        }
        groups
    }

    /// The findings of the rules that read whole sections at a time (`impact-evidence`),
    /// offsets in the document, each with a hash of what it says. A section's findings are
    /// kept while the chunks under it and its extent over them are unchanged.
    fn section_findings(
        &mut self,
        doc: &Document,
        cx: &Context<'_>,
        headings: &[Heading],
        sections: &[SectionMatch],
    ) -> Vec<(Finding, u64)> {
        let roles = self.roles.get_or_insert_with(|| Roles::of(cx.template));
        let mut old = std::mem::take(&mut self.impact);
        let mut out = Vec::new();
        for &section in &roles.impact {
            let Some(m) = sections.get(section) else {
                continue;
            };
            for &h in &m.headings {
                let Some(heading) = headings.get(h) else {
                    continue;
                };
                let span = heading.range.end..heading.section_end;
                if span.is_empty() {
                    continue;
                }
                let slots = &self.slots;
                let first = slots
                    .partition_point(|s| s.start <= span.start)
                    .saturating_sub(1);
                let last = slots
                    .partition_point(|s| s.start < span.end)
                    .saturating_sub(1)
                    .max(first);
                let Some(covering) = slots.get(first..=last) else {
                    continue;
                };
                let base = covering.first().map_or(0, |s| s.start);
                let key = SectionKey {
                    section,
                    chunks: covering.iter().map(|s| s.id).collect(),
                    heading: heading.range.start - base..heading.range.end - base,
                    end: span.end - base,
                };
                let found = match old.remove(&key) {
                    Some(found) => found,
                    None => Arc::new(impact_of(doc, cx, covering, heading, &key, m)),
                };
                out.extend(found.iter().map(|(f, hash)| {
                    let finding = Finding {
                        range: moved(&f.range, 0, base),
                        ..f.clone()
                    };
                    (finding, *hash)
                }));
                self.impact.insert(key, found);
            }
        }
        out
    }
    /// Whether the document was recognised as a write-up, as of the last update.
    pub fn is_writeup(&self) -> bool {
        self.outline.is_writeup
    }

    /// The findings of the last update, grouped by chunk, in document order.
    pub fn groups(&self) -> &[FindingGroup] {
        &self.outline.groups
    }

    /// The number of findings of the last update.
    pub fn finding_count(&self) -> usize {
        self.outline.groups.iter().map(|g| g.findings.len()).sum()
    }

    /// The findings of the last update, offsets in the document.
    pub fn findings(&self) -> Vec<Finding> {
        let mut all = Vec::with_capacity(self.finding_count());
        for group in &self.outline.groups {
            all.extend(group.findings.iter().map(|f| Finding {
                range: moved(&f.range, 0, group.start),
                ..f.clone()
            }));
        }
        all
    }

    /// The fill progress of each template section present ([`outline::progress`]), as of
    /// the last update. Reads only the chunks under the headings that stand for template
    /// sections, so it costs little more than those chunks.
    pub fn progress(&self, template: &Template) -> Vec<SectionProgress> {
        let headings = &self.outline.headings;
        let spans: Vec<Range<usize>> = self
            .outline
            .sections
            .iter()
            .flat_map(|m| m.headings.iter())
            .filter_map(|&h| {
                let heading = headings.get(h)?;
                Some(heading.range.start..heading.section_end.max(heading.range.end + 1))
            })
            .collect();
        let wanted = |start: usize, len: usize| {
            spans
                .iter()
                .any(|s| s.start < start + len.max(1) && start < s.end)
        };
        let mut model = DocModel {
            headings: headings.clone(),
            ..DocModel::default()
        };
        for slot in self.slots.iter().filter(|s| wanted(s.start, s.len)) {
            model
                .fields
                .extend(slot.entry.facts.fields.iter().map(|f| model::Field {
                    label_range: moved(&f.label_range, 0, slot.start),
                    value_range: moved(&f.value_range, 0, slot.start),
                    item_range: moved(&f.item_range, 0, slot.start),
                    ..f.clone()
                }));
        }
        let mut findings = Vec::new();
        for (group, slot) in self.outline.groups.iter().filter_map(|g| {
            let index = self
                .slots
                .partition_point(|s| s.start <= g.start)
                .checked_sub(1)?;
            Some((g, self.slots.get(index)?))
        }) {
            if wanted(slot.start, slot.len) {
                findings.extend(group.findings.iter().map(|f| Finding {
                    range: moved(&f.range, 0, group.start),
                    ..f.clone()
                }));
            }
        }
        let partial = Analysis {
            is_writeup: self.outline.is_writeup,
            findings,
            sections: self.outline.sections.clone(),
            model,
        };
        outline::progress(&partial, template)
    }

    /// The whole analysis of `doc` as of the last update (the document the last update
    /// was given): assembled, so it costs a model of every chunk and a copy of the
    /// findings.
    pub fn analysis(&self, doc: &Document) -> Analysis {
        let mut model = DocModel::default();
        for slot in &self.slots {
            let Some(defined) = &slot.entry.defined else {
                continue;
            };
            let text = doc.slice(slot.start..slot.start + slot.len);
            let part = DocModel {
                front_matter: None,
                headings: Vec::new(),
                link_labels: HashSet::new(),
                ..slot.entry.facts.model(&text, defined)
            };
            model.append(part, slot.start);
        }
        model.front_matter = self.outline.front_matter.clone();
        model.headings = self.outline.headings.clone();
        model.link_labels = self.outline.link_labels.iter().cloned().collect();
        Analysis {
            is_writeup: self.outline.is_writeup,
            findings: self.findings(),
            sections: self.outline.sections.clone(),
            model,
        }
    }
}

/// What the findings over one section's extent depend on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct SectionKey {
    /// The template section the heading stands for.
    section: usize,
    /// The chunks the section's extent covers, in order.
    chunks: Vec<u64>,
    /// The heading and the end of its section, relative to the first chunk.
    heading: Range<usize>,
    end: usize,
}

/// The `impact-evidence` findings of one section (offsets relative to its first chunk),
/// from a model of just the chunks under it, each with a hash of what it says.
fn impact_of(
    doc: &Document,
    cx: &Context<'_>,
    covering: &[Slot],
    heading: &Heading,
    key: &SectionKey,
    m: &SectionMatch,
) -> Vec<(Finding, u64)> {
    let (Some(first), Some(last)) = (covering.first(), covering.last()) else {
        return Vec::new();
    };
    let base = first.start;
    let text = doc.slice(base..last.start + last.len);
    let mut model = DocModel::default();
    for slot in covering {
        let Some(defined) = &slot.entry.defined else {
            continue;
        };
        let part_text = doc.slice(slot.start..slot.start + slot.len);
        let part = DocModel {
            front_matter: None,
            headings: Vec::new(),
            link_labels: HashSet::new(),
            ..slot.entry.facts.model(&part_text, defined)
        };
        model.append(part, slot.start - base);
    }
    model.headings = vec![Heading {
        range: key.heading.clone(),
        text_range: heading.text_range.start - base..heading.text_range.end - base,
        section_end: key.end,
        ..heading.clone()
    }];
    // Only this section, standing for its template section through heading 0.
    let mut sections: Vec<SectionMatch> = (0..cx.template.sections.len())
        .map(|_| SectionMatch {
            status: SectionStatus::Missing,
            headings: Vec::new(),
        })
        .collect();
    if let Some(only) = sections.get_mut(key.section) {
        *only = SectionMatch {
            status: m.status,
            headings: vec![0],
        };
    }
    let mut out = Findings {
        config: cx.config,
        items: Vec::new(),
    };
    impact::check(&model, &text, cx.template, &sections, &mut out);
    out.items
        .into_iter()
        .map(|finding| {
            let hash = finding_hash(&finding);
            (finding, hash)
        })
        .collect()
}

/// A hash of everything a finding says (not stable across processes).
fn finding_hash(finding: &Finding) -> u64 {
    let mut hasher = DefaultHasher::new();
    finding.code.hash(&mut hasher);
    finding.range.hash(&mut hasher);
    finding.severity.hash(&mut hasher);
    finding.message.hash(&mut hasher);
    finding.data.hash(&mut hasher);
    hasher.finish()
}

/// Fills each heading's section end (the next heading of the same or a higher level) and
/// whether the section holds content, as `model::finish_headings` does, reading content
/// starts from the chunks.
fn finish_headings(headings: &mut [Heading], slots: &[Slot], len: usize) {
    // The next heading at the same or a higher level, found right to left.
    let mut stack: Vec<usize> = Vec::new();
    let mut ends = vec![len; headings.len()];
    for i in (0..headings.len()).rev() {
        while stack
            .last()
            .is_some_and(|&j| headings[j].level > headings[i].level)
        {
            stack.pop();
        }
        if let Some(&j) = stack.last() {
            ends[i] = headings[j].range.start;
        }
        stack.push(i);
    }
    // The first chunk at or after each chunk that has content.
    let mut next_with_content = vec![usize::MAX; slots.len() + 1];
    for i in (0..slots.len()).rev() {
        next_with_content[i] = if slots[i].entry.facts.content_starts.is_empty() {
            next_with_content[i + 1]
        } else {
            i
        };
    }
    let first_content_from = |from: usize| -> Option<usize> {
        let index = slots.partition_point(|s| s.start <= from).saturating_sub(1);
        let slot = slots.get(index)?;
        let starts = &slot.entry.facts.content_starts;
        let relative = from.saturating_sub(slot.start);
        let at = starts.partition_point(|&s| s < relative);
        if let Some(&s) = starts.get(at) {
            return Some(s + slot.start);
        }
        let next = *next_with_content.get(index + 1)?;
        let slot = slots.get(next)?;
        Some(slot.entry.facts.content_starts.first()? + slot.start)
    };
    for (heading, end) in headings.iter_mut().zip(ends) {
        heading.section_end = end;
        heading.has_content = first_content_from(heading.range.end).is_some_and(|s| s < end);
    }
}

impl SectionOwner<'_> {
    /// The spans that decide [`SectionOwner::section_at`] for the bytes of
    /// `start..start + len`, relative to `start` and clipped to it, so that a
    /// `SectionOwner` made of them answers the same for those bytes.
    fn restricted(
        &self,
        start: usize,
        len: usize,
    ) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        let end = start + len;
        // The last span starting at or before `start`, then those starting inside.
        let first = self
            .spans
            .partition_point(|s| s.0 <= start)
            .saturating_sub(1);
        self.spans[first..]
            .iter()
            .take_while(move |s| s.0 < end)
            .filter(move |s| s.0 > start || s.1 > start)
            .map(move |&(s, e, index)| {
                (
                    s.saturating_sub(start),
                    e.min(end).saturating_sub(start),
                    index,
                )
            })
    }

    /// A fingerprint of [`SectionOwner::restricted`]: equal when the owners of the bytes
    /// of a chunk are.
    fn fingerprint(&self, start: usize, len: usize) -> u64 {
        let mut hasher = DefaultHasher::new();
        for span in self.restricted(start, len) {
            span.hash(&mut hasher);
        }
        hasher.finish()
    }
}

/// Sorts findings by position and rule, keeping the order they were made in among
/// equals, and removes repeats.
pub(crate) fn sort_and_dedup(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code))
    });
    findings.dedup_by(|a, b| a.code == b.code && a.range == b.range && a.message == b.message);
}

/// Leaves out of a group the findings that suppression comments turn off.
fn apply_suppression(doc: &Document, directives: &[Directive], group: &mut FindingGroup) {
    let keep: Vec<bool> = group
        .findings
        .iter()
        .map(|f| !suppress::suppressed(doc, directives, f.code, f.range.start + group.start))
        .collect();
    if keep.iter().all(|&k| k) {
        return;
    }
    let kept: Vec<Finding> = group
        .findings
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(f, _)| f.clone())
        .collect();
    group.key = hash_of(&(group.key, keep)) | 1 << 63;
    group.findings = kept.into();
}

fn shift_front_matter(fm: &FrontMatter, offset: usize) -> FrontMatter {
    FrontMatter {
        range: moved(&fm.range, 0, offset),
        entries: fm
            .entries
            .iter()
            .map(|e| model::FrontMatterEntry {
                line_range: moved(&e.line_range, 0, offset),
                ..e.clone()
            })
            .collect(),
    }
}
