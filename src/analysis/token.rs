//! Word tokens with byte offsets, a normalised form and a stop-word flag.
//!
//! Tokens are words (letters, digits and marks, with inner hyphens and apostrophes: `Jean-Pierre`,
//! `aujourd'hui`, `O'Neill`), numbers (`3.5`, `1.000`, `14:30`), dotted acronyms (`U.S.`) and single
//! punctuation marks. Elided articles are split off where the language has them (`d'Obama` ->
//! `d'` + `Obama`), and so are English possessives and negations (`Biden's` -> `Biden` + `'s`).
//!
//! Normalised forms are lower case, in composed form (NFC), with typographic apostrophes made straight;
//! languages that write accents inconsistently in news copy (English: `café`/`cafe`, `naïve`) also
//! drop their diacritics, while French and the other Romance languages keep them (`côte` is not
//! `cote`). They live in one shared buffer so that tokenising allocates per text, not per token.
//!
//! Stems (Snowball, through `rust-stemmers`) are computed only when asked for, once per text and once
//! per distinct word ([`Stems`]): stemming costs more than the rest of tokenising, and not every
//! feature needs it.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use rust_stemmers::Stemmer;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::lexicon::{LanguageData, WordHasher};
use super::span::Span;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Contains at least one letter.
    Word,
    /// Digits, possibly with inner separators (`3.5`, `1,000`, `14:30`).
    Number,
    /// A punctuation mark or symbol.
    Punct,
}

/// One token of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Where it is in the text.
    pub span: Span,
    /// What it is made of.
    pub kind: TokenKind,
    /// Byte range of its normalised form in the shared normalisation buffer.
    pub norm: (u32, u32),
    /// Whether it is a stop word of the language.
    pub is_stop: bool,
    /// Index of the sentence it belongs to.
    pub sentence: u32,
}

impl Token {
    /// Whether the token starts with an upper-case letter.
    pub fn is_capitalized(&self, text: &str) -> bool {
        self.span
            .slice(text)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }

    /// Whether the token is a word.
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match c {
        // Accented Latin letters: all letters but `×` and `÷`.
        '\u{C0}'..='\u{24F}' => c != '×' && c != '÷',
        // Latin-1 punctuation and symbols (`«`, `»`, the no-break space...), bar a few letters and
        // digits.
        '\u{80}'..='\u{BF}' => matches!(c, 'ª' | 'µ' | 'º' | '²' | '³' | '¹' | '¼' | '½' | '¾'),
        // General punctuation (`’`, `–`, `—`, `…`): neither letters, digits nor marks.
        '\u{2000}'..='\u{206F}' => false,
        _ => c.is_alphabetic() || c.is_numeric() || is_mark(c),
    }
}

/// `char::is_alphabetic`, without the table search for the accented Latin letters of Western
/// European text: U+00C0 to U+024F are all letters except `×` and `÷`.
#[inline]
pub(crate) fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    if ('\u{C0}'..='\u{24F}').contains(&c) {
        return c != '×' && c != '÷';
    }
    c.is_alphabetic()
}

