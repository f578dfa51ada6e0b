//! Conversions between the protobuf messages and the analysis core's types.
//!
//! Validation happens here: a request that cannot become a [`Document`] and [`Options`] is rejected with
//! every field violation found, not only the first.

use chrono::DateTime;

use super::error::{FieldViolation, ServiceError};
use super::pb;
use crate::analysis::offsets::convert_offsets;
use crate::analysis::{
    Analysis, AnchorSource, DateKind, Document, Feature, Grain, Language, LanguageSource,
    OffsetEncoding, Options, Order, PartyKind, Span, TimeZoneSpec,
};

/// A validated request.
#[derive(Debug, Clone)]
pub struct ValidRequest {
    /// The caller's id, echoed back.
    pub request_id: String,
    /// The article.
    pub document: Document,
    /// What to compute.
    pub options: Options,
    /// Offset encoding of the response.
    pub encoding: OffsetEncoding,
}

impl ValidRequest {
    /// Validates a request; `max_text_bytes` is the server's size limit.
    pub fn from_proto(
        req: pb::AnalyzeRequest,
        max_text_bytes: usize,
    ) -> Result<Self, ServiceError> {
        let mut violations = Vec::new();
        let Some(doc) = req.document else {
            return Err(ServiceError::InvalidArgument(vec![FieldViolation::new(
                "document",
                "is required",
            )]));
        };
        if doc.text.len() > max_text_bytes {
            return Err(ServiceError::TooLarge {
                len: doc.text.len(),
                limit: max_text_bytes,
            });
        }
        if doc.text.trim().is_empty() {
            violations.push(FieldViolation::new(
                "document.text",
                "must not be empty or blank",
            ));
        }
        let language = if doc.language_code.trim().is_empty() {
            None
        } else {
            match Language::from_tag(doc.language_code.trim()) {
                Ok(l) => Some(l),
                Err(e) => {
                    violations.push(FieldViolation::new("document.language_code", e.to_string()));
                    None
                }
            }
        };
        let zone = match TimeZoneSpec::parse(&doc.time_zone) {
            Ok(z) => Some(z),
            Err(e) => {
                violations.push(FieldViolation::new("document.time_zone", e.to_string()));
                None
            }
        };
        let published = match (&doc.published_at, zone) {
            (Some(ts), Some(zone)) => {
                let nanos = u32::try_from(ts.nanos).ok().filter(|n| *n < 1_000_000_000);
                match nanos.and_then(|n| DateTime::from_timestamp(ts.seconds, n)) {
                    Some(utc) => Some(zone.local(utc)),
                    None => {
                        violations.push(FieldViolation::new(
                            "document.published_at",
                            "is not a valid timestamp",
                        ));
                        None
                    }
                }
            }
            _ => None,
        };
        let opts = req.options.unwrap_or_default();
        let options = options_from_proto(&opts, &mut violations);
        let encoding = match pb::OffsetEncoding::try_from(opts.offset_encoding) {
            Ok(pb::OffsetEncoding::Unspecified | pb::OffsetEncoding::Utf8) => OffsetEncoding::Utf8,
            Ok(pb::OffsetEncoding::Utf16) => OffsetEncoding::Utf16,
            Ok(pb::OffsetEncoding::CodePoint) => OffsetEncoding::CodePoint,
            Err(_) => {
                violations.push(FieldViolation::new(
                    "options.offset_encoding",
                    format!("unknown offset encoding {}", opts.offset_encoding),
                ));
                OffsetEncoding::Utf8
            }
        };
        if !violations.is_empty() {
            return Err(ServiceError::InvalidArgument(violations));
        }
        let title = Some(doc.title).filter(|t| !t.trim().is_empty());
        Ok(ValidRequest {
            request_id: req.request_id,
            document: Document {
                text: doc.text,
                title,
                language,
                published,
            },
            options,
            encoding,
        })
    }
}

