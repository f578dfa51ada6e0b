//! Per-language data: one folder per language (`fr/`, `en/`, ...), plain UTF-8 files with one entry per
//! line and `#` comments, embedded at compile time and parsed once.
//!
//! # Adding a language
//! 1. Create `lexicon/<code>/` with `abbreviations.txt` (see `en/abbreviations.txt` for the `final`
//!    and `number` qualifiers), `stopwords.txt` (function words: they also drive language detection)
//!    and, if the language glues elided words with an apostrophe, `elisions.txt`.
//! 2. Add one `LanguageData` entry to [`REGISTRY`] below, with its Snowball stemmer if there is one,
//!    and `.with_ordinal_period()` / `.with_folded_accents()` where they apply.
//! 3. Extractors with language tables of their own (dates, quotes, entities) keep them in the same folder
//!    and list the language in their own registries; a language without them still gets every feature
//!    through the language-independent defaults.
//!
//! Languages that are not listed get [`LanguageData::default_for`]'s empty data: the analysis still
//! works on them, with no abbreviation, stop-word or stemming knowledge.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use rust_stemmers::Algorithm;

use super::bytes::short_bytes;

/// FNV-1a: word look-ups hash a few bytes each, where the default SipHash costs more than the
/// look-up itself. Lexicons are embedded data, not attacker-chosen keys.
#[derive(Debug, Clone, Copy)]
pub struct WordHasher(u64);

