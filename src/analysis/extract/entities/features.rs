//! Observation features of the tagger: word, shape, affix, context, gazetteer, title and document cues.
//!
//! [`DocFeatures::compute`] describes every distinct word of a document once (its hashes, shape,
//! affixes, title and document cues; an article repeats most of its words, so this is computed for
//! about half of its tokens), and [`token_features`] lists the features of one token of a sentence to a
//! [`Sink`]. The same code serves training ([`SentenceFeatures::compute`], which stores the hashed
//! feature indices) and tagging (`super::score`, which adds up weights), so the two never drift apart.
//!
//! Each feature is one of three kinds, so that tagging can share work between tokens without changing
//! a single score: a [`Sink::word`] feature depends on the word alone (summed once per distinct word),
//! a [`Sink::shape`] feature only on small values around the token, all packed in [`shape_key`] (summed
//! once per distinct key), and a [`Sink::pair`] feature on the words around it (summed per token).
//!
//! Document cues make sentence-initial words and title-case headlines tractable: a word that appears in
//! lower case elsewhere in the article (`Dégel`, `Rejects`) or capitalised in mid-sentence elsewhere
//! (`Poutine`) says so in a feature.

use super::super::super::analyzer::Prepared;
use super::super::super::segment::SegmentKind;
use super::gazetteer::Resources;
use super::hash::{hash_bytes, hash_str, mix, push_folded, FastMap, HashIndex, Hasher, FOLD_SEED};
use super::score::WordSums;
use super::vocab::Vocab;

/// Shape classes of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Class {
    Lower = 0,
    Capitalized = 1,
    AllCaps = 2,
    SingleCap = 3,
    Mixed = 4,
    Digits = 5,
    Punct = 6,
    AlphaNum = 7,
    Dotted = 8,
}

/// Facts about one distinct word of a document, computed once, that are read token by token: 32
/// bytes, so that a document's words and a frequent word's entry take few cache lines. What only
/// the word's own features read is apart, in [`Spelled`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TokInfo {
    pub(crate) norm: u64,
    pub(crate) fold: u64,
    pub(crate) class: Class,
    title: u8,
    /// The gazetteer entries starting with the word ([`Resources::starting`]).
    gaz: u8,
    /// Document flags ([`DOC_LOWER`], [`DOC_CAP_MID`]) of the word.
    pub(crate) doc: u8,
    /// First character in lower case / in upper case.
    first_lower: bool,
    first_upper: bool,
    /// An opening quote, bracket, colon or dash (after which a word is a quasi sentence start).
    opening: bool,
    /// Upper-case and alphabetic characters (for all-caps headlines).
    upper: u32,
    letters: u32,
}

/// Facts about a word that only its [`Sink::word`] features read (summed once per word).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Spelled {
    form: u64,
    shape: u64,
    affixes: [u64; 7],
    len: u8,
    stop: bool,
}

/// A [`Spelled`] for sinks that take no [`Sink::word`] features (which alone read it).
pub(crate) const UNSPELLED: Spelled = Spelled {
    form: 0,
    shape: 0,
    affixes: [0; 7],
    len: 0,
    stop: false,
};

/// Where the word-weight sums of a word of [`DocFeatures`] come from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source<'v> {
    /// The entry of the [`Vocab`] the word was copied from.
    Listed(&'v WordSums),
    /// Its spelling, computed for this document: the index in [`DocFeatures::spelled`].
    Own(u32),
}

/// Document-level flags of a word (by lower-case form).
pub(crate) const DOC_LOWER: u8 = 1;
/// Seen capitalised in mid-sentence of a body sentence in mixed case.
pub(crate) const DOC_CAP_MID: u8 = 2;

/// The distinct words of a document, each token's word, and per-sentence cues.
#[derive(Debug, Default)]
pub(crate) struct DocFeatures<'v> {
    words: Vec<TokInfo>,
    /// Where each word's sums come from.
    sources: Vec<Source<'v>>,
    /// The spellings of the words not copied from a [`Vocab`], in order.
    spelled: Vec<Spelled>,
    /// Index into `words` of every token of the document.
    ids: Vec<u32>,
    /// Whether each sentence is written mostly in capitals.
    caps: Vec<bool>,
}

