//! Sentence ranking for the extractive summary.
//!
//! A sentence's score combines what matters in news:
//! - **centrality** ([`graph`]): PageRank over the sentence similarity graph of stop-word-free term
//!   vectors ([`terms`], words cut to a prefix in inflecting languages); a sentence is central when it
//!   shares the article's frequent words with many other sentences. Term statistics come from the
//!   article alone, so any language works; the language's stop words sharpen them where the lexicon
//!   has them;
//! - **position**: news puts the essentials first, so the lead gets a bonus that fades with the
//!   sentence's rank in the body;
//! - **headline overlap**: the share of the title's content words the sentence repeats (the caller's
//!   title when given apart, else the headline line). The headline is a signal and never a summary
//!   sentence;
//! - **length**: over-long sentences (run-ons, lists) lose a little;
//! - **noise** ([`noise`]): bylines, datelines, photo credits and promotional lines score 0 and are never
//!   chosen; fragments and sentences that are mostly a quotation are penalised.
//!
//! Scores are scaled to [0, 1] within the article. Selection ([`SummaryRanker::select`]) is greedy with
//! maximal marginal relevance: each pick is the best remaining sentence after a penalty for its
//! similarity to those already picked, and a sentence whose words are mostly already in the summary is
//! not picked at all (a repeated lead, a pull quote).
//!
//! Cost is linear in the text: term vectors are built in one pass, centrality needs no pairwise graph,
//! and redundancy is only checked among the best candidates.

mod graph;
mod noise;
mod terms;

use super::analyzer::{Options, Order, Prepared};
use super::output::SummarySentence;
use super::segment::SegmentKind;
use noise::Noise;

/// Weight of the lead bonus (the first body sentence gets all of it).
const LEAD_WEIGHT: f32 = 0.8;
/// Weight of the headline overlap.
const TITLE_WEIGHT: f32 = 0.8;
/// Sentences longer than this many words lose [`LONG_PENALTY`] per as many extra words.
const LONG_WORDS: f32 = 35.0;
const LONG_PENALTY: f32 = 0.5;
/// Score factor of fragments and of sentences that are mostly a quotation.
const FRAGMENT_FACTOR: f32 = 0.3;
const QUOTATION_FACTOR: f32 = 0.85;
/// Maximal marginal relevance: penalty per unit of cosine similarity to the closest chosen sentence.
const REDUNDANCY_WEIGHT: f32 = 0.05;
/// A candidate whose content words are at least this much inside a chosen sentence (or the reverse),
/// or as similar as this, repeats it and is skipped.
const DUPLICATE: f32 = 0.8;
/// Redundancy is checked among this many candidates per requested sentence (plus a few).
const POOL_PER_SENTENCE: usize = 4;

/// Scores sentences and picks the summary.
#[derive(Debug, Default)]
pub struct SummaryRanker;

/// The sentence scores of an article, and the word vectors that selection reuses.
#[derive(Debug)]
pub struct Ranking {
    /// A score in [0, 1] per sentence (see [`SummaryRanker::score`]).
    pub scores: Vec<f32>,
    words: terms::TermVectors,
}

impl SummaryRanker {
    /// A score in [0, 1] per sentence, comparable within the article; 0 for the headline, datelines
    /// and lines that must never be in a summary (bylines, credits).
    pub fn score(&self, doc: &Prepared<'_>) -> Ranking {
        let n = doc.sentences.len();
        if n == 0 {
            return Ranking {
                scores: Vec::new(),
                words: terms::TermVectors::default(),
            };
        }
        let vectors = terms::build(doc);
        let (tv, title) = (&vectors.terms, &vectors.title);
        let kinds = noise::classify_all(doc);
        let nodes: Vec<bool> = kinds.iter().map(|k| *k != Noise::Junk).collect();
        let central = graph::centrality(tv, &nodes);
        // The title's known terms as a dense set, so that a sentence's overlap is one pass over its
        // terms.
        let mut in_title = vec![false; tv.n_terms];
        for &id in title.iter().flatten() {
            if let Some(slot) = in_title.get_mut(id as usize) {
                *slot = true;
            }
        }
        let mut body_rank = 0usize;
        let mut scores = Vec::with_capacity(n);
        for i in 0..n {
            if kinds[i] == Noise::Junk {
                scores.push(0.0);
                continue;
            }
            let lead = 1.0 / (1.0 + body_rank as f32);
            body_rank += 1;
            let overlap = title_overlap(tv.of(i), &in_title, title.len());
            let words = doc
                .sentence_tokens(i)
                .iter()
                .filter(|t| t.is_word())
                .count() as f32;
            let long = LONG_PENALTY * ((words - LONG_WORDS) / LONG_WORDS).max(0.0);
            let raw = central[i] + LEAD_WEIGHT * lead + TITLE_WEIGHT * overlap - long;
            let factor = match kinds[i] {
                Noise::Fragment => FRAGMENT_FACTOR,
                Noise::Quotation => QUOTATION_FACTOR,
                _ => 1.0,
            };
            // Every real sentence keeps a positive score, so that short texts still get a summary.
            scores.push((raw * factor).max(f32::EPSILON));
        }
        let max = scores.iter().copied().fold(0.0f32, f32::max);
        if max > 0.0 {
            scores
                .iter_mut()
                .for_each(|s| *s = (*s / max).clamp(0.0, 1.0));
        }
        Ranking {
            scores,
            words: vectors.words,
        }
    }

