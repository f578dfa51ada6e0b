//! The `gleaner.v1.ArticleAnalyzer` handlers: convert, run the core off the async workers, convert back.

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures::{Stream, StreamExt};
use tokio::sync::{mpsc, Semaphore};
use tokio::time::Instant;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};

use super::convert::{error_response, response_from_analysis, ValidRequest};
use super::error::{FieldViolation, ServiceError};
use super::pb;
use super::pb::article_analyzer_server::ArticleAnalyzer;
use crate::analysis::Analyzer;

/// When a request reached the server, set by the server's admission layer.
#[derive(Debug, Clone, Copy)]
pub struct Arrival(pub Instant);

/// Settings of the analyzer service.
#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Largest `document.text` accepted, in bytes.
    pub max_text_bytes: usize,
    /// Deadline applied when the client sends none.
    pub default_timeout: Duration,
    /// Analyses running at once on the blocking pool (usually the number of cores).
    pub cpu_workers: usize,
    /// Largest number of documents in one `AnalyzeBatch`.
    pub max_batch_items: usize,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        ServiceConfig {
            max_text_bytes: 4 * 1024 * 1024 - 64 * 1024,
            default_timeout: Duration::from_secs(30),
            cpu_workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_batch_items: 1000,
        }
    }
}

/// The `ArticleAnalyzer` service.
#[derive(Debug, Clone)]
pub struct AnalyzerService {
    analyzer: Arc<Analyzer>,
    cpu: Arc<Semaphore>,
    config: Arc<ServiceConfig>,
}

impl AnalyzerService {
    /// A service sharing `analyzer`.
    pub fn new(analyzer: Arc<Analyzer>, config: ServiceConfig) -> Self {
        AnalyzerService {
            analyzer,
            cpu: Arc::new(Semaphore::new(config.cpu_workers.max(1))),
            config: Arc::new(config),
        }
    }

    /// The request's deadline: the client's `grpc-timeout` (or the default), counted from the request's
    /// arrival and ending a little early, so that the handler answers DEADLINE_EXCEEDED before tonic's
    /// own timer (which would answer CANCELLED) fires.
    fn deadline<T>(&self, req: &Request<T>) -> Instant {
        let timeout = req
            .metadata()
            .get("grpc-timeout")
            .and_then(|v| v.to_str().ok())
            .and_then(parse_grpc_timeout)
            .map_or(self.config.default_timeout, |t| {
                t.min(self.config.default_timeout)
            });
        let arrival = req
            .extensions()
            .get::<Arrival>()
            .map_or_else(Instant::now, |a| a.0);
        let margin = (timeout / 20).clamp(Duration::from_millis(1), Duration::from_millis(20));
        arrival + timeout.saturating_sub(margin)
    }

    /// Validates and analyses one request, by `deadline`.
    async fn run_one(
        &self,
        req: pb::AnalyzeRequest,
        deadline: Instant,
    ) -> Result<pb::AnalyzeResponse, ServiceError> {
        let valid = ValidRequest::from_proto(req, self.config.max_text_bytes)?;
        let work = async {
            let permit = self
                .cpu
                .clone()
                .acquire_owned()
                .await
                .map_err(|_| ServiceError::Unavailable("shutting down"))?;
            let analyzer = self.analyzer.clone();
            let started = std::time::Instant::now();
            let joined = tokio::task::spawn_blocking(move || {
                let _permit = permit;
                let ValidRequest {
                    request_id,
                    document,
                    options,
                    encoding,
                } = valid;
                let analysis = analyzer.analyze(&document, &options)?;
                Ok::<_, ServiceError>(response_from_analysis(
                    request_id,
                    &document.text,
                    analysis,
                    encoding,
                ))
            })
            .await;
            let result = match joined {
                Ok(r) => r,
                Err(e) if e.is_panic() => Err(ServiceError::internal(&"analysis panicked")),
                Err(e) => Err(ServiceError::internal(&e)),
            };
            tracing::debug!(
                elapsed_us = started.elapsed().as_micros() as u64,
                ok = result.is_ok(),
                "analysed"
            );
            result
        };
        match tokio::time::timeout_at(deadline, work).await {
            Ok(r) => r,
            Err(_) => Err(ServiceError::DeadlineExceeded),
        }
    }
}

