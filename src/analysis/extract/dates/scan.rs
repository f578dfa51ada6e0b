//! A small tokenizer for dates and the pattern matcher that fills [`Frame`]s.
//!
//! The date tokenizer keeps what the general one merges or drops: inner hyphens and apostrophes are
//! tokens of their own (`third-quarter`, `aujourd'hui`), periods after abbreviations are kept
//! (`Sept.`, `p.m.`), and numbers keep their inner separators (`14:30`, `7/12/2021`, `2021-12-07`).
//! Matching is token by token, so a month name never fires inside a word ("mai" in "maire"). Each
//! position is tried once against the patterns that may start there; patterns are short, so the scan
//! is linear in the text.

use super::lexicon::{
    class_key, BuiltIn, Case, Class, DateLexicon, Elem, Pattern, Phrase, NO_WORD,
};
use super::resolve::{Count, Frame, Unit};
use crate::analysis::token::{is_letter, BREAK, BYTE_KIND, MARK, WIDE, WORD};

/// One date token.
#[derive(Debug, Clone)]
pub(super) struct Tok {
    /// First byte.
    pub(super) start: usize,
    /// End byte.
    pub(super) end: usize,
    /// Byte range of the normalised form in [`Tokens`]' buffer, or in the text when the token is
    /// its own normalised form (see [`Tokens::norm`]).
    norm: (usize, usize),
    /// Whether `norm` is a range of the text rather than of the buffer.
    norm_in_text: bool,
    /// Word id in the lexicon ([`NO_WORD`] until [`Ctx::new`] looks it up).
    pub(super) id: u32,
    /// Start keys in the lexicon (see [`DateLexicon::keys`]), set with `id`.
    keys: u64,
    /// The class bits of the phrases that [`Ctx::new`] found starting here (a subset of `keys`).
    found: u64,
    /// The range of [`Ctx`]'s phrases found starting here (set by [`Ctx::new`]).
    phrases: (u32, u32),
    /// Starts with a digit.
    pub(super) digit: bool,
    /// Starts with an upper-case letter.
    pub(super) capital: bool,
    /// A line break or the end of a sentence lies before it.
    pub(super) hard_break: bool,
}

/// The tokens of a text and their normalised forms (lower case, straight apostrophes, plain
/// hyphens): a range of the text for the tokens already in that form (most of them), of one
/// buffer for the others, rather than a string per token.
#[derive(Debug, Default)]
pub(super) struct Tokens<'t> {
    toks: Vec<Tok>,
    text: &'t str,
    norms: String,
}

impl Tokens<'_> {
    /// The normalised form of token `i`.
    pub(super) fn norm(&self, i: usize) -> &str {
        let t = &self.toks[i];
        let range = t.norm.0..t.norm.1;
        if t.norm_in_text {
            &self.text[range]
        } else {
            &self.norms[range]
        }
    }

    /// The normalised form of token `i`, or `None` past the end.
    pub(super) fn norm_at(&self, i: usize) -> Option<&str> {
        (i < self.toks.len()).then(|| self.norm(i))
    }
}

impl std::ops::Deref for Tokens<'_> {
    type Target = [Tok];
    fn deref(&self) -> &[Tok] {
        &self.toks
    }
}

fn is_word_char(c: char) -> bool {
    match c {
        // Latin-1 punctuation and symbols (`«`, `»`, the no-break space...) and general punctuation
        // (`’`, `–`, `…`), without the Unicode table search: only these few are letters or numbers.
        '\u{80}'..='\u{BF}' => matches!(c, 'ª' | 'µ' | 'º' | '²' | '³' | '¹' | '¼' | '½' | '¾'),
        '\u{2000}'..='\u{206F}' => false,
        // Accented Latin letters without the Unicode table search (see `is_letter`).
        _ => is_letter(c) || c.is_numeric() || matches!(c as u32, 0x0300..=0x036F),
    }
}

