//! The evaluation command's library on hand-made fixtures (`tests/fixtures/eval/`), with known scores.
//!
//! Each fixture record carries, besides its gold field, a `predicted` field (offsets in code points)
//! that a stand-in for the analyzer returns, so that every figure below is computed by hand from the
//! fixture and does not move when the extractors change. A last test runs the real analyzer on the same
//! files and checks what does not depend on it.

use std::collections::HashMap;
use std::path::PathBuf;

use gleaner::analysis::offsets::{to_byte_offset, OffsetEncoding};
use gleaner::analysis::{
    Analysis, AnalysisError, Analyzer, DateKind, DateMention, Document, Party, PartyKind, Quote,
    Span, SummarySentence,
};
use gleaner::eval::{
    evaluate, evaluate_with, read_records, ErrorKind, EvalOptions, Report, Task, TaskMetrics,
};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/eval/{name}.jsonl"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

macro_rules! assert_close {
    ($a:expr, $b:expr) => {
        assert!(
            close($a, $b),
            "{} = {} , expected {}",
            stringify!($a),
            $a,
            $b
        )
    };
}

/// A byte span from a `[start, end]` or `{start, end}` of code points.
fn bytes(text: &str, start: &Value, end: &Value) -> Span {
    let b = |v: &Value| {
        let cp = v.as_u64().expect("offset") as usize;
        to_byte_offset(text, OffsetEncoding::CodePoint, cp).expect("offset in the text")
    };
    Span::new(b(start), b(end))
}

fn span_of(text: &str, v: &Value) -> Span {
    match v {
        Value::Array(a) => bytes(text, &a[0], &a[1]),
        _ => bytes(text, &v["start"], &v["end"]),
    }
}

/// The analysis a fixture record says was predicted.
fn predicted(doc: &Document, p: &Value) -> Analysis {
    let text = doc.text.as_str();
    let list = |k: &str| p[k].as_array().cloned().unwrap_or_default();
    Analysis {
        language: doc.language.clone().expect("language given"),
        sentences: Vec::new(),
        summary: list("summary")
            .iter()
            .enumerate()
            .map(|(i, s)| SummarySentence {
                span: span_of(text, s),
                score: 1.0,
                sentence_index: i,
            })
            .collect(),
        quotes: list("quotes")
            .iter()
            .map(|q| Quote {
                span: span_of(text, q),
                speaker: q["speaker"].as_str().map(str::to_string),
                speaker_span: q
                    .get("speaker_start")
                    .map(|s| bytes(text, s, &q["speaker_end"])),
                speaker_party: None,
                cue: None,
                score: 1.0,
            })
            .collect(),
        parties: list("parties")
            .iter()
            .map(|p| Party {
                name: String::new(),
                kind: match p["kind"].as_str() {
                    Some("PER") => PartyKind::Person,
                    Some("ORG") => PartyKind::Organization,
                    _ => PartyKind::Location,
                },
                mentions: p["mentions"]
                    .as_array()
                    .expect("mentions")
                    .iter()
                    .map(|m| span_of(text, m))
                    .collect(),
                salience: 1.0,
                role: None,
            })
            .collect(),
        dates: list("dates")
            .iter()
            .map(|d| DateMention {
                span: span_of(text, d),
                value: d["value"].as_str().expect("value").to_string(),
                kind: match d["type"].as_str() {
                    Some("TIME") => DateKind::Time,
                    Some("DURATION") => DateKind::Duration,
                    Some("SET") => DateKind::Set,
                    _ => DateKind::Date,
                },
                grain: None,
                anchored: false,
                resolved: true,
                range: None,
            })
            .collect(),
        anchor: None,
    }
}

/// Runs the task on a fixture with the stand-in analyzer.
fn run(name: &str, task: Task) -> Report {
    let path = fixture(name);
    let records = read_records(&path, None).expect("fixture reads");
    let raw: HashMap<String, Value> = std::fs::read_to_string(&path)
        .expect("fixture")
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json");
            (
                v["text"].as_str().expect("text").to_string(),
                v["predicted"].clone(),
            )
        })
        .collect();
    let options = EvalOptions {
        task,
        collect_errors: true,
    };
    evaluate_with(&records, options, |doc, _opts| {
        Ok::<_, AnalysisError>(predicted(doc, &raw[&doc.text]))
    })
    .expect("evaluation runs")
}

fn items(report: &Report, kind: ErrorKind) -> Vec<(usize, usize, String)> {
    report
        .errors
        .iter()
        .flat_map(|d| &d.items)
        .filter(|e| e.kind == kind)
        .map(|e| (e.start.unwrap_or(0), e.end.unwrap_or(0), e.text.clone()))
        .collect()
}

#[test]
fn summary_scores() {
    let report = run("summary", Task::Summary);
    let TaskMetrics::Summary(m) = &report.metrics else {
        panic!("summary metrics expected")
    };
    assert_eq!((m.extractive_references, m.abstractive_references), (1, 1));
    assert_close!(m.mean_sentences, 1.5);
    // Extractive: "Third one about birds." against "Second sentence about dogs.": 1 word of 4 and 4.
    // Abstractive: "le chien aboie l oiseau chante" against "le chien dort": 2 words, 1 bigram, LCS 2.
    assert_close!(m.system.rouge1, (0.25 + 4.0 / 9.0) / 2.0);
    assert_close!(m.system.rouge2, (0.0 + 2.0 / 7.0) / 2.0);
    assert_close!(m.system.rouge_l, (0.25 + 4.0 / 9.0) / 2.0);
    // Lead-1 after the headline: "First sentence is about cats." (2 words of 5 and 4, LCS 2);
    // lead-2: "le chat dort le chien aboie" (3 words, 1 bigram, LCS 2).
    assert_close!(m.lead.rouge1, (4.0 / 9.0 + 2.0 / 3.0) / 2.0);
    assert_close!(m.lead.rouge2, (0.0 + 2.0 / 7.0) / 2.0);
    assert_close!(m.lead.rouge_l, 4.0 / 9.0);
    assert_eq!(
        (
            m.sentences.counts.tp,
            m.sentences.counts.predicted,
            m.sentences.counts.gold
        ),
        (0, 1, 1)
    );
    assert_eq!(
        items(&report, ErrorKind::Miss),
        [(45, 72, "Second sentence about dogs.".to_string())]
    );
    assert_eq!(report.throughput.articles, 2);
    assert_eq!(
        report.throughput.bytes,
        "Cats and dogs\n\nFirst sentence is about cats. Second sentence about dogs. Third one about birds."
            .len()
            + "Le chat dort. Le chien aboie. L'oiseau chante.".len()
    );
}

