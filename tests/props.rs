//! Property tests of the text foundation (language, sentences, tokens) on arbitrary Unicode strings:
//! no panic, spans on char boundaries, sentences in order, disjoint and covering every visible
//! character, tokens inside their sentence, the same answer every time. Then the quotes extractor on
//! text full of quote marks: exact spans that never partly overlap, and linear time.

use std::sync::LazyLock;

use gleaner::analysis::{AnalysisError, Analyzer, Document, Language, Options, Prepared};
use proptest::prelude::*;

/// Characters that segmentation may leave out of every sentence: white space and invisible ones.
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        )
}

/// Checks every invariant of a prepared text; returns a fingerprint of it for the determinism check.
fn check(text: &str, language: Option<&str>) -> Vec<(usize, usize, usize)> {
    let lang = language.map(|l| Language::from_tag(l).expect("test tags are valid"));
    let p = Prepared::new(text, None, lang);
    let mut covered = vec![false; text.len()];
    let mut last_end = 0;
    for (i, s) in p.sentences.iter().enumerate() {
        assert!(s.span.start < s.span.end, "sentence {i} is empty");
        assert!(s.span.end <= text.len());
        assert!(text.is_char_boundary(s.span.start) && text.is_char_boundary(s.span.end));
        assert!(
            s.span.start >= last_end,
            "sentence {i} overlaps or is out of order"
        );
        last_end = s.span.end;
        covered[s.span.start..s.span.end].fill(true);
        for t in &p.tokens[s.tokens.clone()] {
            assert!(t.span.start < t.span.end);
            assert!(
                s.span.start <= t.span.start && t.span.end <= s.span.end,
                "token outside its sentence"
            );
            assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
            assert_eq!(t.sentence as usize, i);
            assert!(!p.norm(t).is_empty());
            let _ = p.stem(t);
        }
        let toks = &p.tokens[s.tokens.clone()];
        assert!(toks.windows(2).all(|w| w[0].span.end <= w[1].span.start));
    }
    for (pos, c) in text.char_indices() {
        assert!(
            is_blank(c) || covered[pos],
            "{c:?} at byte {pos} is in no sentence"
        );
    }
    let mut print: Vec<_> = p
        .sentences
        .iter()
        .map(|s| (s.span.start, s.span.end, s.tokens.len()))
        .collect();
    print.extend(p.tokens.iter().map(|t| (t.span.start, t.span.end, 0)));
    print.push((p.language.primary.len(), 0, 0));
    print
}

/// Text made of the characters that drive segmentation, to reach its corner cases often.
fn newsy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "M.", "Mr.", "U.S.", "J.-C.", "etc.", "No.", "3.5", "1.000", "...", "…", "«", "»", "\"",
        "“", "”", "'", "’", "(", ")", "!", "?", ".", ",", " ", " ", " ", "\n", "\n\n", "\r\n",
        "- ", "• ", "_", "Le", "the", "Biden", "dit", "a-t-il", "l'", "PARIS", "(AP)", "。", "é",
        "e\u{301}", "\u{200B}", "\u{A0}", "İ", "ß", "ﬁ", "x",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_unicode_holds_the_invariants(text in "\\PC*|.*") {
        check(&text, None);
        check(&text, Some("fr"));
    }

    #[test]
    fn news_like_text_holds_the_invariants(text in newsy(), lang in prop::sample::select(vec!["fr", "en", "de", "zz"])) {
        check(&text, Some(lang));
        check(&text, None);
    }

    #[test]
    fn preparation_is_deterministic(text in newsy()) {
        prop_assert_eq!(check(&text, None), check(&text, None));
    }
}

#[test]
fn a_mebibyte_sentence_of_100000_words_goes_through() {
    // No punctuation at all: one sentence of 100,000 words, about 1 MiB.
    let text = "abcdefghi ".repeat(100_000) + &"z".repeat(48_576);
    assert!(text.len() >= 1 << 20);
    let p = Prepared::new(&text, None, None);
    assert_eq!(p.sentences.len(), 1);
    assert_eq!(p.tokens.len(), 100_001);
    assert_eq!(p.stem(&p.tokens[0]), p.stem(&p.tokens[99_999]));
}