/// Whether `c` is its own lower case (what [`push_lower`] writes for it alone), without the case
/// tables for ASCII, Latin-1 and general punctuation.
fn is_own_lower(c: char) -> bool {
    match c {
        _ if c.is_ascii() => !c.is_ascii_uppercase(),
        '\u{80}'..='\u{BF}' | '×' | 'ß'..='ÿ' | '\u{2000}'..='\u{206F}' => true,
        'À'..='Þ' | 'Σ' => false,
        _ => {
            let mut lower = c.to_lowercase();
            lower.next() == Some(c) && lower.next().is_none()
        }
    }
}

/// Appends `s` in lower case, exactly as [`str::to_lowercase`] writes it.
fn push_lower(out: &mut String, s: &str) {
    let from = out.len();
    if s.is_ascii() {
        out.push_str(s);
        out[from..].make_ascii_lowercase();
        return;
    }
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c == 'Σ' {
            // The final sigma depends on the context: leave the word to the standard library.
            out.truncate(from);
            out.push_str(&s.to_lowercase());
            return;
        } else if matches!(c, 'À'..='Þ') && c != '×' {
            // Latin-1 capitals: the small letter is 0x20 further (what `to_lowercase` gives).
            out.push(char::from_u32(c as u32 + 0x20).unwrap_or(c));
        } else if matches!(c, 'ß'..='ÿ') {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// For each byte: 1 for an ASCII lower-case letter or digit, 3 for an upper-case letter (bit 2 set),
/// 0 for any other byte.
static ASCII_WORD: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_uppercase() {
            3
        } else if c.is_ascii_alphanumeric() {
            1
        } else {
            0
        };
        b += 1;
    }
    table
};

/// The end of the word token that begins with `first` at `start` (a word character), and whether
/// the word is its own normalised form.
#[inline(always)]
fn word_end(text: &str, start: usize, first: char) -> (usize, bool) {
    let bytes = text.as_bytes();
    let digit = first.is_ascii_digit();
    let mut own = is_own_lower(first);
    let mut pos = start + first.len_utf8();
    loop {
        // Plain ASCII letters and digits first, byte by byte.
        let mut seen = 0;
        while let Some(&b) = bytes.get(pos) {
            let class = ASCII_WORD[usize::from(b)];
            if class == 0 {
                break;
            }
            seen |= class;
            pos += 1;
        }
        own &= seen & 2 == 0;
        match bytes.get(pos) {
            None => break,
            // Digits keep inner separators when a digit follows: 14:30, 7/12/2021, 2.5. The byte
            // before is the token's last character, a digit only if it is ASCII.
            Some(&b) if b.is_ascii() => {
                if digit
                    && matches!(b, b':' | b'/' | b'.' | b',' | b'-')
                    && bytes[pos - 1].is_ascii_digit()
                    && bytes.get(pos + 1).is_some_and(u8::is_ascii_digit)
                {
                    pos += 1;
                    continue;
                }
                break;
            }
            Some(_) => match text[pos..].chars().next() {
                Some(n) if is_word_char(n) => {
                    own &= is_own_lower(n);
                    pos += n.len_utf8();
                }
                _ => break,
            },
        }
    }
    (pos, own)
}

/// Tokenises `text` (linear, one pass over the characters).
pub(super) fn tokenize(text: &str) -> Tokens<'_> {
    tokenize_with(text, None)
}

