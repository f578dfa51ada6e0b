#!/usr/bin/env bash
# End-to-end load test of a local `gleaner serve` with ghz (loopback only; every run is bounded by
# `total` and `max-duration` in its config). Builds the release binary, starts it on a free port, waits
# for health SERVING, runs each scenario, and prints requests/s, p50/p95/p99 latency and error counts,
# then the ratio of each scenario's throughput to grpc.health.v1.Health/Check under the same load.
# Needs ghz (`go install github.com/bojand/ghz/cmd/ghz@latest`); grpcurl is used for the health wait
# when present. Usage: bench/ghz/run.sh [scenario ...]  (default: all).
set -euo pipefail
cd "$(dirname "$0")"
HERE=$PWD
ROOT=$(cd ../.. && pwd)
export PATH="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin:$PATH"
command -v ghz >/dev/null || { echo "ghz not found: go install github.com/bojand/ghz/cmd/ghz@latest" >&2; exit 1; }

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(health analyze-seed analyze-10k analyze-100k analyze-stream analyze-batch)

(cd "$ROOT" && cargo build --release --quiet)
python3 make_payloads.py

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
addr="127.0.0.1:$port"
"$ROOT/target/release/gleaner" serve --addr "$addr" >out/server.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT

# Health SERVING (ghz itself on one Health/Check when grpcurl is missing).
for _ in $(seq 300); do
  if command -v grpcurl >/dev/null; then
    grpcurl -plaintext -max-time 1 "$addr" grpc.health.v1.Health/Check 2>/dev/null | grep -q SERVING && break
  else
    ghz --insecure -n 1 -c 1 --call grpc.health.v1.Health.Check -d '{}' -O json "$addr" 2>/dev/null |
      grep -q '"OK":1' && break
  fi
  kill -0 "$server" 2>/dev/null || { echo "gleaner serve exited:" >&2; cat out/server.log >&2; exit 1; }
  sleep 0.1
done

for name in "${scenarios[@]}"; do
  ghz --config "$name.json" --format json --output "out/$name.result.json" "$addr" >/dev/null
done

python3 - "${scenarios[@]}" <<'PY'
import json, sys
from pathlib import Path

# Seed articles carried by one call of each scenario (see make_payloads.py).
ARTICLES_PER_CALL = {"analyze-seed": 1, "analyze-stream": 10, "analyze-batch": 16}

def ms(ns):
    return f"{ns / 1e6:8.2f}"

rps = {}
print(f"{'scenario':16} {'calls':>6} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}  vs health  seed articles/s  vs unary")
for name in sys.argv[1:]:
    r = json.loads(Path(f"out/{name}.result.json").read_text())
    lat = {d["percentage"]: d["latency"] for d in r.get("latencyDistribution") or []}
    codes = r.get("statusCodeDistribution") or {}
    errors = sum(n for code, n in codes.items() if code != "OK")
    rps[name] = r["rps"]
    ratio = f"{r['rps'] / rps['health']:.3f}" if "health" in rps and name != "health" else "-"
    per_article, vs_unary = "-", "-"
    if name in ARTICLES_PER_CALL:
        articles = r["rps"] * ARTICLES_PER_CALL[name]
        per_article = f"{articles:.1f}"
        if "analyze-seed" in rps and name != "analyze-seed":
            vs_unary = f"{articles / rps['analyze-seed']:.2f}"
    print(f"{name:16} {r['count']:6d} {r['rps']:9.1f} {ms(lat.get(50, 0))} {ms(lat.get(95, 0))} {ms(lat.get(99, 0))} {errors:6d}  {ratio:>9}  {per_article:>15}  {vs_unary:>8}")
    for err, n in (r.get("errorDistribution") or {}).items():
        print(f"    {n} x {err}")
PY
