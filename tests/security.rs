//! TLS, mutual TLS and bearer-token authentication, with certificates made at test time (rcgen).

use std::sync::Arc;
use std::time::Duration;

use gleaner::analysis::Analyzer;
use gleaner::grpc::auth::BearerAuth;
use gleaner::grpc::pb;
use gleaner::grpc::pb::article_analyzer_client::ArticleAnalyzerClient;
use gleaner::grpc::server::{serve, ServerConfig, TlsSettings};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use tokio::sync::oneshot;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Identity};
use tonic::{Code, Request};

struct Pki {
    ca_pem: String,
    server: (String, String),
    client: (String, String),
}

fn pki() -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca =
        CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("ca key")).expect("ca");
    let leaf = |name: &str| {
        let key = KeyPair::generate().expect("key");
        let cert = CertificateParams::new(vec![name.to_string()])
            .expect("params")
            .signed_by(&key, &ca)
            .expect("signed");
        (cert.pem(), key.serialize_pem())
    };
    Pki {
        ca_pem: ca.pem(),
        server: leaf("localhost"),
        client: leaf("client.test"),
    }
}

async fn start(config: ServerConfig) -> (u16, oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = oneshot::channel::<()>();
    tokio::spawn(serve(
        listener,
        Arc::new(Analyzer::builder().build()),
        config,
        async {
            let _ = rx.await;
        },
    ));
    (port, tx)
}

async fn connect(
    url: String,
    tls: Option<ClientTlsConfig>,
) -> Result<Channel, tonic::transport::Error> {
    let mut last = None;
    for _ in 0..50 {
        let mut endpoint = Channel::from_shared(url.clone()).expect("url");
        if let Some(t) = &tls {
            endpoint = endpoint.tls_config(t.clone())?;
        }
        match endpoint.connect().await {
            Ok(ch) => return Ok(ch),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err(last.expect("at least one attempt"))
}

fn seed_request() -> pb::AnalyzeRequest {
    pb::AnalyzeRequest {
        document: Some(pb::Document {
            text: "The minister said on Monday that talks would resume. Unions welcomed it.".into(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn tls_and_mutual_tls() {
    let pki = pki();
    let config = ServerConfig {
        tls: Some(TlsSettings {
            cert_pem: pki.server.0.clone().into_bytes(),
            key_pem: pki.server.1.clone().into_bytes(),
            client_ca_pem: Some(pki.ca_pem.clone().into_bytes()),
        }),
        ..ServerConfig::default()
    };
    let (port, _stop) = start(config).await;
    let url = format!("https://localhost:{port}");
    let ca = Certificate::from_pem(&pki.ca_pem);

    // With a client certificate signed by the CA: served.
    let tls = ClientTlsConfig::new()
        .ca_certificate(ca.clone())
        .domain_name("localhost")
        .identity(Identity::from_pem(&pki.client.0, &pki.client.1));
    let channel = connect(url.clone(), Some(tls))
        .await
        .expect("mutual TLS connects");
    let resp = ArticleAnalyzerClient::new(channel)
        .analyze(seed_request())
        .await
        .expect("analyze over mTLS");
    assert!(!resp.into_inner().summary.is_empty());

    // Without a client certificate: the handshake or the first call fails.
    let tls = ClientTlsConfig::new()
        .ca_certificate(ca)
        .domain_name("localhost");
    let refused = match connect(url, Some(tls)).await {
        Err(_) => true,
        Ok(channel) => ArticleAnalyzerClient::new(channel)
            .analyze(seed_request())
            .await
            .is_err(),
    };
    assert!(refused, "a client without certificate was served");
}

#[tokio::test]
async fn bearer_tokens_guard_the_analyzer_but_not_health() {
    let config = ServerConfig {
        auth: BearerAuth::with_tokens(["s3cret-token"]),
        ..ServerConfig::default()
    };
    let (port, _stop) = start(config).await;
    let channel = connect(format!("http://127.0.0.1:{port}"), None)
        .await
        .expect("connect");
    let mut client = ArticleAnalyzerClient::new(channel.clone());

    let status = client.analyze(seed_request()).await.expect_err("no token");
    assert_eq!(status.code(), Code::Unauthenticated);

    let mut wrong = Request::new(seed_request());
    wrong
        .metadata_mut()
        .insert("authorization", "Bearer nope".parse().expect("header"));
    assert_eq!(
        client.analyze(wrong).await.expect_err("wrong token").code(),
        Code::Unauthenticated
    );

    let mut right = Request::new(seed_request());
    right.metadata_mut().insert(
        "authorization",
        "Bearer s3cret-token".parse().expect("header"),
    );
    assert!(client.analyze(right).await.is_ok());

    let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
    let resp = health
        .check(tonic_health::pb::HealthCheckRequest::default())
        .await
        .expect("health stays open");
    assert_eq!(
        resp.into_inner().status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );
}
