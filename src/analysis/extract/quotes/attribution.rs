//! Who said a quotation: cue words around it and the noun phrase they point to.
//!
//! The context of a quotation is the text of its own sentence outside any quotation: on the left, from
//! the end of the previous quotation or sentence of the same line; on the right, up to the next
//! quotation or the end of the sentence. The patterns tried, in order:
//! 1. a cue right after the quotation, with nothing but punctuation before it or its subject
//!    (`“…,” said X`, `“…,” X said`, `«…», a-t-il dit`, `«…», selon X`);
//! 2. the last cue before the quotation (`X said: “…”`, `X a souligné que «…»`, `according to X, “…”`),
//!    its subject found left of the verb across auxiliaries, a relative pronoun or an apposition
//!    (`X, the minister, said`, `X, who said`);
//! 3. any other cue after the quotation in its sentence;
//! 4. a name or noun phrase and a colon right before the quotation (`X: «…»`), or a name right before
//!    a quotation that goes on as its verb phrase (`Vladimir Poutine «a proposé …»`).
//!
//! A speaker is a span of the text; the caller matches it to a party and resolves pronouns.

use super::super::super::analyzer::Prepared;
use super::super::super::span::Span;
use super::super::super::token::{Token, TokenKind};
use super::lexicon::{CueKind, PronounKind, QuoteLexicon, WordClass};
use std::cell::{Cell, OnceCell};

/// Longest speaker noun phrase, in tokens.
const MAX_NP: usize = 8;
/// Longest bracket after a name (`(D-Wis.)`, `(R-Tex.)`), in tokens.
const MAX_BRACKET: usize = 7;
/// Longest stretch of appositions and relative clauses between a speaker and its verb, in tokens.
const MAX_APPOSITIONS: usize = 30;
/// How far after a quotation a cue still attaches to it as `“…,” X said`.
const NEAR_RIGHT: usize = 24;

/// A speaker mention and its cue, as found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    /// The noun phrase or pronoun naming the speaker.
    pub(crate) speaker: Option<Span>,
    /// Set when the speaker is a personal pronoun.
    pub(crate) pronoun: Option<PronounKind>,
    /// The cue.
    pub(crate) cue: Option<Span>,
}

/// Token-level view of one context (a slice of the document's tokens).
pub(crate) struct Context<'p, 'a> {
    doc: &'p Prepared<'a>,
    lex: &'static QuoteLexicon,
    toks: &'p [Token],
    /// The cue at each token, filled on first use: the patterns ask for the same tokens many times.
    cue_memo: OnceCell<Vec<Cell<Memo>>>,
}

/// A memoised cue look-up: not yet asked, or the answer.
#[derive(Debug, Clone, Copy)]
enum Memo {
    Unknown,
    Known(Option<Cue>),
}

#[derive(Debug, Clone, Copy)]
struct Cue {
    kind: CueKind,
    /// First token.
    start: usize,
    /// One past the last token.
    end: usize,
    /// A pronoun glued to the verb (`a-t-il`, `dit-elle`): its span and kind.
    glued: Option<(Span, PronounKind)>,
}

/// Whether token `i` of `toks` ends a sentence. Words, most tokens, are told in line.
#[inline]
pub(crate) fn is_terminator(doc: &Prepared<'_>, toks: &[Token], i: usize) -> bool {
    toks[i].kind == TokenKind::Punct && punct_is_terminator(doc, toks, i)
}

/// [`is_terminator`] for a punctuation token.
fn punct_is_terminator(doc: &Prepared<'_>, toks: &[Token], i: usize) -> bool {
    let t = &toks[i];
    match doc.norm(t) {
        "!" | "?" | "…" | ";" => true,
        n if n.starts_with("..") || n.starts_with("!!") || n.starts_with("??") => true,
        // Not after an abbreviation, nor inside a bracket (`(I-Vt.)`).
        "." => {
            let after_abbreviation = i > 0 && is_abbreviation(doc, &toks[i - 1]);
            let in_bracket = toks
                .get(i + 1)
                .is_some_and(|n| n.span.start == t.span.end && doc.norm(n) == ")");
            !after_abbreviation && !in_bracket
        }
        _ => false,
    }
}

fn is_abbreviation(doc: &Prepared<'_>, t: &Token) -> bool {
    t.is_word() && doc.data.abbreviations.contains(doc.norm(t))
}

/// Tokens of `doc` inside `range`.
pub(crate) fn tokens_in<'p>(doc: &'p Prepared<'_>, range: Span) -> &'p [Token] {
    tokens_within(&doc.tokens, range)
}

