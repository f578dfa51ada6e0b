//! Server wiring: health, reflection, tower layers, compression, limits and graceful shutdown.

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tonic::codec::CompressionEncoding;
use tonic::server::NamedService;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Certificate, Identity, Server, ServerTlsConfig};
use tonic::Status;
use tower::{Layer, Service};

use super::auth::BearerAuth;
use super::pb;
use super::pb::article_analyzer_server::ArticleAnalyzerServer;
use super::service::{AnalyzerService, Arrival, Engine, ServiceConfig};

/// Settings of the whole server.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The analyzer service's settings.
    pub service: ServiceConfig,
    /// Largest gRPC message accepted or sent, in bytes.
    pub max_message_bytes: usize,
    /// Requests in progress at once before new ones are shed with RESOURCE_EXHAUSTED.
    pub max_in_flight: usize,
    /// Whether to serve reflection.
    pub reflection: bool,
    /// Longest time to wait for in-flight requests on shutdown.
    pub drain_timeout: Duration,
    /// Bearer tokens required on the analyzer service (health stays open).
    pub auth: BearerAuth,
    /// TLS, when enabled.
    pub tls: Option<TlsSettings>,
}

/// TLS material, PEM-encoded.
#[derive(Clone)]
pub struct TlsSettings {
    /// The server's certificate chain.
    pub cert_pem: Vec<u8>,
    /// The server's private key.
    pub key_pem: Vec<u8>,
    /// CA certificates that client certificates must chain to; set for mutual TLS.
    pub client_ca_pem: Option<Vec<u8>>,
}

impl std::fmt::Debug for TlsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsSettings")
            .field("mutual", &self.client_ca_pem.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            service: ServiceConfig::default(),
            max_message_bytes: 4 * 1024 * 1024,
            max_in_flight: 256,
            reflection: true,
            drain_timeout: Duration::from_secs(20),
            auth: BearerAuth::disabled(),
            tls: None,
        }
    }
}

/// Serves on `listener` until `shutdown` resolves, then reports NOT_SERVING, stops accepting and drains
/// the requests in flight.
pub async fn serve(
    listener: TcpListener,
    analyzer: Arc<dyn Engine>,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), tonic::transport::Error> {
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    let mut service_config = config.service.clone();
    // The text limit leaves room for the rest of the message.
    service_config.max_text_bytes = service_config
        .max_text_bytes
        .min(config.max_message_bytes.saturating_sub(16 * 1024));
    let analyzer_service =
        ArticleAnalyzerServer::new(AnalyzerService::new(analyzer, service_config))
            .max_decoding_message_size(config.max_message_bytes)
            .max_encoding_message_size(config.max_message_bytes.saturating_mul(4))
            .accept_compressed(CompressionEncoding::Gzip)
            .accept_compressed(CompressionEncoding::Zstd)
            .send_compressed(CompressionEncoding::Gzip)
            .send_compressed(CompressionEncoding::Zstd);
    // Authentication first, so that rejected callers take no admission permit.
    let limited = InFlightLimitLayer::new(config.max_in_flight, config.max_message_bytes)
        .layer(analyzer_service);
    let guarded = InterceptedService::new(limited, config.auth.clone());

    health_reporter
        .set_serving::<ArticleAnalyzerServer<AnalyzerService>>()
        .await;
    health_reporter
        .set_service_status("", tonic_health::ServingStatus::Serving)
        .await;

    let reflection = if config.reflection {
        // Only the public services are listed; v1 and v1alpha serve the same descriptors.
        let builder = || {
            tonic_reflection::server::Builder::configure()
                .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
                .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
                .with_service_name("gleaner.v1.ArticleAnalyzer")
                .with_service_name("grpc.health.v1.Health")
        };
        let v1 = builder().build_v1().ok();
        let v1alpha = builder().build_v1alpha().ok();
        Some((v1, v1alpha))
    } else {
        None
    };

    let addr = listener.local_addr().ok();
    let drain = config.drain_timeout;
    let reporter = health_reporter.clone();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let signal = async move {
        shutdown.await;
        tracing::info!("shutting down: NOT_SERVING, draining in-flight requests");
        reporter
            .set_not_serving::<ArticleAnalyzerServer<AnalyzerService>>()
            .await;
        reporter
            .set_service_status("", tonic_health::ServingStatus::NotServing)
            .await;
        let _ = stop_tx.send(());
    };

    let mut builder = Server::builder();
    if let Some(tls) = &config.tls {
        let mut tls_config =
            ServerTlsConfig::new().identity(Identity::from_pem(&tls.cert_pem, &tls.key_pem));
        if let Some(ca) = &tls.client_ca_pem {
            tls_config = tls_config.client_ca_root(Certificate::from_pem(ca));
        }
        builder = builder.tls_config(tls_config)?;
    }
    let mut builder = builder
        .layer(
            tower_http::trace::TraceLayer::new_for_grpc().make_span_with(
                |req: &http::Request<_>| tracing::info_span!("grpc", method = %req.uri().path()),
            ),
        )
        .timeout(config.service.default_timeout + Duration::from_secs(5))
        .http2_keepalive_interval(Some(Duration::from_secs(30)))
        .http2_keepalive_timeout(Some(Duration::from_secs(10)));
    let mut router = builder.add_service(health_service).add_service(guarded);
    if let Some((v1, v1alpha)) = reflection {
        router = router
            .add_optional_service(v1)
            .add_optional_service(v1alpha);
    }
    tracing::info!(addr = ?addr, "serving");
    // Small gRPC frames must not wait for Nagle's algorithm and delayed ACKs (tens of milliseconds).
    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    let serving = router.serve_with_incoming_shutdown(incoming, signal);
    tokio::pin!(serving);
    // Once shutdown starts, in-flight requests get `drain` to finish.
    tokio::select! {
        r = &mut serving => r,
        _ = async {
            let _ = stop_rx.await;
            tokio::time::sleep(drain).await;
        } => {
            tracing::warn!("drain timeout reached; closing remaining connections");
            Ok(())
        }
    }
}

