//! Direct quotations and their speakers.
//!
//! Three steps, each linear in the text:
//! 1. [`marks`] pairs quotation marks of every convention (and lines of dialogue opened by a dash),
//!    with nesting, paragraphs that reopen a quotation, and unbalanced marks confined to their line;
//! 2. [`attribution`] finds each quotation's cue and speaker mention in the text around it, from the
//!    language's lexicon (`lexicon/<lang>/speech_verbs.txt`, `quote_cues.txt`, `pronouns.txt`); the
//!    mention is matched to a party, a pronoun is resolved to the latest person, and a quotation with
//!    no cue takes the speaker of a neighbouring quotation of its paragraph when nothing else stands
//!    between them or when it is a sentence of its own;
//! 3. quotations are ranked by informativeness, speaker salience and position; scare quotes (one or
//!    two words), nested quotations and repeats are left out.

mod attribution;
mod lexicon;
mod marks;

use foldhash::{HashMap, HashMapExt, HashSet};
use std::hash::{BuildHasher, Hasher};

use super::super::analyzer::{Options, Order, Prepared};
use super::super::output::{Party, PartyKind, Quote};
use super::super::segment::SegmentKind;
use super::super::span::Span;
use super::super::token::{Token, TokenKind};
use attribution::{
    attribute, is_terminator, left_context, tokens_in, tokens_within, Context, Found,
};
use lexicon::PronounKind;
use marks::Marked;

/// Quotations of fewer words are scare quotes, not key quotes.
const MIN_WORDS: usize = 3;

/// Finds quotations and their speakers.
#[derive(Debug, Default)]
pub struct QuoteExtractor;

/// A quotation being attributed.
#[derive(Debug, Clone)]
struct Item {
    mark: Marked,
    line: usize,
    found: Option<Found>,
}

/// Party mentions in document order, for matching speakers to parties.
struct Mentions<'p> {
    parties: &'p [Party],
    list: Vec<(Span, usize)>,
}

impl<'p> Mentions<'p> {
    fn new(parties: &'p [Party]) -> Self {
        let mut list: Vec<(Span, usize)> =
            Vec::with_capacity(parties.iter().map(|p| p.mentions.len()).sum());
        list.extend(
            parties
                .iter()
                .enumerate()
                .flat_map(|(i, p)| p.mentions.iter().map(move |&m| (m, i))),
        );
        list.sort_unstable();
        Mentions { parties, list }
    }

    /// The party named by a speaker phrase: its head mention (the last one that is not the object of
    /// a preposition, as in "a spokesman for Clinton").
    fn in_phrase(
        &self,
        doc: &Prepared<'_>,
        lex: &lexicon::QuoteLexicon,
        phrase: Span,
    ) -> Option<(Span, usize)> {
        let first = self.list.partition_point(|(m, _)| m.end <= phrase.start);
        self.list[first..]
            .iter()
            .take_while(|(m, _)| m.start < phrase.end)
            .filter(|(m, _)| phrase.overlaps(m))
            .filter(|(m, _)| {
                // Not after a preposition, nor after a preposition and a determiner ("of the").
                let before = tokens_in(doc, Span::new(phrase.start, m.start));
                let mut back = before.iter().rev();
                let last = back.next().map(|t| doc.norm(t));
                let object = |n: Option<&str>| n.is_some_and(|n| lex.prep.contains(n));
                !(object(last)
                    || (last.is_some_and(|n| lex.det.contains(n))
                        && object(back.next().map(|t| doc.norm(t)))))
            })
            .last()
            .copied()
    }

    /// The latest mention before `at` of a party that a pronoun of `kind` can stand for, outside the
    /// quotations `inside`.
    fn antecedent(&self, at: usize, kind: PronounKind, quotes: &[Span]) -> Option<(usize, usize)> {
        let end = self.list.partition_point(|(m, _)| m.end <= at);
        self.list[..end]
            .iter()
            .rev()
            .take(200)
            .filter(|(m, _)| {
                let q = quotes.partition_point(|s| s.end <= m.start);
                !quotes.get(q).is_some_and(|s| s.contains(m))
            })
            .find(|(_, p)| compatible(self.parties[*p].kind, kind))
            .map(|&(m, p)| (m.start, p))
    }
}

fn compatible(party: PartyKind, pronoun: PronounKind) -> bool {
    match pronoun {
        PronounKind::Masculine | PronounKind::Feminine => party == PartyKind::Person,
        PronounKind::Neuter => party == PartyKind::Organization,
        PronounKind::Plural => party == PartyKind::Organization,
    }
}

/// Whether a span has at least `MIN_WORDS` words: runs of letters and digits, so that the parts of a
/// compound count (`one-term president` has three), as readers count them. Reading stops at the
/// last word needed.
fn has_min_words(doc: &Prepared<'_>, span: Span) -> bool {
    let text = span.slice(doc.text);
    let bytes = text.as_bytes();
    let mut n = 0;
    let mut in_word = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII without decoding; anything else as the char it starts.
        let (w, len) = if b.is_ascii() {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            text[i..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()))
        };
        n += usize::from(w && !in_word);
        if n >= MIN_WORDS {
            return true;
        }
        in_word = w;
        i += len;
    }
    false
}

/// Whether the words (the tokens of a quotation) read as a title ("Make America Great Again",
/// "Face the Nation"): at most a dozen words, every one capitalised but function words.
fn title_case(doc: &Prepared<'_>, toks: &[Token]) -> bool {
    let mut words = 0;
    for t in toks.iter().filter(|t| t.is_word()) {
        words += 1;
        if words > 12 || !(t.is_stop || t.is_capitalized(doc.text)) {
            return false;
        }
    }
    words > 0
}

/// Most words between a quotation and the cue after it for the cue to govern it directly (`“…,” the
/// protesters chanted`).
const NEXT_TO_CUE: usize = 4;

/// Whether the quote's cue stands right before or after it: then a title-like quotation is words said
/// (a slogan, a chant), not the name of a work.
fn cue_next_to(doc: &Prepared<'_>, q: &Quote) -> bool {
    q.cue.is_some_and(|c| {
        if c.end <= q.span.start {
            // Before: the quotation is the cue's object (`chanted “…”`, not `wrote a book, “…”`).
            let between = tokens_in(doc, Span::new(c.end, q.span.start));
            !between.iter().any(|t| t.is_word() && !t.is_stop)
        } else {
            let between = tokens_in(doc, Span::new(q.span.end, c.start.max(q.span.end)));
            between.iter().filter(|t| t.is_word()).count() <= NEXT_TO_CUE
        }
    })
}

/// How many tokens before a quotation's words are read to tell what introduces it.
const LOOK_BACK: usize = 4;

/// The last tokens before a quotation's words (its opening mark among them).
fn tokens_before<'p>(doc: &'p Prepared<'_>, span: Span) -> &'p [Token] {
    let first = doc.tokens.partition_point(|t| t.span.start < span.start);
    &doc.tokens[first.saturating_sub(LOOK_BACK)..first]
}

/// Whether a token is only quotation marks or opening brackets.
fn is_mark_token(doc: &Prepared<'_>, t: &Token) -> bool {
    t.kind == TokenKind::Punct
        && doc
            .norm(t)
            .chars()
            .all(|c| marks::is_quote_mark(c) || matches!(c, '(' | '['))
}