    /// Picks the summary sentences according to `opts`: as many as asked (or the ratio of the body's
    /// sentences), within the character budget, without repeating one another.
    pub fn select(
        &self,
        doc: &Prepared<'_>,
        ranking: &Ranking,
        opts: &Options,
    ) -> Vec<SummarySentence> {
        let (scores, words) = (&ranking.scores[..], &ranking.words);
        let n = scores.len().min(doc.sentences.len());
        let body = doc.sentences[..n]
            .iter()
            .filter(|s| s.kind == SegmentKind::Body)
            .count();
        let k = match opts.summary_ratio {
            Some(r) if r.is_finite() && r > 0.0 => ((body as f32 * r).ceil() as usize).max(1),
            _ => opts.max_summary_sentences,
        };
        if k == 0 {
            return Vec::new();
        }
        let mut pool: Vec<usize> = (0..n)
            .filter(|&i| scores[i] > 0.0 && doc.sentences[i].kind == SegmentKind::Body)
            .collect();
        pool.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        pool.truncate(k.saturating_mul(POOL_PER_SENTENCE).saturating_add(8));
        let magnitudes: Vec<terms::Magnitude> = pool
            .iter()
            .map(|&i| terms::magnitude(words.of(i)))
            .collect();
        // Closest cosine similarity of each pool candidate to the chosen sentences.
        let mut closest = vec![0.0f32; pool.len()];
        let mut taken = vec![false; pool.len()];
        let mut chosen: Vec<SummarySentence> = Vec::with_capacity(k.min(pool.len()));
        let mut chars = 0usize;
        while chosen.len() < k {
            let mut best: Option<(usize, f32)> = None;
            for (p, &i) in pool.iter().enumerate() {
                if taken[p] {
                    continue;
                }
                let value = scores[i] - REDUNDANCY_WEIGHT * closest[p];
                if best.is_none_or(|(_, v)| value > v) {
                    best = Some((p, value));
                }
            }
            let Some((p, _)) = best else { break };
            taken[p] = true;
            let i = pool[p];
            let len = doc.sentences[i].span.slice(doc.text).chars().count();
            if opts.summary_max_chars.is_some_and(|b| chars + len > b) {
                continue;
            }
            chars += len;
            chosen.push(SummarySentence {
                span: doc.sentences[i].span,
                score: scores[i],
                sentence_index: i,
            });
            for (q, &j) in pool.iter().enumerate() {
                if taken[q] {
                    continue;
                }
                let (in_b, in_a, cosine) =
                    terms::overlap((words.of(i), magnitudes[p]), (words.of(j), magnitudes[q]));
                if in_a >= DUPLICATE
                    || in_b >= DUPLICATE
                    || doc.sentences[j].span.slice(doc.text)
                        == doc.sentences[i].span.slice(doc.text)
                {
                    taken[q] = true;
                    continue;
                }
                closest[q] = closest[q].max(cosine);
            }
        }
        if opts.order == Order::Document {
            chosen.sort_by_key(|s| s.sentence_index);
        }
        chosen
    }
}

