//! Benchmarks of the core on generated write-ups of about 5 KB, 100 KB and 1 MB:
//!
//! - `parse`: a new document, every chunk's block tree parsed (inline trees are parsed
//!   by the analysis, on demand);
//! - `analyze`: the whole analysis of a new document, parse included (what opening a
//!   document costs);
//! - `edit_and_analyze`: one character typed in the middle of the document, then the
//!   analysis brought up to date, as the server does on every keystroke.
//!
//! Run with `cargo bench --bench core` (add `-- 1MB` to run one size).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use reframe_core::analysis::{AnalysisCache, Context, analyze};
use reframe_core::config::Config;
use reframe_core::document::{Document, PositionEncoding, Span};
use reframe_core::rules::phrases::PhraseRules;
use reframe_core::template::Template;

#[path = "support/writeup.rs"]
#[allow(dead_code)]
mod support;

use support::{SIZES, writeup};

/// The byte offset of the middle of a document's text, on a character boundary.
fn middle(text: &str) -> usize {
    let mut at = text.len() / 2;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn benches(c: &mut Criterion) {
    let config = Config::default();
    let phrases = PhraseRules::builtin();
    let cx = Context {
        template: Template::builtin(),
        config: &config,
        phrases: &phrases,
    };
    let enc = PositionEncoding::Utf16;

    let mut group = c.benchmark_group("parse");
    for &(name, bytes) in SIZES {
        let text = writeup(bytes, 42);
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                let doc = Document::new(black_box(&text));
                doc.visit_chunks(|chunk| {
                    black_box(chunk.syntax());
                });
                doc
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("analyze");
    for &(name, bytes) in SIZES {
        let text = writeup(bytes, 42);
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| analyze(&Document::new(black_box(&text)), &cx))
        });
    }
    group.finish();

    // One keystroke: insert a letter in the middle (or delete it again, every other
    // iteration, so the document stays the same size), then analyse.
    let mut group = c.benchmark_group("edit_and_analyze");
    for &(name, bytes) in SIZES {
        let text = writeup(bytes, 42);
        let mut doc = Document::new(&text);
        let at = doc.byte_to_position(middle(&text), enc);
        let after = reframe_core::document::Position::new(at.line, at.character + 1);
        let mut cache = AnalysisCache::new();
        cache.update(&doc, &cx);
        let mut inserted = false;
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                if inserted {
                    doc.apply_change(Some(Span::new(at, after)), "", enc);
                } else {
                    doc.apply_change(Some(Span::new(at, at)), "x", enc);
                }
                inserted = !inserted;
                cache.update(black_box(&doc), &cx);
                cache.finding_count()
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = core;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = benches
}
criterion_main!(core);
