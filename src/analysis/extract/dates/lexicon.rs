//! Per-language date data: word classes (`dates.txt`) and patterns (`date_patterns.txt`).
//!
//! Both files live in `lexicon/<lang>/` and are parsed once. The word file has one entry per line,
//! `CLASS VALUE PHRASE`, where the phrase may hold several words (`il y a`, `a few`, `p.m.`). A phrase
//! written with a capital initial (`May`, `March`) only matches capitalised text, so that the English
//! verb "may" or a "march" stays out; a phrase starting with `=` matches only in exactly that case
//! (`=mars`, the French month, but not "Mars" the planet). The pattern file has one pattern per line:
//! a sequence of slots (`<month>`, `<day>`, `<unit=Q>`), literal words (`of`, `du`, `,`), a `?` after any
//! of them to make it optional and `~` to split a range into its start and its end. The classes a word
//! file may use are the names of [`Class`]; the built-in slots read digits or spelled numbers.

use std::collections::HashMap;

/// Hash maps of the per-request look-ups: short words, so a fast hasher (foldhash) instead of SipHash.
type FastMap<K, V> = foldhash::HashMap<K, V>;
use std::sync::LazyLock;

use super::super::super::lexicon::{entries, ShortWords};
use super::scan::tokenize;

/// A class of temporal words; the name used in the data files is the lower-case variant name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Class {
    /// A month name, value 1..=12.
    Month,
    /// A weekday name, value 1 (Monday) ..= 7.
    Weekday,
    /// A cardinal number word, value its number (`a` = 1, `thousand` = 1000).
    Num,
    /// An unknown quantity (`several`, `quelques`), value `X`.
    Fuzzy,
    /// An ordinal word, value its number.
    Ord,
    /// A suffix of digit ordinals (`th`, `er`), value `-`.
    OrdSuffix,
    /// A unit of time, value `Y M W D H MIN S Q HALF DE CE ML WE`.
    Unit,
    /// A season, value `SP SU FA WI`.
    Season,
    /// A part of the day, value `MO AF EV NI`.
    Daypart,
    /// A shift from the anchor (`last` -1, `this` 0, `next` +1).
    Shift,
    /// A direction of a counted offset (`ago` -1, `il y a` -1, `dans` +1).
    Ago,
    /// A day relative to the anchor (`yesterday` -1), optionally with a part of the day (`0:NI`).
    Deictic,
    /// A vague reference, value `PAST_REF`, `PRESENT_REF` or `FUTURE_REF`.
    Vague,
    /// A word making a recurrence (`every`, `chaque`), value `-`.
    Every,
    /// A recurrence in one word (`daily`), value its TIMEX3 value.
    SetWord,
    /// A length of time in one word (`quinquennat`), value its TIMEX3 value.
    DurWord,
    /// A modifier kept in the span (`early`, `fin`), value its TIMEX3 `mod`.
    Mod,
    /// An approximation kept in the span (`about`, `près de`), value `-`.
    Approx,
    /// A determiner kept in the span (`the`, `le`), value `-`.
    Det,
    /// A named time of day (`noon` 12:00).
    Clock,
    /// A morning/afternoon marker, value the hours to add (`a.m.` 0, `p.m.` 12).
    Ampm,
    /// An hour marker (`h`, `o'clock`), value `-`.
    Hmark,
    /// A marker of decades (`années` in "les années 1990"), value `-`.
    Decade,
    /// A decade in words (`nineties`), value its TIMEX3 value (`199`).
    DecadeWord,
    /// A word announcing the future near a weekday or month (`will`), value `-`.
    Future,
    /// A word that must not precede a year (currency), value `-`.
    NotYear,
    /// Settings: `numorder dmy` or `numorder mdy`.
    Config,
}

