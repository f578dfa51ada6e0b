//! Date scoring, TempEval-3 style: strict (exact span) and relaxed (overlap) extraction P/R/F1, then the
//! accuracy of the TIMEX3 value (exact string) and type on the relaxed matches, and the value F1
//! (relaxed F1 times value accuracy, TempEval-3's "value" score).

use serde::Serialize;

use crate::analysis::{DateKind, Feature, Span};

use super::data::Labelled;
use super::metrics::{match_items, unmatched, Accuracy, Counts, Criterion, Ratio, Score};
use super::{required, Case, ErrorKind, EvalError, Scorer, Task, TaskMetrics};

/// Date scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateMetrics {
    /// Exact span.
    pub strict: Score,
    /// Overlapping span.
    pub relaxed: Score,
    /// Value right among relaxed matches.
    pub value: Accuracy,
    /// Type right among relaxed matches.
    pub kind: Accuracy,
    /// Relaxed F1 times value accuracy.
    pub value_f1: f64,
}

/// The TIMEX3 type name of a kind.
pub fn timex_type(kind: DateKind) -> &'static str {
    match kind {
        DateKind::Date => "DATE",
        DateKind::Time => "TIME",
        DateKind::Duration => "DURATION",
        DateKind::Set => "SET",
    }
}

#[derive(Debug, Default)]
pub(super) struct DateScorer {
    strict: Counts,
    relaxed: Counts,
    value: Ratio,
    kind: Ratio,
}

/// Whether a matched prediction is right in one respect.
type Check = fn(&Labelled, &Predicted<'_>) -> bool;

struct Predicted<'a> {
    span: Span,
    value: &'a str,
    kind: &'static str,
}

impl Scorer for DateScorer {
    fn feature(&self) -> Feature {
        Feature::Dates
    }

    fn add(&mut self, mut case: Case<'_>) -> Result<(), EvalError> {
        let record = case.record;
        let gold = required(record.timexes.as_ref(), record, "timexes", Task::Dates)?;
        let pred: Vec<Predicted<'_>> = case
            .analysis
            .dates
            .iter()
            .map(|d| Predicted {
                span: record.cps.span_to_cp(d.span),
                value: &d.value,
                kind: timex_type(d.kind),
            })
            .collect();
        let matcher = |c| match_items(gold, &pred, |g| g.span, |p| p.span, c, |_, _| true);
        let strict = matcher(Criterion::Exact);
        let relaxed = matcher(Criterion::Overlap);
        self.strict.add(strict.len(), pred.len(), gold.len());
        self.relaxed.add(relaxed.len(), pred.len(), gold.len());
        for &(i, j) in &relaxed {
            self.value.add(gold[i].value == pred[j].value);
            self.kind.add(gold[i].label == pred[j].kind);
        }
        let describe_gold = |g: &Labelled| (g.span, format!("{} {}", g.label, g.value));
        case.list(
            ErrorKind::Miss,
            gold,
            unmatched(gold.len(), &relaxed, |p| p.0),
            describe_gold,
        );
        case.list(
            ErrorKind::FalseAlarm,
            &pred,
            unmatched(pred.len(), &relaxed, |p| p.1),
            |p| (p.span, format!("{} {}", p.kind, p.value)),
        );
        // Matched, but not quite: extent, value, type.
        let checks: [(ErrorKind, Check); 3] = [
            (ErrorKind::Boundary, |g, p| g.span == p.span),
            (ErrorKind::WrongValue, |g, p| g.value == p.value),
            (ErrorKind::WrongType, |g, p| g.label == p.kind),
        ];
        for (kind, right) in checks {
            let wrong = relaxed.iter().filter(|&&(i, j)| !right(&gold[i], &pred[j]));
            let wrong: Vec<(usize, usize)> = wrong.copied().collect();
            case.list(kind, &wrong, 0..wrong.len(), |&(i, j)| {
                let (g, p) = (&gold[i], &pred[j]);
                let detail = format!(
                    "gold {:?} {} {} at {}..{}, predicted {} {}",
                    record.slice(g.span),
                    g.label,
                    g.value,
                    g.span.start,
                    g.span.end,
                    p.kind,
                    p.value
                );
                (p.span, detail)
            });
        }
        Ok(())
    }

    fn finish(&self) -> TaskMetrics {
        let relaxed: Score = self.relaxed.into();
        TaskMetrics::Dates(DateMetrics {
            strict: self.strict.into(),
            relaxed,
            value: self.value.into(),
            kind: self.kind.into(),
            value_f1: relaxed.prf.f1 * self.value.value(),
        })
    }
}
