//! Evaluation of the analyzer on labelled articles (`gleaner eval`).
//!
//! Each task reads the gold field of its data files (format: `/work/shared/eval/FORMAT.md`), runs
//! [`Analyzer::analyze`] in-process with only the feature under test, and scores the result the way the
//! project is judged:
//! - **summary**: ROUGE-1/2/L F1 ([`rouge`]) against the reference, with as many sentences as the
//!   reference has (2 for abstractive references), next to Lead-k; macro-averaged over documents;
//! - **parties**: exact span and type, PER/ORG/LOC, every mention counts; micro P/R/F1 overall and per type;
//! - **dates**: TempEval-3 style strict (exact span) and relaxed (overlap) P/R/F1, value and type accuracy
//!   on relaxed matches;
//! - **quotes**: gold quotations are the quote-marked runs of 3 or more words inside direct attributions;
//!   a prediction matches when the overlap covers half of the longer span; speaker accuracy on matches.
//!
//! Offsets of the data are Unicode code points: predictions are converted from bytes before comparing
//! ([`data::CodePoints`]). Only the `analyze` calls are timed, for the throughput figures.

pub mod data;
pub mod dates;
pub mod metrics;
pub mod parties;
pub mod quotes;
mod report;
pub mod rouge;
pub mod summary;

use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::analysis::{Analysis, AnalysisError, Analyzer, Document, Feature, Options, Span};

pub use data::{read_records, Record};
pub use dates::DateMetrics;
pub use metrics::{Counts, Prf};
pub use parties::PartyMetrics;
pub use quotes::QuoteMetrics;
pub use summary::SummaryMetrics;

/// What is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Task {
    /// Extractive summary against reference summaries.
    Summary,
    /// Named parties against named entities.
    Parties,
    /// Temporal expressions against TIMEX3 annotations.
    Dates,
    /// Quotes and speakers against attributions.
    Quotes,
}

impl Task {
    /// The task's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Task::Summary => "summary",
            Task::Parties => "parties",
            Task::Dates => "dates",
            Task::Quotes => "quotes",
        }
    }
}

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// The data file could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A line is not a JSON record.
    #[error("line {line}: not a record: {message}")]
    Json {
        /// 1-based line number.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// A record is inconsistent (offsets outside the text, unreadable date, bad language tag).
    #[error("line {line} ({id}): {message}")]
    Record {
        /// 1-based line number.
        line: usize,
        /// The record's id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// A record lacks the gold field of the task.
    #[error("record {id} has no gold {field} for task {task}")]
    MissingGold {
        /// The record's id.
        id: String,
        /// The field expected.
        field: &'static str,
        /// The task.
        task: &'static str,
    },
}

/// How to run an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvalOptions {
    /// The task.
    pub task: Task,
    /// Keep the errors of every document, for `--show-errors`.
    pub collect_errors: bool,
}

/// Speed of the analysis alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Throughput {
    /// Articles analysed.
    pub articles: usize,
    /// Their total size in bytes (UTF-8).
    pub bytes: usize,
    /// Time spent in `Analyzer::analyze`, in seconds.
    pub seconds: f64,
    /// Articles per second.
    pub articles_per_second: f64,
    /// Megabytes (10^6 bytes) per second.
    pub megabytes_per_second: f64,
}

impl Throughput {
    fn new(articles: usize, bytes: usize, elapsed: Duration) -> Throughput {
        let seconds = elapsed.as_secs_f64();
        let per_second = |x: f64| if seconds > 0.0 { x / seconds } else { 0.0 };
        Throughput {
            articles,
            bytes,
            seconds,
            articles_per_second: per_second(articles as f64),
            megabytes_per_second: per_second(bytes as f64 / 1e6),
        }
    }
}

/// What kind of error a document shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A gold item that nothing predicted matches.
    Miss,
    /// A prediction that matches no gold item.
    FalseAlarm,
    /// A match with a different extent (dates: relaxed but not strict).
    Boundary,
    /// A match with a wrong value (dates).
    WrongValue,
    /// A match with a wrong type (dates).
    WrongType,
    /// A match with a wrong speaker (quotes).
    WrongSpeaker,
    /// A score or text to compare (summary).
    Note,
}

/// One error in a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorItem {
    /// What it is.
    pub kind: ErrorKind,
    /// Where, in code points, when it is a span of the text.
    pub start: Option<usize>,
    /// End of the span, in code points, exclusive.
    pub end: Option<usize>,
    /// The text concerned (shortened).
    pub text: String,
    /// Expected versus found, when it applies.
    pub detail: String,
}

impl ErrorItem {
    /// An error about a code point span of `record`'s text.
    pub(crate) fn at(kind: ErrorKind, record: &Record, span: Span, detail: String) -> ErrorItem {
        ErrorItem {
            kind,
            start: Some(span.start),
            end: Some(span.end),
            text: snippet(record.slice(span)),
            detail,
        }
    }

    /// An error that is not about a span.
    pub(crate) fn note(text: &str, detail: String) -> ErrorItem {
        ErrorItem {
            kind: ErrorKind::Note,
            start: None,
            end: None,
            text: snippet(text),
            detail,
        }
    }
}

/// The errors of one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentErrors {
    /// The record's id.
    pub id: String,
    /// Its errors, in order.
    pub items: Vec<ErrorItem>,
}

/// The scores of a task.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum TaskMetrics {
    /// Summary scores.
    Summary(SummaryMetrics),
    /// Party scores.
    Parties(PartyMetrics),
    /// Date scores.
    Dates(DateMetrics),
    /// Quote scores.
    Quotes(QuoteMetrics),
}