impl Class {
    fn parse(s: &str) -> Option<Class> {
        Some(match s {
            "month" => Class::Month,
            "weekday" => Class::Weekday,
            "num" => Class::Num,
            "fuzzy" => Class::Fuzzy,
            "ord" => Class::Ord,
            "ordsuffix" => Class::OrdSuffix,
            "unit" => Class::Unit,
            "season" => Class::Season,
            "daypart" => Class::Daypart,
            "shift" => Class::Shift,
            "ago" => Class::Ago,
            "deictic" => Class::Deictic,
            "vague" => Class::Vague,
            "every" => Class::Every,
            "setword" => Class::SetWord,
            "durword" => Class::DurWord,
            "mod" => Class::Mod,
            "approx" => Class::Approx,
            "det" => Class::Det,
            "clock" => Class::Clock,
            "ampm" => Class::Ampm,
            "hmark" => Class::Hmark,
            "decade" => Class::Decade,
            "decadeword" => Class::DecadeWord,
            "future" => Class::Future,
            "notyear" => Class::NotYear,
            "config" => Class::Config,
            _ => return None,
        })
    }
}

/// How the case of the text must agree with a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Case {
    /// Any case.
    Any,
    /// The first letter must be upper case.
    Capital,
    /// The first letter must be lower case.
    Lower,
}

/// One phrase of a class.
#[derive(Debug)]
pub(super) struct Phrase {
    /// Word ids (see [`DateLexicon::word_id`]) of its normalised tokens.
    pub(super) tokens: Vec<u32>,
    /// The value column.
    pub(super) value: &'static str,
    /// Case constraint.
    pub(super) case: Case,
}

/// A slot that reads digits or spelled numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BuiltIn {
    /// A year: four digits or a spelled year (`nineteen ninety-six`).
    Year,
    /// A two-digit year after a month (`octobre 98`).
    ShortYear,
    /// A day of the month: `7`, `7th`, `1er`, or an ordinal word.
    Day,
    /// A count: digits, number words or a vague quantity.
    Count,
    /// An hour, 0..=24.
    Hour,
    /// Two-digit minutes.
    Minute,
    /// A clock time in one token: `14:30`, `14h30`, `14h`.
    Time,
    /// `2021-12-07`.
    IsoDate,
    /// `7/12/2021`, day or month first by the language's `numorder`.
    NumDate,
    /// `1990s`.
    Decade,
    /// `Q3`.
    QuarterToken,
}

impl BuiltIn {
    /// The number of slots.
    pub(super) const COUNT: usize = BuiltIn::QuarterToken as usize + 1;
}

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Elem {
    /// A word class, with an optional required value (`<unit=Q>`).
    Class(Class, Option<String>),
    /// A built-in slot.
    BuiltIn(BuiltIn),
    /// A literal normalised token, by word id.
    Word(u32),
    /// Start of a range's end.
    RangeSep,
}

/// A pattern: elements with their optional flags.
#[derive(Debug)]
pub(super) struct Pattern {
    /// The elements and whether each may be skipped.
    pub(super) elems: Vec<(Elem, bool)>,
    /// Words (ids) one of which must come just before the match, outside its span (`(en)`).
    pub(super) before: Vec<u32>,
    /// Words (ids) one of which must come just after the match, outside its span.
    pub(super) after: Vec<u32>,
    /// A blocker (`!` at the start of the line): what it matches is not a temporal expression.
    pub(super) blocks: bool,
    /// Start keys (bits of [`Class`], and [`DIGIT_KEY`]) of the elements that may begin a match.
    start_keys: u64,
    /// Literal words (ids) that may begin a match.
    start_words: Vec<u32>,
    /// For each `k`, what a token must be for `elems[k..]` to match from it.
    suffix_starts: Vec<Start>,

    /// The index of the first required element: a match begins with one of `elems[..=leading]`.
    pub(super) leading: usize,
}

/// A necessary condition on the token where some elements begin to match.
#[derive(Debug, Default)]
struct Start {
    /// Any token may do (the elements may match nothing, or read letters of unknown words).
    any: bool,
    /// Start keys (see [`Word::keys`]) one of which the token must have...
    keys: u64,
    /// ...unless it is one of these words.
    words: Vec<u32>,
}

