//! Invariants every analysis must satisfy, shared by the golden and property tests.

#![allow(dead_code, unreachable_pub)]

use gleaner::analysis::{Analysis, Span};

/// Checks the invariants of `a` over `text`, panicking with a message that says what to fix.
pub fn check_invariants(text: &str, a: &Analysis) {
    for s in a.spans() {
        assert!(
            s.start <= s.end && s.end <= text.len(),
            "span {s:?} outside the text"
        );
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "span {s:?} not on char boundaries"
        );
    }
    // Sentences are ordered, do not overlap, and are non-empty.
    for w in a.sentences.windows(2) {
        assert!(
            w[0].span.end <= w[1].span.start,
            "sentences {:?} and {:?} overlap",
            w[0],
            w[1]
        );
    }
    for s in &a.sentences {
        assert!(!s.span.is_empty(), "empty sentence {s:?}");
    }
    // Summary sentences are sentences of the document, distinct, with scores in [0, 1].
    if !a.sentences.is_empty() {
        for s in &a.summary {
            let sentence = a
                .sentences
                .get(s.sentence_index)
                .unwrap_or_else(|| panic!("summary index {} out of range", s.sentence_index));
            assert_eq!(
                sentence.span, s.span,
                "summary sentence {s:?} is not sentence {}",
                s.sentence_index
            );
            assert!(
                !sentence.is_headline,
                "the headline was chosen for the summary"
            );
        }
    }
    let mut idx: Vec<usize> = a.summary.iter().map(|s| s.sentence_index).collect();
    idx.sort_unstable();
    idx.dedup();
    assert_eq!(idx.len(), a.summary.len(), "a sentence was chosen twice");
    for s in &a.summary {
        assert!(
            (0.0..=1.0).contains(&s.score),
            "summary score {} outside [0, 1]",
            s.score
        );
    }
    // Quotes never partly overlap: disjoint or nested.
    let quotes: Vec<Span> = a.quotes.iter().map(|q| q.span).collect();
    for (i, x) in quotes.iter().enumerate() {
        for y in &quotes[i + 1..] {
            assert!(
                !x.overlaps(y) || x.contains(y) || y.contains(x),
                "quotes {x:?} and {y:?} partly overlap"
            );
        }
    }
    for q in &a.quotes {
        if let Some(i) = q.speaker_party {
            assert!(i < a.parties.len(), "speaker party {i} out of range");
        }
    }
    // Parties: mentions in order, salience in [0, 1], sorted by salience.
    for p in &a.parties {
        assert!(!p.mentions.is_empty(), "party {} has no mention", p.name);
        assert!(
            (0.0..=1.0).contains(&p.salience),
            "salience {} outside [0, 1]",
            p.salience
        );
        for w in p.mentions.windows(2) {
            assert!(
                w[0].start <= w[1].start,
                "mentions of {} out of order",
                p.name
            );
        }
    }
    for w in a.parties.windows(2) {
        assert!(
            w[0].salience >= w[1].salience,
            "parties not sorted by salience"
        );
    }
    // Dates in document order.
    for w in a.dates.windows(2) {
        assert!(w[0].span.start <= w[1].span.start, "dates out of order");
    }
}
