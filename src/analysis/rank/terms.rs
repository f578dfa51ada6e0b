//! Sparse term vectors of sentences: content words cut to a prefix, stop words left out.
//!
//! Words are conflated by their first [`PREFIX_CHARS`] characters ("truncation stemming") in the
//! languages whose data names a stemmer, i.e. the inflecting alphabetic ones; elsewhere a word is its
//! own term. On the dev sets this ranks as well as Snowball stemming did (BBC ROUGE-2 73.0 against
//! 72.3, OrangeSum ROUGE-1 28.6 against 28.7) for none of its cost, which was the largest share of the
//! ranking's time. Every distinct normalised word is mapped to a term id once, so that an article costs
//! one hash look-up per token. Vectors are stored flat (CSR layout): one allocation for all sentences
//! instead of one per sentence.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use super::super::analyzer::Prepared;
use super::super::segment::SegmentKind;
use super::super::span::Span;
use super::super::token::{tokenize, Token};

/// Term counts of every sentence, flat.
#[derive(Debug, Default)]
pub(super) struct TermVectors {
    /// `entries[offsets[i]..offsets[i + 1]]` are sentence `i`'s `(term, count)`, sorted by term.
    offsets: Vec<usize>,
    entries: Vec<(u32, f32)>,
    /// Number of terms (distinct word prefixes) in the article.
    pub(super) n_terms: usize,
}

impl TermVectors {
    /// Sentence `i`'s `(term, count)` pairs, sorted by term.
    pub(super) fn of(&self, i: usize) -> &[(u32, f32)] {
        &self.entries[self.range(i)]
    }

    /// Where sentence `i`'s pairs are among all the sentences' pairs, in sentence order.
    pub(super) fn range(&self, i: usize) -> std::ops::Range<usize> {
        self.offsets[i]..self.offsets[i + 1]
    }

    /// Number of sentences.
    pub(super) fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of content words of sentence `i` (with repeats).
    pub(super) fn mass(&self, i: usize) -> f32 {
        self.of(i).iter().map(|&(_, c)| c).sum()
    }
}

/// A fast non-cryptographic hasher for short words (the multiply-rotate scheme of rustc's FxHasher):
/// term look-ups are a large share of the ranking's time and the keys are not attacker-chosen in a
/// way that matters here (one article's words, a map that lives for one request).
#[derive(Debug, Default, Clone, Copy)]
struct WordHasher(u64);

impl WordHasher {
    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some((chunk, tail)) = rest.split_first_chunk::<8>() {
            self.mix(u64::from_le_bytes(*chunk));
            rest = tail;
        }
        // The last 1 to 7 bytes in at most two loads, without a copy: for 4 to 7 bytes the first and
        // last four (they overlap), for 1 to 3 the first, middle and last byte, which is all of them.
        let n = rest.len();
        let tail = match (rest.first_chunk::<4>(), rest.last_chunk::<4>()) {
            (Some(lo), Some(hi)) => {
                u64::from(u32::from_le_bytes(*lo)) | (u64::from(u32::from_le_bytes(*hi)) << 32)
            }
            _ if n > 0 => {
                u64::from(rest[0]) | (u64::from(rest[n / 2]) << 8) | (u64::from(rest[n - 1]) << 16)
            }
            _ => return,
        };
        self.mix(tail ^ ((n as u64) << 59));
    }

    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type WordMap<K, V = u32> = HashMap<K, V, std::hash::BuildHasherDefault<WordHasher>>;

/// Characters a word keeps as its term. Shorter prefixes merge unrelated words ("présid-ent" and
/// "présid-er" are fine, "inter-" is not); longer ones leave inflections apart. 4 to 8 were measured
/// on the dev sets (docs/EVALUATION.md): 6 and 7 match Snowball, 7 slightly better in English.
const PREFIX_CHARS: usize = 7;

/// The term of a word: its first [`PREFIX_CHARS`] characters when `truncate`, else the word.
fn term_of(norm: &str, truncate: bool) -> &str {
    // Fewer bytes than characters kept: the whole word.
    if !truncate || norm.len() <= PREFIX_CHARS {
        return norm;
    }
    // ASCII up to the cut: the cut is a byte offset.
    if norm.as_bytes()[..=PREFIX_CHARS].is_ascii() {
        return &norm[..PREFIX_CHARS];
    }
    match norm.char_indices().nth(PREFIX_CHARS) {
        Some((i, _)) => &norm[..i],
        None => norm,
    }
}

/// Maps words to term ids through their terms ([`term_of`]), and to word ids (one per distinct
/// normalised word).
struct Interner<'d> {
    /// Each distinct word's `(term id, word id)`.
    by_norm: WordMap<&'d str, (u32, u32)>,
    by_term: WordMap<&'d str>,
    truncate: bool,
}