fn is_mark(c: char) -> bool {
    // Combining marks (accents typed as separate code points, Indic vowel signs) belong to their word.
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A
        | 0x064B..=0x065F | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0E31..=0x0E3A | 0x0E47..=0x0E4E
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Whether `c` separates tokens without being one: white space, control characters, zero-width
/// spaces and joiners.
#[inline]
fn is_gap(c: char) -> bool {
    if c.is_ascii() {
        return c <= ' ' || c == '\x7f';
    }
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑')
}

/// Tokenises `span` of `text`, appending tokens to `out` and normalised forms to `norm_buf`.
pub fn tokenize(
    text: &str,
    span: Span,
    sentence: u32,
    data: &LanguageData,
    out: &mut Vec<Token>,
    norm_buf: &mut String,
) {
    Tokenizer::default().run(text, span, sentence, data, out, norm_buf);
}

/// A tokenizer that keeps its working buffer from one call to the next (one per text rather than
/// one per sentence).
#[derive(Debug, Default)]
pub struct Tokenizer {
    piece_ends: Vec<usize>,
}

/// The character starting at byte `at` of `s` and its length in bytes; `None` at the end. ASCII,
/// nearly every character of most news copy, is read without decoding.
#[inline]
pub(crate) fn char_at(s: &str, at: usize) -> Option<(char, usize)> {
    let &b = s.as_bytes().get(at)?;
    if b.is_ascii() {
        return Some((b as char, 1));
    }
    Some(decode(s, at))
}

/// The non-ASCII character starting at byte `at` of `s` (a char boundary inside `s`) and its length.
#[inline]
fn decode(s: &str, at: usize) -> (char, usize) {
    let bytes = s.as_bytes();
    let cont = |k: usize| u32::from(bytes.get(at + k).map_or(0, |&b| b & 0x3F));
    let b0 = u32::from(bytes.get(at).copied().unwrap_or(0));
    let (code, len) = if b0 < 0xE0 {
        (((b0 & 0x1F) << 6) | cont(1), 2)
    } else if b0 < 0xF0 {
        (((b0 & 0x0F) << 12) | (cont(1) << 6) | cont(2), 3)
    } else {
        (
            ((b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
            4,
        )
    };
    // Valid UTF-8 always decodes; the fallback only keeps this total.
    char::from_u32(code).map_or_else(
        || {
            let c = s
                .get(at..)
                .and_then(|r| r.chars().next())
                .unwrap_or('\u{FFFD}');
            (c, c.len_utf8().max(1))
        },
        |c| (c, len),
    )
}

/// ASCII letters and digits, by byte.
static ASCII_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    t
};

/// What a byte begins in the tokenizers' main loops ([`BYTE_KIND`]; the dates module's tokenizer
/// reads the same table): nothing (white space and control characters),
pub(crate) const GAP: u8 = 0;
/// a line break (`\n`, `\r`: a gap, which the dates tokenizer records),
pub(crate) const BREAK: u8 = 1;
/// a word (an ASCII letter or digit),
pub(crate) const WORD: u8 = 2;
/// a punctuation token (any other ASCII character),
pub(crate) const MARK: u8 = 3;
/// or a non-ASCII character (its first byte).
pub(crate) const WIDE: u8 = 4;

/// For each byte, what it begins ([`GAP`], [`BREAK`], [`WORD`], [`MARK`] or [`WIDE`]): one look-up
/// where a loop would test three ranges.
pub(crate) static BYTE_KIND: [u8; 256] = {
    let mut t = [WIDE; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c == b'\n' || c == b'\r' {
            BREAK
        } else if c <= b' ' || c == 0x7f {
            GAP
        } else if c.is_ascii_alphanumeric() {
            WORD
        } else {
            MARK
        };
        b += 1;
    }
    t
};

/// The ASCII characters that may join two parts of a word: hyphen and apostrophe (see
/// [`is_hyphen`], [`is_apostrophe`]), and the separators inside numbers.
static ASCII_JOINER: [bool; 256] = {
    let mut t = [false; 256];
    t[b'-' as usize] = true;
    t[b'\'' as usize] = true;
    t[b'.' as usize] = true;
    t[b',' as usize] = true;
    t[b':' as usize] = true;
    t
};

impl Tokenizer {
    /// Same as [`tokenize`].
    pub fn run(
        &mut self,
        text: &str,
        span: Span,
        sentence: u32,
        data: &LanguageData,
        out: &mut Vec<Token>,
        norm_buf: &mut String,
    ) {
        let s = span.slice(text);
        let bytes = s.as_bytes();
        let mut sink = Sink {
            base: span.start,
            sentence,
            data,
            out,
            norm_buf,
        };
        let mut emit_kind = |start: usize, end: usize, kind: TokenKind, form: Form| {
            sink.emit(s.get(start..end).unwrap_or(""), start, kind, form);
        };
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let (c, len) = match BYTE_KIND[usize::from(b)] {
                WORD => (b as char, 1),
                GAP | BREAK => {
                    i += 1;
                    continue;
                }
                MARK => {
                    // Runs of the same punctuation ("...", "--") are one token.
                    let mut j = i + 1;
                    if matches!(b, b'.' | b'-' | b'!' | b'?') {
                        while bytes.get(j) == Some(&b) {
                            j += 1;
                        }
                    }
                    emit_kind(i, j, TokenKind::Punct, Form::AsciiLower);
                    i = j;
                    continue;
                }
                _ => {
                    let (c, len) = decode(s, i);
                    if is_gap(c) {
                        i += len;
                        continue;
                    }
                    if !is_word_char(c) {
                        emit_kind(i, i + len, TokenKind::Punct, Form::Any);
                        i += len;
                        continue;
                    }
                    (c, len)
                }
            };
            let start = i;
            // A dotted acronym: single letters each followed by a period ("U.S.", "J.-C.").
            if bytes.get(i + len) == Some(&b'.') {
                if let Some(end) = dotted_acronym(s, i) {
                    emit_kind(i, end, TokenKind::Word, Form::Any);
                    i = end;
                    continue;
                }
            }
            let mut j = i + len;
            let mut prev = c;
            let mut has_letter = is_letter(c);
            // Whether the word holds an apostrophe (so may need splitting): one joined it, or it
            // holds `ʼ`, which is a letter.
            let mut may_split = c == 'ʼ';
            // Whether a non-ASCII word character is in it (so it needs normalising in full).
            let mut wide = !c.is_ascii();
            // The AND of the word's bytes: bit 0x20 is set in ASCII digits, small letters and the
            // joining marks, clear in capitals and in the bytes of non-ASCII characters, so a set
            // bit means nothing to lower-case.
            let mut all = if c.is_ascii() { c as u8 } else { 0 };
            loop {
                // ASCII letters and digits, the bulk of most words, without decoding. Digits are
                // 0x30-0x39, letters have bit 0x40: OR-ing the bytes tells whether one is a letter.
                let run = j;
                let mut seen = 0u8;
                while let Some(&b) = bytes.get(j).filter(|&&b| ASCII_WORD[usize::from(b)]) {
                    seen |= b;
                    all &= b;
                    j += 1;
                }
                if j > run {
                    has_letter |= seen & 0x40 != 0;
                    prev = bytes[j - 1] as char;
                }
                let Some(&b) = bytes.get(j) else {
                    break;
                };
                let (cj, lj) = if b.is_ascii() {
                    if !ASCII_JOINER[usize::from(b)] {
                        // Neither a hyphen, an apostrophe nor a separator: the word ends here.
                        break;
                    }
                    (b as char, 1)
                } else {
                    let (cj, lj) = decode(s, j);
                    if is_word_char(cj) {
                        has_letter |= is_letter(cj);
                        may_split |= cj == 'ʼ';
                        wide = true;
                        prev = cj;
                        j += lj;
                        continue;
                    }
                    (cj, lj)
                };
                let inner = is_hyphen(cj) || is_apostrophe(cj);
                let separator = matches!(cj, '.' | ',' | ':');
                if !(inner || separator) {
                    break;
                }
                let next = char_at(s, j + lj).map(|(n, _)| n);
                let joins = if inner {
                    next.is_some_and(is_word_char) && !prev.is_numeric()
                } else {
                    prev.is_numeric() && next.is_some_and(char::is_numeric) && !has_letter
                };
                if !joins {
                    break;
                }
                may_split |= is_apostrophe(cj);
                if !cj.is_ascii() {
                    all = 0;
                }
                prev = cj;
                j += lj;
            }
            let word = &s[start..j];
            if !may_split && wide {
                // One piece, as `clitic_pieces` would find.
                emit_kind(start, j, piece_kind(word, has_letter), Form::Any);
                i = j;
                continue;
            }
            if !may_split {
                let kind = if has_letter {
                    TokenKind::Word
                } else {
                    // ASCII letters and digits only: no letter means digits.
                    TokenKind::Number
                };
                // ASCII but for non-ASCII hyphens (which have no case and no decomposition): the
                // ASCII lower case is its normalised form.
                let form = if all & 0x20 != 0 {
                    Form::AsciiLower
                } else {
                    Form::Ascii
                };
                emit_kind(start, j, kind, form);
                i = j;
                continue;
            }
            // Split elisions ("l'", "qu'") and English clitics ("'s", "n't") off the word.
            clitic_pieces(word, data, &mut self.piece_ends);
            let mut off = start;
            let mut piece_start = 0;
            let whole = self.piece_ends.len() == 1;
            for &piece_end in &self.piece_ends {
                let piece = &word[piece_start..piece_end];
                piece_start = piece_end;
                let letters = if whole {
                    has_letter
                } else {
                    piece.chars().any(is_letter)
                };
                emit_kind(
                    off,
                    off + piece.len(),
                    piece_kind(piece, letters),
                    Form::Any,
                );
                off += piece.len();
            }
            i = j;
        }
    }
}

/// The kind of a word piece (word characters and joining marks) that holds a letter if `letters`.
fn piece_kind(piece: &str, letters: bool) -> TokenKind {
    if letters {
        TokenKind::Word
    } else if piece.chars().any(char::is_numeric) {
        TokenKind::Number
    } else {
        TokenKind::Punct
    }
}

/// The end of a dotted acronym starting at byte `i` of `s` (`U.S.`, `J.-C.`), if one starts there.
fn dotted_acronym(s: &str, i: usize) -> Option<usize> {
    // Letter '.' (optional '-') letter '.' ... at least two letters.
    let bytes = s.as_bytes();
    let mut j = i;
    let mut letters = 0;
    while let Some((c, len)) = char_at(s, j) {
        if !(c.is_alphabetic() && bytes.get(j + len) == Some(&b'.')) {
            break;
        }
        letters += 1;
        j += len + 1;
        if let Some((h, hl)) = char_at(s, j) {
            if is_hyphen(h) && char_at(s, j + hl).is_some_and(|(c, _)| c.is_alphabetic()) {
                j += hl;
            }
        }
    }
    // The last letter must not run on into a word ("U.S.A" is fine, "e.g.x" is not an acronym).
    let runs_on = char_at(s, j).is_some_and(|(c, _)| is_word_char(c));
    (letters >= 2 && !runs_on).then_some(j)
}

/// Sets `ends` to the end offsets in `word` of its pieces once elided articles and pronouns
/// (`l'`, `qu'`) and English clitics (`'s`, `n't`) are split off. Words without an apostrophe, nearly
/// all of them, are one piece and cost one scan.
fn clitic_pieces(word: &str, data: &LanguageData, ends: &mut Vec<usize>) {
    ends.clear();
    // Every apostrophe of `is_apostrophe` holds one of these bytes (', and the lead bytes of ’ and ʼ).
    if !word.bytes().any(|b| matches!(b, b'\'' | 0xE2 | 0xCA)) {
        ends.push(word.len());
        return;
    }
    let first_apostrophe = |w: &str| w.char_indices().find(|&(_, c)| is_apostrophe(c));
    let mut rest_start = 0;
    while let Some((pos, apo)) = first_apostrophe(&word[rest_start..]) {
        let cut = rest_start + pos + apo.len_utf8();
        let head = &word[rest_start..rest_start + pos];
        if cut >= word.len() || !is_elision(head, data) {
            break;
        }
        ends.push(cut);
        rest_start = cut;
    }
    if data.code == "en" {
        // The last apostrophe: "O'Neill's" -> "O'Neill" + "'s".
        if let Some(pos) = word[rest_start..].rfind(is_apostrophe) {
            let (head, tail) = word[rest_start..].split_at(pos);
            let tail_lower = tail.to_lowercase().replace('’', "'");
            if matches!(
                tail_lower.as_str(),
                "'s" | "'re" | "'ve" | "'ll" | "'d" | "'m"
            ) {
                ends.push(rest_start + pos);
            } else if tail_lower == "'t" && head.len() > 1 && head.to_lowercase().ends_with('n') {
                ends.push(rest_start + pos - 1);
            }
        }
    }
    ends.push(word.len());
}

/// Whether `head` (the letters before an apostrophe) is an elided word of the language.
fn is_elision(head: &str, data: &LanguageData) -> bool {
    // Elided words are short ("lorsqu"); longer heads are not worth lower-casing.
    !data.elisions.is_empty()
        && head.len() <= 12
        && data.elisions.contains(head.to_lowercase().as_str())
}

/// What the tokenizer knows of a token's surface, for normalising it.
#[derive(Debug, Clone, Copy)]
enum Form {
    /// ASCII (but for non-ASCII hyphens) without capitals: its own normalised form.
    AsciiLower,
    /// ASCII (but for non-ASCII hyphens): the ASCII lower case is its normalised form.
    Ascii,
    /// Anything: normalised in full.
    Any,
}

/// Where tokens go: the output vectors and what each token needs from the language.
struct Sink<'a> {
    /// Byte offset of the tokenised span in the text.
    base: usize,
    sentence: u32,
    data: &'a LanguageData,
    out: &'a mut Vec<Token>,
    norm_buf: &'a mut String,
}

