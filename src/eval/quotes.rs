//! Quote scoring.
//!
//! Gold quotations come from the attributions of the data: inside the content of every direct
//! attribution (each of its fragments when it has them), every run of 3 or more words between a pair of
//! quote marks is a gold quotation, with the attribution's speaker. Pairing follows news usage:
//! - `“…”`, `«…»`, `„…“`/`„…”`, `‹…›` and `‘…’` pair by shape; a straight `"` closes the innermost
//!   open straight quote, or opens one; writers mix straight and curly double quotes (`"…”`, `“…"`),
//!   so `”` also closes a straight `"`, and a `"` in closing position (after a non-space, before a
//!   non-letter) closes a curly `“`; only the outermost pairs are quotations (a quote inside a quote is
//!   part of it);
//! - a quote still open at the end of a paragraph runs to the end of it (a long quotation reopens each
//!   paragraph with a new opening mark and closes only the last one);
//! - content fragments separated by white space only are read as one, and a quote mark just outside a
//!   fragment belongs to it (annotators often leave the marks out).
//!
//! A predicted quote matches a gold quotation when their overlap covers at least half of the longer of
//! the two; predicted quotes of fewer than 3 words are not counted. The speaker of a matched quote is
//! right when the predicted speaker mention overlaps the gold one, or when the predicted speaker name
//! shares a content word (not a stop word) with the gold speaker.

use std::collections::HashSet;

use serde::Serialize;

use crate::analysis::lexicon::LanguageData;
use crate::analysis::{Feature, Span};

use super::data::Record;
use super::metrics::{match_items, overlap, unmatched, Accuracy, Counts, Criterion, Ratio, Score};
use super::rouge::words;
use super::{required, Case, ErrorKind, EvalError, Scorer, Task, TaskMetrics};

/// Fewest words of a quotation.
pub const MIN_WORDS: usize = 3;

/// Quote scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuoteMetrics {
    /// Quotations found (overlap of at least half of the longer span).
    pub quotes: Score,
    /// Speaker right among matched quotations.
    pub speaker: Accuracy,
    /// Predicted quotes of fewer than 3 words, not counted.
    pub short_predictions_ignored: usize,
}

/// A gold quotation, in code points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldQuote {
    /// The words between the marks.
    pub span: Span,
    /// The speaker as written.
    pub speaker: String,
    /// The speaker mention.
    pub speaker_span: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Straight,
    Curly,
    LowCurly,
    Guillemet,
    SingleGuillemet,
    CurlySingle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Open(Mark),
    /// Closes the innermost open mark of one of these shapes.
    Close(&'static [Mark]),
    /// A straight double quote: closes an open one, else opens.
    Toggle,
}

fn role(chars: &[char], i: usize) -> Option<Role> {
    let letter_before = i > 0 && chars[i - 1].is_alphanumeric();
    let letter_after = chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
    Some(match chars[i] {
        '"' | '＂' => Role::Toggle,
        '“' => Role::Open(Mark::Curly),
        '”' => Role::Close(&[Mark::Curly, Mark::LowCurly, Mark::Straight]),
        '„' => Role::Open(Mark::LowCurly),
        '«' => Role::Open(Mark::Guillemet),
        '»' => Role::Close(&[Mark::Guillemet]),
        '‹' => Role::Open(Mark::SingleGuillemet),
        '›' => Role::Close(&[Mark::SingleGuillemet]),
        // ‘ opens only at the start of a word; ’ between letters is an apostrophe.
        '‘' if !letter_before => Role::Open(Mark::CurlySingle),
        '’' if !(letter_before && letter_after) => Role::Close(&[Mark::CurlySingle]),
        _ => return None,
    })
}