/// Whether the quotation reads as a sentence of its own: a question or an exclamation, or a
/// sentence with its full stop that nothing of its sentence precedes (`… me. “This is all me.”`).
/// A title is a noun phrase inside a sentence; such a quotation is words said.
fn sentence_like(doc: &Prepared<'_>, span: Span) -> bool {
    let s = span.slice(doc.text).trim_end();
    if s.ends_with(['?', '!']) {
        return true;
    }
    if !s.ends_with('.') {
        return false;
    }
    let before = tokens_before(doc, span);
    match before.iter().rposition(|t| !is_mark_token(doc, t)) {
        // Only marks back to the start of the text.
        None => before.len() < LOOK_BACK,
        Some(k) => {
            is_terminator(doc, before, k)
                || doc.text[before[k].span.end..span.start.max(before[k].span.end)].contains('\n')
        }
    }
}

/// Whether a verb of saying or a naming word (`titled`, `a hat reading`, `intitulée`) stands right
/// before the quotation, across punctuation and a determiner: the quotation is words given as said
/// or written.
fn introduced(doc: &Prepared<'_>, lex: &lexicon::QuoteLexicon, span: Span) -> bool {
    tokens_before(doc, span)
        .iter()
        .rev()
        .find(|t| {
            let n = doc.norm(t);
            !(is_mark_token(doc, t) || matches!(n, "," | ":") || lex.det.contains(n))
        })
        .is_some_and(|t| t.is_word() && lex.introduces(doc.norm(t)))
}

/// Whether the quotation follows a possessive (`ABC's “Good Morning America”`): it is then the
/// name of someone's show, book or slogan, not words said.
fn after_possessive(doc: &Prepared<'_>, lex: &lexicon::QuoteLexicon, span: Span) -> bool {
    tokens_before(doc, span)
        .iter()
        .rev()
        .find(|t| !is_mark_token(doc, t))
        .is_some_and(|t| lex.is_possessive(doc.norm(t)))
}

/// Whether the title-case words of a quotation name a work rather than quote someone: a
/// possessive before them, or no cue governing them, no naming word before them, and not a
/// sentence of their own. `toks` are the quotation's tokens.
fn is_title(doc: &Prepared<'_>, lex: &lexicon::QuoteLexicon, q: &Quote, toks: &[Token]) -> bool {
    title_case(doc, toks)
        && (after_possessive(doc, lex, q.span)
            || !(cue_next_to(doc, q) || sentence_like(doc, q.span) || introduced(doc, lex, q.span)))
}

/// The words of `s` joined by single spaces.
fn single_spaced(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Starts of the text's lines.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

impl QuoteExtractor {
    /// Quotes of the document, with their speakers, in the order `opts` asks for.
    pub fn extract(&self, doc: &Prepared<'_>, parties: &[Party], opts: &Options) -> Vec<Quote> {
        let lex = lexicon::for_language(&doc.language.primary);
        let lines = line_starts(doc.text);
        let line_of = |at: usize| lines.partition_point(|&s| s <= at).saturating_sub(1);
        let marked = marks::find_in_lines(doc.text, &lines, lex.style);
        let mut items: Vec<Item> = Vec::with_capacity(marked.len());
        for m in marked {
            // Nested quotations belong to their outer one; scare quotes are part of the sentence
            // around them, not quotations to attribute.
            if m.nested || !has_min_words(doc, m.inner) {
                continue;
            }
            let line = line_of(m.inner.start);
            if single_quoted_line(doc.text, &lines, line, &m) {
                continue;
            }
            if m.dialogue {
                split_dialogue(doc, lex, m, line, &mut items);
            } else {
                items.push(Item {
                    mark: m,
                    line,
                    found: None,
                });
            }
        }
        drop_restated_headline(doc, &mut items);
        self.attribute_all(doc, lex, &lines, &mut items);
        transcript_turns(doc.text, &mut items);
        let mentions = Mentions::new(parties);
        let quote_spans: Vec<Span> = items.iter().map(|it| it.mark.outer).collect();
        let mut quotes = Vec::with_capacity(items.len());
        let mut last_named: Option<(usize, String, Option<usize>)> = None;
        for it in &items {
            let mut q = Quote {
                span: it.mark.inner,
                speaker: None,
                speaker_span: None,
                speaker_party: None,
                cue: it.found.and_then(|f| f.cue),
                score: 0.0,
            };
            if let Some(span) = it.found.and_then(|f| f.speaker) {
                q.speaker_span = Some(span);
                match it.found.and_then(|f| f.pronoun) {
                    Some(kind) => {
                        let by_mention = mentions.antecedent(span.start, kind, &quote_spans);
                        let by_speaker = last_named.as_ref().filter(|(_, _, p)| {
                            p.is_none_or(|p| compatible(parties[p].kind, kind))
                        });
                        match (by_mention, by_speaker) {
                            (Some((at, p)), Some((sat, _, _))) if at >= *sat => {
                                q.speaker = Some(parties[p].name.clone());
                                q.speaker_party = Some(p);
                            }
                            (_, Some((_, name, p))) => {
                                q.speaker = Some(name.clone());
                                q.speaker_party = *p;
                            }
                            (Some((_, p)), None) => {
                                q.speaker = Some(parties[p].name.clone());
                                q.speaker_party = Some(p);
                            }
                            (None, None) => q.speaker = Some(span.slice(doc.text).to_string()),
                        }
                    }
                    None => {
                        if let Some((m, p)) = mentions.in_phrase(doc, lex, span) {
                            q.speaker_span = Some(m);
                            q.speaker_party = Some(p);
                            q.speaker = Some(parties[p].name.clone());
                        } else {
                            q.speaker = Some(single_spaced(span.slice(doc.text)));
                        }
                        let named = q.speaker.clone().unwrap_or_default();
                        if q.speaker_party
                            .is_none_or(|p| parties[p].kind == PartyKind::Person)
                        {
                            last_named = Some((span.start, named, q.speaker_party));
                        }
                    }
                }
            }
            quotes.push(q);
        }
        rank(doc, lex, parties, quotes, opts)
    }

    fn attribute_all(
        &self,
        doc: &Prepared<'_>,
        lex: &'static lexicon::QuoteLexicon,
        lines: &[usize],
        items: &mut [Item],
    ) {
        let mut standalone = vec![false; items.len()];
        let mut joined_next = vec![false; items.len()];
        // Room for a full context and the marks of the quotation that ends it, reused.
        let mut left_toks: Vec<Token> = Vec::with_capacity(2 * MAX_CONTEXT);
        let mut right_toks: Vec<Token> = Vec::with_capacity(2 * MAX_CONTEXT);
        // Whether each quotation ends its sentence, asked for each of its neighbours.
        let ends: Vec<bool> = items
            .iter()
            .map(|it| ends_sentence(doc, &it.mark))
            .collect();
        for i in 0..items.len() {
            let (ls, le) = line_bounds(doc.text, lines, items[i].line);
            left_tokens(doc, items, &ends, i, ls, &mut left_toks);
            if !left_toks.iter().any(|t| t.is_word()) {
                left_toks.splice(
                    0..0,
                    colon_line_before(doc, lines, items[i].line).iter().copied(),
                );
            }
            right_tokens(doc, lex, items, &ends, i, le, &mut right_toks);
            let left = Context::new(doc, lex, &left_toks);
            let right = Context::new(doc, lex, &right_toks);
            let m = items[i].mark;
            let lowercase = m
                .inner
                .slice(doc.text)
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            items[i].found = attribute(&left, &right, lowercase);
            standalone[i] = !left.has_words() && !right.has_words();
            // Only punctuation between this quotation and the next one of its line.
            joined_next[i] = items.get(i + 1).is_some_and(|n| {
                n.line == items[i].line
                    && !tokens_in(
                        doc,
                        Span::new(m.outer.end, n.mark.outer.start.max(m.outer.end)),
                    )
                    .iter()
                    .any(|t| t.is_word())
            });
        }
        // Pieces of one quotation share its speaker.
        for i in 1..items.len() {
            if items[i].found.is_none() && items[i - 1].mark.group == items[i].mark.group {
                items[i].found = items[i - 1].found;
            }
        }
        for i in (0..items.len().saturating_sub(1)).rev() {
            if items[i].found.is_none() && items[i + 1].mark.group == items[i].mark.group {
                items[i].found = items[i + 1].found;
            }
        }
        // Neighbours in a paragraph: joined by punctuation only, or a quotation that is a sentence of
        // its own next to an attributed one.
        for i in 0..items.len() {
            if items[i].found.is_some() {
                continue;
            }
            let same_line = |j: usize| items[j].line == items[i].line;
            let prev = (i > 0 && same_line(i - 1) && (joined_next[i - 1] || standalone[i]))
                .then(|| items[i - 1].found)
                .flatten();
            let next =
                (i + 1 < items.len() && same_line(i + 1) && (joined_next[i] || standalone[i]))
                    .then(|| items[i + 1].found)
                    .flatten();
            items[i].found = prev.or(next);
        }
    }
}

/// Content words of a span, normalised.
fn content_words<'d>(doc: &'d Prepared<'_>, span: Span) -> impl Iterator<Item = &'d str> + 'd {
    tokens_in(doc, span)
        .iter()
        .filter(|t| t.is_word() && !t.is_stop)
        .map(|t| doc.norm(t))
}