impl<'d> Interner<'d> {
    /// The term id and the word id of `norm`.
    fn id(&mut self, norm: &'d str) -> (u32, u32) {
        // One probe of `by_norm` per token, whether the word is new or not.
        let word = self.by_norm.len() as u32;
        match self.by_norm.entry(norm) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                let next = self.by_term.len() as u32;
                let term = *self
                    .by_term
                    .entry(term_of(norm, self.truncate))
                    .or_insert(next);
                *e.insert((term, word))
            }
        }
    }

    /// The term id of a word seen only outside the sentences (the separate title), without keeping it.
    fn lookup(&mut self, norm: &str) -> Option<u32> {
        if let Some(&(id, _)) = self.by_norm.get(norm) {
            return Some(id);
        }
        self.by_term.get(term_of(norm, self.truncate)).copied()
    }
}

/// Whether a token counts as a content word: a word, not a stop word, not a lone letter or clitic.
#[inline]
pub(super) fn is_content(t: &Token, norm: &str) -> bool {
    if !t.is_word() || t.is_stop {
        return false;
    }
    // Most words open with two ASCII letters or digits: no decoding needed.
    if let [a, b, ..] = norm.as_bytes() {
        if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
            return true;
        }
    }
    has_two_alphanumerics(norm)
}

/// Whether a word has at least two letters or digits (the slow path of [`is_content`], out of line).
#[inline(never)]
fn has_two_alphanumerics(norm: &str) -> bool {
    norm.chars()
        .filter(|c| c.is_alphanumeric())
        .nth(1)
        .is_some()
}

impl<'d> Interner<'d> {
    fn new(doc: &Prepared<'d>) -> Self {
        // Room for as many distinct words as half the tokens (punctuation and repeats are the rest):
        // no table growth on ordinary articles.
        let cap = doc.tokens.len() / 2;
        Interner {
            by_norm: WordMap::with_capacity_and_hasher(cap, Default::default()),
            by_term: WordMap::with_capacity_and_hasher(cap, Default::default()),
            truncate: doc.data.stemmer.is_some(),
        }
    }
}

/// The vectors of `doc`'s sentences, in one pass over its tokens.
#[derive(Debug)]
pub(super) struct Vectors {
    /// Term vectors (words conflated by [`term_of`]), for centrality and headline overlap.
    pub(super) terms: TermVectors,
    /// Word vectors, each distinct word its own term: enough to tell that two sentences repeat each
    /// other, without conflating different words.
    pub(super) words: TermVectors,
    /// The distinct terms of the title: `doc.title` when the caller gave one, else the headline
    /// sentence; `None` for a word that occurs in no sentence (it still counts in the title's size).
    pub(super) title: Vec<Option<u32>>,
}

/// The term and word vectors of every sentence of `doc`, and the distinct terms of its title.
pub(super) fn build<'d>(doc: &'d Prepared<'d>) -> Vectors {
    let mut interner = Interner::new(doc);
    let n = doc.sentences.len();
    let empty = |cap| TermVectors {
        offsets: Vec::with_capacity(n + 1),
        entries: Vec::with_capacity(cap),
        n_terms: 0,
    };
    let (mut terms, mut words) = (empty(doc.tokens.len() / 2), empty(doc.tokens.len() / 2));
    terms.offsets.push(0);
    words.offsets.push(0);
    let (mut term_ids, mut word_ids): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
    for i in 0..n {
        term_ids.clear();
        word_ids.clear();
        for t in doc.sentence_tokens(i) {
            // Punctuation and stop words first, without reading the word.
            if !t.is_word() || t.is_stop {
                continue;
            }
            let norm = doc.norm(t);
            if is_content(t, norm) {
                let (term, word) = interner.id(norm);
                term_ids.push(term);
                word_ids.push(word);
            }
        }
        push_counts(&mut term_ids, &mut terms.entries);
        terms.offsets.push(terms.entries.len());
        push_counts(&mut word_ids, &mut words.entries);
        words.offsets.push(words.entries.len());
    }
    terms.n_terms = interner.by_term.len();
    words.n_terms = interner.by_norm.len();
    let title = title_terms(doc, &terms, &mut interner);
    Vectors {
        terms,
        words,
        title,
    }
}

