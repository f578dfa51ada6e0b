//! Quote extraction speed over a (language, size, text) table: the seed article, an English wire-style
//! text built from it, and a text full of unbalanced marks.

#![allow(missing_docs)] // criterion's macros generate undocumented items

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gleaner::analysis::{Analyzer, Document, Feature, Options};

fn texts() -> Vec<(&'static str, String)> {
    let fr = include_str!("../seeds/article-fr-diplomatie.txt").to_string();
    let en_para = "“We will not back down on this,” Senator Jane Porter said on Tuesday. \
                   According to the White House, “the talks went well.” She added that the plan was \
                   “a first step, not the last one,” and he told reporters: \"Nothing is decided yet.\"\n";
    let en = en_para.repeat(40);
    let unbalanced = "« a “b \" c ‘d » ” — ".repeat(5_000);
    vec![
        ("fr-seed", fr.clone()),
        ("fr-seed-x20", fr.repeat(20)),
        ("en-wire", en),
        ("unbalanced", unbalanced),
    ]
}

fn bench(c: &mut Criterion) {
    let analyzer = Analyzer::builder().build();
    let opts = Options {
        features: vec![Feature::Quotes],
        ..Options::default()
    };
    let mut group = c.benchmark_group("quotes");
    for (name, text) in texts() {
        let doc = Document::new(text.as_str());
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &doc, |b, doc| {
            b.iter(|| analyzer.analyze(doc, &opts).map(|a| a.quotes.len()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
