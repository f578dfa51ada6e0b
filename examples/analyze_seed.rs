//! Analyses the French seed article N times (all default features), for instruction counting under
//! `valgrind --tool=callgrind` (see `bench/callgrind/run.sh`).
//!
//! Usage: `analyze_seed [N]`; N defaults to 20. Prints the number of summary sentences, quotes,
//! parties and dates of the last run, so the work cannot be optimised away.

use std::hint::black_box;

use chrono::NaiveDate;
use gleaner::analysis::{Analyzer, Document, Options};

const SEED: &str = include_str!("../seeds/article-fr-diplomatie.txt");

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let analyzer = Analyzer::builder().build();
    let mut doc = Document::new(SEED);
    if let Some(published) =
        NaiveDate::from_ymd_opt(2021, 12, 8).and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        doc = doc.with_published(published);
    }
    let opts = Options::default();
    let mut last = None;
    for _ in 0..n {
        last = analyzer.analyze(black_box(&doc), &opts).ok();
    }
    match last {
        Some(a) => println!(
            "{} runs: {} summary sentences, {} quotes, {} parties, {} dates",
            n,
            a.summary.len(),
            a.quotes.len(),
            a.parties.len(),
            a.dates.len()
        ),
        None => println!("{n} runs: no analysis"),
    }
}