/// Tokens of `toks`, a run of the document's tokens, inside `range`: [`tokens_in`] searched in
/// fewer tokens when `toks` is what [`tokens_in`] gave for a range that starts where `range` does
/// and ends at or after it (tokens do not overlap, so the one it may have left out at its end would
/// be left out here too).
pub(crate) fn tokens_within(toks: &[Token], range: Span) -> &[Token] {
    let a = toks.partition_point(|t| t.span.start < range.start);
    // The end is searched for after the start only (an empty or reversed range gives `a`).
    let b = a + toks[a..].partition_point(|t| t.span.start < range.end);
    // A token that starts inside but runs past the end is left out.
    let b = if b > a && toks[b - 1].span.end > range.end {
        b - 1
    } else {
        b
    };
    &toks[a..b]
}

/// The left context: the tokens of `range` after its last sentence end.
pub(crate) fn left_context<'p>(doc: &'p Prepared<'_>, range: Span) -> &'p [Token] {
    let toks = tokens_in(doc, range);
    let cut = (0..toks.len())
        .rev()
        .find(|&i| is_terminator(doc, toks, i))
        .map_or(0, |i| i + 1);
    let toks = &toks[cut..];
    // Long sentences: only the last 40 tokens can hold the attribution.
    &toks[toks.len().saturating_sub(40)..]
}

impl<'p, 'a> Context<'p, 'a> {
    /// A context over `toks`.
    pub(crate) fn new(
        doc: &'p Prepared<'a>,
        lex: &'static QuoteLexicon,
        toks: &'p [Token],
    ) -> Self {
        Context {
            doc,
            lex,
            toks,
            cue_memo: OnceCell::new(),
        }
    }

    /// Whether a cue starts at token `i`.
    pub(crate) fn is_cue(&self, i: usize) -> bool {
        self.cue_at(i).is_some()
    }

    /// Whether the context holds a word.
    pub(crate) fn has_words(&self) -> bool {
        self.toks.iter().any(Token::is_word)
    }

