//! Sentence segmentation for news text.
//!
//! Line breaks are hard boundaries (headline, paragraphs, bullet items), and each line is split at
//! sentence-final punctuation that a news reader would take as the end of a sentence:
//! - a period after an abbreviation or title (`M.`, `Mme`, `Dr.`, `etc.`) or an initial (`J. Biden`) does
//!   not end a sentence; after a dotted acronym (`U.S.`, `J.-C.`) it does only when a capitalised function
//!   word follows (`... in the U.S. The ...`);
//! - closing quote marks and brackets after the punctuation stay with the sentence (`... dit. »`), and a
//!   quotation that goes on in lower case (`«Non!», a-t-il dit.`) does not end it;
//! - the next sentence starts with a capital, a digit, an opening quote or bracket, a dash or a letter of
//!   an uncased script; CJK full stops end a sentence with no space after them.
//!
//! The first line is the headline when more text follows and it reads as one (short, no final period).
//! A wire dateline at the start of a line (`NAIROBI, Kenya (AP) _`) is a segment of its own, so that the
//! summary can skip it and taggers do not read it as a sentence start.

use std::sync::LazyLock;

use regex::Regex;

use super::lexicon::LanguageData;
use super::span::Span;

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
    /// Index of the line (paragraph) it belongs to, counting non-blank lines from 0.
    pub paragraph: usize,
}

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    // An all-caps place, an optional region and an optional agency in brackets, then a dash or an
    // underscore: "NAIROBI, Kenya (AP) _", "WASHINGTON (Reuters) -", "PARIS (AFP) –", "LONDON --".
    Regex::new(
        r"^\p{Lu}[\p{Lu}\p{M} .'’-]{1,40}(?:, [\p{L}\p{M} .'’-]{2,40})?(?: \([\p{L}\p{M} .&-]{2,40}\))?\s+(?:_|-|--|–|—)\s+",
    )
    .expect("dateline pattern is valid")
});

/// Splits `text` into sentences, in order, non-overlapping, covering every non-blank character.
pub fn split_sentences(text: &str, data: &LanguageData) -> Vec<RawSentence> {
    let mut out = Vec::new();
    let lines = lines(text);
    let non_blank: Vec<Span> = lines.into_iter().filter(|l| !l.is_empty()).collect();
    for (paragraph, line) in non_blank.iter().enumerate() {
        let line_text = line.slice(text);
        if paragraph == 0 && non_blank.len() > 1 && reads_as_headline(line_text) {
            out.push(RawSentence {
                span: *line,
                kind: SegmentKind::Headline,
                paragraph,
            });
            continue;
        }
        let mut start = line.start;
        if let Some(m) = DATELINE.find(line_text) {
            let dl_end = line.start + m.as_str().trim_end().len();
            // Only a dateline when a sentence follows it on the line.
            if m.end() < line_text.len() {
                out.push(RawSentence {
                    span: Span::new(line.start, dl_end),
                    kind: SegmentKind::Dateline,
                    paragraph,
                });
                start = line.start + m.end();
            }
        }
        split_line(text, Span::new(start, line.end), data, paragraph, &mut out);
    }
    out
}

/// Non-empty-or-empty line spans with surrounding white space trimmed.
fn lines(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if matches!(
            c,
            '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{0B}' | '\u{0C}'
        ) {
            spans.push(trim(text, Span::new(start, i)));
            start = i + c.len_utf8();
        }
    }
    spans.push(trim(text, Span::new(start, text.len())));
    spans
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
    let ends_with_period = line.ends_with('.') && !line.ends_with("..");
    line.len() <= 300 && words <= 30 && (!ends_with_period || words <= 12)
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