/// Tokenises `text`, with the word ids and start keys of `lex` when it is given.
fn tokenize_with<'t>(text: &'t str, lex: Option<&DateLexicon>) -> Tokens<'t> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 5);
    // Forms that are not the text's own (capitalised words, typographic apostrophes) are rarely
    // longer than their surface; the text's length is enough for nearly every text.
    let mut norms = String::with_capacity(text.len());
    let mut pos = 0;
    let mut hard = false;
    while let Some(&b) = bytes.get(pos) {
        let start = pos;
        let kind = BYTE_KIND[usize::from(b)];
        let (c, end, own) = if kind == WORD {
            let c = char::from(b);
            let (end, own) = word_end(text, start, c);
            (c, end, own)
        } else if kind == MARK {
            (char::from(b), start + 1, true)
        } else if kind != WIDE {
            // White space and control characters.
            hard |= kind == BREAK;
            pos += 1;
            continue;
        } else {
            let Some(c) = text[pos..].chars().next() else {
                break;
            };
            if c.is_whitespace() || c.is_control() {
                pos += c.len_utf8();
                continue;
            }
            if is_word_char(c) {
                let (end, own) = word_end(text, start, c);
                (c, end, own)
            } else {
                let own = !matches!(c, '’' | 'ʼ' | '‘' | '‐' | '‑' | '–') && is_own_lower(c);
                (c, start + c.len_utf8(), own)
            }
        };
        pos = end;
        let (norm, form) = if own {
            ((start, end), &text[start..end])
        } else {
            let from = norms.len();
            match c {
                '’' | 'ʼ' | '‘' => norms.push('\''),
                '‐' | '‑' | '–' => norms.push('-'),
                _ => push_lower(&mut norms, &text[start..end]),
            }
            ((from, norms.len()), &norms[from..])
        };
        let digit = c.is_ascii_digit();
        let (id, keys) = match lex {
            Some(lex) => {
                let id = lex.word_id(form);
                (id, lex.keys(id, digit))
            }
            None => (NO_WORD, 0),
        };
        out.push(Tok {
            start,
            end,
            norm,
            norm_in_text: own,
            id,
            keys,
            found: 0,
            phrases: (0, 0),
            digit,
            capital: c.is_uppercase(),
            hard_break: hard,
        });
        hard = false;
    }
    Tokens {
        toks: out,
        text,
        norms,
    }
}

/// A match of a pattern: where it is and what it says.
#[derive(Debug, Clone)]
pub(super) struct Match {
    /// First token.
    pub(super) first: usize,
    /// End token (exclusive).
    pub(super) end: usize,
    state: State,
}

impl Match {
    /// The start (and, for ranges, the end) of the expression.
    pub(super) fn frames(&self) -> &[Frame] {
        &self.state.frames[..=self.state.current]
    }
}

/// The tokens with their word ids and the class phrases that start at each of them, looked up once
/// so that trying many patterns at a position costs no more hashing.
pub(super) struct Ctx<'a> {
    lex: &'a DateLexicon,
    /// The tokens, with their word ids set.
    pub(super) toks: Tokens<'a>,
    /// The phrases found: (class, end token, value), those of each token in a range of its own
    /// ([`Tok::phrases`]).
    found: Vec<(Class, u32, &'static str)>,
}

impl std::fmt::Debug for Ctx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx")
            .field("tokens", &self.toks.len())
            .finish()
    }
}

impl<'a> Ctx<'a> {
    /// Tokenises `text`, looking every token up in the lexicon, then every class phrase starting
    /// at every token.
    pub(super) fn new(lex: &'a DateLexicon, text: &'a str) -> Ctx<'a> {
        let mut toks = tokenize_with(text, Some(lex));
        let mut found = Vec::new();
        for i in 0..toks.len() {
            let classes = lex.classes_of(toks[i].id);
            if classes.is_empty() {
                continue;
            }
            let from = found.len() as u32;
            let mut bits = 0;
            for (class, phrases) in classes {
                if let Some((end, v)) = longest_phrase(phrases, &toks, i) {
                    found.push((*class, end as u32, v));
                    bits |= class_key(*class);
                }
            }
            let t = &mut toks.toks[i];
            t.found = bits;
            t.phrases = (from, found.len() as u32);
        }
        Ctx { lex, toks, found }
    }

    /// The phrases found starting at token `i`: (class, end token, value).
    fn phrases_at(&self, i: usize) -> &[(Class, u32, &'static str)] {
        self.toks
            .get(i)
            .and_then(|t| self.found.get(t.phrases.0 as usize..t.phrases.1 as usize))
            .unwrap_or(&[])
    }

    /// Whether a phrase of `class` starts at token `i` (a test of one bit).
    pub(super) fn has(&self, class: Class, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.found & class_key(class) != 0)
    }

    /// Whether no pattern can begin at word token `i` (not a number), judging by the token after
    /// the word or after each phrase starting there: one test or two for all the patterns of a
    /// determiner or preposition before a plain word ("la France", "l'État"), a necessary condition
    /// of every candidate's first element and the element after it (see [`may_begin`]).
    fn starts_nothing(&self, i: usize) -> bool {
        let tok = &self.toks[i];
        if tok.digit {
            return false;
        }
        let Some(follow) = self.lex.follow(tok.id) else {
            return true;
        };
        if follow.open(tok.found) {
            return false;
        }
        if self
            .toks
            .get(i + 1)
            .is_none_or(|t| follow.admits_after_word(t.keys, t.id))
        {
            return false;
        }
        !self.phrases_at(i).iter().any(|&(class, end, _)| {
            self.toks
                .get(end as usize)
                .is_none_or(|t| follow.admits_after(class_key(class), t.keys, t.id))
        })
    }

    /// The longest phrase of `class` starting at token `i`: (end token, value).
    pub(super) fn at(&self, class: Class, i: usize) -> Option<(usize, &'static str)> {
        if !self.has(class, i) {
            return None;
        }
        self.phrases_at(i)
            .iter()
            .find(|(c, _, _)| *c == class)
            .map(|&(_, end, v)| (end as usize, v))
    }
}

