//! Sentences a summary should avoid: bylines, photo credits and captions, promotional lines, fragments
//! and sentences that are mostly a quotation.
//!
//! Markers are per language in `lexicon/<lang>/summary_noise.txt`; the checks that need no words
//! (copyright signs, fragments, all-capital subheadings, quotations) work for every language.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::super::analyzer::Prepared;
use super::super::lexicon::entries;
use super::super::segment::SegmentKind;
use super::super::token::{Token, TokenKind};

/// What kind of noise a sentence is, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Noise {
    /// An ordinary sentence.
    None,
    /// A byline, credit, caption or promotional line: never a summary sentence.
    Junk,
    /// Too short, or a subheading: a poor summary sentence.
    Fragment,
    /// Mostly the words of a quotation.
    Quotation,
}

/// Noise markers of one language.
#[derive(Debug, Default)]
struct NoiseMarkers {
    /// Lower-case words opening a byline (`by`, `par`).
    bylines: Vec<&'static str>,
    /// Lower-case phrases of credits and promotional lines, as word sequences, sorted (those that
    /// open with the same word are together).
    credits: Vec<Vec<&'static str>>,
    /// Whether some credit phrase opens with a word whose first byte is the index: most tokens are
    /// told apart by it alone, without comparing them with every phrase.
    credit_first_bytes: Vec<bool>,
}

fn parse(src: &'static str) -> NoiseMarkers {
    let mut m = NoiseMarkers::default();
    for line in entries(src) {
        match line.split_once('\t') {
            Some(("byline", w)) => m.bylines.push(w.trim()),
            Some(("credit", p)) => m.credits.push(phrase_tokens(p.trim())),
            _ => {}
        }
    }
    m.credits.sort_unstable();
    m.credit_first_bytes = vec![false; 256];
    for first in m.credits.iter().filter_map(|p| p.first()) {
        if let Some(&b) = first.as_bytes().first() {
            m.credit_first_bytes[usize::from(b)] = true;
        }
    }
    m
}

/// The words of a phrase as the tokenizer cuts them: an elided article is a token of its own
/// (`d'illustration` -> `d'`, `illustration`).
fn phrase_tokens(phrase: &'static str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for word in phrase.split(' ') {
        match word.find('\'') {
            Some(p) if p + 1 < word.len() => {
                out.push(&word[..=p]);
                out.push(&word[p + 1..]);
            }
            _ => out.push(word),
        }
    }
    out
}

static MARKERS: LazyLock<HashMap<&'static str, NoiseMarkers>> = LazyLock::new(|| {
    [
        ("en", include_str!("../lexicon/en/summary_noise.txt")),
        ("fr", include_str!("../lexicon/fr/summary_noise.txt")),
        ("de", include_str!("../lexicon/de/summary_noise.txt")),
        ("es", include_str!("../lexicon/es/summary_noise.txt")),
        ("it", include_str!("../lexicon/it/summary_noise.txt")),
        ("pt", include_str!("../lexicon/pt/summary_noise.txt")),
    ]
    .into_iter()
    .map(|(lang, src)| (lang, parse(src)))
    .collect()
});

static NO_MARKERS: LazyLock<NoiseMarkers> = LazyLock::new(NoiseMarkers::default);

/// Fewer words than this make a fragment.
const MIN_WORDS: usize = 5;
/// Bylines and credit lines are at most this long.
const MAX_LABEL_WORDS: usize = 12;
/// A sentence is a quotation when at least this share of its words is inside quote marks.
const QUOTATION_SHARE: f32 = 0.75;

