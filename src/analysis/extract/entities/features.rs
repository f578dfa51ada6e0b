//! Observation features of the tagger: word, shape, affix, context, gazetteer, title and document cues.
//!
//! For each sentence, [`SentenceFeatures::compute`] fills one flat buffer of hashed feature indices per
//! token (no per-token allocation; buffers are reused across sentences). The same code serves training
//! and tagging, so the two never drift apart.
//!
//! Document cues make sentence-initial words and title-case headlines tractable: a word that appears in
//! lower case elsewhere in the article (`Dégel`, `Rejects`) or capitalised in mid-sentence elsewhere
//! (`Poutine`) says so in a feature.

use super::super::super::analyzer::Prepared;
use super::super::super::segment::SegmentKind;
use super::gazetteer::Resources;
use super::hash::{hash_str, mix, push_folded, FastMap, Hasher, FOLD_SEED};

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

/// Facts about one token, computed once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokInfo {
    pub(crate) norm: u64,
    form: u64,
    pub(crate) fold: u64,
    shape: u64,
    pub(crate) class: Class,
    affixes: [u64; 7],
    title: u8,
    doc: u8,
    len: u8,
    stop: bool,
}

const TITLE_HONORIFIC: u8 = 1;
const TITLE_FUNCTION: u8 = 2;

/// Document-level flags of a word (by lower-case form).
pub(crate) const DOC_LOWER: u8 = 1;
/// Seen capitalised in mid-sentence of a body sentence in mixed case.
pub(crate) const DOC_CAP_MID: u8 = 2;

/// Per-document word flags.
#[derive(Debug, Default)]
pub(crate) struct DocFlags {
    words: FastMap<u64, u8>,
    caps: Vec<bool>,
}

impl DocFlags {
    /// Scans the document once.
    pub(crate) fn compute(doc: &Prepared<'_>) -> DocFlags {
        let mut map: FastMap<u64, u8> = FastMap::default();
        let mut all_caps = Vec::with_capacity(doc.sentences.len());
        for (si, s) in doc.sentences.iter().enumerate() {
            let toks = doc.sentence_tokens(si);
            let upper = mostly_caps(doc, toks);
            all_caps.push(upper);
            let caps = s.kind != SegmentKind::Body || upper;
            for (i, t) in toks.iter().enumerate() {
                if !t.is_word() {
                    continue;
                }
                let first = doc.surface(t).chars().next();
                let flag = match first {
                    Some(c) if c.is_lowercase() => DOC_LOWER,
                    Some(c)
                        if c.is_uppercase() && i > 0 && !caps && !after_opening(doc, toks, i) =>
                    {
                        DOC_CAP_MID
                    }
                    _ => 0,
                };
                if flag != 0 {
                    *map.entry(hash_str(NORM_SEED, doc.norm(t))).or_insert(0) |= flag;
                }
            }
        }
        DocFlags {
            words: map,
            caps: all_caps,
        }
    }

    fn get(&self, norm: u64) -> u8 {
        self.words.get(&norm).copied().unwrap_or(0)
    }
}

/// Whether token `i` follows an opening quote, bracket, colon or dash (a quasi sentence start).
fn after_opening(doc: &Prepared<'_>, toks: &[super::super::super::token::Token], i: usize) -> bool {
    i > 0
        && matches!(
            doc.surface(&toks[i - 1]),
            "\"" | "«" | "“" | "(" | ":" | "-" | "–" | "—" | "'" | "‘" | "["
        )
}

/// Whether most letters of the sentence are upper case (an all-caps headline or dateline).
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

