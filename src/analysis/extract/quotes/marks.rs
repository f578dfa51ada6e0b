//! Pairs quotation marks, in one pass over the text with a small bounded stack (linear time).
//!
//! Conventions: `« … »` (French, with or without inner spaces), `» … «` (German, Danish), `“ … ”`,
//! `„ … “` and `„ … ”`, `” … ”` (Swedish, Finnish), `‘ … ’`, `‚ … ‘`, `‹ … ›` and `› … ‹`, straight
//! `" … "` and `' … '`, `「 … 」` and `『 … 』`, and a line of dialogue opened by a dash where the
//! language writes dialogue that way.
//!
//! Ambiguous marks are told apart by what stands on either side: an apostrophe has a letter on both
//! sides (`don’t`) or none before it and is not closing anything; an inch mark follows a digit (`12"`)
//! unless it closes an open quotation; a mark that can only open (space before, word after) never
//! closes, and a mark that can only close (word before, space after) never opens.
//!
//! Lines are hard boundaries: a quotation still open at the end of its line ends there. It goes on when
//! the next line opens again with the same mark, the typographic convention for a quotation that goes on
//! over several paragraphs (each paragraph reopens, only the last one closes); otherwise it is kept, up
//! to the line's end, only when it is alone and its mark can only open (`“`, `„`, `«`), and dropped
//! when its mark is ambiguous (straight or single marks). A mark opening a quotation of
//! a kind that is already open means the earlier one was never closed: it is dropped too. Unbalanced
//! marks therefore never swallow more than their own line.

use super::super::super::bytes::{has_byte, ByteSet};
use super::super::super::span::Span;

/// Deepest nesting followed; deeper openers are ignored, which keeps every step constant-time.
const MAX_DEPTH: usize = 8;

/// Conventions of a language that change how marks pair; the default follows every convention.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Style {
    /// A dash at the start of a line opens a line of dialogue.
    pub(crate) dialogue_dash: bool,
    /// `”` only closes: the language never opens a quotation with it (`” … ”` is the Swedish and
    /// Finnish convention), so a `”` before a word is a mistyped opener left unpaired.
    pub(crate) right_double_closes: bool,
}

/// A quotation found between marks (or on a line of dialogue).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Marked {
    /// The words inside the marks, without surrounding white space.
    pub(crate) inner: Span,
    /// The opening mark's start to the closing mark's end (the line's end when it does not close).
    pub(crate) outer: Span,
    /// Pieces of one quotation that goes on over several paragraphs share their group.
    pub(crate) group: u32,
    /// Whether it lies inside another quotation.
    pub(crate) nested: bool,
    /// Whether it is a line of dialogue opened by a dash.
    pub(crate) dialogue: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Guillemet,
    ReversedGuillemet,
    Double,
    LowDouble,
    ReversedDouble,
    Single,
    LowSingle,
    SingleGuillemet,
    ReversedSingleGuillemet,
    Straight,
    StraightSingle,
    Corner,
    WhiteCorner,
    /// Two apostrophes (or backticks) for a double quote (`''…''`, ``` ``…'' ```), the way some
    /// newspaper archives and tokenisers render `"`: it holds its nested `'…'` quotations but is not
    /// reported itself.
    Doubled,
}

impl Kind {
    /// Whether `c` in closing position (after a word, before a space or punctuation) closes a
    /// quotation of this kind opened with the other style: writers and editors mix straight and curly
    /// marks (`“…"`, `"…”`), and some type a closing `“` where `”` was meant.
    fn closes_mixed(self, c: char) -> bool {
        matches!(
            (self, c),
            (Kind::Double | Kind::LowDouble, '"')
                | (Kind::Straight, '”' | '“')
                | (Kind::Double, '“')
                | (Kind::Single, '\'')
                | (Kind::StraightSingle, '’')
        )
    }

    /// Whether an opener of this kind may stand inside another one of the same kind (`“… “hell” …”`,
    /// `« … « … » … »`): only marks whose opening and closing shapes differ can nest that way.
    fn nests_in_itself(self) -> bool {
        matches!(self, Kind::Guillemet | Kind::Double | Kind::LowDouble)
    }