impl Start {
    /// Admits every token.
    const ANY: Start = Start {
        any: true,
        keys: 0,
        words: Vec::new(),
    };

    /// Adds what a token beginning `elem` must be.
    fn add(&mut self, elem: &Elem) {
        match elem {
            Elem::Class(c, _) => {
                self.keys |= class_key(*c);
                if *c == Class::Ord {
                    self.keys |= DIGIT_KEY;
                }
            }
            Elem::BuiltIn(BuiltIn::QuarterToken) => self.any = true,
            // The other slots read digits first; years, counts and days may also be spelled out.
            Elem::BuiltIn(b) => {
                self.keys |= DIGIT_KEY;
                if matches!(b, BuiltIn::Year | BuiltIn::Count | BuiltIn::Day) {
                    self.keys |=
                        class_key(Class::Num) | class_key(Class::Fuzzy) | class_key(Class::Ord);
                }
            }
            Elem::Word(w) => self.words.push(*w),
            Elem::RangeSep => {}
        }
    }

    /// Whether a token with start keys `keys` and word id `id` passes.
    fn admits(&self, keys: u64, id: u32) -> bool {
        self.any || self.keys & keys != 0 || self.words.contains(&id)
    }

    /// Admits, from now on, every token that `other` admits.
    fn merge(&mut self, other: &Start) {
        self.any |= other.any;
        self.keys |= other.keys;
        for w in &other.words {
            if !self.words.contains(w) {
                self.words.push(*w);
            }
        }
    }
}

/// What must follow a word, not a number, for any pattern to begin there: for each element that may
/// match first at it, what the elements after it accept. A determiner before a plain noun ("la
/// France") thus starts no pattern, and costs a test or two.
#[derive(Debug, Default)]
pub(super) struct Follow {
    /// A pattern may begin at the word whatever follows (a range separator, a quarter token).
    any: bool,
    /// A pattern may begin at the word whatever follows when it begins a phrase of one of these
    /// classes (bits), which may start a spelled number: where it ends is not known in advance.
    unless_found: u64,
    /// After the word as a literal element, the token after it must pass this.
    word: Start,
    /// After a phrase of a class (bit) beginning with the word, the token after the phrase must
    /// pass this (only for the classes of the word's phrases that the text spells out).
    class: Vec<(u64, Start)>,
}

impl Follow {
    /// Whether a pattern may begin at the word, whatever follows, when it begins phrases of the
    /// classes `found` (bits).
    pub(super) fn open(&self, found: u64) -> bool {
        self.any || found & self.unless_found != 0
    }

    /// Whether a pattern may go on at a token with start keys `keys` and word id `id` after the word
    /// matched as a literal element.
    pub(super) fn admits_after_word(&self, keys: u64, id: u32) -> bool {
        self.word.admits(keys, id)
    }

    /// Whether a pattern may go on at a token with start keys `keys` and word id `id` after a
    /// phrase of the class with bit `class` that begins with the word.
    pub(super) fn admits_after(&self, class: u64, keys: u64, id: u32) -> bool {
        self.class
            .iter()
            .any(|(c, start)| *c == class && start.admits(keys, id))
    }

