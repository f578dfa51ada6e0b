//! Party scoring: every mention of every party against the gold entity mentions, exact span and type,
//! over PER/ORG/LOC (other gold types are ignored); micro P/R/F1 overall and per type.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::{Feature, PartyKind, Span};

use super::metrics::{match_items, unmatched, Counts, Criterion, Score};
use super::{required, Case, ErrorKind, EvalError, Scorer, Task, TaskMetrics};

/// The types scored, in report order.
pub const TYPES: [&str; 3] = ["PER", "ORG", "LOC"];

/// Party scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartyMetrics {
    /// How the figures are averaged.
    pub averaging: &'static str,
    /// All types together.
    pub overall: Score,
    /// Per type (`PER`, `ORG`, `LOC`).
    pub per_type: BTreeMap<&'static str, Score>,
    /// Gold mentions of other types (MISC, PROD, TIME...), not scored.
    pub ignored_gold: usize,
}

/// The scored type of a gold label, `None` for the others.
pub fn gold_type(label: &str) -> Option<&'static str> {
    match label.to_ascii_uppercase().as_str() {
        "PER" | "PERSON" => Some("PER"),
        "ORG" | "ORGANIZATION" | "ORGANISATION" => Some("ORG"),
        "LOC" | "LOCATION" => Some("LOC"),
        _ => None,
    }
}

/// The type of a party kind.
pub fn party_type(kind: PartyKind) -> &'static str {
    match kind {
        PartyKind::Person => "PER",
        PartyKind::Organization => "ORG",
        PartyKind::Location => "LOC",
    }
}

#[derive(Debug, Default)]
pub(super) struct PartyScorer {
    per_type: BTreeMap<&'static str, Counts>,
    ignored: usize,
}

impl Scorer for PartyScorer {
    fn feature(&self) -> Feature {
        Feature::Parties
    }

    fn add(&mut self, mut case: Case<'_>) -> Result<(), EvalError> {
        let record = case.record;
        let entities = required(record.entities.as_ref(), record, "entities", Task::Parties)?;
        let gold: Vec<(Span, &'static str)> = entities
            .iter()
            .filter_map(|e| gold_type(&e.label).map(|t| (e.span, t)))
            .collect();
        self.ignored += entities.len() - gold.len();
        let pred: Vec<(Span, &'static str)> = case
            .analysis
            .parties
            .iter()
            .flat_map(|p| {
                p.mentions
                    .iter()
                    .map(move |&m| (record.cps.span_to_cp(m), party_type(p.kind)))
            })
            .collect();
        let pairs = match_items(
            &gold,
            &pred,
            |g| g.0,
            |p| p.0,
            Criterion::Exact,
            |g, p| g.1 == p.1,
        );
        for t in TYPES {
            let tp = pairs.iter().filter(|&&(i, _)| gold[i].1 == t).count();
            let np = pred.iter().filter(|p| p.1 == t).count();
            let ng = gold.iter().filter(|g| g.1 == t).count();
            self.per_type.entry(t).or_default().add(tp, np, ng);
        }
        let extra = unmatched(pred.len(), &pairs, |p| p.1);
        case.list(
            ErrorKind::Miss,
            &gold,
            unmatched(gold.len(), &pairs, |p| p.0),
            |&(span, t)| {
                // A false alarm on the same span is a confusion of types.
                match extra.iter().find(|&&j| pred[j].0 == span) {
                    Some(&j) => (span, format!("gold {t}, predicted {}", pred[j].1)),
                    None => (span, format!("gold {t}")),
                }
            },
        );
        case.list(
            ErrorKind::FalseAlarm,
            &pred,
            extra.iter().copied(),
            |&(span, t)| (span, format!("predicted {t}")),
        );
        Ok(())
    }

    fn finish(&self) -> TaskMetrics {
        let mut overall = Counts::default();
        for c in self.per_type.values() {
            overall.add(c.tp, c.predicted, c.gold);
        }
        TaskMetrics::Parties(PartyMetrics {
            averaging: "micro (counts summed over documents)",
            overall: overall.into(),
            per_type: TYPES
                .iter()
                .map(|&t| (t, self.per_type.get(t).copied().unwrap_or_default().into()))
                .collect(),
            ignored_gold: self.ignored,
        })
    }
}