/// Removes the headline's quotations that restate one of the body (half of their content words or
/// more in the body's quotations): the editor's shortened, re-cased form of a quote is not another
/// key quote.
fn drop_restated_headline(doc: &Prepared<'_>, items: &mut Vec<Item>) {
    let Some(head) = doc
        .sentences
        .first()
        .filter(|s| s.kind == SegmentKind::Headline)
    else {
        return;
    };
    let in_head = |it: &Item| it.mark.inner.start < head.span.end;
    if !items.first().is_some_and(in_head) {
        return;
    }
    let body: HashSet<&str> = items
        .iter()
        .filter(|it| !in_head(it))
        .flat_map(|it| content_words(doc, it.mark.inner))
        .collect();
    items.retain(|it| {
        if !in_head(it) {
            return true;
        }
        let (mut n, mut shared) = (0, 0);
        for w in content_words(doc, it.mark.inner) {
            n += 1;
            shared += usize::from(body.contains(w));
        }
        shared * 2 < n
    });
}

/// The speaker label opening a turn of an interview transcript (`WALLACE:`, `MR. TRUMP:`): one to four
/// words in capitals before a colon.
fn turn_label(text: &str, inner: Span) -> Option<Span> {
    let s = inner.slice(text);
    let colon = s.get(..s.len().min(40))?.find(':')?;
    let label = s[..colon].trim_end();
    let letters = label.chars().filter(|c| c.is_alphabetic()).count();
    let ok = letters >= 2
        && label.split_whitespace().count() <= 4
        && label
            .chars()
            .all(|c| c.is_uppercase() || c.is_whitespace() || matches!(c, '.' | '-' | '\'' | '’'));
    ok.then(|| Span::new(inner.start, inner.start + label.len()))
}

/// Quoted interview transcripts: a paragraph opening with a speaker label is a turn of the
/// interview, not a quotation; the paragraphs that go on from it (same quotation, no label of their
/// own) are that speaker's words.
fn transcript_turns(text: &str, items: &mut Vec<Item>) {
    let mut turn: Option<(u32, Span)> = None;
    let mut keep = vec![true; items.len()];
    for (i, it) in items.iter_mut().enumerate() {
        if let Some(label) = turn_label(text, it.mark.inner) {
            turn = Some((it.mark.group, label));
            keep[i] = false;
        } else if let Some((_, label)) = turn.filter(|&(g, _)| g == it.mark.group) {
            it.found = Some(Found {
                speaker: Some(label),
                pronoun: None,
                cue: None,
            });
        }
    }
    let mut k = keep.iter();
    items.retain(|_| k.next().copied().unwrap_or(true));
}

/// Whether a quotation in single marks fills its line alone (`'A change warrior.'`): headline style
/// for a subhead or pull quote that restates the story, not a quotation of the running text.
fn single_quoted_line(text: &str, lines: &[usize], line: usize, m: &Marked) -> bool {
    let (start, end) = line_bounds(text, lines, line);
    text[m.outer.start..].starts_with(['\'', '‘'])
        && m.outer.end <= end
        && text[start..m.outer.start].trim().is_empty()
        && text[m.outer.end..end]
            .trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
            .is_empty()
}

/// Start and end (before its line break) of line `l`.
fn line_bounds(text: &str, lines: &[usize], l: usize) -> (usize, usize) {
    let start = lines[l];
    let end = lines
        .get(l + 1)
        .map_or(text.len(), |&n| n.saturating_sub(1));
    (start, end.max(start))
}

/// Longest context, in tokens.
const MAX_CONTEXT: usize = 40;

/// The marks of a quotation (its tokens outside its words), kept in contexts as barriers.
fn mark_tokens<'p>(doc: &'p Prepared<'_>, m: &Marked) -> (&'p [Token], &'p [Token]) {
    let open = tokens_in(doc, Span::new(m.outer.start, m.inner.start));
    let close = tokens_in(doc, Span::new(m.inner.end, m.outer.end.max(m.inner.end)));
    (open, close)
}

fn ends_sentence(doc: &Prepared<'_>, m: &Marked) -> bool {
    let inner = tokens_in(doc, m.inner);
    !inner.is_empty() && is_terminator(doc, inner, inner.len() - 1)
}

/// The sentence before quotation `i`, outside quotations: back to a sentence end or the line start,
/// over the earlier quotations of the sentence (their words left out, their marks kept), into `rev`
/// (cleared first). `ends` tells which quotations end their sentence.
fn left_tokens(
    doc: &Prepared<'_>,
    items: &[Item],
    ends: &[bool],
    i: usize,
    line_start: usize,
    rev: &mut Vec<Token>,
) {
    rev.clear();
    let mut end = items[i].mark.outer.start;
    let mut j = i;
    loop {
        let prev = (j > 0 && items[j - 1].line == items[i].line).then(|| j - 1);
        let seg_start = prev.map_or(line_start, |p| items[p].mark.outer.end);
        let seg = tokens_in(doc, Span::new(seg_start.min(end), end));
        let mut done = false;
        for k in (0..seg.len()).rev() {
            if is_terminator(doc, seg, k) {
                done = true;
                break;
            }
            rev.push(seg[k]);
        }
        let Some(p) = prev else { break };
        if done || rev.len() >= MAX_CONTEXT || ends[p] {
            break;
        }
        let (open, close) = mark_tokens(doc, &items[p].mark);
        rev.extend(close.iter().rev());
        rev.extend(open.iter().rev());
        end = items[p].mark.outer.start;
        j = p;
    }
    rev.truncate(MAX_CONTEXT);
    rev.reverse();
}

