//! Sentence segmentation for news text.
//!
//! Line breaks are hard boundaries (headline, paragraphs, bullet items), except for a line that
//! visibly runs on: one hard-wrapped mid-sentence (the next line starts in lower case) or one that
//! ends on a title or date abbreviation (`Former Gov.` / `Carroll Campbell`). Each line is split at
//! sentence-final punctuation that a news reader would take as the end of a sentence:
//! - a period after a title (`M.`, `Mme`, `Dr.`) never ends a sentence; after an abbreviation that
//!   may end one (`etc.`, `Inc.`, `Sept.`) or a dotted acronym (`U.S.`) it does only when a
//!   capitalised function word follows (`... in the U.S. The ...`); after an initial (`J. Biden`,
//!   `J.-M. Le Pen`) only when a capitalised function word and then a lower-case word follow
//!   (`vitamine C. Le médecin`); `No.`, `p.`, `art.` are abbreviations only before a number;
//! - numbers keep their periods (`3.5`, `1.000`): a sentence ends only before white space;
//! - closing quote marks and brackets after the punctuation stay with the sentence (`... dit. »`),
//!   and a quotation that goes on in lower case (`«Non !», a-t-il dit.`) does not end it; a straight
//!   double quote glued to the next word opens the next sentence instead (`pas."Même`); a quotation
//!   of several sentences is split at its sentences;
//! - the next sentence starts with a capital, a digit, an opening quote or bracket, a dash or a letter
//!   of an uncased script; CJK full stops end a sentence with no space after them, and so does a
//!   period glued to the next sentence by a careless paste (`Venise.Selon le quotidien`);
//! - stray punctuation (a lone closing quote) joins the sentence before it.
//!
//! The first line is the headline when more text follows and it reads as one (short, no final period
//! unless it is in title case). A wire dateline at the start of a line (`NAIROBI, Kenya (AP) _`) or
//! alone on its line (`LONDON 1996-08-30`) is a segment of its own, so that the summary can skip it
//! and taggers do not read it as a sentence start.
//!
//! Every step looks at each character a bounded number of times: segmentation is linear in the text.

mod dateline;

use dateline::Dateline;

use super::bytes::{has_byte, has_less, ByteSet};
use super::lexicon::{AbbreviationKind, LanguageData};
use super::span::Span;
use super::token::char_at;

/// What a segment of the text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentKind {
    /// The headline: the first line, when it reads as one.
    Headline,
    /// A wire dateline (`WASHINGTON (Reuters) -`).
    Dateline,
    /// A sentence of the body.
    Body,
}

/// A sentence found by [`split_sentences`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSentence {
    /// Where the sentence is, without surrounding white space.
    pub span: Span,
    /// What kind of segment it is.
    pub kind: SegmentKind,
    /// Index of the line (paragraph) it belongs to, counting non-blank lines from 0 (a hard-wrapped
    /// line joined to the one before counts with it).
    pub paragraph: usize,
}

/// Splits `text` into sentences, in order, non-overlapping, covering every non-blank character.
pub fn split_sentences(text: &str, data: &LanguageData) -> Vec<RawSentence> {
    let mut out = Vec::new();
    let lines = logical_lines(text, data);
    for (paragraph, line) in lines.iter().enumerate() {
        let line_text = line.slice(text);
        if paragraph == 0 && lines.len() > 1 && reads_as_headline(line_text) {
            out.push(RawSentence {
                span: *line,
                kind: SegmentKind::Headline,
                paragraph,
            });
            continue;
        }
        let dateline = dateline::find(line_text);
        if dateline == Some(Dateline::OwnLine) {
            out.push(RawSentence {
                span: *line,
                kind: SegmentKind::Dateline,
                paragraph,
            });
            continue;
        }
        let mut start = line.start;
        if let Some(Dateline::Prefix(end)) = dateline {
            // Only a dateline when a sentence follows it on the line.
            if end < line_text.len() {
                out.push(RawSentence {
                    span: Span::new(line.start, line.start + line_text[..end].trim_end().len()),
                    kind: SegmentKind::Dateline,
                    paragraph,
                });
                start = line.start + end;
            }
        }
        let line = Span::new(start, line.end);
        split_line(text, line, data, paragraph, &mut out);
    }
    out
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{0B}' | '\u{0C}'
    )
}

