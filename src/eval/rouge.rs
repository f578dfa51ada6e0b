//! ROUGE-1, ROUGE-2 and ROUGE-L (Lin, 2004) on lower-cased `\w+` tokens, accents kept.
//!
//! ROUGE-N counts n-grams in common (each clipped to the smaller of its two counts); ROUGE-L takes the
//! longest common subsequence of the two token sequences, each text being one sequence. Every score is a
//! precision (over the candidate), a recall (over the reference) and their F1.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::metrics::Prf;

static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\w+").expect("word pattern is valid"));

/// The `\w+` words of a text, as written.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    WORD.find_iter(text).map(|m| m.as_str())
}

/// The lower-cased `\w+` tokens of a text.
pub fn tokens(text: &str) -> Vec<String> {
    words(text).map(str::to_lowercase).collect()
}

/// ROUGE-1, ROUGE-2 and ROUGE-L of one candidate against one reference.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Rouge {
    /// Unigrams.
    pub rouge1: Prf,
    /// Bigrams.
    pub rouge2: Prf,
    /// Longest common subsequence.
    pub rouge_l: Prf,
}

impl Rouge {
    /// Scores `candidate` against `reference`.
    pub fn score(candidate: &str, reference: &str) -> Rouge {
        let c = tokens(candidate);
        let r = tokens(reference);
        Rouge {
            rouge1: rouge_n(&c, &r, 1),
            rouge2: rouge_n(&c, &r, 2),
            rouge_l: rouge_l(&c, &r),
        }
    }
}

fn ngram_counts(tokens: &[String], n: usize) -> HashMap<&[String], usize> {
    let mut counts = HashMap::new();
    for g in tokens.windows(n) {
        *counts.entry(g).or_insert(0) += 1;
    }
    counts
}

/// ROUGE-N of token sequences.
pub fn rouge_n(candidate: &[String], reference: &[String], n: usize) -> Prf {
    if n == 0 {
        return Prf::default();
    }
    let c = ngram_counts(candidate, n);
    let r = ngram_counts(reference, n);
    let common: usize = c
        .iter()
        .map(|(g, &k)| k.min(r.get(g).copied().unwrap_or(0)))
        .sum();
    Prf::from_counts(
        common,
        candidate.len().saturating_sub(n - 1),
        reference.len().saturating_sub(n - 1),
    )
}

/// Length of the longest common subsequence (two rows of the dynamic programme).
pub fn lcs_len(a: &[String], b: &[String]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// ROUGE-L of token sequences.
pub fn rouge_l(candidate: &[String], reference: &[String]) -> Prf {
    Prf::from_counts(
        lcs_len(candidate, reference),
        candidate.len(),
        reference.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn tokens_are_lower_case_words_with_accents() {
        assert_eq!(
            tokens("L'Élysée a dit: «Non», 2,5 %!"),
            ["l", "élysée", "a", "dit", "non", "2", "5"]
        );
    }

    #[test]
    fn hand_computed_scores() {
        // candidate: the cat sat on the mat (6), reference: the cat lay on the red mat (7)
        let r = Rouge::score("The cat sat on the mat.", "the cat lay on the red mat");
        // unigrams in common: the x2, cat, on, mat = 5 -> P 5/6, R 5/7
        assert!(close(r.rouge1.precision, 5.0 / 6.0));
        assert!(close(r.rouge1.recall, 5.0 / 7.0));
        assert!(close(r.rouge1.f1, 2.0 * 5.0 / (6.0 + 7.0)));
        // bigrams: cand {the cat, cat sat, sat on, on the, the mat}, ref {the cat, cat lay, lay on,
        // on the, the red, red mat}: common 2 -> P 2/5, R 2/6
        assert!(close(r.rouge2.precision, 0.4));
        assert!(close(r.rouge2.recall, 2.0 / 6.0));
        assert!(close(r.rouge2.f1, 2.0 * 2.0 / (5.0 + 6.0)));
        // LCS: the cat on the mat = 5
        assert!(close(r.rouge_l.f1, 2.0 * 5.0 / 13.0));
    }

    #[test]
    fn counts_are_clipped_and_order_matters_for_lcs() {
        let r = Rouge::score("a a a a", "a b");
        assert!(close(r.rouge1.precision, 0.25));
        assert!(close(r.rouge1.recall, 0.5));
        assert_eq!(r.rouge2.f1, 0.0);
        let t = |s: &str| tokens(s);
        assert_eq!(lcs_len(&t("a b c d"), &t("d c b a")), 1);
        assert_eq!(lcs_len(&t("a b c d e"), &t("a x c y e")), 3);
        assert_eq!(Rouge::score("", "a b"), Rouge::default());
        let same = Rouge::score("Un été à Noël", "un ÉTÉ à noël");
        assert!(close(same.rouge_l.f1, 1.0) && close(same.rouge2.f1, 1.0));
    }
}
