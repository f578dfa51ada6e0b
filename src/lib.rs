//! Gleaner: a gRPC service that reads a news article, in any language, and returns an extractive
//! summary, key quotes with their speakers, the named parties involved and every temporal expression
//! normalised to ISO-8601.
//!
//! - [`analysis`] is the core: pure Rust, synchronous, no gRPC, protobuf or async runtime.
//! - [`eval`] scores the core on labelled articles (`gleaner eval`).
//! - [`grpc`] is the service: generated stubs, conversions, error mapping, server wiring.

pub mod analysis;
pub mod eval;
pub mod grpc;