/// Share of the title's content words that the sentence has: `title_words` words, whose known
/// terms are those set in `in_title` (each term once in the title, as in the sentence).
fn title_overlap(sentence: &[(u32, f32)], in_title: &[bool], title_words: usize) -> f32 {
    if title_words == 0 {
        return 0.0;
    }
    let hits = sentence
        .iter()
        .filter(|&&(t, _)| in_title.get(t as usize).copied().unwrap_or(false))
        .count();
    hits as f32 / title_words as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Language;
    use proptest::prelude::*;

    fn prepared<'a>(text: &'a str, title: Option<&'a str>, lang: &str) -> Prepared<'a> {
        Prepared::new(
            text,
            title,
            Some(Language::from_tag(lang).expect("valid tag")),
        )
    }

    fn summarize(text: &str, title: Option<&str>, opts: &Options) -> Vec<String> {
        let doc = prepared(text, title, "en");
        let ranker = SummaryRanker;
        let ranking = ranker.score(&doc);
        ranker
            .select(&doc, &ranking, opts)
            .iter()
            .map(|s| s.span.slice(text).to_string())
            .collect()
    }

    fn count(k: usize) -> Options {
        Options {
            max_summary_sentences: k,
            ..Options::default()
        }
    }

    const STORY: &str = "Council approves new bridge over the river\n\
        The city council approved the construction of a new bridge over the river on Tuesday.\n\
        The bridge will connect the northern districts with the city centre and cost 40 million euros.\n\
        Work on the bridge is due to start next spring, the council said in a statement.\n\
        Residents of the northern districts have waited for a new crossing for more than twenty years.\n\
        The opposition criticised the cost of the bridge and asked for a public consultation.\n\
        The weather was mild and sunny for most of the afternoon in the region.\n\
        The mayor said the bridge would reduce traffic in the city centre by a third.";

    #[test]
    fn headline_is_a_signal_but_never_a_summary_sentence() {
        let picked = summarize(STORY, None, &count(20));
        assert!(!picked.iter().any(|s| s.starts_with("Council approves")));
        assert_eq!(picked.len(), 7, "every body sentence: {picked:?}");
        let top = summarize(STORY, None, &count(1));
        assert_eq!(
            top,
            ["The city council approved the construction of a new bridge over the river on Tuesday."]
        );
    }

    #[test]
    fn off_topic_sentences_rank_last() {
        let doc = prepared(STORY, None, "en");
        let ranking = SummaryRanker.score(&doc);
        let scores = &ranking.scores;
        let weather = doc
            .sentences
            .iter()
            .position(|s| s.span.slice(STORY).starts_with("The weather"))
            .expect("weather sentence");
        let body_min = (0..scores.len())
            .filter(|&i| doc.sentences[i].kind == SegmentKind::Body)
            .map(|i| scores[i])
            .fold(f32::MAX, f32::min);
        assert_eq!(scores[weather], body_min, "{scores:?}");
    }

    #[test]
    fn a_separate_title_steers_the_ranking() {
        let text = "The museum reopened its doors on Monday after two years of renovation work.\n\
            The football club announced the signing of a new striker from Brazil on Monday.\n\
            Visitors queued for hours to see the renovated rooms of the museum.\n\
            The striker will join the football club for the start of the season.";
        let museum = summarize(text, Some("Museum reopens after renovation"), &count(1));
        let club = summarize(
            text,
            Some("Football club signs Brazilian striker"),
            &count(1),
        );
        assert!(museum[0].contains("museum"), "{museum:?}");
        assert!(club[0].contains("football club"), "{club:?}");
    }

    #[test]
    fn a_repeated_sentence_is_chosen_once() {
        let text = "Bridge vote\n\
            The council approved the new bridge over the river after a long debate on Tuesday.\n\
            The bridge will cost 40 million euros and connect the northern districts to the centre.\n\
            The council approved the new bridge over the river after a long debate on Tuesday.\n\
            \"The council approved the new bridge over the river after a long debate,\" she wrote.\n\
            Opponents of the bridge said the river crossing was too expensive for the city.";
        let picked = summarize(text, None, &count(3));
        assert_eq!(picked.len(), 3, "{picked:?}");
        let repeats = picked
            .iter()
            .filter(|s| s.contains("approved the new bridge"))
            .count();
        assert_eq!(repeats, 1, "{picked:?}");
    }

    #[test]
    fn bylines_datelines_and_credits_are_never_chosen() {
        let text = "Storm hits the coast\n\
            By Jane Smith, BBC News\n\
            LONDON (Reuters) - A powerful storm hit the southern coast of England on Monday night.\n\
            Photo: Getty Images\n\
            The storm cut power to thousands of homes along the coast and flooded several roads.\n\
            Image caption: The storm flooded the coast road near Brighton\n\
            Forecasters said the storm would weaken as it moves north over the coming days.\n\
            Reporting by John Doe; Editing by Jane Roe";
        let picked = summarize(text, None, &count(10));
        assert_eq!(picked.len(), 3, "{picked:?}");
        for s in &picked {
            assert!(
                s.starts_with("A powerful")
                    || s.starts_with("The storm cut")
                    || s.starts_with("Forecasters"),
                "{s:?}"
            );
        }
    }

    #[test]
    fn ratio_and_character_budget_are_respected() {
        let half = Options {
            summary_ratio: Some(0.5),
            ..Options::default()
        };
        assert_eq!(summarize(STORY, None, &half).len(), 4, "ceil(7 * 0.5)");
        let budget = Options {
            max_summary_sentences: 5,
            summary_max_chars: Some(200),
            ..Options::default()
        };
        let picked = summarize(STORY, None, &budget);
        assert!(!picked.is_empty());
        let chars: usize = picked.iter().map(|s| s.chars().count()).sum();
        assert!(chars <= 200, "{chars} chars: {picked:?}");
        let tiny = Options {
            summary_max_chars: Some(10),
            ..Options::default()
        };
        assert!(summarize(STORY, None, &tiny).is_empty());
    }

    #[test]
    fn order_is_by_document_or_by_rank() {
        let doc = prepared(STORY, None, "en");
        let ranking = SummaryRanker.score(&doc);
        let by_doc = SummaryRanker.select(&doc, &ranking, &count(4));
        assert!(by_doc
            .windows(2)
            .all(|w| w[0].sentence_index < w[1].sentence_index));
        let by_rank = SummaryRanker.select(
            &doc,
            &ranking,
            &Options {
                max_summary_sentences: 4,
                order: Order::Rank,
                ..Options::default()
            },
        );
        assert!(
            by_rank.windows(2).all(|w| w[0].score >= w[1].score),
            "{by_rank:?}"
        );
        let mut a: Vec<usize> = by_doc.iter().map(|s| s.sentence_index).collect();
        let mut b: Vec<usize> = by_rank.iter().map(|s| s.sentence_index).collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
    }

    #[test]
    fn languages_without_data_still_get_a_summary() {
        let text = "Lorem ipsum dolor sit amet consectetur adipiscing elit sed do.\n\
            Ipsum dolor magna aliqua ut enim ad minim veniam quis nostrud.\n\
            Exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.";
        let doc = prepared(text, None, "la");
        let ranking = SummaryRanker.score(&doc);
        let picked = SummaryRanker.select(&doc, &ranking, &count(1));
        assert_eq!(picked.len(), 1);
        assert_eq!(picked[0].score, 1.0);
    }

    proptest! {
        #[test]
        fn summary_is_a_subset_of_the_sentences(
            text in "(([A-Za-zÀ-ÿ\"«»]{1,8}[ .,!?\n]{1,2}){0,60})",
            k in 0usize..6,
            ratio in proptest::option::of(0.01f32..1.0),
            budget in proptest::option::of(0usize..400),
            rank in any::<bool>(),
        ) {
            let doc = prepared(&text, None, "fr");
            let ranking = SummaryRanker.score(&doc);
        let scores = &ranking.scores;
            prop_assert_eq!(scores.len(), doc.sentences.len());
            prop_assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
            let opts = Options {
                max_summary_sentences: k,
                summary_ratio: ratio,
                summary_max_chars: budget,
                order: if rank { Order::Rank } else { Order::Document },
                ..Options::default()
            };
            let picked = SummaryRanker.select(&doc, &ranking, &opts);
            let mut seen = std::collections::HashSet::new();
            for s in &picked {
                let sentence = &doc.sentences[s.sentence_index];
                prop_assert_eq!(s.span, sentence.span);
                prop_assert_eq!(sentence.kind, SegmentKind::Body);
                prop_assert!(text.is_char_boundary(s.span.start) && text.is_char_boundary(s.span.end));
                prop_assert!((0.0..=1.0).contains(&s.score));
                prop_assert!(seen.insert(s.sentence_index));
            }
            if ratio.is_none() {
                prop_assert!(picked.len() <= k);
            }
            if let Some(b) = budget {
                let chars: usize = picked.iter().map(|s| s.span.slice(&text).chars().count()).sum();
                prop_assert!(chars <= b);
            }
        }
    }
}
