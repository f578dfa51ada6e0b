//! Date extraction speed over a (language, size, text) table: the French seed article, an English
//! news paragraph dense in temporal expressions, and both repeated to about 100 KiB.

// `criterion_group!` generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gleaner::analysis::analyzer::Prepared;
use gleaner::analysis::extract::dates::DateExtractor;
use gleaner::analysis::lang::Language;

const FRENCH: &str = include_str!("../seeds/article-fr-diplomatie.txt");
const ENGLISH: &str = "WASHINGTON, Tuesday, December 7, 2021 -- Shares fell 3% on Friday after the \
company said third-quarter profit dropped to $1.2 billion from a year earlier. Two years ago the \
firm earned more; last month it warned that the next two quarters would be weak. The board meets \
every quarter and will vote at 3 p.m. tomorrow. Since the 1990s, sales have risen in most years, \
but currently they are flat, and analysts expect a recovery early next year or in the spring of 2023.\n";

fn bench(c: &mut Criterion) {
    let published = NaiveDate::from_ymd_opt(2021, 12, 8).and_then(|d| d.and_hms_opt(12, 0, 0));
    let mut group = c.benchmark_group("dates");
    for (lang, text) in [("fr", FRENCH), ("en", ENGLISH)] {
        let language = Language::from_tag(lang).expect("valid tag");
        for (size, body) in [
            ("article", text.to_string()),
            ("100k", text.repeat(100 * 1024 / text.len() + 1)),
        ] {
            let doc = Prepared::new(&body, None, Some(language.clone()));
            group.throughput(Throughput::Bytes(body.len() as u64));
            group.bench_with_input(BenchmarkId::new(lang, size), &doc, |b, doc| {
                b.iter(|| DateExtractor.extract(black_box(doc), published))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