impl Sink<'_> {
    /// Adds the token `surface`, found at byte `start` of the tokenised span, of which the caller
    /// knows `form`.
    #[inline(always)]
    fn emit(&mut self, surface: &str, start: usize, kind: TokenKind, form: Form) {
        let span = Span::new(self.base + start, self.base + start + surface.len());
        let n0 = self.norm_buf.len();
        match form {
            Form::AsciiLower => self.norm_buf.push_str(surface),
            Form::Ascii => push_ascii_lower(surface, self.norm_buf),
            Form::Any => normalise_into(surface, self.data, self.norm_buf),
        }
        let norm = self.norm_buf.get(n0..).unwrap_or("");
        // Elided function words keep their apostrophe in the normalised form (`qu'`).
        let is_stop = kind == TokenKind::Word
            && (self.data.is_stopword(norm)
                || (norm.ends_with('\'') && self.data.is_stopword(norm.trim_end_matches('\''))));
        self.out.push(Token {
            span,
            kind,
            norm: (n0 as u32, self.norm_buf.len() as u32),
            is_stop,
            sentence: self.sentence,
        });
    }
}

/// Appends `surface`, which is ASCII, lower-cased.
#[inline]
fn push_ascii_lower(surface: &str, buf: &mut String) {
    let n0 = buf.len();
    buf.push_str(surface);
    if let Some(added) = buf.get_mut(n0..) {
        added.make_ascii_lowercase();
    }
}