/// The noise markers of `doc`'s language (none when the lexicon has none).
fn markers_of(doc: &Prepared<'_>) -> &'static NoiseMarkers {
    MARKERS.get(doc.data.code).unwrap_or(&NO_MARKERS)
}

/// Classifies every sentence of `doc`: body sentences by [`classify`], the others (headline,
/// datelines) as [`Noise::Junk`].
pub(super) fn classify_all(doc: &Prepared<'_>) -> Vec<Noise> {
    let markers = markers_of(doc);
    (0..doc.sentences.len())
        .map(|i| {
            if doc.sentences[i].kind == SegmentKind::Body {
                classify(doc, i, markers)
            } else {
                Noise::Junk
            }
        })
        .collect()
}

/// Classifies sentence `i` of `doc`.
fn classify(doc: &Prepared<'_>, i: usize, markers: &NoiseMarkers) -> Noise {
    let toks = doc.sentence_tokens(i);
    let text = doc.sentences[i].span.slice(doc.text);
    let mut word_toks = toks.iter().filter(|t| t.kind != TokenKind::Punct);
    let (first, second) = (word_toks.next(), word_toks.next());
    let words = usize::from(first.is_some()) + usize::from(second.is_some()) + word_toks.count();
    let finished = text
        .trim_end_matches(|c: char| is_quote(c) || matches!(c, ')' | ']'))
        .ends_with(['.', '!', '?', '…', '。', '！', '？']);
    if text.contains('©') {
        return Noise::Junk;
    }
    // "By Jane Smith, BBC News": a byline word, a name, no sentence punctuation.
    if let (Some(first), Some(second)) = (first, second) {
        if !finished
            && words <= MAX_LABEL_WORDS
            && markers.bylines.contains(&doc.norm(first))
            && second.is_capitalized(doc.text)
        {
            return Noise::Junk;
        }
    }
    if let Some(n) = credit_at(doc, toks, markers) {
        // "Photo: AFP", "Read more: ...", "Getty Images".
        let next = toks.get(n);
        let labelled = next.is_none_or(|t| {
            t.kind == TokenKind::Punct
                && matches!(
                    doc.surface(t),
                    ":" | "/" | "|" | "-" | "–" | "—" | "(" | "»" | ">"
                )
        });
        if labelled {
            return Noise::Junk;
        }
    }
    if !finished
        && words <= MAX_LABEL_WORDS
        && (0..toks.len()).any(|k| credit_at(doc, &toks[k..], markers).is_some())
    {
        return Noise::Junk;
    }
    if words < MIN_WORDS {
        return Noise::Fragment;
    }
    if !finished && is_shouting(text) {
        return Noise::Fragment;
    }
    if quoted_share(doc, toks) >= QUOTATION_SHARE {
        return Noise::Quotation;
    }
    Noise::None
}

/// Number of tokens of the longest credit phrase that `toks` start with, if any.
fn credit_at(doc: &Prepared<'_>, toks: &[Token], markers: &NoiseMarkers) -> Option<usize> {
    let (head, tail) = toks.split_first()?;
    let first = doc.norm(head);
    // No phrase opens with this word's first byte (an empty word matches no phrase either).
    let &b = first.as_bytes().first()?;
    if !markers
        .credit_first_bytes
        .get(usize::from(b))
        .copied()
        .unwrap_or(false)
    {
        return None;
    }
    // The phrases that open with this word, found by a binary search.
    let credits = &markers.credits;
    let from = credits.partition_point(|p| p.first().is_none_or(|w| *w < first));
    credits[from..]
        .iter()
        .take_while(|phrase| phrase.first() == Some(&first))
        .filter(|phrase| {
            phrase.len() <= toks.len()
                && phrase[1..].iter().zip(tail).all(|(w, t)| *w == doc.norm(t))
        })
        .map(Vec::len)
        .max()
}

/// Whether most letters are capitals (a subheading or a label), for texts in a cased script.
fn is_shouting(text: &str) -> bool {
    let (mut upper, mut cased) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if c.is_uppercase() {
            upper += 1;
            cased += 1;
        } else if c.is_lowercase() {
            cased += 1;
        }
    }
    cased >= 8 && upper * 10 >= cased * 7
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '”' | '„' | '«' | '»' | '‹' | '›' | '「' | '」' | '『' | '』'
    )
}

