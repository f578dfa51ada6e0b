//! Summary scoring: ROUGE of the analyzer's summary and of Lead-k against the reference, with k the
//! number of reference sentences (2 for abstractive references), macro-averaged over documents.

use serde::Serialize;

use crate::analysis::segment::SegmentKind;
use crate::analysis::{Feature, Language, Options, Prepared, Span};

use super::data::{Record, SummaryRef};
use super::metrics::{match_items, unmatched, Counts, Criterion, Mean, Score};
use super::rouge::Rouge;
use super::{required, Case, ErrorItem, ErrorKind, EvalError, Scorer, Task, TaskMetrics};

/// Sentences asked for when the reference is abstractive.
pub const ABSTRACTIVE_SENTENCES: usize = 2;

/// Macro-averaged ROUGE F1, in [0, 1].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct RougeF1 {
    /// ROUGE-1 F1.
    pub rouge1: f64,
    /// ROUGE-2 F1.
    pub rouge2: f64,
    /// ROUGE-L F1.
    pub rouge_l: f64,
}

/// Summary scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryMetrics {
    /// How ROUGE is averaged.
    pub averaging: &'static str,
    /// Documents with an extractive reference.
    pub extractive_references: usize,
    /// Documents with an abstractive reference.
    pub abstractive_references: usize,
    /// Mean number of sentences asked for.
    pub mean_sentences: f64,
    /// The analyzer's summary.
    pub system: RougeF1,
    /// The first k sentences after the headline.
    pub lead: RougeF1,
    /// Reference sentences found (extractive references only; a match covers half of the longer).
    pub sentences: Score,
}

#[derive(Debug, Default)]
struct Means {
    r1: Mean,
    r2: Mean,
    rl: Mean,
}

impl Means {
    fn add(&mut self, r: &Rouge) {
        self.r1.add(r.rouge1.f1);
        self.r2.add(r.rouge2.f1);
        self.rl.add(r.rouge_l.f1);
    }

    fn value(&self) -> RougeF1 {
        RougeF1 {
            rouge1: self.r1.value(),
            rouge2: self.r2.value(),
            rouge_l: self.rl.value(),
        }
    }
}

#[derive(Debug, Default)]
pub(super) struct SummaryScorer {
    extractive: usize,
    abstractive: usize,
    k: Mean,
    system: Means,
    lead: Means,
    sentences: Counts,
}

fn reference(record: &Record) -> Result<&SummaryRef, EvalError> {
    let field = "summary_sentences or summary";
    required(record.summary.as_ref(), record, field, Task::Summary)
}

fn sentences_wanted(reference: &SummaryRef) -> usize {
    match reference {
        SummaryRef::Extractive(s) => s.len(),
        SummaryRef::Abstractive(_) => ABSTRACTIVE_SENTENCES,
    }
}

/// The first `k` body sentences (after the headline and any dateline), by our own segmenter.
pub fn lead_sentences(text: &str, language: Option<Language>, k: usize) -> Vec<Span> {
    let prepared = Prepared::new(text, None, language);
    prepared
        .sentences
        .iter()
        .filter(|s| s.kind == SegmentKind::Body)
        .take(k)
        .map(|s| s.span)
        .collect()
}

fn join(text: &str, spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| s.slice(text))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Scorer for SummaryScorer {
    fn feature(&self) -> Feature {
        Feature::Summary
    }

    fn options(&self, record: &Record) -> Result<Options, EvalError> {
        Ok(Options {
            features: vec![Feature::Summary],
            max_summary_sentences: sentences_wanted(reference(record)?),
            ..Options::default()
        })
    }

    fn add(&mut self, mut case: Case<'_>) -> Result<(), EvalError> {
        let record = case.record;
        let gold = reference(record)?;
        let k = sentences_wanted(gold);
        self.k.add(k as f64);
        let mut picked: Vec<Span> = case.analysis.summary.iter().map(|s| s.span).collect();
        picked.sort_unstable();
        let candidate = join(&record.text, &picked);
        let language = Some(case.analysis.language.clone());
        let lead = join(&record.text, &lead_sentences(&record.text, language, k));
        let ref_text = match gold {
            SummaryRef::Extractive(s) => s
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            SummaryRef::Abstractive(t) => t.clone(),
        };
        let system = Rouge::score(&candidate, &ref_text);
        let lead = Rouge::score(&lead, &ref_text);
        self.system.add(&system);
        self.lead.add(&lead);
        if let Some(out) = case.errors.as_deref_mut() {
            let detail = format!(
                "k={k}: ROUGE-2 F1 system {:.1}, lead {:.1}; ROUGE-1 system {:.1}, lead {:.1}",
                100.0 * system.rouge2.f1,
                100.0 * lead.rouge2.f1,
                100.0 * system.rouge1.f1,
                100.0 * lead.rouge1.f1
            );
            out.push(ErrorItem::note("", detail));
        }
        let pred: Vec<Span> = picked.iter().map(|&s| record.cps.span_to_cp(s)).collect();
        match gold {
            SummaryRef::Extractive(sents) => {
                self.extractive += 1;
                let pairs = match_items(
                    sents,
                    &pred,
                    |g| g.0,
                    |p| *p,
                    Criterion::HalfOfLonger,
                    |_, _| true,
                );
                self.sentences.add(pairs.len(), pred.len(), sents.len());
                case.list(
                    ErrorKind::Miss,
                    sents,
                    unmatched(sents.len(), &pairs, |p| p.0),
                    |g| (g.0, "reference sentence not chosen".into()),
                );
                case.list(
                    ErrorKind::FalseAlarm,
                    &pred,
                    unmatched(pred.len(), &pairs, |p| p.1),
                    |&p| (p, "chosen, not in the reference".into()),
                );
            }
            SummaryRef::Abstractive(_) => {
                self.abstractive += 1;
                if let Some(out) = case.errors.as_deref_mut() {
                    out.push(ErrorItem::note(&ref_text, "reference".into()));
                }
                case.list(ErrorKind::Note, &pred, 0..pred.len(), |&p| {
                    (p, "chosen".into())
                });
            }
        }
        Ok(())
    }

    fn finish(&self) -> TaskMetrics {
        TaskMetrics::Summary(SummaryMetrics {
            averaging: "macro (mean of per-document F1)",
            extractive_references: self.extractive,
            abstractive_references: self.abstractive,
            mean_sentences: self.k.value(),
            system: self.system.value(),
            lead: self.lead.value(),
            sentences: self.sentences.into(),
        })
    }
}
