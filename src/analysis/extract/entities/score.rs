//! Emission scores at tagging time, sharing work between the tokens of a document.
//!
//! A token's score for each label is the sum of its features' quantised weights. Of its features
//! ([`super::features::features_of`]), those of the word alone are summed once per distinct word of the document,
//! and those of its small-valued context once per distinct shape key; only the features of the
//! word with its neighbours' words are looked up for every token. Integer sums do not depend on their
//! order, so the scores are exactly those of adding every feature's weights one by one
//! (`Model::emit`, a test helper, over [`super::features::SentenceFeatures`]); a test checks it.

use super::features::{features_of, DocFeatures, SentenceView, Sink};
use super::hash::mix;
use super::model::{Model, NL};

/// Sums of label weights.
type Sums = [i32; NL];

/// Per-document caches of partial sums.
#[derive(Debug)]
pub(crate) struct Scorer<'m> {
    model: &'m Model,
    mask: u64,
    /// Word-feature sums of each distinct word, once seen.
    words: Vec<Option<Sums>>,
    /// Shape-feature sums by shape key.
    shapes: foldhash::HashMap<u128, Sums>,
}

/// Adds the weights of the features of one kind (`KIND`: [`WORD`], [`SHAPE`] or [`PAIR`]).
struct Adder<'m, const KIND: u8> {
    model: &'m Model,
    mask: u64,
    sum: Sums,
}

const WORD: u8 = 0;
const SHAPE: u8 = 1;
const PAIR: u8 = 2;

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

impl<'m> Scorer<'m> {
    /// A scorer for one document's words.
    pub(crate) fn new(model: &'m Model, df: &DocFeatures) -> Self {
        Scorer {
            model,
            mask: (1u64 << model.bits) - 1,
            words: vec![None; df.distinct()],
            shapes: foldhash::HashMap::with_capacity_and_hasher(
                df.distinct(),
                foldhash::fast::RandomState::default(),
            ),
        }
    }

    /// The sum of the features of kind `KIND` of token `i`.
    #[inline(always)]
    fn sum<const KIND: u8>(&self, view: &SentenceView<'_>, i: usize, nb: &[u64; 5]) -> Sums {
        let mut a = Adder::<KIND> {
            model: self.model,
            mask: self.mask,
            sum: [0; NL],
        };
        features_of(view.word(i), view.keys[i], nb, &mut a);
        a.sum
    }

    /// Emission scores of a sentence, `em[i * NL + label]`.
    pub(crate) fn sentence(&mut self, view: &SentenceView<'_>, em: &mut Vec<f32>) {
        let n = view.ids.len();
        em.clear();
        em.resize(n * NL, 0.0);
        for (i, out) in em.chunks_exact_mut(NL).enumerate() {
            let nb = view.neighbours(i);
            let pair = self.sum::<PAIR>(view, i, &nb);
            let id = view.ids[i] as usize;
            let word = match self.words.get(id).copied().flatten() {
                Some(w) => w,
                None => {
                    let w = self.sum::<WORD>(view, i, &nb);
                    if let Some(slot) = self.words.get_mut(id) {
                        *slot = Some(w);
                    }
                    w
                }
            };
            let key = view.keys[i];
            let shape = match self.shapes.get(&key) {
                Some(&s) => s,
                None => {
                    let s = self.sum::<SHAPE>(view, i, &nb);
                    self.shapes.insert(key, s);
                    s
                }
            };
            let mut acc = [0i32; NL];
            for l in 0..NL {
                acc[l] = word[l] + shape[l] + pair[l];
            }
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

    /// Scores through the caches equal the sums of every feature's weights, token by token.
    #[test]
    fn shared_sums_equal_feature_by_feature_sums() {
        let rec = EntityRecognizer::load();
        let texts = [
            ("fr", include_str!("../../../../seeds/article-fr-diplomatie.txt")),
            ("en", include_str!("../../../../seeds/article-en-port-strike.txt")),
            ("de", "BERLIN (dpa) - Bundeskanzler Olaf Scholz traf am Montag in Berlin den \
                    französischen Präsidenten Emmanuel Macron. «Wir stehen zusammen», sagte Scholz."),
            ("fr", "« M. Poutine » : le Kremlin (Moscou) répond ; LE KREMLIN RÉPOND. Moscou, Moscou."),
        ];
        for (lang, text) in texts {
            let doc = Prepared::new(text, None, Language::from_tag(lang).ok());
            let model = rec.model_for(lang).expect("model");
            let res = resources_for(&model.lang).expect("lists");
            let df = DocFeatures::compute(&doc, res);
            let mut scorer = Scorer::new(model, &df);
            let (mut sf, mut sf2) = (SentenceFeatures::default(), SentenceFeatures::default());
            let (mut fast, mut slow) = (Vec::new(), vec![0f32; NL]);
            for si in 0..doc.sentences.len() {
                sf.compute(&doc, si, res, &df, model.bits);
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
