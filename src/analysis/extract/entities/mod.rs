//! Named parties: mentions of people, organisations and places, merged per real-world entity and ranked.
//!
//! Three steps:
//! 1. **Tagging** ([`model`], [`features`]): a linear-chain averaged-perceptron tagger over BIO labels
//!    (PER, ORG, LOC, and MISC, which is learned so as not to confuse it with the others, then dropped).
//!    Features are hashed into a fixed table: word, shape, affixes, neighbours, gazetteer matches
//!    ([`gazetteer`]), preceding titles, and document cues (is this word seen in lower case elsewhere?).
//!    One model per language (`models/entities-<lang>.bin`, embedded), trained by
//!    `gleaner train-entities` ([`train`]); other languages use the closest model, which still finds
//!    capitalised names from their shape and context.
//! 2. **Clean-up**: titles (`M.`, `President`) and punctuation are kept out of spans (the tokenizer
//!    already splits `d'Obama` and `Biden's`), function words alone (`Mais`, `A`) are dropped, and a title
//!    before a person becomes its role.
//! 3. **Merging and ranking** ([`merge`]): one party per entity, through indexes by full name, by name
//!    token and by acronym (no all-pairs comparison), then salience from mentions, position, headline
//!    and summary.

mod features;
mod gazetteer;
mod hash;
mod merge;
mod model;
mod score;
pub mod train;
mod vocab;

use std::ops::Range;

use super::super::analyzer::Prepared;
use super::super::output::{Party, PartyKind, SummarySentence};
use super::super::span::Span;
use super::super::token::TokenKind;
use features::{DocFeatures, SentenceFeatures, SentenceView, DOC_CAP_MID};
use gazetteer::{resources_for, Resources, GAZ_CITY, GAZ_COUNTRY, GAZ_ORG};
use model::{viterbi, EntType, Model, O};
use score::Scorer;
use vocab::Vocab;

pub use model::ModelError;

/// The embedded models, one per language.
const EMBEDDED: &[&[u8]] = &[
    include_bytes!("../../../../models/entities-en.bin"),
    include_bytes!("../../../../models/entities-fr.bin"),
    include_bytes!("../../../../models/entities-de.bin"),
];

/// The embedded lists of frequent words, by model language ([`vocab`]).
const VOCABS: &[(&str, &str)] = &[
    ("en", include_str!("../../../../models/vocab-en.txt")),
    ("fr", include_str!("../../../../models/vocab-fr.txt")),
    ("de", include_str!("../../../../models/vocab-de.txt")),
];

/// A model, with its frequent words described in advance when it has a list.
#[derive(Debug)]
pub(crate) struct Tagger {
    /// The model.
    pub(crate) model: Model,
    /// Its frequent words, described with the model's name lists.
    pub(crate) vocab: Option<Vocab>,
}

impl Tagger {
    /// A tagger without a vocabulary (for training and checks).
    fn plain(model: Model) -> Tagger {
        Tagger { model, vocab: None }
    }

    /// A tagger with the embedded vocabulary of its language, if there is one.
    fn with_vocab(model: Model) -> Tagger {
        let list = VOCABS.iter().find(|(l, _)| *l == model.lang);
        let vocab = list
            .zip(resources_for(&model.lang))
            .map(|((lang, text), res)| Vocab::build(text, lang, &model, res));
        Tagger { model, vocab }
    }
}

/// One mention found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mention {
    /// Where it is.
    pub(crate) span: Span,
    /// Its type.
    pub(crate) kind: PartyKind,
    /// Its tokens, as indices into `Prepared::tokens`.
    pub(crate) tokens: Range<usize>,
    /// A function written just before a person (`président`), as a token range.
    pub(crate) role: Option<Range<usize>>,
}

/// Finds and merges party mentions.
#[derive(Debug, Default)]
pub struct EntityRecognizer {
    models: Vec<Tagger>,
}

impl EntityRecognizer {
    /// Loads the embedded models (and, lazily, the gazetteers).
    pub fn load() -> Self {
        let models = EMBEDDED
            .iter()
            .filter_map(|b| match Model::from_bytes(b) {
                Ok(m) => Some(Tagger::with_vocab(m)),
                Err(e) => {
                    tracing::warn!(error = %e, "entity model not loaded");
                    None
                }
            })
            .collect();
        EntityRecognizer { models }
    }

    /// A recognizer with the given model files (for training and tests).
    pub fn from_model_files(files: &[&[u8]]) -> Result<Self, ModelError> {
        let models = files
            .iter()
            .map(|b| Model::from_bytes(b).map(Tagger::plain))
            .collect::<Result<_, _>>()?;
        Ok(EntityRecognizer { models })
    }

    /// Languages with a model of their own.
    pub fn languages(&self) -> Vec<&str> {
        self.models.iter().map(|m| m.model.lang.as_str()).collect()
    }

    /// Parties of the document, most salient first.
    pub fn parties(&self, doc: &Prepared<'_>, summary: &[SummarySentence]) -> Vec<Party> {
        let (mentions, res, df) = self.mentions(doc);
        merge::parties(doc, &df, &mentions, summary, res)
    }