/// The outermost quoted runs of `chars[range]` (a single paragraph), without the marks.
fn quoted_runs(chars: &[char], range: Span, out: &mut Vec<Span>) {
    let mut stack: Vec<Mark> = Vec::new();
    let mut open_at = range.start;
    for i in range.start..range.end {
        let Some(r) = role(chars, i) else { continue };
        let closing_position = i > range.start
            && !chars[i - 1].is_whitespace()
            && !chars.get(i + 1).is_some_and(|c| c.is_alphanumeric());
        let straight_closes: &[Mark] = if closing_position {
            &[Mark::Straight, Mark::Curly, Mark::LowCurly]
        } else {
            &[Mark::Straight]
        };
        let opens = match r {
            Role::Open(m) => Some(m),
            Role::Toggle if !stack.iter().any(|m| straight_closes.contains(m)) => {
                Some(Mark::Straight)
            }
            Role::Toggle | Role::Close(_) => None,
        };
        if let Some(m) = opens {
            // A closing-only curly quote (`„…“`) reads as the close of a low opening mark.
            if chars[i] == '“' && stack.last() == Some(&Mark::LowCurly) {
                stack.pop();
                if stack.is_empty() {
                    out.push(Span::new(open_at, i));
                }
                continue;
            }
            if stack.is_empty() {
                open_at = i + 1;
            }
            stack.push(m);
            continue;
        }
        let shapes: &[Mark] = match r {
            Role::Close(shapes) => shapes,
            _ => straight_closes,
        };
        if let Some(depth) = stack.iter().rposition(|m| shapes.contains(m)) {
            stack.truncate(depth);
            if stack.is_empty() {
                out.push(Span::new(open_at, i));
            }
        }
    }
    if matches!(
        stack.first(),
        Some(Mark::Straight | Mark::Curly | Mark::LowCurly | Mark::Guillemet)
    ) {
        out.push(Span::new(open_at, range.end));
    }
}

/// The content segments of an attribution: fragments (or the whole content), each widened to an
/// adjacent quote mark, joined when only white space separates them.
fn content_segments(chars: &[char], span: Span, fragments: &[Span]) -> Vec<Span> {
    let mut segs: Vec<Span> = if fragments.is_empty() {
        vec![span]
    } else {
        fragments.to_vec()
    };
    segs.sort_unstable();
    let is_mark = |i: usize| role(chars, i).is_some();
    for s in &mut segs {
        if s.start > 0 && is_mark(s.start - 1) {
            s.start -= 1;
        }
        if s.end < chars.len() && is_mark(s.end) {
            s.end += 1;
        }
    }
    let mut merged: Vec<Span> = Vec::with_capacity(segs.len());
    for s in segs {
        match merged.last_mut() {
            Some(last)
                if s.start <= last.end
                    || chars[last.end..s.start].iter().all(|c| c.is_whitespace()) =>
            {
                last.end = last.end.max(s.end);
            }
            _ => merged.push(s),
        }
    }
    merged
}

fn trim(chars: &[char], mut s: Span) -> Span {
    while s.start < s.end && chars[s.start].is_whitespace() {
        s.start += 1;
    }
    while s.end > s.start && chars[s.end - 1].is_whitespace() {
        s.end -= 1;
    }
    s
}

/// The gold quotations of a record (sorted, without duplicates).
pub fn gold_quotes(record: &Record) -> Vec<GoldQuote> {
    let Some(attributions) = &record.attributions else {
        return Vec::new();
    };
    let chars: Vec<char> = record.text.chars().collect();
    let mut out: Vec<GoldQuote> = Vec::new();
    let mut runs = Vec::new();
    for a in attributions.iter().filter(|a| a.direct) {
        runs.clear();
        for seg in content_segments(&chars, a.span, &a.fragments) {
            // Each paragraph on its own.
            let mut start = seg.start;
            for i in seg.start..=seg.end {
                if i == seg.end || chars[i] == '\n' {
                    quoted_runs(&chars, Span::new(start, i), &mut runs);
                    start = i + 1;
                }
            }
        }
        for &run in &runs {
            let span = trim(&chars, run);
            if words(record.slice(span)).count() >= MIN_WORDS {
                out.push(GoldQuote {
                    span,
                    speaker: a.speaker.clone(),
                    speaker_span: a.speaker_span,
                });
            }
        }
    }
    out.sort_by_key(|q| q.span);
    out.dedup_by_key(|q| q.span);
    out
}