impl<'v> DocFeatures<'v> {
    /// Describes the document's words, then scans it once for the document cues. A word listed in
    /// `vocab` (if it was built with the same `res`) is copied from there instead of described again:
    /// its entry holds the very description this would compute.
    pub(crate) fn compute(
        doc: &Prepared<'_>,
        res: &Resources,
        vocab: Option<&'v Vocab>,
    ) -> DocFeatures<'v> {
        let vocab = vocab.filter(|v| v.serves(res));
        // Words are told apart by their text; a word's normalised form, kind and stop-word flag are
        // compared too, so that sharing a description can never change it.
        let mut index = HashIndex::with_room(doc.tokens.len());
        // An article repeats about half of its words: room for that many, so that the vectors
        // rarely grow (and copy their descriptions) on the way.
        let room = doc.tokens.len() / 2 + 16;
        // The token each word was first seen at (its surface form, normalised form, kind and
        // stop-word flag are those of that token).
        let mut seen: Vec<u32> = Vec::with_capacity(room);
        let mut words = Vec::with_capacity(room);
        let mut sources = Vec::with_capacity(room);
        // Most words of an article are listed in a vocabulary.
        let mut spelled = Vec::with_capacity(if vocab.is_some() { room / 4 } else { room });
        let mut ids = Vec::with_capacity(doc.tokens.len());
        for (k, t) in doc.tokens.iter().enumerate() {
            let (surface, norm) = (doc.surface(t), doc.norm(t));
            let first = |id: u32| &doc.tokens[seen[id as usize] as usize];
            let same = |id: u32| {
                let f = first(id);
                f.kind == t.kind && f.is_stop == t.is_stop && doc.norm(f) == norm
            };
            let h = hash_bytes(surface.as_bytes());
            // Compared as bytes: the token's span is known to lie on character boundaries.
            let text = doc.text.as_bytes();
            let is = |id: u32| {
                let span = &first(id).span;
                text.get(span.start..span.end) == Some(surface.as_bytes())
            };
            match index.find_or_insert(h, is, words.len() as u32) {
                Some(id) if same(id) => ids.push(id),
                _ => {
                    seen.push(k as u32);
                    let entry = vocab.and_then(|v| v.find(h, surface, norm, t.is_stop));
                    match entry {
                        Some((info, sums)) => {
                            words.push(*info);
                            sources.push(Source::Listed(sums));
                        }
                        None => {
                            let (info, sp) = token_info(surface, norm, t.is_stop, res);
                            words.push(info);
                            sources.push(Source::Own(spelled.len() as u32));
                            spelled.push(sp);
                        }
                    }
                    ids.push(words.len() as u32 - 1);
                }
            }
        }
        // Flags are gathered per word, then merged per normalised form (several words can share one).
        let mut word_flags = vec![0u8; words.len()];
        let mut all_caps = Vec::with_capacity(doc.sentences.len());
        for s in &doc.sentences {
            let toks = &doc.tokens[s.tokens.clone()];
            let sid = &ids[s.tokens.clone()];
            let (mut up, mut all) = (0usize, 0usize);
            for (t, &id) in toks.iter().zip(sid) {
                if t.is_word() {
                    let w = &words[id as usize];
                    up += w.upper as usize;
                    all += w.letters as usize;
                }
            }
            let upper = all >= 4 && up * 10 >= all * 7;
            all_caps.push(upper);
            let caps = s.kind != SegmentKind::Body || upper;
            for (i, (t, &id)) in toks.iter().zip(sid).enumerate() {
                if !t.is_word() {
                    continue;
                }
                let w = &words[id as usize];
                let flag = if w.first_lower {
                    DOC_LOWER
                } else if w.first_upper && i > 0 && !caps && !words[sid[i - 1] as usize].opening {
                    DOC_CAP_MID
                } else {
                    0
                };
                word_flags[id as usize] |= flag;
            }
        }
        let mut flags: FastMap<u64, u8> = FastMap::default();
        flags.reserve(word_flags.iter().filter(|&&f| f != 0).count());
        for (w, &f) in words.iter().zip(&word_flags) {
            if f != 0 {
                *flags.entry(w.norm).or_insert(0) |= f;
            }
        }
        if !flags.is_empty() {
            for w in &mut words {
                w.doc = flags.get(&w.norm).copied().unwrap_or(0);
            }
        }
        DocFeatures {
            words,
            sources,
            spelled,
            ids,
            caps: all_caps,
        }
    }

    /// The word of token `k` of the document.
    #[cfg(test)]
    pub(crate) fn word(&self, k: usize) -> &TokInfo {
        &self.words[self.ids[k] as usize]
    }

    /// Whether token `k` of the document starts with an upper-case letter
    /// ([`super::super::super::token::Token::is_capitalized`], known from its word).
    #[inline]
    pub(crate) fn capitalized(&self, k: usize) -> bool {
        self.words[self.ids[k] as usize].first_upper
    }

    /// Whether token `k` of the document is a courtesy title or a function once a final period is
    /// trimmed ([`Resources::is_title`], known from its word).
    #[inline]
    pub(crate) fn is_title(&self, k: usize) -> bool {
        self.words[self.ids[k] as usize].title != 0
    }

    /// Number of distinct words.
    pub(crate) fn distinct(&self) -> usize {
        self.words.len()
    }

    /// Distinct word `id` (below [`DocFeatures::distinct`]).
    pub(crate) fn info(&self, id: usize) -> &TokInfo {
        &self.words[id]
    }

    /// Where the word-weight sums of distinct word `id` come from.
    pub(crate) fn source(&self, id: usize) -> Option<Source<'v>> {
        self.sources.get(id).copied()
    }

    /// The spelling of distinct word `id`, unless it was copied from a [`Vocab`].
    pub(crate) fn spelling(&self, id: usize) -> Option<&Spelled> {
        match self.source(id)? {
            Source::Own(k) => self.spelled.get(k as usize),
            Source::Listed(_) => None,
        }
    }

    /// The spellings of the words not copied from a [`Vocab`], in order ([`Source::Own`]).
    pub(crate) fn spelled(&self) -> &[Spelled] {
        &self.spelled
    }

    /// Index of the word of each token of a range of the document's tokens.
    pub(crate) fn ids(&self, tokens: std::ops::Range<usize>) -> &[u32] {
        &self.ids[tokens]
    }
}