fn options_from_proto(o: &pb::AnalyzeOptions, violations: &mut Vec<FieldViolation>) -> Options {
    let mut options = Options::default();
    if !o.features.is_empty() {
        options.features.clear();
        for &f in &o.features {
            let feature = match pb::Feature::try_from(f) {
                Ok(pb::Feature::Summary) => Feature::Summary,
                Ok(pb::Feature::Quotes) => Feature::Quotes,
                Ok(pb::Feature::Parties) => Feature::Parties,
                Ok(pb::Feature::Dates) => Feature::Dates,
                Ok(pb::Feature::Sentences) => Feature::Sentences,
                Ok(pb::Feature::Unspecified) => continue,
                Err(_) => {
                    violations.push(FieldViolation::new(
                        "options.features",
                        format!("unknown feature {f}"),
                    ));
                    continue;
                }
            };
            if !options.features.contains(&feature) {
                options.features.push(feature);
            }
        }
        if options.features.is_empty() {
            options.features = Options::DEFAULT_FEATURES.to_vec();
        }
    }
    if o.max_summary_sentences > 0 {
        options.max_summary_sentences = o.max_summary_sentences as usize;
    }
    if o.max_quotes > 0 {
        options.max_quotes = Some(o.max_quotes as usize);
    }
    if o.summary_ratio != 0.0 {
        if o.summary_ratio.is_finite() && o.summary_ratio > 0.0 && o.summary_ratio <= 1.0 {
            options.summary_ratio = Some(o.summary_ratio);
        } else {
            violations.push(FieldViolation::new(
                "options.summary_ratio",
                "must be in (0, 1]",
            ));
        }
    }
    if o.summary_max_chars > 0 {
        options.summary_max_chars = Some(o.summary_max_chars as usize);
    }
    options.order = match pb::ResultOrder::try_from(o.order) {
        Ok(pb::ResultOrder::Rank) => Order::Rank,
        Ok(_) => Order::Document,
        Err(_) => {
            violations.push(FieldViolation::new(
                "options.order",
                format!("unknown order {}", o.order),
            ));
            Order::Document
        }
    };
    options
}

fn text_span(s: Span) -> Option<pb::TextSpan> {
    Some(pb::TextSpan {
        begin: s.start as u32,
        end: s.end as u32,
    })
}

