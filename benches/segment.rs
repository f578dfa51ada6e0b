//! Throughput of the text foundation: sentence segmentation + tokenisation (MB/s), over a table of
//! (language, size, text) cases, plus language detection and stemming on a news article.
//!
//! Run with `cargo bench --bench segment`; criterion prints the throughput of each case.

// criterion_group! generates an undocumented `benches` function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gleaner::analysis::{Language, Prepared};

const FR_ARTICLE: &str = include_str!("../seeds/article-fr-diplomatie.txt");

/// An English wire story written for this benchmark (titles, initials, acronyms, quotes, numbers).
const EN_ARTICLE: &str = "Biden and Putin agree to talks as tensions mount\n\n\
WASHINGTON (AP) _ President Joe Biden spoke with Russian President Vladimir Putin for two hours \
on Tuesday, the White House said. Mr. Biden warned of \"strong economic measures\" if Russia \
invaded Ukraine. Gen. Mark A. Milley, chairman of the Joint Chiefs, told reporters the U.S. had \
seen about 100,000 troops near the border. \"We are not going to let this happen,\" he said. \
\"It's that simple.\"\n\n\
Markets fell 1.5% on the news. Shares of Exxon Mobil Corp. dropped 2.3% to $61.40 in New York, \
while the price of Brent crude rose to $75.2 a barrel. Analysts at J.P. Morgan Chase & Co. said \
the sanctions could include cutting Russia off from the SWIFT system, etc. The Kremlin said the \
call was \"frank and business-like.\"\n\n\
- The two leaders last met in Geneva in June.\n\
- A follow-up call is planned for Dec. 30.\n";

fn cases() -> Vec<(&'static str, String, String)> {
    let one_sentence = "abcdefghi ".repeat(100_000);
    vec![
        ("fr", "article-2.6KB".to_string(), FR_ARTICLE.to_string()),
        ("en", "article-1.3KB".to_string(), EN_ARTICLE.to_string()),
        (
            "fr",
            "articles-1MiB".to_string(),
            FR_ARTICLE.repeat((1 << 20) / FR_ARTICLE.len() + 1),
        ),
        (
            "en",
            "one-sentence-100k-words-1MiB".to_string(),
            one_sentence,
        ),
    ]
}

fn segment_and_tokenize(c: &mut Criterion) {
    let mut group = c.benchmark_group("segment+tokenize");
    for (lang, name, text) in cases() {
        let language = Language::from_tag(lang).expect("benchmark tags are valid");
        group.throughput(Throughput::Bytes(text.len() as u64));
        if text.len() > 100_000 {
            group.sample_size(10);
        } else {
            group.sample_size(100);
        }
        group.bench_with_input(BenchmarkId::new(lang, &name), &text, |b, text| {
            b.iter(|| {
                let p = Prepared::new(black_box(text), None, Some(language.clone()));
                black_box(p.tokens.len())
            })
        });
    }
    group.finish();
}

fn detect_and_stem(c: &mut Criterion) {
    let mut group = c.benchmark_group("article");
    for (lang, text) in [("fr", FR_ARTICLE), ("en", EN_ARTICLE)] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(BenchmarkId::new("detect-language", lang), |b| {
            b.iter(|| black_box(Language::detect(black_box(text))))
        });
        group.bench_function(BenchmarkId::new("prepare+detect+stem", lang), |b| {
            b.iter(|| {
                let p = Prepared::new(black_box(text), None, None);
                let stems: usize = p.tokens.iter().map(|t| p.stem(t).len()).sum();
                black_box(stems)
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default();
    targets = segment_and_tokenize, detect_and_stem
}
criterion_main!(benches);
