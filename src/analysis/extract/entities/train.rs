//! Training and measuring the entity tagger on annotated JSONL corpora.
//!
//! Each record is `{id, lang, text, entities: [{type, start, end}]}` with offsets in Unicode code points
//! (the layout of `shared/train/entities/`). Texts go through the project's own segmenter and tokenizer,
//! so the tagger learns on exactly the tokens it will see; gold spans are mapped onto tokens, titles at
//! the start of person spans (HIPE-2020's `M. Ilg`) are moved out of the span as the project's convention
//! says, `PROD` becomes MISC and `TIME` is dropped.
//!
//! Learning is a structured averaged perceptron over the hashed features of [`super::features`] with
//! Viterbi decoding; the averaged weights are pruned and quantised into a [`Model`] file.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Deserialize;

use super::super::super::analyzer::Prepared;
use super::super::super::lang::Language;
use super::super::super::output::PartyKind;
use super::super::super::span::Span;
use super::features::{DocFeatures, SentenceFeatures};
use super::gazetteer::{resources_for, Resources};
use super::model::{viterbi, EntType, Model, Transitions, NL, O};
use super::{strip_titles, EntityRecognizer};

/// Why training or measuring failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrainError {
    /// A data file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line is not a valid record.
    #[error("{path}:{line}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// Line number (1-based).
        line: usize,
        /// The cause.
        source: serde_json::Error,
    },
    /// No language name lists exist for the language.
    #[error("no name lists for language {0:?} (add lexicon/{0}/ and register it)")]
    Language(String),
    /// The trained model could not be read back.
    #[error(transparent)]
    Model(#[from] super::model::ModelError),
}

#[derive(Debug, Deserialize)]
struct Record {
    #[serde(default)]
    lang: String,
    text: String,
    #[serde(default)]
    entities: Vec<GoldEntity>,
}

#[derive(Debug, Deserialize)]
struct GoldEntity {
    #[serde(rename = "type")]
    ty: String,
    start: usize,
    end: usize,
}

/// One training file and the share of its documents used in each epoch (silver data gets less).
#[derive(Debug, Clone)]
pub struct DataFile {
    /// The JSONL file.
    pub path: PathBuf,
    /// Share of its sentences used per epoch, in (0, 1].
    pub fraction: f32,
}

impl std::str::FromStr for DataFile {
    type Err = String;

    /// `path` or `path@0.5`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.rsplit_once('@') {
            Some((p, f)) => {
                let fraction: f32 = f.parse().map_err(|_| format!("bad fraction in {s:?}"))?;
                if !(fraction > 0.0 && fraction <= 1.0) {
                    return Err(format!("fraction must be in (0, 1] in {s:?}"));
                }
                Ok(DataFile {
                    path: p.into(),
                    fraction,
                })
            }
            None => Ok(DataFile {
                path: s.into(),
                fraction: 1.0,
            }),
        }
    }
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Language of the model (`en`, `fr`, `de`).
    pub lang: String,
    /// Training files.
    pub data: Vec<DataFile>,
    /// Passes over the data.
    pub epochs: usize,
    /// The feature table has `1 << bits` rows.
    pub bits: u32,
    /// Averaged weights below this magnitude are dropped.
    pub prune: f32,
    /// Hold out every `holdout`-th document of each file for measuring (0: none).
    pub holdout: usize,
    /// Seed of the shuffling.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            lang: "en".into(),
            data: Vec::new(),
            epochs: 8,
            bits: 20,
            prune: 0.05,
            holdout: 0,
            seed: 7,
        }
    }
}

/// One annotated document, with gold spans as byte ranges.
#[derive(Debug, Clone)]
pub struct GoldDoc {
    /// Language code.
    pub lang: String,
    /// The text.
    pub text: String,
    /// Gold mentions (PER, ORG, LOC, MISC) as byte spans.
    pub entities: Vec<(Span, EntityType)>,
}

/// Annotated entity type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EntityType(EntType);