/// Appends the lower case of `c`, without the table search for ASCII and Latin-1 letters.
#[inline]
pub(crate) fn push_lower(c: char, buf: &mut String) {
    if c.is_ascii() {
        buf.push(c.to_ascii_lowercase());
    } else if let Some(lower) = latin1_lower(c) {
        buf.push(lower);
    } else {
        buf.extend(c.to_lowercase());
    }
}

/// The lower case of a non-ASCII character that is one character, without the table search for
/// Latin-1 letters; `None` when it must be asked of `char::to_lowercase`.
#[inline]
fn latin1_lower(c: char) -> Option<char> {
    match c {
        // `À`-`Þ` but `×`: their lower case is 0x20 further.
        '\u{C0}'..='\u{DE}' if c != '×' => char::from_u32(c as u32 + 0x20),
        // `ß`-`ÿ` and `×` are their own lower case.
        '\u{D7}'..='\u{FF}' => Some(c),
        _ => None,
    }
}

/// Appends the normalised form of `surface` to `buf` (see the module documentation).
fn normalise_into(surface: &str, data: &LanguageData, buf: &mut String) {
    let n0 = buf.len();
    if surface.is_ascii() {
        push_ascii_lower(surface, buf);
        return;
    }
    let mut plain = !data.fold_accents; // only characters that need no composition or folding
    for c in surface.chars() {
        if c.is_ascii() {
            buf.push(c.to_ascii_lowercase());
        } else if let Some(lower) = latin1_lower(c) {
            // No combining mark below U+0300.
            buf.push(lower);
        } else if is_apostrophe(c) {
            buf.push('\'');
        } else {
            plain &= !is_combining_mark(c);
            buf.extend(c.to_lowercase());
        }
    }
    if plain {
        return;
    }
    let lowered = buf.split_off(n0);
    if data.fold_accents {
        buf.extend(lowered.nfd().filter(|&c| !is_combining_mark(c)));
    }
    // A token made only of marks keeps them: a normalised form is never empty.
    if buf.len() == n0 {
        buf.extend(lowered.nfc());
    }
}