    fn norm(&self, i: usize) -> Option<&'p str> {
        self.toks.get(i).map(|t| self.doc.norm(t))
    }

    fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(Token::is_word)
    }

    fn is_punct(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == TokenKind::Punct)
    }

    fn pronoun(&self, i: usize) -> Option<PronounKind> {
        self.class(i).pronoun
    }

    /// What the lexicon says of token `i` (nothing past the end).
    fn class(&self, i: usize) -> WordClass {
        self.norm(i)
            .map_or(WordClass::default(), |n| self.lex.class(n))
    }

    fn capitalized(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.is_capitalized(self.doc.text))
    }

    fn span(&self, a: usize, b: usize) -> Span {
        Span::new(self.toks[a].span.start, self.toks[b - 1].span.end)
    }

    /// A verb with a pronoun glued by hyphens (`a-t-il`, `ajoute-t-elle`, `dit-il`): the verb part and
    /// the pronoun's span and kind.
    fn glued_pronoun(&self, i: usize) -> Option<(&'p str, Span, PronounKind)> {
        let norm = self.norm(i)?;
        // Most tokens hold no hyphen: a byte scan tells, without a string searcher.
        let dash = norm.bytes().rposition(|b| b == b'-')?;
        let (head, tail) = (&norm[..dash], &norm[dash + 1..]);
        let kind = *self.lex.pronouns.get(tail)?;
        let verb = head.strip_suffix("-t").unwrap_or(head);
        let t = &self.toks[i];
        let surface = t.span.slice(self.doc.text);
        let cut = surface.rfind('-')? + 1;
        Some((verb, Span::new(t.span.start + cut, t.span.end), kind))
    }

    /// The cue starting at token `i`, looked up once per token.
    fn cue_at(&self, i: usize) -> Option<Cue> {
        let memo = self
            .cue_memo
            .get_or_init(|| vec![Cell::new(Memo::Unknown); self.toks.len()]);
        let Some(slot) = memo.get(i) else {
            return self.find_cue(i);
        };
        if let Memo::Known(c) = slot.get() {
            return c;
        }
        let c = self.find_cue(i);
        slot.set(Memo::Known(c));
        c
    }

    /// The cue starting at token `i`, from the lexicon.
    fn find_cue(&self, i: usize) -> Option<Cue> {
        // Most words neither may open a cue nor hold a hyphen (`a-t-il`): ruled out at once.
        let norm = self.norm(i)?;
        if !self.lex.may_open_cue(norm) && !norm.as_bytes().contains(&b'-') {
            return None;
        }
        if let Some((verb, span, kind)) = self.glued_pronoun(i) {
            let one = [verb];
            let is_verb = self.lex.verbs.longest_at(|k| one.get(k).copied()).is_some();
            let is_aux = self.lex.aux.longest_at(|k| one.get(k).copied()).is_some();
            let next_verb = is_aux
                && self
                    .lex
                    .verbs
                    .longest_at(|k| self.norm(i + 1 + k))
                    .is_some();
            if is_verb || next_verb {
                return Some(Cue {
                    kind: CueKind::Verb,
                    start: i,
                    end: i + 1 + usize::from(next_verb && !is_verb),
                    glued: Some((span, kind)),
                });
            }
        }
        let (kind, n) = self.lex.cue_at(|k| self.norm(i + k))?;
        // A capitalised verb form after a word is part of a name ("the United States"); one after a
        // determiner is a noun ("the tweet").
        if kind == CueKind::Verb
            && i > 0
            && ((self.capitalized(i) && self.is_word(i - 1))
                || self
                    .norm(i - 1)
                    .is_some_and(|d| self.lex.noun_det.contains(d)))
        {
            return None;
        }
        Some(Cue {
            kind,
            start: i,
            end: i + n,
            glued: None,
        })
    }

    /// Number of tokens of an auxiliary phrase ending just before token `end`.
    fn aux_before(&self, end: usize) -> usize {
        (1..=end.min(4))
            .find(|&n| {
                self.lex
                    .aux
                    .longest_at(|k| (k < n).then(|| self.norm(end - n + k)).flatten())
                    == Some(n)
            })
            .unwrap_or(0)
    }

    /// Whether token `i` may stand inside a speaker's noun phrase, and whether it must open it.
    fn np_token(&self, i: usize) -> Option<bool> {
        let t = self.toks.get(i)?;
        let norm = self.doc.norm(t);
        match t.kind {
            TokenKind::Word => {
                let class = self.lex.class(norm);
                if class.prep || norm == "'s" {
                    Some(false)
                } else if class.det {
                    Some(true)
                } else if (t.is_stop && !t.is_capitalized(self.doc.text))
                    || self.cue_at(i).is_some()
                    || class.pronoun.is_some()
                {
                    None
                } else {
                    Some(false)
                }
            }
            TokenKind::Number => Some(false),
            TokenKind::Punct => {
                (norm == "." && i > 0 && is_abbreviation(self.doc, &self.toks[i - 1]))
                    .then_some(false)
            }
        }
    }

    /// A noun phrase ending just before token `end`: (first token, end).
    fn np_ending_at(&self, end: usize) -> Option<(usize, usize)> {
        if end == 0 {
            return None;
        }
        if self.pronoun(end - 1).is_some() {
            return Some((end - 1, end));
        }
        let mut start = end;
        // "Sen. Bernie Sanders (I-Vt.)": a short bracket after a name belongs to it.
        if self.norm(end - 1) == Some(")") {
            if let Some(open) = (end.saturating_sub(MAX_BRACKET)..end - 1)
                .rev()
                .find(|&k| self.norm(k) == Some("("))
            {
                let (a, _) = self.np_ending_at(open)?;
                return Some((a, end));
            }
        }
        while start > 0 && end - start < MAX_NP {
            match self.np_token(start - 1) {
                Some(opens) => {
                    start -= 1;
                    // "Marine Le Pen": a capitalised article inside a name does not open the phrase.
                    let in_name =
                        start > 0 && self.capitalized(start) && self.capitalized(start - 1);
                    if opens && !in_name {
                        break;
                    }
                }
                None => break,
            }
        }
        self.clean_np(start, end)
    }

    /// A noun phrase starting at token `start`: (start, end).
    fn np_starting_at(&self, start: usize) -> Option<(usize, usize)> {
        if self.pronoun(start).is_some() {
            return Some((start, start + 1));
        }
        let mut end = start;
        while end < self.toks.len() && end - start < MAX_NP {
            match self.np_token(end) {
                // A determiner opens a phrase, or follows a preposition inside one.
                Some(true)
                    if end > start
                        && !self
                            .norm(end - 1)
                            .is_some_and(|n| self.lex.prep.contains(n)) =>
                {
                    break
                }
                Some(_) => end += 1,
                None => break,
            }
        }
        let (a, b) = self.clean_np(start, end)?;
        // "said the spokesman, John Smith": the name in apposition is the better mention.
        if !(a..b).any(|k| self.capitalized(k))
            && self.norm(b) == Some(",")
            && self.capitalized(b + 1)
        {
            if let Some(named) = self.np_starting_at(b + 1) {
                return Some(named);
            }
        }
        Some((a, b))
    }

    /// Trims prepositions and determiners off the ends; a phrase needs a content word.
    fn clean_np(&self, mut a: usize, mut b: usize) -> Option<(usize, usize)> {
        let norm = |i: usize| self.norm(i).unwrap_or("");
        while a < b && (self.class(a).prep || norm(a) == "'s") {
            a += 1;
        }
        while b > a && {
            let class = self.class(b - 1);
            class.prep || class.det || self.is_punct(b - 1)
        } {
            b -= 1;
        }
        let content = (a..b).any(|k| {
            norm(k) != "'s"
                && self.is_word(k)
                && (!self.toks[k].is_stop || self.capitalized(k))
                && !self.class(k).det
        });
        (a < b && content).then_some((a, b))
    }

    /// The subject of a verb starting at token `verb`: across auxiliaries, a relative pronoun
    /// (`X, who said`) or an apposition (`X, the minister, said`).
    fn subject_before(&self, verb: usize) -> Option<(usize, usize)> {
        let mut end = verb;
        loop {
            let n = self.aux_before(end);
            if n == 0 {
                break;
            }
            end -= n;
        }
        if end > 0
            && self
                .norm(end - 1)
                .is_some_and(|n| self.lex.relative.contains(n))
        {
            end -= 1;
            if self.norm(end.wrapping_sub(1)) == Some(",") {
                end -= 1;
            }
            return self.np_ending_at(end);
        }
        if end > 0 && self.norm(end - 1) == Some(",") {
            let comma = end - 1;
            if let Some(named) = self.named_before_appositions(comma) {
                return Some(named);
            }
            return self
                .np_ending_at(comma)
                .filter(|&(a, _)| a == 0 || self.is_punct(a - 1));
        }
        self.np_ending_at(end)
    }

    /// The name before the appositions and relative clauses that end at token `comma`, each set off
    /// by commas (`Adam Green, co-founder of the Progressive Change Committee, said`, `Harry Bond,
    /// 30, of Raleigh, who was polled, said`): the leftmost capitalised noun phrase that is no
    /// preposition's object.
    fn named_before_appositions(&self, comma: usize) -> Option<(usize, usize)> {
        let lo = comma.saturating_sub(MAX_APPOSITIONS);
        let mut seg_end = comma;
        let mut named = None;
        while let Some(prev) = (lo..seg_end).rev().find(|&k| self.norm(k) == Some(",")) {
            let seg = prev + 1..seg_end;
            let relative = self
                .norm(seg.start)
                .is_some_and(|n| self.lex.relative.contains(n));
            let apposition = seg.clone().all(|k| self.np_token(k).is_some());
            if seg.is_empty() || !(relative || apposition) {
                break;
            }
            if let Some((a, b)) = self.np_ending_at(prev) {
                let object = a > 0 && self.norm(a - 1).is_some_and(|n| self.lex.prep.contains(n));
                if b == prev && !object && (a..b).any(|k| self.capitalized(k)) {
                    named = Some((a, b));
                }
            }
            seg_end = prev;
        }
        named
    }

    /// The noun phrase opening the context before token `end`, when it starts with a capital or is a
    /// pronoun: the subject of the sentence.
    fn sentence_subject(&self, end: usize) -> Option<(usize, usize)> {
        let first = (0..end).find(|&k| self.is_word(k))?;
        (self.capitalized(first) || self.pronoun(first).is_some())
            .then(|| self.np_starting_at(first))
            .flatten()
    }

    fn is_gerund(&self, i: usize) -> bool {
        self.norm(i).is_some_and(|n| self.lex.is_gerund(n))
    }

    /// Whether a one-word speaker is a function word, an adverb of the lexicon's `aux` list, or an
    /// adverb or participle in lower case (`After`, `Later`, `still`, `formally`, `suing`): words that
    /// cannot name who spoke.
    fn not_a_speaker(&self, a: usize) -> bool {
        let Some(t) = self.toks.get(a) else {
            return true;
        };
        let norm = self.doc.norm(t);
        let one = [norm];
        let adverb = self.lex.aux.longest_at(|k| one.get(k).copied()) == Some(1);
        self.pronoun(a).is_none()
            && (t.is_stop
                || adverb
                || (!self.capitalized(a) && (norm.ends_with("ly") || norm.ends_with("ing"))))
    }

    fn found(&self, np: Option<(usize, usize)>, cue: Option<Span>) -> Option<Found> {
        let (a, b) = np?;
        if b == a + 1 && self.not_a_speaker(a) {
            return None;
        }
        Some(Found {
            speaker: Some(self.span(a, b)),
            pronoun: if b == a + 1 { self.pronoun(a) } else { None },
            cue,
        })
    }

    /// The speaker of a cue's verb or source phrase.
    fn speaker_of(&self, cue: Cue) -> Option<Found> {
        let cue_span = Some(self.span(cue.start, cue.end));
        if let Some((span, kind)) = cue.glued {
            return Some(Found {
                speaker: Some(span),
                pronoun: Some(kind),
                cue: cue_span,
            });
        }
        match cue.kind {
            CueKind::Source => self.found(self.np_starting_at(cue.end), cue_span),
            CueKind::Verb if self.is_gerund(cue.start) => {
                // "X said …, adding “…”": the speaker of the sentence's main verb, or its subject.
                let main = self
                    .cues()
                    .take_while(|c| c.start < cue.start)
                    .filter(|c| !self.is_gerund(c.start))
                    .filter_map(|c| self.speaker_of(c))
                    .last();
                if let Some(f) = main {
                    return Some(Found { cue: cue_span, ..f });
                }
                self.found(self.sentence_subject(cue.start), cue_span)
            }
            CueKind::Verb
                if self
                    .norm(cue.start)
                    .is_some_and(|n| self.lex.addressee.contains(n)) =>
            {
                // "told his supporters": the noun phrase after is who was spoken to; the speaker is
                // the verb's subject, or the sentence's.
                let np = self
                    .subject_before(cue.start)
                    .or_else(|| self.sentence_subject(cue.start));
                self.found(np, cue_span)
            }
            CueKind::Verb => {
                let subject = self.subject_before(cue.start);
                let np = subject.or_else(|| {
                    // Inversion: "said X", "a déclaré X", "estime pour sa part X".
                    let mut k = cue.end;
                    while let Some(n) = self
                        .lex
                        .verbs
                        .longest_at(|j| self.norm(k + j))
                        .or_else(|| self.lex.aux.longest_at(|j| self.norm(k + j)))
                    {
                        k += n;
                    }
                    self.np_starting_at(k)
                });
                self.found(np, cue_span)
            }
        }
    }

    fn cues(&self) -> impl Iterator<Item = Cue> + '_ {
        let mut i = 0;
        std::iter::from_fn(move || {
            while i < self.toks.len() {
                let here = i;
                i += 1;
                if let Some(c) = self.cue_at(here) {
                    i = c.end;
                    return Some(c);
                }
            }
            None
        })
    }
}