    /// The [`Follow`] of word `id` with start keys `keys` (`q`: its form begins with `q`, as a
    /// quarter token does), over the patterns `candidates` that may begin at it.
    fn new(patterns: &[Pattern], candidates: &[u16], id: u32, keys: u64, q: bool) -> Follow {
        let mut follow = Follow::default();
        for &c in candidates {
            let p = &patterns[usize::from(c)];
            for (k, (elem, _)) in p.elems[..=p.leading].iter().enumerate() {
                let next = match p.suffix_starts.get(k + 1) {
                    Some(start) => start,
                    None => &Start::ANY,
                };
                match elem {
                    Elem::Word(w) if *w == id => follow.word.merge(next),
                    Elem::Word(_) => {}
                    Elem::Class(class, _) if keys & class_key(*class) != 0 => {
                        let bit = class_key(*class);
                        match follow.class.iter_mut().find(|(c, _)| *c == bit) {
                            Some((_, start)) => start.merge(next),
                            None => {
                                let mut start = Start::default();
                                start.merge(next);
                                follow.class.push((bit, start));
                            }
                        }
                    }
                    Elem::Class(..) => {}
                    Elem::BuiltIn(BuiltIn::Year) => follow.unless_found |= class_key(Class::Num),
                    Elem::BuiltIn(BuiltIn::Count) => {
                        follow.unless_found |= class_key(Class::Num) | class_key(Class::Fuzzy);
                    }
                    Elem::BuiltIn(BuiltIn::Day) => follow.unless_found |= class_key(Class::Ord),
                    Elem::BuiltIn(BuiltIn::QuarterToken) => follow.any |= q,
                    // The other slots read nothing but digits.
                    Elem::BuiltIn(_) => {}
                    Elem::RangeSep => follow.any = true,
                }
            }
        }
        follow
    }
}

/// The start key of tokens beginning with a digit.
const DIGIT_KEY: u64 = 1 << 63;

/// The bit of a class in start keys.
pub(super) fn class_key(c: Class) -> u64 {
    1 << (c as u32)
}

impl Pattern {
    /// Whether a token with start keys `keys` and word id `id` may begin a match.
    fn may_start(&self, keys: u64, id: u32) -> bool {
        self.start_keys & keys != 0 || self.start_words.contains(&id)
    }

    /// Whether `elems[k..]` may match from a token with start keys `keys` and word id `id`: false
    /// only when no path through the optional elements can (a quick test before trying them).
    pub(super) fn may_continue(&self, k: usize, keys: u64, id: u32) -> bool {
        self.suffix_starts.get(k).is_none_or(|s| s.admits(keys, id))
    }
}

/// For each `k`, the [`Start`] of `elems[k..]`: the optional elements up to the first required one
/// (a range separator matches no token, so the element after it counts too).
fn suffix_starts(elems: &[(Elem, bool)]) -> Vec<Start> {
    (0..elems.len())
        .map(|k| {
            let mut start = Start::default();
            let mut open = true;
            for (elem, optional) in &elems[k..] {
                start.add(elem);
                if !optional && *elem != Elem::RangeSep {
                    open = false;
                    break;
                }
            }
            start.any |= open;
            start
        })
        .collect()
}

/// The id of a token whose form no phrase or pattern of the language uses.
pub(super) const NO_WORD: u32 = u32::MAX;

/// What the lexicon knows about one word (a normalised token form).
#[derive(Debug, Default)]
struct Word {
    /// The class bits of `classes`.
    keys: u64,
    /// The phrases of each class that begin with this word, longest first (file order on ties).
    classes: Vec<(Class, Vec<Phrase>)>,
    /// The patterns (indices, in file order) that may begin at this word, without and with a
    /// leading digit.
    candidates: [Vec<u16>; 2],
    /// What must follow it for one of `candidates[0]` to begin at it.
    follow: Follow,
}

/// Gives every word form of the data files a small integer id, so that matching compares integers.
#[derive(Debug, Default)]
struct Interner {
    ids: FastMap<String, u32>,
}

impl Interner {
    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = u32::try_from(self.ids.len()).expect("fewer than 2^32 words in the date lexicon");
        self.ids.insert(word.to_string(), id);
        id
    }
}

