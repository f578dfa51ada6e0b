//! The analysis pipeline: language -> sentences -> tokens -> sentence ranking -> extractors.
//!
//! [`Analyzer`] is built once at start-up (loading lexicons and the entity model) and shared immutably;
//! [`Analyzer::analyze`] is synchronous and CPU-bound, and callers in async code run it off their
//! executor's workers.

use std::ops::Range;
use std::sync::OnceLock;

use super::document::Document;
use super::extract::{dates::DateExtractor, entities::EntityRecognizer, quotes::QuoteExtractor};
use super::lang::Language;
use super::lexicon::{LanguageData, REGISTRY};
use super::output::{Analysis, SentenceOut};
use super::rank::SummaryRanker;
use super::segment::{split_sentences, SegmentKind};
use super::span::Span;
use super::token::{Stems, Token, Tokenizer};

/// A part of the analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Feature {
    /// Extractive summary.
    Summary,
    /// Quotes and speakers.
    Quotes,
    /// Named parties.
    Parties,
    /// Temporal expressions.
    Dates,
    /// Every sentence.
    Sentences,
}

/// Order of summary sentences and quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Document order.
    #[default]
    Document,
    /// Best first.
    Rank,
}

/// What to compute.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Features to compute.
    pub features: Vec<Feature>,
    /// Number of summary sentences.
    pub max_summary_sentences: usize,
    /// Summary length as a fraction of the sentences; replaces the count when set.
    pub summary_ratio: Option<f32>,
    /// Largest summary length in characters.
    pub summary_max_chars: Option<usize>,
    /// Number of key quotes; `None` for all above the scare-quote threshold.
    pub max_quotes: Option<usize>,
    /// Order of summary sentences and quotes.
    pub order: Order,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            features: Options::DEFAULT_FEATURES.to_vec(),
            max_summary_sentences: 3,
            summary_ratio: None,
            summary_max_chars: None,
            max_quotes: None,
            order: Order::Document,
        }
    }
}

impl Options {
    /// Features computed when the caller names none.
    pub const DEFAULT_FEATURES: [Feature; 4] = [
        Feature::Summary,
        Feature::Quotes,
        Feature::Parties,
        Feature::Dates,
    ];

    /// Every feature, sentences included, with the default settings.
    pub fn all() -> Options {
        Options {
            features: vec![
                Feature::Summary,
                Feature::Quotes,
                Feature::Parties,
                Feature::Dates,
                Feature::Sentences,
            ],
            ..Options::default()
        }
    }

    /// Whether `f` is asked for.
    pub fn wants(&self, f: Feature) -> bool {
        self.features.contains(&f)
    }
}

/// Why an analysis could not be done.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// The text is empty or only white space.
    #[error("text is empty or blank")]
    EmptyText,
    /// The text is longer than the analyzer accepts.
    #[error("text is {len} bytes, over the limit of {limit} bytes")]
    TooLong {
        /// Length of the text.
        len: usize,
        /// The limit.
        limit: usize,
    },
}

/// A sentence with its tokens.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Where it is.
    pub span: Span,
    /// Headline, dateline or body.
    pub kind: SegmentKind,
    /// Index of its line.
    pub paragraph: usize,
    /// Its tokens, as a range of [`Prepared::tokens`].
    pub tokens: Range<usize>,
}

/// The text prepared for the extractors: language, sentences and tokens, computed once.
#[derive(Debug)]
pub struct Prepared<'a> {
    /// The text.
    pub text: &'a str,
    /// The caller's headline, if given apart from the text.
    pub title: Option<&'a str>,
    /// The language.
    pub language: Language,
    /// The language's data.
    pub data: &'static LanguageData,
    /// Sentences in order.
    pub sentences: Vec<Sentence>,
    /// Tokens of all sentences, in order.
    pub tokens: Vec<Token>,
    norm_buf: String,
    stems: OnceLock<Stems>,
}

impl<'a> Prepared<'a> {
    /// Detects the language (unless given), splits sentences and tokenises.
    pub fn new(text: &'a str, title: Option<&'a str>, language: Option<Language>) -> Prepared<'a> {
        let language = language.unwrap_or_else(|| Language::detect(text));
        let data = LanguageData::default_for(&language.primary);
        let raw = split_sentences(text, data);
        let mut tokens = Vec::with_capacity(text.len() / 5);
        let mut norm_buf = String::with_capacity(text.len());
        let mut sentences = Vec::with_capacity(raw.len());
        let mut tokenizer = Tokenizer::default();
        for (i, s) in raw.into_iter().enumerate() {
            let t0 = tokens.len();
            tokenizer.run(text, s.span, i as u32, data, &mut tokens, &mut norm_buf);
            sentences.push(Sentence {
                span: s.span,
                kind: s.kind,
                paragraph: s.paragraph,
                tokens: t0..tokens.len(),
            });
        }
        Prepared {
            text,
            title,
            language,
            data,
            sentences,
            tokens,
            norm_buf,
            stems: OnceLock::new(),
        }
    }

    /// The normalised (lower-case) form of a token.
    pub fn norm(&self, t: &Token) -> &str {
        &self.norm_buf[t.norm.0 as usize..t.norm.1 as usize]
    }

    /// The Snowball stem of a token of this text (its normalised form for stop words, numbers and
    /// languages without a stemmer). Stems are computed for the whole text on the first call.
    pub fn stem(&self, t: &Token) -> &str {
        let stems = self
            .stems
            .get_or_init(|| Stems::compute(&self.tokens, &self.norm_buf, self.data));
        // Normalised forms are laid out in token order, so the norm offset finds the token's index.
        let i = self.tokens.partition_point(|x| x.norm.0 < t.norm.0);
        if self.tokens.get(i) == Some(t) {
            stems.get(i)
        } else {
            self.norm(t)
        }
    }

    /// The tokens of sentence `i`.
    pub fn sentence_tokens(&self, i: usize) -> &[Token] {
        &self.tokens[self.sentences[i].tokens.clone()]
    }

    /// The surface text of a token.
    pub fn surface(&self, t: &Token) -> &'a str {
        t.span.slice(self.text)
    }

    /// Index of the sentence containing byte `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= offset);
        (i < self.sentences.len() && self.sentences[i].span.start <= offset).then_some(i)
    }
}

