//! Language of an article: the caller's BCP-47 tag when given, otherwise detected from the text.
//!
//! Only the primary subtag matters to the analysis (`fr-CA` is analysed as `fr`); the caller's full tag
//! is echoed back.
//!
//! # How detection works
//! Detection reads the first [`SAMPLE_BYTES`] of the text (a paragraph decides as well as the whole
//! article, and the cost stays flat) and combines two kinds of evidence:
//! 1. **Script.** Text in a script other than Latin (Cyrillic, Arabic, CJK, Devanagari...) goes to
//!    `whatlang`'s trigram profiles, which tell the languages of one script apart well.
//! 2. **Function words** of the languages with a lexicon (`lexicon/<lang>/stopwords.txt`). When one
//!    language's function words make up a quarter of the words and twice the runner-up's, it wins
//!    outright; this decides almost every article without running the trigram model at all.
//!    Otherwise `whatlang` (over every Latin-script language) decides when it is reliable on enough
//!    text or when function words are scarce; for short text the function words decide, `whatlang`
//!    breaking ties among them (a tie in plain ASCII goes to English, the one lexicon language written
//!    without diacritics); a headline without any function word goes to `whatlang` restricted to the
//!    lexicon languages, except that plain ASCII text is taken as English.
//!
//! Every language `whatlang` knows still gets an answer; `und` only when there is nothing to read.
//!
//! # Measurements (issue 3)
//! The 1,242 dev articles of `shared/eval` (863 en, 379 fr). "Headline" is the article's `title`, or
//! else its first line (BBC and OrangeSum titles average ~60 characters; CoNLL and TimeBank first
//! lines are longer). µs per detection are wall-clock on this 2-core machine shared with other builds
//! (load 7-14), so only their ratios mean much; the last row is CPU time.
//!
//! | detector                                    | full text | headline | µs full / headline | memory     |
//! |---------------------------------------------|-----------|----------|--------------------|------------|
//! | whatlang 0.16 (previous code, 4 KB sample)  | 99.03 %   | 72.54 %  | 359 / 166          | 0          |
//! | whatlang restricted to en/fr/de/es/it/pt    | 99.44 %   | 81.88 %  | 226 / 60           | 0          |
//! | lingua 1.8 low accuracy, 7 languages        | 97.58 %   | 92.83 %  | 3187 / 709         | +15 MiB    |
//! | lingua 1.8 high accuracy, 7 languages       | 99.92 %   | 98.23 %  | 3358 / 1227        | +16 MiB    |
//! | whatlang, then function words when unsure   | 99.76 %   | 85.75 %  | 521 / 282          | 0          |
//! | **this module** (512 B sample)              | 99.92 %   | 96.78 %  | 9-15 (CPU) / -     | 0          |
//!
//! A third language as a check (not tuned on): on the first 553 German CoNLL-2003 training stories
//! this module is right on 100 % of full texts and 88.79 % of first lines (89.87 % without the ASCII
//! tie rule, which costs German a little and gains English 1.7 points).
//!
//! lingua (7 languages: en fr de es it pt nl) loads its models on first use (~10 ms, +15-16 MiB RSS),
//! costs ~200 µs even for a 32-character headline and adds ~25 MB to the binary; its accuracy on
//! headlines is the best, but its cost alone is several times the whole analysis budget (~100 µs for a
//! 2.5 KB article), so it was not taken. The remaining headline errors are mostly short English headlines
//! that hold a word which is also a French or Italian function word, or a non-ASCII character (`£`,
//! an accented name), and that trigrams read as French, German or Italian.

use std::sync::LazyLock;

use whatlang::{Detector, Lang, Script};

use super::lexicon::{LanguageData, ShortWords, WordMap, REGISTRY};
use super::token::{char_at, is_letter, push_lower};

/// The lexicon language written in plain ASCII (no diacritics): the guess for a short Latin-script
/// text with no function word and no diacritic, where trigrams are no better than chance.
const ASCII_LANGUAGE: &str = "en";

/// How much of the text detection reads, in bytes.
pub const SAMPLE_BYTES: usize = 512;

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
        match detect_code(prefix_on_char_boundary(text, SAMPLE_BYTES)) {
            Some(code) => Language {
                tag: code.to_string(),
                primary: code.to_string(),
                source: LanguageSource::Detected,
            },
            None => Language::undetermined(),
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

/// Languages with a lexicon, in a fixed order (ties are broken the same way on every run).
static LEXICON_LANGUAGES: LazyLock<Vec<&'static LanguageData>> = LazyLock::new(|| {
    let mut langs: Vec<&'static LanguageData> = REGISTRY.values().collect();
    langs.sort_by_key(|d| d.code);
    langs
});

