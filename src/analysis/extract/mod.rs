//! The extractors: one module per kind of information.

pub mod dates;
pub mod entities;
pub mod quotes;