fn title_terms<'d>(
    doc: &'d Prepared<'d>,
    tv: &TermVectors,
    interner: &mut Interner<'d>,
) -> Vec<Option<u32>> {
    if let Some(t) = doc.title.filter(|t| !t.trim().is_empty()) {
        let mut toks = Vec::new();
        let mut buf = String::new();
        tokenize(t, Span::new(0, t.len()), 0, doc.data, &mut toks, &mut buf);
        let mut norms: Vec<&str> = toks
            .iter()
            .map(|tok| (tok, &buf[tok.norm.0 as usize..tok.norm.1 as usize]))
            .filter(|(tok, norm)| is_content(tok, norm))
            .map(|(_, norm)| norm)
            .collect();
        norms.sort_unstable();
        norms.dedup();
        let mut ids: Vec<Option<u32>> = norms.into_iter().map(|n| interner.lookup(n)).collect();
        // Known terms first, each once (two words may share a term), then one `None` per unknown word.
        ids.sort_unstable_by_key(|id| id.map_or(u64::MAX, u64::from));
        ids.dedup_by(|a, b| a.is_some() && a == b);
        return ids;
    }
    doc.sentences
        .iter()
        .position(|s| s.kind == SegmentKind::Headline)
        .map(|h| tv.of(h).iter().map(|&(id, _)| Some(id)).collect())
        .unwrap_or_default()
}

/// Appends the run-length counts of `ids` (sorted in place) to `out`.
fn push_counts(ids: &mut [u32], out: &mut Vec<(u32, f32)>) {
    ids.sort_unstable();
    let mut k = 0;
    while let Some(&id) = ids.get(k) {
        let run = ids[k..]
            .iter()
            .position(|&x| x != id)
            .unwrap_or(ids.len() - k);
        // Exact: a sentence has far fewer than 2^24 tokens.
        out.push((id, run as f32));
        k += run;
    }
}

/// What the comparison of a vector with others needs of it alone: its mass and its squared norm.
#[derive(Debug, Clone, Copy)]
pub(super) struct Magnitude {
    mass: f32,
    norm2: f32,
}

/// The [`Magnitude`] of a sorted sparse vector.
pub(super) fn magnitude(a: &[(u32, f32)]) -> Magnitude {
    Magnitude {
        mass: a.iter().map(|&(_, c)| c).sum(),
        norm2: norm2(a),
    }
}

/// How two sorted sparse vectors overlap, in one pass over both: the share of `a`'s word mass that
/// `b` also has, the same share of `b`'s mass (each 1 when the one says nothing the other does not)
/// and their cosine similarity. `ma` and `mb` are their magnitudes.
pub(super) fn overlap(
    (a, ma): (&[(u32, f32)], Magnitude),
    (b, mb): (&[(u32, f32)], Magnitude),
) -> (f32, f32, f32) {
    let (mut shared, mut dot) = (0.0f32, 0.0f32);
    merge(a, b, |x, y| {
        shared += x.min(y);
        dot += x * y;
    });
    let share = |total: f32| if total == 0.0 { 0.0 } else { shared / total };
    let cosine = if ma.norm2 == 0.0 || mb.norm2 == 0.0 {
        0.0
    } else {
        dot / (ma.norm2 * mb.norm2).sqrt()
    };
    (share(ma.mass), share(mb.mass), cosine)
}

fn norm2(a: &[(u32, f32)]) -> f32 {
    a.iter().map(|&(_, c)| c * c).sum()
}

/// Calls `f` with both counts of every term the two sorted vectors share.
fn merge(a: &[(u32, f32)], b: &[(u32, f32)], mut f: impl FnMut(f32, f32)) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                f(a[i].1, b[j].1);
                i += 1;
                j += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn word_hasher_tells_short_words_apart() {
        let hasher = std::hash::BuildHasherDefault::<WordHasher>::default();
        let mut words: Vec<String> = Vec::new();
        for len in 0..=17 {
            let base: String = "abcdefghijklmnopq".chars().take(len).collect();
            // Every position changed in turn: the tail loads must cover every byte.
            for at in 0..len {
                let mut w = base.clone().into_bytes();
                w[at] = b'z';
                words.push(String::from_utf8(w).expect("ascii"));
            }
            words.push(base);
        }
        words.sort();
        words.dedup();
        let mut hashes: Vec<u64> = words.iter().map(|w| hasher.hash_one(w.as_str())).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), words.len());
    }

    #[test]
    fn term_is_the_first_characters() {
        for w in [
            "",
            "paix",
            "diplomat",
            "diplomatie",
            "négociations",
            "présidentielle",
            "été",
        ] {
            let slow: String = w.chars().take(PREFIX_CHARS).collect();
            assert_eq!(term_of(w, true), slow, "{w}");
            assert_eq!(term_of(w, false), w);
        }
    }

    #[test]
    fn counts_are_run_lengths_of_sorted_ids() {
        let mut out = vec![(9, 9.0)];
        push_counts(&mut [5, 2, 5, 9, 2, 5], &mut out);
        assert_eq!(out, [(9, 9.0), (2, 2.0), (5, 3.0), (9, 1.0)]);
    }
}
