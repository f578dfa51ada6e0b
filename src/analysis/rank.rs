//! Sentence ranking for the extractive summary.
//!
//! First version: each sentence is scored by the mean TF-IDF weight of its content words within the
//! article plus a lead bonus. The headline is a signal, never a summary sentence.

use std::collections::HashMap;

use super::analyzer::{Options, Order, Prepared};
use super::output::SummarySentence;
use super::segment::SegmentKind;

/// Scores sentences and picks the summary.
#[derive(Debug, Default)]
pub struct SummaryRanker;

impl SummaryRanker {
    /// A score in [0, 1] per sentence (0 for headlines and datelines).
    pub fn score(&self, doc: &Prepared<'_>) -> Vec<f32> {
        let mut df: HashMap<&str, usize> = HashMap::new();
        for (i, _) in doc.sentences.iter().enumerate() {
            let mut seen: Vec<&str> = doc
                .sentence_tokens(i)
                .iter()
                .filter(|t| t.is_word() && !t.is_stop)
                .map(|t| doc.norm(t))
                .collect();
            seen.sort_unstable();
            seen.dedup();
            for w in seen {
                *df.entry(w).or_default() += 1;
            }
        }
        let n = doc.sentences.len().max(1) as f32;
        let mut raw: Vec<f32> = doc
            .sentences
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if s.kind != SegmentKind::Body {
                    return 0.0;
                }
                let words: Vec<&str> = doc
                    .sentence_tokens(i)
                    .iter()
                    .filter(|t| t.is_word() && !t.is_stop)
                    .map(|t| doc.norm(t))
                    .collect();
                if words.len() < 4 {
                    return 0.0;
                }
                let tf: f32 = words
                    .iter()
                    .map(|w| df[w] as f32 * (n / df[w] as f32).ln().max(0.1))
                    .sum();
                let lead = 1.0 / (1.0 + i as f32 * 0.3);
                tf / words.len() as f32 + lead
            })
            .collect();
        let max = raw.iter().copied().fold(0.0f32, f32::max);
        if max > 0.0 {
            raw.iter_mut().for_each(|s| *s /= max);
        }
        raw
    }

    /// Picks the summary sentences according to `opts`.
    pub fn select(
        &self,
        doc: &Prepared<'_>,
        scores: &[f32],
        opts: &Options,
    ) -> Vec<SummarySentence> {
        let body = doc
            .sentences
            .iter()
            .filter(|s| s.kind == SegmentKind::Body)
            .count();
        let k = match opts.summary_ratio {
            Some(r) => ((body as f32 * r).ceil() as usize).max(1),
            None => opts.max_summary_sentences,
        };
        let mut order: Vec<usize> = (0..scores.len()).filter(|&i| scores[i] > 0.0).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        let mut chosen = Vec::new();
        let mut chars = 0usize;
        for i in order {
            if chosen.len() >= k {
                break;
            }
            let len = doc.sentences[i].span.slice(doc.text).chars().count();
            if let Some(budget) = opts.summary_max_chars {
                if chars + len > budget {
                    continue;
                }
            }
            chars += len;
            chosen.push(SummarySentence {
                span: doc.sentences[i].span,
                score: scores[i],
                sentence_index: i,
            });
        }
        if opts.order == Order::Document {
            chosen.sort_by_key(|s| s.sentence_index);
        }
        chosen
    }
}