    /// Whether the opening mark has a shape no closing mark has (`“`, `„`, `«`), so that an unclosed
    /// one still opens a quotation.
    fn only_opens(self) -> bool {
        matches!(self, Kind::Double | Kind::LowDouble | Kind::Guillemet)
    }

    fn closes(self, c: char) -> bool {
        matches!(
            (self, c),
            (Kind::Guillemet, '»')
                | (Kind::ReversedGuillemet, '«')
                | (Kind::Double, '”')
                | (Kind::LowDouble, '“' | '”')
                | (Kind::ReversedDouble, '”')
                | (Kind::Single, '’')
                | (Kind::LowSingle, '‘' | '’')
                | (Kind::SingleGuillemet, '›')
                | (Kind::ReversedSingleGuillemet, '‹')
                | (Kind::Straight, '"')
                | (Kind::StraightSingle, '\'')
                | (Kind::Corner, '」')
                | (Kind::WhiteCorner, '』')
        )
    }
}

#[derive(Debug, Clone, Copy)]
struct Open {
    kind: Kind,
    mark: char,
    /// Start of the opening mark.
    at: usize,
    /// First byte after the opening mark.
    start: usize,
    group: u32,
}

fn is_space(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

/// Space, start of line, or an opening bracket, dash or other quote mark before a mark.
fn opens_after(p: Option<char>) -> bool {
    p.is_none_or(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '(' | '['
                    | '{'
                    | '—'
                    | '–'
                    | '-'
                    | '/'
                    | '«'
                    | '“'
                    | '„'
                    | '‘'
                    | '‚'
                    | '"'
                    | '\''
                    | '‹'
            )
    })
}

/// Space, end of line or punctuation after a mark.
fn closes_before(n: Option<char>) -> bool {
    n.is_none_or(|c| c.is_whitespace() || (!c.is_alphanumeric() && c != '_'))
}

struct Scanner<'t> {
    text: &'t str,
    style: Style,
    stack: Vec<Open>,
    out: Vec<Marked>,
    next_group: u32,
    /// A quotation left open at the end of the previous line, continued when this line reopens it.
    pending: Option<(char, u32)>,
}

