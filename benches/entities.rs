//! Named-party extraction speed, per article, by language and size: `parties` includes tokenising
//! (`Prepared::new`), `tagging` starts from the prepared document, as in the service, where one
//! preparation serves every extractor (issue #5's figure: the French seed, one core).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gleaner::analysis::extract::entities::EntityRecognizer;
use gleaner::analysis::{Language, Prepared};

const FR_SEED: &str = include_str!("../seeds/article-fr-diplomatie.txt");
const EN_TEXT: &str = "Germany's foreign minister Annalena Baerbock met U.S. Secretary of State Antony \
Blinken in Washington on Tuesday, a spokesman for the State Department said. The two discussed the war \
in Ukraine and relations with China before Blinken left for Brussels, where NATO ministers gather. \
\"We stand together,\" Baerbock told reporters outside the White House, adding that the European Union \
would keep its sanctions on Russia. Blinken said the United States and Germany agreed on the next steps.\n";

fn bench(c: &mut Criterion) {
    let rec = EntityRecognizer::load();
    let mut g = c.benchmark_group("parties");
    let cases = [
        ("fr", "seed", FR_SEED.to_string()),
        ("en", "short", EN_TEXT.to_string()),
        ("en", "x20", EN_TEXT.repeat(20)),
    ];
    for (lang, size, text) in &cases {
        let language = Language::from_tag(lang).ok();
        // Warm the lazily built name lists outside the measurement.
        let _ = rec.parties(&Prepared::new(text, None, language.clone()), &[]);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new(*lang, size), text, |b, text| {
            b.iter(|| {
                let doc = Prepared::new(text, None, language.clone());
                rec.parties(&doc, &[])
            })
        });
    }
    g.finish();
    let mut g = c.benchmark_group("tagging");
    for (lang, size, text) in &cases {
        let doc = Prepared::new(text, None, Language::from_tag(lang).ok());
        let _ = rec.parties(&doc, &[]);
        g.throughput(Throughput::Elements(1));
        g.bench_with_input(BenchmarkId::new(*lang, size), &doc, |b, doc| {
            b.iter(|| rec.parties(doc, &[]))
        });
    }
    g.finish();
}

#[allow(missing_docs)]
mod group {
    use super::*;
    criterion_group!(benches, bench);
}
criterion_main!(group::benches);