/// Bytes that may start a line break: ASCII controls and the lead bytes of U+0085 (C2) and
/// U+2028/U+2029 (E2).
static LINE_BREAK_LEAD: ByteSet = ByteSet::new(b"\n\r\x0B\x0C\xC2\xE2");

/// Whether the eight bytes `x` may hold a byte of [`LINE_BREAK_LEAD`].
#[inline]
fn may_hold_line_break(x: u64) -> bool {
    has_less(x, 0x0E) | has_byte(x, 0xC2) | has_byte(x, 0xE2)
}

/// The non-blank lines of `text`, trimmed, with hard-wrapped lines joined to the line they continue.
fn logical_lines(text: &str, data: &LanguageData) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    // Whether the previous physical line was non-blank (so that the next one may continue it).
    let mut adjacent = false;
    let mut start = 0;
    let mut physical = |line: Span, out: &mut Vec<Span>| {
        if line.is_empty() {
            // "\r\n" is one break: an empty line between "\r" and "\n" is not a blank line.
            if start_of_crlf(text, line.start) == line.start {
                adjacent = false;
            }
            return;
        }
        match out.last_mut() {
            Some(prev) if adjacent && continues(prev.slice(text), line.slice(text), data) => {
                prev.end = line.end;
            }
            _ => out.push(line),
        }
        adjacent = true;
    };
    // Line breaks are ASCII control characters or begin with byte C2 (U+0085) or E2 (U+2028/9):
    // other bytes need no decoding.
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(found) = LINE_BREAK_LEAD.find(bytes, i, may_hold_line_break) {
        // A lead byte is never a continuation byte: `found` is a char boundary.
        i = found;
        let Some((c, len)) = char_at(text, i) else {
            break;
        };
        if is_line_break(c) {
            physical(trim(text, Span::new(start, i)), &mut out);
            start = i + len;
        }
        i += len;
    }
    physical(trim(text, Span::new(start, text.len())), &mut out);
    out
}

/// For an empty line at `pos`: `pos - 1` when it sits between the `\r` and `\n` of one line break
/// (so it is not a blank line), else `pos`.
fn start_of_crlf(text: &str, pos: usize) -> usize {
    let b = text.as_bytes();
    if pos >= 1 && b.get(pos) == Some(&b'\n') && b[pos - 1] == b'\r' {
        pos - 1
    } else {
        pos
    }
}

/// Whether line `next` continues line `prev` instead of starting a new paragraph.
fn continues(prev: &str, next: &str, data: &LanguageData) -> bool {
    let (Some(last), Some(first)) = (prev.chars().next_back(), next.chars().next()) else {
        return false;
    };
    // Hard-wrapped mid-sentence: "... Australia will defend the Ashes in" / "a six-test series".
    if first.is_lowercase() && (last.is_alphanumeric() || matches!(last, ',' | ';' | '-' | '–')) {
        return true;
    }
    // A title or a date abbreviation cannot end a paragraph: "Former South Carolina Gov." /
    // "Carroll Campbell", "the debates are Sept." / "25, Oct. 9".
    if last == '.' && first.is_alphanumeric() {
        let body = &prev[..prev.len() - 1];
        let word = body
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        if word.is_empty() {
            return false;
        }
        let lower = word.to_lowercase();
        return match data.abbreviation_kinds.get(lower.as_str()) {
            Some(AbbreviationKind::Title) => true,
            Some(AbbreviationKind::Final) => first.is_numeric(),
            _ => false,
        };
    }
    false
}

/// The span without leading and trailing white space (and invisible format characters).
pub fn trim(text: &str, span: Span) -> Span {
    let s = span.slice(text);
    let is_blank = |c: char| c.is_whitespace() || is_invisible(c);
    let lead = s.len() - s.trim_start_matches(is_blank).len();
    let trail = s.len() - s.trim_end_matches(is_blank).len();
    if lead == s.len() {
        return Span::new(span.start, span.start);
    }
    Span::new(span.start + lead, span.end - trail)
}