/// The first of `phrases` (all beginning with the word of token `i`) that the tokens from `i` spell
/// in the required case, without crossing a line break: (end token, value).
fn longest_phrase(phrases: &[Phrase], toks: &[Tok], i: usize) -> Option<(usize, &'static str)> {
    let first = &toks[i];
    phrases
        .iter()
        .find(|p| {
            let case_ok = match p.case {
                Case::Any => true,
                Case::Capital => first.capital,
                Case::Lower => !first.capital,
            };
            case_ok
                && p.tokens.len() <= toks.len() - i
                && p.tokens.iter().enumerate().all(|(k, &w)| {
                    let t = &toks[i + k];
                    w == t.id && (k == 0 || !t.hard_break)
                })
        })
        .map(|p| (i + p.tokens.len(), p.value))
}

impl std::ops::Deref for Ctx<'_> {
    type Target = DateLexicon;
    fn deref(&self) -> &DateLexicon {
        self.lex
    }
}

/// Finds every expression, leftmost-longest, without overlaps.
pub(super) fn find(ctx: &Ctx<'_>) -> Vec<Match> {
    let toks = &ctx.toks;
    let empty = State::default();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let tok = &toks[i];
        if ctx.starts_nothing(i) {
            i += 1;
            continue;
        }
        let mut best: Option<(usize, State)> = None;
        let mut blocked = i;
        let mut reads = Reads::default();
        for &k in ctx.candidates(tok.id, tok.digit) {
            let p = &ctx.patterns[usize::from(k)];
            if !p.before.is_empty()
                && (i == 0 || tok.hard_break || !p.before.contains(&toks[i - 1].id))
            {
                continue;
            }
            if !may_begin(ctx, p, i, &mut reads) {
                continue;
            }
            let mut found = None;
            match_elems(ctx, p, 0, i, &empty, &mut found);
            let Some((end, state)) = found else {
                continue;
            };
            if !p.after.is_empty()
                && !toks
                    .get(end)
                    .is_some_and(|t| !t.hard_break && p.after.contains(&t.id))
            {
                continue;
            }
            if p.blocks {
                blocked = blocked.max(end);
            } else if end > i && best.as_ref().is_none_or(|b| end > b.0) {
                best = Some((end, state));
            }
        }
        match best {
            Some((end, state)) if end > blocked => {
                out.push(Match {
                    first: i,
                    end,
                    state,
                });
                i = end;
            }
            _ => i = blocked.max(i + 1),
        }
    }
    out
}

/// Whether `p` may match from token `i`, judging by its first element and the token after it: false
/// when no element that may come first can match at `i`, or when each that can is followed by a
/// token where the rest of the pattern cannot begin. Most patterns tried at a determiner or a
/// preposition fail here, before any frame is copied.
fn may_begin(ctx: &Ctx<'_>, p: &Pattern, i: usize, reads: &mut Reads) -> bool {
    p.elems[..=p.leading]
        .iter()
        .enumerate()
        .any(|(k, (elem, _))| match reach(ctx, elem, i, reads) {
            Reach::No => false,
            Reach::To(next) => ctx
                .toks
                .get(next)
                .is_none_or(|t| p.may_continue(k + 1, t.keys, t.id)),
            Reach::Unknown => true,
        })
}