/// Everything the engine knows about one language.
#[derive(Debug)]
pub(super) struct DateLexicon {
    /// Primary language subtag.
    pub(super) code: &'static str,
    /// Word ids of the normalised forms used by phrases and patterns.
    vocab: FastMap<String, u32>,
    /// The byte length of the longest form in `vocab`: longer tokens need no look-up.
    longest: usize,
    /// For each first byte, bit `n` set when some form in `vocab` of `n` bytes begins with it: a
    /// token whose shape no form has needs no hashing (most words of a text are not date words).
    shapes: [u64; 256],
    /// The ids of the forms of at most 8 bytes (nearly all), without hashing strings.
    short: ShortWords<u32>,
    /// What each word id begins, indexed by id.
    words: Vec<Word>,
    /// The patterns that may begin at a digit token that is no word of the lexicon.
    digit_candidates: Vec<u16>,
    /// Patterns in file order; the longest match wins, the earlier pattern on ties.
    pub(super) patterns: Vec<Pattern>,
    /// Whether `7/12/2021` is day first.
    pub(super) day_first: bool,
}

impl DateLexicon {
    /// Parses a language's two files; panics on malformed embedded data (covered by tests).
    fn new(code: &'static str, words: &'static str, patterns: &'static str) -> DateLexicon {
        let mut interner = Interner::default();
        // (first word, class, phrase), in file order.
        let mut phrases: Vec<(u32, Class, Phrase)> = Vec::new();
        let mut day_first = true;
        for line in entries(words) {
            let mut parts = line.splitn(3, char::is_whitespace);
            let (Some(class), Some(value), Some(phrase)) =
                (parts.next(), parts.next(), parts.next())
            else {
                panic!("{code}/dates.txt: expected `CLASS VALUE PHRASE` in {line:?}");
            };
            let class = Class::parse(class)
                .unwrap_or_else(|| panic!("{code}/dates.txt: unknown class in {line:?}"));
            let phrase = phrase.trim();
            if class == Class::Config {
                if value == "numorder" {
                    day_first = phrase == "dmy";
                }
                continue;
            }
            let (case, raw) = if let Some(rest) = phrase.strip_prefix('=') {
                (Case::Lower, rest)
            } else if phrase.chars().next().is_some_and(char::is_uppercase) {
                (Case::Capital, phrase)
            } else {
                (Case::Any, phrase)
            };
            let toks = tokenize(raw);
            let tokens: Vec<u32> = (0..toks.len())
                .map(|i| interner.intern(toks.norm(i)))
                .collect();
            let Some(&first) = tokens.first() else {
                continue;
            };
            phrases.push((
                first,
                class,
                Phrase {
                    tokens,
                    value,
                    case,
                },
            ));
        }
        let patterns: Vec<Pattern> = entries(patterns)
            .map(|line| parse_pattern(line, &mut interner))
            .collect();
        assert!(
            patterns.len() <= usize::from(u16::MAX),
            "{code}: too many date patterns"
        );

        let mut words: Vec<Word> = Vec::new();
        words.resize_with(interner.ids.len(), Word::default);
        for (first, class, phrase) in phrases {
            let classes = &mut words[first as usize].classes;
            match classes.iter_mut().find(|(c, _)| *c == class) {
                Some((_, list)) => list.push(phrase),
                None => classes.push((class, vec![phrase])),
            }
        }
        let candidates = |keys: u64, id: u32| -> Vec<u16> {
            (0..patterns.len())
                .filter(|&k| patterns[k].may_start(keys, id))
                .map(|k| k as u16)
                .collect()
        };
        let mut starts_with_q = vec![false; words.len()];
        for (form, &id) in &interner.ids {
            starts_with_q[id as usize] = form.starts_with('q');
        }
        for (id, word) in words.iter_mut().enumerate() {
            for (_, list) in &mut word.classes {
                list.sort_by_key(|p| std::cmp::Reverse(p.tokens.len()));
            }
            let keys = word.classes.iter().fold(0, |k, (c, _)| k | class_key(*c));
            word.keys = keys;
            word.candidates = [
                candidates(keys, id as u32),
                candidates(keys | DIGIT_KEY, id as u32),
            ];
            word.follow = Follow::new(
                &patterns,
                &word.candidates[0],
                id as u32,
                keys,
                starts_with_q[id],
            );
        }
        let digit_candidates = candidates(DIGIT_KEY, NO_WORD);
        let longest = interner.ids.keys().map(String::len).max().unwrap_or(0);
        assert!(longest < 64, "{code}: a date word of 64 bytes or more");
        let mut shapes = [0u64; 256];
        for form in interner.ids.keys() {
            if let Some(&b) = form.as_bytes().first() {
                shapes[usize::from(b)] |= 1 << form.len();
            }
        }
        let short = ShortWords::new(interner.ids.iter().map(|(form, &id)| (form.as_str(), id)));
        DateLexicon {
            code,
            vocab: interner.ids,
            longest,
            shapes,
            short,
            words,
            digit_candidates,
            patterns,
            day_first,
        }
    }

