# Gleaner container image: a static musl binary on an empty base image, run as a non-root user.
#   docker build -t gleaner:0.1.0 .
#   docker run --rm -p 50051:50051 gleaner:0.1.0
FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends musl-tools \
 && rm -rf /var/lib/apt/lists/* \
 && rustup target add x86_64-unknown-linux-musl
WORKDIR /src
# Dependencies first, so that source edits do not rebuild them.
COPY Cargo.toml Cargo.lock build.rs ./
COPY proto proto
RUN mkdir -p src && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
 && cargo build --release --locked --target x86_64-unknown-linux-musl || true
COPY src src
COPY models models
COPY seeds seeds
RUN touch src/main.rs src/lib.rs \
 && cargo build --release --locked --target x86_64-unknown-linux-musl \
 && cp target/x86_64-unknown-linux-musl/release/gleaner /gleaner

FROM scratch
COPY --from=build /gleaner /gleaner
USER 65532:65532
EXPOSE 50051
ENV GLEANER_ADDR=0.0.0.0:50051 \
    GLEANER_LOG_FORMAT=json
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/gleaner", "health", "--addr", "127.0.0.1:50051"]
ENTRYPOINT ["/gleaner"]
CMD ["serve"]
