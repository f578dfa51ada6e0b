//! Per-language attribution knowledge, read from `lexicon/<lang>/speech_verbs.txt`, `quote_cues.txt` and
//! `pronouns.txt`.
//!
//! Cue phrases are stored as sequences of normalised tokens (lower case, straight apostrophes, elided
//! articles split off as the tokenizer does: `d'après` is `d'` + `après`) so that they are matched
//! token by token, in time linear in the text.

use foldhash::{HashMap, HashSet};
use std::sync::LazyLock;

use super::super::super::bytes::short_bytes;
use super::super::super::lexicon::entries;
use super::marks::Style;

/// Gender or number of a pronoun.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PronounKind {
    /// Masculine singular (he, il).
    Masculine,
    /// Feminine singular (she, elle).
    Feminine,
    /// Neuter: an organisation or a document (it).
    Neuter,
    /// Plural (they, ils).
    Plural,
}

/// What a cue phrase does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CueKind {
    /// A verb of saying: the speaker is its subject.
    Verb,
    /// A source phrase: the speaker follows it ("according to X").
    Source,
}

/// Multi-token phrases keyed by their first token.
#[derive(Debug, Default)]
pub(crate) struct PhraseSet {
    by_first: HashMap<String, Vec<Vec<String>>>,
}

impl PhraseSet {
    fn insert(&mut self, phrase: &str) {
        let toks = phrase_tokens(phrase);
        if let Some(first) = toks.first().cloned() {
            let list = self.by_first.entry(first).or_default();
            list.push(toks);
            // Longest first, so that the longest phrase wins.
            list.sort_by_key(|p| std::cmp::Reverse(p.len()));
        }
    }

    /// Number of tokens of the longest phrase starting at `norms[0]`, if any.
    pub(crate) fn longest_at<'n>(&self, norms: impl Fn(usize) -> Option<&'n str>) -> Option<usize> {
        let first = norms(0)?;
        let list = self.by_first.get(first)?;
        list.iter().find(|p| follows(p, &norms)).map(Vec::len)
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.by_first.is_empty()
    }
}

/// Whether the tokens after the first of `phrase` are the next ones of `norms` (the first is matched by
/// the look-up that found the phrase).
fn follows<'n>(phrase: &[String], norms: &impl Fn(usize) -> Option<&'n str>) -> bool {
    phrase
        .iter()
        .enumerate()
        .skip(1)
        .all(|(k, w)| norms(k) == Some(w.as_str()))
}

/// Splits a lexicon phrase as the tokenizer splits text: on spaces, and after an elided article.
fn phrase_tokens(phrase: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in phrase.split_whitespace() {
        let word = word.replace('’', "'");
        match word.find('\'') {
            Some(p) if p + 1 < word.len() && p > 0 && p <= 6 && !word[..p].contains('-') => {
                out.push(word[..=p].to_string());
                out.push(word[p + 1..].to_string());
            }
            _ => out.push(word),
        }
    }
    out
}

/// What a speaker's noun phrase asks of a word, in one look-up ([`QuoteLexicon::class`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct WordClass {
    /// One of the prepositions (`prep`).
    pub(crate) prep: bool,
    /// One of the determiners (`det`).
    pub(crate) det: bool,
    /// Its kind, when a personal pronoun (`pronouns`).
    pub(crate) pronoun: Option<PronounKind>,
}