    /// The id of a normalised token form, or [`NO_WORD`] when no phrase or pattern uses it.
    #[inline]
    pub(super) fn word_id(&self, norm: &str) -> u32 {
        let Some(&first) = norm.as_bytes().first() else {
            return self.vocab.get(norm).copied().unwrap_or(NO_WORD);
        };
        if norm.len() > self.longest || self.shapes[usize::from(first)] >> norm.len() & 1 == 0 {
            return NO_WORD;
        }
        if norm.len() > 8 {
            return self.vocab.get(norm).copied().unwrap_or(NO_WORD);
        }
        self.short.get(norm).unwrap_or(NO_WORD)
    }

    /// The classes with phrases beginning with word `id`, and those phrases, longest first.
    pub(super) fn classes_of(&self, id: u32) -> &[(Class, Vec<Phrase>)] {
        self.words
            .get(id as usize)
            .map_or(&[], |w| w.classes.as_slice())
    }

    /// Phrases of `class` starting with the normalised token `first`, longest first.
    pub(super) fn phrases(&self, class: Class, first: &str) -> &[Phrase] {
        self.classes_of(self.word_id(first))
            .iter()
            .find(|(c, _)| *c == class)
            .map_or(&[], |(_, list)| list.as_slice())
    }

    /// The start keys of a token: the classes its word `id` begins, and whether it is a number.
    pub(super) fn keys(&self, id: u32, digit: bool) -> u64 {
        let digit = if digit { DIGIT_KEY } else { 0 };
        digit | self.words.get(id as usize).map_or(0, |w| w.keys)
    }

    /// The patterns (indices into [`Self::patterns`], in file order) that may begin at a token with
    /// word id `id`, starting with a digit or not.
    pub(super) fn candidates(&self, id: u32, digit: bool) -> &[u16] {
        match self.words.get(id as usize) {
            Some(w) => &w.candidates[usize::from(digit)],
            None if digit => &self.digit_candidates,
            None => &[],
        }
    }

    /// What must follow word `id` for a pattern to begin at it (`None`: no pattern begins there
    /// unless it starts with a digit).
    pub(super) fn follow(&self, id: u32) -> Option<&Follow> {
        self.words
            .get(id as usize)
            .filter(|w| !w.candidates[0].is_empty())
            .map(|w| &w.follow)
    }

    /// Every phrase of the language with its class, for tests.
    #[cfg(test)]
    pub(super) fn all(&self) -> impl Iterator<Item = (Class, &Phrase)> {
        self.words
            .iter()
            .flat_map(|w| w.classes.iter())
            .flat_map(|(c, list)| list.iter().map(move |p| (*c, p)))
    }
}

/// Parses `(a|b)` context words (the last token of each, for elisions such as `d'`).
fn context(raw: &str, interner: &mut Interner) -> Option<Vec<u32>> {
    let inner = raw.strip_prefix('(')?.strip_suffix(')')?;
    Some(
        inner
            .split('|')
            .filter_map(|w| {
                let toks = tokenize(w);
                let last = toks.len().checked_sub(1)?;
                Some(interner.intern(toks.norm(last)))
            })
            .collect(),
    )
}

