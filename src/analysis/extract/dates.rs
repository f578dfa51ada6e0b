//! Temporal expressions, normalised to TIMEX3 values.
//!
//! First version: four-digit years.

use chrono::NaiveDateTime;

use super::super::analyzer::Prepared;
use super::super::output::{DateAnchor, DateKind, DateMention, Grain};

/// Finds and normalises temporal expressions.
#[derive(Debug, Default)]
pub struct DateExtractor;

impl DateExtractor {
    /// Dates of the document and the anchor used.
    pub fn extract(
        &self,
        doc: &Prepared<'_>,
        _published: Option<NaiveDateTime>,
    ) -> (Vec<DateMention>, Option<DateAnchor>) {
        let dates = doc
            .tokens
            .iter()
            .filter(|t| {
                let s = doc.surface(t);
                s.len() == 4
                    && s.bytes().all(|b| b.is_ascii_digit())
                    && (s.starts_with("19") || s.starts_with("20"))
            })
            .map(|t| DateMention {
                span: t.span,
                value: doc.surface(t).to_string(),
                kind: DateKind::Date,
                grain: Some(Grain::Year),
                anchored: false,
                resolved: true,
                range: None,
            })
            .collect();
        (dates, None)
    }
}
