#!/usr/bin/env bash
# Client SDKs and proto checks: buf lint + buf breaking, then the Python, Go, TypeScript and Java SDKs,
# each generated from proto/ and tested against a real `gleaner serve` started by its own tests.
# Installs what it needs (pip into clients/python/.venv, npm into clients/typescript/node_modules, Go
# plugins into $(go env GOPATH)/bin, Maven artifacts into ~/.m2). Idempotent; exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

BUF_VERSION=1.75.0
PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2
buf() { npx --yes "@bufbuild/buf@${BUF_VERSION}" "$@"; }

echo "== clients: release server"
cargo build --release --quiet
export GLEANER_BIN="$ROOT/target/release/gleaner"

echo "== buf lint"
buf lint
echo "buf lint: ok"

echo "== buf breaking"
# Against main when on another branch, else against the previous commit (main's previous proto).
against=""
if git rev-parse -q --verify main >/dev/null && [ "$(git rev-parse HEAD)" != "$(git rev-parse main)" ]; then
  against=$(git rev-parse main)
elif git rev-parse -q --verify HEAD~1 >/dev/null; then
  against=$(git rev-parse HEAD~1)
fi
if [ -n "$against" ] && git cat-file -e "$against:proto" 2>/dev/null; then
  buf breaking --against ".git#ref=${against},subdir=proto"
  echo "buf breaking: ok (against ${against:0:12})"
else
  echo "buf breaking: skipped (no earlier commit with proto/)"
fi

echo "== clients/python (pytest)"
(
  cd clients/python
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  # A local project is always rebuilt, so the generated modules follow proto/.
  .venv/bin/python -m pip install --quiet '.[test]'
  .venv/bin/python -m pytest -q
)

echo "== clients/go (go test)"
(
  export PATH="$(go env GOPATH)/bin:$PATH"
  go install "google.golang.org/protobuf/cmd/protoc-gen-go@${PROTOC_GEN_GO_VERSION}"
  go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@${PROTOC_GEN_GO_GRPC_VERSION}"
  cd clients/go
  rm -rf gleanerv1
  go generate ./...
  go vet ./...
  go test -count=1 ./...
)

echo "== clients/typescript (node --test)"
(
  cd clients/typescript
  npm ci --no-audit --no-fund --loglevel=error
  npm test --silent
)

echo "== clients/java (JUnit)"
(
  cd clients/java
  mvn -B -q -ntp clean test
  # Surefire's summary line (quiet mode hides it).
  cat target/surefire-reports/*.txt | grep -E "^Tests run:"
)

echo "== clients: all passed"
