//! Wire datelines at the start of a line, matched by hand.
//!
//! The grammar, in regular-expression terms (`PLACE` is an all-caps place, an optional region that
//! may hold a date, e.g. `IRVINE, Calif`):
//! ```text
//! PLACE    = \p{Lu} [\p{Lu}\p{M} .'’-]{1,40} (, [\p{L}\p{M}\d .'’-]{2,40})?
//! prefix   = ^PLACE (\s*\([\p{L}\p{M} .&-]{2,40}\)\s* | \s+) (_ | - | -- | – | —) \s+
//! own line = ^PLACE \s+ \d{4}-\d{2}-\d{2}$
//! ```
//! A regex engine compiles bounded repeats of large Unicode classes into automata of hundreds of
//! thousands of states (about half of the service's start-up instructions went there); these
//! matchers try the same alternatives in the same order as a backtracking engine (greedy repeats
//! longest first, optional groups present first, alternatives left to right), so they find the same
//! match, and only look at the first few hundred characters of a line.

use std::sync::LazyLock;

use regex_syntax::hir::{Class, HirKind};

/// A set of characters given as sorted, disjoint ranges, with a fast path for ASCII.
struct CharSet {
    ranges: Vec<(char, char)>,
}

impl CharSet {
    /// The set of a Unicode property class such as `\p{Lu}`, from regex-syntax's tables.
    fn property(class: &str) -> CharSet {
        let hir = regex_syntax::parse(class).expect("property class is valid");
        let ranges = match hir.kind() {
            HirKind::Class(Class::Unicode(c)) => {
                c.ranges().iter().map(|r| (r.start(), r.end())).collect()
            }
            _ => Vec::new(),
        };
        CharSet { ranges }
    }

