//! Named parties: mentions of people, organisations and places, merged per real-world entity.
//!
//! First version: runs of capitalised words that do not start a sentence, merged by shared words.

use super::super::analyzer::Prepared;
use super::super::output::{Party, PartyKind, SummarySentence};
use super::super::span::Span;

/// Finds and merges party mentions.
#[derive(Debug, Default)]
pub struct EntityRecognizer;

impl EntityRecognizer {
    /// Loads the model and gazetteers.
    pub fn load() -> Self {
        EntityRecognizer
    }

    /// Parties of the document, most salient first.
    pub fn parties(&self, doc: &Prepared<'_>, _summary: &[SummarySentence]) -> Vec<Party> {
        let mut mentions: Vec<Span> = Vec::new();
        for (si, _) in doc.sentences.iter().enumerate() {
            let toks = doc.sentence_tokens(si);
            let mut i = 1; // the sentence's first word is capitalised anyway
            while i < toks.len() {
                if toks[i].is_word() && toks[i].is_capitalized(doc.text) && !toks[i].is_stop {
                    let start = i;
                    while i < toks.len() && toks[i].is_word() && toks[i].is_capitalized(doc.text) {
                        i += 1;
                    }
                    mentions.push(Span::new(toks[start].span.start, toks[i - 1].span.end));
                } else {
                    i += 1;
                }
            }
        }
        let mut parties: Vec<Party> = Vec::new();
        for m in mentions {
            let text = m.slice(doc.text);
            let last = text.split_whitespace().last().unwrap_or(text);
            match parties
                .iter_mut()
                .find(|p| p.name.split_whitespace().any(|w| w == last))
            {
                Some(p) => {
                    if text.len() > p.name.len() {
                        p.name = text.to_string();
                    }
                    p.mentions.push(m);
                }
                None => parties.push(Party {
                    name: text.to_string(),
                    kind: if text.contains(' ') {
                        PartyKind::Person
                    } else {
                        PartyKind::Location
                    },
                    mentions: vec![m],
                    salience: 0.0,
                    role: None,
                }),
            }
        }
        let max = parties.iter().map(|p| p.mentions.len()).max().unwrap_or(1) as f32;
        for p in &mut parties {
            p.salience = p.mentions.len() as f32 / max;
        }
        parties.sort_by(|a, b| b.salience.total_cmp(&a.salience));
        parties
    }
}
