//! Whole-pipeline and per-stage speed over a (language, size) table.
//!
//! Inputs: the French and English seed articles at their own size (about 1-3 KB), and each repeated,
//! paragraph by paragraph, up to about 10 KB, 100 KB and 1 MiB. Repetition makes the long inputs
//! unusually redundant (every sentence recurs), which is fine for measuring cost per byte but not for
//! judging output. Stages go through [`Analyzer::analyze`] with one feature at a time; `prepare` asks
//! for `Sentences` only (language detection, segmentation, tokens), so each stage's own cost is its
//! figure minus `prepare`. `parties` includes the sentence scores it reuses from the summary ranker.

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gleaner::analysis::{Analyzer, Document, Feature, Options};

const FRENCH: &str = include_str!("../seeds/article-fr-diplomatie.txt");
const ENGLISH: &str = include_str!("../seeds/article-en-port-strike.txt");

/// `seed`'s paragraphs repeated in order until the text reaches `target` bytes (whole paragraphs).
fn repeated(seed: &str, target: usize) -> String {
    let paragraphs: Vec<&str> = seed.split('\n').filter(|p| !p.trim().is_empty()).collect();
    let mut out = String::with_capacity(target + seed.len());
    while out.len() < target {
        for p in &paragraphs {
            out.push_str(p);
            out.push('\n');
            if out.len() >= target {
                break;
            }
        }
    }
    out
}

fn inputs() -> Vec<(&'static str, &'static str, String)> {
    let mut out = Vec::new();
    for (lang, seed) in [("fr", FRENCH), ("en", ENGLISH)] {
        out.push((lang, "seed", seed.to_string()));
        for (name, size) in [
            ("10k", 10 * 1024),
            ("100k", 100 * 1024),
            ("1m", 1024 * 1024),
        ] {
            out.push((lang, name, repeated(seed, size)));
        }
    }
    out
}

fn document(text: &str) -> Document {
    let doc = Document::new(text);
    match NaiveDate::from_ymd_opt(2021, 12, 8).and_then(|d| d.and_hms_opt(0, 0, 0)) {
        Some(published) => doc.with_published(published),
        None => doc,
    }
}

fn bench(c: &mut Criterion) {
    let analyzer = Analyzer::builder().build();
    let stages: [(&str, Vec<Feature>); 6] = [
        ("all", Options::DEFAULT_FEATURES.to_vec()),
        ("prepare", vec![Feature::Sentences]),
        ("summary", vec![Feature::Summary]),
        ("quotes", vec![Feature::Quotes]),
        ("dates", vec![Feature::Dates]),
        ("parties", vec![Feature::Parties]),
    ];
    for (stage, features) in stages {
        let opts = Options {
            features,
            ..Options::default()
        };
        let mut group = c.benchmark_group(format!("pipeline/{stage}"));
        for (lang, size, text) in inputs() {
            let doc = document(&text);
            if size == "1m" || size == "100k" {
                group.sample_size(10);
                group.measurement_time(Duration::from_secs(5));
            } else {
                group.sample_size(50);
                group.measurement_time(Duration::from_secs(3));
            }
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_with_input(BenchmarkId::new(lang, size), &doc, |b, doc| {
                b.iter(|| analyzer.analyze(black_box(doc), &opts))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