/// What the attribution needs to know about one language.
#[derive(Debug, Default)]
pub(crate) struct QuoteLexicon {
    /// Verbs of saying, every inflected form.
    pub(crate) verbs: PhraseSet,
    /// Phrases after which the speaker comes ("according to").
    pub(crate) sources: PhraseSet,
    /// Words that may stand between a speaker and its verb.
    pub(crate) aux: PhraseSet,
    /// Determiners that may open a speaker's noun phrase.
    pub(crate) det: HashSet<String>,
    /// Verb forms whose object is the one spoken to ("told reporters"), never the speaker.
    pub(crate) addressee: HashSet<String>,
    /// Determiners never followed by a verb: a verb form after one is a noun ("the tweet", "a
    /// statement").
    pub(crate) noun_det: HashSet<String>,
    /// Prepositions that may join a speaker's noun phrase.
    pub(crate) prep: HashSet<String>,
    /// Relative pronouns ("who", "qui").
    pub(crate) relative: HashSet<String>,
    /// Personal pronouns and their kind.
    pub(crate) pronouns: HashMap<String, PronounKind>,
    /// Words that give the quotation after them as a name, slogan or inscription ("titled",
    /// "reading", "intitulée").
    pub(crate) naming: HashSet<String>,
    /// Endings of participles whose speaker is their sentence's subject ("adding", "ajoutant").
    pub(crate) gerund_suffixes: Vec<String>,
    /// Endings of a possessive token ("'s"): a title-case quotation after one is a name.
    possessive_suffixes: Vec<String>,
    /// How the language's quotation marks pair (`style` entries).
    pub(crate) style: Style,
    /// Source phrases then verbs of saying, each longest first, keyed by their first token: one
    /// look-up finds the cue at a token.
    cues: HashMap<String, Vec<(CueKind, Vec<String>)>>,
    /// The first tokens of `cues`, as a filter that rules most other words out before the look-up.
    cue_filter: WordFilter,
    /// The words of `prep`, `det` and `pronouns` with what each of them is.
    classes: HashMap<String, WordClass>,
}

/// Bits of [`WordFilter`]: a few times the number of cue words of a language, so that few other
/// words pass it.
const FILTER_BITS: usize = 1 << 13;

/// A set of words that may answer "maybe" for a word not in it but never "no" for one in it (a
/// one-hash Bloom filter over a cheap hash of the word's first eight bytes, or of all of a shorter
/// one's, and its length).
#[derive(Debug, Default)]
struct WordFilter {
    bits: Vec<u64>,
}

impl WordFilter {
    fn slot(word: &str) -> usize {
        let b = word.as_bytes();
        let n = b.len();
        // The first eight bytes in one load, a shorter word's in at most two, without a copy.
        let head = match b.first_chunk::<8>() {
            Some(h) => u64::from_le_bytes(*h),
            None => short_bytes(b).unwrap_or(0),
        };
        let h = (head ^ (n as u64).rotate_right(8)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 32) as usize % FILTER_BITS
    }

    fn insert(&mut self, word: &str) {
        if self.bits.is_empty() {
            self.bits = vec![0; FILTER_BITS / 64];
        }
        let k = Self::slot(word);
        self.bits[k / 64] |= 1 << (k % 64);
    }

    fn may_contain(&self, word: &str) -> bool {
        let k = Self::slot(word);
        self.bits
            .get(k / 64)
            .is_some_and(|w| w & (1 << (k % 64)) != 0)
    }
}

impl QuoteLexicon {
    fn parse(verbs: &'static str, cues: &'static str, pronouns: &'static str) -> Self {
        let mut lex = QuoteLexicon::default();
        for v in entries(verbs) {
            lex.verbs.insert(v);
        }
        for line in entries(cues) {
            let (tag, value) = line.split_once(' ').unwrap_or((line, ""));
            let value = value.trim();
            match tag {
                "source" => lex.sources.insert(value),
                "aux" => lex.aux.insert(value),
                "det" => {
                    lex.det.insert(value.replace('’', "'"));
                }
                "addressee" => {
                    lex.addressee.insert(value.to_string());
                }
                "noun-det" => {
                    lex.noun_det.insert(value.replace('’', "'"));
                }
                "prep" => {
                    for t in phrase_tokens(value) {
                        lex.prep.insert(t);
                    }
                }
                "relative" => {
                    lex.relative.insert(value.to_string());
                }
                "gerund" => lex.gerund_suffixes.push(value.to_string()),
                "possessive" => lex.possessive_suffixes.push(value.replace('’', "'")),
                "naming" => {
                    lex.naming.insert(value.replace('’', "'"));
                }
                "style" if value == "dialogue-dash" => lex.style.dialogue_dash = true,
                "style" if value == "right-double-closes" => lex.style.right_double_closes = true,
                _ => {}
            }
        }
        for line in entries(pronouns) {
            let mut parts = line.split_whitespace();
            let (Some(word), Some(kind)) = (parts.next(), parts.next()) else {
                continue;
            };
            let kind = match kind {
                "m" => PronounKind::Masculine,
                "f" => PronounKind::Feminine,
                "n" => PronounKind::Neuter,
                _ => PronounKind::Plural,
            };
            lex.pronouns.insert(word.to_string(), kind);
        }
        for w in &lex.prep {
            lex.classes.entry(w.clone()).or_default().prep = true;
        }
        for w in &lex.det {
            lex.classes.entry(w.clone()).or_default().det = true;
        }
        for (w, &kind) in &lex.pronouns {
            lex.classes.entry(w.clone()).or_default().pronoun = Some(kind);
        }
        for (kind, set) in [(CueKind::Source, &lex.sources), (CueKind::Verb, &lex.verbs)] {
            for (first, list) in &set.by_first {
                let cues = lex.cues.entry(first.clone()).or_default();
                cues.extend(list.iter().map(|p| (kind, p.clone())));
                lex.cue_filter.insert(first);
            }
        }
        lex
    }

