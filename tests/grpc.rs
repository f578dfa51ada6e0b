//! End-to-end tests of the gRPC service: a real server on 127.0.0.1:0 and the generated client.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use gleaner::analysis::Analyzer;
use gleaner::grpc::pb;
use gleaner::grpc::pb::article_analyzer_client::ArticleAnalyzerClient;
use gleaner::grpc::server::{serve, ServerConfig};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::codec::CompressionEncoding;
use tonic::transport::Channel;
use tonic::{Code, Request};
use tonic_types::StatusExt;

const SEED: &str = include_str!("../seeds/article-fr-diplomatie.txt");

struct TestServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    handle: JoinHandle<Result<(), tonic::transport::Error>>,
}

impl TestServer {
    async fn start(config: ServerConfig) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let analyzer = Arc::new(Analyzer::builder().build());
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(serve(listener, analyzer, config, async {
            let _ = rx.await;
        }));
        TestServer {
            addr,
            stop: Some(tx),
            handle,
        }
    }

    async fn channel(&self) -> Channel {
        let url = format!("http://{}", self.addr);
        for _ in 0..100 {
            if let Ok(ch) = Channel::from_shared(url.clone())
                .expect("url")
                .connect()
                .await
            {
                return ch;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("server did not come up at {url}");
    }

    async fn client(&self) -> ArticleAnalyzerClient<Channel> {
        ArticleAnalyzerClient::new(self.channel().await).max_decoding_message_size(64 * 1024 * 1024)
    }

    fn shutdown(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

fn request(text: &str) -> pb::AnalyzeRequest {
    pb::AnalyzeRequest {
        request_id: String::new(),
        document: Some(pb::Document {
            text: text.to_string(),
            ..Default::default()
        }),
        options: None,
    }
}

fn with_encoding(mut req: pb::AnalyzeRequest, enc: pb::OffsetEncoding) -> pb::AnalyzeRequest {
    let mut opts = req.options.unwrap_or_default();
    opts.offset_encoding = enc as i32;
    opts.features = vec![
        pb::Feature::Summary as i32,
        pb::Feature::Quotes as i32,
        pb::Feature::Parties as i32,
        pb::Feature::Dates as i32,
        pb::Feature::Sentences as i32,
    ];
    req.options = Some(opts);
    req
}

/// Slices `text` at `span` counted in `enc`, as a client in that language would.
fn slice(text: &str, span: &pb::TextSpan, enc: pb::OffsetEncoding) -> String {
    let (b, e) = (span.begin as usize, span.end as usize);
    assert!(b <= e, "span {b}..{e} is reversed");
    match enc {
        pb::OffsetEncoding::Unspecified | pb::OffsetEncoding::Utf8 => text
            .get(b..e)
            .expect("UTF-8 span on char boundaries")
            .to_string(),
        pb::OffsetEncoding::Utf16 => {
            let units: Vec<u16> = text.encode_utf16().collect();
            String::from_utf16(&units[b..e]).expect("UTF-16 span on code point boundaries")
        }
        pb::OffsetEncoding::CodePoint => text.chars().skip(b).take(e - b).collect(),
    }
}

fn assert_spans_slice(text: &str, r: &pb::AnalyzeResponse, enc: pb::OffsetEncoding) {
    let check = |what: &str, span: &Option<pb::TextSpan>, want: &str| {
        let span = span
            .as_ref()
            .unwrap_or_else(|| panic!("{what} has no span"));
        assert_eq!(
            slice(text, span, enc),
            want,
            "{what} span does not slice its text in {enc:?}"
        );
    };
    for s in &r.sentences {
        check("sentence", &s.span, &s.text);
    }
    for s in &r.summary {
        check("summary", &s.span, &s.text);
    }
    for q in &r.quotes {
        check("quote", &q.span, &q.text);
        if !q.cue.is_empty() {
            check("cue", &q.cue_span, &q.cue);
        }
    }
    for p in &r.parties {
        for m in &p.mentions {
            check("mention", &m.span, &m.text);
        }
    }
    for d in &r.dates {
        check("date", &d.span, &d.text);
    }
}

#[tokio::test]
async fn health_is_serving_and_reflection_lists_the_service() {
    let server = TestServer::start(ServerConfig::default()).await;
    let channel = server.channel().await;
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel.clone());
    for service in ["", "gleaner.v1.ArticleAnalyzer"] {
        let resp = health
            .check(tonic_health::pb::HealthCheckRequest {
                service: service.to_string(),
            })
            .await
            .expect("health check")
            .into_inner();
        assert_eq!(
            resp.status,
            tonic_health::pb::health_check_response::ServingStatus::Serving as i32
        );
    }

    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    let mut reflection = ServerReflectionClient::new(channel);
    let outbound = tokio_stream::iter(vec![ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    }]);
    let mut inbound = reflection
        .server_reflection_info(outbound)
        .await
        .expect("reflection")
        .into_inner();
    let answer = inbound
        .message()
        .await
        .expect("reflection answer")
        .expect("one answer");
    let Some(MessageResponse::ListServicesResponse(list)) = answer.message_response else {
        panic!("unexpected reflection answer {answer:?}");
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    assert!(
        names.contains(&"gleaner.v1.ArticleAnalyzer".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"grpc.health.v1.Health".to_string()),
        "{names:?}"
    );
}

#[tokio::test]
async fn analyze_seed_spans_slice_exactly_in_every_encoding() {
    let server = TestServer::start(ServerConfig::default()).await;
    let mut client = server.client().await;
    for enc in [
        pb::OffsetEncoding::Utf8,
        pb::OffsetEncoding::Utf16,
        pb::OffsetEncoding::CodePoint,
    ] {
        let resp = client
            .analyze(with_encoding(request(SEED), enc))
            .await
            .expect("analyze seed")
            .into_inner();
        assert_eq!(resp.language_code, "fr");
        assert!(!resp.summary.is_empty() && resp.summary.len() <= 3);
        assert!(!resp.sentences.is_empty());
        assert!(!resp.quotes.is_empty());
        assert!(!resp.parties.is_empty());
        assert!(!resp.dates.is_empty());
        assert_spans_slice(SEED, &resp, enc);
    }
    // Accents, emoji and CJK: offsets differ in each encoding and must still slice.
    let text = "Café «très bien» 😀 dit Zoë à Paris le 3 mai 2021.\n東京で会議が開かれた。 «Nous avons parlé longuement», a déclaré Zoë Martin.";
    for enc in [
        pb::OffsetEncoding::Utf8,
        pb::OffsetEncoding::Utf16,
        pb::OffsetEncoding::CodePoint,
    ] {
        let resp = client
            .analyze(with_encoding(request(text), enc))
            .await
            .expect("analyze")
            .into_inner();
        assert!(!resp.sentences.is_empty());
        assert_spans_slice(text, &resp, enc);
    }
}

#[tokio::test]
async fn stream_answers_in_order_and_survives_a_bad_request() {
    let server = TestServer::start(ServerConfig::default()).await;
    let mut client = server.client().await;
    let requests: Vec<pb::AnalyzeRequest> = (0..100)
        .map(|i| {
            let mut r = if i == 50 {
                request("   ")
            } else {
                request(SEED)
            };
            r.request_id = format!("req-{i}");
            r
        })
        .collect();
    let mut inbound = client
        .analyze_stream(tokio_stream::iter(requests))
        .await
        .expect("stream")
        .into_inner();
    let mut n = 0;
    while let Some(resp) = inbound.message().await.expect("stream item") {
        assert_eq!(resp.request_id, format!("req-{n}"), "answers out of order");
        if n == 50 {
            let err = resp.error.as_ref().expect("the blank request fails");
            assert_eq!(err.code, Code::InvalidArgument as i32);
            assert!(err.message.contains("document.text"), "{}", err.message);
            assert!(!err.details.is_empty(), "BadRequest details expected");
        } else {
            assert!(resp.error.is_none(), "request {n} failed: {:?}", resp.error);
            assert!(!resp.summary.is_empty());
        }
        n += 1;
    }
    assert_eq!(n, 100);
}

#[tokio::test]
async fn batch_keeps_order_with_per_item_errors() {
    let server = TestServer::start(ServerConfig::default()).await;
    let mut client = server.client().await;
    let mut bad = request(SEED);
    bad.document.as_mut().expect("document").language_code = "not a tag".into();
    let batch = pb::AnalyzeBatchRequest {
        requests: vec![
            request(SEED),
            bad,
            request("The cat sat on the mat. It was happy."),
        ],
    };
    let resp = client
        .analyze_batch(batch)
        .await
        .expect("batch")
        .into_inner();
    assert_eq!(resp.responses.len(), 3);
    assert!(resp.responses[0].error.is_none());
    assert_eq!(
        resp.responses[1].error.as_ref().map(|e| e.code),
        Some(Code::InvalidArgument as i32)
    );
    assert!(resp.responses[2].error.is_none());
    assert_eq!(resp.responses[2].language_code, "en");
}

#[tokio::test]
async fn blank_text_is_invalid_argument_with_a_field_violation() {
    let server = TestServer::start(ServerConfig::default()).await;
    let mut client = server.client().await;
    for text in ["", " \n\t "] {
        let status = client
            .analyze(request(text))
            .await
            .expect_err("blank text must fail");
        assert_eq!(status.code(), Code::InvalidArgument);
        let bad = status
            .get_details_bad_request()
            .expect("BadRequest details");
        assert_eq!(bad.field_violations[0].field, "document.text");
    }
    let status = client
        .analyze(pb::AnalyzeRequest::default())
        .await
        .expect_err("missing document must fail");
    assert_eq!(status.code(), Code::InvalidArgument);
}

#[tokio::test]
async fn malformed_language_and_time_zone_are_invalid_arguments() {
    let server = TestServer::start(ServerConfig::default()).await;
    let mut client = server.client().await;
    let mut req = request(SEED);
    let doc = req.document.as_mut().expect("document");
    doc.language_code = "français".into();
    doc.time_zone = "Mars/Olympus_Mons".into();
    let status = client.analyze(req).await.expect_err("must fail");
    assert_eq!(status.code(), Code::InvalidArgument);
    let fields: Vec<String> = status
        .get_details_bad_request()
        .expect("BadRequest details")
        .field_violations
        .into_iter()
        .map(|v| v.field)
        .collect();
    assert_eq!(fields, ["document.language_code", "document.time_zone"]);

    let mut ok = request(SEED);
    let doc = ok.document.as_mut().expect("document");
    doc.language_code = "fr-FR".into();
    doc.time_zone = "Europe/Paris".into();
    let resp = client
        .analyze(ok)
        .await
        .expect("valid tag and zone")
        .into_inner();
    assert_eq!(resp.language_code, "fr-FR");
}

#[tokio::test]
async fn oversized_text_is_resource_exhausted_naming_the_limit() {
    let config = ServerConfig {
        max_message_bytes: 64 * 1024,
        ..ServerConfig::default()
    };
    let server = TestServer::start(config).await;
    let mut client = server.client().await;
    // Over the text limit but inside the message limit: rejected by validation.
    let status = client
        .analyze(request(&"word ".repeat(60 * 1024 / 5)))
        .await
        .expect_err("too large");
    assert_eq!(status.code(), Code::ResourceExhausted);
    assert!(
        status.message().contains("limit of"),
        "{}",
        status.message()
    );
    // Over the message limit: rejected while decoding, with the same code.
    let status = client
        .analyze(request(&"word ".repeat(200 * 1024 / 5)))
        .await
        .expect_err("too large");
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert!(status.message().contains("65536"), "{}", status.message());
}

#[tokio::test]
async fn a_passed_deadline_is_deadline_exceeded() {
    // The server's own deadline (for requests without grpc-timeout) is short here.
    let mut config = ServerConfig::default();
    config.service.default_timeout = Duration::from_millis(200);
    let server = TestServer::start(config).await;
    let mut client = server.client().await;
    let long = SEED.repeat(1000); // ~2.6 MB: far longer to analyse than the deadline
    let status = client
        .analyze(request(&long))
        .await
        .expect_err("deadline must pass");
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
}

#[tokio::test]
async fn the_clients_deadline_is_honoured() {
    let server = TestServer::start(ServerConfig::default()).await;
    let mut client = server.client().await;
    let long = SEED.repeat(1000);
    let mut req = Request::new(request(&long));
    req.set_timeout(Duration::from_millis(300));
    let started = std::time::Instant::now();
    let status = client.analyze(req).await.expect_err("deadline must pass");
    // Whichever side notices first (tonic's client reports its own expiry as CANCELLED).
    assert!(
        matches!(status.code(), Code::DeadlineExceeded | Code::Cancelled),
        "{status:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn compressed_requests_and_responses_work() {
    let server = TestServer::start(ServerConfig::default()).await;
    for enc in [CompressionEncoding::Gzip, CompressionEncoding::Zstd] {
        let mut client = server
            .client()
            .await
            .send_compressed(enc)
            .accept_compressed(enc);
        let resp = client
            .analyze(request(SEED))
            .await
            .expect("compressed call")
            .into_inner();
        assert!(!resp.summary.is_empty());
    }
}

#[tokio::test]
async fn graceful_shutdown_finishes_the_request_in_flight() {
    let mut server = TestServer::start(ServerConfig::default()).await;
    let channel = server.channel().await;
    let mut client =
        ArticleAnalyzerClient::new(channel.clone()).max_decoding_message_size(64 * 1024 * 1024);
    let mut health = tonic_health::pb::health_client::HealthClient::new(channel);
    let mut watch = health
        .watch(tonic_health::pb::HealthCheckRequest {
            service: "gleaner.v1.ArticleAnalyzer".into(),
        })
        .await
        .expect("watch")
        .into_inner();
    let first = watch.message().await.expect("watch item").expect("status");
    assert_eq!(
        first.status,
        tonic_health::pb::health_check_response::ServingStatus::Serving as i32
    );

    let long = SEED.repeat(200);
    let in_flight = tokio::spawn(async move { client.analyze(request(&long)).await });
    tokio::time::sleep(Duration::from_millis(30)).await;
    server.shutdown();

    let next = watch.message().await.expect("watch item").expect("status");
    assert_eq!(
        next.status,
        tonic_health::pb::health_check_response::ServingStatus::NotServing as i32
    );
    let resp = in_flight
        .await
        .expect("join")
        .expect("in-flight request completes");
    assert!(!resp.into_inner().summary.is_empty());
    drop(watch);
    let ended = tokio::time::timeout(Duration::from_secs(30), &mut server.handle).await;
    assert!(
        matches!(ended, Ok(Ok(Ok(())))),
        "server did not stop cleanly: {ended:?}"
    );
}