/// Zero-width and format characters that carry no text of their own.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\0'
    ) || (c.is_control() && !c.is_whitespace())
}

fn reads_as_headline(line: &str) -> bool {
    let words = line.split_whitespace().count();
    if line.len() > 300 || words > 30 {
        return false;
    }
    let ends_with_period = line.ends_with('.') && !line.ends_with("..");
    !ends_with_period || words <= 12 || is_title_case(line)
}

/// Whether most words start with a capital ("Stealth Over Health: Hillary Clinton Was Headed...").
fn is_title_case(line: &str) -> bool {
    let (mut words, mut capitalised) = (0, 0);
    for w in line.split_whitespace() {
        if let Some(c) = w.chars().find(|c| c.is_alphabetic()) {
            words += 1;
            capitalised += usize::from(c.is_uppercase());
        }
    }
    words >= 3 && capitalised * 4 >= words * 3
}

fn is_terminator(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '…' | '。' | '！' | '？' | '؟' | '।' | '‼' | '⁇' | '⁈' | '⁉'
    )
}

fn is_cjk_terminator(c: char) -> bool {
    matches!(c, '。' | '！' | '？')
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | '›' | ')' | ']' | '}' | '」' | '』' | '“'
    )
}

fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | '“'
            | '‘'
            | '«'
            | '‹'
            | '„'
            | '‚'
            | '('
            | '['
            | '{'
            | '「'
            | '『'
            | '¿'
            | '¡'
    )
}

fn is_dash_or_bullet(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '•' | '*' | '·' | '►' | '▪')
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{00A0}' | '\u{202F}' | '\u{2009}')
}

/// Bytes that may start a sentence terminator: the ASCII ones and the lead bytes of the others
/// (`…`, `‼`, `⁇`-`⁉`: E2; `。`: E3; `！`, `？`: EF; `؟`: D8; `।`: E0).
static TERMINATOR_LEAD: ByteSet = ByteSet::new(b".!?\xD8\xE0\xE2\xE3\xEF");

/// Whether the eight bytes `x` may hold a byte of [`TERMINATOR_LEAD`].
#[inline]
fn may_hold_terminator(x: u64) -> bool {
    // Every lead byte of a three-byte character (E0-EF) is let through and then looked up.
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    has_byte(x, b'.')
        | has_byte(x, b'!')
        | has_byte(x, b'?')
        | has_byte(x, 0xD8)
        | has_byte(x & HIGH_NIBBLES, 0xE0)
}

/// Byte offset in `s` of the first sentence terminator at or after byte `from`, and the terminator.
fn next_terminator(s: &str, from: usize) -> Option<(usize, char)> {
    let mut at = from;
    loop {
        at = TERMINATOR_LEAD.find(s.as_bytes(), at, may_hold_terminator)?;
        // A lead byte is never a continuation byte: `at` is a char boundary.
        let (c, len) = char_at(s, at)?;
        if is_terminator(c) {
            return Some((at, c));
        }
        at += len;
    }
}

/// The character of `s` ending at byte `end`.
fn char_before(s: &str, end: usize) -> Option<char> {
    s.get(..end)?.chars().next_back()
}

/// The character of `s` at byte `at`, if any.
fn char_of(s: &str, at: usize) -> Option<char> {
    char_at(s, at).map(|(c, _)| c)
}

