package io.gleaner.client;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real `gleaner serve` on a free loopback port, SERVING once constructed. */
final class GleanerServer implements AutoCloseable {
  static final Path REPO = Path.of("../..").toAbsolutePath().normalize();

  final String target;
  private final Process process;

  GleanerServer() throws Exception {
    target = "127.0.0.1:" + freePort();
    process =
        new ProcessBuilder(binary().toString(), "serve", "--addr", target)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      waitServing();
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The `gleaner.bin` property or $GLEANER_BIN, else the release binary, built by cargo. */
  private static Path binary() throws Exception {
    String given = System.getProperty("gleaner.bin", "");
    if (given.isEmpty()) {
      given = System.getenv().getOrDefault("GLEANER_BIN", "");
    }
    if (!given.isEmpty()) {
      return Path.of(given);
    }
    Process build =
        new ProcessBuilder("cargo", "build", "--release", "--quiet")
            .directory(REPO.toFile())
            .inheritIO()
            .start();
    if (build.waitFor() != 0) {
      throw new IllegalStateException("cargo build --release failed");
    }
    return REPO.resolve("target/release/gleaner");
  }

  private void waitServing() throws Exception {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
    try {
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < end) {
        if (!process.isAlive()) {
          throw new IllegalStateException("gleaner serve exited with " + process.exitValue());
        }
        try {
          HealthCheckResponse r =
              health.withDeadlineAfter(1, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
          if (r.getStatus() == HealthCheckResponse.ServingStatus.SERVING) {
            return;
          }
        } catch (io.grpc.StatusRuntimeException notYet) {
          // not listening yet
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException(target + " not SERVING after 30 s");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  static String seed() throws IOException {
    return Files.readString(REPO.resolve("seeds/article-fr-diplomatie.txt"));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
