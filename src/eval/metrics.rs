//! Counting and matching shared by every task: precision/recall/F1 from counts, macro averages, and a
//! one-to-one matching of gold and predicted spans under a criterion (exact, overlap, or overlap of at
//! least half of the longer span).

use serde::Serialize;

use crate::analysis::Span;

/// Matches counted over a set of documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Predictions that match a gold item.
    pub tp: usize,
    /// Predictions.
    pub predicted: usize,
    /// Gold items.
    pub gold: usize,
}

/// Precision, recall and F1, as fractions in [0, 1].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Precision: matched predictions over predictions (0 when nothing is predicted).
    pub precision: f64,
    /// Recall: matched gold items over gold items (0 when there is no gold item).
    pub recall: f64,
    /// Harmonic mean of the two (0 when both are 0).
    pub f1: f64,
}

impl Prf {
    /// From matched, predicted and gold counts.
    pub fn from_counts(tp: usize, predicted: usize, gold: usize) -> Prf {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(tp, predicted);
        let recall = ratio(tp, gold);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

impl Counts {
    /// Adds another document's counts.
    pub fn add(&mut self, tp: usize, predicted: usize, gold: usize) {
        self.tp += tp;
        self.predicted += predicted;
        self.gold += gold;
    }

    /// Micro-averaged precision, recall and F1.
    pub fn prf(&self) -> Prf {
        Prf::from_counts(self.tp, self.predicted, self.gold)
    }
}

/// A fraction of items that are right (value accuracy, speaker accuracy...).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ratio {
    /// Items that are right.
    pub right: usize,
    /// Items judged.
    pub total: usize,
}

impl Ratio {
    /// Counts one item.
    pub fn add(&mut self, right: bool) {
        self.right += usize::from(right);
        self.total += 1;
    }

    /// `right / total`, 0 when nothing was judged.
    pub fn value(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.right as f64 / self.total as f64
        }
    }
}

/// Counts with their precision, recall and F1, as reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Score {
    /// The counts.
    #[serde(flatten)]
    pub counts: Counts,
    /// The figures.
    #[serde(flatten)]
    pub prf: Prf,
}

impl From<Counts> for Score {
    fn from(counts: Counts) -> Score {
        Score {
            counts,
            prf: counts.prf(),
        }
    }
}

/// A [`Ratio`] with its value, as reported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Accuracy {
    /// Items that are right.
    pub right: usize,
    /// Items judged.
    pub total: usize,
    /// `right / total` (0 when nothing was judged).
    pub accuracy: f64,
}

impl From<Ratio> for Accuracy {
    fn from(r: Ratio) -> Accuracy {
        Accuracy {
            right: r.right,
            total: r.total,
            accuracy: r.value(),
        }
    }
}

/// The mean of values added one by one (macro averages over documents).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Mean {
    sum: f64,
    n: usize,
}

impl Mean {
    /// Adds a value.
    pub fn add(&mut self, x: f64) {
        self.sum += x;
        self.n += 1;
    }

    /// The mean, 0 when empty.
    pub fn value(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum / self.n as f64
        }
    }
}

/// Number of positions two spans share.
pub fn overlap(a: Span, b: Span) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// When a predicted span counts as the same item as a gold span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Criterion {
    /// Same start and end.
    Exact,
    /// At least one position in common.
    Overlap,
    /// The common part covers at least half of the longer span.
    HalfOfLonger,
}

impl Criterion {
    /// How well `pred` matches `gold` under this criterion: `None` when it does not, otherwise a score
    /// where higher is better (the overlap length).
    pub fn score(self, gold: Span, pred: Span) -> Option<usize> {
        let common = overlap(gold, pred);
        let ok = match self {
            Criterion::Exact => gold == pred,
            Criterion::Overlap => common > 0,
            Criterion::HalfOfLonger => common > 0 && 2 * common >= gold.len().max(pred.len()),
        };
        ok.then_some(common.max(1))
    }
}