#[test]
fn a_mebibyte_of_short_sentences_and_abbreviations_goes_through() {
    let text = "M. Dupont a dit «Non.» Mr. J. Smith, U.S. No. 5... ".repeat(20_000);
    let p = Prepared::new(&text, None, Some(Language::from_tag("fr").expect("valid")));
    assert!(p.sentences.len() > 20_000);
}

static ANALYZER: LazyLock<Analyzer> = LazyLock::new(|| Analyzer::builder().build());

/// Text made of every quote-mark convention, dashes, line breaks, cue words and names.
fn quote_heavy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "«",
        "»",
        "« ",
        " »",
        "«\u{a0}",
        "\u{a0}»",
        "\u{202f}»",
        "“",
        "”",
        "„",
        "‘",
        "’",
        "‚",
        "‹",
        "›",
        "\"",
        "'",
        "「",
        "」",
        "— ",
        "– ",
        "\n",
        "\n\n",
        " ",
        " ",
        ", ",
        ". ",
        ": ",
        "12\"",
        "don’t",
        "a dit",
        "a-t-il dit",
        "selon",
        "said",
        "according to",
        "he",
        "elle",
        "Biden",
        "le Kremlin",
        "the White House",
        "nous partons demain",
        "we will win this",
        "é",
        "x",
    ]);
    prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
}

/// Checks the quotes of `text` in `lang`: spans exact (inside the text, on char boundaries, without
/// surrounding white space), speaker and cue spans inside the text, quotes never partly overlapping.
fn check_quotes(text: &str, lang: &str) {
    let doc = Document::from(text)
        .with_language_tag(lang)
        .expect("valid tag");
    let analysis = match ANALYZER.analyze(&doc, &Options::all()) {
        Ok(a) => a,
        Err(AnalysisError::EmptyText) => return,
        Err(e) => panic!("{e}"),
    };
    let quotes = &analysis.quotes;
    for q in quotes {
        let s = q.span;
        assert!(
            s.start < s.end && s.end <= text.len(),
            "{s:?} outside the text"
        );
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        let inner = &text[s.start..s.end];
        assert_eq!(inner.trim(), inner, "quote span not trimmed: {inner:?}");
        for o in q.speaker_span.iter().chain(q.cue.iter()) {
            assert!(o.start <= o.end && o.end <= text.len());
            assert!(text.is_char_boundary(o.start) && text.is_char_boundary(o.end));
        }
    }
    for (i, a) in quotes.iter().enumerate() {
        for b in &quotes[i + 1..] {
            let disjoint = a.span.end <= b.span.start || b.span.end <= a.span.start;
            let nested = (a.span.start <= b.span.start && b.span.end <= a.span.end)
                || (b.span.start <= a.span.start && a.span.end <= b.span.end);
            assert!(
                disjoint || nested,
                "{:?} and {:?} partly overlap",
                a.span,
                b.span
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn quotes_are_exact_and_never_partly_overlap(text in quote_heavy(), lang in prop::sample::select(vec!["fr", "en", "de", "ru"])) {
        check_quotes(&text, lang);
    }

    #[test]
    fn quotes_hold_on_arbitrary_unicode(text in "\\PC*") {
        check_quotes(&text, "fr");
    }
}

#[test]
fn a_hundred_thousand_unbalanced_quote_marks_take_linear_time() {
    let marks = [
        "« a ",
        "“b ",
        "\" c ",
        "‘d ",
        "» ",
        "” ",
        "„e ",
        "— ",
        "\n",
        "il a dit ",
    ];
    let build = |n: usize| -> String { (0..n).map(|i| marks[i % marks.len()]).collect() };
    let time = |text: &str| {
        let start = std::time::Instant::now();
        check_quotes(text, "fr");
        start.elapsed()
    };
    let small = time(&build(10_000));
    let large = time(&build(100_000));
    // Ten times the marks: about ten times the time, far from the hundred of a quadratic step.
    assert!(
        large < small * 40 + std::time::Duration::from_millis(500),
        "10,000 marks took {small:?}, 100,000 took {large:?}"
    );
}
