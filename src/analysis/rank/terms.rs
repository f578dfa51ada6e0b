//! Sparse term vectors of sentences: content words cut to a prefix, stop words left out.
//!
//! Words are conflated by their first [`PREFIX_CHARS`] characters ("truncation stemming") in the
//! languages whose data names a stemmer, i.e. the inflecting alphabetic ones; elsewhere a word is its
//! own term. On the dev sets this ranks as well as Snowball stemming did (BBC ROUGE-2 73.0 against
//! 72.3, OrangeSum ROUGE-1 28.6 against 28.7) for none of its cost, which was the largest share of the
//! ranking's time. Every distinct normalised word is mapped to a term id once, so that an article costs
//! one hash look-up per token. Vectors are stored flat (CSR layout): one allocation for all sentences
//! instead of one per sentence.

use super::super::analyzer::Prepared;
use super::super::bytes::short_bytes;
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

    /// Every sentence's pairs, in sentence order.
    pub(super) fn entries(&self) -> &[(u32, f32)] {
        &self.entries
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

/// A fast non-cryptographic hash for short words (the multiply-rotate scheme of rustc's FxHasher):
/// term look-ups are a large share of the ranking's time and the keys are not attacker-chosen in a
/// way that matters here (one article's words, a table that lives for one request).
fn word_hash(bytes: &[u8]) -> u64 {
    let mix = |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    let mut h = 0u64;
    let mut rest = bytes;
    while let Some((chunk, tail)) = rest.split_first_chunk::<8>() {
        h = mix(h, u64::from_le_bytes(*chunk));
        rest = tail;
    }
    // The last 0 to 7 bytes.
    match short_bytes(rest) {
        Some(tail) => mix(h, tail ^ ((rest.len() as u64) << 59)),
        None => h,
    }
}

/// Whether two words are the same bytes, compared eight bytes at a time in line (words are short:
/// a call to `memcmp` costs more than the comparison).
#[inline]
fn same_word(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut a, mut b) = (a, b);
    while let (Some((x, ra)), Some((y, rb))) =
        (a.split_first_chunk::<8>(), b.split_first_chunk::<8>())
    {
        if x != y {
            return false;
        }
        (a, b) = (ra, rb);
    }
    short_bytes(a) == short_bytes(b)
}

/// No id (see [`Entry`]).
const NONE: u32 = u32::MAX;

/// A distinct string of the article: a word, a term, or both (a short word is its own term).
#[derive(Debug, Clone, Copy)]
struct Entry<'d> {
    text: &'d str,
    /// The low half of its hash: most other strings are told apart without reading their bytes.
    tag: u32,
    /// Its word id, or [`NONE`] when it is only the term of longer words.
    word: u32,
    /// Its term id, or [`NONE`] when it is only a word (cut to a shorter term).
    term: u32,
}

/// The distinct strings of one article, in an open-addressing table of entry indices over the
/// strings themselves, which the article's text holds. Half empty at most, so that a look-up probes
/// one or two slots.
#[derive(Debug)]
struct Strings<'d> {
    /// `index + 1` of the entry whose hash leads here, 0 when empty.
    slots: Vec<u32>,
    entries: Vec<Entry<'d>>,
    /// The hash's top bits give the first slot.
    shift: u32,
}

impl<'d> Strings<'d> {
    /// A table with room for `n` strings before it grows.
    fn with_capacity(n: usize) -> Self {
        let size = (2 * n).next_power_of_two().max(16);
        Strings {
            slots: vec![0; size],
            entries: Vec::with_capacity(n),
            shift: 64 - size.trailing_zeros(),
        }
    }

    /// The slot holding `text` (of hash `h`), or the empty slot where it would go.
    #[inline]
    fn slot_of(&self, text: &str, h: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut k = (h >> self.shift) as usize;
        loop {
            let Some(e) = self.slots[k].checked_sub(1) else {
                return k;
            };
            let e = &self.entries[e as usize];
            if e.tag == h as u32 && same_word(e.text.as_bytes(), text.as_bytes()) {
                return k;
            }
            k = (k + 1) & mask;
        }
    }