/// Where each built-in slot read at one token ends (`None` inside: it reads nothing there), worked
/// out once for all the patterns tried there.
#[derive(Default)]
struct Reads {
    /// Indexed by [`BuiltIn`].
    ends: [Option<Option<usize>>; BuiltIn::COUNT],
}

/// Where an element matched at a token would end, as far as a quick look tells.
enum Reach {
    /// It cannot match there.
    No,
    /// If it matches, the next element starts at this token.
    To(usize),
    /// It may match, ending anywhere (a range separator, which reads no token, or the end of the
    /// text).
    Unknown,
}

/// A necessary condition for [`match_elem`] at `i`, and where it would end (see [`Reach`]).
fn reach(ctx: &Ctx<'_>, elem: &Elem, i: usize, reads: &mut Reads) -> Reach {
    let Some(tok) = ctx.toks.get(i) else {
        return Reach::Unknown;
    };
    let known = |found: Option<usize>| found.map_or(Reach::No, Reach::To);
    match elem {
        Elem::RangeSep => Reach::Unknown,
        Elem::Word(w) => known((tok.id == *w).then_some(i + 1)),
        Elem::Class(Class::Ord, _) if tok.digit => Reach::To(i + 1),
        Elem::Class(class, want) => known(
            ctx.at(*class, i)
                .filter(|(_, value)| want.as_deref().is_none_or(|w| w == *value))
                .map(|(end, _)| end),
        ),
        // Without a leading digit, only spelled numbers, ordinals and `Q3` are read. What a slot
        // reads does not depend on the frames, and an empty frame accepts whatever another does:
        // read once at a token for all the patterns tried there, it tells exactly where it ends.
        Elem::BuiltIn(b) => {
            let may = tok.digit
                || match b {
                    BuiltIn::Year => ctx.has(Class::Num, i),
                    BuiltIn::Count => ctx.has(Class::Fuzzy, i) || ctx.has(Class::Num, i),
                    BuiltIn::Day => ctx.has(Class::Ord, i),
                    BuiltIn::QuarterToken => ctx.toks.norm(i).starts_with('q'),
                    _ => false,
                };
            let end = *reads.ends[*b as usize].get_or_insert_with(|| {
                may.then(|| built_in(ctx, *b, i, &mut Frame::default()))
                    .flatten()
            });
            known(end)
        }
    }
}

/// The frames being filled: the start and, after `~`, the end of a range.
#[derive(Debug, Clone, Copy, Default)]
struct State {
    frames: [Frame; 2],
    current: usize,
}

/// Matches `p.elems[k..]` at token `i`, depth first, taking an optional element before skipping it;
/// `best` keeps the first complete match with the longest end (the earliest in that order on ties).
fn match_elems(
    ctx: &Ctx<'_>,
    p: &Pattern,
    k: usize,
    i: usize,
    state: &State,
    best: &mut Option<(usize, State)>,
) {
    let Some((elem, optional)) = p.elems.get(k) else {
        if best.as_ref().is_none_or(|b| i > b.0) {
            *best = Some((i, *state));
        }
        return;
    };
    let toks = &ctx.toks;
    let tok = toks.get(i);
    if tok.is_some_and(|t| !p.may_continue(k, t.keys, t.id)) {
        return;
    }
    // Elements after the first may not cross a line break.
    let crosses = i > 0 && k > 0 && tok.is_some_and(|t| t.hard_break);
    // The cheap test first: most attempts fail at once, and copying the frames costs more.
    if !crosses && may_match(ctx, elem, i) {
        if let Some(next) = marker(ctx, elem, i) {
            // Nothing to record: the frames stay as they are.
            if let Some(next) = next {
                match_elems(ctx, p, k + 1, next, state, best);
            }
        } else {
            let mut next_state = *state;
            if let Some(next) = match_elem(ctx, elem, i, &mut next_state) {
                match_elems(ctx, p, k + 1, next, &next_state, best);
            }
        }
    }
    if *optional {
        match_elems(ctx, p, k + 1, i, state, best);
    }
}