/// Share of the sentence's words that lie between quote marks.
fn quoted_share(doc: &Prepared<'_>, toks: &[Token]) -> f32 {
    let mut inside = false;
    let (mut quoted, mut total) = (0usize, 0usize);
    for t in toks {
        if t.kind == TokenKind::Punct {
            let s = doc.surface(t);
            if s.chars().count() == 1 && s.chars().all(is_quote) {
                let c = s.chars().next().unwrap_or('"');
                inside = match c {
                    '“' | '„' | '«' | '‹' | '「' | '『' => true,
                    '”' | '»' | '›' | '」' | '』' => false,
                    _ => !inside,
                };
            }
            continue;
        }
        total += 1;
        quoted += usize::from(inside);
    }
    if total == 0 {
        0.0
    } else {
        quoted as f32 / total as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_noise_lexicon_loads_without_duplicates() {
        for (lang, m) in MARKERS.iter() {
            assert!(!m.credits.is_empty(), "{lang}: no credit phrases");
            assert!(!m.bylines.is_empty(), "{lang}: no byline words");
            let mut seen = std::collections::HashSet::new();
            for p in &m.credits {
                assert!(seen.insert(p.join(" ")), "{lang}: duplicate {p:?}");
                assert!(p.iter().all(|w| *w == w.to_lowercase()), "{lang}: {p:?}");
            }
        }
    }

    fn kinds(text: &str, lang: &str) -> Vec<(String, Noise)> {
        let doc = Prepared::new(
            text,
            None,
            Some(crate::analysis::Language::from_tag(lang).expect("valid tag")),
        );
        (0..doc.sentences.len())
            .map(|i| {
                (
                    doc.sentences[i].span.slice(text).to_string(),
                    classify(&doc, i, markers_of(&doc)),
                )
            })
            .collect()
    }

    fn kind_of(text: &str, lang: &str, sentence: &str) -> Noise {
        kinds(text, lang)
            .into_iter()
            .find(|(s, _)| s == sentence)
            .map(|(_, k)| k)
            .unwrap_or_else(|| panic!("no sentence {sentence:?} in {:?}", kinds(text, lang)))
    }

    #[test]
    fn bylines_and_credits_are_junk() {
        let text = "Storm hits the coast\nBy Jane Smith, BBC News\nThe storm reached the coast on \
                    Monday night and cut power to thousands of homes.\nPhoto: Getty Images\nRead more: \
                    how storms are named";
        assert_eq!(kind_of(text, "en", "By Jane Smith, BBC News"), Noise::Junk);
        assert_eq!(kind_of(text, "en", "Photo: Getty Images"), Noise::Junk);
        assert_eq!(
            kind_of(text, "en", "Read more: how storms are named"),
            Noise::Junk
        );
        let fr = "La tempête\nPar Jean Dupont\nLa tempête a touché la côte lundi soir et privé \
                  d'électricité des milliers de foyers.\nCrédit photo : AFP\n© Le Monde 2021";
        assert_eq!(kind_of(fr, "fr", "Par Jean Dupont"), Noise::Junk);
        assert_eq!(kind_of(fr, "fr", "Crédit photo : AFP"), Noise::Junk);
        assert_eq!(kind_of(fr, "fr", "© Le Monde 2021"), Noise::Junk);
    }

    #[test]
    fn ordinary_sentences_with_marker_words_are_kept() {
        let text =
            "Title here\nBy Monday, the storm had reached the coast and cut power to homes.\n\
                    Photos of the damage were shared widely on social media by residents.";
        assert_eq!(
            kind_of(
                text,
                "en",
                "By Monday, the storm had reached the coast and cut power to homes."
            ),
            Noise::None
        );
        assert_eq!(
            kind_of(
                text,
                "en",
                "Photos of the damage were shared widely on social media by residents."
            ),
            Noise::None
        );
    }

    #[test]
    fn fragments_subheadings_and_quotations() {
        let text =
            "Title here\nThe vote was close.\nWHAT HAPPENS NEXT FOR THE PARTY\n\"We will win \
                    this fight and we will never give up,\" she said.";
        assert_eq!(kind_of(text, "en", "The vote was close."), Noise::Fragment);
        assert_eq!(
            kind_of(text, "en", "WHAT HAPPENS NEXT FOR THE PARTY"),
            Noise::Fragment
        );
        assert_eq!(
            kind_of(
                text,
                "en",
                "\"We will win this fight and we will never give up,\" she said."
            ),
            Noise::Quotation
        );
    }
}