/// Whether the token opens a quotation, a bracket or a clause (after it, a word is a quasi sentence
/// start).
fn is_opening(surface: &str) -> bool {
    matches!(
        surface,
        "\"" | "«" | "“" | "(" | ":" | "-" | "–" | "—" | "'" | "‘" | "["
    )
}

/// Whether most letters of the sentence are upper case (an all-caps headline or dateline).
#[cfg(test)]
pub(crate) fn mostly_caps(doc: &Prepared<'_>, toks: &[super::super::super::token::Token]) -> bool {
    let (mut up, mut all) = (0usize, 0usize);
    for t in toks.iter().filter(|t| t.is_word()) {
        for c in doc.surface(t).chars().filter(|c| c.is_alphabetic()) {
            all += 1;
            up += usize::from(c.is_uppercase());
        }
    }
    all >= 4 && up * 10 >= all * 7
}

pub(crate) const NORM_SEED: u64 = 0x11;
const FORM_SEED: u64 = 0x12;
const SHAPE_SEED: u64 = 0x13;

/// Shape hash, class, and counts of upper-case and alphabetic characters.
fn shape_and_class(s: &str) -> (u64, Class, u32, u32) {
    let mut h = Hasher::new(SHAPE_SEED);
    let (mut up, mut up_letters, mut low, mut dig) = (0u32, 0u32, 0u32, 0u32);
    let mut last = '\0';
    let mut first_up = false;
    let mut dots = 0;
    for (i, c) in s.chars().enumerate() {
        let k = if c.is_uppercase() {
            up += 1;
            up_letters += u32::from(c.is_alphabetic());
            if i == 0 {
                first_up = true;
            }
            'X'
        } else if c.is_alphabetic() {
            low += 1;
            'x'
        } else if c.is_numeric() {
            dig += 1;
            'd'
        } else {
            dots += usize::from(c == '.');
            c
        };
        if k != last {
            h.push(k);
            last = k;
        }
    }
    let class = class_of(up, low, dig, dots > 0, first_up);
    (h.finish(), class, up_letters, up_letters + low)
}

/// The class of a word from its counts of upper-case, lower-case and numeric characters, whether it
/// has a period, and whether its first character is upper case.
fn class_of(up: u32, low: u32, dig: u32, dotted: bool, first_up: bool) -> Class {
    if up + low == 0 {
        if dig > 0 {
            Class::Digits
        } else {
            Class::Punct
        }
    } else if dig > 0 {
        Class::AlphaNum
    } else if dotted && up > 0 {
        Class::Dotted
    } else if low == 0 {
        if up == 1 {
            Class::SingleCap
        } else {
            Class::AllCaps
        }
    } else if up == 0 {
        Class::Lower
    } else if first_up && up == 1 {
        Class::Capitalized
    } else {
        Class::Mixed
    }
}