fn shape_and_class(s: &str) -> (u64, Class) {
    let mut h = Hasher::new(SHAPE_SEED);
    let (mut up, mut low, mut dig, mut other, mut n) = (0, 0, 0, 0, 0);
    let mut last = '\0';
    let mut first_up = false;
    let mut dots = 0;
    for (i, c) in s.chars().enumerate() {
        n += 1;
        let k = if c.is_uppercase() {
            up += 1;
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
            other += 1;
            dots += usize::from(c == '.');
            c
        };
        if k != last {
            h.push(k);
            last = k;
        }
    }
    let class = if up + low == 0 {
        if dig > 0 {
            Class::Digits
        } else {
            Class::Punct
        }
    } else if dig > 0 {
        Class::AlphaNum
    } else if dots > 0 && up > 0 {
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
    };
    let _ = (other, n);
    (h.finish(), class)
}

fn token_info(
    doc: &Prepared<'_>,
    t: &super::super::super::token::Token,
    res: &Resources,
    flags: &DocFlags,
) -> TokInfo {
    let surface = doc.surface(t);
    let norm = doc.norm(t);
    let norm_h = hash_str(NORM_SEED, norm);
    let mut fold = Hasher::new(FOLD_SEED);
    surface.chars().for_each(|c| push_folded(&mut fold, c));
    let (shape, class) = shape_and_class(surface);
    let mut affixes = [0u64; 7];
    let nchars = norm.chars().count();
    // Prefixes of 1..=3 and suffixes of 1..=4 characters, when the word is longer than the affix.
    let mut h = Hasher::new(0x20);
    for (k, c) in norm
        .chars()
        .take(3.min(nchars.saturating_sub(1)))
        .enumerate()
    {
        h.push(c);
        affixes[k] = mix(h.finish(), k as u64);
    }
    let mut h = Hasher::new(0x30);
    for (k, c) in norm
        .chars()
        .rev()
        .take(4.min(nchars.saturating_sub(1)))
        .enumerate()
    {
        h.push(c);
        affixes[3 + k] = mix(h.finish(), k as u64);
    }
    let key = norm.trim_end_matches('.');
    let title = if res.honorifics.contains(key) {
        TITLE_HONORIFIC
    } else if res.functions.contains(key) {
        TITLE_FUNCTION
    } else {
        0
    };
    TokInfo {
        norm: norm_h,
        form: hash_str(FORM_SEED, surface),
        fold: fold.finish(),
        shape,
        class,
        affixes,
        title,
        doc: flags.get(norm_h),
        len: nchars.min(255) as u8,
        stop: t.is_stop,
    }
}

/// Reusable buffers holding the features of one sentence.
#[derive(Debug, Default)]
pub(crate) struct SentenceFeatures {
    /// Token facts.
    pub(crate) info: Vec<TokInfo>,
    /// Feature indices, token after token.
    pub(crate) feats: Vec<u32>,
    /// `feats[offsets[i]..offsets[i + 1]]` are token `i`'s.
    pub(crate) offsets: Vec<u32>,
    folds: Vec<u64>,
    gaz_begin: Vec<u8>,
    gaz_inside: Vec<u8>,
}

const BOS: u64 = 0xB05;
const EOS: u64 = 0xE05;

impl SentenceFeatures {
    /// Number of tokens of the last computed sentence.
    pub(crate) fn len(&self) -> usize {
        self.info.len()
    }

    /// Document flags of token `i`'s word.
    pub(crate) fn doc_flags(&self, i: usize) -> u8 {
        self.info[i].doc
    }

    /// Gazetteer kinds of the entry starting at token `i`.
    pub(crate) fn gazetteer(&self, i: usize) -> u8 {
        self.gaz_begin[i]
    }

    /// Whether token `i` is written in capitals only.
    pub(crate) fn is_all_caps(&self, i: usize) -> bool {
        matches!(self.info[i].class, Class::AllCaps | Class::Dotted)
    }

