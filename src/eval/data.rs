//! Labelled records (`/work/shared/eval/FORMAT.md`): one JSON object a line, offsets in Unicode code
//! points.
//!
//! Every gold offset is checked against the text when the record is read, so that the scorers can slice
//! without fear. The scorers compare spans in code points: predicted byte spans are converted with
//! [`CodePoints::span_to_cp`].

use std::io::BufRead;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

use crate::analysis::{Language, Span};

use super::EvalError;

/// Byte offset of every code point of a text, to convert between the two.
#[derive(Debug, Clone)]
pub struct CodePoints {
    /// `byte_of[i]` is the byte offset of code point `i`; the last entry is the text's length.
    byte_of: Vec<usize>,
}

impl CodePoints {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut byte_of: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        byte_of.push(text.len());
        CodePoints { byte_of }
    }

    /// Number of code points.
    pub fn len(&self) -> usize {
        self.byte_of.len() - 1
    }

    /// True for the empty text.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The code point offset of a byte offset (of the first code point at or after it).
    pub fn to_cp(&self, byte: usize) -> usize {
        self.byte_of.partition_point(|&b| b < byte)
    }

    /// A byte span converted to code points.
    pub fn span_to_cp(&self, span: Span) -> Span {
        Span::new(self.to_cp(span.start), self.to_cp(span.end))
    }

    /// A code point span converted to bytes, `None` when it is out of range or reversed.
    pub fn span_to_bytes(&self, span: Span) -> Option<Span> {
        if span.start > span.end {
            return None;
        }
        let start = *self.byte_of.get(span.start)?;
        let end = *self.byte_of.get(span.end)?;
        Some(Span::new(start, end))
    }
}

/// A gold span with a label (entity type or TIMEX3 type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    /// Where it is, in code points.
    pub span: Span,
    /// Its label (`PER`, `DATE`, ...).
    pub label: String,
    /// Its normalised value (TIMEX3 `value`), empty when it has none.
    pub value: String,
}

/// An attribution of PolNeAR: a source, a cue and the content attributed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// The whole content, in code points.
    pub span: Span,
    /// The parts of the content when it is discontinuous; empty when it is `span` alone.
    pub fragments: Vec<Span>,
    /// The speaker as written (may be a pronoun).
    pub speaker: String,
    /// The speaker mention, in code points, when it is in the text.
    pub speaker_span: Option<Span>,
    /// Whether the attribution is direct speech.
    pub direct: bool,
}

/// The reference of a summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SummaryRef {
    /// Sentences of the article (BBC): their spans in code points and their texts.
    Extractive(Vec<(Span, String)>),
    /// A written summary (OrangeSum).
    Abstractive(String),
}

/// One labelled article.
#[derive(Debug, Clone)]
pub struct Record {
    /// Identifier.
    pub id: String,
    /// Language tag.
    pub lang: String,
    /// The language, as the caller of the analyzer gives it.
    pub language: Language,
    /// The article.
    pub text: String,
    /// Headline, when the record gives one apart.
    pub title: Option<String>,
    /// Publication time (midnight when only the day is known).
    pub published: Option<NaiveDateTime>,
    /// Code point index of `text`.
    pub cps: CodePoints,
    /// Summary reference, if the record has one.
    pub summary: Option<SummaryRef>,
    /// Named entities, if the record has them.
    pub entities: Option<Vec<Labelled>>,
    /// Temporal expressions, if the record has them.
    pub timexes: Option<Vec<Labelled>>,
    /// Attributions, if the record has them.
    pub attributions: Option<Vec<Attribution>>,
}

impl Record {
    /// The text under a code point span (empty when out of range).
    pub fn slice(&self, span: Span) -> &str {
        self.cps
            .span_to_bytes(span)
            .map_or("", |b| b.slice(&self.text))
    }