/// Builds the response: slices every text from byte spans, then converts all offsets to `encoding` in
/// one pass over the text.
pub fn response_from_analysis(
    request_id: String,
    text: &str,
    mut analysis: Analysis,
    encoding: OffsetEncoding,
) -> pb::AnalyzeResponse {
    // Texts first, while the spans are still byte offsets.
    let slice = |s: Span| s.slice(text).to_string();
    let sentence_texts: Vec<String> = analysis.sentences.iter().map(|s| slice(s.span)).collect();
    let summary_texts: Vec<String> = analysis.summary.iter().map(|s| slice(s.span)).collect();
    let quote_texts: Vec<(String, String)> = analysis
        .quotes
        .iter()
        .map(|q| (slice(q.span), q.cue.map(slice).unwrap_or_default()))
        .collect();
    let mention_texts: Vec<Vec<String>> = analysis
        .parties
        .iter()
        .map(|p| p.mentions.iter().map(|m| slice(*m)).collect())
        .collect();
    let date_texts: Vec<String> = analysis.dates.iter().map(|d| slice(d.span)).collect();

    let mut offsets: Vec<usize> = Vec::new();
    analysis.for_each_offset_mut(|o| offsets.push(*o));
    {
        let mut refs: Vec<&mut usize> = offsets.iter_mut().collect();
        convert_offsets(text, encoding, &mut refs);
    }
    let mut it = offsets.into_iter();
    analysis.for_each_offset_mut(|o| *o = it.next().unwrap_or(*o));

    pb::AnalyzeResponse {
        request_id,
        language_code: analysis.language.tag.clone(),
        language_source: match analysis.language.source {
            LanguageSource::Request => pb::LanguageSource::Request,
            LanguageSource::Detected => pb::LanguageSource::Detected,
            LanguageSource::Undetermined => pb::LanguageSource::Undetermined,
        } as i32,
        sentences: analysis
            .sentences
            .iter()
            .zip(sentence_texts)
            .map(|(s, text)| pb::Sentence {
                text,
                span: text_span(s.span),
                is_headline: s.is_headline,
            })
            .collect(),
        summary: analysis
            .summary
            .iter()
            .zip(summary_texts)
            .map(|(s, text)| pb::SummarySentence {
                text,
                span: text_span(s.span),
                score: s.score,
                sentence_index: s.sentence_index as u32,
            })
            .collect(),
        quotes: analysis
            .quotes
            .iter()
            .zip(quote_texts)
            .map(|(q, (text, cue))| pb::Quote {
                text,
                span: text_span(q.span),
                speaker: q.speaker.clone().unwrap_or_default(),
                speaker_span: q.speaker_span.and_then(text_span),
                speaker_party_index: q.speaker_party.map(|i| i as u32),
                cue,
                cue_span: q.cue.and_then(text_span),
                score: q.score,
            })
            .collect(),
        parties: analysis
            .parties
            .iter()
            .zip(mention_texts)
            .map(|(p, texts)| pb::Party {
                name: p.name.clone(),
                r#type: match p.kind {
                    PartyKind::Person => pb::PartyType::Person,
                    PartyKind::Organization => pb::PartyType::Organization,
                    PartyKind::Location => pb::PartyType::Location,
                } as i32,
                mentions: p
                    .mentions
                    .iter()
                    .zip(texts)
                    .map(|(m, text)| pb::Mention {
                        text,
                        span: text_span(*m),
                    })
                    .collect(),
                salience: p.salience,
                role: p.role.clone().unwrap_or_default(),
            })
            .collect(),
        dates: analysis
            .dates
            .iter()
            .zip(date_texts)
            .map(|(d, text)| pb::DateMention {
                text,
                span: text_span(d.span),
                value: d.value.clone(),
                r#type: match d.kind {
                    DateKind::Date => pb::DateType::Date,
                    DateKind::Time => pb::DateType::Time,
                    DateKind::Duration => pb::DateType::Duration,
                    DateKind::Set => pb::DateType::Set,
                } as i32,
                grain: match d.grain {
                    None => pb::DateGrain::Unspecified,
                    Some(Grain::Year) => pb::DateGrain::Year,
                    Some(Grain::Quarter) => pb::DateGrain::Quarter,
                    Some(Grain::Month) => pb::DateGrain::Month,
                    Some(Grain::Week) => pb::DateGrain::Week,
                    Some(Grain::Day) => pb::DateGrain::Day,
                    Some(Grain::Hour) => pb::DateGrain::Hour,
                    Some(Grain::Minute) => pb::DateGrain::Minute,
                    Some(Grain::Second) => pb::DateGrain::Second,
                } as i32,
                anchored: d.anchored,
                resolved: d.resolved,
                range_start: d
                    .range
                    .as_ref()
                    .map(|r| r.start.clone())
                    .unwrap_or_default(),
                range_end: d.range.as_ref().map(|r| r.end.clone()).unwrap_or_default(),
                range_end_inclusive: d.range.as_ref().is_some_and(|r| r.end_inclusive),
            })
            .collect(),
        date_anchor: analysis.anchor.map(|a| pb::DateAnchor {
            date: a.date.format("%Y-%m-%d").to_string(),
            source: match a.source {
                AnchorSource::Published => pb::AnchorSource::PublishedAt,
                AnchorSource::Text => pb::AnchorSource::Text,
            } as i32,
            span: a.span.and_then(text_span),
        }),
        error: None,
    }
}

/// A stream or batch item that failed.
pub fn error_response(request_id: String, err: &ServiceError) -> pb::AnalyzeResponse {
    pb::AnalyzeResponse {
        request_id,
        error: Some(err.to_rpc_status()),
        ..Default::default()
    }
}