/// Reads a JSONL file of annotated documents (offsets converted from code points to bytes).
pub fn read_docs(path: &Path) -> Result<Vec<GoldDoc>, TrainError> {
    let f = File::open(path).map_err(|source| TrainError::Io {
        path: path.into(),
        source,
    })?;
    let mut docs = Vec::new();
    for (n, line) in BufReader::new(f).lines().enumerate() {
        let line = line.map_err(|source| TrainError::Io {
            path: path.into(),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let r: Record = serde_json::from_str(&line).map_err(|source| TrainError::Json {
            path: path.into(),
            line: n + 1,
            source,
        })?;
        let mut byte_at: Vec<usize> = r.text.char_indices().map(|(b, _)| b).collect();
        byte_at.push(r.text.len());
        let entities = r
            .entities
            .iter()
            .filter_map(|e| {
                let ty = EntType::from_tag(&e.ty)?;
                let (s, t) = (*byte_at.get(e.start)?, *byte_at.get(e.end)?);
                (s < t).then_some((Span::new(s, t), EntityType(ty)))
            })
            .collect();
        docs.push(GoldDoc {
            lang: r.lang,
            text: r.text,
            entities,
        });
    }
    Ok(docs)
}

fn prepare<'a>(doc: &'a GoldDoc, fallback: &str) -> Prepared<'a> {
    let lang = if doc.lang.is_empty() {
        fallback
    } else {
        &doc.lang
    };
    Prepared::new(&doc.text, None, Language::from_tag(lang).ok())
}

/// Gold BIO labels of every token of a prepared document (titles moved out of person spans).
fn gold_labels(p: &Prepared<'_>, doc: &GoldDoc, res: &Resources) -> Vec<u8> {
    let mut labels = vec![O; p.tokens.len()];
    for &(span, EntityType(ty)) in &doc.entities {
        let a = p.tokens.partition_point(|t| t.span.start < span.start);
        let b = p.tokens.partition_point(|t| t.span.start < span.end);
        if a >= b {
            continue;
        }
        let mut r = a..b;
        if ty == EntType::Per {
            if let Some(core) = strip_titles(p, r.clone(), res) {
                r = core;
            }
        }
        let mut prev_sentence = u32::MAX;
        for k in r {
            let s = p.tokens[k].sentence;
            labels[k] = if s != prev_sentence {
                ty.begin()
            } else {
                ty.begin() + 1
            };
            prev_sentence = s;
        }
    }
    labels
}

struct Example {
    offsets: Vec<u32>,
    feats: Vec<u32>,
    labels: Vec<u8>,
    fraction: f32,
}

fn examples(
    docs: &[GoldDoc],
    lang: &str,
    fraction: f32,
    res: &Resources,
    bits: u32,
    out: &mut Vec<Example>,
) {
    let mut sf = SentenceFeatures::default();
    for doc in docs {
        let p = prepare(doc, lang);
        let labels = gold_labels(&p, doc, res);
        let df = DocFeatures::compute(&p, res, None);
        for (si, s) in p.sentences.iter().enumerate() {
            if s.tokens.is_empty() {
                continue;
            }
            sf.compute(&p, si, res, &df, bits);
            out.push(Example {
                offsets: sf.offsets.clone(),
                feats: sf.feats.clone(),
                labels: labels[s.tokens.clone()].to_vec(),
                fraction,
            });
        }
    }
}

/// A small deterministic generator for shuffling.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// The result of training: the model file and the held-out documents.
#[derive(Debug)]
pub struct Trained {
    /// The model file's bytes.
    pub model: Vec<u8>,
    /// Documents held out of training, for measuring.
    pub held_out: Vec<GoldDoc>,
}

