//! The input of an analysis: the article and what the caller knows about it.

use chrono::{DateTime, FixedOffset, NaiveDateTime, Offset, Utc};
use chrono_tz::Tz;

use super::lang::{Language, LanguageTagError};

/// An article to analyse.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The article's text; every span of the result points into it.
    pub text: String,
    /// The headline, when given apart from the text.
    pub title: Option<String>,
    /// The caller's language, if given.
    pub language: Option<Language>,
    /// Publication time in the article's own time zone: the anchor of relative dates.
    pub published: Option<NaiveDateTime>,
}

impl From<&str> for Document {
    fn from(text: &str) -> Self {
        Document {
            text: text.to_string(),
            ..Document::default()
        }
    }
}

impl Document {
    /// A document with the given text and nothing else known.
    pub fn new(text: impl Into<String>) -> Self {
        Document {
            text: text.into(),
            ..Document::default()
        }
    }

    /// Sets the caller's language from a BCP-47 tag.
    pub fn with_language_tag(mut self, tag: &str) -> Result<Self, LanguageTagError> {
        self.language = Some(Language::from_tag(tag)?);
        Ok(self)
    }

    /// Sets the publication time.
    pub fn with_published(mut self, published: NaiveDateTime) -> Self {
        self.published = Some(published);
        self
    }
}

/// A time zone given as an IANA name (`Europe/Paris`) or a fixed offset (`+02:00`, `-0530`, `Z`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TimeZoneSpec {
    /// An IANA zone.
    Named(Tz),
    /// A fixed offset from UTC.
    Fixed(FixedOffset),
}

/// A time zone that is neither an IANA name nor an offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?}: expected an IANA name such as \"Europe/Paris\" or an offset such as \"+02:00\"")]
pub struct TimeZoneError(pub String);

impl TimeZoneSpec {
    /// Parses an IANA name or a `±HH:MM` / `±HHMM` / `±HH` offset; empty means UTC.
    pub fn parse(s: &str) -> Result<TimeZoneSpec, TimeZoneError> {
        let s = s.trim();
        if s.is_empty() || s.eq_ignore_ascii_case("z") || s.eq_ignore_ascii_case("utc") {
            return Ok(TimeZoneSpec::Fixed(Utc.fix()));
        }
        if let Some(sign) = s.chars().next().filter(|c| matches!(c, '+' | '-')) {
            let digits: String = s[1..].chars().filter(|c| *c != ':').collect();
            let ok = digits.bytes().all(|b| b.is_ascii_digit()) && matches!(digits.len(), 2 | 4);
            if ok {
                let h: i32 = digits[..2]
                    .parse()
                    .map_err(|_| TimeZoneError(s.to_string()))?;
                let m: i32 = if digits.len() == 4 {
                    digits[2..]
                        .parse()
                        .map_err(|_| TimeZoneError(s.to_string()))?
                } else {
                    0
                };
                let secs = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
                if h <= 14 && m < 60 {
                    if let Some(off) = FixedOffset::east_opt(secs) {
                        return Ok(TimeZoneSpec::Fixed(off));
                    }
                }
            }
            return Err(TimeZoneError(s.to_string()));
        }
        s.parse::<Tz>()
            .map(TimeZoneSpec::Named)
            .map_err(|_| TimeZoneError(s.to_string()))
    }

    /// The local wall-clock time of a UTC instant in this zone.
    pub fn local(&self, utc: DateTime<Utc>) -> NaiveDateTime {
        match self {
            TimeZoneSpec::Named(tz) => utc.with_timezone(tz).naive_local(),
            TimeZoneSpec::Fixed(off) => utc.with_timezone(off).naive_local(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones_parse() {
        assert!(matches!(
            TimeZoneSpec::parse("Europe/Paris"),
            Ok(TimeZoneSpec::Named(_))
        ));
        assert!(matches!(
            TimeZoneSpec::parse(""),
            Ok(TimeZoneSpec::Fixed(_))
        ));
        let utc = DateTime::from_timestamp(1_638_871_200, 0).unwrap(); // 2021-12-07T10:00Z
        assert_eq!(
            TimeZoneSpec::parse("+02:00")
                .unwrap()
                .local(utc)
                .to_string(),
            "2021-12-07 12:00:00"
        );
        assert_eq!(
            TimeZoneSpec::parse("-0530").unwrap().local(utc).to_string(),
            "2021-12-07 04:30:00"
        );
        assert_eq!(
            TimeZoneSpec::parse("Asia/Tokyo")
                .unwrap()
                .local(utc)
                .to_string(),
            "2021-12-07 19:00:00"
        );
        for bad in ["Mars/Olympus", "+25:00", "+2:3", "GMT+99", "+ab"] {
            assert!(TimeZoneSpec::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
