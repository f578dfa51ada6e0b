//! Emission scores at tagging time, sharing work between the tokens of a document.
//!
//! A token's score for each label is the sum of its features' quantised weights. Of its features
//! ([`super::features::features_of`]), those of the word alone (with or without the sentence-start
//! flag) and those of each neighbour's word alone are summed once per distinct word of the document
//! ([`WordSums`], read from the [`super::vocab::Vocab`] for a listed word), and those of its
//! small-valued context once per distinct shape key; only the features of the word with its
//! neighbours' words are looked up for every token. Integer sums do not depend on their order, so the
//! scores are exactly those of adding every feature's weights one by one (`Model::emit`, a test
//! helper, over [`super::features::SentenceFeatures`]); a test checks it.

use super::features::{
    features_of, near_features, starts, word_key, DocFeatures, SentenceView, Sink, Source, Spelled,
    TokInfo, BOS, EOS, UNSPELLED,
};
use super::hash::mix;
use super::model::{Model, NL};

/// Sums of label weights.
type Sums = [i32; NL];

/// The label-weight sums of one word that do not depend on where it is.
///
/// Aligned to a cache line, the sums a token reads of its word and its neighbours' words (`near`, then
/// `word[0]` unless it starts its sentence) are in its first three lines.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
pub(crate) struct WordSums {
    /// Its [`Sink::near`] features as token `i - 2`, `i - 1`, `i + 1`, `i + 2` of a token `i`.
    near: [Sums; 4],
    /// Its [`Sink::word`] features plus its [`Sink::initial`] ones, for a token that does not start
    /// its sentence (0) or does (1).
    word: [Sums; 2],
}

impl WordSums {
    /// The sums of word `t`, spelled `sp`, under `model`.
    pub(crate) fn of(model: &Model, t: &TokInfo, sp: &Spelled) -> WordSums {
        let nb = [t.norm; 5];
        let mask = mask(model);
        let word = sum::<WORD>(model, mask, t, sp, word_key(t, false), &nb);
        let mut out = WordSums {
            word: [word; 2],
            near: near_sums(model, t.norm),
        };
        for (first, w) in out.word.iter_mut().enumerate() {
            add(
                w,
                &sum::<INITIAL>(model, mask, t, sp, word_key(t, first == 1), &nb),
            );
        }
        out
    }
}

/// The sums of a word the scorer does not know (none: every word of a document has a source).
static NO_SUMS: WordSums = WordSums {
    word: [[0; NL]; 2],
    near: [[0; NL]; 4],
};

/// The row mask of a model's feature table.
fn mask(model: &Model) -> u64 {
    (1u64 << model.bits) - 1
}

/// Adds `b` to `a`, label by label.
#[inline(always)]
fn add(a: &mut Sums, b: &Sums) {
    for l in 0..NL {
        a[l] += b[l];
    }
}

/// The [`Sink::near`] sums of a normalised form as each of the four neighbours of a token.
fn near_sums(model: &Model, norm: u64) -> [Sums; 4] {
    let mut a = NearAdder {
        model,
        mask: mask(model),
        sums: [[0; NL]; 4],
    };
    near_features(&[norm; 5], &mut a);
    a.sums
}

/// Per-document caches of partial sums.
#[derive(Debug)]
pub(crate) struct Scorer<'m> {
    model: &'m Model,
    mask: u64,
    /// The sums of each distinct word: its [`super::vocab::Vocab`] entry's, or those computed for this document.
    words: Vec<&'m WordSums>,
    /// The [`Sink::near`] sums of the positions before a sentence (slots 0, 1) and after it (2, 3).
    edges: [Sums; 4],
    /// Shape-feature sums by shape key.
    shapes: foldhash::HashMap<u128, Sums>,
}

/// Adds the weights of the features of one kind (`KIND`: [`WORD`], [`INITIAL`], [`SHAPE`] or
/// [`PAIR`]).
struct Adder<'m, const KIND: u8> {
    model: &'m Model,
    mask: u64,
    sum: Sums,
}

const WORD: u8 = 0;
const INITIAL: u8 = 1;
const SHAPE: u8 = 2;
const PAIR: u8 = 3;

