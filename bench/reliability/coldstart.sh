#!/usr/bin/env bash
# Cold start: does a freshly started `gleaner serve`, once health says SERVING, answer its first Analyze
# as fast as the following ones? Starts COLD_RUNS (default 3) servers one after another, sends each
# 5 Analyze calls of the seed article in sequence, and reads the server-side analysis time of each
# (`analysed elapsed_us`, a debug log line: time from taking a worker to the end of the analysis).
# Exits 1 when, in any run, the first call's analysis takes over COLD_MAX_MS (default 20) and over 10 times
# the median of the four that follow (both, so a loaded machine does not fail it): per-language data
# loaded lazily on the first request would otherwise hold worker and in-flight slots right after a
# (re)start, exactly when a load balancer starts sending traffic. Needs grpcurl.
set -euo pipefail
. "$(dirname "$0")/common.sh"
need grpcurl "go install github.com/fullstorydev/grpcurl/cmd/grpcurl@latest"
RUNS=${COLD_RUNS:-3}
MAX_MS=${COLD_MAX_MS:-20}
OUT=${OUT:-$ROOT/bench/reliability/out}
mkdir -p "$OUT"
[ -x "$GLEANER_BIN" ] || (cd "$ROOT" && cargo build --release --quiet)
seed_request "$OUT/seed-request.json"
server=
trap '[ -z "$server" ] || { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; } || true' EXIT

status=0
for run in $(seq "$RUNS"); do
  addr="127.0.0.1:$(free_port)"
  log="$OUT/coldstart-$run.log"
  RUST_LOG=info,gleaner=debug "$GLEANER_BIN" serve --addr "$addr" --log-format json >"$log" 2>&1 &
  server=$!
  wait_serving "$addr" "$server"
  for _ in 1 2 3 4 5; do
    grpcurl -plaintext -max-time 10 -d @ "$addr" gleaner.v1.ArticleAnalyzer/Analyze \
      <"$OUT/seed-request.json" >/dev/null
  done
  kill "$server"; wait "$server" || true; server=
  times=$(grep -o '"elapsed_us":[0-9]*' "$log" | cut -d: -f2 | tr '\n' ' ')
  set -- $times
  [ $# -eq 5 ] || { echo "run $run: expected 5 analysis times in $log, got $#" >&2; exit 1; }
  median=$(printf '%s\n' "$2" "$3" "$4" "$5" | sort -n | sed -n 2,3p | awk '{s += $1} END {print int(s / 2)}')
  echo "run $run: analysis time of calls 1..5 (us): $times(first / median of the rest: $(( $1 / (median > 0 ? median : 1) ))x)"
  [ "$1" -le $(( MAX_MS * 1000 )) ] || [ "$1" -le $(( median * 10 )) ] || status=1
done
if [ "$status" -eq 0 ]; then echo "PASS: first call within $MAX_MS ms or 10x the warm median"; else
  echo "FAIL: the first Analyze after SERVING took over $MAX_MS ms (lazy initialisation on the request path)"; fi
exit "$status"
