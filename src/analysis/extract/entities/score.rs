//! Emission scores at tagging time, sharing work between the tokens of a document.
//!
//! A token's score for each label is the sum of its features' quantised weights. Of its features
//! ([`token_features`]), those of the word alone are summed once per distinct word of the document,
//! and those of its small-valued context once per distinct [`shape_key`]; only the features of the
//! word with its neighbours' words are looked up for every token. Integer sums do not depend on their
//! order, so the scores are exactly those of adding every feature's weights one by one
//! (`Model::emit`, a test helper, over [`super::features::SentenceFeatures`]); a test checks it.

use super::features::{shape_key, token_features, DocFeatures, SentenceView, Sink};
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

/// Adds the weights of the features of the kinds asked for (`WORD`, `SHAPE`; pairs always).
struct Adder<'m, const WORD: bool, const SHAPE: bool> {
    model: &'m Model,
    mask: u64,
    word: Sums,
    shape: Sums,
    pair: Sums,
}

impl<const WORD: bool, const SHAPE: bool> Sink for Adder<'_, WORD, SHAPE> {
    #[inline(always)]
    fn word(&mut self, template: u64, value: u64) {
        if WORD {
            let f = (mix(template, value) & self.mask) as usize;
            self.model.add(f, &mut self.word);
        }
    }
    #[inline(always)]
    fn shape(&mut self, template: u64, value: u64) {
        if SHAPE {
            let f = (mix(template, value) & self.mask) as usize;
            self.model.add(f, &mut self.shape);
        }
    }
    #[inline(always)]
    fn pair(&mut self, template: u64, value: u64) {
        let f = (mix(template, value) & self.mask) as usize;
        self.model.add(f, &mut self.pair);
    }
}

/// Sums the features of token `i` of the kinds asked for: (word, shape, pair) sums.
#[inline(always)]
fn sums<const WORD: bool, const SHAPE: bool>(
    model: &Model,
    mask: u64,
    view: &SentenceView<'_>,
    i: usize,
) -> (Sums, Sums, Sums) {
    let mut a = Adder::<WORD, SHAPE> {
        model,
        mask,
        word: [0; NL],
        shape: [0; NL],
        pair: [0; NL],
    };
    token_features(view, i, &mut a);
    (a.word, a.shape, a.pair)
}

impl<'m> Scorer<'m> {
    /// A scorer for one document's words.
    pub(crate) fn new(model: &'m Model, df: &DocFeatures) -> Self {
        Scorer {
            model,
            mask: (1u64 << model.bits) - 1,
            words: vec![None; df.distinct()],
            shapes: foldhash::HashMap::default(),
        }
    }

    /// Emission scores of a sentence, `em[i * NL + label]`.
    pub(crate) fn sentence(&mut self, view: &SentenceView<'_>, em: &mut Vec<f32>) {
        let n = view.ids.len();
        em.clear();
        em.resize(n * NL, 0.0);
        let (model, mask) = (self.model, self.mask);
        for (i, out) in em.chunks_exact_mut(NL).enumerate() {
            let id = view.ids[i] as usize;
            let key = shape_key(view, i);
            let known_shape = self.shapes.get(&key).copied();
            let (word, shape, pair) = match (self.words[id], known_shape) {
                (Some(w), Some(s)) => {
                    let (_, _, p) = sums::<false, false>(model, mask, view, i);
                    (w, s, p)
                }
                (Some(w), None) => {
                    let (_, s, p) = sums::<false, true>(model, mask, view, i);
                    self.shapes.insert(key, s);
                    (w, s, p)
                }
                (None, Some(s)) => {
                    let (w, _, p) = sums::<true, false>(model, mask, view, i);
                    self.words[id] = Some(w);
                    (w, s, p)
                }
                (None, None) => {
                    let (w, s, p) = sums::<true, true>(model, mask, view, i);
                    self.words[id] = Some(w);
                    self.shapes.insert(key, s);
                    (w, s, p)
                }
            };
            let mut acc = [0i32; NL];
            for l in 0..NL {
                acc[l] = word[l] + shape[l] + pair[l];
            }
            model.scores(&acc, out);
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