fn parse_pattern(line: &'static str, interner: &mut Interner) -> Pattern {
    let mut elems = Vec::new();
    let (blocks, line_body) = match line.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    let mut words: Vec<&str> = line_body.split_whitespace().collect();
    let before = match words.first().and_then(|w| context(w, interner)) {
        Some(c) => {
            words.remove(0);
            c
        }
        None => Vec::new(),
    };
    let after = match words.last().and_then(|w| context(w, interner)) {
        Some(c) => {
            words.pop();
            c
        }
        None => Vec::new(),
    };
    for raw in words {
        let (word, optional) = match raw.strip_suffix('?') {
            Some(w) if !w.is_empty() => (w, true),
            _ => (raw, false),
        };
        let elem = if word == "~" {
            Elem::RangeSep
        } else if let Some(name) = word.strip_prefix('<').and_then(|w| w.strip_suffix('>')) {
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (name, None),
            };
            match name {
                "year" => Elem::BuiltIn(BuiltIn::Year),
                "yy" => Elem::BuiltIn(BuiltIn::ShortYear),
                "day" => Elem::BuiltIn(BuiltIn::Day),
                "count" => Elem::BuiltIn(BuiltIn::Count),
                "hour" => Elem::BuiltIn(BuiltIn::Hour),
                "minute" => Elem::BuiltIn(BuiltIn::Minute),
                "time" => Elem::BuiltIn(BuiltIn::Time),
                "isodate" => Elem::BuiltIn(BuiltIn::IsoDate),
                "numdate" => Elem::BuiltIn(BuiltIn::NumDate),
                "decades" => Elem::BuiltIn(BuiltIn::Decade),
                "qtoken" => Elem::BuiltIn(BuiltIn::QuarterToken),
                _ => Elem::Class(
                    Class::parse(name)
                        .unwrap_or_else(|| panic!("unknown slot <{name}> in pattern {line:?}")),
                    value,
                ),
            }
        } else {
            // A literal of several tokens ("'s", "p.m.") is matched token by token.
            let toks = tokenize(word);
            assert!(!toks.is_empty(), "empty literal in pattern {line:?}");
            for i in 0..toks.len() {
                elems.push((Elem::Word(interner.intern(toks.norm(i))), optional));
            }
            continue;
        };
        elems.push((elem, optional));
    }
    assert!(
        elems.iter().any(|(_, o)| !o),
        "pattern {line:?} has no required element"
    );
    // The elements that may begin a match: the optional ones up to the first required one. A
    // slot that reads any token (`<qtoken>`) still waits for a token that has some start key.
    let leading = elems.iter().position(|(_, o)| !o).unwrap_or(0);
    let mut first = Start::default();
    for (e, _) in &elems[..=leading] {
        first.add(e);
    }
    let start_keys = if first.any { u64::MAX } else { first.keys };
    let start_words = first.words;
    Pattern {
        suffix_starts: suffix_starts(&elems),

        leading,
        elems,
        before,
        after,
        blocks,
        start_keys,
        start_words,
    }
}

// Adding a language: create `lexicon/<code>/dates.txt` (word classes, see the English file for every
// class) and `lexicon/<code>/date_patterns.txt` (word orders), then add one line below. Languages that
// are not listed get the language-independent patterns of `DEFAULT_PATTERNS` (ISO dates and years).
static REGISTRY: LazyLock<HashMap<&'static str, DateLexicon>> = LazyLock::new(|| {
    [
        DateLexicon::new(
            "en",
            include_str!("../../lexicon/en/dates.txt"),
            include_str!("../../lexicon/en/date_patterns.txt"),
        ),
        DateLexicon::new(
            "fr",
            include_str!("../../lexicon/fr/dates.txt"),
            include_str!("../../lexicon/fr/date_patterns.txt"),
        ),
    ]
    .into_iter()
    .map(|l| (l.code, l))
    .collect()
});

/// Patterns that need no words: ISO dates, numeric dates and four-digit years.
const DEFAULT_PATTERNS: &str = "<isodate>\n<numdate>\n<decades>\n<year>\n";