/// What [`token_info`] computes character by character.
#[derive(Debug, PartialEq)]
struct Spelling {
    norm: u64,
    form: u64,
    fold: u64,
    shape: u64,
    class: Class,
    upper: u32,
    letters: u32,
    affixes: [u64; 7],
    nchars: usize,
}

/// [`Spelling`] of a word, through [`spelling_ascii`] when the word and its normalised form are ASCII.
fn spelling(surface: &str, norm: &str) -> Spelling {
    if surface.is_ascii() && norm.is_ascii() {
        spelling_ascii(surface.as_bytes(), norm.as_bytes())
    } else {
        spelling_chars(surface, norm)
    }
}

/// Hashes of the prefixes of 1 to 3 and suffixes of 1 to 4 units (characters, or the bytes of an
/// ASCII word) of a word of `len` units, when the word is longer than the affix; 0 for the others.
fn affixes<U: Copy>(
    len: usize,
    units: impl DoubleEndedIterator<Item = U> + Clone,
    push: impl Fn(&mut Hasher, U),
) -> [u64; 7] {
    let mut out = [0u64; 7];
    let mut h = Hasher::new(0x20);
    for (k, u) in units.clone().take(3.min(len.saturating_sub(1))).enumerate() {
        push(&mut h, u);
        out[k] = mix(h.finish(), k as u64);
    }
    let mut h = Hasher::new(0x30);
    for (k, u) in units.rev().take(4.min(len.saturating_sub(1))).enumerate() {
        push(&mut h, u);
        out[3 + k] = mix(h.finish(), k as u64);
    }
    out
}

/// [`Spelling`] of any word.
fn spelling_chars(surface: &str, norm: &str) -> Spelling {
    let mut fold = Hasher::new(FOLD_SEED);
    surface.chars().for_each(|c| push_folded(&mut fold, c));
    let (shape, class, upper, letters) = shape_and_class(surface);
    let nchars = norm.chars().count();
    let affixes = affixes(nchars, norm.chars(), Hasher::push);
    Spelling {
        norm: hash_str(NORM_SEED, norm),
        form: hash_str(FORM_SEED, surface),
        fold: fold.finish(),
        shape,
        class,
        upper,
        letters,
        affixes,
        nchars,
    }
}

/// [`Spelling`] of an ASCII word, byte by byte: the same hashes as [`spelling_chars`], as an ASCII
/// character hashes as its byte and its case and class are plain ranges (a test compares the two).
fn spelling_ascii(surface: &[u8], norm: &[u8]) -> Spelling {
    let (mut form, mut fold, mut shape) = (
        Hasher::new(FORM_SEED),
        Hasher::new(FOLD_SEED),
        Hasher::new(SHAPE_SEED),
    );
    let (mut up, mut low, mut dig, mut dotted) = (0u32, 0u32, 0u32, false);
    let mut last = 0u8;
    for &b in surface {
        form.push_byte(b);
        fold.push_byte(b.to_ascii_lowercase());
        let k = match b {
            b'A'..=b'Z' => {
                up += 1;
                b'X'
            }
            b'a'..=b'z' => {
                low += 1;
                b'x'
            }
            b'0'..=b'9' => {
                dig += 1;
                b'd'
            }
            _ => {
                dotted |= b == b'.';
                b
            }
        };
        if k != last {
            shape.push_byte(k);
            last = k;
        }
    }
    let first_up = surface.first().is_some_and(u8::is_ascii_uppercase);
    let mut norm_h = Hasher::new(NORM_SEED);
    norm.iter().for_each(|&b| norm_h.push_byte(b));
    let n = norm.len();
    let affixes = affixes(n, norm.iter().copied(), Hasher::push_byte);
    Spelling {
        norm: norm_h.finish(),
        form: form.finish(),
        fold: fold.finish(),
        shape: shape.finish(),
        class: class_of(up, low, dig, dotted, first_up),
        upper: up,
        letters: up + low,
        affixes,
        nchars: n,
    }
}