    /// The entry of `text` (of hash `h`), if there is one.
    fn get(&self, text: &str, h: u64) -> Option<&Entry<'d>> {
        let e = self.slots[self.slot_of(text, h)].checked_sub(1)?;
        self.entries.get(e as usize)
    }

    /// The index of the entry of `text` (of hash `h`), added without ids when new.
    #[inline]
    fn insert(&mut self, text: &'d str, h: u64) -> usize {
        let k = self.slot_of(text, h);
        if let Some(e) = self.slots[k].checked_sub(1) {
            return e as usize;
        }
        let e = self.entries.len();
        self.entries.push(Entry {
            text,
            tag: h as u32,
            word: NONE,
            term: NONE,
        });
        self.slots[k] = e as u32 + 1;
        if 2 * self.entries.len() > self.slots.len() {
            self.grow();
        }
        e
    }

    /// Doubles the table.
    #[cold]
    fn grow(&mut self) {
        let size = 2 * self.slots.len();
        self.slots = vec![0; size];
        self.shift -= 1;
        let mask = size - 1;
        for (i, e) in self.entries.iter().enumerate() {
            let mut k = (word_hash(e.text.as_bytes()) >> self.shift) as usize;
            while self.slots[k] != 0 {
                k = (k + 1) & mask;
            }
            self.slots[k] = i as u32 + 1;
        }
    }
}

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
/// normalised word), both given in order of first occurrence. Words and terms share one table: a
/// short word is its own term, found by the same probe.
struct Interner<'d> {
    strings: Strings<'d>,
    /// The term id of each word id.
    word_term: Vec<u32>,
    n_terms: u32,
    truncate: bool,
}

impl<'d> Interner<'d> {
    /// The term id and the word id of `norm`.
    fn id(&mut self, norm: &'d str) -> (u32, u32) {
        // One probe per token, whether the word is new or not.
        let e = self.strings.insert(norm, word_hash(norm.as_bytes()));
        let word = self.strings.entries[e].word;
        if word != NONE {
            return (self.word_term[word as usize], word);
        }
        let word = self.word_term.len() as u32;
        self.strings.entries[e].word = word;
        let term = term_of(norm, self.truncate);
        let t = if term.len() == norm.len() {
            e
        } else {
            self.strings.insert(term, word_hash(term.as_bytes()))
        };
        let entry = &mut self.strings.entries[t];
        if entry.term == NONE {
            entry.term = self.n_terms;
            self.n_terms += 1;
        }
        let term = entry.term;
        self.word_term.push(term);
        (term, word)
    }

    /// The term id of a word seen only outside the sentences (the separate title), without keeping it.
    fn lookup(&self, norm: &str) -> Option<u32> {
        if let Some(e) = self.strings.get(norm, word_hash(norm.as_bytes())) {
            if e.word != NONE {
                return self.word_term.get(e.word as usize).copied();
            }
        }
        let term = term_of(norm, self.truncate);
        let e = self.strings.get(term, word_hash(term.as_bytes()))?;
        (e.term != NONE).then_some(e.term)
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
            strings: Strings::with_capacity(cap),
            word_term: Vec::with_capacity(cap),
            n_terms: 0,
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
    terms.n_terms = interner.n_terms as usize;
    words.n_terms = interner.word_term.len();
    let title = title_terms(doc, &terms, &interner);
    Vectors {
        terms,
        words,
        title,
    }
}

fn title_terms<'d>(
    doc: &'d Prepared<'d>,
    tv: &TermVectors,
    interner: &Interner<'d>,
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

    #[test]
    fn word_hash_tells_short_words_apart() {
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
        let mut hashes: Vec<u64> = words.iter().map(|w| word_hash(w.as_bytes())).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), words.len());
        for a in &words {
            for b in &words {
                assert_eq!(same_word(a.as_bytes(), b.as_bytes()), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn ids_are_given_in_order_of_first_occurrence_and_survive_growth() {
        let words: Vec<String> = (0..500)
            .map(|i| format!("mot{}", i * 7919 % 1000))
            .chain(["présidentielle", "présidence", "préside", "pré"].map(String::from))
            .collect();
        let mut interner = Interner {
            strings: Strings::with_capacity(1),
            word_term: Vec::new(),
            n_terms: 0,
            truncate: true,
        };
        let (mut want_words, mut want_terms): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
        for w in &words {
            let (term, word) = interner.id(w);
            let t = term_of(w, true);
            let at = want_words.iter().position(|x| x == w);
            assert_eq!(word as usize, at.unwrap_or(want_words.len()), "{w}");
            if at.is_none() {
                want_words.push(w);
            }
            let at = want_terms.iter().position(|x| *x == t);
            assert_eq!(term as usize, at.unwrap_or(want_terms.len()), "{w}");
            if at.is_none() {
                want_terms.push(t);
            }
        }
        assert_eq!(interner.word_term.len(), want_words.len());
        assert_eq!(interner.n_terms as usize, want_terms.len());
        // "préside" is a word and the term of "présidentielle" and "présidence".
        assert_eq!(interner.id("présidentielle").0, interner.id("préside").0);
        assert_eq!(
            interner.lookup("présidents"),
            Some(interner.id("préside").0)
        );
        assert_eq!(interner.lookup("mot0"), Some(interner.id("mot0").0));
        assert_eq!(interner.lookup("absent"), None);
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
