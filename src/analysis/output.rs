//! The result of an analysis, in byte offsets into the document's text.

use chrono::NaiveDate;

use super::lang::Language;
use super::span::Span;

/// Everything found in one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The language the article was analysed in.
    pub language: Language,
    /// Every sentence, when asked for.
    pub sentences: Vec<SentenceOut>,
    /// Summary sentences, in the requested order.
    pub summary: Vec<SummarySentence>,
    /// Key quotes, in the requested order.
    pub quotes: Vec<Quote>,
    /// Named parties, most salient first.
    pub parties: Vec<Party>,
    /// Temporal expressions, in document order.
    pub dates: Vec<DateMention>,
    /// The date that relative expressions were resolved against.
    pub anchor: Option<DateAnchor>,
}

/// A sentence of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceOut {
    /// Where it is.
    pub span: Span,
    /// Whether it is the headline.
    pub is_headline: bool,
}

/// A sentence chosen for the summary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SummarySentence {
    /// Where it is.
    pub span: Span,
    /// Relevance in [0, 1].
    pub score: f32,
    /// Index among all sentences.
    pub sentence_index: usize,
}

/// A direct quotation.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    /// The words inside the quote marks.
    pub span: Span,
    /// The speaker's name, when known.
    pub speaker: Option<String>,
    /// The mention attributing the quote.
    pub speaker_span: Option<Span>,
    /// Index of the speaker in [`Analysis::parties`].
    pub speaker_party: Option<usize>,
    /// The cue word or phrase.
    pub cue: Option<Span>,
    /// Rank score in [0, 1].
    pub score: f32,
}

/// Kind of a named party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartyKind {
    /// A person.
    Person,
    /// An organisation.
    Organization,
    /// A place.
    Location,
}

/// A person, organisation or place with all its mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    /// The fullest form of its name.
    pub name: String,
    /// Its kind.
    pub kind: PartyKind,
    /// Every mention, in document order.
    pub mentions: Vec<Span>,
    /// Importance in [0, 1].
    pub salience: f32,
    /// A title or function seen with a person.
    pub role: Option<String>,
}

/// TIMEX3 type of a temporal expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    /// A calendar date or period.
    Date,
    /// A time of day.
    Time,
    /// A length of time.
    Duration,
    /// A recurrence.
    Set,
}

/// Finest unit of a temporal value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grain {
    /// Year, decade or century.
    Year,
    /// Quarter or season.
    Quarter,
    /// Month.
    Month,
    /// ISO week.
    Week,
    /// Day.
    Day,
    /// Hour or part of day.
    Hour,
    /// Minute.
    Minute,
    /// Second.
    Second,
}

/// A range's bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateRange {
    /// First value.
    pub start: String,
    /// Last value.
    pub end: String,
    /// Whether `end` is included.
    pub end_inclusive: bool,
}

/// A temporal expression.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMention {
    /// Where it is.
    pub span: Span,
    /// TIMEX3 value.
    pub value: String,
    /// TIMEX3 type.
    pub kind: DateKind,
    /// Finest unit; `None` for vague references.
    pub grain: Option<Grain>,
    /// Whether the value was computed from the anchor.
    pub anchored: bool,
    /// False when relative and no anchor was available.
    pub resolved: bool,
    /// Bounds, for ranges.
    pub range: Option<DateRange>,
}

/// Where the date anchor came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorSource {
    /// The caller's publication time.
    Published,
    /// A full date stated in the text.
    Text,
}

/// The reference date of relative expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateAnchor {
    /// The day.
    pub date: NaiveDate,
    /// Where it came from.
    pub source: AnchorSource,
    /// Where the text states it, when inferred from the text.
    pub span: Option<Span>,
}

impl Analysis {
    /// A result with nothing found yet, in `language`.
    pub fn empty(language: Language) -> Analysis {
        Analysis {
            language,
            sentences: Vec::new(),
            summary: Vec::new(),
            quotes: Vec::new(),
            parties: Vec::new(),
            dates: Vec::new(),
            anchor: None,
        }
    }

    /// Calls `f` on every offset of every span in the result, so that the API edge can convert them all
    /// to another encoding in one pass.
    pub fn for_each_offset_mut(&mut self, mut f: impl FnMut(&mut usize)) {
        let mut span = |s: &mut Span| {
            f(&mut s.start);
            f(&mut s.end);
        };
        self.sentences.iter_mut().for_each(|s| span(&mut s.span));
        self.summary.iter_mut().for_each(|s| span(&mut s.span));
        for q in &mut self.quotes {
            span(&mut q.span);
            q.speaker_span.iter_mut().for_each(&mut span);
            q.cue.iter_mut().for_each(&mut span);
        }
        self.parties
            .iter_mut()
            .flat_map(|p| p.mentions.iter_mut())
            .for_each(&mut span);
        self.dates.iter_mut().for_each(|d| span(&mut d.span));
        if let Some(a) = &mut self.anchor {
            a.span.iter_mut().for_each(&mut span);
        }
    }

    /// Every span in the result, for checks.
    pub fn spans(&self) -> Vec<Span> {
        let mut this = self.clone();
        let mut offsets = Vec::new();
        this.for_each_offset_mut(|o| offsets.push(*o));
        offsets.chunks(2).map(|p| Span::new(p[0], p[1])).collect()
    }
}