impl Scanner<'_> {
    fn emit(&mut self, open: Open, end: usize, outer_end: usize, dialogue: bool) {
        if open.kind == Kind::Doubled {
            return; // a container only
        }
        let inner = trim(self.text, Span::new(open.start, end));
        if !inner.is_empty() {
            self.out.push(Marked {
                inner,
                outer: Span::new(open.at, outer_end),
                group: open.group,
                nested: self.stack.iter().any(|o| o.kind == Kind::Doubled),
                dialogue,
            });
        }
    }

    fn new_group(&mut self) -> u32 {
        self.next_group += 1;
        self.next_group
    }

    fn push(&mut self, kind: Kind, mark: char, at: usize, start: usize, group: Option<u32>) {
        // Another opener of a kind already open: the earlier one was never closed, unless the kind
        // nests in itself (then an unclosed outer one is dropped at the end of its paragraph).
        if !kind.nests_in_itself() {
            if let Some(k) = self.stack.iter().position(|o| o.kind == kind) {
                self.stack.truncate(k);
            }
        }
        if self.stack.len() < MAX_DEPTH {
            let group = group.unwrap_or_else(|| self.new_group());
            self.stack.push(Open {
                kind,
                mark,
                at,
                start,
                group,
            });
        }
    }

    fn line(&mut self, start: usize, end: usize) {
        let line = &self.text[start..end];
        if line.trim().is_empty() {
            return; // blank lines between paragraphs keep a quotation going
        }
        let pending = self.pending.take();
        let mut first = true;
        let mut dialogue: Option<Open> = None;
        let mut prev: Option<char> = None;
        let bytes = line.as_bytes();
        let mut off = 0;
        loop {
            if !first {
                // Past the line's first character only marks and apostrophes matter: skip to the
                // next byte that may start one (never a continuation byte, so a char boundary).
                let from = off;
                off = MARK_LEAD
                    .find(bytes, off, may_hold_mark)
                    .unwrap_or(bytes.len());
                if let Some(len) = elision_at(bytes, off) {
                    // What `mark` would do with it: nothing.
                    off += len;
                    prev = Some(if len == 1 { '\'' } else { '’' });
                    continue;
                }
                if off > from {
                    prev = line[..off].chars().next_back();
                }
            }
            let Some(c) = line[off..].chars().next() else {
                break;
            };
            let at = start + off;
            let after = at + c.len_utf8();
            off += c.len_utf8();
            let next = line[off..].chars().next();
            let was_first = first && !c.is_whitespace();
            if was_first {
                first = false;
                if self.style.dialogue_dash
                    && matches!(c, '—' | '–' | '―')
                    && is_space(next)
                    && next.is_some()
                {
                    let group = self.new_group();
                    dialogue = Some(Open {
                        kind: Kind::Straight,
                        mark: c,
                        at,
                        start: after,
                        group,
                    });
                    prev = Some(c);
                    continue;
                }
            }
            if matches!(c, '\'' | '`') && next == Some(c) {
                // A run of apostrophes: the pair is a doubled mark, a third one a single quote
                // inside it (`'''` closes `'` then `''` after a word, opens `''` then `'` before one).
                let third = c == '\'' && line[off + 1..].starts_with('\'');
                let run_end = at + if third { 3 } else { 2 };
                off = run_end - start;
                let next = line[run_end - start..].chars().next();
                if third && !is_space(prev) {
                    self.mark('\'', prev, Some('\''), at, at + 1, None);
                    self.doubled(c, prev, next, at + 1);
                } else {
                    self.doubled(c, prev, next, at);
                    if third {
                        self.mark('\'', Some('\''), next, at + 2, run_end, None);
                    }
                }
                prev = Some('\'');
                continue;
            }
            if is_quote_mark(c) {
                self.mark(
                    c,
                    prev,
                    next,
                    at,
                    after,
                    if was_first { pending } else { None },
                );
            }
            prev = Some(c);
        }
        // Whatever is still open ends here; the outermost goes on if the next line reopens it.
        if let Some(&bottom) = self.stack.first() {
            let rest = &self.text[end..];
            let reopened = rest.trim_start().chars().next();
            if reopened == Some(bottom.mark) && rest.starts_with(['\n', '\r']) {
                self.emit(bottom, end, end, false);
                self.pending = Some((bottom.mark, bottom.group));
            } else if self.stack.len() == 1 && bottom.kind.only_opens() {
                // A mark that can only open, alone and never closed: the quotation runs to the end of
                // its paragraph (a closing mark forgotten, or a paragraph cut short).
                self.emit(bottom, end, end, false);
            }
        }
        self.stack.clear();
        if let Some(d) = dialogue {
            self.emit(d, end, end, true);
        }
    }

    /// A doubled mark at `at` (two bytes): closes an open doubled quotation after a word, opens one
    /// before a word (two backticks only open).
    fn doubled(&mut self, c: char, prev: Option<char>, next: Option<char>, at: usize) {
        if c == '\'' && !is_space(prev) && closes_before(next) {
            if let Some(k) = self.stack.iter().rposition(|o| o.kind == Kind::Doubled) {
                self.stack.truncate(k);
                return;
            }
        }
        if !is_space(next) && opens_after(prev) {
            self.push(Kind::Doubled, c, at, at + 2, None);
        }
    }

    /// A quotation mark `c` (see [`is_quote_mark`]) at `at`: opens or closes a quotation.
    fn mark(
        &mut self,
        c: char,
        prev: Option<char>,
        next: Option<char>,
        at: usize,
        after: usize,
        pending: Option<(char, u32)>,
    ) {
        let left = !is_space(next) && opens_after(prev); // can open
        let right = !is_space(prev) && closes_before(next); // can close
        let between_letters =
            prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric);
        if matches!(c, '’' | '\'') && between_letters {
            return; // an apostrophe
        }
        let straight_open = self.stack.iter().any(|o| o.kind == Kind::Straight);
        if c == '"'
            && prev.is_some_and(|p| p.is_ascii_digit())
            && (!straight_open || next.is_some_and(char::is_alphanumeric))
        {
            return; // an inch mark
        }
        let may_close = match c {
            '’' | '\'' => right,
            '"' => !left || right,
            '«' => !is_space(prev),
            _ => true,
        };
        let only_closes = right && !left;
        if may_close {
            let k = self
                .stack
                .iter()
                .rposition(|o| o.kind.closes(c))
                .or_else(|| {
                    only_closes
                        .then(|| self.stack.iter().rposition(|o| o.kind.closes_mixed(c)))
                        .flatten()
                });
            if let Some(k) = k {
                let open = self.stack[k];
                self.stack.truncate(k);
                self.emit(open, at, after, false);
                return;
            }
        }
        if prev == Some('=') {
            return; // the value of a markup attribute (`<tweet pic="…">`), not a quotation
        }
        let kind = match c {
            '«' => Some(Kind::Guillemet),
            '»' if left && !right => Some(Kind::ReversedGuillemet),
            '“' if !only_closes => Some(Kind::Double),
            '„' if !only_closes => Some(Kind::LowDouble),
            '”' if left && !right && !self.style.right_double_closes => {
                Some(Kind::ReversedDouble)
            }
            '‘' if !only_closes && !next.is_some_and(|n| n.is_ascii_digit()) => {
                Some(Kind::Single)
            }
            '‚' if left && is_space(prev) => Some(Kind::LowSingle),
            '‹' if left => Some(Kind::SingleGuillemet),
            '›' if left && !right => Some(Kind::ReversedSingleGuillemet),
            '"' if !only_closes => Some(Kind::Straight),
            '\'' if left && !right && next.is_some_and(char::is_alphabetic) => {
                Some(Kind::StraightSingle)
            }
            '「' => Some(Kind::Corner),
            '『' => Some(Kind::WhiteCorner),
            _ => None,
        };
        if let Some(kind) = kind {
            let group = pending.filter(|&(m, _)| m == c).map(|(_, g)| g);
            self.push(kind, c, at, after, group);
        }
    }
}

