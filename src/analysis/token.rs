//! Word tokens with byte offsets, a normalised form and a stop-word flag.
//!
//! Tokens are words (letters, digits and marks, with inner hyphens and apostrophes: `Jean-Pierre`,
//! `aujourd'hui`, `O'Neill`), numbers (`3.5`, `1.000`, `14:30`), dotted acronyms (`U.S.`) and single
//! punctuation marks. Elided articles are split off where the language has them (`d'Obama` ->
//! `d'` + `Obama`), and so are English possessives and negations (`Biden's` -> `Biden` + `'s`).
//!
//! Normalised forms are lower case with typographic apostrophes made straight; they live in one shared
//! buffer so that tokenising allocates per text, not per token.

use super::lexicon::LanguageData;
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

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

fn is_mark(c: char) -> bool {
    // Combining marks (accents typed as separate code points, Indic vowel signs) belong to their word.
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A
        | 0x064B..=0x065F | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0E31..=0x0E3A | 0x0E47..=0x0E4E
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
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
    let s = span.slice(text);
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(s.len(), |&(p, _)| p);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
        {
            i += 1;
            continue;
        }
        let start = i;
        if !is_word_char(c) {
            // Runs of the same punctuation ("...", "--") are one token.
            let mut j = i + 1;
            if matches!(c, '.' | '-' | '!' | '?') {
                while j < chars.len() && chars[j].1 == c {
                    j += 1;
                }
            }
            emit(
                text,
                span.start,
                byte_at(start),
                byte_at(j),
                TokenKind::Punct,
                sentence,
                data,
                out,
                norm_buf,
            );
            i = j;
            continue;
        }
        // A dotted acronym: single letters each followed by a period ("U.S.", "J.-C.").
        if let Some(end) = dotted_acronym(&chars, i) {
            emit(
                text,
                span.start,
                byte_at(i),
                byte_at(end),
                TokenKind::Word,
                sentence,
                data,
                out,
                norm_buf,
            );
            i = end;
            continue;
        }
        let mut j = i + 1;
        let mut has_letter = c.is_alphabetic();
        while j < chars.len() {
            let cj = chars[j].1;
            if is_word_char(cj) {
                has_letter |= cj.is_alphabetic();
                j += 1;
                continue;
            }
            let next_is_word = chars.get(j + 1).is_some_and(|&(_, n)| is_word_char(n));
            let prev_digit = chars[j - 1].1.is_numeric();
            let next_digit = chars.get(j + 1).is_some_and(|&(_, n)| n.is_numeric());
            if (is_hyphen(cj) || is_apostrophe(cj)) && next_is_word && !prev_digit {
                j += 1;
                continue;
            }
            if matches!(cj, '.' | ',' | ':') && prev_digit && next_digit && !has_letter {
                j += 1;
                continue;
            }
            break;
        }
        // Split elisions ("l'", "qu'") and English clitics ("'s", "n't") off the word.
        let word = &s[byte_at(start)..byte_at(j)];
        // Only a word with an apostrophe can split: the others skip the allocation.
        let split;
        let pieces: &[&str] = if word.chars().any(is_apostrophe) {
            split = split_clitics(word, data);
            &split
        } else {
            std::slice::from_ref(&word)
        };
        let mut off = byte_at(start);
        for &piece in pieces {
            let kind = if piece.chars().any(char::is_alphabetic) {
                TokenKind::Word
            } else if piece.chars().any(char::is_numeric) {
                TokenKind::Number
            } else {
                TokenKind::Punct
            };
            emit(
                text,
                span.start,
                off,
                off + piece.len(),
                kind,
                sentence,
                data,
                out,
                norm_buf,
            );
            off += piece.len();
        }
        i = j;
    }
}

fn dotted_acronym(chars: &[(usize, char)], i: usize) -> Option<usize> {
    // Letter '.' (optional '-') letter '.' ... at least two letters.
    let mut j = i;
    let mut letters = 0;
    loop {
        if j < chars.len()
            && chars[j].1.is_alphabetic()
            && chars.get(j + 1).is_some_and(|&(_, c)| c == '.')
        {
            letters += 1;
            j += 2;
            if chars.get(j).is_some_and(|&(_, c)| is_hyphen(c))
                && chars.get(j + 1).is_some_and(|&(_, c)| c.is_alphabetic())
            {
                j += 1;
            }
            continue;
        }
        break;
    }
    // The last letter must not run on into a word ("U.S.A" is fine, "e.g.x" is not an acronym).
    let runs_on = chars.get(j).is_some_and(|&(_, c)| is_word_char(c));
    (letters >= 2 && !runs_on).then_some(j)
}

fn split_clitics<'w>(word: &'w str, data: &LanguageData) -> Vec<&'w str> {
    if let Some((pos, apo)) = word.char_indices().find(|&(_, c)| is_apostrophe(c)) {
        let head = &word[..pos];
        let cut = pos + apo.len_utf8();
        if !data.elisions.is_empty()
            && data.elisions.contains(head.to_lowercase().as_str())
            && cut < word.len()
        {
            let mut rest = split_clitics(&word[cut..], data);
            rest.insert(0, &word[..cut]);
            return rest;
        }
        if data.code == "en" {
            let tail = &word[pos..];
            let tail_lower = tail.to_lowercase().replace('’', "'");
            if matches!(
                tail_lower.as_str(),
                "'s" | "'re" | "'ve" | "'ll" | "'d" | "'m"
            ) {
                return vec![head, tail];
            }
            if tail_lower == "'t" && head.to_lowercase().ends_with('n') && head.len() > 1 {
                let n = head.len() - 1;
                return vec![&word[..n], &word[n..]];
            }
        }
    }
    vec![word]
}

#[allow(clippy::too_many_arguments)]
fn emit(
    text: &str,
    base: usize,
    start: usize,
    end: usize,
    kind: TokenKind,
    sentence: u32,
    data: &LanguageData,
    out: &mut Vec<Token>,
    norm_buf: &mut String,
) {
    let span = Span::new(base + start, base + end);
    let n0 = norm_buf.len();
    for c in span.slice(text).chars() {
        if is_apostrophe(c) {
            norm_buf.push('\'');
        } else {
            norm_buf.extend(c.to_lowercase());
        }
    }
    let norm = &norm_buf[n0..];
    let is_stop = kind == TokenKind::Word
        && (data.is_stopword(norm) || data.is_stopword(norm.trim_end_matches('\'')));
    out.push(Token {
        span,
        kind,
        norm: (n0 as u32, norm_buf.len() as u32),
        is_stop,
        sentence,
    });
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