impl Default for WordHasher {
    fn default() -> Self {
        WordHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A set of words hashed with [`WordHasher`].
pub type WordSet = HashSet<&'static str, BuildHasherDefault<WordHasher>>;

/// A map from words hashed with [`WordHasher`].
pub type WordMap<V> = HashMap<&'static str, V, BuildHasherDefault<WordHasher>>;

/// A table of words of at most 8 bytes, each looked up by its bytes read as one integer: a
/// multiplication and a comparison or two, where a hash set hashes byte by byte, probes and compares
/// strings. Open addressing, at most a quarter full; longer words are not kept (callers keep them
/// elsewhere).
#[derive(Debug, Clone)]
pub struct ShortWords<V> {
    /// (key, byte length, value); length 0 marks an empty slot.
    slots: Vec<(u64, u32, V)>,
    /// The shift that turns a hashed key into a slot (Fibonacci hashing).
    shift: u32,
}

impl<V: Copy + Default> Default for ShortWords<V> {
    fn default() -> Self {
        ShortWords::new(std::iter::empty())
    }
}

impl<V: Copy + Default> ShortWords<V> {
    /// The table of `words` of 1 to 8 bytes (others are left out); a word listed twice keeps its
    /// first value.
    pub fn new<'w>(words: impl IntoIterator<Item = (&'w str, V)>) -> Self {
        let keyed: Vec<(u64, u32, V)> = words
            .into_iter()
            .filter_map(|(w, v)| Some((short_bytes(w.as_bytes())?, w.len() as u32, v)))
            .collect();
        let bits = (keyed.len() * 4)
            .next_power_of_two()
            .trailing_zeros()
            .max(4);
        let mut table = ShortWords {
            slots: vec![(0, 0, V::default()); 1 << bits],
            shift: 64 - bits,
        };
        let mask = table.slots.len() - 1;
        for (key, len, v) in keyed {
            let mut slot = table.slot(key);
            loop {
                let s = &mut table.slots[slot];
                if s.1 == 0 {
                    *s = (key, len, v);
                    break;
                }
                if (s.0, s.1) == (key, len) {
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        table
    }

    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The value of `word`; `None` when it is not in the table (always for words over 8 bytes).
    #[inline]
    pub fn get(&self, word: &str) -> Option<V> {
        let key = short_bytes(word.as_bytes())?;
        let len = word.len() as u32;
        let mask = self.slots.len() - 1;
        let mut slot = self.slot(key);
        loop {
            let (k, l, v) = self.slots[slot];
            if l == 0 {
                return None;
            }
            if k == key && l == len {
                return Some(v);
            }
            slot = (slot + 1) & mask;
        }
    }
}

/// Lines of a lexicon file: trimmed, without blank lines and `#` comments.
pub fn entries(src: &'static str) -> impl Iterator<Item = &'static str> {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// How an abbreviation's period behaves before what could be the start of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbreviationKind {
    /// A title or a word always followed by more of its sentence (`M. Dupont`, `Dr. Smith`).
    Title,
    /// May end a sentence too (`etc.`, `Inc.`, months): a capitalised function word followed by a
    /// lower-case word starts a new one.
    Final,
    /// An abbreviation only before a number (`No. 5`, `p. 12`); elsewhere an ordinary word.
    Number,
}

/// Parses an abbreviation list: a word, optionally followed by `final` or `number` (see
/// [`AbbreviationKind`]).
fn abbreviation_entries(
    src: &'static str,
) -> impl Iterator<Item = (&'static str, AbbreviationKind)> {
    entries(src).map(|line| {
        let mut fields = line.split_whitespace();
        let word = fields.next().unwrap_or(line);
        let kind = match fields.next() {
            Some("final") => AbbreviationKind::Final,
            Some("number") => AbbreviationKind::Number,
            _ => AbbreviationKind::Title,
        };
        (word, kind)
    })
}

/// Per-language knowledge shared by the segmenter, the tokenizer and the summary.
#[derive(Debug, Default)]
pub struct LanguageData {
    /// Primary language subtag (`fr`).
    pub code: &'static str,
    /// Abbreviations that take a period without ending a sentence, lower case, without the period.
    pub abbreviations: WordSet,
    /// How each abbreviation's period behaves (every word of [`LanguageData::abbreviations`]).
    pub abbreviation_kinds: WordMap<AbbreviationKind>,
    /// Function words, lower case.
    pub stopwords: WordSet,
    /// Byte length of the longest of [`LanguageData::stopwords`]: a longer word is not looked up.
    pub longest_stopword: usize,
    /// The stop words of at most 8 bytes (nearly all), for [`LanguageData::is_stopword`].
    short_stopwords: ShortWords<()>,
    /// Snowball stemmer, if the language has one.
    pub stemmer: Option<Algorithm>,
    /// Elided articles and pronouns glued by an apostrophe (`l'`, `d'`, `qu'`), lower case, no apostrophe.
    pub elisions: WordSet,
    /// Whether ordinal numbers take a period (`am 3. Januar`), so that a period after a small number
    /// does not end a sentence unless a capitalised function word follows.
    pub ordinal_period: bool,
    /// Whether normalised forms drop diacritics (English news copy writes `cafe` and `café` alike;
    /// French keeps them, `côte` is not `cote`).
    pub fold_accents: bool,
}

impl LanguageData {
    fn new(
        code: &'static str,
        abbreviations: &'static str,
        stopwords: &'static str,
        stemmer: Option<Algorithm>,
        elisions: &'static str,
    ) -> Self {
        LanguageData {
            code,
            abbreviations: abbreviation_entries(abbreviations)
                .map(|(w, _)| w)
                .collect(),
            abbreviation_kinds: abbreviation_entries(abbreviations).collect(),
            stopwords: entries(stopwords).collect(),
            longest_stopword: entries(stopwords).map(str::len).max().unwrap_or(0),
            short_stopwords: ShortWords::new(entries(stopwords).map(|w| (w, ()))),
            stemmer,
            elisions: entries(elisions).collect(),
            ordinal_period: false,
            fold_accents: false,
        }
    }

    fn with_folded_accents(mut self) -> Self {
        self.fold_accents = true;
        self
    }

    fn with_ordinal_period(mut self) -> Self {
        self.ordinal_period = true;
        self
    }

    /// Whether the lower-cased word is a stop word.
    #[inline]
    pub fn is_stopword(&self, lower: &str) -> bool {
        if lower.len() > self.longest_stopword {
            return false;
        }
        if lower.len() <= 8 {
            return self.short_stopwords.get(lower).is_some();
        }
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
            "",
        )
        .with_folded_accents(),
        LanguageData::new(
            "fr",
            include_str!("fr/abbreviations.txt"),
            include_str!("fr/stopwords.txt"),
            Some(Algorithm::French),
            include_str!("fr/elisions.txt"),
        ),
        LanguageData::new(
            "de",
            include_str!("de/abbreviations.txt"),
            include_str!("de/stopwords.txt"),
            Some(Algorithm::German),
            "",
        )
        .with_ordinal_period(),
        LanguageData::new(
            "es",
            include_str!("es/abbreviations.txt"),
            include_str!("es/stopwords.txt"),
            Some(Algorithm::Spanish),
            "",
        ),
        LanguageData::new(
            "it",
            include_str!("it/abbreviations.txt"),
            include_str!("it/stopwords.txt"),
            Some(Algorithm::Italian),
            include_str!("it/elisions.txt"),
        ),
        LanguageData::new(
            "pt",
            include_str!("pt/abbreviations.txt"),
            include_str!("pt/stopwords.txt"),
            Some(Algorithm::Portuguese),
            "",
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

    #[test]
    fn longest_stop_words_are_measured_and_longer_words_never_are_stop_words() {
        for data in REGISTRY.values() {
            let longest = data.longest_stopword;
            assert!(
                data.stopwords.iter().all(|w| w.len() <= longest),
                "{}",
                data.code
            );
            assert!(
                data.stopwords.iter().any(|w| w.len() == longest),
                "{}",
                data.code
            );
            assert!(
                data.stopwords.iter().all(|w| data.is_stopword(w)),
                "{}",
                data.code
            );
        }
        let fr = LanguageData::default_for("fr");
        assert!(fr.is_stopword("de") && !fr.is_stopword("de la diplomatie"));
        assert_eq!(LanguageData::default_for("zz").longest_stopword, 0);
    }

    #[test]
    fn short_word_tables_agree_with_sets() {
        for data in REGISTRY.values() {
            for w in &data.stopwords {
                assert!(data.is_stopword(w), "{}: {w:?}", data.code);
                let shorter = &w[..w.char_indices().last().map_or(0, |(i, _)| i)];
                for other in [
                    format!("{w}s"),
                    format!("{w}\0"),
                    format!("\0{w}"),
                    shorter.into(),
                ] {
                    assert_eq!(
                        data.is_stopword(&other),
                        data.stopwords.contains(other.as_str()),
                        "{}: {other:?}",
                        data.code
                    );
                }
            }
        }
        let table = ShortWords::new([
            ("a", 1),
            ("ab", 2),
            ("abcdefgh", 3),
            ("abcdefghi", 4),
            ("a", 5),
        ]);
        assert_eq!(table.get("a"), Some(1));
        assert_eq!(table.get("ab"), Some(2));
        assert_eq!(table.get("abcdefgh"), Some(3));
        assert_eq!(table.get("abcdefghi"), None, "longer words are not kept");
        assert_eq!(
            table.get("a\0"),
            None,
            "the length tells keys with zero bytes apart"
        );
        assert_eq!(table.get(""), None);
        assert_eq!(ShortWords::<u8>::default().get("a"), None);
    }

    const FILES: &[(&str, &str)] = &[
        ("en/abbreviations.txt", include_str!("en/abbreviations.txt")),
        ("en/stopwords.txt", include_str!("en/stopwords.txt")),
        ("fr/abbreviations.txt", include_str!("fr/abbreviations.txt")),
        ("fr/stopwords.txt", include_str!("fr/stopwords.txt")),
        ("fr/elisions.txt", include_str!("fr/elisions.txt")),
        ("de/abbreviations.txt", include_str!("de/abbreviations.txt")),
        ("de/stopwords.txt", include_str!("de/stopwords.txt")),
        ("es/abbreviations.txt", include_str!("es/abbreviations.txt")),
        ("es/stopwords.txt", include_str!("es/stopwords.txt")),
        ("it/abbreviations.txt", include_str!("it/abbreviations.txt")),
        ("it/stopwords.txt", include_str!("it/stopwords.txt")),
        ("it/elisions.txt", include_str!("it/elisions.txt")),
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
    fn abbreviation_qualifiers_are_known_and_words_unique() {
        for (name, src) in FILES
            .iter()
            .filter(|(n, _)| n.ends_with("abbreviations.txt"))
        {
            let mut seen = HashSet::new();
            for line in entries(src) {
                let fields: Vec<&str> = line.split_whitespace().collect();
                assert!(
                    matches!(fields[..], [_] | [_, "final" | "number"]),
                    "{name}: {line:?} must be a word, optionally followed by final or number"
                );
                assert!(
                    seen.insert(fields[0]),
                    "{name}: {:?} listed twice",
                    fields[0]
                );
            }
        }
        let en = LanguageData::default_for("en");
        assert_eq!(
            en.abbreviation_kinds.get("mr"),
            Some(&AbbreviationKind::Title)
        );
        assert_eq!(
            en.abbreviation_kinds.get("etc"),
            Some(&AbbreviationKind::Final)
        );
        assert_eq!(
            en.abbreviation_kinds.get("no"),
            Some(&AbbreviationKind::Number)
        );
        assert!(en.abbreviations.contains("no"));
    }

    #[test]
    fn unknown_languages_get_empty_data() {
        let d = LanguageData::default_for("zz");
        assert_eq!(d.code, "und");
        assert!(d.stopwords.is_empty());
        assert!(LanguageData::default_for("fr").is_stopword("les"));
    }
}