/// Splits one line into sentences. Only terminators are decoded in full: the rest of the line is
/// scanned by byte.
fn split_line(
    text: &str,
    line: Span,
    data: &LanguageData,
    paragraph: usize,
    out: &mut Vec<RawSentence>,
) {
    let s = line.slice(text);
    let mut sent_start = 0usize; // byte offset in `s`
    let mut i = 0usize; // where to look for the next terminator
    while let Some((pos, c)) = next_terminator(s, i) {
        // The run of terminators: "?!", "...", "…".
        let mut j = pos;
        let mut cjk = false;
        while let Some((cj, lj)) = char_at(s, j).filter(|&(cj, _)| is_terminator(cj)) {
            cjk |= is_cjk_terminator(cj);
            j += lj;
        }
        let single_period = j == pos + 1 && c == '.';
        // Closing quote marks and brackets stay with the sentence; French puts a space before "»".
        let mut k = j;
        loop {
            if let Some((ck, lk)) = char_at(s, k) {
                let closes = match ck {
                    // A straight quote glued to a letter opens the next sentence: `pas."Même`.
                    '"' => !char_of(s, k + lk).is_some_and(char::is_alphanumeric),
                    '“' => data.code == "de",
                    _ => is_closing(ck),
                };
                if closes {
                    k += lk;
                    continue;
                }
            }
            let mut m = k;
            while let Some((_, lm)) =
                char_at(s, m).filter(|&(cm, _)| matches!(cm, ' ' | '\u{00A0}' | '\u{202F}'))
            {
                m += lm;
            }
            if m > k {
                if let Some((_, lm)) = char_at(s, m).filter(|&(cm, _)| matches!(cm, '»' | '›')) {
                    k = m + lm;
                    continue;
                }
            }
            break;
        }
        // What follows: end of line, or white space and the next sentence's first character.
        let mut n = k;
        while let Some((_, ln)) = char_at(s, n).filter(|&(cn, _)| is_space(cn)) {
            n += ln;
        }
        let Some(next) = char_of(s, n) else {
            break; // the line's end closes the sentence anyway
        };
        let breaks = if cjk {
            true
        } else if n == k {
            glued_sentence_start(s, pos, k, data)
        } else {
            (starts_sentence(next) || reversed_quote_opens(s, n))
                && !(single_period && period_is_not_final(s, sent_start, pos, n, data))
        };
        if breaks {
            push(
                text,
                line.start + sent_start,
                line.start + k,
                paragraph,
                out,
            );
            sent_start = n;
            i = n;
        } else {
            i = j;
        }
    }
    if sent_start < s.len() {
        push(text, line.start + sent_start, line.end, paragraph, out);
    }
}

/// Adds a sentence; one without any letter or digit (a stray closing quote) joins the sentence before
/// it on the same line.
fn push(text: &str, start: usize, end: usize, paragraph: usize, out: &mut Vec<RawSentence>) {
    let span = trim(text, Span::new(start, end));
    if span.is_empty() {
        return;
    }
    let has_content = span.slice(text).chars().any(char::is_alphanumeric);
    if let Some(prev) = out.last_mut() {
        if !has_content && prev.paragraph == paragraph && prev.kind == SegmentKind::Body {
            prev.span.end = span.end;
            return;
        }
    }
    out.push(RawSentence {
        span,
        kind: SegmentKind::Body,
        paragraph,
    });
}

/// A closing-style quote used as an opening one after a space (`left. ”Mr. Trump`, Swedish `”Ja`).
fn reversed_quote_opens(s: &str, n: usize) -> bool {
    char_at(s, n).is_some_and(|(c, len)| {
        matches!(c, '”' | '’' | '»') && char_of(s, n + len).is_some_and(char::is_uppercase)
    })
}

/// Whether `c` can start a sentence.
fn starts_sentence(c: char) -> bool {
    if c.is_lowercase() {
        return false;
    }
    c.is_uppercase()
        || c.is_numeric()
        || is_opening(c)
        || is_dash_or_bullet(c)
        // Letters of scripts without case (Arabic, Hebrew, CJK, Devanagari...).
        || (c.is_alphabetic() && !c.is_lowercase() && !c.is_uppercase())
}

/// A sentence pasted onto the previous one without a space (`Venise.Selon le`, `1975."Même`): the
/// terminator run at byte `i` of `s` (closing marks up to byte `k`) follows a lower-case letter or a digit and precedes
/// a capital and a lower-case letter, possibly after an opening quote.
fn glued_sentence_start(s: &str, i: usize, k: usize, data: &LanguageData) -> bool {
    let Some(before) = char_before(s, i) else {
        return false;
    };
    if !(before.is_lowercase() || before.is_numeric()) {
        return false;
    }
    let mut n = k;
    if let Some((_, len)) = char_at(s, n).filter(|&(c, _)| is_opening(c)) {
        n += len;
    }
    let (capital, then_lower) = match char_at(s, n) {
        Some((c, len)) => (
            c.is_uppercase(),
            char_of(s, n + len).is_some_and(char::is_lowercase),
        ),
        None => (false, false),
    };
    if !(capital && then_lower) {
        return false;
    }
    // Not after an abbreviation ("Mr.Smith" is a typo, not two sentences).
    let word = word_before(s, i);
    word.chars().count() >= 2 && !data.abbreviations.contains(word.to_lowercase().as_str())
}