/// Pairs gold and predicted items one to one: among the pairs that `compatible` allows and `criterion`
/// accepts, the best-overlapping pairs are taken first (ties in document order). Returns `(gold index,
/// predicted index)` pairs sorted by gold index.
pub fn match_items<G, P>(
    gold: &[G],
    pred: &[P],
    gold_span: impl Fn(&G) -> Span,
    pred_span: impl Fn(&P) -> Span,
    criterion: Criterion,
    compatible: impl Fn(&G, &P) -> bool,
) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..pred.len()).collect();
    order.sort_by_key(|&j| pred_span(&pred[j]).start);
    let mut candidates = Vec::new();
    for (i, g) in gold.iter().enumerate() {
        let gs = gold_span(g);
        // Predictions starting at or after the gold end cannot overlap it.
        let stop = order.partition_point(|&j| pred_span(&pred[j]).start < gs.end.max(gs.start + 1));
        for &j in &order[..stop] {
            if let Some(score) = criterion.score(gs, pred_span(&pred[j])) {
                if compatible(g, &pred[j]) {
                    candidates.push((score, i, j));
                }
            }
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut gold_used = vec![false; gold.len()];
    let mut pred_used = vec![false; pred.len()];
    let mut pairs = Vec::new();
    for (_, i, j) in candidates {
        if !gold_used[i] && !pred_used[j] {
            gold_used[i] = true;
            pred_used[j] = true;
            pairs.push((i, j));
        }
    }
    pairs.sort_unstable();
    pairs
}

/// The indices in `0..n` that no pair uses on the given side.
pub fn unmatched(
    n: usize,
    pairs: &[(usize, usize)],
    side: impl Fn(&(usize, usize)) -> usize,
) -> Vec<usize> {
    let mut used = vec![false; n];
    pairs.iter().for_each(|p| used[side(p)] = true);
    (0..n).filter(|&i| !used[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn prf_arithmetic() {
        let p = Prf::from_counts(3, 4, 6);
        assert!(close(p.precision, 0.75));
        assert!(close(p.recall, 0.5));
        assert!(close(p.f1, 0.6));
        assert_eq!(Prf::from_counts(0, 0, 5), Prf::default());
        assert_eq!(Prf::from_counts(0, 3, 0), Prf::default());
        let mut c = Counts::default();
        c.add(1, 2, 2);
        c.add(2, 2, 4);
        assert_eq!(c.prf(), Prf::from_counts(3, 4, 6));
        let mut r = Ratio::default();
        [true, false, true, true].into_iter().for_each(|x| r.add(x));
        assert!(close(r.value(), 0.75));
        let mut m = Mean::default();
        m.add(0.2);
        m.add(0.4);
        assert!(close(m.value(), 0.3));
        assert_eq!(Mean::default().value(), 0.0);
    }

    #[test]
    fn criteria() {
        let s = Span::new;
        assert_eq!(overlap(s(0, 10), s(5, 20)), 5);
        assert_eq!(overlap(s(0, 5), s(5, 20)), 0);
        assert!(Criterion::Exact.score(s(3, 8), s(3, 8)).is_some());
        assert!(Criterion::Exact.score(s(3, 8), s(3, 9)).is_none());
        assert!(Criterion::Overlap.score(s(3, 8), s(7, 9)).is_some());
        assert!(Criterion::Overlap.score(s(3, 8), s(8, 9)).is_none());
        // 5 in common, longer span 10: exactly half counts, less does not.
        assert!(Criterion::HalfOfLonger.score(s(0, 10), s(5, 10)).is_some());
        assert!(Criterion::HalfOfLonger.score(s(0, 10), s(6, 10)).is_none());
        assert!(Criterion::HalfOfLonger.score(s(5, 10), s(0, 11)).is_none());
    }

    #[test]
    fn matching_is_one_to_one_and_prefers_larger_overlap() {
        let s = Span::new;
        let gold = [s(0, 10), s(20, 30)];
        // Prediction 0 overlaps gold 0 a little, prediction 1 a lot; prediction 2 overlaps both golds.
        let pred = [s(8, 12), s(1, 10), s(9, 25)];
        let pairs = match_items(
            &gold,
            &pred,
            |g| *g,
            |p| *p,
            Criterion::Overlap,
            |_, _| true,
        );
        assert_eq!(pairs, vec![(0, 1), (1, 2)]);
        assert_eq!(unmatched(3, &pairs, |p| p.1), vec![0]);
        let exact = match_items(&gold, &pred, |g| *g, |p| *p, Criterion::Exact, |_, _| true);
        assert!(exact.is_empty());
        // Two identical predictions of one gold item: one matches, the other is a false alarm.
        let twice = match_items(
            &gold[..1],
            &[s(0, 10), s(0, 10)],
            |g| *g,
            |p| *p,
            Criterion::Exact,
            |_, _| true,
        );
        assert_eq!(twice, vec![(0, 0)]);
        let typed = match_items(
            &[(s(0, 3), 'P')],
            &[(s(0, 3), 'O')],
            |g| g.0,
            |p| p.0,
            Criterion::Exact,
            |g, p| g.1 == p.1,
        );
        assert!(typed.is_empty());
    }
}
