//! Temporal expressions, normalised to TIMEX3 values and resolved against an anchor date.
//!
//! # Design
//! One rule engine serves every language; what a language says lives in two data files of
//! `lexicon/<lang>/` (see [`lexicon`] for their format):
//! - `dates.txt` sorts words into classes (month and weekday names, number words, units, shifts such
//!   as "last"/"dernier", deictic words such as "yesterday"/"hier", vague references...);
//! - `date_patterns.txt` lists the word orders of the language as sequences of those classes and of
//!   built-in slots that read digits (`<day> <month> <year>?`, `<count> <unit> <ago>`).
//!
//! [`scan`] tokenises the text and matches the patterns leftmost-longest at word boundaries, filling a
//! [`resolve::Frame`] (which fields the words set: a month, a count, a shift...). [`resolve`](mod@resolve) then turns
//! each frame into a value, in a language-independent way, against the anchor: the publication date
//! when the caller gives one, otherwise a full date that the text states near its start or marks as
//! the present ("ce 7 décembre 2021", "on Tuesday, December 7, 2021"). Without any anchor a relative
//! expression keeps its offset (`P-5Y`, `P-1D`) or its unknown parts (`XXXX-12-07`) and is marked
//! unresolved. A bare weekday is taken as the most recent one (news is mostly in the past tense)
//! unless a future cue of the language ("will", "va") comes just before it; a month or a day without
//! a year takes the year that puts it closest to the anchor.
//!
//! Spans follow TimeBank: prepositions stay out ("on Friday" -> "Friday"), determiners, modifiers and
//! approximations stay in ("the last two years", "nearly forty years", "early next year").

mod lexicon;
mod resolve;
mod scan;

use chrono::{NaiveDate, NaiveDateTime};

use super::super::analyzer::Prepared;
use super::super::output::{AnchorSource, DateAnchor, DateMention, DateRange};
use super::super::span::Span;
use lexicon::Class;
use resolve::{resolve, Frame, Tense, Value};
use scan::{Ctx, Match, Tok};

/// How many sentences from the start may state the article's own date.
const DATELINE_SENTENCES: usize = 3;
/// How many sentences back a bare time of day looks for the day it belongs to.
const REFERENCE_SENTENCES: usize = 3;
/// How many tokens before an expression are searched for a future cue.
const TENSE_WINDOW: usize = 6;

/// Finds and normalises temporal expressions.
#[derive(Debug, Default)]
pub struct DateExtractor;

impl DateExtractor {
    /// Dates of the document and the anchor used.
    pub fn extract(
        &self,
        doc: &Prepared<'_>,
        published: Option<NaiveDateTime>,
    ) -> (Vec<DateMention>, Option<DateAnchor>) {
        let lex = lexicon::for_language(doc.data.code);
        let ctx = Ctx::new(lex, doc.text);
        let matches = scan::find(&ctx);
        let toks = &ctx.toks;
        let anchor = match published {
            Some(p) => Some(DateAnchor {
                date: p.date(),
                source: AnchorSource::Published,
                span: None,
            }),
            None => text_anchor(doc, toks, &matches),
        };
        let day = anchor.map(|a| a.date);
        // A bare time of day refers to the last day mentioned within a few sentences.
        let mut last_day: Option<(NaiveDate, usize)> = None;
        let mut dates = Vec::with_capacity(matches.len());
        for m in &matches {
            let sentence = doc.sentence_at(toks[m.first].start).unwrap_or(0);
            let reference = last_day
                .filter(|&(_, s)| sentence.saturating_sub(s) <= REFERENCE_SENTENCES)
                .map(|(d, _)| d)
                .or(day);
            let Some(mention) = mention(&ctx, m, day, reference) else {
                continue;
            };
            if let Some(d) = mention
                .value
                .get(..10)
                .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
            {
                last_day = Some((d, sentence));
            }
            dates.push(mention);
        }
        (dates, anchor)
    }
}

fn span_of(toks: &[Tok], m: &Match) -> Span {
    Span::new(toks[m.first].start, toks[m.end - 1].end)
}

/// The first full date stated near the start of the text, or anywhere when it is marked as the
/// present ("ce 7 décembre 2021") or carries its weekday.
fn text_anchor(doc: &Prepared<'_>, toks: &[Tok], matches: &[Match]) -> Option<DateAnchor> {
    matches.iter().find_map(|m| {
        let [f] = m.frames() else {
            return None;
        };
        let date = f.full_date()?;
        let span = span_of(toks, m);
        let early = doc
            .sentence_at(span.start)
            .is_some_and(|s| s < DATELINE_SENTENCES);
        (early || f.shift == Some(0) || f.weekday.is_some()).then_some(DateAnchor {
            date,
            source: AnchorSource::Text,
            span: Some(span),
        })
    })
}