/// A tower layer that sheds load: once `limit` requests are in progress, new ones are answered at once
/// with RESOURCE_EXHAUSTED instead of queueing without bound. It also turns tonic's OUT_OF_RANGE answer
/// to an oversized message into RESOURCE_EXHAUSTED naming the limit, as gRPC's status guidance says.
#[derive(Debug, Clone)]
pub struct InFlightLimitLayer {
    permits: Arc<Semaphore>,
    max_message_bytes: usize,
}

impl InFlightLimitLayer {
    /// A layer admitting `limit` requests at once.
    pub fn new(limit: usize, max_message_bytes: usize) -> Self {
        InFlightLimitLayer {
            permits: Arc::new(Semaphore::new(limit.max(1))),
            max_message_bytes,
        }
    }
}

impl<S> Layer<S> for InFlightLimitLayer {
    type Service = InFlightLimit<S>;

    fn layer(&self, inner: S) -> Self::Service {
        InFlightLimit {
            inner,
            permits: self.permits.clone(),
            max_message_bytes: self.max_message_bytes,
        }
    }
}

/// The service made by [`InFlightLimitLayer`].
#[derive(Debug, Clone)]
pub struct InFlightLimit<S> {
    inner: S,
    permits: Arc<Semaphore>,
    max_message_bytes: usize,
}

impl<S: NamedService> NamedService for InFlightLimit<S> {
    const NAME: &'static str = S::NAME;
}

impl<S, ReqBody, ResBody> Service<http::Request<ReqBody>> for InFlightLimit<S>
where
    S: Service<http::Request<ReqBody>, Response = http::Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    ReqBody: Send + 'static,
    ResBody: Default + Send + 'static,
{
    type Response = http::Response<ResBody>;
    type Error = S::Error;
    type Future = BoxFuture<'static, Result<Self::Response, Self::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: http::Request<ReqBody>) -> Self::Future {
        req.extensions_mut()
            .insert(Arrival(tokio::time::Instant::now()));
        let permit: Option<OwnedSemaphorePermit> = self.permits.clone().try_acquire_owned().ok();
        let Some(permit) = permit else {
            tracing::warn!("shedding load: too many requests in flight");
            let status = Status::resource_exhausted(
                "server overloaded: too many requests in flight, retry with backoff",
            );
            return Box::pin(async move { Ok(status.into_http()) });
        };
        // Swap in a clone that is ready, as tower's `Service` contract requires.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let limit = self.max_message_bytes;
        Box::pin(async move {
            let mut response = inner.call(req).await?;
            drop(permit);
            rewrite_oversized(&mut response, limit);
            Ok(response)
        })
    }
}

fn rewrite_oversized<B>(response: &mut http::Response<B>, limit: usize) {
    let headers = response.headers_mut();
    let too_large = headers.get("grpc-status").is_some_and(|v| v == "11")
        && headers
            .get("grpc-message")
            .and_then(|m| m.to_str().ok())
            .is_some_and(|m| {
                m.contains("message%20length%20too%20large")
                    || m.contains("message length too large")
            });
    if too_large {
        let status = Status::resource_exhausted(format!(
            "request message larger than the limit of {limit} bytes (document.text is limited to about that size)"
        ));
        headers.remove("grpc-message");
        let _ = status.add_header(headers);
    }
}
