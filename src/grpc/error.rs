//! The one place where errors become gRPC statuses.
//!
//! Request validation and the analysis core report [`ServiceError`]s; [`ServiceError::to_status`] maps
//! each kind to its code with an exhaustive `match`, adding `google.rpc.BadRequest` field violations to
//! INVALID_ARGUMENT. Internal failures are logged with an id, and only the id reaches the client.

use prost::Message as _;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, StatusExt};

use super::pb;
use crate::analysis::AnalysisError;

/// A field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldViolation {
    /// Path of the field, such as `document.text`.
    pub field: String,
    /// What is wrong with it.
    pub description: String,
}

impl FieldViolation {
    /// A violation of `field`.
    pub fn new(field: impl Into<String>, description: impl Into<String>) -> Self {
        FieldViolation {
            field: field.into(),
            description: description.into(),
        }
    }
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServiceError {
    /// One or more fields are invalid.
    #[error("invalid request: {}", describe(.0))]
    InvalidArgument(Vec<FieldViolation>),
    /// The text is larger than the server accepts.
    #[error("document.text is {len} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// Size of the text.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// The deadline passed before the analysis finished.
    #[error("deadline exceeded before the analysis finished")]
    DeadlineExceeded,
    /// The server is shutting down or too busy to take the request.
    #[error("server unavailable: {0}")]
    Unavailable(&'static str),
    /// A bug: logged with this id.
    #[error("internal error (id {0}); the server log has the details")]
    Internal(String),
}

fn describe(v: &[FieldViolation]) -> String {
    v.iter()
        .map(|f| format!("{}: {}", f.field, f.description))
        .collect::<Vec<_>>()
        .join("; ")
}

impl ServiceError {
    /// An internal error: logs `what` with a fresh id and returns the error carrying only the id.
    pub fn internal(what: &dyn std::fmt::Display) -> Self {
        let id = uuid::Uuid::new_v4().to_string();
        tracing::error!(error_id = %id, error = %what, "internal error");
        ServiceError::Internal(id)
    }

    /// The gRPC code of this error.
    pub fn code(&self) -> Code {
        match self {
            ServiceError::InvalidArgument(_) => Code::InvalidArgument,
            ServiceError::TooLarge { .. } => Code::ResourceExhausted,
            ServiceError::DeadlineExceeded => Code::DeadlineExceeded,
            ServiceError::Unavailable(_) => Code::Unavailable,
            ServiceError::Internal(_) => Code::Internal,
        }
    }

    fn details(&self) -> ErrorDetails {
        match self {
            ServiceError::InvalidArgument(v) => ErrorDetails::with_bad_request(
                v.iter()
                    .map(|f| {
                        tonic_types::FieldViolation::new(f.field.clone(), f.description.clone())
                    })
                    .collect::<Vec<_>>(),
            ),
            ServiceError::TooLarge { limit, .. } => ErrorDetails::with_bad_request_violation(
                "document.text",
                format!("larger than the limit of {limit} bytes"),
            ),
            ServiceError::DeadlineExceeded
            | ServiceError::Unavailable(_)
            | ServiceError::Internal(_) => ErrorDetails::new(),
        }
    }

    /// The status returned for a unary call.
    pub fn to_status(&self) -> Status {
        Status::with_error_details(self.code(), self.to_string(), self.details())
    }

    /// The `google.rpc.Status` put in a stream or batch item's `error` field.
    pub fn to_rpc_status(&self) -> pb::google::rpc::Status {
        let details = match self {
            ServiceError::InvalidArgument(_) | ServiceError::TooLarge { .. } => {
                let violations = match self.details().bad_request() {
                    Some(b) => b.field_violations.clone(),
                    None => Vec::new(),
                };
                let bad = tonic_types::pb::BadRequest {
                    field_violations: violations
                        .into_iter()
                        .map(|v| tonic_types::pb::bad_request::FieldViolation {
                            field: v.field,
                            description: v.description,
                            ..Default::default()
                        })
                        .collect(),
                };
                vec![pbjson_types::Any {
                    type_url: "type.googleapis.com/google.rpc.BadRequest".to_string(),
                    value: bad.encode_to_vec().into(),
                }]
            }
            _ => Vec::new(),
        };
        pb::google::rpc::Status {
            code: self.code() as i32,
            message: self.to_string(),
            details,
        }
    }
}

impl From<AnalysisError> for ServiceError {
    fn from(e: AnalysisError) -> Self {
        match e {
            AnalysisError::EmptyText => ServiceError::InvalidArgument(vec![FieldViolation::new(
                "document.text",
                "must not be empty or blank",
            )]),
            AnalysisError::TooLong { len, limit } => ServiceError::TooLarge { len, limit },
        }
    }
}

impl From<ServiceError> for Status {
    fn from(e: ServiceError) -> Self {
        e.to_status()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_argument_carries_field_violations() {
        let e = ServiceError::InvalidArgument(vec![FieldViolation::new(
            "document.text",
            "must not be blank",
        )]);
        let status = e.to_status();
        assert_eq!(status.code(), Code::InvalidArgument);
        let br = status
            .get_details_bad_request()
            .expect("bad request details");
        assert_eq!(br.field_violations[0].field, "document.text");
        let rpc = e.to_rpc_status();
        assert_eq!(rpc.code, Code::InvalidArgument as i32);
        assert_eq!(rpc.details.len(), 1);
    }

    #[test]
    fn too_large_is_resource_exhausted_and_names_the_limit() {
        let status = ServiceError::TooLarge { len: 10, limit: 5 }.to_status();
        assert_eq!(status.code(), Code::ResourceExhausted);
        assert!(status.message().contains("limit of 5 bytes"));
    }

    #[test]
    fn internal_errors_hide_details_behind_an_id() {
        let e = ServiceError::internal(&"secret failure");
        let status = e.to_status();
        assert_eq!(status.code(), Code::Internal);
        assert!(!status.message().contains("secret"));
    }
}
