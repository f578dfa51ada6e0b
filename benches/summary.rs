//! Summary throughput: articles per second for 1 KB, 10 KB, 100 KB and 1 MiB inputs, in French and
//! English, through the whole pipeline with only the summary asked for (segmentation, tokens, ranking).

#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gleaner::analysis::{Analyzer, Document, Feature, Options};

/// Paragraphs that are repeated with a counter (so that sentences are not all identical) up to the size.
const PARAGRAPHS: &[(&str, &str)] = &[
    (
        "fr",
        "Le conseil municipal a approuvé mardi la construction d'un nouveau pont sur la rivière. \
         L'ouvrage reliera les quartiers nord au centre-ville et coûtera 40 millions d'euros, a précisé \
         la mairie dans un communiqué. « C'est un projet attendu depuis vingt ans », a déclaré la maire \
         devant la presse. L'opposition a critiqué le coût du projet et réclamé une consultation publique.",
    ),
    (
        "en",
        "The city council approved the construction of a new bridge over the river on Tuesday. \
         The bridge will connect the northern districts with the city centre and cost 40 million euros, \
         the council said in a statement. \"This is a project people have waited twenty years for,\" the \
         mayor told reporters. The opposition criticised the cost and asked for a public consultation.",
    ),
];

fn article(lang: &str, paragraph: &str, size: usize) -> Document {
    let mut text = String::with_capacity(size + paragraph.len());
    text.push_str("Council approves new bridge\n");
    let mut n = 0;
    while text.len() < size {
        n += 1;
        text.push_str(&format!("{paragraph} ({n})\n"));
    }
    let mut cut = size.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    Document::new(text)
        .with_language_tag(lang)
        .expect("valid language tag")
}

fn bench(c: &mut Criterion) {
    let analyzer = Analyzer::builder().build();
    let opts = Options {
        features: vec![Feature::Summary],
        ..Options::default()
    };
    let mut group = c.benchmark_group("summary");
    for &(lang, paragraph) in PARAGRAPHS {
        for (label, size) in [
            ("1KB", 1_000),
            ("10KB", 10_000),
            ("100KB", 100_000),
            ("1MiB", 1 << 20),
        ] {
            let doc = article(lang, paragraph, size);
            if size >= 100_000 {
                group.sample_size(10);
            } else {
                group.sample_size(50);
            }
            group.throughput(Throughput::Elements(1));
            group.bench_with_input(BenchmarkId::new(lang, label), &doc, |b, doc| {
                b.iter(|| analyzer.analyze(doc, &opts).expect("analysis succeeds"))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
