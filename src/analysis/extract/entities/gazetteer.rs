//! Per-language name lists used by the tagger and the merger: country, city and organisation
//! gazetteers, courtesy titles (`M.`, `Mr`) and functions (`président`, `President`).
//!
//! The lists are data files under `lexicon/<lang>/` (`countries.txt`, `organisations.txt`,
//! `honorifics.txt`, `functions.txt`) plus the language-independent `lexicon/mul/cities.txt`. Entries are
//! tokenised with the project's own tokenizer, so that a gazetteer entry matches exactly the tokens the
//! tagger sees, and stored as hashes of their folded token sequence (case and accents ignored).
//!
//! # Adding a language
//! Add `lexicon/<code>/{countries,organisations,honorifics,functions}.txt` (any may be empty) and one
//! line to [`resources_for`]'s table.

use std::sync::LazyLock;

use super::super::super::lexicon::{entries, LanguageData};
use super::super::super::span::Span;
use super::super::super::token::{tokenize, Token};
use super::hash::{hash_folded, mix, FastMap, WordMap, WordSet};

/// Gazetteer kinds (bits of a mask).
pub(crate) const GAZ_COUNTRY: u8 = 1;
/// A city or region.
pub(crate) const GAZ_CITY: u8 = 2;
/// An organisation.
pub(crate) const GAZ_ORG: u8 = 4;
const GAZ_PREFIX: u8 = 0x80;
/// Longest gazetteer entry, in tokens.
const MAX_ENTRY_TOKENS: usize = 8;

/// Name lists of one language.
#[derive(Debug, Default)]
pub(crate) struct Resources {
    /// Folded token-sequence hash -> kinds mask (with a prefix bit for proper prefixes of entries).
    entries: FastMap<u64, u8>,
    /// Lower-case courtesy titles.
    pub(crate) honorifics: WordSet<&'static str>,
    /// Lower-case functions.
    pub(crate) functions: WordSet<&'static str>,
    /// Both, by kind ([`TITLE_HONORIFIC`] when a word is both), for one look-up per word.
    titles: WordMap<&'static str, u8>,
    /// Folded full-name hash -> folded acronym hash, from `name = ACRONYM` lines.
    pub(crate) acronyms: FastMap<u64, u64>,
}

/// A courtesy title ([`Resources::title`]).
pub(crate) const TITLE_HONORIFIC: u8 = 1;
/// A function ([`Resources::title`]).
pub(crate) const TITLE_FUNCTION: u8 = 2;

/// Hash of a sequence of folded token hashes.
pub(crate) fn seq_hash(acc: u64, token_fold: u64) -> u64 {
    mix(acc ^ 0x5EC, token_fold)
}

impl Resources {
    fn build(
        lang: &str,
        countries: &'static str,
        organisations: &'static str,
        honorifics: &'static str,
        functions: &'static str,
    ) -> Resources {
        let data = LanguageData::default_for(lang);
        let mut r = Resources {
            honorifics: entries(honorifics).collect(),
            functions: entries(functions).collect(),
            ..Resources::default()
        };
        let functions = r.functions.iter().map(|&w| (w, TITLE_FUNCTION));
        let honorifics = r.honorifics.iter().map(|&w| (w, TITLE_HONORIFIC));
        // Later entries win: a word that is both is a courtesy title.
        r.titles = functions.chain(honorifics).collect();
        let mut toks = Vec::new();
        let mut buf = String::new();
        for name in entries(countries) {
            r.add(name, GAZ_COUNTRY, data, &mut toks, &mut buf);
        }
        for name in entries(CITIES) {
            r.add(name, GAZ_CITY, data, &mut toks, &mut buf);
        }
        for line in entries(organisations) {
            let (name, acronym) = match line.split_once(" = ") {
                Some((n, a)) => (n.trim(), Some(a.trim())),
                None => (line, None),
            };
            r.add(name, GAZ_ORG, data, &mut toks, &mut buf);
            if let Some(a) = acronym {
                r.add(a, GAZ_ORG, data, &mut toks, &mut buf);
                r.acronyms.insert(hash_folded(name), hash_folded(a));
            }
        }
        r
    }