/// Whether a future cue comes shortly before token `first`, in the same clause.
fn tense_at(ctx: &Ctx<'_>, first: usize) -> Tense {
    let toks = &ctx.toks;
    let lo = first.saturating_sub(TENSE_WINDOW);
    for i in (lo..first).rev() {
        if matches!(toks.norm(i), "." | ";" | "!" | "?") || toks[i + 1].hard_break {
            break;
        }
        if ctx.at(Class::Future, i).is_some() {
            return Tense::Future;
        }
    }
    Tense::Past
}

fn mention(
    ctx: &Ctx<'_>,
    m: &Match,
    anchor: Option<NaiveDate>,
    day: Option<NaiveDate>,
) -> Option<DateMention> {
    let tense = tense_at(ctx, m.first);
    let span = span_of(&ctx.toks, m);
    let (v, range) = match m.frames() {
        [f] => (resolve(f, anchor, day, tense)?, None),
        [start, end] => {
            let mut start: Frame = *start;
            start.inherit(end);
            let a = resolve(&start, anchor, day, tense)?;
            let b = resolve(end, anchor, day, tense)?;
            let range = DateRange {
                start: a.value.clone(),
                end: b.value.clone(),
                end_inclusive: true,
            };
            let v = Value {
                value: format!("{}/{}", a.value, b.value),
                anchored: a.anchored || b.anchored,
                resolved: a.resolved && b.resolved,
                ..a
            };
            (v, Some(range))
        }
        _ => return None,
    };
    Some(DateMention {
        span,
        value: v.value,
        kind: v.kind,
        grain: v.grain,
        anchored: v.anchored,
        resolved: v.resolved,
        range,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::lang::Language;
    use crate::analysis::output::{DateKind, Grain};
    use proptest::prelude::*;

    fn run(
        lang: &str,
        text: &str,
        published: Option<&str>,
    ) -> (Vec<DateMention>, Option<DateAnchor>) {
        let language = Language::from_tag(lang).expect("valid test tag");
        let doc = Prepared::new(text, None, Some(language));
        let published = published.map(|p| {
            NaiveDate::parse_from_str(p, "%Y-%m-%d")
                .expect("valid test date")
                .and_hms_opt(12, 0, 0)
                .expect("valid time")
        });
        DateExtractor.extract(&doc, published)
    }

    /// (surface, value) pairs.
    fn found(lang: &str, text: &str, published: Option<&str>) -> Vec<(String, String)> {
        let (dates, _) = run(lang, text, published);
        for d in &dates {
            assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
        }
        dates
            .iter()
            .map(|d| (d.span.slice(text).to_string(), d.value.clone()))
            .collect()
    }

    /// Asserts that `text` holds exactly one expression, `surface`, with `value`.
    fn one(lang: &str, text: &str, published: Option<&str>, surface: &str, value: &str) {
        let got = found(lang, text, published);
        assert_eq!(
            got,
            vec![(surface.to_string(), value.to_string())],
            "{lang}: {text:?} (published {published:?})"
        );
    }

    /// Runs `one` over rows of (language, text, surface, value), published [`PUB`].
    fn check(rows: &[(&str, &str, &str, &str)]) {
        for (lang, text, surface, value) in rows {
            one(lang, text, PUB, surface, value);
        }
    }

    const PUB: Option<&str> = Some("2021-12-08"); // a Wednesday

    #[test]
    fn french_absolute_and_partial_dates() {
        check(&[
            (
                "fr",
                "Le sommet du 7 décembre 2021 a eu lieu.",
                "7 décembre 2021",
                "2021-12-07",
            ),
            (
                "fr",
                "Il a parlé le 7 décembre.",
                "le 7 décembre",
                "2021-12-07",
            ),
            (
                "fr",
                "En décembre 2016, Obama partait.",
                "décembre 2016",
                "2016-12",
            ),
            ("fr", "Cela date de 2016.", "2016", "2016"),
            ("fr", "Le 1er mai est férié.", "Le 1er mai", "2021-05-01"),
            ("fr", "Rendez-vous le 7/12/2021.", "7/12/2021", "2021-12-07"),
            ("fr", "Publié le 2021-12-07.", "2021-12-07", "2021-12-07"),
            (
                "fr",
                "Dans les années 1990, tout change.",
                "les années 1990",
                "199",
            ),
            (
                "fr",
                "Au début des années 60, rien.",
                "début des années 60",
                "196",
            ),
            (
                "fr",
                "Il est né au XXe siècle, au 20e siècle.",
                "20e siècle",
                "19",
            ),
            (
                "fr",
                "Au troisième trimestre 2021, les ventes montent.",
                "troisième trimestre 2021",
                "2021-Q3",
            ),
        ]);
    }

    #[test]
    fn english_absolute_and_partial_dates() {
        check(&[
            (
                "en",
                "It happened on December 7, 2021 in Geneva.",
                "December 7, 2021",
                "2021-12-07",
            ),
            ("en", "Shares rose on Dec. 7.", "Dec. 7", "2021-12-07"),
            ("en", "Signed 12/7/2021 by both.", "12/7/2021", "2021-12-07"),
            ("en", "Growth slowed in the 1990s.", "the 1990s", "199"),
            (
                "en",
                "Sales fell in the third quarter.",
                "the third quarter",
                "2021-Q3",
            ),
            (
                "en",
                "Third-quarter profit rose.",
                "Third-quarter",
                "2021-Q3",
            ),
            ("en", "Prices rose in mid-1996.", "mid-1996", "1996"),
            (
                "en",
                "The approach of the year two thousand.",
                "the year two thousand",
                "2000",
            ),
            (
                "en",
                "Atlanta, nineteen ninety-six.",
                "nineteen ninety-six",
                "1996",
            ),
            (
                "en",
                "It was built in the 20th century.",
                "the 20th century",
                "19",
            ),
        ]);
    }

    #[test]
    fn times_of_day() {
        check(&[
            (
                "fr",
                "La réunion commence à 14h30.",
                "14h30",
                "2021-12-08T14:30",
            ),
            ("fr", "Le train part à 22 h.", "22 h", "2021-12-08T22:00"),
            (
                "fr",
                "Rendez-vous vers 12 h 30.",
                "vers 12 h 30",
                "2021-12-08T12:30",
            ),
            ("fr", "On déjeune à midi.", "midi", "2021-12-08T12:00"),
            (
                "en",
                "The vote is at 3 p.m. today.",
                "3 p.m. today",
                "2021-12-08T15:00",
            ),
            ("en", "He will speak tonight.", "tonight", "2021-12-08TNI"),
            (
                "fr",
                "Il est rentré hier soir.",
                "hier soir",
                "2021-12-07TEV",
            ),
            (
                "en",
                "It was cold on Thursday evening.",
                "Thursday evening",
                "2021-12-02TEV",
            ),
        ]);
    }

    #[test]
    fn a_bare_time_takes_the_last_mentioned_day() {
        let got = found(
            "fr",
            "Le samedi 24 juillet 1999, la course part. Elle finit à 15 h 45.",
            PUB,
        );
        assert_eq!(
            got[1],
            ("15 h 45".to_string(), "1999-07-24T15:45".to_string())
        );
    }

    #[test]
    fn french_relative_and_deictic() {
        check(&[
            ("fr", "Aujourd'hui, il pleut.", "Aujourd'hui", "2021-12-08"),
            ("fr", "Il est parti hier.", "hier", "2021-12-07"),
            ("fr", "Il arrive demain.", "demain", "2021-12-09"),
            (
                "fr",
                "Il l'a vu mardi dernier.",
                "mardi dernier",
                "2021-12-07",
            ),
            (
                "fr",
                "Il le verra mardi prochain.",
                "mardi prochain",
                "2021-12-14",
            ),
            (
                "fr",
                "Il y a cinq ans, tout a changé.",
                "Il y a cinq ans",
                "2016",
            ),
            (
                "fr",
                "Il reviendra dans deux semaines.",
                "dans deux semaines",
                "2021-W51",
            ),
            (
                "fr",
                "Il reviendra la semaine prochaine.",
                "la semaine prochaine",
                "2021-W50",
            ),
            (
                "fr",
                "Les prix ont monté le mois dernier.",
                "le mois dernier",
                "2021-11",
            ),
            (
                "fr",
                "Les prix ont monté l'an dernier.",
                "l'an dernier",
                "2020",
            ),
            (
                "fr",
                "Les prix ont monté en début d'année.",
                "début d'année",
                "2021",
            ),
            (
                "fr",
                "Il l'a dit ce 7 décembre.",
                "ce 7 décembre",
                "2021-12-07",
            ),
            (
                "fr",
                "Il l'a dit le 26 septembre dernier.",
                "le 26 septembre dernier",
                "2021-09-26",
            ),
            ("fr", "Ce week-end, il a plu.", "Ce week-end", "2021-W48-WE"),
        ]);
    }

    #[test]
    fn english_relative_and_deictic() {
        check(&[
            ("en", "Today, it rains.", "Today", "2021-12-08"),
            ("en", "He left yesterday.", "yesterday", "2021-12-07"),
            (
                "en",
                "He met her last Tuesday.",
                "last Tuesday",
                "2021-12-07",
            ),
            ("en", "He met her on Tuesday.", "Tuesday", "2021-12-07"),
            ("en", "He will meet her on Friday.", "Friday", "2021-12-10"),
            ("en", "It closed two years ago.", "two years ago", "2019"),
            ("en", "It opens next month.", "next month", "2022-01"),
            (
                "en",
                "Prices rose earlier this year.",
                "earlier this year",
                "2021",
            ),
            ("en", "Talks resume this week.", "this week", "2021-W49"),
            (
                "en",
                "Profit rose a year earlier.",
                "a year earlier",
                "2020",
            ),
        ]);
    }

    #[test]
    fn durations_sets_and_vague_references() {
        check(&[
            ("fr", "Il a régné cinq ans.", "cinq ans", "P5Y"),
            (
                "fr",
                "Le vol a duré près de 24 heures.",
                "près de 24 heures",
                "PT24H",
            ),
            (
                "fr",
                "Il a attendu quelques jours.",
                "quelques jours",
                "PXD",
            ),
            ("fr", "Il la voit chaque semaine.", "chaque semaine", "P1W"),
            ("fr", "Il l'a vue récemment.", "récemment", "PAST_REF"),
            ("en", "The talks lasted three hours.", "three hours", "PT3H"),
            (
                "en",
                "Sales rose over the past two years.",
                "the past two years",
                "P2Y",
            ),
            (
                "en",
                "Profit for the first nine months rose.",
                "the first nine months",
                "P9M",
            ),
            ("en", "It pays every quarter.", "every quarter", "P1Q"),
            ("en", "He is currently abroad.", "currently", "PRESENT_REF"),
            ("en", "It was a two-week crisis.", "two-week", "P2W"),
        ]);
    }

    #[test]
    fn ranges_have_both_bounds() {
        let (d, _) = run("fr", "Le festival a lieu du 3 au 5 mai 2022.", PUB);
        assert_eq!(d.len(), 1);
        let r = d[0].range.as_ref().expect("a range");
        assert_eq!(
            (r.start.as_str(), r.end.as_str()),
            ("2022-05-03", "2022-05-05")
        );
        assert!(r.end_inclusive);
        let (d, _) = run("en", "Output grew between 2019 and 2021.", PUB);
        let r = d[0].range.as_ref().expect("a range");
        assert_eq!((r.start.as_str(), r.end.as_str()), ("2019", "2021"));
        let (d, _) = run("en", "Talks run from Monday to Wednesday.", PUB);
        assert!(d[0].range.is_some(), "{d:?}");
    }

    #[test]
    fn kinds_grains_and_flags() {
        let (d, _) = run("en", "He left yesterday after five years, in 2016.", PUB);
        assert_eq!(d[0].kind, DateKind::Date);
        assert_eq!(d[0].grain, Some(Grain::Day));
        assert!(d[0].anchored && d[0].resolved);
        assert_eq!(d[1].kind, DateKind::Duration);
        assert_eq!(d[2].grain, Some(Grain::Year));
        assert!(!d[2].anchored && d[2].resolved);
    }

    #[test]
    fn the_seed_article_with_and_without_publication_date() {
        let text = include_str!("../../../../seeds/article-fr-diplomatie.txt");
        for published in [PUB, None] {
            let (dates, anchor) = run("fr", text, published);
            let value = |s: &str| {
                dates
                    .iter()
                    .find(|d| d.span.slice(text) == s)
                    .map(|d| d.value.clone())
                    .unwrap_or_else(|| panic!("{s:?} not found in {dates:?}"))
            };
            assert_eq!(value("ce 7 décembre"), "2021-12-07");
            assert_eq!(value("ce 7 décembre 2021"), "2021-12-07");
            assert_eq!(value("décembre 2016"), "2016-12");
            assert_eq!(value("il y a cinq ans"), "2016");
            let anchor = anchor.expect("an anchor");
            match published {
                Some(_) => assert_eq!(anchor.source, AnchorSource::Published),
                None => {
                    assert_eq!(anchor.source, AnchorSource::Text);
                    assert_eq!(anchor.date.format("%F").to_string(), "2021-12-07");
                    assert_eq!(
                        anchor.span.map(|s| s.slice(text)),
                        Some("ce 7 décembre 2021")
                    );
                }
            }
        }
    }

    #[test]
    fn without_any_anchor_relative_values_are_offsets() {
        let (d, anchor) = run("fr", "Il y a cinq ans, hier, le 7 décembre, mardi.", None);
        assert!(anchor.is_none());
        let values: Vec<_> = d.iter().map(|d| (d.value.as_str(), d.resolved)).collect();
        assert_eq!(
            values,
            [
                ("P-5Y", false),
                ("P-1D", false),
                ("XXXX-12-07", false),
                ("XXXX-WXX-2", false)
            ]
        );
        let (d, _) = run("en", "It rose last year, in 2016.", None);
        assert_eq!((d[0].value.as_str(), d[0].resolved), ("P-1Y", false));
        assert_eq!((d[1].value.as_str(), d[1].resolved), ("2016", true));
    }

    #[test]
    fn an_english_dateline_gives_the_anchor() {
        let text = "WASHINGTON, Tuesday, December 7, 2021 — The talks ended yesterday.";
        let (d, anchor) = run("en", text, None);
        let anchor = anchor.expect("anchor from the dateline");
        assert_eq!(anchor.source, AnchorSource::Text);
        assert_eq!(d.last().map(|d| d.value.as_str()), Some("2021-12-06"));
    }

    #[test]
    fn things_that_are_not_dates() {
        for (lang, text) in [
            ("en", "The score was 2-1 and fans cheered at $1999."),
            ("en", "Call 555-1234 or see page 2021, version 2.0.1."),
            ("en", "He may go. The march was long. Mars is red."),
            (
                "en",
                "The maire of Saddam's town; am I right? He is 52 years old.",
            ),
            (
                "fr",
                "Le maire a été élu. Mars est une planète. Il a été là.",
            ),
            (
                "fr",
                "Anthony Wagner, 27 ans, demeurant à Commercy. Elle est âgée de 24 ans.",
            ),
            (
                "fr",
                "Le prix est de 2021 €, soit 3,5 % de plus, pour 1 500 personnes.",
            ),
            (
                "en",
                "It owns three-quarters of the firm and a half of the rest.",
            ),
        ] {
            let got = found(lang, text, PUB);
            assert!(got.is_empty(), "{lang}: {text:?} gave {got:?}");
        }
    }

    #[test]
    fn other_languages_get_iso_dates_and_years() {
        check(&[
            (
                "de",
                "Am 2021-12-07 traf man sich.",
                "2021-12-07",
                "2021-12-07",
            ),
            ("de", "Im Jahr 2016 war es anders.", "2016", "2016"),
        ]);
    }

    #[test]
    fn long_input_is_linear() {
        let unit = "Le 7 décembre 2021, hier, il y a cinq ans, à 14h30, mardi dernier. 12 34 56 mai maire. ";
        let time = |n: usize| {
            let text = unit.repeat(n);
            let start = std::time::Instant::now();
            let (d, _) = run("fr", &text, PUB);
            assert_eq!(d.len(), n * 6);
            start.elapsed()
        };
        let small = time(3_000);
        let large = time(12_000); // about 1 MiB
                                  // Four times the text may not take much more than four times as long.
        assert!(
            large < small * 8 + std::time::Duration::from_millis(200),
            "{small:?} -> {large:?}"
        );
    }

    proptest! {
        #[test]
        fn any_input_gives_valid_spans(text in "\\PC{0,200}", fr in any::<bool>(), anchored in any::<bool>()) {
            let lang = if fr { "fr" } else { "en" };
            let (dates, _) = run(lang, &text, anchored.then_some("2021-12-08"));
            let mut last = 0;
            for d in &dates {
                prop_assert!(d.span.start < d.span.end && d.span.end <= text.len());
                prop_assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
                prop_assert!(d.span.start >= last);
                last = d.span.end;
            }
        }

        #[test]
        fn date_like_inputs_never_panic(text in "([0-9]{1,4}[ /:.h-]?){1,6} ?(mai|May|ans|years|ago|dernier|h|p\\.m\\.)?") {
            let _ = run("fr", &text, Some("2021-12-08"));
            let _ = run("en", &text, None);
        }
    }
}