/// Snowball stems of a text's words, computed once and shared; a word that is not stemmed (a stop
/// word, a number, punctuation, or any word of a language without a stemmer) is its own stem.
#[derive(Debug, Default)]
pub struct Stems {
    buf: String,
    /// For each token, its stem's byte range in `buf`.
    ranges: Vec<(u32, u32)>,
}

impl Stems {
    /// Stems `tokens`, whose normalised forms are in `norm_buf`. Each distinct word is stemmed once.
    pub fn compute(tokens: &[Token], norm_buf: &str, data: &LanguageData) -> Stems {
        let stemmer = data.stemmer.map(Stemmer::create);
        let mut buf = String::with_capacity(norm_buf.len() / 2);
        let mut ranges = Vec::with_capacity(tokens.len());
        let mut seen: HashMap<&str, (u32, u32), BuildHasherDefault<WordHasher>> =
            HashMap::default();
        for t in tokens {
            let norm = &norm_buf[t.norm.0 as usize..t.norm.1 as usize];
            let range = match (&stemmer, t.kind) {
                (Some(stemmer), TokenKind::Word) if !t.is_stop => {
                    *seen.entry(norm).or_insert_with(|| {
                        let s0 = buf.len() as u32;
                        buf.push_str(&stemmer.stem(norm));
                        (s0, buf.len() as u32)
                    })
                }
                _ => {
                    let s0 = buf.len() as u32;
                    buf.push_str(norm);
                    (s0, buf.len() as u32)
                }
            };
            ranges.push(range);
        }
        Stems { buf, ranges }
    }