/// Shrinks a span to exclude white space (no-break spaces included) at both ends.
fn trim(text: &str, span: Span) -> Span {
    let s = span.slice(text);
    let lead = s.len() - s.trim_start().len();
    let t = s.trim_start().trim_end();
    Span::new(span.start + lead, span.start + lead + t.len())
}

/// The length of the apostrophe (`'` or `’`) at byte `at` of `bytes` when an ASCII letter or digit
/// stands on each side of it (`l'entretien`, `d’annuler`, `don't`): an elision, never a quotation
/// mark, told without decoding a character.
#[inline]
fn elision_at(bytes: &[u8], at: usize) -> Option<usize> {
    let before = *bytes.get(at.checked_sub(1)?)?;
    let len = match bytes.get(at..)? {
        [b'\'', ..] => 1,
        [0xE2, 0x80, 0x99, ..] => 3,
        _ => return None,
    };
    let after = *bytes.get(at + len)?;
    (before.is_ascii_alphanumeric() && after.is_ascii_alphanumeric()).then_some(len)
}

/// Bytes that may start a quotation mark or an apostrophe: `"`, `'`, `` ` `` and the lead bytes of
/// the non-ASCII marks (U+00AB, U+00BB, U+2018 to U+203A, U+300C to U+300F).
static MARK_LEAD: ByteSet = ByteSet::new(b"\"'`\xC2\xE2\xE3");