    /// The tagger for a language: its own, else the closest one.
    fn tagger_for(&self, lang: &str) -> Option<&Tagger> {
        let find = |l: &str| self.models.iter().find(|m| m.model.lang == l);
        let fallback = match lang {
            "es" | "it" | "pt" | "ca" | "ro" | "oc" | "gl" => "fr",
            "nl" | "lb" | "da" | "sv" | "no" | "nb" => "de",
            _ => "en",
        };
        find(lang)
            .or_else(|| find(fallback))
            .or_else(|| self.models.first())
    }

    /// Every mention in document order, the name lists used, and the document's words.
    pub(crate) fn mentions(
        &self,
        doc: &Prepared<'_>,
    ) -> (Vec<Mention>, &'static Resources, DocFeatures<'_>) {
        let tagger = self.tagger_for(&doc.language.primary);
        let model = tagger.map(|t| &t.model);
        let vocab = tagger.and_then(|t| t.vocab.as_ref());
        let res_lang = model.map_or(doc.language.primary.as_str(), |m| m.lang.as_str());
        let res = resources_for(res_lang)
            .or_else(|| resources_for(&doc.language.primary))
            .or_else(|| resources_for("en"))
            .expect("English name lists are embedded");
        let df = DocFeatures::compute(doc, res, vocab);
        let mut own_sums = Vec::new();
        let mut scorer = model.map(|m| Scorer::new(m, &df, &mut own_sums));
        // Every per-sentence buffer sized once, for the longest sentence.
        let longest = doc.sentences.iter().map(|s| s.tokens.len()).max();
        let longest = longest.unwrap_or(0);
        let mut feats = SentenceFeatures::default();
        feats.reserve(longest);
        let mut em: Vec<f32> = Vec::with_capacity(longest * model::NL);
        let mut back = Vec::with_capacity(longest * model::NL);
        let mut labels = Vec::with_capacity(longest);
        let mut out = Vec::new();
        for (si, s) in doc.sentences.iter().enumerate() {
            if s.tokens.is_empty() {
                continue;
            }
            let view = feats.view(doc, si, res, &df);
            match (model, scorer.as_mut()) {
                (Some(m), Some(scorer)) => {
                    scorer.sentence(&view, &mut em);
                    viterbi(&em, m.transitions(), &mut back, &mut labels);
                }
                _ => capitalised_runs(doc, si, &view, &mut labels),
            }
            after_honorifics(doc, &df, s.tokens.start, res, &mut labels);
            spans_from_labels(doc, s.tokens.start, &labels, res, &mut out);
        }
        (out, res, df)
    }
}

/// Without a model: runs of capitalised words, skipping sentence starts unless the word is seen
/// capitalised in mid-sentence elsewhere, typed by the gazetteers (places, organisations) or as people.
fn capitalised_runs(doc: &Prepared<'_>, si: usize, feats: &SentenceView<'_>, labels: &mut Vec<u8>) {
    let toks = doc.sentence_tokens(si);
    labels.clear();
    labels.resize(toks.len(), O);
    let mut i = 0;
    while i < toks.len() {
        let cap =
            |k: usize| toks[k].is_word() && toks[k].is_capitalized(doc.text) && !toks[k].is_stop;
        let initial_ok = i > 0 || feats.doc_flags(i) & DOC_CAP_MID != 0;
        if !(cap(i) && initial_ok) {
            i += 1;
            continue;
        }
        let start = i;
        while i < toks.len() && cap(i) {
            i += 1;
        }
        let gaz = feats.gazetteer(start);
        let ty = if gaz & (GAZ_COUNTRY | GAZ_CITY) != 0 {
            EntType::Loc
        } else if gaz & GAZ_ORG != 0 || feats.is_all_caps(start) {
            EntType::Org
        } else {
            EntType::Per
        };
        labels[start] = ty.begin();
        for l in labels.iter_mut().take(i).skip(start + 1) {
            *l = ty.begin() + 1;
        }
    }
}

/// A courtesy title (`M.`, `Mr`, `Mme`) announces a person: the capitalised words after it become a
/// person even when the tagger missed them or typed them otherwise.
fn after_honorifics(
    doc: &Prepared<'_>,
    df: &DocFeatures<'_>,
    first_token: usize,
    res: &Resources,
    labels: &mut [u8],
) {
    let toks = &doc.tokens[first_token..first_token + labels.len()];
    let capitalized = |k: usize| df.capitalized(first_token + k);
    let per = EntType::Per.begin();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        if !(t.is_word() && capitalized(i) && res.honorifics.contains(doc.norm(t))) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        if toks.get(j).is_some_and(|p| doc.surface(p) == ".") {
            j += 1;
        }
        let name_like = |k: usize| {
            toks.get(k).is_some_and(|n| {
                n.is_word() && capitalized(k) && !n.is_stop && !df.is_title(first_token + k)
            })
        };
        if !name_like(j) || j == i + 1 && doc.norm(t).len() == 1 {
            // "M Poutine" without its period is too ambiguous ("A Genève").
            i = j;
            continue;
        }
        labels[j] = per;
        let mut k = j + 1;
        while k < toks.len()
            && (name_like(k)
                || EntType::of_label(labels[k]).is_some() && model::is_inside(labels[k]))
        {
            labels[k] = per + 1;
            k += 1;
        }
        i = k;
    }
}

