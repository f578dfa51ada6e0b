//! `gleaner`: serve the gRPC API, or analyse a file in-process.

use std::io::Read as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context as _};
use clap::{Parser, Subcommand, ValueEnum};
use gleaner::analysis::Analyzer;
use gleaner::grpc::auth::BearerAuth;
use gleaner::grpc::convert::ValidRequest;
use gleaner::grpc::pb;
use gleaner::grpc::server::{serve, ServerConfig, TlsSettings};
use gleaner::grpc::service::ServiceConfig;

/// Gleaner: extractive summary, key quotes, named parties and dates of news articles.
#[derive(Debug, Parser)]
#[command(name = "gleaner", version, about)]
struct Cli {
    /// Log format.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "pretty",
        env = "GLEANER_LOG_FORMAT"
    )]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the gRPC API (ArticleAnalyzer, health, reflection).
    Serve(ServeArgs),
    /// Analyse one article in-process and print the response.
    Analyze(AnalyzeArgs),
    /// Ask a running server whether it is SERVING (exit 0) or not (exit 1), for container health checks.
    Health(HealthArgs),
    /// Score the analyzer on labelled articles (JSONL, see the evaluation data's FORMAT.md).
    Eval(EvalArgs),
    /// Train the named-party tagger of one language on annotated JSONL files.
    TrainEntities(TrainEntitiesArgs),
}

#[derive(Debug, clap::Args)]
struct HealthArgs {
    /// Address of the server.
    #[arg(long, default_value = "127.0.0.1:50051", env = "GLEANER_ADDR")]
    addr: String,
    /// Service to ask about; empty for the whole server.
    #[arg(long, default_value = "")]
    service: String,
    /// Give up after this many milliseconds.
    #[arg(long, default_value_t = 2000)]
    timeout_ms: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum EvalTask {
    Summary,
    Parties,
    Dates,
    Quotes,
}

#[derive(Debug, clap::Args)]
struct EvalArgs {
    /// What to score.
    #[arg(long, value_enum)]
    task: EvalTask,
    /// The labelled data (JSONL).
    #[arg(long)]
    data: PathBuf,
    /// Score only the first N records.
    #[arg(long)]
    limit: Option<usize>,
    /// List misses and false alarms of every document.
    #[arg(long)]
    show_errors: bool,
    /// Print the figures as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
struct TrainEntitiesArgs {
    /// Language of the model (`en`, `fr`, `de`).
    #[arg(long)]
    lang: String,
    /// Training file, `FILE` or `FILE@FRACTION` (share of its sentences per epoch); repeatable.
    #[arg(long, required_unless_present = "check")]
    data: Vec<gleaner::analysis::extract::entities::train::DataFile>,
    /// Where to write the model.
    #[arg(long, required_unless_present = "check")]
    out: Option<PathBuf>,
    /// Do not train: measure this existing model file on the `--dev` files.
    #[arg(long)]
    check: Option<PathBuf>,
    /// Passes over the data.
    #[arg(long, default_value_t = 8)]
    epochs: usize,
    /// Feature table size as a power of two.
    #[arg(long, default_value_t = 20)]
    bits: u32,
    /// Drop averaged weights below this magnitude.
    #[arg(long, default_value_t = 0.05)]
    prune: f32,
    /// Hold out every N-th document of each file and report scores on them (0: none).
    #[arg(long, default_value_t = 0)]
    holdout: usize,
    /// Annotated files to measure the new model on after training; repeatable.
    #[arg(long)]
    dev: Vec<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:50051", env = "GLEANER_ADDR")]
    addr: SocketAddr,
    /// Largest gRPC message, in bytes.
    #[arg(long, default_value_t = 4 * 1024 * 1024, env = "GLEANER_MAX_MESSAGE_BYTES")]
    max_message_bytes: usize,
    /// Deadline for requests that carry none, in milliseconds.
    #[arg(long, default_value_t = 30_000, env = "GLEANER_REQUEST_TIMEOUT_MS")]
    request_timeout_ms: u64,
    /// Requests in progress at once before new ones are shed.
    #[arg(long, default_value_t = 256, env = "GLEANER_MAX_IN_FLIGHT")]
    max_in_flight: usize,
    /// Analyses running at once (default: number of cores).
    #[arg(long, env = "GLEANER_WORKERS")]
    workers: Option<usize>,
    /// Largest number of documents in one AnalyzeBatch.
    #[arg(long, default_value_t = 1000, env = "GLEANER_MAX_BATCH")]
    max_batch: usize,
    /// Seconds to let in-flight requests finish on shutdown.
    #[arg(long, default_value_t = 20, env = "GLEANER_DRAIN_SECONDS")]
    drain_seconds: u64,
    /// Do not serve gRPC reflection.
    #[arg(long, env = "GLEANER_NO_REFLECTION")]
    no_reflection: bool,
    /// PEM certificate chain: serve over TLS (with --tls-key).
    #[arg(long, env = "GLEANER_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, env = "GLEANER_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// PEM CA bundle: require client certificates signed by it (mutual TLS).
    #[arg(long, env = "GLEANER_TLS_CLIENT_CA", requires = "tls_cert")]
    tls_client_ca: Option<PathBuf>,
    /// File of bearer tokens (one per line) required on ArticleAnalyzer calls; health stays open.
    #[arg(long, env = "GLEANER_AUTH_TOKENS_FILE")]
    auth_tokens_file: Option<PathBuf>,
    /// Comma-separated bearer tokens, as an alternative to --auth-tokens-file.
    #[arg(long, env = "GLEANER_AUTH_TOKENS", hide_env_values = true)]
    auth_tokens: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutputFormat {
    Json,
    Text,
}

#[derive(Debug, clap::Args)]
struct AnalyzeArgs {
    /// The article file; `-` or nothing reads standard input.
    file: Option<PathBuf>,
    /// Language (BCP-47); detected when not given.
    #[arg(long)]
    lang: Option<String>,
    /// Publication date or time (`2021-12-07`, `2021-12-07T14:30:00Z`), anchors relative dates.
    #[arg(long)]
    published: Option<String>,
    /// Time zone of the article (IANA name or ±HH:MM).
    #[arg(long, default_value = "")]
    time_zone: String,
    /// Headline, when not the first line of the file.
    #[arg(long)]
    title: Option<String>,
    /// Number of summary sentences.
    #[arg(long, default_value_t = 3)]
    sentences: u32,
    /// Also list every sentence.
    #[arg(long)]
    show_sentences: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.log_format);
    let result = match cli.command {
        Command::Serve(args) => run_serve(args),
        Command::Analyze(args) => run_analyze(args),
        Command::Health(args) => run_health(args),
        Command::Eval(args) => run_eval(args),
        Command::TrainEntities(args) => run_train_entities(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Pretty => builder.init(),
    }
}

fn run_serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let started = std::time::Instant::now();
        let analyzer = Arc::new(Analyzer::builder().max_text_bytes(args.max_message_bytes).build());
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let mut service = ServiceConfig {
            default_timeout: Duration::from_millis(args.request_timeout_ms.max(1)),
            max_batch_items: args.max_batch,
            ..ServiceConfig::default()
        };
        if let Some(w) = args.workers {
            service.cpu_workers = w.max(1);
        }
        let config = ServerConfig {
            service,
            max_message_bytes: args.max_message_bytes,
            max_in_flight: args.max_in_flight,
            reflection: !args.no_reflection,
            drain_timeout: Duration::from_secs(args.drain_seconds),
            auth: auth_from_args(&args)?,
            tls: tls_from_args(&args)?,
        };
        if config.auth.is_enabled() {
            tracing::info!("bearer-token authentication enabled");
        }
        tracing::info!(addr = %listener.local_addr()?, ready_ms = started.elapsed().as_millis() as u64, "gleaner ready");
        serve(listener, analyzer, config, shutdown_signal()).await?;
        tracing::info!("stopped");
        Ok(ExitCode::SUCCESS)
    })
}