/// Trains a model; `log` receives progress lines.
pub fn train(cfg: &TrainConfig, log: &mut dyn FnMut(&str)) -> Result<Trained, TrainError> {
    let res = resources_for(&cfg.lang).ok_or_else(|| TrainError::Language(cfg.lang.clone()))?;
    let started = Instant::now();
    let mut exs = Vec::new();
    let mut held_out = Vec::new();
    for df in &cfg.data {
        let docs = read_docs(&df.path)?;
        let (mut train_docs, mut dev) = (Vec::new(), Vec::new());
        for (k, d) in docs.into_iter().enumerate() {
            if cfg.holdout > 0 && k % cfg.holdout == cfg.holdout - 1 {
                dev.push(d);
            } else {
                train_docs.push(d);
            }
        }
        let before = exs.len();
        examples(&train_docs, &cfg.lang, df.fraction, res, cfg.bits, &mut exs);
        log(&format!(
            "{}: {} documents, {} sentences (x{}), {} held out",
            df.path.display(),
            train_docs.len(),
            exs.len() - before,
            df.fraction,
            dev.len()
        ));
        held_out.extend(dev);
    }
    log(&format!(
        "features ready in {:.1}s",
        started.elapsed().as_secs_f32()
    ));

    let rows = 1usize << cfg.bits;
    let mut w = vec![0f32; rows * NL];
    let mut u = vec![0f32; rows * NL];
    let mut tw: Transitions = [[0.0; NL]; NL + 1];
    let mut tu: Transitions = [[0.0; NL]; NL + 1];
    let mut c = 1f32;
    let mut rng = XorShift(cfg.seed.max(1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut order: Vec<usize> = (0..exs.len()).collect();
    let (mut em, mut back, mut pred) = (Vec::new(), Vec::new(), Vec::new());
    for epoch in 0..cfg.epochs {
        for k in (1..order.len()).rev() {
            let j = (rng.next() % (k as u64 + 1)) as usize;
            order.swap(k, j);
        }
        let (mut errors, mut tokens) = (0usize, 0usize);
        for &e in &order {
            let ex = &exs[e];
            if ex.fraction < 1.0 && rng.unit() > ex.fraction {
                continue;
            }
            let n = ex.labels.len();
            em.clear();
            em.resize(n * NL, 0.0);
            for i in 0..n {
                for &f in &ex.feats[ex.offsets[i] as usize..ex.offsets[i + 1] as usize] {
                    let row = &w[f as usize * NL..f as usize * NL + NL];
                    for l in 0..NL {
                        em[i * NL + l] += row[l];
                    }
                }
            }
            viterbi(&em, &tw, &mut back, &mut pred);
            tokens += n;
            if pred == ex.labels {
                c += 1.0;
                continue;
            }
            for i in 0..n {
                let (g, p) = (ex.labels[i] as usize, pred[i] as usize);
                let gp = if i == 0 {
                    NL
                } else {
                    ex.labels[i - 1] as usize
                };
                let pp = if i == 0 { NL } else { pred[i - 1] as usize };
                if g != p {
                    errors += 1;
                    for &f in &ex.feats[ex.offsets[i] as usize..ex.offsets[i + 1] as usize] {
                        let base = f as usize * NL;
                        w[base + g] += 1.0;
                        u[base + g] += c;
                        w[base + p] -= 1.0;
                        u[base + p] -= c;
                    }
                }
                if (g, gp) != (p, pp) {
                    tw[gp][g] += 1.0;
                    tu[gp][g] += c;
                    tw[pp][p] -= 1.0;
                    tu[pp][p] -= c;
                }
            }
            c += 1.0;
        }
        log(&format!(
            "epoch {}: {:.2}% token errors, {:.0}s",
            epoch + 1,
            100.0 * errors as f32 / tokens.max(1) as f32,
            started.elapsed().as_secs_f32()
        ));
    }
    for (wi, ui) in w.iter_mut().zip(&u) {
        *wi -= ui / c;
    }
    for (row, urow) in tw.iter_mut().zip(&tu) {
        for (wi, ui) in row.iter_mut().zip(urow) {
            *wi -= ui / c;
        }
    }
    let model = Model::from_weights(&cfg.lang, cfg.bits, &w, tw, cfg.prune);
    Ok(Trained {
        model: model.to_bytes(),
        held_out,
    })
}

/// Precision, recall and F1 counts.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    /// Found and right.
    pub tp: usize,
    /// Found, not in the gold.
    pub fp: usize,
    /// In the gold, not found.
    pub fn_: usize,
}

impl Counts {
    /// Precision in percent.
    pub fn precision(&self) -> f64 {
        100.0 * self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    /// Recall in percent.
    pub fn recall(&self) -> f64 {
        100.0 * self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
    /// F1 in percent.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Scores of a recognizer on annotated documents.
#[derive(Debug, Default, Clone)]
pub struct Scores {
    /// Exact span and type, gold spans as annotated.
    pub exact: Counts,
    /// Same, with titles moved out of gold person spans (the project's convention).
    pub titles_out: Counts,
    /// Per type (PER, ORG, LOC), gold as annotated.
    pub per_type: [Counts; 3],
    /// Documents measured.
    pub docs: usize,
    /// Documents per second through tokenising, tagging and merging.
    pub docs_per_second: f64,
}

fn code(k: PartyKind) -> usize {
    match k {
        PartyKind::Person => 0,
        PartyKind::Organization => 1,
        PartyKind::Location => 2,
    }
}

/// Measures exact span + type F1 over PER, ORG and LOC, every mention counted.
pub fn evaluate(rec: &EntityRecognizer, docs: &[GoldDoc]) -> Scores {
    let mut sc = Scores {
        docs: docs.len(),
        ..Scores::default()
    };
    let mut elapsed = 0f64;
    for doc in docs {
        let t0 = Instant::now();
        let p = prepare(doc, "en");
        let parties = rec.parties(&p, &[]);
        elapsed += t0.elapsed().as_secs_f64();
        let predicted: HashSet<(usize, usize, usize)> = parties
            .iter()
            .flat_map(|pa| {
                pa.mentions
                    .iter()
                    .map(move |m| (m.start, m.end, code(pa.kind)))
            })
            .collect();
        let res = resources_for(p.data.code).or_else(|| resources_for("en"));
        let mut gold = HashSet::new();
        let mut gold_out = HashSet::new();
        for &(span, EntityType(ty)) in &doc.entities {
            let Some(kind) = ty.kind() else { continue };
            gold.insert((span.start, span.end, code(kind)));
            let mut s = span;
            if let (EntType::Per, Some(res)) = (ty, res) {
                let a = p.tokens.partition_point(|t| t.span.start < span.start);
                let b = p.tokens.partition_point(|t| t.span.start < span.end);
                if let Some(core) = (a < b).then(|| strip_titles(&p, a..b, res)).flatten() {
                    s = Span::new(p.tokens[core.start].span.start, span.end);
                }
            }
            gold_out.insert((s.start, s.end, code(kind)));
        }
        for (counts, g) in [(&mut sc.exact, &gold), (&mut sc.titles_out, &gold_out)] {
            let tp = predicted.intersection(g).count();
            counts.tp += tp;
            counts.fp += predicted.len() - tp;
            counts.fn_ += g.len() - tp;
        }
        for (k, c) in sc.per_type.iter_mut().enumerate() {
            let pk: HashSet<_> = predicted.iter().filter(|x| x.2 == k).collect();
            let gk: HashSet<_> = gold.iter().filter(|x| x.2 == k).collect();
            let tp = pk.intersection(&gk).count();
            c.tp += tp;
            c.fp += pk.len() - tp;
            c.fn_ += gk.len() - tp;
        }
    }
    sc.docs_per_second = docs.len() as f64 / elapsed.max(1e-9);
    sc
}

impl std::fmt::Display for Scores {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let e = &self.exact;
        writeln!(
            f,
            "{} docs: P {:.1} R {:.1} F1 {:.1} (titles out of gold: F1 {:.1}); {:.0} docs/s",
            self.docs,
            e.precision(),
            e.recall(),
            e.f1(),
            self.titles_out.f1(),
            self.docs_per_second
        )?;
        for (name, c) in ["PER", "ORG", "LOC"].iter().zip(&self.per_type) {
            writeln!(
                f,
                "  {name}: P {:.1} R {:.1} F1 {:.1}",
                c.precision(),
                c.recall(),
                c.f1()
            )?;
        }
        Ok(())
    }
}
