//! Language of an article: the caller's BCP-47 tag when given, otherwise detected from the text.
//!
//! Detection uses `whatlang` (trigram profiles, no model files, microseconds per article). Only the
//! primary subtag matters to the analysis (`fr-CA` is analysed as `fr`); the caller's full tag is
//! echoed back.

use whatlang::Lang;

/// How the language of an analysis was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LanguageSource {
    /// The caller said which language.
    Request,
    /// Detected from the text.
    Detected,
    /// Too little text to tell: analysed without language-specific data.
    Undetermined,
}

/// The language an article is analysed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// The tag reported to the caller (`fr`, `en-GB`, `und`).
    pub tag: String,
    /// Lower-case primary subtag used to pick per-language data (`fr`, `en`, `und`).
    pub primary: String,
    /// Where it came from.
    pub source: LanguageSource,
}

/// A language tag that is not well-formed BCP-47.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed language tag {0:?}: expected a BCP-47 tag such as \"fr\" or \"en-GB\"")]
pub struct LanguageTagError(pub String);

impl Language {
    /// Parses a caller's BCP-47 tag (`fr`, `en-GB`, `zh-Hant-TW`): a primary subtag of 2 to 3 letters
    /// (or `und`) followed by subtags of 1 to 8 letters or digits.
    pub fn from_tag(tag: &str) -> Result<Language, LanguageTagError> {
        let err = || LanguageTagError(tag.to_string());
        let mut parts = tag.split(['-', '_']);
        let primary = parts.next().ok_or_else(err)?;
        if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(err());
        }
        for sub in parts {
            if sub.is_empty() || sub.len() > 8 || !sub.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(err());
            }
        }
        Ok(Language {
            tag: tag.replace('_', "-"),
            primary: primary.to_ascii_lowercase(),
            source: LanguageSource::Request,
        })
    }

    /// Detects the language of `text`; `und` when it cannot be told.
    pub fn detect(text: &str) -> Language {
        // A few kilobytes decide as well as the whole article, and keep detection's cost flat.
        let sample = prefix_on_char_boundary(text, 4096);
        match whatlang::detect(sample) {
            Some(info) if info.is_reliable() || info.confidence() > 0.02 => {
                let code = iso639_1(info.lang());
                Language {
                    tag: code.to_string(),
                    primary: code.to_string(),
                    source: LanguageSource::Detected,
                }
            }
            _ => Language::undetermined(),
        }
    }

    /// The `und` language: no language-specific data is used.
    pub fn undetermined() -> Language {
        Language {
            tag: "und".to_string(),
            primary: "und".to_string(),
            source: LanguageSource::Undetermined,
        }
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a char boundary.
pub fn prefix_on_char_boundary(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// BCP-47 code of a detected language: ISO 639-1 where it has one (BCP-47 prefers it), else ISO 639-3.
fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Eng => "en",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Spa => "es",
        Lang::Ita => "it",
        Lang::Por => "pt",
        Lang::Nld => "nl",
        Lang::Rus => "ru",
        Lang::Ukr => "uk",
        Lang::Pol => "pl",
        Lang::Ces => "cs",
        Lang::Slk => "sk",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mkd => "mk",
        Lang::Ron => "ro",
        Lang::Hun => "hu",
        Lang::Fin => "fi",
        Lang::Est => "et",
        Lang::Lav => "lv",
        Lang::Lit => "lt",
        Lang::Swe => "sv",
        Lang::Dan => "da",
        Lang::Nob => "nb",
        Lang::Ell => "el",
        Lang::Tur => "tr",
        Lang::Ara => "ar",
        Lang::Heb => "he",
        Lang::Pes => "fa",
        Lang::Urd => "ur",
        Lang::Hin => "hi",
        Lang::Ben => "bn",
        Lang::Mar => "mr",
        Lang::Nep => "ne",
        Lang::Pan => "pa",
        Lang::Guj => "gu",
        Lang::Tam => "ta",
        Lang::Tel => "te",
        Lang::Kan => "kn",
        Lang::Mal => "ml",
        Lang::Sin => "si",
        Lang::Tha => "th",
        Lang::Khm => "km",
        Lang::Mya => "my",
        Lang::Vie => "vi",
        Lang::Ind => "id",
        Lang::Jav => "jv",
        Lang::Tgl => "tl",
        Lang::Cmn => "zh",
        Lang::Jpn => "ja",
        Lang::Kor => "ko",
        Lang::Kat => "ka",
        Lang::Hye => "hy",
        Lang::Aze => "az",
        Lang::Uzb => "uz",
        Lang::Amh => "am",
        Lang::Yid => "yi",
        Lang::Epo => "eo",
        Lang::Lat => "la",
        Lang::Afr => "af",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Aka => "ak",
        Lang::Cat => "ca",
        Lang::Ori => "or",
        Lang::Tuk => "tk",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_tags_are_validated() {
        assert_eq!(Language::from_tag("fr").unwrap().primary, "fr");
        assert_eq!(Language::from_tag("en-GB").unwrap().primary, "en");
        assert_eq!(Language::from_tag("FR_ca").unwrap().tag, "FR-ca");
        for bad in ["", "f", "french!", "fr-", "12", "en-toolongsubtag"] {
            assert!(Language::from_tag(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn detects_french_and_english() {
        let fr =
            "Le président russe a proposé à son homologue américain de revenir sur les mesures.";
        let en = "The Russian president offered his American counterpart to lift the restrictions.";
        assert_eq!(Language::detect(fr).primary, "fr");
        assert_eq!(Language::detect(en).primary, "en");
    }

    #[test]
    fn nothing_to_detect_is_undetermined() {
        assert_eq!(Language::detect("1234 5678").primary, "und");
        assert_eq!(Language::detect("").source, LanguageSource::Undetermined);
    }
}
