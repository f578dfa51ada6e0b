//! Direct quotations and their speakers.
//!
//! First version: text between paired quote marks.

use super::super::analyzer::{Options, Prepared};
use super::super::output::{Party, Quote};
use super::super::span::Span;

/// Finds quotations.
#[derive(Debug, Default)]
pub struct QuoteExtractor;

impl QuoteExtractor {
    /// Quotes of the document.
    pub fn extract(&self, doc: &Prepared<'_>, _parties: &[Party], opts: &Options) -> Vec<Quote> {
        let mut quotes = Vec::new();
        let mut open: Option<(char, usize)> = None;
        for (i, c) in doc.text.char_indices() {
            match (open, c) {
                (None, '«' | '“') => open = Some((c, i + c.len_utf8())),
                (Some(('«', s)), '»') | (Some(('“', s)), '”') => {
                    let span = Span::new(s, i);
                    let inner = span.slice(doc.text);
                    let lead = inner.len() - inner.trim_start().len();
                    let trail = inner.len() - inner.trim_end().len();
                    let span = Span::new(s + lead, i - trail);
                    if span.slice(doc.text).split_whitespace().count() >= 3 {
                        quotes.push(Quote {
                            span,
                            speaker: None,
                            speaker_span: None,
                            speaker_party: None,
                            cue: None,
                            score: 0.5,
                        });
                    }
                    open = None;
                }
                (Some(_), '\n') => open = None,
                _ => {}
            }
        }
        if let Some(n) = opts.max_quotes {
            quotes.truncate(n);
        }
        quotes
    }
}