/// The description of a word of this surface form, normalised form and stop-word flag.
fn token_info(surface: &str, norm: &str, stop: bool, res: &Resources) -> (TokInfo, Spelled) {
    let sp = spelling(surface, norm);
    let title = res.title(norm.trim_end_matches('.'));
    let first = surface.chars().next();
    let spelled = Spelled {
        form: sp.form,
        shape: sp.shape,
        affixes: sp.affixes,
        len: sp.nchars.min(255) as u8,
        stop,
    };
    let info = TokInfo {
        norm: sp.norm,
        fold: sp.fold,
        class: sp.class,
        title,
        gaz: res.starting(sp.fold),
        doc: 0,
        first_lower: first.is_some_and(char::is_lowercase),
        first_upper: first.is_some_and(char::is_uppercase),
        opening: is_opening(surface),
        upper: sp.upper,
        letters: sp.letters,
    };
    (info, spelled)
}

/// Receives the features of a token, each a (template, value) pair, sorted by what they depend on.
pub(crate) trait Sink {
    /// A feature of the word alone.
    fn word(&mut self, template: u64, value: u64);
    /// A feature of the word and of whether it starts the sentence (or follows an opening mark).
    fn initial(&mut self, template: u64, value: u64);
    /// A feature of the normalised form of one neighbour alone (`value`), the neighbour being token
    /// `i - 2`, `i - 1`, `i + 1` or `i + 2` for `slot` 0 to 3.
    fn near(&mut self, template: u64, slot: usize, value: u64);
    /// A feature of the small values packed in a shape key (classes, position, gazetteer, titles).
    fn shape(&mut self, template: u64, value: u64);
    /// A feature of the word with its neighbours' words.
    fn pair(&mut self, template: u64, value: u64);
}

/// One sentence as the features see it.
#[derive(Debug)]
pub(crate) struct SentenceView<'a> {
    words: &'a [TokInfo],
    /// The word of each token of the sentence.
    pub(crate) ids: &'a [u32],
    gaz_begin: &'a [u8],
    /// Normalised-form hashes of the tokens, after two sentence-start marks and before two sentence-end
    /// marks, so that the neighbours of token `i` are `norms[i..i + 5]`.
    norms: &'a [u64],
    /// The [`shape_key`] of each token.
    pub(crate) keys: &'a [u128],
}

/// The normalised-form hash of the positions before a sentence.
pub(crate) const BOS: u64 = 0xB05;
/// The normalised-form hash of the positions after a sentence.
pub(crate) const EOS: u64 = 0xE05;
/// The class of the position before the sentence's first token.
const CLASS_BOS: u8 = 100;
/// The class of the position after the sentence's last token.
const CLASS_EOS: u8 = 101;

/// Normalised-form hashes of tokens `i - 2` to `i + 2` (sentence marks outside the sentence).
pub(crate) type Neighbours = [u64; 5];

impl SentenceView<'_> {
    /// The word of token `i`.
    #[inline(always)]
    pub(crate) fn word(&self, i: usize) -> &TokInfo {
        &self.words[self.ids[i] as usize]
    }

    /// The normalised forms around token `i`.
    #[inline(always)]
    pub(crate) fn neighbours(&self, i: usize) -> Neighbours {
        let mut w = [0u64; 5];
        w.copy_from_slice(&self.norms[i..i + 5]);
        w
    }
}

/// Lists the features of token `i` of a sentence, whose word has spelling `sp`.
#[inline(always)]
pub(crate) fn token_features<S: Sink>(s: &SentenceView<'_>, i: usize, sp: &Spelled, sink: &mut S) {
    features_of(s.word(i), sp, s.keys[i], &s.neighbours(i), sink);
}

