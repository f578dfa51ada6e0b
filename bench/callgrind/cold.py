#!/usr/bin/env python3
"""Cache misses per analysed article, with warm caches and with caches emptied before each analysis.

A served call rarely finds the analyser's tables in cache: the client (ghz in the load tests), the
runtime's threads and the other requests use the same cores between two analyses. This script
counts what that costs, repeatably, with callgrind's cache simulator:

- `examples/analyze_seed N 0` analyses the French seed article N times back to back (warm);
- `examples/analyze_seed N EVICT` writes over EVICT MiB before each analysis (cold).

Only the events inside `Analyzer::analyze` are counted (`--toggle-collect`), and a run with one
analysis is subtracted from the run with N, so that the analyses of the analyser's own warm-up at
start-up drop out: figures are per analysis of the loop, (run N - run 1) / (N - 1). The simulated
last-level cache is one core's private L2 (4 MiB, 16-way, as on this machine; `--ll` to change),
since the shared L3 is shared with every other process. The columns are callgrind's: Ir
(instructions), DLmr and DLmw (data reads and writes missing the last level), ILmr (instruction
fetches missing it). Each miss costs tens of nanoseconds, so 10,000 of them weigh as much as
~1 M instructions. The cold run's functions with the most misses are listed last.

Usage: bench/callgrind/cold.py [--n N] [--evict MIB] [--ll BYTES] [--top K]
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
EVENTS = ["Ir", "DLmr", "DLmw", "ILmr"]
# "1,234 (12.34%)" or "." for each event, then "file:function [object]".
ROW = re.compile(r"^\s*((?:[\d,]+ \(\s*[\d.]+%\)|\.)(?:\s+(?:[\d,]+ \(\s*[\d.]+%\)|\.))*)\s+(\S.*)$")


def count(cell: str) -> int:
    return 0 if cell == "." else int(cell.split(" ")[0].replace(",", ""))


def profile(binary: Path, n: int, evict: int, ll: int, out: Path) -> list[tuple[str, list[int]]]:
    """Per-function (exclusive) event counts of one callgrind run, totals first."""
    subprocess.run(
        ["valgrind", "--tool=callgrind", "--cache-sim=yes", f"--LL={ll},16,64",
         "--toggle-collect=*Analyzer::analyze*", f"--callgrind-out-file={out}",
         str(binary), str(n), str(evict)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    text = subprocess.run(
        ["callgrind_annotate", f"--show={','.join(EVENTS)}", "--sort=DLmr", "--threshold=100", str(out)],
        check=True, capture_output=True, text=True).stdout
    rows = []
    for line in text.splitlines():
        m = ROW.match(line)
        if not m:
            continue
        cells = re.findall(r"[\d,]+ \(\s*[\d.]+%\)|\.", m.group(1))
        if len(cells) != len(EVENTS):
            continue
        name = m.group(2)
        if name.startswith("PROGRAM TOTALS"):
            name = "total"
        else:
            name = re.sub(r"^\?\?\?:|\s+\[.*\]$", "", name)
        rows.append((name, [count(c) for c in cells]))
    return rows


def difference(many: list, one: list) -> list[tuple[str, list[int]]]:
    """Per-function counts of `many` minus those of `one`."""
    base = dict(one)
    return [(name, [max(a - b, 0) for a, b in zip(values, base.get(name, [0] * len(values)))])
            for name, values in many]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=11, help="analyses in the longer run (default 11)")
    parser.add_argument("--evict", type=int, default=32, help="MiB written before each analysis")
    parser.add_argument("--ll", type=int, default=4 << 20, help="simulated last-level cache, bytes")
    parser.add_argument("--top", type=int, default=15, help="functions listed")
    opts = parser.parse_args()
    if opts.n < 2:
        sys.exit("cold.py: --n must be at least 2")
    if not shutil.which("valgrind"):
        sys.exit("cold.py: valgrind is not installed")
    subprocess.run(["cargo", "build", "--release", "--example", "analyze_seed", "--quiet"],
                   cwd=ROOT, check=True)
    binary = ROOT / "target" / "release" / "examples" / "analyze_seed"
    with tempfile.TemporaryDirectory() as tmp:
        warm = difference(profile(binary, opts.n, 0, opts.ll, Path(tmp) / "warm"),
                          profile(binary, 1, 0, opts.ll, Path(tmp) / "warm1"))
        cold = difference(profile(binary, opts.n, opts.evict, opts.ll, Path(tmp) / "cold"),
                          profile(binary, 1, opts.evict, opts.ll, Path(tmp) / "cold1"))
    per = opts.n - 1
    print(f"per article ({opts.n} - 1 analyses, LL {opts.ll >> 10} KiB, cold = {opts.evict} MiB written before each)")
    print(f"{'':6} " + " ".join(f"{e:>10}" for e in EVENTS) + f" {'LL misses':>10}")
    for label, rows in (("warm", warm), ("cold", cold)):
        total = dict(rows).get("total", [0] * len(EVENTS))
        print(f"{label:6} " + " ".join(f"{v // per:>10,}" for v in total)
              + f" {sum(total[1:]) // per:>10,}")
    print("\ncold run, functions with the most last-level misses (per article):")
    print(" ".join(f"{e:>9}" for e in EVENTS) + f" {'misses':>9}  function")
    ranked = sorted((r for r in cold if r[0] != "total"), key=lambda r: -sum(r[1][1:]))
    for name, values in ranked[:opts.top]:
        print(" ".join(f"{v // per:>9,}" for v in values) + f" {sum(values[1:]) // per:>9,}  {name[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
