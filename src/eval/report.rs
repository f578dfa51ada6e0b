//! Rendering of a [`Report`] as text for people or as one JSON object for scripts.

use std::fmt::Write as _;

use super::metrics::{Accuracy, Score};
use super::summary::RougeF1;
use super::{Report, TaskMetrics};

fn pct(x: f64) -> String {
    format!("{:5.1}", 100.0 * x)
}

fn score_line(name: &str, s: &Score) -> String {
    format!(
        "  {name:<10} P {}  R {}  F1 {}   (matched {}, predicted {}, gold {})\n",
        pct(s.prf.precision),
        pct(s.prf.recall),
        pct(s.prf.f1),
        s.counts.tp,
        s.counts.predicted,
        s.counts.gold
    )
}

fn accuracy_line(name: &str, a: &Accuracy) -> String {
    format!(
        "  {name:<10} {}   ({} of {})\n",
        pct(a.accuracy),
        a.right,
        a.total
    )
}

fn rouge_line(name: &str, r: &RougeF1) -> String {
    format!(
        "  {name:<10} ROUGE-1 {}  ROUGE-2 {}  ROUGE-L {}\n",
        pct(r.rouge1),
        pct(r.rouge2),
        pct(r.rouge_l)
    )
}

impl Report {
    /// The report as one JSON object.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }))
    }

    /// The report as text: scores, throughput, then the errors when they were collected.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "task {}{}: {} documents{}",
            self.task.name(),
            self.data
                .as_deref()
                .map_or(String::new(), |d| format!(" on {d}")),
            self.documents,
            if self.failed > 0 {
                format!(
                    " ({} refused by the analyzer, scored as empty)",
                    self.failed
                )
            } else {
                String::new()
            }
        );
        match &self.metrics {
            TaskMetrics::Summary(m) => {
                let _ = writeln!(
                    s,
                    "F1 x100, {}; {} extractive and {} abstractive references, {:.2} sentences on average",
                    m.averaging, m.extractive_references, m.abstractive_references, m.mean_sentences
                );
                s += &rouge_line("system", &m.system);
                s += &rouge_line("lead-k", &m.lead);
                if m.extractive_references > 0 {
                    s += &score_line("sentences", &m.sentences);
                }
            }
            TaskMetrics::Parties(m) => {
                let _ = writeln!(s, "exact span and type, x100, {}", m.averaging);
                s += &score_line("all", &m.overall);
                for (t, score) in &m.per_type {
                    s += &score_line(t, score);
                }
                let _ = writeln!(
                    s,
                    "  ({} gold mentions of other types ignored)",
                    m.ignored_gold
                );
            }
            TaskMetrics::Dates(m) => {
                s += "x100, micro over mentions\n";
                s += &score_line("strict", &m.strict);
                s += &score_line("relaxed", &m.relaxed);
                s += &accuracy_line("value acc", &m.value);
                s += &accuracy_line("type acc", &m.kind);
                let _ = writeln!(s, "  {:<10} {}", "value F1", pct(m.value_f1));
            }
            TaskMetrics::Quotes(m) => {
                s += "x100, micro over quotations; match = overlap of half of the longer span\n";
                s += &score_line("quotes", &m.quotes);
                s += &accuracy_line("speaker", &m.speaker);
                let _ = writeln!(
                    s,
                    "  ({} predicted quotes under 3 words ignored)",
                    m.short_predictions_ignored
                );
            }
        }
        let t = &self.throughput;
        let _ = writeln!(
            s,
            "throughput (analysis only): {:.0} articles/s, {:.2} MB/s ({} articles, {} bytes, {:.3} s)",
            t.articles_per_second, t.megabytes_per_second, t.articles, t.bytes, t.seconds
        );
        for doc in &self.errors {
            let _ = writeln!(s, "\n== {}", doc.id);
            for e in &doc.items {
                let at = match (e.start, e.end) {
                    (Some(a), Some(b)) => format!("{a}..{b}"),
                    _ => String::new(),
                };
                let kind = serde_json::to_value(e.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                let text = if e.text.is_empty() {
                    String::new()
                } else {
                    format!("{:?}  ", e.text)
                };
                let _ = writeln!(s, "  {kind:<13} {at:<11} {text}{}", e.detail);
            }
        }
        s
    }
}