    /// The stem of token `i` (its index in the slice given to [`Stems::compute`]).
    pub fn get(&self, i: usize) -> &str {
        self.ranges
            .get(i)
            .map_or("", |&(a, b)| &self.buf[a as usize..b as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str, lang: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut buf = String::new();
        tokenize(
            text,
            Span::new(0, text.len()),
            0,
            LanguageData::default_for(lang),
            &mut out,
            &mut buf,
        );
        out.iter()
            .map(|t| {
                (
                    t.span.slice(text).to_string(),
                    buf[t.norm.0 as usize..t.norm.1 as usize].to_string(),
                )
            })
            .collect()
    }

    fn surfaces(text: &str, lang: &str) -> Vec<String> {
        toks(text, lang).into_iter().map(|(s, _)| s).collect()
    }

    #[test]
    fn latin_letters_fast_path_agrees_with_unicode() {
        let general_punctuation = '\u{2000}'..='\u{206F}';
        for c in ('\u{0}'..='\u{2FF}')
            .chain(general_punctuation)
            .chain(['\u{1E9E}', 'ß', 'Ω', '٣', '²'])
        {
            assert_eq!(is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_word_char(c), c.is_alphanumeric() || is_mark(c), "{c:?}");
        }
    }

    #[test]
    fn latin1_fast_paths_agree_with_unicode() {
        for c in '\u{80}'..='\u{2FF}' {
            if let Some(lower) = latin1_lower(c) {
                assert_eq!(c.to_lowercase().collect::<Vec<_>>(), [lower], "{c:?}");
            }
            assert!(!is_combining_mark(c), "{c:?}");
        }
        assert_eq!(latin1_lower('É'), Some('é'));
        assert_eq!(latin1_lower('Ā'), None);
    }

    #[test]
    fn decodes_like_the_standard_library() {
        let s = "aé’😀ʼ\u{301}日";
        for (i, c) in s.char_indices() {
            assert_eq!(char_at(s, i), Some((c, c.len_utf8())), "{c:?}");
        }
        assert_eq!(char_at(s, s.len()), None);
    }

    #[test]
    fn non_ascii_hyphens_keep_their_normalised_form() {
        for lang in ["fr", "en"] {
            assert_eq!(
                toks("Jean‐Pierre A‑B", lang),
                [
                    ("Jean‐Pierre".into(), "jean‐pierre".into()),
                    ("A‑B".into(), "a‑b".into())
                ]
            );
        }
    }

    #[test]
    fn long_words_and_elided_stop_words() {
        // "lorsqu'" is longer than most stop words, and an elided stop word all the same.
        let text = "lorsqu'il anticonstitutionnellement";
        let mut out = Vec::new();
        let mut buf = String::new();
        let fr = LanguageData::default_for("fr");
        tokenize(text, Span::new(0, text.len()), 0, fr, &mut out, &mut buf);
        let norms: Vec<&str> = out
            .iter()
            .map(|t| &buf[t.norm.0 as usize..t.norm.1 as usize])
            .collect();
        assert_eq!(norms, ["lorsqu'", "il", "anticonstitutionnellement"]);
        assert_eq!(out[0].is_stop, fr.is_stopword("lorsqu"));
        assert!(!out[2].is_stop);
    }

    #[test]
    fn french_elisions_and_compounds() {
        assert_eq!(
            surfaces(
                "d'Obama, l’ONU et Jean-Pierre aujourd'hui : a-t-il dit",
                "fr"
            ),
            [
                "d'",
                "Obama",
                ",",
                "l’",
                "ONU",
                "et",
                "Jean-Pierre",
                "aujourd'hui",
                ":",
                "a-t-il",
                "dit"
            ]
        );
    }

    #[test]
    fn english_clitics_numbers_and_acronyms() {
        assert_eq!(
            surfaces(
                "Biden's U.S. team don't pay $3.5 or 1,000 at 14:30...",
                "en"
            ),
            [
                "Biden", "'s", "U.S.", "team", "do", "n't", "pay", "$", "3.5", "or", "1,000", "at",
                "14:30", "..."
            ]
        );
    }

    #[test]
    fn normalised_forms_are_lower_case_with_straight_apostrophes() {
        let t = toks("L’Élysée", "fr");
        assert_eq!(t[0].1, "l'");
        assert_eq!(t[1].1, "élysée");
    }

    #[test]
    fn accents_are_composed_and_folded_per_language() {
        // Decomposed "é" (e + U+0301) is composed in French, accents dropped in English.
        let fr = toks("Cafe\u{301} CÔTE", "fr");
        assert_eq!(fr[0].1, "café");
        assert_eq!(fr[1].1, "côte");
        let en = toks("Café naïve Pokémon", "en");
        let norms: Vec<&str> = en.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(norms, ["cafe", "naive", "pokemon"]);
        // German keeps its umlauts; Turkish dotted capital I lower-cases without panicking.
        assert_eq!(toks("Über", "de")[0].1, "über");
        assert!(!toks("İSTANBUL", "tr")[0].1.is_empty());
    }

    fn stems(text: &str, lang: &str) -> Vec<String> {
        let data = LanguageData::default_for(lang);
        let mut out = Vec::new();
        let mut buf = String::new();
        tokenize(text, Span::new(0, text.len()), 0, data, &mut out, &mut buf);
        let stems = Stems::compute(&out, &buf, data);
        (0..out.len()).map(|i| stems.get(i).to_string()).collect()
    }

    #[test]
    fn stems_per_language() {
        let fr = stems("Les négociations continuent, négociation", "fr");
        assert_eq!(fr[0], "les", "stop words are not stemmed");
        assert_eq!(fr[1], fr[4], "singular and plural share a stem");
        assert!("négociation".starts_with(&fr[1]) && fr[1].len() < "négociation".len());
        assert_eq!(fr[3], ",");
        let en = stems("The ministers were meeting 3 times", "en");
        assert_eq!(en[0], "the", "stop words are not stemmed");
        assert_eq!(en[1], "minist");
        assert_eq!(en[3], "meet");
        assert_eq!(en[4], "3");
        assert_eq!(
            stems("running", "zz"),
            ["running"],
            "no stemmer: the word itself"
        );
        assert_eq!(Stems::default().get(3), "");
    }

    #[test]
    fn chains_of_elisions_split_without_recursion() {
        assert_eq!(surfaces("qu'l'ONU", "fr"), ["qu'", "l'", "ONU"]);
        let long = "l'".repeat(50_000) + "x";
        assert_eq!(toks(&long, "fr").len(), 50_001);
        assert_eq!(
            surfaces("can't O'Neill's", "en"),
            ["ca", "n't", "O'Neill", "'s"]
        );
    }

    #[test]
    fn stop_words_are_flagged() {
        let mut out = Vec::new();
        let mut buf = String::new();
        let text = "Le président et la ministre";
        tokenize(
            text,
            Span::new(0, text.len()),
            0,
            LanguageData::default_for("fr"),
            &mut out,
            &mut buf,
        );
        let flags: Vec<bool> = out.iter().map(|t| t.is_stop).collect();
        assert_eq!(flags, [true, false, true, true, false]);
    }
}