/// The result of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The task.
    pub task: Task,
    /// The data file, when read from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Documents scored.
    pub documents: usize,
    /// Documents the analyzer refused (empty or too long); scored as predicting nothing.
    pub failed: usize,
    /// Speed of the analysis.
    pub throughput: Throughput,
    /// The scores.
    pub metrics: TaskMetrics,
    /// Errors per document, when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<DocumentErrors>,
}

/// One analysed document, as a scorer sees it.
pub(crate) struct Case<'a> {
    /// The labelled record.
    pub(crate) record: &'a Record,
    /// What the analyzer found.
    pub(crate) analysis: &'a Analysis,
    /// Where to list the document's errors, when they are wanted.
    pub(crate) errors: Option<&'a mut Vec<ErrorItem>>,
}

impl Case<'_> {
    /// Lists one error per item at `indices` (when errors are wanted), described by `describe`.
    pub(crate) fn list<T>(
        &mut self,
        kind: ErrorKind,
        items: &[T],
        indices: impl IntoIterator<Item = usize>,
        describe: impl Fn(&T) -> (Span, String),
    ) {
        if let Some(out) = self.errors.as_deref_mut() {
            for i in indices {
                let (span, detail) = describe(&items[i]);
                out.push(ErrorItem::at(kind, self.record, span, detail));
            }
        }
    }
}

/// The gold field `field` of a record, or the error saying it lacks it.
pub(crate) fn required<'a, T>(
    value: Option<&'a T>,
    record: &Record,
    field: &'static str,
    task: Task,
) -> Result<&'a T, EvalError> {
    value.ok_or_else(|| EvalError::MissingGold {
        id: record.id.clone(),
        field,
        task: task.name(),
    })
}

/// Scoring of one task, document by document.
trait Scorer {
    /// The feature under test.
    fn feature(&self) -> Feature;
    /// The options of the analysis of `record`: only the feature under test.
    fn options(&self, _record: &Record) -> Result<Options, EvalError> {
        Ok(Options {
            features: vec![self.feature()],
            ..Options::default()
        })
    }
    /// Scores one document.
    fn add(&mut self, case: Case<'_>) -> Result<(), EvalError>;
    /// The scores over every document added.
    fn finish(&self) -> TaskMetrics;
}

/// Reads `path` (at most `limit` records) and evaluates the analyzer on it.
pub fn evaluate_file(
    analyzer: &Analyzer,
    path: &Path,
    limit: Option<usize>,
    options: EvalOptions,
) -> Result<Report, EvalError> {
    let records = read_records(path, limit)?;
    let mut report = evaluate(analyzer, &records, options)?;
    report.data = Some(path.display().to_string());
    Ok(report)
}

/// Evaluates the analyzer on labelled records.
pub fn evaluate(
    analyzer: &Analyzer,
    records: &[Record],
    options: EvalOptions,
) -> Result<Report, EvalError> {
    // One untimed analysis first, so that lazily built tables do not count as the first article's time.
    if let Some(first) = records.first() {
        let _ = analyzer.analyze(&Document::new(first.text.clone()), &Options::default());
    }
    evaluate_with(records, options, |doc, opts| analyzer.analyze(doc, opts))
}

/// Evaluates any analysis function on labelled records (the analyzer, or a stand-in in tests). Each
/// record becomes a [`Document`] with its text, language and publication time; only the calls to
/// `analyze` are timed. A refused document counts as one that found nothing.
pub fn evaluate_with(
    records: &[Record],
    options: EvalOptions,
    mut analyze: impl FnMut(&Document, &Options) -> Result<Analysis, AnalysisError>,
) -> Result<Report, EvalError> {
    let mut scorer: Box<dyn Scorer> = match options.task {
        Task::Summary => Box::new(summary::SummaryScorer::default()),
        Task::Parties => Box::new(parties::PartyScorer::default()),
        Task::Dates => Box::new(dates::DateScorer::default()),
        Task::Quotes => Box::new(quotes::QuoteScorer::default()),
    };
    let mut elapsed = Duration::ZERO;
    let mut bytes = 0;
    let mut failed = 0;
    let mut errors = Vec::new();
    for record in records {
        let opts = scorer.options(record)?;
        let doc = Document {
            text: record.text.clone(),
            title: record.title.clone(),
            language: Some(record.language.clone()),
            published: record.published,
        };
        let started = Instant::now();
        let result = analyze(&doc, &opts);
        elapsed += started.elapsed();
        bytes += record.text.len();
        let analysis = result.unwrap_or_else(|_| {
            failed += 1;
            Analysis::empty(record.language.clone())
        });
        let mut items = Vec::new();
        scorer.add(Case {
            record,
            analysis: &analysis,
            errors: options.collect_errors.then_some(&mut items),
        })?;
        if !items.is_empty() {
            errors.push(DocumentErrors {
                id: record.id.clone(),
                items,
            });
        }
    }
    Ok(Report {
        task: options.task,
        data: None,
        documents: records.len(),
        failed,
        throughput: Throughput::new(records.len(), bytes, elapsed),
        metrics: scorer.finish(),
        errors,
    })
}

/// A text on one line, cut to a readable length.
fn snippet(text: &str) -> String {
    const MAX: usize = 120;
    let flat: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= MAX {
        flat
    } else {
        let head: String = flat.chars().take(MAX - 1).collect();
        format!("{head}…")
    }
}