/// Lists the features of a token from its word and that word's spelling, its [`shape_key`] and the
/// normalised forms around it. Everything is computed from these without a bounds check, so that a
/// sink that ignores some kinds of features costs nothing for them (only [`Sink::word`] features
/// read `sp`).
#[inline(always)]
pub(crate) fn features_of<S: Sink>(
    t: &TokInfo,
    sp: &Spelled,
    key: u128,
    nb: &Neighbours,
    sink: &mut S,
) {
    let [c0, cp, cn, first, seg, doc_flags, gb, gi, gnb, t1, t2] = unpack(key).map(u64::from);
    let [_, m1, norm, p1, _] = *nb;
    sink.word(1, 0);
    sink.word(2, t.norm);
    sink.word(3, sp.form);
    near_features(nb, sink);
    sink.word(8, sp.shape);
    sink.shape(9, c0 | (cp << 8) | (cn << 16));
    sink.shape(10, c0 | (cp << 8));
    sink.shape(11, c0 | (cn << 8));
    for (k, &a) in sp.affixes.iter().enumerate() {
        if a != 0 {
            sink.word(12 + k as u64, a);
        }
    }
    sink.shape(20, c0 | (first << 8));
    sink.shape(21, c0 | (seg << 8) | (first << 12));
    sink.initial(22, mix(norm, first));
    sink.shape(23, c0 | (doc_flags << 8) | (first << 12) | (seg << 16));
    if gb != 0 || gi != 0 {
        sink.shape(24, gb | (gi << 8));
        sink.shape(25, gb | (gi << 8) | (c0 << 16));
    }
    sink.shape(26, t1 | (t2 << 4) | (c0 << 8));
    sink.pair(27, mix(m1, norm));
    sink.pair(28, mix(norm, p1));
    sink.pair(29, mix(m1, c0));
    sink.pair(30, mix(p1, c0));
    sink.word(
        31,
        c0 | (u64::from(sp.stop) << 8) | (u64::from(sp.len.min(12)) << 12),
    );
    sink.word(32, u64::from(t.title) | (c0 << 8));
    if cn != u64::from(CLASS_EOS) {
        sink.shape(33, gnb | (c0 << 8) | (cn << 16));
    }
}

/// Lists the [`Sink::near`] features of a token from the normalised forms around it (those of its
/// neighbours' words alone, so that a word's weights as each neighbour are summed once).
#[inline(always)]
pub(crate) fn near_features<S: Sink>(nb: &Neighbours, sink: &mut S) {
    let [m2, m1, _, p1, p2] = *nb;
    sink.near(4, 1, m1);
    sink.near(5, 2, p1);
    sink.near(6, 0, m2);
    sink.near(7, 3, p2);
}

/// The [`shape_key`] of a word with only its class and sentence-start flag set: what its
/// [`Sink::word`] and [`Sink::initial`] features read of a key.
pub(crate) fn word_key(t: &TokInfo, first: bool) -> u128 {
    let mut bytes = [0u8; KEY_BYTES];
    bytes[0] = t.class as u8;
    bytes[3] = u8::from(first);
    shape_key(bytes)
}

/// Whether a token with this [`shape_key`] starts its sentence or follows an opening mark.
#[inline(always)]
pub(crate) fn starts(key: u128) -> bool {
    unpack(key)[3] != 0
}

/// Number of values packed in a [`shape_key`].
const KEY_BYTES: usize = 11;

/// Everything the [`Sink::shape`] features of a token are computed from, one byte each (two tokens with
/// the same key have the same shape features): its class, the classes before and after it (or
/// [`CLASS_BOS`], [`CLASS_EOS`]), whether it starts the sentence or follows an opening quote, bracket,
/// colon or dash, the segment kind and all-caps flag, its word's document flags, the gazetteer kinds
/// starting at it, covering it and starting after it, and the title kinds of the two words before it.
#[inline(always)]
fn shape_key(bytes: [u8; KEY_BYTES]) -> u128 {
    let mut b = [0u8; 16];
    b[16 - KEY_BYTES..].copy_from_slice(&bytes);
    u128::from_be_bytes(b)
}

/// The values packed in a [`shape_key`].
#[inline(always)]
fn unpack(key: u128) -> [u8; KEY_BYTES] {
    let b = key.to_be_bytes();
    let mut out = [0u8; KEY_BYTES];
    out.copy_from_slice(&b[16 - KEY_BYTES..]);
    out
}

/// Reusable per-sentence buffers: gazetteer matches, neighbours, shape keys, and (for training) the
/// hashed feature indices.
#[derive(Debug, Default)]
pub(crate) struct SentenceFeatures {
    /// Feature indices, token after token.
    pub(crate) feats: Vec<u32>,
    /// `feats[offsets[i]..offsets[i + 1]]` are token `i`'s.
    pub(crate) offsets: Vec<u32>,
    folds: Vec<u64>,
    firsts: Vec<u8>,
    gaz_begin: Vec<u8>,
    gaz_inside: Vec<u8>,
    norms: Vec<u64>,
    keys: Vec<u128>,
}

/// Pushes every feature, hashed into a table of `mask + 1` rows.
struct Indices<'a> {
    out: &'a mut Vec<u32>,
    mask: u64,
}