/// Whether the eight bytes `x` may hold a byte of [`MARK_LEAD`]: always when they do, and when
/// they hold one of the rare `#` and `&`. Four tests for the six bytes: a byte that is `'` (0x27)
/// once bits 0 and 2 are set is `"`, `#`, `&` or `'`; one that is 0xE3 once bit 0 is set is 0xE2
/// or 0xE3.
#[inline]
fn may_hold_mark(x: u64) -> bool {
    const LOW_BITS: u64 = 0x0505_0505_0505_0505;
    const ONES: u64 = 0x0101_0101_0101_0101;
    has_byte(x | LOW_BITS, b'\'') | has_byte(x, b'`') | has_byte(x, 0xC2) | has_byte(x | ONES, 0xE3)
}

/// Every quotation of the text, sorted by start (an outer quotation before those nested in it).
#[cfg(test)]
pub(crate) fn find(text: &str, style: Style) -> Vec<Marked> {
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    find_in_lines(text, &lines, style)
}

/// Every quotation of the text whose lines start at `lines` (the first at 0), sorted by start (an
/// outer quotation before those nested in it).
pub(crate) fn find_in_lines(text: &str, lines: &[usize], style: Style) -> Vec<Marked> {
    let mut sc = Scanner {
        text,
        style,
        stack: Vec::with_capacity(MAX_DEPTH),
        out: Vec::new(),
        next_group: 0,
        pending: None,
    };
    for (l, &start) in lines.iter().enumerate() {
        let end = lines.get(l + 1).map_or(text.len(), |&next| next.max(start));
        let body = text[start..end].trim_end_matches(['\n', '\r']);
        sc.line(start, start + body.len());
    }
    let mut out = sc.out;
    out.sort_by_key(|m| (m.inner.start, std::cmp::Reverse(m.inner.end)));
    let mut ends: Vec<usize> = Vec::new();
    for m in &mut out {
        while ends.last().is_some_and(|&e| e <= m.inner.start) {
            ends.pop();
        }
        m.nested |= !ends.is_empty();
        ends.push(m.inner.end);
    }
    out
}