#[test]
fn party_scores() {
    let report = run("parties", Task::Parties);
    let TaskMetrics::Parties(m) = &report.metrics else {
        panic!("party metrics expected")
    };
    let c = m.overall.counts;
    assert_eq!((c.tp, c.predicted, c.gold), (2, 3, 3));
    assert_close!(m.overall.prf.f1, 2.0 / 3.0);
    assert_close!(m.per_type["PER"].prf.f1, 1.0);
    assert_close!(m.per_type["ORG"].prf.f1, 1.0);
    assert_close!(m.per_type["LOC"].prf.f1, 0.0);
    assert_eq!(m.ignored_gold, 1);
    // Code points, not bytes ("Émile" and "à" take two bytes each).
    assert_eq!(
        items(&report, ErrorKind::Miss),
        [(17, 22, "Paris".to_string())]
    );
    assert_eq!(
        items(&report, ErrorKind::FalseAlarm),
        [(15, 22, "à Paris".to_string())]
    );
}

#[test]
fn date_scores() {
    let report = run("dates", Task::Dates);
    let TaskMetrics::Dates(m) = &report.metrics else {
        panic!("date metrics expected")
    };
    let s = m.strict.counts;
    assert_eq!((s.tp, s.predicted, s.gold), (1, 4, 4));
    assert_close!(m.strict.prf.f1, 0.25);
    let r = m.relaxed.counts;
    assert_eq!((r.tp, r.predicted, r.gold), (3, 4, 4));
    assert_close!(m.relaxed.prf.f1, 0.75);
    assert_eq!((m.value.right, m.value.total), (2, 3));
    assert_eq!((m.kind.right, m.kind.total), (2, 3));
    assert_close!(m.value_f1, 0.5);
    assert_eq!(
        items(&report, ErrorKind::WrongValue),
        [(15, 26, "puis demain".to_string())]
    );
    assert_eq!(
        items(&report, ErrorKind::WrongType),
        [(45, 50, "jours".to_string())]
    );
    assert_eq!(
        items(&report, ErrorKind::Miss),
        [(56, 67, "aujourd'hui".to_string())]
    );
    assert_eq!(items(&report, ErrorKind::Boundary).len(), 2);
}

#[test]
fn quote_scores() {
    let report = run("quotes", Task::Quotes);
    let TaskMetrics::Quotes(m) = &report.metrics else {
        panic!("quote metrics expected")
    };
    let c = m.quotes.counts;
    assert_eq!((c.tp, c.predicted, c.gold), (2, 3, 2));
    assert_close!(m.quotes.prf.precision, 2.0 / 3.0);
    assert_close!(m.quotes.prf.recall, 1.0);
    assert_close!(m.quotes.prf.f1, 0.8);
    assert_eq!((m.speaker.right, m.speaker.total), (1, 2));
    assert_eq!(m.short_predictions_ignored, 1);
    assert_eq!(
        items(&report, ErrorKind::WrongSpeaker),
        [(55, 72, "Nothing will stop".to_string())]
    );
    assert_eq!(
        items(&report, ErrorKind::FalseAlarm),
        [(83, 100, "so-called experts".to_string())]
    );
    let json = report.to_json();
    assert_eq!(json["task"], "quotes");
    assert_eq!(json["metrics"]["quotes"]["tp"], 2);
}

#[test]
fn the_analyzer_runs_on_every_fixture() {
    let analyzer = Analyzer::builder().build();
    let stand_in = |name, task| run(name, task);
    for (name, task, gold) in [
        ("summary", Task::Summary, 0),
        ("parties", Task::Parties, 3),
        ("dates", Task::Dates, 4),
        ("quotes", Task::Quotes, 2),
    ] {
        let records = read_records(&fixture(name), None).expect("fixture reads");
        let options = EvalOptions {
            task,
            collect_errors: true,
        };
        let report = evaluate(&analyzer, &records, options).expect("evaluation runs");
        assert_eq!(report.documents, records.len(), "{name}");
        assert_eq!(report.failed, 0, "{name}");
        assert_eq!(report.throughput.articles, records.len());
        let gold_count = match (&report.metrics, &stand_in(name, task).metrics) {
            (TaskMetrics::Summary(m), TaskMetrics::Summary(s)) => {
                // Lead-k does not depend on the analyzer's choices.
                assert_eq!(m.lead, s.lead);
                0
            }
            (TaskMetrics::Parties(m), _) => m.overall.counts.gold,
            (TaskMetrics::Dates(m), _) => m.relaxed.counts.gold,
            (TaskMetrics::Quotes(m), _) => m.quotes.counts.gold,
            _ => unreachable!("the task's metrics"),
        };
        assert_eq!(gold_count, gold, "{name}");
    }
}