impl Sink for Indices<'_> {
    fn word(&mut self, template: u64, value: u64) {
        self.out.push((mix(template, value) & self.mask) as u32);
    }
    fn initial(&mut self, template: u64, value: u64) {
        self.word(template, value);
    }
    fn near(&mut self, template: u64, _slot: usize, value: u64) {
        self.word(template, value);
    }
    fn shape(&mut self, template: u64, value: u64) {
        self.word(template, value);
    }
    fn pair(&mut self, template: u64, value: u64) {
        self.word(template, value);
    }
}

impl SentenceFeatures {
    /// Room in its buffers for sentences of up to `n` tokens.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.folds.reserve(n);
        self.firsts.reserve(n);
        self.gaz_begin.reserve(n);
        self.gaz_inside.reserve(n);
        self.norms.reserve(n + 4);
        self.keys.reserve(n);
    }

    /// Marks the gazetteer entries of sentence `si`, computes its tokens' neighbours and shape keys, and
    /// returns the view of it the features use.
    pub(crate) fn view<'a>(
        &'a mut self,
        doc: &Prepared<'_>,
        si: usize,
        res: &Resources,
        df: &'a DocFeatures<'_>,
    ) -> SentenceView<'a> {
        let s = &doc.sentences[si];
        let ids = df.ids(s.tokens.clone());
        let words = &df.words[..];
        let n = ids.len();
        self.folds.clear();
        self.folds
            .extend(ids.iter().map(|&id| words[id as usize].fold));
        self.firsts.clear();
        self.firsts
            .extend(ids.iter().map(|&id| words[id as usize].gaz));
        self.gaz_begin.clear();
        self.gaz_begin.resize(n, 0);
        self.gaz_inside.clear();
        self.gaz_inside.resize(n, 0);
        res.mark(
            &self.folds,
            &self.firsts,
            &mut self.gaz_begin,
            &mut self.gaz_inside,
        );
        let caps = u8::from(df.caps.get(si).copied().unwrap_or(false));
        let seg = match s.kind {
            SegmentKind::Headline => 1u8,
            SegmentKind::Dateline => 2,
            SegmentKind::Body => 3,
        } | (caps << 2);
        self.norms.clear();
        self.norms.extend([BOS, BOS]);
        self.norms
            .extend(ids.iter().map(|&id| words[id as usize].norm));
        self.norms.extend([EOS, EOS]);
        self.keys.clear();
        let (mut prev_class, mut first) = (CLASS_BOS, true);
        let (mut title1, mut title2) = (0u8, 0u8);
        for (i, &id) in ids.iter().enumerate() {
            let t = &words[id as usize];
            let next = ids.get(i + 1).map(|&nx| &words[nx as usize]);
            self.keys.push(shape_key([
                t.class as u8,
                prev_class,
                next.map_or(CLASS_EOS, |nx| nx.class as u8),
                u8::from(first),
                seg,
                t.doc,
                self.gaz_begin[i],
                self.gaz_inside[i],
                self.gaz_begin.get(i + 1).copied().unwrap_or(0),
                title1,
                title2,
            ]));
            (prev_class, first) = (t.class as u8, t.opening);
            (title1, title2) = (t.title, title1);
        }
        SentenceView {
            words,
            ids,
            gaz_begin: &self.gaz_begin,
            norms: &self.norms,
            keys: &self.keys,
        }
    }

    /// Computes the feature indices of sentence `si` of `doc`, hashed into `1 << bits` buckets, from
    /// `df` described without a [`Vocab`] (a word copied from one has no spelling in `df`).
    pub(crate) fn compute(
        &mut self,
        doc: &Prepared<'_>,
        si: usize,
        res: &Resources,
        df: &DocFeatures<'_>,
        bits: u32,
    ) {
        debug_assert_eq!(
            df.spelled().len(),
            df.distinct(),
            "described without a vocabulary"
        );
        let mut feats = std::mem::take(&mut self.feats);
        let mut offsets = std::mem::take(&mut self.offsets);
        feats.clear();
        offsets.clear();
        offsets.push(0);
        let view = self.view(doc, si, res, df);
        let mut sink = Indices {
            out: &mut feats,
            mask: (1u64 << bits) - 1,
        };
        for (i, &id) in view.ids.iter().enumerate() {
            let sp = df.spelling(id as usize).unwrap_or(&UNSPELLED);
            token_features(&view, i, sp, &mut sink);
            offsets.push(sink.out.len() as u32);
        }
        self.feats = feats;
        self.offsets = offsets;
    }
}