    /// Parses one line of a JSONL file; `line` (1-based) is for messages.
    pub fn parse(json: &str, line: usize) -> Result<Record, EvalError> {
        let raw: RawRecord = serde_json::from_str(json).map_err(|e| EvalError::Json {
            line,
            message: e.to_string(),
        })?;
        let bad = |message: String| EvalError::Record {
            line,
            id: raw.id.clone(),
            message,
        };
        let language = Language::from_tag(&raw.lang).map_err(|e| bad(e.to_string()))?;
        let cps = CodePoints::new(&raw.text);
        let n = cps.len();
        let span = |start: usize, end: usize, what: &str| -> Result<Span, EvalError> {
            if start <= end && end <= n {
                Ok(Span::new(start, end))
            } else {
                Err(bad(format!(
                    "{what} offsets {start}..{end} outside the text ({n} code points)"
                )))
            }
        };
        let published = match raw.published.as_deref() {
            None => None,
            Some(s) => {
                Some(parse_published(s).ok_or_else(|| bad(format!("unreadable published {s:?}")))?)
            }
        };
        let summary = match (&raw.summary_sentences, &raw.summary) {
            (Some(sents), _) => Some(SummaryRef::Extractive(
                sents
                    .iter()
                    .map(|s| Ok((span(s.start, s.end, "summary sentence")?, s.text.clone())))
                    .collect::<Result<_, EvalError>>()?,
            )),
            (None, Some(text)) => Some(SummaryRef::Abstractive(text.clone())),
            (None, None) => None,
        };
        let labelled = |items: &Option<Vec<RawLabelled>>, what: &str| {
            items
                .as_ref()
                .map(|v| {
                    v.iter()
                        .map(|e| {
                            Ok(Labelled {
                                span: span(e.start, e.end, what)?,
                                label: e.kind.clone(),
                                value: e.value.clone().unwrap_or_default(),
                            })
                        })
                        .collect::<Result<Vec<_>, EvalError>>()
                })
                .transpose()
        };
        let entities = labelled(&raw.entities, "entity")?;
        let timexes = labelled(&raw.timexes, "timex")?;
        let attributions = raw
            .quotes
            .as_ref()
            .map(|v| {
                v.iter()
                    .map(|q| {
                        let speaker_span = match (q.speaker_start, q.speaker_end) {
                            (Some(s), Some(e)) if s < e => Some(span(s, e, "speaker")?),
                            _ => None,
                        };
                        let fragments = q
                            .fragments
                            .iter()
                            .map(|&[s, e]| span(s, e, "fragment"))
                            .collect::<Result<Vec<_>, _>>()?;
                        // With fragments out of order, `start..end` runs from the first fragment's
                        // start to the last one's end, which may be reversed: take their hull.
                        let hull = match (
                            fragments.iter().map(|f| f.start).min(),
                            fragments.iter().map(|f| f.end).max(),
                        ) {
                            (Some(s), Some(e)) if q.start > q.end => Span::new(s, e),
                            _ => span(q.start, q.end, "quote")?,
                        };
                        Ok(Attribution {
                            span: hull,
                            fragments,
                            speaker: q.speaker.clone().unwrap_or_default(),
                            speaker_span,
                            direct: q.direct,
                        })
                    })
                    .collect::<Result<Vec<_>, EvalError>>()
            })
            .transpose()?;
        Ok(Record {
            id: raw.id,
            lang: raw.lang,
            language,
            title: raw.title,
            published,
            cps,
            summary,
            entities,
            timexes,
            attributions,
            text: raw.text,
        })
    }
}

/// Reads up to `limit` records of a JSONL file (blank lines skipped).
pub fn read_records(path: &Path, limit: Option<usize>) -> Result<Vec<Record>, EvalError> {
    let file = std::fs::File::open(path).map_err(|e| EvalError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        if limit.is_some_and(|n| out.len() >= n) {
            break;
        }
        let line = line.map_err(|e| EvalError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(Record::parse(&line, i + 1)?);
    }
    Ok(out)
}

/// Parses `YYYY-MM-DD` (midnight), `YYYY-MM-DDTHH:MM[:SS]` or an RFC 3339 time (its local wall clock).
pub fn parse_published(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(dt.naive_local());
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

#[derive(Deserialize)]
struct RawRecord {
    id: String,
    lang: String,
    text: String,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    summary_sentences: Option<Vec<RawSentence>>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    entities: Option<Vec<RawLabelled>>,
    #[serde(default)]
    timexes: Option<Vec<RawLabelled>>,
    #[serde(default)]
    quotes: Option<Vec<RawQuote>>,
}

#[derive(Deserialize)]
struct RawSentence {
    text: String,
    start: usize,
    end: usize,
}

#[derive(Deserialize)]
struct RawLabelled {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    value: Option<String>,
    start: usize,
    end: usize,
}

#[derive(Deserialize)]
struct RawQuote {
    start: usize,
    end: usize,
    #[serde(default)]
    speaker: Option<String>,
    #[serde(default)]
    speaker_start: Option<usize>,
    #[serde(default)]
    speaker_end: Option<usize>,
    #[serde(default)]
    direct: bool,
    #[serde(default)]
    fragments: Vec<[usize; 2]>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_convert_both_ways() {
        let cps = CodePoints::new("é😀a");
        assert_eq!(cps.len(), 3);
        assert_eq!(cps.span_to_cp(Span::new(2, 7)), Span::new(1, 3));
        assert_eq!(cps.span_to_bytes(Span::new(1, 3)), Some(Span::new(2, 7)));
        assert_eq!(cps.span_to_bytes(Span::new(1, 4)), None);
    }

    #[test]
    fn published_formats() {
        let p = |s| parse_published(s).map(|d| d.to_string());
        assert_eq!(p("1998-01-08").as_deref(), Some("1998-01-08 00:00:00"));
        assert_eq!(
            p("1990-08-15T13:37").as_deref(),
            Some("1990-08-15 13:37:00")
        );
        assert_eq!(
            p("1990-08-15T13:37:05").as_deref(),
            Some("1990-08-15 13:37:05")
        );
        assert_eq!(
            p("2021-12-07T14:30:00+01:00").as_deref(),
            Some("2021-12-07 14:30:00")
        );
        assert_eq!(p("yesterday"), None);
    }

    #[test]
    fn records_are_checked() {
        let ok = r#"{"id":"a","lang":"fr","text":"Le 5 mai à Paris.","published":"2021-05-07",
            "timexes":[{"text":"5 mai","type":"DATE","value":"2021-05-05","start":3,"end":8}]}"#;
        let r = Record::parse(ok, 1).unwrap();
        let t = &r.timexes.as_ref().unwrap()[0];
        assert_eq!(r.slice(t.span), "5 mai");
        assert_eq!(t.value, "2021-05-05");
        let bad =
            r#"{"id":"b","lang":"fr","text":"abc","entities":[{"type":"PER","start":1,"end":9}]}"#;
        assert!(matches!(
            Record::parse(bad, 3),
            Err(EvalError::Record { line: 3, .. })
        ));
        assert!(matches!(
            Record::parse("{", 4),
            Err(EvalError::Json { line: 4, .. })
        ));
    }
}
