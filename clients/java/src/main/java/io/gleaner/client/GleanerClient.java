package io.gleaner.client;

import io.gleaner.v1.AnalyzeBatchRequest;
import io.gleaner.v1.AnalyzeRequest;
import io.gleaner.v1.AnalyzeResponse;
import io.gleaner.v1.ArticleAnalyzerGrpc;
import io.gleaner.v1.Document;
import io.gleaner.v1.OffsetEncoding;
import io.gleaner.v1.TextSpan;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A client for Gleaner, the news-analysis gRPC service.
 *
 * <p>Every span in a response is counted in UTF-16 code units, so it slices the caller's Java {@code
 * String} directly: {@code text.substring(span.getBegin(), span.getEnd())}. Every call has a deadline
 * and fails with a {@link GleanerException}.
 */
public final class GleanerClient implements AutoCloseable {
  /**
   * gRPC service config of the channels that {@link #connect} opens: calls failing with UNAVAILABLE are
   * retried up to 4 attempts in all with exponential backoff. Every Gleaner call is stateless, so
   * retrying is safe.
   */
  public static final Map<String, ?> SERVICE_CONFIG =
      Map.of(
          "methodConfig",
          List.of(
              Map.of(
                  "name", List.of(Map.of("service", "gleaner.v1.ArticleAnalyzer")),
                  "retryPolicy",
                      Map.of(
                          "maxAttempts", 4.0,
                          "initialBackoff", "0.1s",
                          "maxBackoff", "2s",
                          "backoffMultiplier", 2.0,
                          "retryableStatusCodes", List.of("UNAVAILABLE")))));

  /** Deadline of each call unless the client is built with another. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final ManagedChannel channel;
  private final boolean ownsChannel;
  private final Duration timeout;
  private final ArticleAnalyzerGrpc.ArticleAnalyzerBlockingStub blocking;
  private final ArticleAnalyzerGrpc.ArticleAnalyzerStub async;

  /** A client on an existing channel, which the caller keeps and closes. */
  public GleanerClient(ManagedChannel channel, Duration timeout) {
    this(channel, false, timeout);
  }

  private GleanerClient(ManagedChannel channel, boolean ownsChannel, Duration timeout) {
    this.channel = channel;
    this.ownsChannel = ownsChannel;
    this.timeout = timeout;
    this.blocking = ArticleAnalyzerGrpc.newBlockingStub(channel);
    this.async = ArticleAnalyzerGrpc.newStub(channel);
  }

  /** Opens a plaintext channel to {@code target} ("host:port") with {@link #SERVICE_CONFIG}. */
  public static GleanerClient connect(String target) {
    return connect(target, DEFAULT_TIMEOUT);
  }

  /** Opens a plaintext channel with the given default deadline. */
  public static GleanerClient connect(String target, Duration timeout) {
    ManagedChannel channel =
        ManagedChannelBuilder.forTarget(target)
            .usePlaintext()
            .defaultServiceConfig(SERVICE_CONFIG)
            .enableRetry()
            .maxInboundMessageSize(16 * 1024 * 1024)
            .build();
    return new GleanerClient(channel, true, timeout);
  }

  /** A client that gives each call {@code timeout} as its deadline, sharing this one's channel. */
  public GleanerClient withTimeout(Duration timeout) {
    return new GleanerClient(channel, false, timeout);
  }

  /** Analyses one article with the default features. */
  public AnalyzeResponse analyze(String text) {
    return analyze(AnalyzeRequest.newBuilder().setDocument(Document.newBuilder().setText(text)).build());
  }

  /** Analyses one article; offsets are UTF-16 whatever the request asks for. */
  public AnalyzeResponse analyze(AnalyzeRequest request) {
    try {
      return blocking.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).analyze(utf16(request));
    } catch (StatusRuntimeException e) {
      throw GleanerException.fromStatusException(e);
    }
  }

  /**
   * Analyses many articles in one call. A bad item does not fail the call: its response has an error
   * (read it with {@link GleanerException#fromStatus}).
   */
  public List<AnalyzeResponse> analyzeBatch(List<AnalyzeRequest> requests) {
    AnalyzeBatchRequest.Builder batch = AnalyzeBatchRequest.newBuilder();
    requests.forEach(r -> batch.addRequests(utf16(r)));
    try {
      return blocking
          .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
          .analyzeBatch(batch.build())
          .getResponsesList();
    } catch (StatusRuntimeException e) {
      throw GleanerException.fromStatusException(e);
    }
  }

  /** Sends {@code requests} on one AnalyzeStream call and returns the responses, in request order. */
  public List<AnalyzeResponse> analyzeStream(List<AnalyzeRequest> requests) {
    CompletableFuture<List<AnalyzeResponse>> done = new CompletableFuture<>();
    List<AnalyzeResponse> responses = new ArrayList<>();
    StreamObserver<AnalyzeRequest> out =
        async
            .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
            .analyzeStream(
                new StreamObserver<>() {
                  @Override
                  public void onNext(AnalyzeResponse response) {
                    responses.add(response);
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {
                    done.complete(responses);
                  }
                });
    requests.forEach(r -> out.onNext(utf16(r)));
    out.onCompleted();
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while streaming", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException s) {
        throw GleanerException.fromStatusException(s);
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** The part of {@code text} that {@code span} points at. */
  public static String slice(String text, TextSpan span) {
    return text.substring(span.getBegin(), span.getEnd());
  }

  private static AnalyzeRequest utf16(AnalyzeRequest request) {
    AnalyzeRequest.Builder b = request.toBuilder();
    b.getOptionsBuilder().setOffsetEncoding(OffsetEncoding.OFFSET_ENCODING_UTF16);
    return b.build();
  }

  /** Closes the channel if this client opened it. */
  @Override
  public void close() throws InterruptedException {
    if (ownsChannel) {
      channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
