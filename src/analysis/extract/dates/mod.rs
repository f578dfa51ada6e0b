//! Temporal expressions, normalised to TIMEX3 values and resolved against an anchor date.
//!
//! # Design
//! One rule engine serves every language; what a language says lives in two data files of
//! `lexicon/<lang>/` (see [`lexicon`] for their format):
//! - `dates.txt` sorts words into classes (month and weekday names, number words, units, shifts such
//!   as "last"/"dernier", deictic words such as "yesterday"/"hier", vague references...);
//! - `date_patterns.txt` lists the word orders of the language as sequences of those classes and of
//!   built-in slots that read digits (`<day> <month> <year>?`, `<count> <unit> <ago>`).
//!
//! [`scan`] tokenises the text and matches the patterns leftmost-longest at word boundaries, filling a
//! [`resolve::Frame`] (which fields the words set: a month, a count, a shift...). [`resolve`] then turns
//! each frame into a value, in a language-independent way, against the anchor: the publication date
//! when the caller gives one, otherwise a full date that the text states near its start or marks as
//! the present ("ce 7 décembre 2021", "on Tuesday, December 7, 2021"). Without any anchor a relative
//! expression keeps its offset (`P-5Y`, `P-1D`) or its unknown parts (`XXXX-12-07`) and is marked
//! unresolved. A bare weekday is taken as the most recent one (news is mostly in the past tense)
//! unless a future cue of the language ("will", "va") comes just before it; a month or a day without
//! a year takes the year that puts it closest to the anchor.
//!
//! Spans follow TimeBank: prepositions stay out ("on Friday" -> "Friday"), determiners, modifiers and
//! approximations stay in ("the last two years", "nearly forty years", "early next year").

mod lexicon;
mod resolve;
mod scan;

use chrono::{NaiveDate, NaiveDateTime};

use super::super::analyzer::Prepared;
use super::super::output::{AnchorSource, DateAnchor, DateMention, DateRange};
use super::super::span::Span;
use lexicon::{Class, DateLexicon};
use resolve::{resolve, Frame, Tense, Value};
use scan::{Match, Tok};

/// How many sentences from the start may state the article's own date.
const DATELINE_SENTENCES: usize = 3;
/// How many sentences back a bare time of day looks for the day it belongs to.
const REFERENCE_SENTENCES: usize = 3;
/// How many tokens before an expression are searched for a future cue.
const TENSE_WINDOW: usize = 6;

/// Finds and normalises temporal expressions.
#[derive(Debug, Default)]
pub struct DateExtractor;

impl DateExtractor {
    /// Dates of the document and the anchor used.
    pub fn extract(
        &self,
        doc: &Prepared<'_>,
        published: Option<NaiveDateTime>,
    ) -> (Vec<DateMention>, Option<DateAnchor>) {
        let lex = lexicon::for_language(doc.data.code);
        let toks = scan::tokenize(doc.text);
        let matches = scan::find(lex, &toks);
        let anchor = match published {
            Some(p) => Some(DateAnchor {
                date: p.date(),
                source: AnchorSource::Published,
                span: None,
            }),
            None => text_anchor(doc, &toks, &matches),
        };
        let day = anchor.map(|a| a.date);
        // A bare time of day refers to the last day mentioned within a few sentences.
        let mut last_day: Option<(NaiveDate, usize)> = None;
        let mut dates = Vec::with_capacity(matches.len());
        for m in &matches {
            let sentence = doc.sentence_at(toks[m.first].start).unwrap_or(0);
            let reference = last_day
                .filter(|&(_, s)| sentence.saturating_sub(s) <= REFERENCE_SENTENCES)
                .map(|(d, _)| d)
                .or(day);
            let Some(mention) = mention(lex, &toks, m, day, reference) else {
                continue;
            };
            if let Some(d) = mention
                .value
                .get(..10)
                .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
            {
                last_day = Some((d, sentence));
            }
            dates.push(mention);
        }
        (dates, anchor)
    }
}

fn span_of(toks: &[Tok], m: &Match) -> Span {
    Span::new(toks[m.first].start, toks[m.end - 1].end)
}

/// The first full date stated near the start of the text, or anywhere when it is marked as the
/// present ("ce 7 décembre 2021") or carries its weekday.
fn text_anchor(doc: &Prepared<'_>, toks: &[Tok], matches: &[Match]) -> Option<DateAnchor> {
    matches.iter().find_map(|m| {
        let [f] = m.frames.as_slice() else {
            return None;
        };
        let date = f.full_date()?;
        let span = span_of(toks, m);
        let early = doc
            .sentence_at(span.start)
            .is_some_and(|s| s < DATELINE_SENTENCES);
        (early || f.shift == Some(0) || f.weekday.is_some()).then_some(DateAnchor {
            date,
            source: AnchorSource::Text,
            span: Some(span),
        })
    })
}

/// Whether a future cue comes shortly before token `first`, in the same clause.
fn tense_at(lex: &DateLexicon, toks: &[Tok], first: usize) -> Tense {
    let lo = first.saturating_sub(TENSE_WINDOW);
    for i in (lo..first).rev() {
        if matches!(toks[i].norm.as_str(), "." | ";" | "!" | "?") || toks[i + 1].hard_break {
            break;
        }
        if lex.lookup(Class::Future, toks, i).is_some() {
            return Tense::Future;
        }
    }
    Tense::Past
}

fn mention(
    lex: &DateLexicon,
    toks: &[Tok],
    m: &Match,
    anchor: Option<NaiveDate>,
    day: Option<NaiveDate>,
) -> Option<DateMention> {
    let tense = tense_at(lex, toks, m.first);
    let span = span_of(toks, m);
    let (v, range) = match m.frames.as_slice() {
        [f] => (resolve(f, anchor, day, tense)?, None),
        [start, end] => {
            let mut start: Frame = start.clone();
            start.inherit(end);
            let a = resolve(&start, anchor, day, tense)?;
            let b = resolve(end, anchor, day, tense)?;
            let range = DateRange {
                start: a.value.clone(),
                end: b.value.clone(),
                end_inclusive: true,
            };
            let v = Value {
                value: format!("{}/{}", a.value, b.value),
                anchored: a.anchored || b.anchored,
                resolved: a.resolved && b.resolved,
                ..a
            };
            (v, Some(range))
        }
        _ => return None,
    };
    Some(DateMention {
        span,
        value: v.value,
        kind: v.kind,
        grain: v.grain,
        anchored: v.anchored,
        resolved: v.resolved,
        range,
    })
}