/// The `whatlang` language with this BCP-47 code.
fn whatlang_of(code: &str) -> Option<Lang> {
    Lang::all().iter().copied().find(|&l| iso639_1(l) == code)
}

/// Every function word of the lexicon languages, with the languages it belongs to: bit `i` stands for
/// `LEXICON_LANGUAGES[i]` (one look-up per word instead of one per language).
static FUNCTION_WORDS: LazyLock<WordMap<u64>> = LazyLock::new(|| {
    let mut words = WordMap::default();
    for (bit, data) in LEXICON_LANGUAGES
        .iter()
        .enumerate()
        .take(u64::BITS as usize)
    {
        for &word in &data.stopwords {
            *words.entry(word).or_insert(0) |= 1 << bit;
        }
    }
    words
});

/// [`FUNCTION_WORDS`] of at most 8 bytes (nearly all), found without hashing their bytes one by one.
static SHORT_FUNCTION_WORDS: LazyLock<ShortWords<u64>> =
    LazyLock::new(|| ShortWords::new(FUNCTION_WORDS.iter().map(|(&w, &langs)| (w, langs))));

/// The languages (bits as in [`FUNCTION_WORDS`]) of which the lower-case word `lower` is a function
/// word.
fn function_word_languages(lower: &str) -> Option<u64> {
    if lower.len() <= 8 {
        SHORT_FUNCTION_WORDS.get(lower)
    } else {
        FUNCTION_WORDS.get(lower).copied()
    }
}

/// Length in bytes of the longest function word.
static LONGEST_FUNCTION_WORD: LazyLock<usize> =
    LazyLock::new(|| FUNCTION_WORDS.keys().map(|w| w.len()).max().unwrap_or(0));

/// Counts, for each lexicon language, the words of `sample` that are its function words; returns the
/// counts (in [`LEXICON_LANGUAGES`] order) and the number of words.
fn function_word_counts(sample: &str) -> (Vec<usize>, usize) {
    let mut counts = vec![0; LEXICON_LANGUAGES.len()];
    let mut words = 0;
    let mut lower = String::new();
    let bytes = sample.as_bytes();
    let mut at = 0;
    while let Some((c, len)) = char_at(sample, at) {
        at += len;
        if !is_letter(c) {
            continue;
        }
        // A word: a maximal run of letters, ASCII ones read by byte.
        let start = at - len;
        let mut ascii = c.is_ascii();
        loop {
            while bytes
                .get(at)
                .is_some_and(|&b| LATIN_KIND[usize::from(b)] == ASCII_LETTER)
            {
                at += 1;
            }
            match char_at(sample, at) {
                Some((c, len)) if !c.is_ascii() && is_letter(c) => {
                    ascii = false;
                    at += len;
                }
                _ => break,
            }
        }
        let word = sample.get(start..at).unwrap_or("");
        words += 1;
        lower.clear();
        if ascii {
            // Lower case keeps an ASCII word's length: a longer one is no function word.
            if word.len() > *LONGEST_FUNCTION_WORD {
                continue;
            }
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            for c in word.chars() {
                push_lower(c, &mut lower);
            }
        }
        let Some(langs) = function_word_languages(&lower) else {
            continue;
        };
        for (bit, count) in counts.iter_mut().enumerate().take(u64::BITS as usize) {
            *count += (langs >> bit & 1) as usize;
        }
    }
    (counts, words)
}

/// Whether `whatlang::detect_script` is sure to answer Latin: more of the characters it counts are
/// Latin than all others together (so Latin has the strictly highest count). One pass over the
/// sample, without trying two dozen scripts on every character.
fn mostly_latin(sample: &str) -> bool {
    let (mut latin, mut other) = (0usize, 0usize);
    for (at, &b) in sample.as_bytes().iter().enumerate() {
        match LATIN_KIND[usize::from(b)] {
            ASCII_LETTER => latin += 1,
            DEL => other += 1,
            // A lead byte: the character starts here (continuation bytes are skipped).
            LEAD => match char_at(sample, at) {
                Some((c, _)) if is_whatlang_latin(c) => latin += 1,
                // Another script or none: counted against Latin either way.
                _ => other += 1,
            },
            // whatlang skips ASCII digits, punctuation, white space and controls but DEL.
            _ => {}
        }
    }
    latin > other
}

