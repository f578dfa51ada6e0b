//! Merging mentions into parties, and ranking the parties.
//!
//! - **Type agreement**: the same name tagged with different types in one article takes its majority type.
//! - **Full names first**: mentions of several words are taken longest first; each joins the party with
//!   the same folded name, or, for people, the party whose name contains all its words (`Vladimir
//!   Poutine` joins `Vladimir Vladimirovitch Poutine`; `Bill Clinton` does not join `Hillary Clinton`).
//! - **Then single words**: a single word joins a party of its type by acronym (`ONU` ->
//!   `Organisation des Nations unies`, `U.S.` -> `United States`) or, for people, by name word (`Poutine`
//!   -> `Vladimir Poutine`); when two people share the word, the one mentioned in full most recently
//!   before it wins (or the first after it).
//!
//! Every lookup goes through a hash index (full name, name word, acronym), so merging is linear in the
//! number of mentions. Parties of different types never merge.

use super::super::super::analyzer::Prepared;
use super::super::super::output::{Party, PartyKind, SummarySentence};
use super::super::super::segment::SegmentKind;
use super::features::DocFeatures;
use super::gazetteer::{seq_hash, Resources};
use super::hash::{hash_folded, push_folded, FastMap, Hasher, Prehashed, FOLD_SEED};
use super::Mention;

/// Folded key of a token, ignoring periods (`U.S.` = `US`).
fn token_key(s: &str) -> u64 {
    let mut h = Hasher::new(FOLD_SEED);
    s.chars()
        .filter(|&c| c != '.')
        .for_each(|c| push_folded(&mut h, c));
    h.finish()
}

fn kind_code(k: PartyKind) -> u8 {
    match k {
        PartyKind::Person => 0,
        PartyKind::Organization => 1,
        PartyKind::Location => 2,
    }
}

/// A mention's words that carry the name (no punctuation, no lower-case function words).
struct Words {
    keys: Vec<u64>,
    full: u64,
}

fn words(doc: &Prepared<'_>, m: &Mention) -> Words {
    let mut keys = Vec::with_capacity(m.tokens.len());
    let mut full = 0;
    for t in &doc.tokens[m.tokens.clone()] {
        if !t.is_word() {
            continue;
        }
        let k = token_key(doc.surface(t));
        full = seq_hash(full, k);
        if !t.is_stop || t.is_capitalized(doc.text) {
            keys.push(k);
        }
    }
    Words { keys, full }
}

/// Acronyms a name may be written as: initials of its capitalised words, and of all its content words
/// (`Organisation des Nations unies` -> `ONU`, `United States` -> `US`).
fn acronyms(doc: &Prepared<'_>, m: &Mention, res: &Resources) -> Vec<u64> {
    let toks = &doc.tokens[m.tokens.clone()];
    let mut out = Vec::with_capacity(3);
    if toks.len() == 1 {
        let s = doc.surface(&toks[0]);
        if s.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !s.chars().any(char::is_lowercase)
        {
            out.push(token_key(s));
        }
        return out;
    }
    let mut caps = Hasher::new(FOLD_SEED);
    let mut content = Hasher::new(FOLD_SEED);
    let (mut nc, mut nn) = (0, 0);
    for t in toks.iter().filter(|t| t.is_word()) {
        let s = doc.surface(t);
        for part in s.split(['-', '‐']) {
            let Some(c) = part.chars().next() else {
                continue;
            };
            if c.is_uppercase() {
                push_folded(&mut caps, c);
                nc += 1;
            }
            if !t.is_stop {
                push_folded(&mut content, c);
                nn += 1;
            }
        }
    }
    if nc >= 2 {
        out.push(caps.finish());
    }
    if nn >= 2 {
        out.push(content.finish());
    }
    if let Some(&a) = res.acronyms.get(&hash_folded(m.span.slice(doc.text))) {
        out.push(a);
    }
    out
}

/// A map with room for `n` entries: sized once for the mentions rather than grown step by step.
fn sized<K, V>(n: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(n, Prehashed)
}

struct Builder {
    kind: PartyKind,
    name_keys: Vec<u64>,
    name: usize,
    mentions: Vec<usize>,
    anchors: Vec<usize>,
}