    fn add(
        &mut self,
        name: &str,
        kind: u8,
        data: &LanguageData,
        toks: &mut Vec<Token>,
        buf: &mut String,
    ) {
        toks.clear();
        buf.clear();
        tokenize(name, Span::new(0, name.len()), 0, data, toks, buf);
        if toks.is_empty() || toks.len() > MAX_ENTRY_TOKENS {
            return;
        }
        let mut h = 0;
        for (i, t) in toks.iter().enumerate() {
            h = seq_hash(h, hash_folded(t.span.slice(name)));
            let bit = if i + 1 == toks.len() {
                kind
            } else {
                GAZ_PREFIX
            };
            *self.entries.entry(h).or_insert(0) |= bit;
        }
    }

    /// Marks gazetteer matches in a sentence: `begin[i]` and `inside[i]` get the kinds of the longest
    /// entry starting at or covering token `i`. `folds` are the tokens' folded hashes, and `first`
    /// (when it has one per token) their [`Resources::starting`] values.
    pub(crate) fn mark(&self, folds: &[u64], first: &[u8], begin: &mut [u8], inside: &mut [u8]) {
        let n = folds.len();
        let mut i = 0;
        while i < n {
            if first.get(i) == Some(&0) {
                // No entry starts with this word: the lookup below would stop at once.
                i += 1;
                continue;
            }
            let mut h = 0;
            let mut best: Option<(usize, u8)> = None;
            for (j, &f) in folds.iter().enumerate().take(i + MAX_ENTRY_TOKENS).skip(i) {
                h = seq_hash(h, f);
                match self.entries.get(&h) {
                    Some(&m) => {
                        if m & !GAZ_PREFIX != 0 {
                            best = Some((j, m & !GAZ_PREFIX));
                        }
                        if m & GAZ_PREFIX == 0 {
                            break;
                        }
                    }
                    None => break,
                }
            }
            match best {
                Some((end, kinds)) => {
                    begin[i] |= kinds;
                    for k in inside.iter_mut().take(end + 1).skip(i + 1) {
                        *k |= kinds;
                    }
                    i = end + 1;
                }
                None => i += 1,
            }
        }
    }

    /// What an entry starting with a token of folded hash `fold` would begin with: the kinds of the
    /// one-token entry and [`GAZ_PREFIX`] when longer entries start with it; 0 when no entry starts
    /// with it. Computed once per word, so that [`Resources::mark`] passes over most tokens without
    /// a lookup.
    pub(crate) fn starting(&self, fold: u64) -> u8 {
        self.entries.get(&seq_hash(0, fold)).copied().unwrap_or(0)
    }

    /// Whether a lower-case word is a courtesy title or a function.
    pub(crate) fn is_title(&self, lower: &str) -> bool {
        self.title(lower) != 0
    }

    /// [`TITLE_HONORIFIC`] if a lower-case word is a courtesy title, else [`TITLE_FUNCTION`] if it is a
    /// function, else 0.
    pub(crate) fn title(&self, lower: &str) -> u8 {
        self.titles.get(lower).copied().unwrap_or(0)
    }
}

static CITIES: &str = include_str!("../../lexicon/mul/cities.txt");

static EN: LazyLock<Resources> = LazyLock::new(|| {
    Resources::build(
        "en",
        include_str!("../../lexicon/en/countries.txt"),
        include_str!("../../lexicon/en/organisations.txt"),
        include_str!("../../lexicon/en/honorifics.txt"),
        include_str!("../../lexicon/en/functions.txt"),
    )
});
static FR: LazyLock<Resources> = LazyLock::new(|| {
    Resources::build(
        "fr",
        include_str!("../../lexicon/fr/countries.txt"),
        include_str!("../../lexicon/fr/organisations.txt"),
        include_str!("../../lexicon/fr/honorifics.txt"),
        include_str!("../../lexicon/fr/functions.txt"),
    )
});
static DE: LazyLock<Resources> = LazyLock::new(|| {
    Resources::build(
        "de",
        include_str!("../../lexicon/de/countries.txt"),
        include_str!("../../lexicon/de/organisations.txt"),
        include_str!("../../lexicon/de/honorifics.txt"),
        include_str!("../../lexicon/de/functions.txt"),
    )
});