fn read(path: &PathBuf, what: &str) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {what} {}", path.display()))
}

fn tls_from_args(args: &ServeArgs) -> anyhow::Result<Option<TlsSettings>> {
    let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) else {
        return Ok(None);
    };
    Ok(Some(TlsSettings {
        cert_pem: read(cert, "TLS certificate")?,
        key_pem: read(key, "TLS key")?,
        client_ca_pem: args
            .tls_client_ca
            .as_ref()
            .map(|p| read(p, "client CA"))
            .transpose()?,
    }))
}

fn auth_from_args(args: &ServeArgs) -> anyhow::Result<BearerAuth> {
    let mut tokens: Vec<String> = Vec::new();
    if let Some(path) = &args.auth_tokens_file {
        let contents =
            String::from_utf8(read(path, "token file")?).context("token file is not UTF-8")?;
        tokens.extend(
            contents
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(String::from),
        );
        if tokens.is_empty() {
            bail!("token file {} has no token", path.display());
        }
    }
    if let Some(list) = &args.auth_tokens {
        tokens.extend(
            list.split(',')
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty()),
        );
    }
    Ok(BearerAuth::with_tokens(tokens))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

fn parse_published(s: &str) -> anyhow::Result<pbjson_types::Timestamp> {
    let utc = if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
        dt.with_timezone(&chrono::Utc)
    } else if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        dt.and_utc()
    } else if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        d.and_hms_opt(12, 0, 0).context("invalid date")?.and_utc()
    } else {
        bail!("--published {s:?}: expected YYYY-MM-DD or an RFC 3339 time");
    };
    Ok(pbjson_types::Timestamp {
        seconds: utc.timestamp(),
        nanos: 0,
    })
}

