# Shared helpers for the reliability scripts (sourced, not run). Loopback only.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PATH="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin:$PATH"
GLEANER_BIN=${GLEANER_BIN:-$ROOT/target/release/gleaner}
SEED=${SEED:-$ROOT/seeds/article-fr-diplomatie.txt}

need() { command -v "$1" >/dev/null || { echo "$1 not found ($2)" >&2; exit 2; }; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Writes the Analyze request for the seed article as JSON (ghz data file) to $1.
seed_request() {
  python3 - "$SEED" "$1" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
json.dump({"document": {"text": text}}, open(sys.argv[2], "w", encoding="utf-8"))
PY
}

# rss_kb PID: resident set size in KiB from /proc (empty when the process is gone).
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

# wait_serving ADDR PID: health SERVING within 30 s, or fail.
wait_serving() {
  for _ in $(seq 300); do
    grpcurl -plaintext -max-time 1 "$1" grpc.health.v1.Health/Check 2>/dev/null | grep -q SERVING && return 0
    kill -0 "$2" 2>/dev/null || { echo "gleaner serve exited early" >&2; return 1; }
    sleep 0.1
  done
  echo "server at $1 never became SERVING" >&2
  return 1
}