/// Merges mentions (in document order) into parties, most salient first.
pub(crate) fn parties(
    doc: &Prepared<'_>,
    df: &DocFeatures<'_>,
    mentions: &[Mention],
    summary: &[SummarySentence],
    res: &Resources,
) -> Vec<Party> {
    let propagated = propagate(doc, df, mentions);
    let mentions = &propagated[..];
    let n = mentions.len();
    let info: Vec<Words> = mentions.iter().map(|m| words(doc, m)).collect();
    // Type agreement by full name; a person's surname alone votes for a person.
    let mut votes: FastMap<u64, [u32; 3]> = sized(2 * n);
    for (m, w) in mentions.iter().zip(&info) {
        votes.entry(w.full).or_default()[kind_code(m.kind) as usize] += 1;
        if m.kind == PartyKind::Person && w.keys.len() > 1 {
            if let Some(&last) = w.keys.last() {
                votes.entry(seq_hash(0, last)).or_default()[0] += 2;
            }
        }
    }
    let kinds: Vec<PartyKind> = mentions
        .iter()
        .zip(&info)
        .map(|(m, w)| {
            let v = votes[&w.full];
            let own = v[kind_code(m.kind) as usize];
            let (best, count) = v
                .iter()
                .enumerate()
                .fold((0, 0), |b, (k, &c)| if c > b.1 { (k, c) } else { b });
            if count > own {
                [
                    PartyKind::Person,
                    PartyKind::Organization,
                    PartyKind::Location,
                ][best]
            } else {
                m.kind
            }
        })
        .collect();

    let mut parties: Vec<Builder> = Vec::new();
    let mut by_full: FastMap<(u8, u64), usize> = sized(n);
    let mut by_word: FastMap<(u8, u64), Vec<usize>> = sized(2 * n);
    let mut by_acronym: FastMap<(u8, u64), usize> = sized(2 * n);
    let mut order: Vec<usize> = (0..n).filter(|&i| !info[i].keys.is_empty()).collect();
    order.sort_by_key(|&i| (usize::MAX - info[i].keys.len(), mentions[i].span.start));
    let mut anchors_sorted = false;
    for &i in &order {
        let m = &mentions[i];
        let kind = kinds[i];
        let kc = kind_code(kind);
        let w = &info[i];
        let single = w.keys.len() == 1;
        if single && !anchors_sorted {
            parties.iter_mut().for_each(|p| p.anchors.sort_unstable());
            anchors_sorted = true;
        }
        let mut target = by_full.get(&(kc, w.full)).copied();
        if target.is_none() && single {
            target = acronyms(doc, m, res)
                .first()
                .and_then(|a| by_acronym.get(&(kc, *a)).copied());
        }
        if target.is_none() && kind == PartyKind::Person {
            let last = *w.keys.last().unwrap_or(&0);
            if let Some(cands) = by_word.get(&(kc, last)) {
                let fits: Vec<usize> = cands
                    .iter()
                    .copied()
                    .filter(|&p| w.keys.iter().all(|k| parties[p].name_keys.contains(k)))
                    .collect();
                target = nearest(&parties, &fits, m.span.start);
            }
        }
        match target {
            Some(p) => {
                let b = &mut parties[p];
                b.mentions.push(i);
                if !single {
                    b.anchors.push(m.span.start);
                }
            }
            None => {
                let p = parties.len();
                by_full.insert((kc, w.full), p);
                if kind == PartyKind::Person {
                    for &k in &w.keys {
                        let e = by_word.entry((kc, k)).or_default();
                        if e.last() != Some(&p) {
                            e.push(p);
                        }
                    }
                }
                for a in acronyms(doc, m, res) {
                    by_acronym.entry((kc, a)).or_insert(p);
                }
                parties.push(Builder {
                    kind,
                    name_keys: w.keys.clone(),
                    name: i,
                    mentions: vec![i],
                    anchors: vec![m.span.start],
                });
            }
        }
    }
    rank(doc, mentions, parties, summary)
}