    fn contains(&self, c: char) -> bool {
        self.ranges
            .binary_search_by(|&(lo, hi)| {
                if hi < c {
                    std::cmp::Ordering::Less
                } else if lo > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
    }
}

/// The Unicode classes the grammar uses.
struct Classes {
    upper: CharSet,
    letter: CharSet,
    mark: CharSet,
    digit: CharSet,
}

static CLASSES: LazyLock<Classes> = LazyLock::new(|| Classes {
    upper: CharSet::property(r"\p{Lu}"),
    letter: CharSet::property(r"\p{L}"),
    mark: CharSet::property(r"\p{M}"),
    digit: CharSet::property(r"\d"),
});

/// Characters a dateline can span; longer prefixes of a line are not looked at.
const WINDOW: usize = 160;

/// The first [`WINDOW`] characters of a line with their byte offsets, plus the line's length.
struct Line {
    chars: Vec<(usize, char)>,
    len: usize,
}

impl Line {
    /// The line's window, or `None` when no dateline can start it: it does not begin with a place
    /// (most lines: a capital then a lower-case letter, which costs two characters), or no place
    /// it begins with is followed by what both grammars need next (see [`may_follow_place`]).
    fn new(text: &str) -> Option<Line> {
        let mut chars = text.chars();
        let plausible = chars.next().is_some_and(|c| CLASSES.upper.contains(c))
            && chars.next().is_some_and(place_char)
            && may_follow_place(text);
        plausible.then(|| {
            let mut window = Vec::with_capacity(WINDOW.min(text.len()));
            window.extend(text.char_indices().take(WINDOW));
            Line {
                chars: window,
                len: text.len(),
            }
        })
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    /// Byte offset of character `i` (the line's end past the last one).
    fn offset(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.len, |&(o, _)| o)
    }

    /// Whether character `i` ends the line (and not merely the window).
    fn ends_at(&self, i: usize) -> bool {
        self.offset(i) == self.len
    }

    /// Length of the run of characters in `class` from `i`, at most `max`.
    fn run(&self, i: usize, max: usize, class: impl Fn(char) -> bool) -> usize {
        self.chars[i.min(self.chars.len())..]
            .iter()
            .take(max)
            .take_while(|&&(_, c)| class(c))
            .count()
    }
}

/// Whether some place that may start `text` (its first character, then 1 to 40 [`place_char`]s,
/// as [`with_place`] reads them) is followed by white space, `(` or `,`: the place is followed by
/// white space or an agency in brackets in a prefix, by white space on a line of its own, and by
/// `, ` before a region. Inside the run of place characters only a space can be one of these, so
/// looking at the run and the character after it is enough.
fn may_follow_place(text: &str) -> bool {
    let mut chars = text.chars().skip(1);
    for k in 1..=40 {
        match chars.next() {
            // A place ends before character k + 1 only from its second character on.
            Some(' ') if k >= 2 => return true,
            Some(c) if place_char(c) => {}
            next => {
                return k >= 2 && next.is_some_and(|c| c.is_whitespace() || matches!(c, '(' | ','))
            }
        }
    }
    chars
        .next()
        .is_some_and(|c| c.is_whitespace() || matches!(c, '(' | ','))
}

fn place_char(c: char) -> bool {
    matches!(c, ' ' | '.' | '\'' | '’' | '-')
        || CLASSES.upper.contains(c)
        || CLASSES.mark.contains(c)
}

fn region_char(c: char) -> bool {
    matches!(c, ' ' | '.' | '\'' | '’' | '-')
        || CLASSES.letter.contains(c)
        || CLASSES.mark.contains(c)
        || CLASSES.digit.contains(c)
}

fn agency_char(c: char) -> bool {
    matches!(c, ' ' | '.' | '&' | '-') || CLASSES.letter.contains(c) || CLASSES.mark.contains(c)
}

/// Calls `rest` with every place end (character index) in the engine's order of preference and
/// returns its first answer.
fn with_place<T>(line: &Line, mut rest: impl FnMut(usize) -> Option<T>) -> Option<T> {
    if !line.at(0).is_some_and(|c| CLASSES.upper.contains(c)) {
        return None;
    }
    let name = line.run(1, 40, place_char);
    for n in (1..=name).rev() {
        let end = 1 + n;
        if line.at(end) == Some(',') && line.at(end + 1) == Some(' ') {
            let region = line.run(end + 2, 40, region_char);
            for r in (2..=region).rev() {
                if let Some(found) = rest(end + 2 + r) {
                    return Some(found);
                }
            }
        }
        if let Some(found) = rest(end) {
            return Some(found);
        }
    }
    None
}

fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// After the place: the agency in brackets or white space, a dash, white space. Returns the
/// character index where the match ends.
fn after_place(line: &Line, i: usize) -> Option<usize> {
    let agency = || {
        let open = i + line.run(i, usize::MAX, is_space);
        if line.at(open) != Some('(') {
            return None;
        }
        let name = line.run(open + 1, usize::MAX, agency_char);
        let close = open + 1 + name;
        if !(2..=40).contains(&name) || line.at(close) != Some(')') {
            return None;
        }
        Some(close + 1 + line.run(close + 1, usize::MAX, is_space))
    };
    let spaces = || {
        let n = line.run(i, usize::MAX, is_space);
        (n > 0).then_some(i + n)
    };
    agency()
        .and_then(|d| dash(line, d))
        .or_else(|| spaces().and_then(|d| dash(line, d)))
}

/// A dash (`_`, `-`, `--`, `–`, `—`) at `i` and the white space after it.
fn dash(line: &Line, i: usize) -> Option<usize> {
    let spaces_after = |j: usize| {
        let n = line.run(j, usize::MAX, is_space);
        (n > 0).then_some(j + n)
    };
    match line.at(i)? {
        '_' | '–' | '—' => spaces_after(i + 1),
        '-' => spaces_after(i + 1).or_else(|| {
            (line.at(i + 1) == Some('-'))
                .then(|| spaces_after(i + 2))
                .flatten()
        }),
        _ => None,
    }
}

/// A dateline at the start of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dateline {
    /// The whole line is a dateline ([`own_line_in`]).
    OwnLine,
    /// A dateline of this many bytes starts the line ([`prefix_in`]).
    Prefix(usize),
}

/// What [`own_line_in`] and then [`prefix_in`] find, reading the line's window once.
pub(super) fn find(line: &str) -> Option<Dateline> {
    let l = Line::new(line)?;
    if own_line_in(&l) {
        return Some(Dateline::OwnLine);
    }
    prefix_in(&l).map(Dateline::Prefix)
}

/// [`prefix_in`] on a line of its own.
#[cfg(test)]
fn prefix(line: &str) -> Option<usize> {
    prefix_in(&Line::new(line)?)
}

/// The byte length of a dateline that starts the line and is followed by the rest of it
/// (`NAIROBI, Kenya (AP) _ `, `WASHINGTON (Reuters) - `), white space after the dash included.
fn prefix_in(l: &Line) -> Option<usize> {
    with_place(l, |i| after_place(l, i)).map(|end| l.offset(end))
}

/// [`own_line_in`] on a line of its own.
#[cfg(test)]
fn is_own_line(line: &str) -> bool {
    Line::new(line).is_some_and(|l| own_line_in(&l))
}

/// Whether the line is a place and an ISO date and nothing else (`LONDON 1996-08-30`).
fn own_line_in(l: &Line) -> bool {
    let digits = |i: usize, n: usize| l.run(i, n, |c| CLASSES.digit.contains(c)) == n;
    with_place(l, |i| {
        let spaces = l.run(i, usize::MAX, is_space);
        let d = i + spaces;
        let ok = spaces > 0
            && digits(d, 4)
            && l.at(d + 4) == Some('-')
            && digits(d + 5, 2)
            && l.at(d + 7) == Some('-')
            && digits(d + 8, 2)
            && l.ends_at(d + 10);
        ok.then_some(())
    })
    .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        let cases = [
            (
                "NAIROBI, Kenya (AP) _ Rebels said",
                Some("NAIROBI, Kenya (AP) _ "),
            ),
            (
                "WASHINGTON (Reuters) - The",
                Some("WASHINGTON (Reuters) - "),
            ),
            (
                "ISTANBUL, Turkey (AP)_ The",
                Some("ISTANBUL, Turkey (AP)_ "),
            ),
            ("PARIS (AFP) – Le", Some("PARIS (AFP) – ")),
            ("LONDON -- Shares", Some("LONDON -- ")),
            ("LONDON - Shares", Some("LONDON - ")),
            // The longest place that lets the rest match.
            ("LONDON - - x", Some("LONDON - - ")),
            ("NEW YORK — Stocks", Some("NEW YORK — ")),
            ("SAN JOSÉ, Costa Rica - Le", Some("SAN JOSÉ, Costa Rica - ")),
            ("SAN JOSÉ, Costa Rica, 5 mai - Le", None),
            // A decomposed accent (combining mark) is part of the place.
            ("E\u{301}VRY - Le", Some("E\u{301}VRY - ")),
            ("Le président - dit-il", None),
            ("A - b", None),
            ("PARIS (A) - x", None),
            ("PARIS", None),
            ("", None),
        ];
        for (line, want) in cases {
            assert_eq!(prefix(line).map(|n| &line[..n]), want, "{line:?}");
        }
    }