impl<const KIND: u8> Adder<'_, KIND> {
    #[inline(always)]
    fn add(&mut self, template: u64, value: u64) {
        let f = (mix(template, value) & self.mask) as usize;
        self.model.add(f, &mut self.sum);
    }
}

impl<const KIND: u8> Sink for Adder<'_, KIND> {
    #[inline(always)]
    fn word(&mut self, template: u64, value: u64) {
        if KIND == WORD {
            self.add(template, value);
        }
    }
    #[inline(always)]
    fn initial(&mut self, template: u64, value: u64) {
        if KIND == INITIAL {
            self.add(template, value);
        }
    }
    #[inline(always)]
    fn near(&mut self, _template: u64, _slot: usize, _value: u64) {}
    #[inline(always)]
    fn shape(&mut self, template: u64, value: u64) {
        if KIND == SHAPE {
            self.add(template, value);
        }
    }
    #[inline(always)]
    fn pair(&mut self, template: u64, value: u64) {
        if KIND == PAIR {
            self.add(template, value);
        }
    }
}

/// Adds the weights of the [`Sink::near`] features, per neighbour slot.
struct NearAdder<'m> {
    model: &'m Model,
    mask: u64,
    sums: [Sums; 4],
}

impl Sink for NearAdder<'_> {
    fn word(&mut self, _template: u64, _value: u64) {}
    fn initial(&mut self, _template: u64, _value: u64) {}
    #[inline(always)]
    fn near(&mut self, template: u64, slot: usize, value: u64) {
        let f = (mix(template, value) & self.mask) as usize;
        self.model.add(f, &mut self.sums[slot]);
    }
    fn shape(&mut self, _template: u64, _value: u64) {}
    fn pair(&mut self, _template: u64, _value: u64) {}
}

/// The sum of the features of kind `KIND` of a token of word `t` spelled `sp`, shape key `key` and
/// neighbours `nb`.
#[inline(always)]
fn sum<const KIND: u8>(
    model: &Model,
    mask: u64,
    t: &TokInfo,
    sp: &Spelled,
    key: u128,
    nb: &[u64; 5],
) -> Sums {
    let mut a = Adder::<KIND> {
        model,
        mask,
        sum: [0; NL],
    };
    features_of(t, sp, key, nb, &mut a);
    a.sum
}

impl<'m> Scorer<'m> {
    /// A scorer for one document's words (`df`, described with a vocabulary built for `model`, if
    /// any), taking the sums of the words copied from the vocabulary from there, by reference; those
    /// of the other words are computed into `own` (a buffer it clears), in the order of their
    /// spellings.
    pub(crate) fn new(model: &'m Model, df: &DocFeatures<'m>, own: &'m mut Vec<WordSums>) -> Self {
        own.clear();
        own.reserve(df.spelled().len());
        own.extend((0..df.distinct()).filter_map(|id| match df.source(id)? {
            Source::Own(k) => Some(WordSums::of(model, df.info(id), &df.spelled()[k as usize])),
            Source::Listed(_) => None,
        }));
        let own: &'m Vec<WordSums> = own;
        let words = (0..df.distinct())
            .map(|id| match df.source(id) {
                Some(Source::Listed(sums)) => sums,
                Some(Source::Own(k)) => &own[k as usize],
                None => &NO_SUMS,
            })
            .collect();
        let (bos, eos) = (near_sums(model, BOS), near_sums(model, EOS));
        Scorer {
            model,
            mask: mask(model),
            words,
            edges: [bos[0], bos[1], eos[2], eos[3]],
            shapes: foldhash::HashMap::with_capacity_and_hasher(
                df.distinct(),
                foldhash::fast::RandomState::default(),
            ),
        }
    }