/// Splits one line into sentences.
fn split_line(
    text: &str,
    line: Span,
    data: &LanguageData,
    paragraph: usize,
    out: &mut Vec<RawSentence>,
) {
    let s = line.slice(text);
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut sent_start = 0usize; // byte offset in `s`
    let mut i = 0usize;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if !is_terminator(c) {
            i += 1;
            continue;
        }
        // The run of terminators: "?!", "...", "…".
        let mut j = i;
        while j < chars.len() && is_terminator(chars[j].1) {
            j += 1;
        }
        let run: String = chars[i..j].iter().map(|&(_, c)| c).collect();
        let cjk = run.chars().any(is_cjk_terminator);
        // Closing quote marks and brackets stay with the sentence; French puts a space before "»".
        let mut k = j;
        loop {
            if k < chars.len()
                && is_closing(chars[k].1)
                && !(chars[k].1 == '“' && data.code != "de")
            {
                k += 1;
                continue;
            }
            let mut m = k;
            while m < chars.len() && matches!(chars[m].1, ' ' | '\u{00A0}' | '\u{202F}') {
                m += 1;
            }
            if m > k && m < chars.len() && matches!(chars[m].1, '»' | '›') {
                k = m + 1;
                continue;
            }
            break;
        }
        let end_byte = chars.get(k).map_or(s.len(), |&(p, _)| p);
        // What follows: end of line, or white space and the next sentence's first character.
        let mut n = k;
        while n < chars.len() && is_space(chars[n].1) {
            n += 1;
        }
        if n == chars.len() {
            break; // the line's end closes the sentence anyway
        }
        let spaced = n > k;
        let next = chars[n].1;
        let breaks = if cjk {
            true
        } else if !spaced {
            false
        } else {
            starts_sentence(next) && !(run == "." && period_is_not_final(s, pos, &chars, n, data))
        };
        if breaks {
            push(
                text,
                line.start + sent_start,
                line.start + end_byte,
                paragraph,
                out,
            );
            sent_start = chars[n].0;
            i = n;
        } else {
            i = j.max(i + 1);
        }
    }
    if sent_start < s.len() {
        push(text, line.start + sent_start, line.end, paragraph, out);
    }
}

fn push(text: &str, start: usize, end: usize, paragraph: usize, out: &mut Vec<RawSentence>) {
    let span = trim(text, Span::new(start, end));
    if !span.is_empty() {
        out.push(RawSentence {
            span,
            kind: SegmentKind::Body,
            paragraph,
        });
    }
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

/// For a single period at `dot` (byte offset in `s`): whether the word before it shows that it is not
/// the end of a sentence. `next` is the index in `chars` of the following sentence's first character.
fn period_is_not_final(
    s: &str,
    dot: usize,
    chars: &[(usize, char)],
    next: usize,
    data: &LanguageData,
) -> bool {
    let before = &s[..dot];
    let word_start = before
        .rfind(|c: char| is_space(c) || (is_opening(c) && c != '\''))
        .map_or(0, |p| {
            p + before[p..].chars().next().map_or(1, char::len_utf8)
        });
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    let lower = word.to_lowercase();
    let next_word: String = s[chars[next].0..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '\'' || *c == '’')
        .collect();
    let next_is_function_word = {
        let w = next_word.to_lowercase();
        next_word.chars().next().is_some_and(char::is_uppercase)
            && (data.is_stopword(&w) || w.contains(['\'', '’']))
    };
    // Dotted acronyms ("U.S", "J.-C", "e.g"): ambiguous, end only before a capitalised function word.
    if word.contains('.') {
        let dotted = word
            .split('.')
            .all(|part| part.trim_start_matches('-').chars().count() <= 2);
        if dotted {
            return !next_is_function_word;
        }
    }
    if data.abbreviations.contains(lower.as_str()) {
        // "etc." and month abbreviations can end a sentence; titles cannot.
        return !(matches!(lower.as_str(), "etc" | "al") && next_is_function_word);
    }
    // An initial: "J. Biden", "George W. Bush".
    let mut cs = word.chars();
    if let (Some(c), None) = (cs.next(), cs.next()) {
        if c.is_uppercase() {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