/// Longest sentence after a quotation that ends its own sentence and still counts as its attribution
/// (`“… ?” Graham asked.`), in tokens.
const SHORT_ATTRIBUTION: usize = 12;

/// Whether the tokens open a short sentence that carries a cue near its start: the attribution of a
/// quotation ending with its own full stop, question or exclamation mark.
fn short_attribution(
    doc: &Prepared<'_>,
    lex: &'static lexicon::QuoteLexicon,
    after: &[Token],
) -> bool {
    let len = (0..after.len())
        .find(|&k| is_terminator(doc, after, k))
        .unwrap_or(after.len());
    let ctx = Context::new(doc, lex, &after[..len]);
    // "Graham asked", "Sen. Claire McCaskill said": words, then the cue (not "According to X, “…”",
    // which introduces the next quotation).
    len <= SHORT_ATTRIBUTION
        && (1..len.min(NEAR_CUE))
            .any(|k| ctx.is_cue(k) && after[..k].iter().all(|t| t.is_word() || doc.norm(t) == "."))
}

/// How far into the sentence after a quotation a cue makes it the quotation's attribution.
const NEAR_CUE: usize = 6;

/// The sentence after quotation `i`, outside quotations: up to a sentence end or the line end, into
/// `out` (cleared first). `ends` tells which quotations end their sentence.
fn right_tokens(
    doc: &Prepared<'_>,
    lex: &'static lexicon::QuoteLexicon,
    items: &[Item],
    ends: &[bool],
    i: usize,
    line_end: usize,
    out: &mut Vec<Token>,
) {
    out.clear();
    // “… ends here.” Next sentence: nothing after the quotation belongs to it.
    let after = tokens_in(
        doc,
        Span::new(
            items[i].mark.outer.end,
            line_end.max(items[i].mark.outer.end),
        ),
    );
    if ends[i]
        && after.first().is_some_and(|t| t.is_capitalized(doc.text))
        && !short_attribution(doc, lex, after)
    {
        return;
    }
    let mut start = items[i].mark.outer.end;
    let mut j = i;
    loop {
        let next = items.get(j + 1).filter(|n| n.line == items[i].line);
        let seg_end = next.map_or(line_end, |n| n.mark.outer.start);
        let range = Span::new(start, seg_end.max(start));
        let seg = if j == i && seg_end <= line_end {
            // Inside what follows the quotation on its line, from the same start.
            tokens_within(after, range)
        } else {
            tokens_in(doc, range)
        };
        let mut done = false;
        for k in 0..seg.len() {
            if is_terminator(doc, seg, k) {
                done = true;
                break;
            }
            out.push(seg[k]);
        }
        let Some(n) = next else { break };
        if done || out.len() >= MAX_CONTEXT || ends[j + 1] {
            break;
        }
        let (open, close) = mark_tokens(doc, &n.mark);
        out.extend_from_slice(open);
        out.extend_from_slice(close);
        start = n.mark.outer.end;
        j += 1;
    }
    out.truncate(MAX_CONTEXT);
}

/// The last sentence of the previous non-blank line when it ends with a colon ("He said:" before a
/// paragraph that is a quotation).
fn colon_line_before<'p>(doc: &'p Prepared<'_>, lines: &[usize], line: usize) -> &'p [Token] {
    let Some(prev) = (0..line).rev().find(|&l| {
        let (s, e) = line_bounds(doc.text, lines, l);
        !doc.text[s..e].trim().is_empty()
    }) else {
        return &[];
    };
    let (s, e) = line_bounds(doc.text, lines, prev);
    if !doc.text[s..e].trim_end().ends_with(':') {
        return &[];
    }
    left_context(doc, Span::new(s, e))
}

/// Cuts a line of dialogue at its incise (`— Nous partons, dit-il, demain.`): the words before and
/// after are the quotation, the incise holds the cue.
fn split_dialogue(
    doc: &Prepared<'_>,
    lex: &'static lexicon::QuoteLexicon,
    m: Marked,
    line: usize,
    items: &mut Vec<Item>,
) {
    let toks = tokens_in(doc, m.inner);
    let ctx = Context::new(doc, lex, toks);
    let is_sep = |t: &super::super::token::Token| matches!(doc.norm(t), "," | "—" | "–");
    let incise = (1..toks.len()).find(|&k| is_sep(&toks[k - 1]) && ctx.is_cue(k));
    let Some(k) = incise else {
        items.push(Item {
            mark: m,
            line,
            found: None,
        });
        return;
    };
    let comma = toks[k - 1].span.start;
    let close = (k..toks.len()).find(|&j| is_sep(&toks[j]) || doc.norm(&toks[j]) == ".");
    let first = Marked {
        inner: trim_punct(doc.text, Span::new(m.inner.start, comma)),
        outer: Span::new(m.outer.start, comma),
        ..m
    };
    // The pieces of a line are quotations when they have the words of one (the line had them).
    if has_min_words(doc, first.inner) {
        items.push(Item {
            mark: first,
            line,
            found: None,
        });
    }
    if let Some(j) = close {
        let rest = Span::new(toks[j].span.end, m.inner.end);
        if tokens_in(doc, rest).iter().any(|t| t.is_word()) {
            let second = Marked {
                inner: trim_punct(doc.text, rest),
                outer: Span::new(toks[j].span.start, m.outer.end),
                ..m
            };
            if has_min_words(doc, second.inner) {
                items.push(Item {
                    mark: second,
                    line,
                    found: None,
                });
            }
        }
    }
}

fn trim_punct(text: &str, span: Span) -> Span {
    let s = span.slice(text);
    let t = s.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
    let lead = s.len() - t.len();
    let t = t.trim_end_matches(|c: char| c.is_whitespace() || c == ',');
    Span::new(span.start + lead, span.start + lead + t.len())
}

/// How many earlier quotations a quotation is compared with to tell whether it restates one.
const RESTATEMENT_WINDOW: usize = 64;