/// The content words of a name, lower-cased.
fn content_words(name: &str, data: &LanguageData) -> HashSet<String> {
    words(name)
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() > 1 && !data.is_stopword(w))
        .collect()
}

/// Whether a predicted speaker is the gold one.
pub fn speaker_right(
    gold: &GoldQuote,
    name: Option<&str>,
    mention: Option<Span>,
    data: &LanguageData,
) -> bool {
    if let (Some(g), Some(p)) = (gold.speaker_span, mention) {
        if overlap(g, p) > 0 {
            return true;
        }
    }
    name.is_some_and(|n| {
        let gold_words = content_words(&gold.speaker, data);
        content_words(n, data)
            .iter()
            .any(|w| gold_words.contains(w))
    })
}

#[derive(Debug, Default)]
pub(super) struct QuoteScorer {
    quotes: Counts,
    speaker: Ratio,
    short: usize,
}

struct Predicted<'a> {
    span: Span,
    speaker: Option<&'a str>,
    speaker_span: Option<Span>,
}

impl Scorer for QuoteScorer {
    fn feature(&self) -> Feature {
        Feature::Quotes
    }

    fn add(&mut self, mut case: Case<'_>) -> Result<(), EvalError> {
        let record = case.record;
        required(record.attributions.as_ref(), record, "quotes", Task::Quotes)?;
        let gold = gold_quotes(record);
        let mut pred = Vec::with_capacity(case.analysis.quotes.len());
        for q in &case.analysis.quotes {
            if words(q.span.slice(&record.text)).count() < MIN_WORDS {
                self.short += 1;
                continue;
            }
            pred.push(Predicted {
                span: record.cps.span_to_cp(q.span),
                speaker: q.speaker.as_deref(),
                speaker_span: q.speaker_span.map(|s| record.cps.span_to_cp(s)),
            });
        }
        let pairs = match_items(
            &gold,
            &pred,
            |g| g.span,
            |p| p.span,
            Criterion::HalfOfLonger,
            |_, _| true,
        );
        self.quotes.add(pairs.len(), pred.len(), gold.len());
        let data = LanguageData::default_for(&case.analysis.language.primary);
        let wrong: Vec<(usize, usize)> = pairs
            .iter()
            .copied()
            .filter(|&(i, j)| {
                let right = speaker_right(&gold[i], pred[j].speaker, pred[j].speaker_span, data);
                self.speaker.add(right);
                !right
            })
            .collect();
        case.list(
            ErrorKind::Miss,
            &gold,
            unmatched(gold.len(), &pairs, |p| p.0),
            |g| {
                (
                    g.span,
                    format!("speaker {}", describe(record, &g.speaker, g.speaker_span)),
                )
            },
        );
        case.list(
            ErrorKind::FalseAlarm,
            &pred,
            unmatched(pred.len(), &pairs, |p| p.1),
            |p| {
                (
                    p.span,
                    format!(
                        "speaker {}",
                        describe(record, p.speaker.unwrap_or(""), p.speaker_span)
                    ),
                )
            },
        );
        case.list(
            ErrorKind::WrongSpeaker,
            &wrong,
            0..wrong.len(),
            |&(i, j)| {
                let (g, p) = (&gold[i], &pred[j]);
                let detail = format!(
                    "gold {}, predicted {}",
                    describe(record, &g.speaker, g.speaker_span),
                    describe(record, p.speaker.unwrap_or(""), p.speaker_span)
                );
                (p.span, detail)
            },
        );
        Ok(())
    }

    fn finish(&self) -> TaskMetrics {
        TaskMetrics::Quotes(QuoteMetrics {
            quotes: self.quotes.into(),
            speaker: self.speaker.into(),
            short_predictions_ignored: self.short,
        })
    }
}

