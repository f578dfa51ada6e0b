//! The analysis core: no gRPC, protobuf or async runtime here.
//!
//! A [`Document`] goes through [`Analyzer::analyze`]: language detection, sentence segmentation and
//! tokenisation ([`Prepared`]), sentence ranking, then the extractors (parties, quotes, dates). Every
//! result carries byte offsets into the document's text; [`offsets`] converts them for clients.

pub mod analyzer;
pub(crate) mod bytes;
pub mod document;
pub mod extract;
pub mod lang;
pub mod lexicon;
pub mod offsets;
pub mod output;
pub mod rank;
pub mod segment;
pub mod span;
pub mod token;

pub use analyzer::{AnalysisError, Analyzer, AnalyzerBuilder, Feature, Options, Order, Prepared};
pub use document::{Document, TimeZoneSpec};
pub use lang::{Language, LanguageSource};
pub use offsets::OffsetEncoding;
pub use output::*;
pub use span::Span;
