//! Analyses the French seed article N times (all default features), for instruction counting under
//! `valgrind --tool=callgrind` (see `bench/callgrind/run.sh`).
//!
//! Usage: `analyze_seed [N] [EVICT_MIB]`; N defaults to 20. Prints the number of summary sentences,
//! quotes, parties and dates of the last run, so the work cannot be optimised away, and the median
//! wall-clock time of one analysis (eviction not included).
//!
//! With `EVICT_MIB` > 0, a buffer of that many MiB is written over before each analysis, so that
//! every analysis starts with the caches holding none of its tables, as in a server whose cores are
//! shared with its clients (see `bench/callgrind/cold.sh`).

use std::hint::black_box;
use std::time::Instant;

use chrono::NaiveDate;
use gleaner::analysis::{Analyzer, Document, Options};

const SEED: &str = include_str!("../seeds/article-fr-diplomatie.txt");

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let evict_mib: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut evict = vec![0u8; evict_mib << 20];
    let analyzer = Analyzer::builder().build();
    let mut doc = Document::new(SEED);
    if let Some(published) =
        NaiveDate::from_ymd_opt(2021, 12, 8).and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        doc = doc.with_published(published);
    }
    let opts = Options::default();
    let mut last = None;
    let mut times = Vec::with_capacity(n);
    for round in 0..n {
        // One write per 64-byte cache line.
        for byte in evict.iter_mut().step_by(64) {
            *byte = byte.wrapping_add(round as u8 | 1);
        }
        black_box(&mut evict);
        let started = Instant::now();
        last = analyzer.analyze(black_box(&doc), &opts).ok();
        times.push(started.elapsed());
    }
    times.sort_unstable();
    let median = times.get(n / 2).map_or(0, |t| t.as_micros());
    match last {
        Some(a) => println!(
            "{} runs: {} summary sentences, {} quotes, {} parties, {} dates; median {} µs per analysis",
            n,
            a.summary.len(),
            a.quotes.len(),
            a.parties.len(),
            a.dates.len(),
            median
        ),
        None => println!("{n} runs: no analysis"),
    }
}