/// Turns a sentence's labels into cleaned mentions.
fn spans_from_labels(
    doc: &Prepared<'_>,
    first_token: usize,
    labels: &[u8],
    res: &Resources,
    out: &mut Vec<Mention>,
) {
    let mut i = 0;
    while i < labels.len() {
        let Some(ty) = EntType::of_label(labels[i]) else {
            i += 1;
            continue;
        };
        let start = i;
        i += 1;
        while i < labels.len() && labels[i] == ty.begin() + 1 {
            i += 1;
        }
        if let Some(kind) = ty.kind() {
            if let Some(m) = clean_mention(doc, first_token + start..first_token + i, kind, res) {
                out.push(m);
            }
        }
    }
}

/// Trims titles and punctuation off a mention; `None` when nothing name-like is left.
fn clean_mention(
    doc: &Prepared<'_>,
    mut r: Range<usize>,
    kind: PartyKind,
    res: &Resources,
) -> Option<Mention> {
    let toks = &doc.tokens;
    let sentence_start = doc
        .sentences
        .get(toks.get(r.start)?.sentence as usize)
        .map_or(0, |s| s.tokens.start);
    // Leading titles (`M.`, `President`) and punctuation, and trailing punctuation.
    if let Some(core) = strip_titles(doc, r.clone(), res) {
        r = core;
    }
    while r.start < r.end && toks[r.start].kind == TokenKind::Punct {
        r.start += 1;
    }
    while r.start < r.end && toks[r.end - 1].kind == TokenKind::Punct && !closes(doc, &r) {
        r.end -= 1;
    }
    if r.is_empty() {
        return None;
    }
    // Some letter must be upper case (in scripts that have case) and a lone function word is no name.
    let any_upper = toks[r.clone()].iter().any(|t| {
        doc.surface(t)
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || !c.is_lowercase())
    });
    if !any_upper {
        return None;
    }
    if r.len() == 1 {
        let t = &toks[r.start];
        let s = doc.surface(t);
        let acronym = s.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && s.chars().all(|c| !c.is_lowercase());
        if (t.is_stop && !acronym) || res.is_title(doc.norm(t).trim_end_matches('.')) {
            return None;
        }
    }
    let role = (kind == PartyKind::Person)
        .then(|| role_before(doc, r.start, sentence_start, res))
        .flatten();
    Some(Mention {
        span: Span::new(toks[r.start].span.start, toks[r.end - 1].span.end),
        kind,
        tokens: r,
        role,
    })
}

/// Whether the mention's last token is a closing bracket matched inside it (`Parti (PS)` is rare; keep).
fn closes(doc: &Prepared<'_>, r: &Range<usize>) -> bool {
    let last = doc.surface(&doc.tokens[r.end - 1]);
    last == ")" && doc.tokens[r.clone()].iter().any(|t| doc.surface(t) == "(")
}

/// The name inside a span that starts with titles: `M. Poutine` -> `Poutine`, `le président Biden` ->
/// `Biden`. `None` when the span has no title or no capitalised word after it.
pub(crate) fn strip_titles(
    doc: &Prepared<'_>,
    r: Range<usize>,
    res: &Resources,
) -> Option<Range<usize>> {
    let toks = &doc.tokens;
    let mut i = r.start;
    let mut saw_title = false;
    while i < r.end {
        let t = &toks[i];
        let norm = doc.norm(t);
        let lower_initial = doc
            .surface(t)
            .chars()
            .next()
            .is_some_and(char::is_lowercase);
        if t.is_word() && res.is_title(norm.trim_end_matches('.')) {
            saw_title = true;
        } else if !(t.kind == TokenKind::Punct || lower_initial) {
            break;
        }
        i += 1;
    }
    (saw_title && i < r.end).then_some(i..r.end)
}

/// A function (`président`, `President`) just before a person's name, with the words between it and
/// the name (`président américain`), as a token range.
fn role_before(
    doc: &Prepared<'_>,
    start: usize,
    sentence_start: usize,
    res: &Resources,
) -> Option<Range<usize>> {
    let toks = &doc.tokens;
    let lo = start.saturating_sub(4).max(sentence_start);
    (lo..start).rev().find_map(|k| {
        let t = &toks[k];
        let norm = doc.norm(t);
        if res.functions.contains(norm) {
            // Everything between the function and the name must be lower-case words.
            let between_ok = toks[k + 1..start].iter().all(|b| {
                b.is_word()
                    && doc
                        .surface(b)
                        .chars()
                        .next()
                        .is_some_and(char::is_lowercase)
                    && !res.honorifics.contains(doc.norm(b))
            }) || toks[k + 1..start].iter().all(|b| {
                b.is_word() && res.is_title(doc.norm(b).trim_end_matches('.'))
                    || doc.surface(b) == "."
            });
            between_ok.then_some(k..start)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests;