static DEFAULT: LazyLock<DateLexicon> =
    LazyLock::new(|| DateLexicon::new("und", "", DEFAULT_PATTERNS));

/// The date data of a language, or the language-independent default.
pub(super) fn for_language(code: &str) -> &'static DateLexicon {
    REGISTRY.get(code).unwrap_or(&DEFAULT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_language_loads_with_valid_values() {
        for code in ["en", "fr", "und"] {
            let lex = for_language(code);
            assert!(!lex.patterns.is_empty(), "{code}: no pattern");
            let mut seen = HashSet::new();
            for (class, p) in lex.all() {
                assert!(
                    seen.insert((class, p.tokens.clone(), p.value)),
                    "{code}: duplicate {class:?} {:?}",
                    p.tokens
                );
                let v = p.value;
                let ok = match class {
                    Class::Month => v.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m)),
                    Class::Weekday => v.parse::<u32>().is_ok_and(|d| (1..=7).contains(&d)),
                    Class::Num | Class::Ord | Class::Ampm => v.parse::<u32>().is_ok(),
                    Class::Shift | Class::Ago => v.parse::<i32>().is_ok(),
                    Class::Deictic => v
                        .split(':')
                        .next()
                        .is_some_and(|d| d.parse::<i32>().is_ok()),
                    Class::Unit => super::super::resolve::Unit::parse(v).is_some(),
                    Class::Season => matches!(v, "SP" | "SU" | "FA" | "WI"),
                    Class::Daypart => matches!(v, "MO" | "AF" | "EV" | "NI" | "MI" | "DT"),
                    Class::Vague => v.ends_with("_REF"),
                    Class::Clock => v.split_once(':').is_some(),
                    Class::SetWord | Class::DurWord => v.starts_with('P') || v.starts_with('X'),
                    _ => true,
                };
                assert!(ok, "{code}: bad value {v:?} for {class:?} {:?}", p.tokens);
            }
        }
    }

    #[test]
    fn classes_that_record_nothing_leave_the_frame_as_it_is() {
        use super::super::resolve::Frame;
        let names = [
            "month",
            "weekday",
            "num",
            "fuzzy",
            "ord",
            "ordsuffix",
            "unit",
            "season",
            "daypart",
            "shift",
            "ago",
            "deictic",
            "vague",
            "every",
            "setword",
            "durword",
            "mod",
            "approx",
            "det",
            "clock",
            "ampm",
            "hmark",
            "decade",
            "decadeword",
            "future",
            "notyear",
            "config",
        ];
        let mut recording = 0;
        for name in names {
            let class = Class::parse(name).expect("a class name");
            let value = match class {
                Class::Unit => "Y",
                Class::Clock => "12:00",
                _ => "1",
            };
            let mut f = Frame::default();
            let filled = f.fill(class, value);
            if Frame::records(class) {
                recording += 1;
                assert!(filled && f != Frame::default(), "{name} records nothing");
            } else {
                assert!(filled && f == Frame::default(), "{name} records something");
            }
        }
        assert_eq!(recording, 20);
    }

    #[test]
    fn every_form_is_found_by_its_id() {
        for code in ["en", "fr", "und"] {
            let lex = for_language(code);
            for (form, &id) in &lex.vocab {
                assert_eq!(lex.word_id(form), id, "{code}: {form:?}");
            }
            for other in ["", "x", "zzzzzzzz", "zzzzzzzzz", "maire", "décembres"] {
                assert_eq!(lex.word_id(other), NO_WORD, "{code}: {other:?}");
            }
        }
    }

    #[test]
    fn unknown_languages_get_the_default_patterns() {
        let lex = for_language("zz");
        assert_eq!(lex.code, "und");
        assert!(lex.phrases(Class::Month, "may").is_empty());
    }

    #[test]
    #[should_panic(expected = "unknown slot")]
    fn a_bad_slot_is_reported() {
        parse_pattern("<nonsense>", &mut Interner::default());
    }
}
