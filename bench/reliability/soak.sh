#!/usr/bin/env bash
# Soak test: steady moderate Analyze load (seed article) on one local `gleaner serve` for SOAK_SECONDS
# (default 600), sampling the server's VmRSS every SAMPLE_SECONDS (default 5) into a CSV, then prints
# min/max/first/last RSS, the call count and the error count. Exits 1 on any error or a missing server.
# Env: SOAK_SECONDS, SAMPLE_SECONDS, SOAK_RPS (default 200 req/s), SOAK_CONCURRENCY (default 4),
# OUT (default bench/reliability/out). Needs ghz and grpcurl (go install ...).
set -euo pipefail
. "$(dirname "$0")/common.sh"
need ghz "go install github.com/bojand/ghz/cmd/ghz@latest"
need grpcurl "go install github.com/fullstorydev/grpcurl/cmd/grpcurl@latest"
SOAK_SECONDS=${SOAK_SECONDS:-600}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-5}
SOAK_RPS=${SOAK_RPS:-200}
SOAK_CONCURRENCY=${SOAK_CONCURRENCY:-4}
OUT=${OUT:-$ROOT/bench/reliability/out}
mkdir -p "$OUT"
[ -x "$GLEANER_BIN" ] || (cd "$ROOT" && cargo build --release --quiet)
seed_request "$OUT/seed-request.json"

addr="127.0.0.1:$(free_port)"
"$GLEANER_BIN" serve --addr "$addr" >"$OUT/soak-server.log" 2>&1 &
server=$!
ghz_pid=
cleanup() {
  [ -n "$ghz_pid" ] && kill "$ghz_pid" 2>/dev/null
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
}
trap cleanup EXIT
wait_serving "$addr" "$server"

csv="$OUT/soak-rss.csv"
echo "elapsed_s,rss_kb" >"$csv"
# Bounded: SOAK_SECONDS x SOAK_RPS calls at a fixed rate (-r). A count rather than -z: when -z expires ghz
# closes its connections under the calls in flight, which it reports as UNAVAILABLE "transport is closing".
ghz --insecure --call gleaner.v1.ArticleAnalyzer.Analyze --data-file "$OUT/seed-request.json" \
  -n "$(( SOAK_SECONDS * SOAK_RPS ))" -r "$SOAK_RPS" -c "$SOAK_CONCURRENCY" --connections 2 --timeout 5s \
  --format json --output "$OUT/soak.result.json" "$addr" >/dev/null &
ghz_pid=$!
start=$(date +%s)
while kill -0 "$ghz_pid" 2>/dev/null; do
  rss=$(rss_kb "$server")
  [ -n "$rss" ] || { echo "server died during the soak" >&2; exit 1; }
  echo "$(( $(date +%s) - start )),$rss" >>"$csv"
  sleep "$SAMPLE_SECONDS"
done
wait "$ghz_pid" || true
ghz_pid=
echo "$(( $(date +%s) - start )),$(rss_kb "$server")" >>"$csv"

python3 - "$csv" "$OUT/soak.result.json" "$SOAK_SECONDS" <<'PY'
import csv, json, sys
rows = [(int(r["elapsed_s"]), int(r["rss_kb"])) for r in csv.DictReader(open(sys.argv[1])) if r["rss_kb"]]
res = json.load(open(sys.argv[2]))
codes = res.get("statusCodeDistribution") or {}
errors = sum(n for c, n in codes.items() if c != "OK")
lat = {d["percentage"]: d["latency"] / 1e6 for d in res.get("latencyDistribution") or []}
rss = [r for _, r in rows]
mib = lambda kb: f"{kb / 1024:.1f} MiB"
print(f"soak {sys.argv[3]} s: {res['count']} calls, {res['rps']:.1f} req/s, p50 {lat.get(50, 0):.2f} ms,"
      f" p99 {lat.get(99, 0):.2f} ms, errors {errors} {dict(codes)}")
print(f"RSS ({len(rss)} samples): first {mib(rss[0])}, last {mib(rss[-1])}, min {mib(min(rss))},"
      f" max {mib(max(rss))}; CSV {sys.argv[1]}")
# Growth over the second half of the run (after warm-up) as a leak indicator.
half = rss[len(rss) // 2:]
print(f"second-half growth: {(half[-1] - half[0]) / 1024:+.1f} MiB")
sys.exit(1 if errors or res["count"] == 0 else 0)
PY