/// Parses a `grpc-timeout` header value: up to 8 digits and a unit (H, M, S, m, u, n).
pub fn parse_grpc_timeout(v: &str) -> Option<Duration> {
    let (digits, unit) = v.split_at(v.len().checked_sub(1)?);
    if digits.is_empty() || digits.len() > 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n * 3600),
        "M" => Duration::from_secs(n * 60),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}

type ResponseStream = Pin<Box<dyn Stream<Item = Result<pb::AnalyzeResponse, Status>> + Send>>;

#[tonic::async_trait]
impl ArticleAnalyzer for AnalyzerService {
    async fn analyze(
        &self,
        request: Request<pb::AnalyzeRequest>,
    ) -> Result<Response<pb::AnalyzeResponse>, Status> {
        let deadline = self.deadline(&request);
        let req = request.into_inner();
        let len = req.document.as_ref().map_or(0, |d| d.text.len());
        let id = req.request_id.clone();
        let result = self.run_one(req, deadline).await;
        tracing::info!(request_id = %id, text_bytes = len, status = ?result.as_ref().err().map(ServiceError::code), "Analyze");
        Ok(Response::new(result?))
    }

    type AnalyzeStreamStream = ResponseStream;

    async fn analyze_stream(
        &self,
        request: Request<Streaming<pb::AnalyzeRequest>>,
    ) -> Result<Response<Self::AnalyzeStreamStream>, Status> {
        let deadline = self.deadline(&request);
        let inbound = request.into_inner();
        let (tx, rx) = mpsc::channel(32);
        let this = self.clone();
        let window = self.config.cpu_workers.max(1) * 2;
        tokio::spawn(async move {
            // Up to `window` requests in flight; answers leave in request order as soon as each is ready.
            let mut answers = inbound
                .map(move |item| {
                    let this = this.clone();
                    async move {
                        match item {
                            Ok(req) => {
                                let id = req.request_id.clone();
                                Ok(match this.run_one(req, deadline).await {
                                    Ok(resp) => resp,
                                    Err(e) => error_response(id, &e),
                                })
                            }
                            Err(status) => Err(status),
                        }
                    }
                })
                .buffered(window);
            while let Some(answer) = answers.next().await {
                let stop = answer.is_err();
                if tx.send(answer).await.is_err() || stop {
                    break;
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }

    async fn analyze_batch(
        &self,
        request: Request<pb::AnalyzeBatchRequest>,
    ) -> Result<Response<pb::AnalyzeBatchResponse>, Status> {
        let deadline = self.deadline(&request);
        let batch = request.into_inner();
        if batch.requests.len() > self.config.max_batch_items {
            return Err(ServiceError::InvalidArgument(vec![FieldViolation::new(
                "requests",
                format!(
                    "{} documents, over the limit of {} per batch",
                    batch.requests.len(),
                    self.config.max_batch_items
                ),
            )])
            .into());
        }
        let n = batch.requests.len();
        let responses = futures::future::join_all(batch.requests.into_iter().map(|req| {
            let id = req.request_id.clone();
            async move {
                match self.run_one(req, deadline).await {
                    Ok(r) => r,
                    Err(e) => error_response(id, &e),
                }
            }
        }))
        .await;
        tracing::info!(documents = n, "AnalyzeBatch");
        Ok(Response::new(pb::AnalyzeBatchResponse { responses }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grpc_timeouts_parse() {
        assert_eq!(parse_grpc_timeout("100m"), Some(Duration::from_millis(100)));
        assert_eq!(parse_grpc_timeout("2S"), Some(Duration::from_secs(2)));
        assert_eq!(parse_grpc_timeout("1H"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_grpc_timeout("123456789S"), None);
        assert_eq!(parse_grpc_timeout("S"), None);
        assert_eq!(parse_grpc_timeout("10x"), None);
        assert_eq!(parse_grpc_timeout(""), None);
    }
}