/// Builds an [`Analyzer`].
#[derive(Debug)]
pub struct AnalyzerBuilder {
    max_text_bytes: usize,
}

impl Default for AnalyzerBuilder {
    fn default() -> Self {
        AnalyzerBuilder {
            max_text_bytes: 4 * 1024 * 1024,
        }
    }
}

impl AnalyzerBuilder {
    /// Largest text accepted, in bytes.
    pub fn max_text_bytes(mut self, n: usize) -> Self {
        self.max_text_bytes = n;
        self
    }

    /// Loads every per-language resource and model.
    ///
    /// Lexicons, automata and models are parsed lazily on first use; building ends by analysing a short
    /// text in each language with data, so that this cost is paid here, at start-up, and not by the first
    /// requests (which would otherwise hold workers for tens of milliseconds while a server reports
    /// itself ready).
    pub fn build(self) -> Analyzer {
        let analyzer = Analyzer {
            max_text_bytes: self.max_text_bytes,
            ranker: SummaryRanker,
            entities: EntityRecognizer::load(),
            quotes: QuoteExtractor,
            dates: DateExtractor,
        };
        analyzer.warm_up();
        analyzer
    }
}

/// The analysis engine: immutable, shared by every request.
#[derive(Debug)]
pub struct Analyzer {
    max_text_bytes: usize,
    ranker: SummaryRanker,
    entities: EntityRecognizer,
    quotes: QuoteExtractor,
    dates: DateExtractor,
}

impl Analyzer {
    /// A builder.
    pub fn builder() -> AnalyzerBuilder {
        AnalyzerBuilder::default()
    }

    /// Largest text accepted, in bytes.
    pub fn max_text_bytes(&self) -> usize {
        self.max_text_bytes
    }

    /// Forces every lazily built resource by analysing a short sample per language with data.
    fn warm_up(&self) {
        const SAMPLE: &str = "Headline\nOn Monday, 7 December 2021, J. Smith said: \"We met the U.S. team in Paris.\" \
             It happened two years ago.";
        let options = Options::all();
        let mut languages: Vec<&str> = REGISTRY.keys().copied().collect();
        languages.sort_unstable();
        languages.push("und");
        for code in languages {
            let doc = Document {
                text: SAMPLE.to_string(),
                language: Language::from_tag(code).ok(),
                ..Document::default()
            };
            // The sample is valid; a failure here would only mean a colder first request.
            let _ = self.analyze(&doc, &options);
        }
        // Detection itself has tables too.
        let _ = Language::detect(SAMPLE);
    }

    /// Analyses one document.
    ///
    /// ```
    /// use gleaner::analysis::{Analyzer, Document, Options};
    /// let analyzer = Analyzer::builder().build();
    /// let doc = Document::new(
    ///     "President Joe Biden met Vladimir Putin in Geneva on Wednesday. \"We talked about the \
    ///      future of our two countries,\" Biden told reporters after the meeting.",
    /// );
    /// let result = analyzer.analyze(&doc, &Options::default()).unwrap();
    /// assert_eq!(result.language.primary, "en");
    /// assert!(!result.summary.is_empty());
    /// ```
    pub fn analyze(&self, doc: &Document, opts: &Options) -> Result<Analysis, AnalysisError> {
        if doc.text.len() > self.max_text_bytes {
            return Err(AnalysisError::TooLong {
                len: doc.text.len(),
                limit: self.max_text_bytes,
            });
        }
        if doc.text.trim().is_empty() {
            return Err(AnalysisError::EmptyText);
        }
        let prepared = Prepared::new(&doc.text, doc.title.as_deref(), doc.language.clone());
        let mut analysis = Analysis::empty(prepared.language.clone());
        if opts.wants(Feature::Sentences) {
            analysis.sentences = prepared
                .sentences
                .iter()
                .map(|s| SentenceOut {
                    span: s.span,
                    is_headline: s.kind == SegmentKind::Headline,
                })
                .collect();
        }
        let need_summary = opts.wants(Feature::Summary) || opts.wants(Feature::Parties);
        let summary = if need_summary {
            let ranking = self.ranker.score(&prepared);
            self.ranker.select(&prepared, &ranking, opts)
        } else {
            Vec::new()
        };
        let need_parties = opts.wants(Feature::Parties) || opts.wants(Feature::Quotes);
        let parties = if need_parties {
            self.entities.parties(&prepared, &summary)
        } else {
            Vec::new()
        };
        if opts.wants(Feature::Quotes) {
            analysis.quotes = self.quotes.extract(&prepared, &parties, opts);
            if !opts.wants(Feature::Parties) {
                analysis
                    .quotes
                    .iter_mut()
                    .for_each(|q| q.speaker_party = None);
            }
        }
        if opts.wants(Feature::Dates) {
            let (dates, anchor) = self.dates.extract(&prepared, doc.published);
            analysis.dates = dates;
            analysis.anchor = anchor;
        }
        if opts.wants(Feature::Parties) {
            analysis.parties = parties;
        }
        if opts.wants(Feature::Summary) {
            analysis.summary = summary;
        }
        Ok(analysis)
    }
}
