//! A readable plain-text report of a response, for people trying Gleaner from a terminal.

use std::fmt::Write as _;

use super::pb;

/// Renders a response as a short report.
pub fn render(r: &pb::AnalyzeResponse) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Language: {}", r.language_code);
    if let Some(a) = &r.date_anchor {
        let _ = writeln!(out, "Date anchor: {} ({})", a.date, source_name(a.source));
    }
    if !r.sentences.is_empty() {
        let _ = writeln!(out, "\nSentences ({}):", r.sentences.len());
        for (i, s) in r.sentences.iter().enumerate() {
            let mark = if s.is_headline { " [headline]" } else { "" };
            let _ = writeln!(out, "  {i:>3}{mark} {}", s.text);
        }
    }
    let _ = writeln!(out, "\nSummary:");
    for s in &r.summary {
        let _ = writeln!(out, "  [{:.2}] #{} {}", s.score, s.sentence_index, s.text);
    }
    let _ = writeln!(out, "\nQuotes:");
    for q in &r.quotes {
        let who = if q.speaker.is_empty() {
            "?"
        } else {
            &q.speaker
        };
        let cue = if q.cue.is_empty() {
            String::new()
        } else {
            format!(" ({})", q.cue)
        };
        let _ = writeln!(out, "  {who}{cue}: «{}»", q.text);
    }
    let _ = writeln!(out, "\nParties:");
    for p in &r.parties {
        let kind = pb::PartyType::try_from(p.r#type).map_or("?", |t| match t {
            pb::PartyType::Person => "person",
            pb::PartyType::Organization => "organization",
            pb::PartyType::Location => "location",
            pb::PartyType::Unspecified => "?",
        });
        let mentions: Vec<&str> = p.mentions.iter().map(|m| m.text.as_str()).collect();
        let _ = writeln!(
            out,
            "  [{:.2}] {} ({kind}): {}",
            p.salience,
            p.name,
            mentions.join(" | ")
        );
    }
    let _ = writeln!(out, "\nDates:");
    for d in &r.dates {
        let unresolved = if d.resolved { "" } else { " (unresolved)" };
        let _ = writeln!(out, "  {} -> {}{unresolved}", d.text, d.value);
    }
    out
}

fn source_name(s: i32) -> &'static str {
    match pb::AnchorSource::try_from(s) {
        Ok(pb::AnchorSource::PublishedAt) => "published_at",
        Ok(pb::AnchorSource::Text) => "stated in the text",
        _ => "none",
    }
}