    /// Whether a verb form is a participle that takes its sentence's subject.
    pub(crate) fn is_gerund(&self, norm: &str) -> bool {
        self.gerund_suffixes
            .iter()
            .any(|s| norm.len() > s.len() + 2 && norm.ends_with(s.as_str()))
    }

    /// Whether a normalised token ends as a possessive does (`ABC's`, `'s`).
    pub(crate) fn is_possessive(&self, norm: &str) -> bool {
        self.possessive_suffixes
            .iter()
            .any(|s| norm.ends_with(s.as_str()))
    }

    /// Whether a normalised word is a verb of saying (one word) or a naming word: a title-case
    /// quotation right after it is words given as said or written, not a title.
    pub(crate) fn introduces(&self, norm: &str) -> bool {
        self.naming.contains(norm) || self.verbs.longest_at(|k| (k == 0).then_some(norm)) == Some(1)
    }

    /// Whether the language has any cue at all.
    #[cfg(test)]
    pub(crate) fn has_cues(&self) -> bool {
        !self.verbs.is_empty()
    }

    /// Whether `norm` is a preposition, a determiner or a pronoun (one look-up for the three).
    #[inline]
    pub(crate) fn class(&self, norm: &str) -> WordClass {
        self.classes.get(norm).copied().unwrap_or_default()
    }

    /// Whether a cue phrase may open with the word `first` (never `false` when one does).
    #[inline]
    pub(crate) fn may_open_cue(&self, first: &str) -> bool {
        self.cue_filter.may_contain(first)
    }

    /// The cue phrase starting at token `0` of `norms`: its kind and its length in tokens.
    pub(crate) fn cue_at<'n>(
        &self,
        norms: impl Fn(usize) -> Option<&'n str>,
    ) -> Option<(CueKind, usize)> {
        let first = norms(0)?;
        if !self.may_open_cue(first) {
            return None;
        }
        let list = self.cues.get(first)?;
        list.iter()
            .find(|(_, p)| follows(p, &norms))
            .map(|(kind, p)| (*kind, p.len()))
    }
}

macro_rules! quote_lexicon {
    ($code:literal) => {
        (
            $code,
            include_str!(concat!("../../lexicon/", $code, "/speech_verbs.txt")),
            include_str!(concat!("../../lexicon/", $code, "/quote_cues.txt")),
            include_str!(concat!("../../lexicon/", $code, "/pronouns.txt")),
        )
    };
}

/// The data files of every language with attribution knowledge: (code, verbs, cues, pronouns).
pub(crate) const FILES: [(&str, &str, &str, &str); 6] = [
    quote_lexicon!("en"),
    quote_lexicon!("fr"),
    quote_lexicon!("de"),
    quote_lexicon!("es"),
    quote_lexicon!("it"),
    quote_lexicon!("pt"),
];

static REGISTRY: LazyLock<HashMap<&'static str, QuoteLexicon>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|&(code, verbs, cues, pronouns)| (code, QuoteLexicon::parse(verbs, cues, pronouns)))
        .collect()
});

static EMPTY: LazyLock<QuoteLexicon> = LazyLock::new(QuoteLexicon::default);