    /// Feature indices of token `i`.
    pub(crate) fn token(&self, i: usize) -> &[u32] {
        &self.feats[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// Computes the features of sentence `si` of `doc`, hashed into `1 << bits` buckets.
    pub(crate) fn compute(
        &mut self,
        doc: &Prepared<'_>,
        si: usize,
        res: &Resources,
        flags: &DocFlags,
        bits: u32,
    ) {
        let toks = doc.sentence_tokens(si);
        let kind = doc.sentences[si].kind;
        let n = toks.len();
        self.info.clear();
        self.info
            .extend(toks.iter().map(|t| token_info(doc, t, res, flags)));
        self.folds.clear();
        self.folds.extend(self.info.iter().map(|t| t.fold));
        self.gaz_begin.clear();
        self.gaz_begin.resize(n, 0);
        self.gaz_inside.clear();
        self.gaz_inside.resize(n, 0);
        res.mark(&self.folds, &mut self.gaz_begin, &mut self.gaz_inside);
        let caps = u64::from(flags.caps.get(si).copied().unwrap_or(false));
        let seg = match kind {
            SegmentKind::Headline => 1u64,
            SegmentKind::Dateline => 2,
            SegmentKind::Body => 3,
        } | (caps << 2);
        let mask = (1u64 << bits) - 1;
        self.feats.clear();
        self.offsets.clear();
        self.offsets.push(0);
        let info = &self.info;
        let norm_at = |j: isize| -> u64 {
            if j < 0 {
                BOS
            } else if j as usize >= n {
                EOS
            } else {
                info[j as usize].norm
            }
        };
        let class_at = |j: isize| -> u64 {
            if j < 0 {
                100
            } else if j as usize >= n {
                101
            } else {
                info[j as usize].class as u64
            }
        };
        let title_at = |j: isize| -> u64 {
            if j < 0 || j as usize >= n {
                0
            } else {
                u64::from(info[j as usize].title)
            }
        };
        for i in 0..n {
            let t = &info[i];
            let ii = i as isize;
            let c0 = t.class as u64;
            let first = u64::from(i == 0 || after_opening(doc, toks, i));
            let doc_flags = u64::from(t.doc);
            let gb = u64::from(self.gaz_begin[i]);
            let gi = u64::from(self.gaz_inside[i]);
            let mut push = |template: u64, value: u64| {
                self.feats.push((mix(template, value) & mask) as u32);
            };
            push(1, 0);
            push(2, t.norm);
            push(3, t.form);
            push(4, norm_at(ii - 1));
            push(5, norm_at(ii + 1));
            push(6, norm_at(ii - 2));
            push(7, norm_at(ii + 2));
            push(8, t.shape);
            push(9, c0 | (class_at(ii - 1) << 8) | (class_at(ii + 1) << 16));
            push(10, c0 | (class_at(ii - 1) << 8));
            push(11, c0 | (class_at(ii + 1) << 8));
            for (k, &a) in t.affixes.iter().enumerate() {
                if a != 0 {
                    push(12 + k as u64, a);
                }
            }
            push(20, c0 | (first << 8));
            push(21, c0 | (seg << 8) | (first << 12));
            push(22, mix(t.norm, first));
            push(23, c0 | (doc_flags << 8) | (first << 12) | (seg << 16));
            if gb != 0 || gi != 0 {
                push(24, gb | (gi << 8));
                push(25, gb | (gi << 8) | (c0 << 16));
            }
            push(26, title_at(ii - 1) | (title_at(ii - 2) << 4) | (c0 << 8));
            push(27, mix(norm_at(ii - 1), t.norm));
            push(28, mix(t.norm, norm_at(ii + 1)));
            push(29, mix(norm_at(ii - 1), c0));
            push(30, mix(norm_at(ii + 1), c0));
            push(
                31,
                c0 | (u64::from(t.stop) << 8) | (u64::from(t.len.min(12)) << 12),
            );
            push(32, u64::from(t.title) | (c0 << 8));
            if i + 1 < n {
                let nx = &info[i + 1];
                let gnb = u64::from(self.gaz_begin[i + 1]);
                push(33, gnb | (c0 << 8) | ((nx.class as u64) << 16));
            }
            self.offsets.push(self.feats.len() as u32);
        }
    }
}

#[cfg(test)]
mod tests {
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
}