/// The name lists for a language code (`en`, `fr`, `de`), if it has its own.
pub(crate) fn resources_for(lang: &str) -> Option<&'static Resources> {
    match lang {
        "en" => Some(&EN),
        "fr" => Some(&FR),
        "de" => Some(&DE),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    const FILES: &[(&str, &str)] = &[
        (
            "en/countries",
            include_str!("../../lexicon/en/countries.txt"),
        ),
        (
            "fr/countries",
            include_str!("../../lexicon/fr/countries.txt"),
        ),
        (
            "de/countries",
            include_str!("../../lexicon/de/countries.txt"),
        ),
        ("mul/cities", CITIES),
        (
            "en/organisations",
            include_str!("../../lexicon/en/organisations.txt"),
        ),
        (
            "fr/organisations",
            include_str!("../../lexicon/fr/organisations.txt"),
        ),
        (
            "de/organisations",
            include_str!("../../lexicon/de/organisations.txt"),
        ),
        (
            "en/honorifics",
            include_str!("../../lexicon/en/honorifics.txt"),
        ),
        (
            "fr/honorifics",
            include_str!("../../lexicon/fr/honorifics.txt"),
        ),
        (
            "de/honorifics",
            include_str!("../../lexicon/de/honorifics.txt"),
        ),
        (
            "en/functions",
            include_str!("../../lexicon/en/functions.txt"),
        ),
        (
            "fr/functions",
            include_str!("../../lexicon/fr/functions.txt"),
        ),
        (
            "de/functions",
            include_str!("../../lexicon/de/functions.txt"),
        ),
    ];

    #[test]
    fn every_list_loads_is_non_empty_and_has_no_duplicates() {
        for (name, src) in FILES {
            let list: Vec<_> = entries(src).collect();
            assert!(!list.is_empty(), "{name} is empty");
            let mut seen = HashSet::new();
            for e in &list {
                assert!(seen.insert(e.to_lowercase()), "{name}: duplicate {e:?}");
            }
        }
        for lang in ["en", "fr", "de"] {
            assert!(resources_for(lang).is_some_and(|r| !r.entries.is_empty()));
        }
    }

    fn marks(lang: &str, text: &str) -> (Vec<u8>, Vec<u8>) {
        let data = LanguageData::default_for(lang);
        let (mut toks, mut buf) = (Vec::new(), String::new());
        tokenize(text, Span::new(0, text.len()), 0, data, &mut toks, &mut buf);
        let folds: Vec<u64> = toks
            .iter()
            .map(|t| hash_folded(t.span.slice(text)))
            .collect();
        let (mut b, mut i) = (vec![0; folds.len()], vec![0; folds.len()]);
        let res = resources_for(lang).expect("fr data");
        let first: Vec<u8> = folds.iter().map(|&f| res.starting(f)).collect();
        res.mark(&folds, &first, &mut b, &mut i);
        // Without the first words' entries, each token is looked up: the same marks.
        let (mut b2, mut i2) = (vec![0; folds.len()], vec![0; folds.len()]);
        res.mark(&folds, &[], &mut b2, &mut i2);
        assert_eq!((&b, &i), (&b2, &i2));
        (b, i)
    }

    #[test]
    fn multi_word_entries_match_longest_first_without_accents() {
        // "Etats-Unis" without its accent, "Moscou", and the two-token "Nations unies".
        let (b, i) = marks("fr", "Les Etats-Unis, Moscou et les Nations unies");
        assert_eq!(b[1], GAZ_COUNTRY);
        assert_eq!(b[3] & GAZ_CITY, GAZ_CITY);
        assert_eq!((b[6], i[7]), (GAZ_ORG, GAZ_ORG));
        assert_eq!(b[0] | i[0] | b[4] | i[4], 0);
    }
}