    /// Emission scores of a sentence, `em[i * NL + label]`.
    pub(crate) fn sentence(&mut self, view: &SentenceView<'_>, em: &mut Vec<f32>) {
        let ids = view.ids;
        let n = ids.len();
        // Every score is written below: only room the buffer did not have yet is zeroed first.
        em.truncate(n * NL);
        em.resize(n * NL, 0.0);
        // The sums of the word at token `j` as neighbour `slot`, or of the sentence's edge.
        let words = &self.words;
        let edges = &self.edges;
        let near = |j: usize, slot: usize| -> &Sums {
            match ids.get(j) {
                Some(&id) => &words[id as usize].near[slot],
                None => &edges[slot],
            }
        };
        for (i, out) in em.chunks_exact_mut(NL).enumerate() {
            let nb = view.neighbours(i);
            let key = view.keys[i];
            let mut acc = words[ids[i] as usize].word[usize::from(starts(key))];
            // Positions before the sentence wrap around to large indices, which `near` maps to edges.
            add(&mut acc, near(i.wrapping_sub(2), 0));
            add(&mut acc, near(i.wrapping_sub(1), 1));
            add(&mut acc, near(i + 1, 2));
            add(&mut acc, near(i + 2, 3));
            add(
                &mut acc,
                &sum::<PAIR>(self.model, self.mask, view.word(i), &UNSPELLED, key, &nb),
            );
            let shape = match self.shapes.get(&key) {
                Some(&s) => s,
                None => {
                    let s = sum::<SHAPE>(self.model, self.mask, view.word(i), &UNSPELLED, key, &nb);
                    self.shapes.insert(key, s);
                    s
                }
            };
            add(&mut acc, &shape);
            self.model.scores(&acc, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::super::analyzer::Prepared;
    use super::super::super::super::lang::Language;
    use super::super::features::SentenceFeatures;
    use super::super::gazetteer::resources_for;
    use super::*;
    use crate::analysis::extract::entities::EntityRecognizer;

    /// Scores through the caches, with words copied from the vocabulary, equal the sums of every
    /// feature's weights, token by token, of the words described afresh.
    #[test]
    fn shared_sums_equal_feature_by_feature_sums() {
        let rec = EntityRecognizer::load();
        let texts = [
            ("fr", include_str!("../../../../seeds/article-fr-diplomatie.txt")),
            ("en", include_str!("../../../../seeds/article-en-port-strike.txt")),
            ("de", "BERLIN (dpa) - Bundeskanzler Olaf Scholz traf am Montag in Berlin den \
                    französischen Präsidenten Emmanuel Macron. «Wir stehen zusammen», sagte Scholz."),
            ("fr", "« M. Poutine » : le Kremlin (Moscou) répond ; LE KREMLIN RÉPOND. Moscou, Moscou."),
            // Romance text on the French model: other stop words, so some entries must not be used.
            ("es", "El presidente Pedro Sánchez habló en Madrid con la ministra de la Unión Europea."),
        ];
        for (lang, text) in texts {
            let doc = Prepared::new(text, None, Language::from_tag(lang).ok());
            let tagger = rec.tagger_for(lang).expect("tagger");
            let (model, vocab) = (&tagger.model, tagger.vocab.as_ref());
            let res = resources_for(&model.lang).expect("lists");
            let plain = DocFeatures::compute(&doc, res, None);
            let df = DocFeatures::compute(&doc, res, vocab);
            assert_eq!(plain.distinct(), df.distinct());
            for id in 0..df.distinct() {
                assert_eq!(plain.info(id), df.info(id), "{lang} {id}");
            }
            let listed = (0..df.distinct()).filter(|&id| df.spelling(id).is_none());
            if lang != "es" {
                assert!(
                    listed.count() * 2 > df.distinct(),
                    "{lang}: few words listed"
                );
            }
            let mut own = Vec::new();
            let mut scorer = Scorer::new(model, &df, &mut own);
            let (mut sf, mut sf2) = (SentenceFeatures::default(), SentenceFeatures::default());
            let (mut fast, mut slow) = (Vec::new(), vec![0f32; NL]);
            for si in 0..doc.sentences.len() {
                sf.compute(&doc, si, res, &plain, model.bits);
                let view = sf2.view(&doc, si, res, &df);
                scorer.sentence(&view, &mut fast);
                assert_eq!(fast.len(), view.ids.len() * NL);
                for i in 0..view.ids.len() {
                    let feats = &sf.feats[sf.offsets[i] as usize..sf.offsets[i + 1] as usize];
                    model.emit(feats, &mut slow);
                    assert_eq!(&fast[i * NL..(i + 1) * NL], &slow[..], "{lang} {si} {i}");
                }
            }
        }
    }
}