fn run_analyze(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let text = match args.file.as_deref() {
        None => read_stdin()?,
        Some(p) if p.as_os_str() == "-" => read_stdin()?,
        Some(p) => {
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?
        }
    };
    let mut features = vec![
        pb::Feature::Summary as i32,
        pb::Feature::Quotes as i32,
        pb::Feature::Parties as i32,
        pb::Feature::Dates as i32,
    ];
    if args.show_sentences {
        features.push(pb::Feature::Sentences as i32);
    }
    let request = pb::AnalyzeRequest {
        request_id: String::new(),
        document: Some(pb::Document {
            text,
            title: args.title.unwrap_or_default(),
            language_code: args.lang.unwrap_or_default(),
            published_at: args.published.as_deref().map(parse_published).transpose()?,
            time_zone: args.time_zone,
        }),
        options: Some(pb::AnalyzeOptions {
            features,
            max_summary_sentences: args.sentences,
            ..Default::default()
        }),
    };
    let analyzer = Analyzer::builder().build();
    let valid = ValidRequest::from_proto(request, analyzer.max_text_bytes())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let analysis = analyzer
        .analyze(&valid.document, &valid.options)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let response = gleaner::grpc::convert::response_from_analysis(
        valid.request_id,
        &valid.document.text,
        analysis,
        valid.encoding,
    );
    match args.format {
        OutputFormat::Json => emit(&(serde_json::to_string_pretty(&response)? + "\n"))?,
        OutputFormat::Text => emit(&gleaner::grpc::report::render(&response))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn run_health(args: HealthArgs) -> anyhow::Result<ExitCode> {
    use tonic_health::pb::health_check_response::ServingStatus;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        // A wildcard listen address is reached through loopback.
        let addr = args.addr.replace("0.0.0.0", "127.0.0.1");
        let url = if addr.contains("://") {
            addr
        } else {
            format!("http://{addr}")
        };
        let timeout = Duration::from_millis(args.timeout_ms.max(1));
        let check = async {
            let channel = tonic::transport::Endpoint::from_shared(url.clone())?
                .connect_timeout(timeout)
                .connect()
                .await?;
            let mut client = tonic_health::pb::health_client::HealthClient::new(channel);
            let resp = client
                .check(tonic_health::pb::HealthCheckRequest {
                    service: args.service,
                })
                .await?;
            anyhow::Ok(resp.into_inner().status)
        };
        let status = tokio::time::timeout(timeout, check)
            .await
            .with_context(|| format!("no answer from {url} within {timeout:?}"))??;
        let serving = status == ServingStatus::Serving as i32;
        println!(
            "{}",
            ServingStatus::try_from(status).map_or("UNKNOWN", |s| s.as_str_name())
        );
        Ok(if serving {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        })
    })
}

fn run_eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    use gleaner::eval::{evaluate_file, EvalOptions, Task};
    let task = match args.task {
        EvalTask::Summary => Task::Summary,
        EvalTask::Parties => Task::Parties,
        EvalTask::Dates => Task::Dates,
        EvalTask::Quotes => Task::Quotes,
    };
    let analyzer = Analyzer::builder().build();
    let options = EvalOptions {
        task,
        collect_errors: args.show_errors,
    };
    let report = evaluate_file(&analyzer, &args.data, args.limit, options)?;
    if args.json {
        emit(&(report.to_json().to_string() + "\n"))?;
    } else {
        emit(&report.render())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes to standard output; a closed pipe (`gleaner analyze ... | head`) ends quietly.
fn emit(s: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

fn run_train_entities(args: TrainEntitiesArgs) -> anyhow::Result<ExitCode> {
    use gleaner::analysis::extract::entities::{train, EntityRecognizer};
    if let Some(model) = &args.check {
        let bytes =
            std::fs::read(model).with_context(|| format!("cannot read {}", model.display()))?;
        let rec = EntityRecognizer::from_model_files(&[&bytes])?;
        for path in &args.dev {
            eprint!(
                "{}: {}",
                path.display(),
                train::evaluate(&rec, &train::read_docs(path)?)
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let out = args.out.context("--out is required")?;
    let cfg = train::TrainConfig {
        lang: args.lang,
        data: args.data,
        epochs: args.epochs,
        bits: args.bits,
        prune: args.prune,
        holdout: args.holdout,
        ..train::TrainConfig::default()
    };
    let trained = train::train(&cfg, &mut |line| eprintln!("{line}"))?;
    std::fs::write(&out, &trained.model)
        .with_context(|| format!("cannot write {}", out.display()))?;
    eprintln!("wrote {} ({} bytes)", out.display(), trained.model.len());
    let rec = EntityRecognizer::from_model_files(&[&trained.model])?;
    if !trained.held_out.is_empty() {
        eprint!("held out: {}", train::evaluate(&rec, &trained.held_out));
    }
    for path in &args.dev {
        eprint!(
            "{}: {}",
            path.display(),
            train::evaluate(&rec, &train::read_docs(path)?)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn read_stdin() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .context("cannot read standard input")?;
    Ok(s)
}