impl SentenceView<'_> {
    /// Gazetteer kinds of the entry starting at token `i`.
    pub(crate) fn gazetteer(&self, i: usize) -> u8 {
        self.gaz_begin[i]
    }

    /// Document flags of token `i`'s word.
    pub(crate) fn doc_flags(&self, i: usize) -> u8 {
        self.word(i).doc
    }

    /// Whether token `i` is written in capitals only.
    pub(crate) fn is_all_caps(&self, i: usize) -> bool {
        matches!(self.word(i).class, Class::AllCaps | Class::Dotted)
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::super::lang::Language;
    use super::super::gazetteer::resources_for;
    use super::*;

    #[test]
    fn shapes_classify_common_forms() {
        assert_eq!(shape_and_class("Poutine").1, Class::Capitalized);
        assert_eq!(shape_and_class("ONU").1, Class::AllCaps);
        assert_eq!(shape_and_class("A").1, Class::SingleCap);
        assert_eq!(shape_and_class("McDonald").1, Class::Mixed);
        assert_eq!(shape_and_class("U.S.").1, Class::Dotted);
        assert_eq!(shape_and_class("1996").1, Class::Digits);
        assert_eq!(shape_and_class("G7").1, Class::AlphaNum);
        assert_eq!(shape_and_class("paix").1, Class::Lower);
        assert_eq!(shape_and_class("Xxxx").0, shape_and_class("Abcdefg").0);
    }

    #[test]
    fn ascii_words_are_spelled_as_any_word() {
        let words = [
            "",
            "a",
            "A",
            "Le",
            "PARIS",
            "U.S.",
            "G7",
            "1996",
            "McDonald",
            "d'",
            "--",
            "\0",
            "\0x",
            "e-mail",
            "ab.cd",
            "X",
            "xY",
            "Z9.",
            "'",
            "(",
            "abcdefghij",
            "ABCDEFGHIJ",
            "a1b2",
        ];
        for surface in words {
            for norm in [
                surface.to_lowercase(),
                surface.to_string(),
                "x".into(),
                String::new(),
            ] {
                assert_eq!(
                    spelling_ascii(surface.as_bytes(), norm.as_bytes()),
                    spelling_chars(surface, &norm),
                    "{surface:?} {norm:?}"
                );
            }
        }
        assert_eq!(spelling("Étés", "étés"), spelling_chars("Étés", "étés"));
    }

    #[test]
    fn words_are_shared_and_capitals_counted_per_sentence() {
        let text =
            "LE KREMLIN RÉPOND. Le Kremlin répond à Washington ; le kremlin aussi. Été, «Écrit». \
             M. Poutine, Mme Dupont et le président ; MM. X.";
        let doc = Prepared::new(text, None, Language::from_tag("fr").ok());
        let res = resources_for("fr").expect("French lists");
        let df = DocFeatures::compute(&doc, res, None);
        assert!(df.distinct() < doc.tokens.len());
        for (si, s) in doc.sentences.iter().enumerate() {
            let toks = &doc.tokens[s.tokens.clone()];
            assert_eq!(df.caps[si], mostly_caps(&doc, toks), "sentence {si}");
            for (k, t) in toks.iter().enumerate() {
                let w = df.word(s.tokens.start + k);
                assert_eq!(w.norm, hash_str(NORM_SEED, doc.norm(t)));
                let id = df.ids(s.tokens.start + k..s.tokens.start + k + 1)[0] as usize;
                assert_eq!(df.spelling(id).map(|sp| sp.stop), Some(t.is_stop));
                assert_eq!(
                    df.capitalized(s.tokens.start + k),
                    t.is_capitalized(doc.text)
                );
                assert_eq!(
                    df.is_title(s.tokens.start + k),
                    res.is_title(doc.norm(t).trim_end_matches('.'))
                );
            }
        }
        // `Kremlin` is capitalised mid-sentence, `kremlin` is seen in lower case: both flags.
        let kremlin = doc
            .tokens
            .iter()
            .position(|t| doc.surface(t) == "Kremlin")
            .expect("token");
        assert_eq!(df.word(kremlin).doc, DOC_LOWER | DOC_CAP_MID);
    }
}