/// The attribution data of a language (primary subtag); languages without data get an empty lexicon,
/// with which quotes are still found but speakers only through punctuation patterns.
pub(crate) fn for_language(primary: &str) -> &'static QuoteLexicon {
    REGISTRY.get(primary).unwrap_or(&EMPTY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quote_lexicon_loads_is_non_empty_and_has_no_duplicates() {
        for (code, verbs, cues, pronouns) in FILES {
            for (name, src) in [
                ("speech_verbs", verbs),
                ("quote_cues", cues),
                ("pronouns", pronouns),
            ] {
                let list: Vec<_> = entries(src).collect();
                assert!(!list.is_empty(), "{code}/{name}.txt is empty");
                let mut seen = HashSet::default();
                for e in &list {
                    assert!(seen.insert(*e), "{code}/{name}.txt: duplicate entry {e:?}");
                    assert_eq!(
                        *e,
                        e.to_lowercase(),
                        "{code}/{name}.txt: {e:?} must be lower case"
                    );
                }
            }
            let lex = for_language(code);
            assert!(lex.has_cues(), "{code}: no verb of saying");
            assert!(!lex.pronouns.is_empty(), "{code}: no pronoun");
            assert!(!lex.det.is_empty(), "{code}: no determiner");
        }
    }

    #[test]
    fn a_word_class_says_what_the_sets_say() {
        for &(code, ..) in FILES.iter() {
            let lex = for_language(code);
            let words = lex.prep.iter().chain(&lex.det).chain(lex.pronouns.keys());
            for w in words.map(String::as_str).chain(["", "zzz", "said"]) {
                let class = lex.class(w);
                assert_eq!(class.prep, lex.prep.contains(w), "{code}: {w:?}");
                assert_eq!(class.det, lex.det.contains(w), "{code}: {w:?}");
                assert_eq!(class.pronoun, lex.pronouns.get(w).copied(), "{code}: {w:?}");
            }
        }
    }

    #[test]
    fn the_cue_filter_passes_every_cue_word() {
        for (code, ..) in FILES {
            let lex = for_language(code);
            for first in lex.cues.keys() {
                assert!(lex.cue_filter.may_contain(first), "{code}: {first:?}");
            }
            let passed = ["le", "la", "de", "the", "and", "président", "maison"]
                .iter()
                .filter(|w| !lex.cues.contains_key(**w) && lex.cue_filter.may_contain(w))
                .count();
            assert!(passed <= 2, "{code}: the filter lets most words through");
        }
        assert!(!for_language("zz").cue_filter.may_contain("said"));
    }

    fn cue(lang: &str, words: &[&str]) -> Option<(CueKind, usize)> {
        for_language(lang).cue_at(|k| words.get(k).copied())
    }

    #[test]
    fn cues_match_whole_phrases_and_inflections() {
        assert_eq!(cue("en", &["said", "the"]), Some((CueKind::Verb, 1)));
        assert_eq!(
            cue("en", &["according", "to", "x"]),
            Some((CueKind::Source, 2))
        );
        assert_eq!(cue("en", &["according", "with"]), None);
        assert_eq!(
            cue("fr", &["d'", "après", "la"]),
            Some((CueKind::Source, 2))
        );
        assert_eq!(cue("fr", &["souligné"]), Some((CueKind::Verb, 1)));
        assert_eq!(cue("fr", &["annonçait"]), Some((CueKind::Verb, 1)));
        assert_eq!(cue("fr", &["maison"]), None);
        assert!(for_language("fr").style.dialogue_dash);
        assert!(!for_language("en").style.dialogue_dash);
        assert!(for_language("en").style.right_double_closes);
        assert!(!for_language("zz").style.right_double_closes);
        assert!(!for_language("zz").has_cues());
        assert!(for_language("en").is_gerund("adding"));
        assert!(!for_language("en").is_gerund("king"));
        assert!(for_language("en").is_possessive("'s"));
        assert!(for_language("en").is_possessive("abc's"));
        assert!(!for_language("en").is_possessive("abc"));
        assert!(!for_language("fr").is_possessive("'s"));
        assert!(for_language("en").introduces("titled"));
        assert!(for_language("en").introduces("chanted"));
        assert!(!for_language("en").introduces("the"));
        assert!(for_language("fr").introduces("intitulée"));
        assert!(!for_language("fr").introduces("maison"));
    }
}