/// The word ending at byte `end` of `s`: back to the previous space or opening bracket/quote, without
/// leading punctuation (`”Mr` is `Mr`).
fn word_before(s: &str, end: usize) -> &str {
    let before = &s[..end];
    let start = before
        .rfind(|c: char| is_space(c) || (is_opening(c) && c != '\''))
        .map_or(0, |p| {
            p + before[p..].chars().next().map_or(1, char::len_utf8)
        });
    before[start..].trim_start_matches(|c: char| !c.is_alphanumeric())
}

/// For a single period at `dot` (byte offset in `s`): whether the word before it shows that it is not
/// the end of a sentence. `sent_start` is where the current sentence starts in `s`, `next` the byte
/// offset in `s` of the following sentence's first character.
fn period_is_not_final(
    s: &str,
    sent_start: usize,
    dot: usize,
    next: usize,
    data: &LanguageData,
) -> bool {
    let word = word_before(s, dot);
    if word.is_empty() {
        return false;
    }
    // A list number opening its sentence: "3. Aliuska Lopez (Cuba) 12.92".
    let numeral = word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit());
    if numeral && s[sent_start..dot - word.len()].trim().is_empty() {
        return true;
    }
    let lower = word.to_lowercase();
    let after = s.get(next..).unwrap_or("");
    let next_word = after
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .next()
        .unwrap_or("");
    let next_is_function_word = next_word.chars().next().is_some_and(char::is_uppercase) && {
        let w = next_word.to_lowercase();
        data.is_stopword(&w) || w.contains(['\'', '’'])
    };
    // After the function word, a lower-case word: "C. Le médecin" starts a sentence, "J.-M. Le Pen"
    // does not.
    let then_lower = next_is_function_word && {
        let rest = after[next_word.len()..].trim_start_matches(is_space);
        rest.chars().next().is_some_and(char::is_lowercase)
    };
    // Initials, plain ("J. Biden") or hyphenated ("J.-M. Le Pen").
    let is_initials = word.split('.').all(|part| {
        let part = part.trim_start_matches('-');
        let mut cs = part.chars();
        matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
    });
    if is_initials && !data.abbreviations.contains(lower.as_str()) {
        return !then_lower;
    }
    // Dotted acronyms ("U.S", "e.g"): ambiguous, end only before a capitalised function word.
    if word.contains('.')
        && word
            .split('.')
            .all(|part| part.trim_start_matches('-').chars().count() <= 2)
    {
        return !next_is_function_word;
    }
    // Ordinals written with a period ("am 3. Januar") where the language does so.
    if data.ordinal_period && numeral {
        return !next_is_function_word;
    }
    match data.abbreviation_kinds.get(lower.as_str()) {
        Some(AbbreviationKind::Title) => true,
        Some(AbbreviationKind::Final) => !next_is_function_word,
        Some(AbbreviationKind::Number) => char_of(s, next).is_some_and(char::is_numeric),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::bytes::check_search;

    #[test]
    fn byte_sets_find_what_a_plain_search_finds() {
        let text =
            "Le « 3.5 » ?!\r\nab\u{85}c\u{2028}…。日本語！؟ । x\x0B\x0C\x0Dy\u{2026}".repeat(3);
        check_search(&LINE_BREAK_LEAD, may_hold_line_break, &text);
        check_search(&TERMINATOR_LEAD, may_hold_terminator, &text);
    }

    fn sents(text: &str, lang: &str) -> Vec<String> {
        split_sentences(text, LanguageData::default_for(lang))
            .iter()
            .map(|s| s.span.slice(text).to_string())
            .collect()
    }

    #[test]
    fn french_titles_and_abbreviations_do_not_split() {
        let t = "M. Poutine a parlé avec Mme Merkel. Le Dr Martin, etc. était là. Il est parti.";
        assert_eq!(
            sents(t, "fr"),
            [
                "M. Poutine a parlé avec Mme Merkel.",
                "Le Dr Martin, etc. était là.",
                "Il est parti."
            ]
        );
    }

    #[test]
    fn english_titles_initials_and_acronyms() {
        let t =
            "Mr. Smith met J. Biden in the U.S. capital. He left. Prices rose in the U.S. The end.";
        assert_eq!(
            sents(t, "en"),
            [
                "Mr. Smith met J. Biden in the U.S. capital.",
                "He left.",
                "Prices rose in the U.S.",
                "The end."
            ]
        );
        assert_eq!(
            sents("Born in 52 av. J.-C. à Rome.", "fr"),
            ["Born in 52 av. J.-C. à Rome."]
        );
    }

    #[test]
    fn numbers_do_not_split() {
        assert_eq!(
            sents("Il a 3.5 ans et 1.000 euros. Fin.", "fr"),
            ["Il a 3.5 ans et 1.000 euros.", "Fin."]
        );
    }

    #[test]
    fn ellipses() {
        assert_eq!(
            sents("Il hésite... puis part. Alors… Rien.", "fr"),
            ["Il hésite... puis part.", "Alors…", "Rien."]
        );
    }

    #[test]
    fn sentence_ending_inside_quotes() {
        let t = "«Nous partirons demain.» Il a confirmé. «Non !», a-t-il dit. « C'est fini. » Puis rien.";
        assert_eq!(
            sents(t, "fr"),
            [
                "«Nous partirons demain.»",
                "Il a confirmé.",
                "«Non !», a-t-il dit.",
                "« C'est fini. »",
                "Puis rien."
            ]
        );
        let e = "\"We will win.\" He smiled. \"Really?\" she asked.";
        assert_eq!(
            sents(e, "en"),
            ["\"We will win.\"", "He smiled.", "\"Really?\" she asked."]
        );
    }

    #[test]
    fn quotation_with_several_sentences_is_split_at_its_sentences() {
        let t = "Il a dit : «Nous sommes prêts. Nous partirons.» Puis il est sorti.";
        assert_eq!(
            sents(t, "fr"),
            [
                "Il a dit : «Nous sommes prêts.",
                "Nous partirons.»",
                "Puis il est sorti."
            ]
        );
    }

    #[test]
    fn lines_are_hard_boundaries_and_headline_is_detected() {
        let t = "Dégel : Poutine propose à Biden\nPremier paragraphe sans point\n\n- un point\n- deux points";
        let got = split_sentences(t, LanguageData::default_for("fr"));
        let texts: Vec<_> = got.iter().map(|s| s.span.slice(t)).collect();
        assert_eq!(
            texts,
            [
                "Dégel : Poutine propose à Biden",
                "Premier paragraphe sans point",
                "- un point",
                "- deux points"
            ]
        );
        assert_eq!(got[0].kind, SegmentKind::Headline);
        assert_eq!(got[1].kind, SegmentKind::Body);
        assert_eq!(
            got.iter().map(|s| s.paragraph).collect::<Vec<_>>(),
            [0, 1, 2, 3]
        );
    }

    #[test]
    fn datelines_are_their_own_segment() {
        let t = "NAIROBI, Kenya (AP) _ The rains came early. Farmers were glad.";
        let got = split_sentences(t, LanguageData::default_for("en"));
        let texts: Vec<_> = got.iter().map(|s| s.span.slice(t)).collect();
        assert_eq!(
            texts,
            [
                "NAIROBI, Kenya (AP) _",
                "The rains came early.",
                "Farmers were glad."
            ]
        );
        assert_eq!(got[0].kind, SegmentKind::Dateline);
    }

    #[test]
    fn cjk_full_stops_split_without_spaces() {
        assert_eq!(
            sents("今天下雨。明天晴天。", "zh"),
            ["今天下雨。", "明天晴天。"]
        );
    }

    #[test]
    fn windows_line_endings_and_blank_text() {
        assert_eq!(
            sents("One line\r\nTwo lines here.\r\n", "en"),
            ["One line", "Two lines here."]
        );
        assert!(sents("  \n\t ", "en").is_empty());
    }

    #[test]
    fn english_abbreviations_that_may_end_a_sentence() {
        let t = "Shares of Apple Inc. rose. He joined Apple Inc. The company grew. \
                 The answer is no. He left. See No. 5 on the list.";
        assert_eq!(
            sents(t, "en"),
            [
                "Shares of Apple Inc. rose.",
                "He joined Apple Inc.",
                "The company grew.",
                "The answer is no.",
                "He left.",
                "See No. 5 on the list."
            ]
        );
        assert_eq!(
            sents(
                "A restaurant in Roanoke, Va. - a pub - closed. Gov. Earl Tomblin spoke.",
                "en"
            ),
            [
                "A restaurant in Roanoke, Va. - a pub - closed.",
                "Gov. Earl Tomblin spoke."
            ]
        );
    }

    #[test]
    fn initials_end_a_sentence_only_before_a_clear_start() {
        assert_eq!(
            sents(
                "Il manque de vitamine C. Le médecin l'a dit. J.-M. Le Pen a parlé.",
                "fr"
            ),
            [
                "Il manque de vitamine C.",
                "Le médecin l'a dit.",
                "J.-M. Le Pen a parlé."
            ]
        );
        assert_eq!(
            sents("George W. Bush met J. R. R. Tolkien fans.", "en"),
            ["George W. Bush met J. R. R. Tolkien fans."]
        );
    }

    #[test]
    fn french_dates_and_numbers() {
        assert_eq!(
            sents(
                "Né le 3 janv. 1950, il a vu 2.600 passagers. Art. 3 du code. Fin.",
                "fr"
            ),
            [
                "Né le 3 janv. 1950, il a vu 2.600 passagers.",
                "Art. 3 du code.",
                "Fin."
            ]
        );
    }

    #[test]
    fn sentences_pasted_without_a_space_are_split() {
        let t = "Il voulait visiter Venise.Selon le quotidien, c'est fini. \"Non\", dit-il.\"Même si.\"";
        assert_eq!(
            sents(t, "fr"),
            [
                "Il voulait visiter Venise.",
                "Selon le quotidien, c'est fini.",
                "\"Non\", dit-il.",
                "\"Même si.\""
            ]
        );
        // Not after an abbreviation, an acronym or inside a number.
        assert_eq!(
            sents("Mr.Smith met U.S.Army staff at 3.5pm.", "en"),
            ["Mr.Smith met U.S.Army staff at 3.5pm."]
        );
    }

    #[test]
    fn straight_quotes_closing_and_opening() {
        let t = "Sans eux, rien!\"\"Historiquement, c'est ouvert.\" Il part.";
        assert_eq!(
            sents(t, "fr"),
            [
                "Sans eux, rien!\"",
                "\"Historiquement, c'est ouvert.\"",
                "Il part."
            ]
        );
        let e = "The protesters chanted. ``Stop the bloodshed,'' they said.";
        assert_eq!(
            sents(e, "en"),
            [
                "The protesters chanted.",
                "``Stop the bloodshed,'' they said."
            ]
        );
    }

    #[test]
    fn stray_punctuation_joins_the_sentence_before() {
        let t = "\" It was hard, \" Woods said. \"\nToday, I played. \"";
        assert_eq!(
            sents(t, "en"),
            ["\" It was hard, \" Woods said. \"", "Today, I played. \""]
        );
    }

    #[test]
    fn hard_wrapped_lines_and_abbreviations_at_line_end_are_joined() {
        let t = "Australia will defend the Ashes in\na six-test series.\nThe debates are Sept.\n25 and Oct. 9.\nFormer Gov.\nCarroll Campbell will head the team.\n\nnew paragraph";
        let got = split_sentences(t, LanguageData::default_for("en"));
        let texts: Vec<_> = got.iter().map(|s| s.span.slice(t)).collect();
        assert_eq!(
            texts,
            [
                "Australia will defend the Ashes in\na six-test series.",
                "The debates are Sept.\n25 and Oct. 9.",
                "Former Gov.\nCarroll Campbell will head the team.",
                "new paragraph"
            ]
        );
        assert_eq!(
            got.iter().map(|s| s.paragraph).collect::<Vec<_>>(),
            [0, 1, 2, 3]
        );
        // A bullet list and a colon before a list stay separate lines.
        assert_eq!(
            sents("Les points suivants :\nla santé\n- les impôts", "fr"),
            ["Les points suivants :", "la santé", "- les impôts"]
        );
    }

    #[test]
    fn more_dateline_forms() {
        let t = "ISTANBUL, Turkey (AP)_ Some 1,500 people marched.";
        let got = split_sentences(t, LanguageData::default_for("en"));
        assert_eq!(got[0].span.slice(t), "ISTANBUL, Turkey (AP)_");
        assert_eq!(got[0].kind, SegmentKind::Dateline);
        let t = "Headline here\nLONDON 1996-08-30\nWest Indian all-rounder Phil Simmons took four.";
        let got = split_sentences(t, LanguageData::default_for("en"));
        assert_eq!(got[1].kind, SegmentKind::Dateline);
        assert_eq!(got[2].kind, SegmentKind::Body);
        let t = "PARIS (AFP) – Le gouvernement a tranché.";
        assert_eq!(
            split_sentences(t, LanguageData::default_for("fr"))[0].kind,
            SegmentKind::Dateline
        );
    }

    #[test]
    fn title_case_headline_with_a_period() {
        let t = "Stealth Over Health: Hillary Clinton Was Headed to ER But Diverted to Avoid Bad Optics.\n\nThe New York Post reports.";
        let got = split_sentences(t, LanguageData::default_for("en"));
        assert_eq!(got[0].kind, SegmentKind::Headline);
    }

    #[test]
    fn bullet_lists_are_one_item_a_line() {
        let t = "Ce qu'il faut savoir :\n• premier point.\n• Deuxième point. Avec une suite.\n* troisième";
        assert_eq!(
            sents(t, "fr"),
            [
                "Ce qu'il faut savoir :",
                "• premier point.",
                "• Deuxième point.",
                "Avec une suite.",
                "* troisième"
            ]
        );
    }

    #[test]
    fn next_languages_titles_do_not_split() {
        let cases = [
            (
                "de",
                "Dr. Müller kam am 3. Jan. 2020 an. Er blieb z.B. lange. Nr. 5 folgt.",
            ),
            ("es", "El Sr. García llegó. La Dra. López habló."),
            (
                "it",
                "Il dott. Rossi è arrivato. La sig.ra Bianchi ha parlato.",
            ),
            ("pt", "O Sr. Silva chegou. A Dra. Costa falou."),
        ];
        let want: [&[&str]; 4] = [
            &[
                "Dr. Müller kam am 3. Jan. 2020 an.",
                "Er blieb z.B. lange.",
                "Nr. 5 folgt.",
            ],
            &["El Sr. García llegó.", "La Dra. López habló."],
            &[
                "Il dott. Rossi è arrivato.",
                "La sig.ra Bianchi ha parlato.",
            ],
            &["O Sr. Silva chegou.", "A Dra. Costa falou."],
        ];
        for ((lang, text), want) in cases.iter().zip(want) {
            assert_eq!(sents(text, lang), want, "{lang}");
        }
    }

    #[test]
    fn a_long_text_without_punctuation_is_one_sentence_and_fast() {
        let text = "mot ".repeat(100_000) + &"x".repeat(1 << 20);
        let got = split_sentences(&text, LanguageData::default_for("fr"));
        assert_eq!(got.len(), 1);
        let dots = "a. b. ".repeat(100_000);
        assert!(split_sentences(&dots, LanguageData::default_for("en")).len() <= 2);
    }

    #[test]
    fn numbered_list_items_and_quoted_titles() {
        let t = "Results:\n1. Ludmila Engquist (Sweden) 12.74\n2. Aliuska Lopez (Cuba) 12.92";
        assert_eq!(
            sents(t, "en"),
            [
                "Results:",
                "1. Ludmila Engquist (Sweden) 12.74",
                "2. Aliuska Lopez (Cuba) 12.92"
            ]
        );
        assert_eq!(
            sents(
                "He won 3. Then he left. ”Mr. Trump is here,” she said.",
                "en"
            ),
            [
                "He won 3.",
                "Then he left.",
                "”Mr. Trump is here,” she said."
            ]
        );
    }
}