/// Whether a character is a quotation mark of some language (or an apostrophe that may be one).
pub(crate) fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '«' | '»'
            | '“'
            | '”'
            | '„'
            | '‘'
            | '’'
            | '‚'
            | '‹'
            | '›'
            | '"'
            | '\''
            | '「'
            | '」'
            | '『'
            | '』'
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_mark_byte_search_stops_where_a_byte_by_byte_one_does() {
        let text = "Il a dit « non » l’été, puis \"oui\" et 'peut-être' `ici` 「これ」 — fin…";
        crate::analysis::bytes::check_search(&MARK_LEAD, may_hold_mark, text);
    }

    use super::*;
    use proptest::prelude::*;

    const DASH: Style = Style {
        dialogue_dash: true,
        right_double_closes: false,
    };

    fn texts(text: &str) -> Vec<&str> {
        find(text, Style::default())
            .iter()
            .filter(|m| !m.nested)
            .map(|m| m.inner.slice(text))
            .collect()
    }

    #[test]
    fn right_double_opens_only_where_the_language_uses_it() {
        let t = "Han sa ”vi kommer i morgon” och gick.";
        assert_eq!(texts(t), ["vi kommer i morgon"]);
        let closes = Style {
            right_double_closes: true,
            ..Style::default()
        };
        let t = "Doing so ”appeared to be an attempt at poisoning” the vote, “he said.”";
        let found: Vec<&str> = find(t, closes).iter().map(|m| m.inner.slice(t)).collect();
        assert_eq!(found, ["he said."]);
    }

    #[test]
    fn french_guillemets_with_and_without_spaces() {
        assert_eq!(
            texts("Il a dit «oui» puis « non merci »."),
            ["oui", "non merci"]
        );
        assert_eq!(texts("Il a dit «\u{a0}non\u{202f}»."), ["non"]);
    }

    #[test]
    fn english_german_and_other_conventions() {
        assert_eq!(texts("He said “we will win” today."), ["we will win"]);
        assert_eq!(
            texts("Er sagte „wir schaffen das“ gestern."),
            ["wir schaffen das"]
        );
        assert_eq!(
            texts("Er sagte »wir schaffen das« gestern."),
            ["wir schaffen das"]
        );
        assert_eq!(texts("Er sagte ‚nein‘ und ‹ja›."), ["nein", "ja"]);
        assert_eq!(texts("Han sa ”vi vinner” igår."), ["vi vinner"]);
        assert_eq!(texts("彼は「行きます」と言った。"), ["行きます"]);
        assert_eq!(texts("『本』"), ["本"]);
    }

    #[test]
    fn mixed_straight_and_curly_marks_pair() {
        assert_eq!(
            texts("“Deals should not be required,\" he said."),
            ["Deals should not be required,"]
        );
        assert_eq!(
            texts("He said \"Oz has a huge pulpit,” and left."),
            ["Oz has a huge pulpit,"]
        );
        assert_eq!(
            texts("“It's unusual,“ said Larry Noble."),
            ["It's unusual,"]
        );
        // An opening straight mark inside a curly quotation is not its end.
        assert_eq!(
            texts("“He called it \"fine\" today,” she said."),
            ["He called it \"fine\" today,"]
        );
    }

    #[test]
    fn a_curly_quote_or_guillemet_nests_in_its_own_kind() {
        let t = "“I’d rather live in what he calls “hell” than here.” ― Adriana";
        let all = find(t, Style::default());
        assert_eq!(
            all[0].inner.slice(t),
            "I’d rather live in what he calls “hell” than here."
        );
        assert!(all[1].nested && all[1].inner.slice(t) == "hell");
        assert_eq!(
            texts("« Il parle de « trahison » sans preuve », dit-elle."),
            ["Il parle de « trahison » sans preuve"]
        );
    }

    #[test]
    fn markup_attribute_values_are_not_quotations() {
        assert_eq!(
            texts(
                "<tweet pic=\"pic.twitter.com/abc\" author=\"carl\">We said \"no way out\" twice"
            ),
            ["no way out"]
        );
    }

    #[test]
    fn doubled_apostrophes_hold_their_nested_quotes_but_are_not_reported() {
        assert!(texts("''This isn't tax reform,'' said Douglas Holtz-Eakin.").is_empty());
        assert!(texts("He said ''yes'' and then 'no way' twice.").len() == 1);
        let nyt =
            "''He said, 'Eight years, no daylight.'.'' Then: ''I said, 'we can't do this,''' \
                   and ``On 'Fox and Friends,''' he added, ''and 'you know' it.''";
        let found = find(nyt, Style::default());
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found.iter().all(|m| m.nested), "{:?}", texts(nyt));
        // Outside a doubled quotation, single quotes are quotations again.
        assert_eq!(
            texts("''Yes,'' he said. Later 'we will see it' came."),
            ["we will see it"]
        );
    }

    #[test]
    fn straight_quotes_and_inch_marks() {
        assert_eq!(texts(r#"He said "we will win" today."#), ["we will win"]);
        assert_eq!(
            texts(r#"A 12" pipe and a 5'11" man said "fine.""#),
            ["fine."]
        );
        assert_eq!(texts(r#"He said "it is 12". A 12" pipe."#), ["it is 12"]);
    }

    #[test]
    fn elisions_are_apostrophes_between_ascii_letters_or_digits() {
        let at = |s: &str| elision_at(s.as_bytes(), s.find(['\'', '’']).unwrap_or(0));
        assert_eq!(at("l'entretien"), Some(1));
        assert_eq!(at("d’annuler"), Some(3));
        assert_eq!(at("the 90's"), Some(1));
        for s in [
            "'quoted", "end'", "end’", "said 'no", "é'a", "a' b", "a’é", "'",
        ] {
            assert_eq!(at(s), None, "{s}");
        }
    }

    #[test]
    fn single_quotes_told_apart_from_apostrophes() {
        assert_eq!(
            texts("He said ‘don’t go’ and the students’ union agreed."),
            ["don’t go"]
        );
        assert_eq!(
            texts("It's 'a good deal' in the '90s, isn't it."),
            ["a good deal"]
        );
        assert_eq!(texts("In the ‘90s we’d go."), Vec::<&str>::new());
    }

    #[test]
    fn nested_quotes_lie_inside_their_outer_quote() {
        let t = "«Les missions \"limitées\" des deux pays», selon le communiqué.";
        let all = find(t, Style::default());
        assert_eq!(all.len(), 2);
        assert_eq!(
            all[0].inner.slice(t),
            "Les missions \"limitées\" des deux pays"
        );
        assert!(!all[0].nested);
        assert_eq!(all[1].inner.slice(t), "limitées");
        assert!(all[1].nested && all[0].inner.contains(&all[1].inner));
    }

    #[test]
    fn a_quotation_over_several_paragraphs_reopens_each_paragraph() {
        let t =
            "Il a dit : «Premier paragraphe.\n\n«Deuxième paragraphe.\n«Fin.»\nAutre chose «ici».";
        let all = find(t, Style::default());
        let got: Vec<_> = all.iter().map(|m| (m.inner.slice(t), m.group)).collect();
        let g = all[0].group;
        assert_eq!(
            got,
            [
                ("Premier paragraphe.", g),
                ("Deuxième paragraphe.", g),
                ("Fin.", g),
                ("ici", all[3].group)
            ]
        );
        assert_ne!(all[3].group, g);
    }

    #[test]
    fn unbalanced_marks_do_not_swallow_the_article() {
        // An unclosed mark that can only open runs to the end of its line, no further.
        let t = "Il a dit «oui sans fin.\nPuis «non». Et “ceci\nLà “cela” enfin.";
        assert_eq!(texts(t), ["oui sans fin.", "non", "ceci", "cela"]);
        let t = "He said “one and “two” then.\nNext line.";
        assert_eq!(texts(t), ["one and “two” then."]);
        // An ambiguous mark left open is dropped.
        let t = "He said \"one and more\nThen 'two and more\nEnd.";
        assert!(texts(t).is_empty());
    }

    #[test]
    fn dialogue_dash_only_where_the_language_uses_it() {
        let t = "— Nous partons demain, dit-il.\nUne phrase – avec un tiret.";
        let d: Vec<_> = find(t, DASH)
            .iter()
            .map(|m| (m.inner.slice(t), m.dialogue))
            .collect();
        assert_eq!(d, [("Nous partons demain, dit-il.", true)]);
        assert!(find(t, Style::default()).is_empty());
    }

    #[test]
    fn many_unbalanced_marks_take_linear_time() {
        let mut t = String::new();
        for i in 0..100_000 {
            t.push_str(["« a ", "“b ", "\" c ", "‘d ", "„e ", "» ", "” "][i % 7]);
        }
        let start = std::time::Instant::now();
        let found = find(&t, DASH);
        assert!(
            start.elapsed().as_millis() < 2_000,
            "took {:?}",
            start.elapsed()
        );
        assert!(found.iter().all(|m| m.inner.end <= t.len()));
    }

    proptest! {
        #[test]
        fn spans_are_exact_and_never_partly_overlap(
            text in "([a-z ]{0,4}|[«»“”„‘’‚‹›\"'「」\n—–]| ){0,80}"
        ) {
            let found = find(&text, DASH);
            for m in &found {
                prop_assert!(text.is_char_boundary(m.inner.start) && text.is_char_boundary(m.inner.end));
                prop_assert!(m.inner.start < m.inner.end && m.inner.end <= text.len());
                let s = m.inner.slice(&text);
                prop_assert_eq!(s.trim(), s);
            }
            for (i, a) in found.iter().enumerate() {
                for b in &found[i + 1..] {
                    let disjoint = !a.inner.overlaps(&b.inner);
                    prop_assert!(disjoint || a.inner.contains(&b.inner) || b.inner.contains(&a.inner),
                        "{:?} and {:?} partly overlap", a, b);
                    if !disjoint {
                        prop_assert!(b.nested || a.nested);
                    }
                }
            }
        }
    }
}
