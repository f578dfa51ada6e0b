#!/usr/bin/env bash
# Start-up figures of `gleaner serve`: milliseconds until `gleaner health` answers SERVING, and the
# resident set size (VmRSS from /proc) once serving, idle. Usage: bench/callgrind/startup.sh [BINARY]
set -euo pipefail
bin="${1:-target/release/gleaner}"
addr="127.0.0.1:${GLEANER_STARTUP_PORT:-50977}"
start=$(date +%s%N)
"$bin" serve --addr "$addr" --log-format json >/dev/null 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
until "$bin" health --addr "$addr" --timeout-ms 200 >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "startup: server exited" >&2; exit 1; }
    sleep 0.01
done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
echo "startup: SERVING after ${ready} ms, VmRSS ${rss} kB"