/// For an element that records nothing in the frames (a literal word, a determiner...), what
/// [`match_elem`] would return at `i`; `None` for the others.
fn marker(ctx: &Ctx<'_>, elem: &Elem, i: usize) -> Option<Option<usize>> {
    match elem {
        Elem::Word(w) => Some(ctx.toks.get(i).filter(|t| t.id == *w).map(|_| i + 1)),
        Elem::Class(class, want) if !Frame::records(*class) => Some(
            ctx.at(*class, i)
                .filter(|(_, value)| want.as_deref().is_none_or(|w| w == *value))
                .map(|(end, _)| end),
        ),
        _ => None,
    }
}

/// Whether `elem` may match at `i`: false only when [`match_elem`] would surely fail (without
/// looking at the frames).
fn may_match(ctx: &Ctx<'_>, elem: &Elem, i: usize) -> bool {
    let Some(tok) = ctx.toks.get(i) else {
        return matches!(elem, Elem::RangeSep);
    };
    match elem {
        Elem::RangeSep | Elem::BuiltIn(_) => true,
        Elem::Word(w) => tok.id == *w,
        Elem::Class(Class::Ord, _) if tok.digit => true,
        Elem::Class(class, want) => ctx
            .at(*class, i)
            .is_some_and(|(_, value)| want.as_deref().is_none_or(|w| w == value)),
    }
}