/// What a byte is to [`mostly_latin`] and to the word scan of [`function_word_counts`]
/// ([`LATIN_KIND`]): an ASCII letter,
const ASCII_LETTER: u8 = 1;
/// DEL, the one ASCII character whatlang counts against Latin,
const DEL: u8 = 2;
/// the first byte of a non-ASCII character,
const LEAD: u8 = 3;
/// or none of these (0: other ASCII characters and continuation bytes).
static LATIN_KIND: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphabetic() {
            ASCII_LETTER
        } else if c == 0x7f {
            DEL
        } else if c >= 0xC0 {
            LEAD
        } else {
            0
        };
        b += 1;
    }
    table
};

/// The non-ASCII characters `whatlang` 0.16 counts as Latin script (`scripts/chars.rs`, `is_latin`;
/// MIT licence).
fn is_whatlang_latin(c: char) -> bool {
    matches!(c,
        '\u{0080}'..='\u{02AF}'
        | '\u{1D00}'..='\u{1DBF}'
        | '\u{1E00}'..='\u{1EFF}'
        | '\u{2100}'..='\u{214F}'
        | '\u{2C60}'..='\u{2C7F}'
        | '\u{A720}'..='\u{A7FF}'
        | '\u{AB30}'..='\u{AB6F}'
    )
}

/// The detection described in the module documentation, on an already-cut sample.
fn detect_code(sample: &str) -> Option<&'static str> {
    let script = if mostly_latin(sample) {
        Script::Latin
    } else {
        whatlang::detect_script(sample)?
    };
    if script != Script::Latin {
        return whatlang::detect(sample)
            .filter(|info| info.is_reliable() || info.confidence() > 0.02)
            .map(|info| iso639_1(info.lang()));
    }
    let langs = &*LEXICON_LANGUAGES;
    let (counts, words) = function_word_counts(sample);
    let best = counts.iter().copied().max().unwrap_or(0);
    let mut ranked = counts.clone();
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    let runner_up = ranked.get(1).copied().unwrap_or(0);
    let leaders: Vec<&'static str> = langs
        .iter()
        .zip(&counts)
        .filter(|&(_, &c)| c == best)
        .map(|(d, _)| d.code)
        .collect();
    // Clear function-word evidence decides on its own.
    if words >= 8 && best * 4 >= words && best >= 2 * runner_up {
        return leaders.first().copied();
    }
    let info = whatlang::detect(sample);
    let trigram = info.as_ref().map(|i| iso639_1(i.lang()));
    let reliable = info.as_ref().is_some_and(whatlang::Info::is_reliable);
    // Trigrams are trusted on a paragraph, or on shorter text where function words say little (a
    // language without a lexicon, such as Dutch, shares a few of them with French or German).
    if reliable && (sample.len() > 200 || best * 4 < words) {
        return trigram;
    }
    if best > 0 {
        // A tie in plain ASCII text: "Car giant hit by Mercedes slump" (French "car", English "by").
        if leaders.len() > 1 && sample.is_ascii() && leaders.contains(&ASCII_LANGUAGE) {
            return Some(ASCII_LANGUAGE);
        }
        if let Some(t) = trigram.filter(|t| leaders.contains(t)) {
            return Some(t);
        }
        if let [only] = leaders[..] {
            return Some(only);
        }
        return restricted(sample, &leaders).or(leaders.first().copied());
    }
    // No function word at all: a headline such as "Car giant hit by Mercedes slump".
    if reliable {
        return trigram;
    }
    let has_letter = sample.chars().any(char::is_alphabetic);
    if has_letter && sample.is_ascii() && REGISTRY.contains_key(ASCII_LANGUAGE) {
        return Some(ASCII_LANGUAGE);
    }
    let all: Vec<&'static str> = langs.iter().map(|d| d.code).collect();
    restricted(sample, &all).or(trigram)
}