/// Adds the mentions the tagger missed: a capitalised word outside every mention that is, elsewhere in
/// the article, a one-word mention or a person's surname (`Poutine` in a headline after `Vladimir
/// Poutine` in the text). Returns all mentions in document order.
fn propagate(doc: &Prepared<'_>, df: &DocFeatures<'_>, mentions: &[Mention]) -> Vec<Mention> {
    let mut known: FastMap<u64, PartyKind> = sized(mentions.len());
    let mut covered = vec![false; doc.tokens.len()];
    for m in mentions {
        covered[m.tokens.clone()].iter_mut().for_each(|c| *c = true);
        let toks = &doc.tokens[m.tokens.clone()];
        let word_count = toks.iter().filter(|t| t.is_word()).count();
        let last = toks.iter().rev().find(|t| t.is_word());
        match (word_count, last) {
            (1, Some(t)) => {
                known.entry(token_key(doc.surface(t))).or_insert(m.kind);
            }
            (2.., Some(t)) if m.kind == PartyKind::Person => {
                known.insert(token_key(doc.surface(t)), PartyKind::Person);
            }
            _ => {}
        }
    }
    let mut out = mentions.to_vec();
    if known.is_empty() {
        return out;
    }
    for (i, t) in doc.tokens.iter().enumerate() {
        if covered[i] || !t.is_word() || !df.capitalized(i) || t.is_stop {
            continue;
        }
        if df.is_title(i) {
            continue;
        }
        // Not inside a longer capitalised name that the tagger left out on purpose.
        let cap_at = |k: usize| {
            doc.tokens.get(k).is_some_and(|n| {
                n.is_word() && df.capitalized(k) && n.sentence == t.sentence && !n.is_stop
            })
        };
        if cap_at(i + 1)
            || (i > 0 && cap_at(i - 1) && doc.sentences[t.sentence as usize].tokens.start != i)
        {
            continue;
        }
        if let Some(&kind) = known.get(&token_key(doc.surface(t))) {
            out.push(Mention {
                span: t.span,
                kind,
                tokens: i..i + 1,
                role: None,
            });
        }
    }
    out.sort_by_key(|m| m.span.start);
    out
}

/// Of several candidate parties, the one mentioned in full most recently before `pos`, else the
/// first one mentioned after it.
fn nearest(parties: &[Builder], cands: &[usize], pos: usize) -> Option<usize> {
    if cands.len() <= 1 {
        return cands.first().copied();
    }
    let before = cands
        .iter()
        .filter_map(|&p| {
            let a = &parties[p].anchors;
            let k = a.partition_point(|&x| x <= pos);
            (k > 0).then(|| (a[k - 1], p))
        })
        .max();
    before.map(|(_, p)| p).or_else(|| {
        cands
            .iter()
            .filter_map(|&p| parties[p].anchors.first().map(|&a| (a, p)))
            .min()
            .map(|(_, p)| p)
    })
}

/// Salience from mention count, first position, headline and summary presence; sorted, best first.
fn rank(
    doc: &Prepared<'_>,
    mentions: &[Mention],
    parties: Vec<Builder>,
    summary: &[SummarySentence],
) -> Vec<Party> {
    let max_mentions = parties.iter().map(|p| p.mentions.len()).max().unwrap_or(1) as f32;
    let len = doc.text.len().max(1) as f32;
    let headline_end = doc
        .sentences
        .iter()
        .take_while(|s| s.kind == SegmentKind::Headline)
        .map(|s| s.span.end)
        .last()
        .unwrap_or(0);
    let title = doc.title.map(str::to_lowercase);
    let mut out: Vec<(Party, usize)> = parties
        .into_iter()
        .map(|b| {
            let mut ms: Vec<usize> = b.mentions;
            ms.sort_by_key(|&i| mentions[i].span.start);
            let first = mentions[ms[0]].span.start;
            let name_m = &mentions[b.name];
            let name = name_m.span.slice(doc.text).to_string();
            let in_headline = ms.iter().any(|&i| mentions[i].span.end <= headline_end)
                || title.as_deref().is_some_and(|t| {
                    name.split_whitespace()
                        .last()
                        .is_some_and(|w| t.contains(&w.to_lowercase()))
                });
            let in_summary = ms
                .iter()
                .filter(|&&i| summary.iter().any(|s| s.span.contains(&mentions[i].span)))
                .count();
            let count = (1.0 + ms.len() as f32).ln() / (1.0 + max_mentions).ln();
            let salience = 0.45 * count
                + 0.2 * (1.0 - first as f32 / len)
                + 0.2 * f32::from(u8::from(in_headline))
                + 0.15 * (in_summary as f32 / 2.0).min(1.0);
            let role = ms.iter().find_map(|&i| {
                mentions[i].role.as_ref().map(|r| {
                    let toks = &doc.tokens;
                    doc.text[toks[r.start].span.start..toks[r.end - 1].span.end].to_string()
                })
            });
            let party = Party {
                name,
                kind: b.kind,
                mentions: ms.iter().map(|&i| mentions[i].span).collect(),
                salience: salience.clamp(0.0, 1.0),
                role,
            };
            (party, first)
        })
        .collect();
    out.sort_by(|a, b| b.0.salience.total_cmp(&a.0.salience).then(a.1.cmp(&b.1)));
    out.into_iter().map(|(p, _)| p).collect()
}