/// Matches one element at `i`, filling the last frame; returns the next token index.
fn match_elem(ctx: &Ctx<'_>, elem: &Elem, i: usize, state: &mut State) -> Option<usize> {
    if let Elem::RangeSep = elem {
        if state.current > 0 {
            return None;
        }
        state.current = 1;
        return Some(i);
    }
    let toks = &ctx.toks;
    let tok = toks.get(i)?;
    let f = &mut state.frames[state.current];
    match elem {
        Elem::RangeSep => Some(i),
        Elem::Word(w) => (tok.id == *w).then_some(i + 1),
        Elem::Class(Class::Ord, _) if tok.digit => {
            // "20th", "20e": an ordinal in digits.
            let d = digit_ordinal(ctx, toks.norm(i))?;
            (f.ord.is_none() && d > 0).then(|| {
                f.ord = Some(d);
                i + 1
            })
        }
        Elem::Class(class, want) => {
            let (end, value) = ctx.at(*class, i)?;
            if want.as_deref().is_some_and(|w| w != value) {
                return None;
            }
            f.fill(*class, value).then_some(end)
        }
        Elem::BuiltIn(b) => built_in(ctx, *b, i, f),
    }
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A spelled number at `toks[i..]`: "twenty four", "vingt-cinq", "two thousand".
fn spelled(lex: &Ctx<'_>, i: usize) -> Option<(usize, u32)> {
    let toks = &lex.toks;
    let mut j = i;
    let mut total: u32 = 0;
    let mut current: u32 = 0;
    let mut last: Option<u32> = None;
    loop {
        // Hyphens and "and"/"et" may join the parts of a number once it has started.
        let mut k = j;
        if last.is_some() {
            while toks
                .norm_at(k)
                .is_some_and(|n| n == "-" || n == "and" || n == "et")
            {
                k += 1;
            }
        }
        let Some((end, v)) = lex.at(Class::Num, k) else {
            break;
        };
        let Ok(v) = v.parse::<u32>() else { break };
        let fits = match last {
            None => true,
            Some(l) if v == 100 || v >= 1000 => l < 1000 && v > current,
            Some(l) => {
                let c = current % 100;
                (c >= 20 && c % 10 == 0 && v < 10)
                    || ((c == 60 || c == 80) && v < 20)
                    || ((l == 100 || l >= 1000) && v < 100)
            }
        };
        if !fits || (k > j && toks.get(k).is_some_and(|t| t.hard_break)) {
            break;
        }
        if v == 100 {
            current = current.max(1) * 100;
        } else if v >= 1000 {
            total += current.max(1) * v;
            current = 0;
        } else {
            current += v;
        }
        last = Some(v);
        j = end;
    }
    (j > i).then_some((j, total + current))
}

fn built_in(lex: &Ctx<'_>, b: BuiltIn, i: usize, f: &mut Frame) -> Option<usize> {
    let toks = &lex.toks;
    let tok = &toks[i];
    let s = toks.norm(i);
    match b {
        BuiltIn::Year => {
            if let Some(y) = digits(s) {
                let prev_blocks = i > 0 && lex.at(Class::NotYear, i - 1).is_some();
                let next_blocks =
                    toks.norm_at(i + 1) == Some("%") || lex.at(Class::NotYear, i + 1).is_some();
                if s.len() == 4 && (1000..=2199).contains(&y) && !prev_blocks && !next_blocks {
                    return f.set_year(y as i32).then_some(i + 1);
                }
                return None;
            }
            let (end, v) = spelled(lex, i)?;
            if (1100..=2199).contains(&v) {
                return f.set_year(v as i32).then_some(end);
            }
            if (11..=20).contains(&v) {
                let (end2, w) = spelled(lex, end)?;
                if (1..=99).contains(&w) {
                    return f.set_year((v * 100 + w) as i32).then_some(end2);
                }
            }
            None
        }
        BuiltIn::ShortYear => {
            let y = digits(s).filter(|_| s.len() == 2)?;
            let y = if y >= 50 { 1900 + y } else { 2000 + y };
            f.set_year(y as i32).then_some(i + 1)
        }
        BuiltIn::Day => {
            if tok.digit {
                let d = digit_ordinal(lex, s).or_else(|| digits(s))?;
                if s.len() <= 4 && (1..=31).contains(&d) {
                    f.day = Some(d);
                    return Some(i + 1);
                }
                return None;
            }
            let (end, v) = lex.at(Class::Ord, i)?;
            let d: u32 = v.parse().ok()?;
            ((1..=31).contains(&d) && f.day.is_none()).then(|| {
                f.day = Some(d);
                end
            })
        }
        BuiltIn::Count => {
            if let Some(n) = number(s) {
                f.count = Some(Count::N(n));
                return Some(i + 1);
            }
            if let Some((end, _)) = lex.at(Class::Fuzzy, i) {
                f.count = Some(Count::Few);
                return Some(end);
            }
            let (end, v) = spelled(lex, i)?;
            f.count = Some(Count::N(f64::from(v)));
            Some(end)
        }
        BuiltIn::Hour => {
            let h = digits(s).filter(|h| s.len() <= 2 && *h <= 24)?;
            f.hour = Some(h);
            Some(i + 1)
        }
        BuiltIn::Minute => {
            let m = digits(s).filter(|m| s.len() == 2 && *m < 60)?;
            f.minute = Some(m);
            Some(i + 1)
        }
        BuiltIn::Time => {
            let (h, m) = s.split_once(':').or_else(|| s.split_once('h'))?;
            let h = digits(h).filter(|h| *h <= 24 && !h.to_string().is_empty())?;
            let m = if m.is_empty() {
                0
            } else {
                digits(m).filter(|v| m.len() == 2 && *v < 60)?
            };
            if s.contains(':') && s.len() < 4 {
                return None;
            }
            f.hour = Some(h);
            f.minute = Some(m);
            Some(i + 1)
        }
        BuiltIn::IsoDate => {
            let mut parts = s.split('-');
            let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
                return None;
            }
            f.set_ymd(digits(y)? as i32, digits(m)?, digits(d)?)
                .then_some(i + 1)
        }
        BuiltIn::NumDate => {
            let mut parts = s.split('/');
            let (a, b, y) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || a.len() > 2 || b.len() > 2 {
                return None;
            }
            let y = match y.len() {
                4 => digits(y)? as i32,
                2 => {
                    let v = digits(y)? as i32;
                    if v >= 50 {
                        1900 + v
                    } else {
                        2000 + v
                    }
                }
                _ => return None,
            };
            let (d, m) = if lex.day_first {
                (digits(a)?, digits(b)?)
            } else {
                (digits(b)?, digits(a)?)
            };
            f.set_ymd(y, m, d).then_some(i + 1)
        }
        BuiltIn::Decade => {
            let y = s.strip_suffix('s').and_then(digits)?;
            if s.len() != 5 || !(1000..=2199).contains(&y) || y % 10 != 0 {
                return None;
            }
            f.decade = true;
            f.set_year(y as i32).then_some(i + 1)
        }
        BuiltIn::QuarterToken => {
            let q = s.strip_prefix('q').and_then(digits)?;
            if !(1..=4).contains(&q) {
                return None;
            }
            f.ord = Some(q);
            f.unit = Some(Unit::Quarter);
            Some(i + 1)
        }
    }
}