    #[test]
    fn find_tries_the_own_line_first() {
        assert_eq!(find("LONDON 1996-08-30"), Some(Dateline::OwnLine));
        assert_eq!(find("LONDON - Shares"), Some(Dateline::Prefix(9)));
        assert_eq!(find("Le président"), None);
    }

    #[test]
    fn own_lines() {
        assert!(is_own_line("LONDON 1996-08-30"));
        assert!(is_own_line("IRVINE, Calif 1996-08-30"));
        assert!(!is_own_line("LONDON 1996-08-30 shares"));
        assert!(!is_own_line("LONDON 1996-8-30"));
        assert!(!is_own_line("London 1996-08-30"));
        assert!(!is_own_line("LONDON1996-08-30"));
    }

    /// The grammar of the module's documentation, for the regex engine (compiled once: slow).
    static REFERENCE: LazyLock<(regex::Regex, regex::Regex)> = LazyLock::new(|| {
        let place = r"\p{Lu}[\p{Lu}\p{M} .'’-]{1,40}(?:, [\p{L}\p{M}\d .'’-]{2,40})?";
        let prefix =
            format!(r"^{place}(?:\s*\([\p{{L}}\p{{M}} .&-]{{2,40}}\)\s*|\s+)(?:_|-|--|–|—)\s+");
        let own = format!(r"^{place}\s+\d{{4}}-\d{{2}}-\d{{2}}$");
        (
            regex::Regex::new(&prefix).expect("valid"),
            regex::Regex::new(&own).expect("valid"),
        )
    });

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// Same answers as the regex engine on lines made of the grammar's own pieces.
        #[test]
        fn same_as_regex(parts in proptest::collection::vec(proptest::sample::select(vec![
            "PARIS", "É", "E\u{301}", "a", "Kenya", ", ", " ", "\t", "(", ")", "(AP)", "-", "--",
            "_", "—", "'", "&", "1996-08-30", "12", "x",
        ]), 0..10)) {
            let line: String = parts.concat();
            let (re_prefix, re_own) = &*REFERENCE;
            proptest::prop_assert_eq!(prefix(&line), re_prefix.find(&line).map(|m| m.end()), "{:?}", line);
            proptest::prop_assert_eq!(is_own_line(&line), re_own.is_match(&line), "{:?}", line);
        }
    }

    #[test]
    fn long_lines_are_cheap_and_safe() {
        let caps = "A".repeat(100_000);
        assert_eq!(prefix(&caps), None);
        assert!(!is_own_line(&caps));
        let spaced = "AB ".repeat(50_000);
        assert_eq!(prefix(&spaced), None);
    }
}