/// `whatlang`'s best guess among `codes`.
fn restricted(sample: &str, codes: &[&'static str]) -> Option<&'static str> {
    let allow: Vec<Lang> = codes.iter().filter_map(|c| whatlang_of(c)).collect();
    Detector::with_allowlist(allow)
        .detect_lang(sample)
        .map(iso639_1)
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
    fn latin_shortcut_agrees_with_whatlang() {
        let samples = [
            "Le président a dit « non » – l’Élysée",
            "The U.S. team won 3-1",
            "Привет, Paris!",
            "Москва и Paris",
            "東京 Tokyo",
            "ab 東京",
            "a\u{7f}\u{7f}",
            "ŁÓDŹ ǅ ɐ ẞ ℃ Ꜳ",
            "12, 34 ...",
            "",
        ];
        for sample in samples {
            if mostly_latin(sample) {
                assert_eq!(
                    whatlang::detect_script(sample),
                    Some(Script::Latin),
                    "{sample}"
                );
            }
        }
        assert!(mostly_latin(samples[0]));
        assert!(!mostly_latin("Москва и Paris"));
        assert!(!mostly_latin("12, 34 ..."));
    }

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
    fn function_words_are_counted_per_language() {
        let sample = "Le président a dit que the war and die Grenze de la ciudad, ÉTÉ Über";
        let (counts, words) = function_word_counts(sample);
        assert_eq!(words, 15);
        for (count, data) in counts.iter().zip(LEXICON_LANGUAGES.iter()) {
            let expected = sample
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty() && data.is_stopword(&w.to_lowercase()))
                .count();
            assert_eq!(*count, expected, "{}", data.code);
        }
        assert!(counts.iter().filter(|&&c| c > 0).count() >= 3);
        assert!(LEXICON_LANGUAGES.len() <= u64::BITS as usize);
    }

    #[test]
    fn detects_french_and_english() {
        let fr =
            "Le président russe a proposé à son homologue américain de revenir sur les mesures.";
        let en = "The Russian president offered his American counterpart to lift the restrictions.";
        assert_eq!(Language::detect(fr).primary, "fr");
        assert_eq!(Language::detect(en).primary, "en");
    }

    fn detected(text: &str) -> String {
        Language::detect(text).primary
    }

    #[test]
    fn short_english_headlines_are_english_not_dutch() {
        for h in [
            "Rock band U2 break ticket record",
            "Rapper Jay-Z becomes label boss",
            "Car giant hit by Mercedes slump",
            "Stealth Over Health: Hillary Clinton Was Headed to ER",
            "Australia rates at four year high",
        ] {
            assert_eq!(detected(h), "en", "{h:?}");
        }
    }

    #[test]
    fn short_french_headlines_are_french() {
        for h in [
            "Venise : un paquebot incontrôlable sème la panique",
            "Dégel : Poutine propose à Biden de lever les sanctions",
            "Grève à la SNCF",
        ] {
            assert_eq!(detected(h), "fr", "{h:?}");
        }
    }

    #[test]
    fn next_languages_are_detected() {
        let cases = [
            (
                "de",
                "Die Regierung hat am Montag beschlossen, dass die Steuern nicht erhöht werden.",
            ),
            (
                "es",
                "El gobierno anunció el lunes que los impuestos no subirán este año.",
            ),
            (
                "it",
                "Il governo ha annunciato lunedì che le tasse non saranno aumentate.",
            ),
            (
                "pt",
                "O governo anunciou na segunda-feira que os impostos não vão subir.",
            ),
        ];
        for (code, text) in cases {
            assert_eq!(detected(text), code, "{text:?}");
        }
    }

    #[test]
    fn other_scripts_and_languages_still_get_an_answer() {
        assert_eq!(
            detected("Президент России встретился с американским коллегой в Женеве."),
            "ru"
        );
        assert_eq!(detected("今天北京下了一场大雨，很多人都待在家里。"), "zh");
        let nl =
            "De regering heeft maandag besloten dat de belastingen dit jaar niet omhoog gaan, \
                  zei de minister van financiën tegen verslaggevers in Den Haag.";
        assert_eq!(detected(nl), "nl");
    }

    #[test]
    fn detection_reads_a_bounded_sample() {
        let long = "Le gouvernement a décidé de ne pas augmenter les impôts. ".repeat(20_000);
        assert_eq!(detected(&long), "fr");
        assert!(prefix_on_char_boundary("ééé", 3).len() == 2);
    }

    #[test]
    fn nothing_to_detect_is_undetermined() {
        assert_eq!(Language::detect("1234 5678").primary, "und");
        assert_eq!(Language::detect("").source, LanguageSource::Undetermined);
    }
}
