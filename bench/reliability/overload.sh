#!/usr/bin/env bash
# Overload test (issue 10): one `gleaner serve` with a small --max-in-flight (OVL_MAX_IN_FLIGHT, default 8)
# and --workers 2, hit by ghz at many times capacity (OVL_CONCURRENCY, default 96; OVL_TOTAL requests,
# default 6000; per-call deadline 2 s) with the seed article, while a second ghz probes
# grpc.health.v1.Health/Check at 20/s. Reports status-code counts, latency of OK and of shed calls,
# health answers and latency under load, server RSS before/during/after, and a recovery call after the
# load. Exits 1 unless: health answered SERVING to every probe, nothing ran into DEADLINE_EXCEEDED, every
# error is RESOURCE_EXHAUSTED, shed calls are answered fast (p50 < 50 ms), some load was shed, and the
# recovery call succeeds within 1 s. Needs ghz and grpcurl.
set -euo pipefail
. "$(dirname "$0")/common.sh"
need ghz "go install github.com/bojand/ghz/cmd/ghz@latest"
need grpcurl "go install github.com/fullstorydev/grpcurl/cmd/grpcurl@latest"
MAX_IN_FLIGHT=${OVL_MAX_IN_FLIGHT:-8}
CONCURRENCY=${OVL_CONCURRENCY:-96}
TOTAL=${OVL_TOTAL:-6000}
OUT=${OUT:-$ROOT/bench/reliability/out}
mkdir -p "$OUT"
[ -x "$GLEANER_BIN" ] || (cd "$ROOT" && cargo build --release --quiet)
seed_request "$OUT/seed-request.json"

addr="127.0.0.1:$(free_port)"
"$GLEANER_BIN" serve --addr "$addr" --max-in-flight "$MAX_IN_FLIGHT" --workers 2 \
  >"$OUT/overload-server.log" 2>&1 &
server=$!
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
}
trap cleanup EXIT
wait_serving "$addr" "$server"
rss_before=$(rss_kb "$server")

# Health probe: 1 connection, 20 calls/s, bounded to 60 s; stopped (SIGINT -> report written) after the load.
ghz --insecure --call grpc.health.v1.Health.Check -d '{}' -c 1 -r 20 -z 60s --timeout 1s \
  --format json --output "$OUT/overload-health.json" "$addr" >/dev/null &
probe=$!
pids+=("$probe")
sleep 1
ghz --insecure --call gleaner.v1.ArticleAnalyzer.Analyze --data-file "$OUT/seed-request.json" \
  -n "$TOTAL" -c "$CONCURRENCY" --connections 8 --timeout 2s \
  --format json --output "$OUT/overload.result.json" "$addr" >/dev/null &
load=$!
pids+=("$load")
rss_max=0
while kill -0 "$load" 2>/dev/null; do
  r=$(rss_kb "$server"); [ -n "$r" ] && [ "$r" -gt "$rss_max" ] && rss_max=$r
  sleep 0.2
done
wait "$load" || true
sleep 1
kill -INT "$probe" 2>/dev/null || true
wait "$probe" || true

# Recovery: one ordinary call right after the load, timed.
t0=$(date +%s%N)
if grpcurl -plaintext -max-time 5 -d @ "$addr" gleaner.v1.ArticleAnalyzer/Analyze \
     <"$OUT/seed-request.json" >"$OUT/overload-recovery.json" 2>"$OUT/overload-recovery.err"; then
  recovery_ok=1
else
  recovery_ok=0
fi
recovery_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
sleep 2
rss_after=$(rss_kb "$server")

python3 - "$OUT" "$rss_before" "$rss_max" "$rss_after" "$recovery_ok" "$recovery_ms" \
  "$MAX_IN_FLIGHT" "$CONCURRENCY" <<'PY'
import json, statistics, sys
out, before, peak, after, rec_ok, rec_ms, mif, conc = sys.argv[1:]
load = json.load(open(f"{out}/overload.result.json"))
health = json.load(open(f"{out}/overload-health.json"))
details = load.get("details") or []
def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p / 100))] / 1e6 if xs else float("nan")
ok = [d["latency"] for d in details if d.get("status") == "OK"]
shed = [d["latency"] for d in details if d.get("status") == "ResourceExhausted"]
codes = load.get("statusCodeDistribution") or {}
hcodes = health.get("statusCodeDistribution") or {}
hlat = [d["latency"] for d in health.get("details") or []]
mib = lambda kb: f"{int(kb) / 1024:.1f} MiB"
print(f"overload: {load['count']} Analyze calls, concurrency {conc} vs --max-in-flight {mif} --workers 2,"
      f" {load['rps']:.0f} calls/s")
print(f"  status codes: {dict(codes)}")
print(f"  OK latency   p50 {pct(ok, 50):.2f} ms  p99 {pct(ok, 99):.2f} ms  max {pct(ok, 100):.2f} ms")
print(f"  shed latency p50 {pct(shed, 50):.2f} ms  p99 {pct(shed, 99):.2f} ms  (RESOURCE_EXHAUSTED)")
print(f"  health under load: {health['count']} probes (one Canceled = the probe's own stop) {dict(hcodes)}, p50 {pct(hlat, 50):.2f} ms,"
      f" p99 {pct(hlat, 99):.2f} ms, max {pct(hlat, 100):.2f} ms")
print(f"  RSS before {mib(before)}, peak during {mib(peak)}, after {mib(after)}")
print(f"  recovery call after load: {'OK' if rec_ok == '1' else 'FAILED'} in {rec_ms} ms (grpcurl, incl. process start)")
failures = []
# The probe is stopped with SIGINT, which cancels at most the one call it has in flight.
if health["count"] - hcodes.get("OK", 0) - min(1, hcodes.get("Canceled", 0)) or not hcodes.get("OK"):
    failures.append("health probe failed")
if codes.get("DeadlineExceeded", 0):
    failures.append(f"{codes['DeadlineExceeded']} calls ran past their 2 s deadline")
other = {c: n for c, n in codes.items() if c not in ("OK", "ResourceExhausted")}
if other:
    failures.append(f"unexpected codes {other}")
if not shed:
    failures.append("nothing was shed: load below capacity?")
elif pct(shed, 50) >= 50:
    failures.append("shed calls are slow")
if rec_ok != "1" or int(rec_ms) > 1000:
    failures.append("no quick recovery")
print("PASS" if not failures else "FAIL: " + "; ".join(failures))
sys.exit(1 if failures else 0)
PY