/// A speaker for messages: the name, and the mention with its offsets.
fn describe(record: &Record, name: &str, mention: Option<Span>) -> String {
    match mention {
        Some(s) if record.slice(s) == name => format!("{name:?} at {}..{}", s.start, s.end),
        Some(s) => format!("{name:?} ({:?} at {}..{})", record.slice(s), s.start, s.end),
        None if name.is_empty() => "none".to_string(),
        None => format!("{name:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: &str, quotes: &str) -> Record {
        let json = format!(
            r#"{{"id":"t","lang":"en","text":{},"quotes":{quotes}}}"#,
            serde_json::to_string(text).unwrap()
        );
        Record::parse(&json, 1).unwrap()
    }

    fn gold_texts(r: &Record) -> Vec<String> {
        gold_quotes(r)
            .iter()
            .map(|q| r.slice(q.span).to_string())
            .collect()
    }

    #[test]
    fn runs_between_marks_inside_direct_content() {
        // Content: `that the team would "keep the details under wraps" for now`, then a short quote.
        let text =
            "The Post reported that the team would \"keep the details under wraps\" for now \
                    and \"no comment\" too.";
        let r = record(
            text,
            r#"[{"start":18,"end":98,"speaker":"The Post","speaker_start":0,"speaker_end":8,"direct":true}]"#,
        );
        assert_eq!(gold_texts(&r), ["keep the details under wraps"]);
        let q = &gold_quotes(&r)[0];
        assert_eq!(q.speaker, "The Post");
        assert_eq!(q.speaker_span, Some(Span::new(0, 8)));
        // The same attribution marked indirect gives nothing.
        let r = record(
            text,
            r#"[{"start":18,"end":98,"speaker":"x","direct":false}]"#,
        );
        assert!(gold_quotes(&r).is_empty());
    }

    #[test]
    fn fragments_marks_outside_and_nesting() {
        // Fragments leave the marks out; the quote inside the quote is part of it.
        let text = "“We will win, ‘come what may’, believe me,” said Ann. “Nobody stops us now.”";
        let r = record(
            text,
            r#"[{"start":0,"end":76,"speaker":"Ann","speaker_start":49,"speaker_end":52,
                 "direct":true,"fragments":[[1,42],[55,75]]}]"#,
        );
        assert_eq!(
            gold_texts(&r),
            [
                "We will win, ‘come what may’, believe me,",
                "Nobody stops us now."
            ]
        );
    }

    #[test]
    fn mixed_marks_and_paragraph_reopening() {
        // `"…”` pairs; a quote reopened at the next paragraph runs to the end of the first.
        let text = "He said \"this is a mess” today.\n\"First part goes on\n\"and it ends here.\"";
        let r = record(
            text,
            r#"[{"start":0,"end":71,"speaker":"He","speaker_start":0,"speaker_end":2,"direct":true}]"#,
        );
        assert_eq!(
            gold_texts(&r),
            ["this is a mess", "First part goes on", "and it ends here."]
        );
        // An apostrophe is not a quote mark; `“…"` in closing position pairs too.
        let text = "Ann’s view: “it’s the voters' choice, period\" she said.";
        let r = record(
            text,
            r#"[{"start":12,"end":45,"speaker":"Ann","speaker_start":0,"speaker_end":3,"direct":true}]"#,
        );
        assert_eq!(gold_texts(&r), ["it’s the voters' choice, period"]);
    }

    #[test]
    fn speakers_by_mention_or_content_word() {
        let data = LanguageData::default_for("en");
        let gold = GoldQuote {
            span: Span::new(0, 10),
            speaker: "Senator John Smith".into(),
            speaker_span: Some(Span::new(20, 38)),
        };
        assert!(speaker_right(&gold, Some("Smith"), None, data));
        assert!(speaker_right(&gold, None, Some(Span::new(30, 40)), data));
        assert!(!speaker_right(
            &gold,
            Some("Jane Doe"),
            Some(Span::new(40, 50)),
            data
        ));
        assert!(!speaker_right(&gold, None, None, data));
        // A pronoun speaker shares no content word with anyone.
        let pronoun = GoldQuote {
            speaker: "he".into(),
            speaker_span: Some(Span::new(20, 22)),
            ..gold
        };
        assert!(!speaker_right(&pronoun, Some("he"), None, data));
        assert!(speaker_right(
            &pronoun,
            Some("Smith"),
            Some(Span::new(20, 22)),
            data
        ));
    }
}
