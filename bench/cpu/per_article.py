#!/usr/bin/env python3
"""CPU time per analysed seed article, for one or more builds of `examples/analyze_seed`.

Each round runs every binary with N analyses and with 1, and charges the difference of their CPU
time (user + system, from the children's rusage) to the N - 1 extra articles, so start-up cancels
out. Binaries are interleaved round by round so that a change in the machine's load hits them all
alike; the median over the rounds is printed. On a shared VM, compare builds only within one run.

Usage: bench/cpu/per_article.py [--n N] [--rounds R] BINARY [BINARY ...]
Build the binary with `cargo build --release --example analyze_seed`
(it is then target/release/examples/analyze_seed; copy it aside to compare two commits).
"""

import argparse
import resource
import statistics
import subprocess


def cpu_seconds(binary: str, analyses: int) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([binary, str(analyses)], stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="analyses per timed run")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("binaries", nargs="+")
    args = parser.parse_args()
    if args.n < 2:
        parser.error("--n must be at least 2")
    samples: dict[str, list[float]] = {b: [] for b in args.binaries}
    for _ in range(args.rounds):
        for binary in args.binaries:
            extra = cpu_seconds(binary, args.n) - cpu_seconds(binary, 1)
            samples[binary].append(extra / (args.n - 1) * 1e6)
    first = statistics.median(samples[args.binaries[0]])
    for binary, runs in samples.items():
        median = statistics.median(runs)
        spread = ", ".join(f"{x:.0f}" for x in runs)
        print(f"{median:8.1f} µs/article  ratio {median / first:5.3f}  [{spread}]  {binary}")


if __name__ == "__main__":
    main()