/// Finds the speaker of a quotation from its left and right contexts; `lowercase_start` tells whether
/// the quotation's text begins in lower case (it then may go on from a name before it).
pub(crate) fn attribute(
    left: &Context<'_, '_>,
    right: &Context<'_, '_>,
    lowercase_start: bool,
) -> Option<Found> {
    // 0. "“…” — X": a dash and a name after the quotation.
    if right
        .norm(0)
        .is_some_and(|n| matches!(n, "—" | "―" | "–" | "-"))
        && right.capitalized(1)
    {
        if let Some(f) = right.found(right.np_starting_at(1), Some(right.toks[0].span)) {
            return Some(f);
        }
    }
    // 1. "“…,” said X" / "“…,” X said" / "«…», selon X".
    if let Some(cue) = right.cues().next().filter(|c| c.start < NEAR_RIGHT) {
        let lead = (0..cue.start)
            .find(|&k| !right.is_punct(k) && right.aux_before(k + 1) == 0)
            .unwrap_or(cue.start);
        let found = right.speaker_of(cue);
        let speaker_start = found.and_then(|f| f.speaker).map_or(usize::MAX, |s| {
            right.toks.partition_point(|t| t.span.start < s.start)
        });
        if (lead == cue.start || speaker_start == lead || cue.glued.is_some()) && found.is_some() {
            return found;
        }
    }
    // 2. The last cue before the quotation.
    let last = left.cues().filter_map(|c| left.speaker_of(c)).last();
    if last.is_some() {
        return last;
    }
    // 3. Any cue after it in its sentence.
    if let Some(found) = right.cues().find_map(|c| right.speaker_of(c)) {
        return Some(found);
    }
    // 4. "X: «…»" and "Vladimir Poutine «a proposé…»".
    let n = left.toks.len();
    if n > 0 && left.norm(n - 1) == Some(":") {
        let cue = Some(left.toks[n - 1].span);
        return left.found(left.np_ending_at(n - 1), cue);
    }
    if lowercase_start && n > 0 && left.capitalized(n - 1) {
        return left.found(left.np_ending_at(n), None);
    }
    None
}