/// `20th`, `1er`: digits followed by an ordinal suffix of the language.
fn digit_ordinal(lex: &DateLexicon, s: &str) -> Option<u32> {
    let split = s.find(|c: char| !c.is_ascii_digit())?;
    let (num, suffix) = s.split_at(split);
    let known = lex
        .phrases(Class::OrdSuffix, suffix)
        .iter()
        .any(|p| p.tokens.len() == 1);
    known.then(|| digits(num)).flatten()
}

/// A decimal number in digits: `5`, `2.5`, `30,4`.
fn number(s: &str) -> Option<f64> {
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return None;
    }
    if !s.as_bytes()[0].is_ascii_digit() || s.matches(['.', ',']).count() > 1 {
        return None;
    }
    s.replace(',', ".").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_numbers_and_split_words() {
        let t = tokenize("Le 7/12/2021 à 14:30, aujourd’hui third-quarter Sept. 30");
        let norms: Vec<_> = (0..t.len()).map(|i| t.norm(i)).collect();
        assert_eq!(
            norms,
            [
                "le",
                "7/12/2021",
                "à",
                "14:30",
                ",",
                "aujourd",
                "'",
                "hui",
                "third",
                "-",
                "quarter",
                "sept",
                ".",
                "30"
            ]
        );
        assert!(t[0].capital && !t[2].capital && t[1].digit);
    }

    #[test]
    fn latin1_shortcuts_agree_with_the_standard_library() {
        for c in '\u{80}'..='\u{FF}' {
            let mut out = String::new();
            push_lower(&mut out, c.encode_utf8(&mut [0; 4]));
            assert_eq!(out, c.to_lowercase().to_string(), "{c:?}");
        }
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let standard = c.is_alphanumeric() || matches!(c as u32, 0x0300..=0x036F);
            assert_eq!(is_word_char(c), standard, "{c:?}");
        }
    }

    #[test]
    fn own_lower_case_agrees_with_the_standard_library() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let standard = c.to_lowercase().eq(std::iter::once(c));
            assert_eq!(is_own_lower(c), standard, "{c:?}");
        }
    }

    #[test]
    fn normalised_forms_are_the_lower_case_of_the_text() {
        let text = "Le 1ER Mai, l’ÉTÉ ΟΔΟΣ été «Noël» 14H30 – AUJOURD‘HUI Straße ǅemal x×y";
        let t = tokenize(text);
        assert!(t.len() > 10);
        for i in 0..t.len() {
            let raw = &text[t[i].start..t[i].end];
            let want = match raw {
                "’" | "ʼ" | "‘" => "'".to_string(),
                "‐" | "‑" | "–" => "-".to_string(),
                _ => raw.to_lowercase(),
            };
            assert_eq!(t.norm(i), want, "{raw:?}");
        }
        // Words already in lower case are read from the text, the others from the buffer.
        assert!(
            t[4].norm_in_text
                && !t[0].norm_in_text
                && !t[5].norm_in_text
                && t.norms.len() < text.len()
        );
    }

    #[test]
    fn line_breaks_are_recorded() {
        let t = tokenize("May\n2021");
        assert!(!t[0].hard_break && t[1].hard_break);
    }

    #[test]
    fn spelled_numbers_compose() {
        let fr = super::super::lexicon::for_language("fr");
        for (text, want) in [
            ("vingt-cinq", 25),
            ("soixante-dix-sept", 77),
            ("quatre-vingt-dix", 90),
            ("deux mille", 2000),
            ("cinq", 5),
        ] {
            let ctx = Ctx::new(fr, text);
            let len = ctx.toks.len();
            assert_eq!(spelled(&ctx, 0), Some((len, want)), "{text}");
        }
        let en = super::super::lexicon::for_language("en");
        assert_eq!(
            spelled(&Ctx::new(en, "twenty four hours"), 0),
            Some((2, 24))
        );
    }
}