/// Scores, removes scare quotes and repeats, applies `max_quotes` and the order.
fn rank(
    doc: &Prepared<'_>,
    lex: &lexicon::QuoteLexicon,
    parties: &[Party],
    quotes: Vec<Quote>,
    opts: &Options,
) -> Vec<Quote> {
    let headline_end = doc
        .sentences
        .first()
        .filter(|s| s.kind == SegmentKind::Headline)
        .map_or(0, |s| s.span.end);
    // Kept quotations by the hash of their words: the latest index in `out` of each hash, and for
    // each index the one kept before it with the same hash (`usize::MAX` for none).
    let mut latest: HashMap<u64, usize> = HashMap::with_capacity(quotes.len());
    let mut same_hash: Vec<usize> = Vec::with_capacity(quotes.len());
    let hasher = foldhash::fast::FixedState::with_seed(0);
    // Content words as ids (one per distinct normalised word), so that comparing two quotations'
    // words is a merge of sorted integers rather than hash look-ups.
    let room = quotes.iter().map(|q| q.span.len()).sum::<usize>() / 8;
    let mut word_ids: HashMap<&str, u32> = HashMap::with_capacity(room);
    // The distinct content word ids of each kept quotation, sorted: `kept_words[kept_starts[k]..
    // kept_starts[k + 1]]` for the k-th.
    let mut kept_words: Vec<u32> = Vec::with_capacity(room);
    let mut kept_starts: Vec<usize> = vec![0];
    let mut content: Vec<u32> = Vec::new();
    let len = doc.text.len().max(1) as f32;
    let mut out: Vec<Option<Quote>> = Vec::with_capacity(quotes.len());
    for mut q in quotes {
        let toks = tokens_in(doc, q.span);
        let words = toks.iter().filter(|t| t.is_word()).count();
        // A title ("Make America Great Again") is not a quotation, nor is a phrase of the headline
        // that nobody says there (the editor's term or scare quote).
        // Every quotation here has its words (checked when it was found).
        if is_title(doc, lex, &q, toks) || (q.span.start < headline_end && q.speaker.is_none()) {
            continue;
        }
        // The words, each ended by a separator that no word holds.
        let key = {
            let mut h = hasher.build_hasher();
            for t in toks.iter().filter(|t| t.is_word()) {
                h.write(doc.norm(t).as_bytes());
                h.write_u8(b' ');
            }
            h.finish()
        };
        // A repeat is the same quotation (the same words) unless another speaker says it; an
        // attributed repeat takes the place of an unattributed one.
        let head = latest.get(&key).copied().unwrap_or(usize::MAX);
        let mut repeat = false;
        let mut k = head;
        while let Some(&before_k) = same_hash.get(k) {
            if let Some(before) = out[k].as_ref().filter(|b| same_words(doc, b.span, toks)) {
                match (before.speaker.as_deref(), q.speaker.as_deref()) {
                    (None, Some(_)) => out[k] = None,
                    (Some(a), Some(b)) if a != b => {}
                    _ => repeat = true,
                }
            }
            k = before_k;
        }
        if repeat {
            continue;
        }
        latest.insert(key, out.len());
        same_hash.push(head);
        content.clear();
        for t in toks.iter().filter(|t| t.is_word() && !t.is_stop) {
            let next = word_ids.len() as u32;
            content.push(*word_ids.entry(doc.norm(t)).or_insert(next));
        }
        content.sort_unstable();
        content.dedup();
        // Compared with the latest quotations only, which keeps this step linear.
        let kept = kept_starts.len() - 1;
        let restated = (kept.saturating_sub(RESTATEMENT_WINDOW)..kept)
            .map(|k| shared_count(&content, &kept_words[kept_starts[k]..kept_starts[k + 1]]))
            .max()
            .unwrap_or(0) as f32
            / content.len().max(1) as f32;
        let info =
            0.6 * (words as f32 / 30.0).min(1.0) + 0.4 * (content.len() as f32 / words as f32);
        let info = info * (1.0 - 0.6 * restated.clamp(0.0, 1.0));
        let speaker = match (q.speaker_party, &q.speaker) {
            (Some(p), _) => 0.6 + 0.4 * parties[p].salience.clamp(0.0, 1.0),
            (None, Some(_)) => 0.5,
            (None, None) => 0.0,
        };
        let position = 1.0 - q.span.start as f32 / len;
        q.score = (0.55 * info + 0.3 * speaker + 0.15 * position).clamp(0.0, 1.0);
        kept_words.extend_from_slice(&content);
        kept_starts.push(kept_words.len());
        out.push(Some(q));
    }
    let mut out: Vec<Quote> = out.into_iter().flatten().collect();
    if let Some(n) = opts.max_quotes {
        if n < out.len() {
            let mut by_rank: Vec<usize> = (0..out.len()).collect();
            by_rank.sort_by(|&a, &b| out[b].score.total_cmp(&out[a].score).then(a.cmp(&b)));
            let keep: HashSet<usize> = by_rank.into_iter().take(n).collect();
            out = out
                .into_iter()
                .enumerate()
                .filter(|(i, _)| keep.contains(i))
                .map(|(_, q)| q)
                .collect();
        }
    }
    if opts.order == Order::Rank {
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.span.start.cmp(&b.span.start))
        });
    }
    out
}

/// Whether the words of `span` are the words of `toks`, in the same order.
fn same_words(doc: &Prepared<'_>, span: Span, toks: &[Token]) -> bool {
    let words = |toks: &[Token]| {
        toks.iter()
            .filter(|t| t.is_word())
            .map(|t| doc.norm(t))
            .collect::<Vec<_>>()
    };
    words(tokens_in(doc, span)) == words(toks)
}

