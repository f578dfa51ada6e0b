#!/usr/bin/env bash
# Instruction count per analysed article, compared with a committed baseline.
#
# Runs examples/analyze_seed.rs under callgrind twice (with N1 and N2 analyses of the French seed
# article) and takes the difference, so start-up (lexicon loading, language models) cancels out:
#   Ir/article = (Ir(N2) - Ir(N1)) / (N2 - N1)
# Start-up itself moves by up to ~1.5 M instructions from run to run (random hash seeds), so
# N2 - N1 is 40, which keeps that to about 2 % of the per-article figure.
# Fails (exit 1) when Ir/article exceeds the baseline by more than the tolerance (default 25 %).
#
# Usage: bench/callgrind/run.sh [--update]   (--update rewrites baseline.txt with the measured figure)
# Environment: GLEANER_IR_TOLERANCE (percent, default 25), CARGO (default cargo).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
baseline_file="$here/baseline.txt"
tolerance="${GLEANER_IR_TOLERANCE:-25}"
n1=2
n2=42

command -v valgrind >/dev/null || { echo "callgrind: valgrind is not installed" >&2; exit 2; }
cd "$root"
"${CARGO:-cargo}" build --release --example analyze_seed --quiet
bin="$root/target/release/examples/analyze_seed"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

total_ir() {
    valgrind --tool=callgrind --callgrind-out-file="$tmp/out.$1" "$bin" "$1" >/dev/null 2>"$tmp/log.$1"
    # "summary: <Ir>" is the total instruction count of the run.
    awk '/^summary:/ {print $2}' "$tmp/out.$1"
}

ir1="$(total_ir "$n1")"
ir2="$(total_ir "$n2")"
per_article=$(( (ir2 - ir1) / (n2 - n1) ))
startup=$(( ir1 - n1 * per_article ))
echo "callgrind: ${per_article} instructions per article (start-up ${startup})"

if [[ "${1:-}" == "--update" ]]; then
    {
        echo "# Instructions (callgrind Ir) per analysis of seeds/article-fr-diplomatie.txt, all default"
        echo "# features, release build; written by bench/callgrind/run.sh --update."
        echo "$per_article"
    } >"$baseline_file"
    echo "callgrind: baseline updated"
    exit 0
fi

baseline="$(grep -v '^#' "$baseline_file" | head -n 1 | tr -d '[:space:]')"
ratio=$(awk -v a="$per_article" -v b="$baseline" 'BEGIN { printf "%.3f", a / b }')
limit=$(awk -v b="$baseline" -v t="$tolerance" 'BEGIN { printf "%d", b * (1 + t / 100) }')
echo "callgrind: baseline ${baseline}, ratio ${ratio} (limit +${tolerance} %: ${limit})"
if (( per_article > limit )); then
    echo "callgrind: FAIL, instruction count per article regressed by more than ${tolerance} %" >&2
    exit 1
fi
echo "callgrind: ok"
