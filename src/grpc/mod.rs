//! The gRPC layer: generated stubs, request/response conversion, error mapping and the server.
//!
//! It holds no NLP logic: handlers convert the request into an [`crate::analysis::Document`], run the
//! analyzer off the async workers and convert the result back.

pub mod auth;
pub mod convert;
pub mod error;
pub mod report;
pub mod server;
pub mod service;

/// Generated protobuf types and stubs.
#[allow(missing_docs, unreachable_pub, clippy::all, rustdoc::all)]
pub mod pb {
    /// `google.rpc` messages.
    pub mod google {
        /// `google.rpc`.
        pub mod rpc {
            include!(concat!(env!("OUT_DIR"), "/google.rpc.rs"));
            include!(concat!(env!("OUT_DIR"), "/google.rpc.serde.rs"));
        }
    }
    /// `gleaner.v1`.
    pub mod gleaner {
        /// `gleaner.v1`.
        pub mod v1 {
            include!(concat!(env!("OUT_DIR"), "/gleaner.v1.rs"));
            include!(concat!(env!("OUT_DIR"), "/gleaner.v1.serde.rs"));
        }
    }
    pub use gleaner::v1::*;

    /// Encoded file descriptor set of `proto/`, served by reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/gleaner_descriptor.bin"));
}