/// Number of ids two sorted, duplicate-free lists share.
fn shared_count(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        i += usize::from(x <= y);
        j += usize::from(y <= x);
        n += usize::from(x == y);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::lang::Language;

    /// Quotes of `text` in `lang` as (text, speaker, speaker span text, cue text), with the parties a
    /// tagger would give for the capitalised names listed.
    fn run(
        text: &str,
        lang: &str,
        names: &[(&str, PartyKind)],
    ) -> Vec<(String, String, String, String)> {
        let language = Language::from_tag(lang).expect("valid tag");
        let doc = Prepared::new(text, None, Some(language));
        let parties: Vec<Party> = names
            .iter()
            .map(|&(name, kind)| Party {
                name: name.to_string(),
                kind,
                mentions: text
                    .match_indices(name.split_whitespace().last().unwrap_or(name))
                    .map(|(i, m)| {
                        let full = text[..i + m.len()].ends_with(name) && i + m.len() >= name.len();
                        let start = if full { i + m.len() - name.len() } else { i };
                        Span::new(start, i + m.len())
                    })
                    .collect(),
                salience: 0.5,
                role: None,
            })
            .collect();
        let quotes = QuoteExtractor.extract(&doc, &parties, &Options::default());
        for q in &quotes {
            assert!(q.span.end <= text.len() && (0.0..=1.0).contains(&q.score));
        }
        quotes
            .iter()
            .map(|q| {
                let slice =
                    |s: Option<Span>| s.map_or(String::new(), |s| s.slice(text).to_string());
                (
                    q.span.slice(text).to_string(),
                    q.speaker.clone().unwrap_or_default(),
                    slice(q.speaker_span),
                    slice(q.cue),
                )
            })
            .collect()
    }

    fn speakers(text: &str, lang: &str, names: &[(&str, PartyKind)]) -> Vec<(String, String)> {
        run(text, lang, names)
            .into_iter()
            .map(|(t, s, _, _)| (t, s))
            .collect()
    }

    fn texts(text: &str, lang: &str, names: &[(&str, PartyKind)]) -> Vec<String> {
        run(text, lang, names).into_iter().map(|q| q.0).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|&(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    const P: PartyKind = PartyKind::Person;
    const O: PartyKind = PartyKind::Organization;

    #[test]
    fn seed_article_quotes_and_speakers() {
        let text = include_str!("../../../../seeds/article-fr-diplomatie.txt");
        let got = run(
            text,
            "fr",
            &[("Vladimir Poutine", P), ("Kremlin", O), ("Joe Biden", P)],
        );
        let find = |start: &str| {
            got.iter()
                .find(|q| q.0.starts_with(start))
                .unwrap_or_else(|| panic!("no quote starting with {start:?} in {got:?}"))
                .clone()
        };
        let q = find("franc et professionnel");
        assert_eq!((q.1.as_str(), q.2.as_str()), ("Kremlin", "Kremlin"));
        let q = find("une conséquence de la politique des autorités américaines");
        assert_eq!(
            (q.1.as_str(), q.3.as_str()),
            ("Vladimir Poutine", "souligné")
        );
        assert!(q.0.ends_with("à réagir de manière symétrique"));
        let q = find("Il a été constaté");
        assert_eq!(
            (q.1.as_str(), q.3.as_str()),
            ("le communiqué de la présidence russe", "selon")
        );
        assert!(
            q.0.contains("\"limitées\""),
            "the nested quote stays inside"
        );
        assert!(
            !got.iter().any(|q| q.0 == "limitées"),
            "scare quotes are not key quotes"
        );
        let q = find("le dialogue et les contacts");
        assert_eq!(q.1, "le communiqué du Kremlin");
    }

    #[test]
    fn french_verb_after_the_quote_with_inversion() {
        let t = "«Nous ne céderons pas sur ce point», a déclaré le ministre de l'Intérieur.";
        assert_eq!(
            speakers(t, "fr", &[]),
            pairs(&[(
                "Nous ne céderons pas sur ce point",
                "le ministre de l'Intérieur"
            )])
        );
    }

    #[test]
    fn french_glued_pronoun_resolves_to_the_latest_person() {
        let t = "Emmanuel Macron était à Berlin. «Nous avançons ensemble», a-t-il dit. «C'est un pas décisif», ajoute-t-il.";
        let got = run(
            t,
            "fr",
            &[("Emmanuel Macron", P), ("Berlin", PartyKind::Location)],
        );
        assert_eq!(got.len(), 2);
        assert_eq!(
            (got[0].1.as_str(), got[0].2.as_str(), got[0].3.as_str()),
            ("Emmanuel Macron", "il", "a-t-il dit")
        );
        assert_eq!(
            (got[1].1.as_str(), got[1].2.as_str()),
            ("Emmanuel Macron", "il")
        );
    }

    #[test]
    fn french_source_phrases() {
        let t = "Selon Angela Merkel, «la situation est très grave». D'après l'Élysée, «rien n'est encore décidé ce soir».";
        assert_eq!(
            speakers(t, "fr", &[("Angela Merkel", P)]),
            pairs(&[
                ("la situation est très grave", "Angela Merkel"),
                ("rien n'est encore décidé ce soir", "l'Élysée")
            ])
        );
    }

    #[test]
    fn french_subject_before_verb_and_colon() {
        let t = "Marine Le Pen a affirmé que «le pays est à bout de souffle».\nLe Kremlin : «Nous n'avons rien à ajouter à ce stade».";
        assert_eq!(
            speakers(t, "fr", &[("Marine Le Pen", P), ("Kremlin", O)]),
            pairs(&[
                ("le pays est à bout de souffle", "Marine Le Pen"),
                ("Nous n'avons rien à ajouter à ce stade", "Kremlin")
            ])
        );
    }

    #[test]
    fn french_apposition_and_relative() {
        let t = "Jean Castex, le Premier ministre, a estimé que «la vague est derrière nous». Olivier Véran, qui a précisé que «les hôpitaux tiennent bon», était présent.";
        assert_eq!(
            speakers(t, "fr", &[("Jean Castex", P), ("Olivier Véran", P)]),
            pairs(&[
                ("la vague est derrière nous", "Jean Castex"),
                ("les hôpitaux tiennent bon", "Olivier Véran")
            ])
        );
    }

    #[test]
    fn french_dialogue_dash_with_incise() {
        let t = "Le juge entre.\n— Nous reprendrons demain matin, dit-il, à neuf heures précises.\n— Très bien, répond l'avocat de la défense.";
        let got = speakers(t, "fr", &[]);
        assert_eq!(
            got,
            pairs(&[
                ("Nous reprendrons demain matin", "il"),
                ("à neuf heures précises.", "il"),
            ])
        );
    }

    #[test]
    fn french_quote_over_several_paragraphs() {
        let t = "Le président a déclaré : «Nous allons reconstruire le pays.\n«Chaque région recevra son dû.\n«Personne ne sera oublié.»\nFin de l'article ici.";
        let got = speakers(t, "fr", &[]);
        assert_eq!(got.len(), 3);
        assert!(got.iter().all(|(_, s)| s == "Le président"), "{got:?}");
        assert_eq!(got[2].0, "Personne ne sera oublié.");
    }

    #[test]
    fn french_unbalanced_mark_does_not_swallow() {
        let t = "Il a dit «oui à tout et même plus\nLe lendemain, «rien ne va plus ce matin», a reconnu le maire.";
        assert_eq!(
            speakers(t, "fr", &[]),
            pairs(&[
                ("oui à tout et même plus", "Il"),
                ("rien ne va plus ce matin", "le maire")
            ])
        );
    }

    #[test]
    fn french_no_break_spaces_inside_guillemets() {
        let t = "Le maire a déclaré\u{a0}: «\u{a0}Nous rouvrirons les écoles lundi\u{a0}». «\u{202f}La sécurité d'abord\u{202f}», a précisé son adjoint.";
        assert_eq!(
            speakers(t, "fr", &[]),
            pairs(&[
                ("Nous rouvrirons les écoles lundi", "Le maire"),
                ("La sécurité d'abord", "son adjoint"),
            ])
        );
    }

    #[test]
    fn french_nested_guillemets_and_english_marks_stay_inside() {
        let t = "Selon la ministre, «\u{a0}ce texte dit «\u{a0}non\u{a0}» aux abus et aux \"dérives\" du marché\u{a0}».";
        let got = speakers(t, "fr", &[]);
        assert_eq!(
            got,
            pairs(&[(
                "ce texte dit «\u{a0}non\u{a0}» aux abus et aux \"dérives\" du marché",
                "la ministre"
            )])
        );
    }

    #[test]
    fn french_subject_verb_que_and_organisation_speakers() {
        let t = "Vladimir Poutine a souligné que «\u{a0}la Russie ne menace personne\u{a0}».\nLe Kremlin a qualifié l'entretien de «\u{a0}franc et professionnel\u{a0}».\nLa Commission européenne estime que «\u{a0}l'accord reste possible\u{a0}».";
        assert_eq!(
            speakers(
                t,
                "fr",
                &[
                    ("Vladimir Poutine", P),
                    ("Kremlin", O),
                    ("Commission européenne", O)
                ]
            ),
            pairs(&[
                ("la Russie ne menace personne", "Vladimir Poutine"),
                ("franc et professionnel", "Kremlin"),
                ("l'accord reste possible", "Commission européenne"),
            ])
        );
    }

    #[test]
    fn french_detached_pronoun_and_inverted_subject() {
        let t = "Anne Hidalgo a visité le chantier.\nElle a ajouté : «\u{a0}Les travaux finiront en mai\u{a0}».\n«\u{a0}Rien n'est joué\u{a0}», estime pour sa part le président du Sénat.";
        let got = run(t, "fr", &[("Anne Hidalgo", P)]);
        let view: Vec<(&str, &str, &str)> = got
            .iter()
            .map(|q| (q.0.as_str(), q.1.as_str(), q.2.as_str()))
            .collect();
        assert_eq!(
            view,
            [
                ("Les travaux finiront en mai", "Anne Hidalgo", "Elle"),
                (
                    "Rien n'est joué",
                    "le président du Sénat",
                    "le président du Sénat"
                ),
            ]
        );
    }

    #[test]
    fn french_dash_dialogue_without_incise_takes_no_speaker() {
        let t = "La réunion commence.\n— Je propose de voter tout de suite.\n— Nous sommes contre cette idée, répond la députée.";
        assert_eq!(
            speakers(t, "fr", &[]),
            pairs(&[
                ("Je propose de voter tout de suite.", ""),
                ("Nous sommes contre cette idée", "la députée"),
            ])
        );
    }

    #[test]
    fn english_said_after_the_quote_both_orders() {
        let t = "“We will win this state easily,” said Donald Trump. “The polls are wrong about it,” the senator said.";
        assert_eq!(
            run(t, "en", &[("Donald Trump", P)]),
            vec![
                (
                    "We will win this state easily,".into(),
                    "Donald Trump".into(),
                    "Donald Trump".into(),
                    "said".into()
                ),
                (
                    "The polls are wrong about it,".into(),
                    "the senator".into(),
                    "the senator".into(),
                    "said".into()
                ),
            ]
        );
    }

    #[test]
    fn english_cue_before_the_quote_and_according_to() {
        let t = "Hillary Clinton told reporters that \"this election is about our future.\" According to the White House, \"the meeting went very well.\"";
        assert_eq!(
            speakers(t, "en", &[("Hillary Clinton", P), ("White House", O)]),
            pairs(&[
                ("this election is about our future.", "Hillary Clinton"),
                ("the meeting went very well.", "White House")
            ])
        );
    }

    #[test]
    fn english_pronoun_split_quote_and_inheritance() {
        let t = "Bernie Sanders spoke in Ohio.\n“This is a movement,” he said, “and it will not stop.” “We are just getting started tonight.”\n“I have nothing more to say here.”";
        let got = run(
            t,
            "en",
            &[("Bernie Sanders", P), ("Ohio", PartyKind::Location)],
        );
        let speakers: Vec<(&str, &str)> =
            got.iter().map(|q| (q.0.as_str(), q.2.as_str())).collect();
        assert_eq!(
            speakers,
            [
                ("This is a movement,", "he"),
                ("and it will not stop.", "he"),
                ("We are just getting started tonight.", "he"),
                ("I have nothing more to say here.", ""),
            ]
        );
        assert!(got[..3].iter().all(|q| q.1 == "Bernie Sanders"));
    }

    #[test]
    fn interview_transcript_turns_are_not_quotes_but_name_their_continuations() {
        let t = "Here is the transcript:\n\n\"WALLACE: Will she be there tomorrow night at the debate?\n\n\"PENCE: Well, look, she will not be attending the debate.\n\n\"But the truth is that the campaign wants to talk about jobs.\"";
        let got = run(t, "en", &[]);
        let speakers: Vec<(&str, &str)> =
            got.iter().map(|q| (q.0.as_str(), q.2.as_str())).collect();
        assert_eq!(
            speakers,
            [(
                "But the truth is that the campaign wants to talk about jobs.",
                "PENCE"
            )]
        );
    }

    #[test]
    fn english_question_then_a_short_attribution_sentence() {
        let t = "Lindsey Graham spoke at the forum.\n“Does anybody know what the platform of the party is?” Graham asked.\n“We will win this election.” Obama then flew to Ohio for a long rally with the workers there.";
        assert_eq!(
            speakers(t, "en", &[("Lindsey Graham", P), ("Obama", P)]),
            pairs(&[
                (
                    "Does anybody know what the platform of the party is?",
                    "Lindsey Graham"
                ),
                ("We will win this election.", ""),
            ])
        );
    }

    #[test]
    fn function_words_and_adverbs_are_never_speakers() {
        let t = "The bill passed.\nAfter said “we are going to fight this in the courts,” to nobody.\nThe ruling was formally said “to be final for all of the parties.”";
        let got = run(t, "en", &[]);
        assert!(got.iter().all(|q| q.1.is_empty()), "{got:?}");
    }

    #[test]
    fn english_partial_quote_gerund_and_colon_paragraph() {
        let t = "Trump said the deal was “a total disaster for workers,” adding that “nobody has ever seen anything like it.”\nThe statement read:\n\"We are reviewing every option available to us.\"";
        assert_eq!(
            speakers(t, "en", &[("Trump", P)]),
            pairs(&[
                ("a total disaster for workers,", "Trump"),
                ("nobody has ever seen anything like it.", "Trump"),
                (
                    "We are reviewing every option available to us.",
                    "The statement"
                ),
            ])
        );
    }

    #[test]
    fn english_single_quotes_titles_and_scare_quotes() {
        let t = "The ‘so-called’ plan, he said, was ‘a bad idea from the start’. She wrote a book, \"Make America Great Again\".";
        let got = speakers(t, "en", &[]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "a bad idea from the start");
        // A line that is only a single-quoted phrase is a subhead.
        let t = "Jobs first.\n\n'A change warrior.'\n\n‘We will fight for every job,’ she said.";
        let got = speakers(t, "en", &[]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "We will fight for every job,");
    }

    #[test]
    fn no_duplicates_max_quotes_and_rank_order() {
        let text = "“We will win this state by a wide margin,” Smith said. Later: “We will win this state by a wide margin.” And “ok then fine” too.";
        let doc = Prepared::new(text, None, Some(Language::from_tag("en").expect("tag")));
        let all = QuoteExtractor.extract(&doc, &[], &Options::default());
        assert_eq!(all.len(), 2, "{all:?}");
        let opts = Options {
            max_quotes: Some(1),
            order: Order::Rank,
            ..Options::default()
        };
        let best = QuoteExtractor.extract(&doc, &[], &opts);
        assert_eq!(best.len(), 1);
        assert_eq!(best[0].speaker.as_deref(), Some("Smith"));
        assert!(best[0].score >= all[1].score);
    }

    #[test]
    fn headline_quotes_restating_the_body_are_left_out() {
        let t = "Sanders: Clinton Must 'Get Away From Personality Stuff'\n\nBernie Sanders said Clinton should “get away from all of this personality stuff” soon.";
        assert_eq!(
            speakers(t, "en", &[("Bernie Sanders", P)]),
            pairs(&[(
                "get away from all of this personality stuff",
                "Bernie Sanders"
            )])
        );
        let t = "Macron : « Nous tiendrons bon face à la crise »\n\nLe président s'est exprimé hier soir.";
        assert_eq!(
            speakers(t, "fr", &[]).len(),
            1,
            "nothing in the body restates it"
        );
    }

    #[test]
    fn repeats_said_by_others_stay_and_an_attributed_repeat_wins() {
        let t = "Nobody expected “thousands of shootings” this year.\nTrump claimed there were “thousands of shootings” in Chicago. Politifact checked “thousands of shootings” too, Politifact said.\nTrump said again “thousands of shootings” there.";
        assert_eq!(
            speakers(t, "en", &[("Trump", P), ("Politifact", O)]),
            pairs(&[
                ("thousands of shootings", "Trump"),
                ("thousands of shootings", "Politifact"),
            ])
        );
    }

    #[test]
    fn compound_words_count_their_parts() {
        let t = "McConnell said the goal was to make Obama a “one-term president.”";
        assert_eq!(
            speakers(t, "en", &[("McConnell", P)]),
            pairs(&[("one-term president.", "McConnell")])
        );
    }

    #[test]
    fn title_like_quotes_are_kept_when_a_cue_governs_them() {
        let t = "The crowd chanted “Make America Great Again” all night. He appeared on CBS's “Face the Nation” on Sunday.";
        assert_eq!(
            speakers(t, "en", &[]),
            pairs(&[("Make America Great Again", "The crowd")])
        );
    }

    #[test]
    fn title_case_questions_sentences_and_named_slogans_are_words_said() {
        let t = "The hall went quiet.\n“Who Is Ready for Change?” The crowd cheered loudly.\nPate spoke for an hour. “This Is All Me.” The crowd cheered again.\nMook released a memo titled “The Facts on Where the Race Stands.”\nHe wore a hat reading “Make Mexico Great Again” all night.\nShe was on “Meet the Press” on Sunday.";
        assert_eq!(
            texts(t, "en", &[]),
            [
                "Who Is Ready for Change?",
                "This Is All Me.",
                "The Facts on Where the Race Stands.",
                "Make Mexico Great Again",
            ]
        );
    }

    #[test]
    fn a_title_after_a_possessive_is_a_name_even_next_to_a_cue() {
        let t = "The race tightened.\nOn CNN's “State of the Union,” Sanders said the race was close.\n“We Will Win This Race,” Sanders said.";
        assert_eq!(
            speakers(t, "en", &[("Sanders", P)]),
            pairs(&[("We Will Win This Race,", "Sanders")])
        );
    }

    #[test]
    fn french_title_case_slogan_after_a_naming_word_is_kept() {
        let t = "La manifestation a réuni des milliers de personnes.\nLes manifestants brandissaient une pancarte portant « Non À La Loi Travail » devant la mairie.\nIl était l'invité de « Questions Pour Un Champion » hier soir.";
        assert_eq!(texts(t, "fr", &[]), ["Non À La Loi Travail"]);
    }

    #[test]
    fn a_right_double_mark_does_not_open_an_english_or_french_quote() {
        let t = "The aides would not let policy staff ”get close to Ben on the things” he needed.";
        assert!(run(t, "en", &[]).is_empty());
        let t = "Le ministre a jugé ”la situation très grave” hier soir.";
        assert!(run(t, "fr", &[]).is_empty());
    }

    #[test]
    fn headline_phrases_without_a_speaker_are_left_out() {
        let t = "Obama to frame election as ‘commander-in-chief’ test\n\nBarack Obama will speak tonight.\n“We will hold this line together,” he said.";
        assert_eq!(
            texts(t, "en", &[("Barack Obama", P)]),
            ["We will hold this line together,"]
        );
        let t =
            "Le gouvernement face à la « grogne des campagnes »\n\nLe texte sera examiné demain.";
        assert!(run(t, "fr", &[]).is_empty());
    }

    #[test]
    fn english_speaker_before_appositions_relative_clauses_and_brackets() {
        let t = "“Today’s speech shows that the party is united,” Adam Green, co-founder of the Progressive Change Committee, said in a statement.\n“Both of them scare me a lot,” Harry Bond, 30, of Raleigh, who was among those polled, said.\nSen. Bernie Sanders (I-Vt.) said that the turnout “will help elect JoAnne Kloppenburg to the court.”";
        let got = run(t, "en", &[]);
        let speakers: Vec<&str> = got.iter().map(|q| q.2.as_str()).collect();
        assert_eq!(
            speakers,
            ["Adam Green", "Harry Bond", "Sen. Bernie Sanders (I-Vt.)"]
        );
    }

    #[test]
    fn verb_forms_in_names_or_after_a_determiner_are_no_cues() {
        let t = "The debate went on.\nRubio said the United States “must increase our efforts at home and abroad.”\nChristie said the tweet meant that “people want safer streets.”";
        assert_eq!(
            speakers(t, "en", &[("Rubio", P), ("Christie", P)]),
            pairs(&[
                ("must increase our efforts at home and abroad.", "Rubio"),
                ("people want safer streets.", "Christie"),
            ])
        );
    }

    #[test]
    fn a_place_after_of_the_is_not_the_speaker() {
        let t = "The panel voted.\n\"This is a waste of time for all of us,\" said Del. Stacey Plaskett of the Virgin Islands.";
        let got = run(
            t,
            "en",
            &[
                ("Stacey Plaskett", P),
                ("Virgin Islands", PartyKind::Location),
            ],
        );
        assert_eq!(got[0].1, "Stacey Plaskett");
    }

    #[test]
    fn the_one_told_is_not_the_speaker() {
        let t = "The rally ended late.\nCarson did not name his rivals, but told his supporters, “our nation is in horrible trouble.”";
        assert_eq!(
            speakers(t, "en", &[("Carson", P)]),
            pairs(&[("our nation is in horrible trouble.", "Carson")])
        );
    }

    #[test]
    fn languages_without_data_still_get_quotes() {
        let t = "Он сказал: «Мы готовы к переговорам сегодня».";
        let got = run(t, "ru", &[]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "Мы готовы к переговорам сегодня");
    }

    proptest::proptest! {
        #[test]
        fn quotes_never_partly_overlap_and_spans_are_exact(
            text in "([A-Za-z ]{0,6}|[«»“”\"'‘’:,.—\n]| said | a dit | il | he ){0,60}"
        ) {
            let doc = Prepared::new(&text, None, Some(Language::from_tag("en").expect("tag")));
            let quotes = QuoteExtractor.extract(&doc, &[], &Options::default());
            for (i, a) in quotes.iter().enumerate() {
                proptest::prop_assert!(text.is_char_boundary(a.span.start) && text.is_char_boundary(a.span.end));
                for s in a.speaker_span.iter().chain(a.cue.iter()) {
                    proptest::prop_assert!(s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
                }
                for b in &quotes[i + 1..] {
                    proptest::prop_assert!(!a.span.overlaps(&b.span) || a.span.contains(&b.span) || b.span.contains(&a.span));
                }
            }
        }
    }

    #[test]
    fn a_hundred_thousand_unbalanced_marks_in_linear_time() {
        let mut text = String::from("Le ministre a déclaré : ");
        for i in 0..100_000 {
            text.push_str(["« a ", "“b ", "\" c ", "‘d ", "» ", "” ", "— ", "\n"][i % 8]);
        }
        let doc = Prepared::new(&text, None, Some(Language::from_tag("fr").expect("tag")));
        let start = std::time::Instant::now();
        let _ = QuoteExtractor.extract(&doc, &[], &Options::default());
        assert!(
            start.elapsed().as_secs_f32() < 2.0,
            "took {:?}",
            start.elapsed()
        );
    }
}
