//! Per-language data: one folder per language (`fr/`, `en/`, ...), plain UTF-8 files with one entry per
//! line and `#` comments, embedded at compile time and parsed once.
//!
//! # Adding a language
//! 1. Create `lexicon/<code>/` with `abbreviations.txt` and `stopwords.txt` (either may be empty).
//! 2. Add one `LanguageData` entry to [`REGISTRY`] below, with its Snowball stemmer if there is one.
//! 3. Extractors with language tables of their own (dates, quotes, entities) keep them in the same folder
//!    and list the language in their own registries; a language without them still gets every feature
//!    through the language-independent defaults.
//!
//! Languages that are not listed get [`LanguageData::default_for`]'s empty data: the analysis still
//! works on them, with no abbreviation, stop-word or stemming knowledge.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use rust_stemmers::Algorithm;

/// Lines of a lexicon file: trimmed, without blank lines and `#` comments.
pub fn entries(src: &'static str) -> impl Iterator<Item = &'static str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Per-language knowledge shared by the segmenter, the tokenizer and the summary.
#[derive(Debug, Default)]
pub struct LanguageData {
    /// Primary language subtag (`fr`).
    pub code: &'static str,
    /// Abbreviations that take a period without ending a sentence, lower case, without the period.
    pub abbreviations: HashSet<&'static str>,
    /// Function words, lower case.
    pub stopwords: HashSet<&'static str>,
    /// Snowball stemmer, if the language has one.
    pub stemmer: Option<Algorithm>,
    /// Elided articles and pronouns glued by an apostrophe (`l'`, `d'`, `qu'`), lower case, no apostrophe.
    pub elisions: HashSet<&'static str>,
}

impl LanguageData {
    fn new(
        code: &'static str,
        abbreviations: &'static str,
        stopwords: &'static str,
        stemmer: Option<Algorithm>,
        elisions: &[&'static str],
    ) -> Self {
        LanguageData {
            code,
            abbreviations: entries(abbreviations).collect(),
            stopwords: entries(stopwords).collect(),
            stemmer,
            elisions: elisions.iter().copied().collect(),
        }
    }

    /// Whether the lower-cased word is a stop word.
    pub fn is_stopword(&self, lower: &str) -> bool {
        self.stopwords.contains(lower)
    }
}

static DEFAULT: LazyLock<LanguageData> = LazyLock::new(|| LanguageData {
    code: "und",
    ..LanguageData::default()
});

/// Every language with data, keyed by primary subtag.
pub static REGISTRY: LazyLock<HashMap<&'static str, LanguageData>> = LazyLock::new(|| {
    let langs = [
        LanguageData::new(
            "en",
            include_str!("en/abbreviations.txt"),
            include_str!("en/stopwords.txt"),
            Some(Algorithm::English),
            &[],
        ),
        LanguageData::new(
            "fr",
            include_str!("fr/abbreviations.txt"),
            include_str!("fr/stopwords.txt"),
            Some(Algorithm::French),
            &[
                "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
            ],
        ),
        LanguageData::new(
            "de",
            include_str!("de/abbreviations.txt"),
            include_str!("de/stopwords.txt"),
            Some(Algorithm::German),
            &[],
        ),
        LanguageData::new(
            "es",
            include_str!("es/abbreviations.txt"),
            include_str!("es/stopwords.txt"),
            Some(Algorithm::Spanish),
            &[],
        ),
        LanguageData::new(
            "it",
            include_str!("it/abbreviations.txt"),
            include_str!("it/stopwords.txt"),
            Some(Algorithm::Italian),
            &["l", "d", "un", "dell", "all", "nell", "sull", "dall", "c"],
        ),
        LanguageData::new(
            "pt",
            include_str!("pt/abbreviations.txt"),
            include_str!("pt/stopwords.txt"),
            Some(Algorithm::Portuguese),
            &[],
        ),
    ];
    langs.into_iter().map(|l| (l.code, l)).collect()
});

impl LanguageData {
    /// The data for a primary subtag, or the empty default for languages without data.
    pub fn default_for(primary: &str) -> &'static LanguageData {
        REGISTRY.get(primary).unwrap_or(&DEFAULT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[(&str, &str)] = &[
        ("en/abbreviations.txt", include_str!("en/abbreviations.txt")),
        ("en/stopwords.txt", include_str!("en/stopwords.txt")),
        ("fr/abbreviations.txt", include_str!("fr/abbreviations.txt")),
        ("fr/stopwords.txt", include_str!("fr/stopwords.txt")),
        ("de/abbreviations.txt", include_str!("de/abbreviations.txt")),
        ("de/stopwords.txt", include_str!("de/stopwords.txt")),
        ("es/abbreviations.txt", include_str!("es/abbreviations.txt")),
        ("es/stopwords.txt", include_str!("es/stopwords.txt")),
        ("it/abbreviations.txt", include_str!("it/abbreviations.txt")),
        ("it/stopwords.txt", include_str!("it/stopwords.txt")),
        ("pt/abbreviations.txt", include_str!("pt/abbreviations.txt")),
        ("pt/stopwords.txt", include_str!("pt/stopwords.txt")),
    ];

    #[test]
    fn every_lexicon_loads_is_non_empty_and_has_no_duplicates() {
        for (name, src) in FILES {
            let list: Vec<_> = entries(src).collect();
            assert!(!list.is_empty(), "{name} is empty");
            let mut seen = HashSet::new();
            for e in &list {
                assert!(seen.insert(*e), "{name}: duplicate entry {e:?}");
                assert_eq!(*e, e.to_lowercase(), "{name}: {e:?} must be lower case");
            }
        }
    }

    #[test]
    fn unknown_languages_get_empty_data() {
        let d = LanguageData::default_for("zz");
        assert_eq!(d.code, "und");
        assert!(d.stopwords.is_empty());
        assert!(LanguageData::default_for("fr").is_stopword("les"));
    }
}
