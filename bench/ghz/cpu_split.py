#!/usr/bin/env python3
"""Where the CPU goes in a ghz run: the server's share and ghz's own share, per call and per article.

ghz and the server share this machine's cores, so the client's own cost per call caps the requests/s
of any scenario, whatever the server does. This script runs the same scenarios as run.sh, plus the seed
article sent as protobuf bytes (`--binary-file`, see make_payloads.py) and asking for sentences only
(the same request, a small response), and reads:

- server CPU: utime + stime of the `gleaner serve` process (/proc/PID/stat) before and after each run;
- ghz CPU: the rusage of the finished ghz process.

It then prints, for each scenario, the CPU per call (or per article) of each side and the ceiling
that ghz's own cost sets on the ratio to Health/Check when both runs are CPU-bound: Health/Check's CPU
per call (both sides) divided by ghz's CPU per call of the scenario, the ratio reached if the server
took no CPU at all. CPU time, unlike requests/s, hardly moves with other load on the machine. Linux
only (reads /proc). Usage:
bench/ghz/cpu_split.py [--binary PATH_TO_GLEANER] [--total N]
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1

# name, ghz config it takes call/concurrency/connections from, data flag and file, articles per call
SCENARIOS = [
    ("health", "health.json", "-D", "out/health.json", 0),
    ("analyze-seed", "analyze-seed.json", "-D", "out/analyze-seed.json", 1),
    ("analyze-seed-bin", "analyze-seed.json", "-B", "out/analyze-seed.bin", 1),
    ("seed-sentences", "analyze-seed.json", "-D", "out/seed-sentences.json", 1),
    ("analyze-stream", "analyze-stream.json", "-D", "out/stream.json", 10),
    ("analyze-batch", "analyze-batch.json", "-D", "out/batch.json", 16),
]


def server_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) used so far by process `pid`."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_serving(ghz: str, addr: str, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            sys.exit(f"gleaner serve exited with {server.returncode}")
        probe = subprocess.run(
            [ghz, "--insecure", "-n", "1", "-c", "1", "--call", "grpc.health.v1.Health.Check",
             "-d", "{}", "-O", "json", addr],
            capture_output=True, text=True)
        if '"OK":1' in probe.stdout:
            return
        time.sleep(0.1)
    sys.exit("gleaner serve never became SERVING")


def run(ghz: str, addr: str, pid: int, config: dict, flag: str, data: str, total: int) -> dict:
    """One ghz run; returns its JSON report with the CPU seconds of both sides added."""
    args = [ghz, "--insecure", "--call", config["call"], "-n", str(total),
            "-c", str(config["concurrency"]), "--connections", str(config.get("connections", 1)),
            "--timeout", config.get("timeout", "10s"), flag, str(HERE / data), "-O", "json", addr]
    before = server_cpu(pid)
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        sys.exit(f"ghz failed ({status}): {' '.join(args)}")
    report = json.loads(out)
    report["server_cpu"] = server_cpu(pid) - before
    report["ghz_cpu"] = usage.ru_utime + usage.ru_stime
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=str(ROOT / "target" / "release" / "gleaner"))
    parser.add_argument("--total", type=int, default=3000, help="calls per unary scenario")
    opts = parser.parse_args()
    ghz = shutil.which("ghz") or str(Path.home() / "go" / "bin" / "ghz")
    if not Path(ghz).exists():
        sys.exit("ghz not found: go install github.com/bojand/ghz/cmd/ghz@latest")

    subprocess.run([sys.executable, str(HERE / "make_payloads.py")], check=True, stdout=subprocess.DEVNULL)
    seed = json.loads((HERE / "out" / "analyze-seed.json").read_text(encoding="utf-8"))
    seed["options"] = {"features": ["FEATURE_SENTENCES"]}
    (HERE / "out" / "seed-sentences.json").write_text(json.dumps(seed, ensure_ascii=False), encoding="utf-8")

    addr = f"127.0.0.1:{free_port()}"
    log = open(HERE / "out" / "cpu_split.server.log", "w")
    server = subprocess.Popen([opts.binary, "serve", "--addr", addr], stdout=log, stderr=log)
    try:
        wait_serving(ghz, addr, server)
        print(f"{'scenario':17} {'req/s':>8} {'p99 ms':>7} {'errors':>6} {'server µs':>10} {'ghz µs':>8}"
              f"  {'per':>7}  ceiling vs health")
        health_call = None
        for name, config_file, flag, data, articles in SCENARIOS:
            config = json.loads((HERE / config_file).read_text())
            total = opts.total if articles <= 1 else max(opts.total // articles, 50)
            r = run(ghz, addr, server.pid, config, flag, data, total)
            calls = r["count"]
            codes = r.get("statusCodeDistribution") or {}
            errors = sum(n for code, n in codes.items() if code != "OK")
            p99 = {d["percentage"]: d["latency"] for d in r.get("latencyDistribution") or []}.get(99, 0)
            per = max(articles, 1)
            server_us = r["server_cpu"] / calls / per * 1e6
            ghz_us = r["ghz_cpu"] / calls / per * 1e6
            if name == "health":
                health_call = (r["server_cpu"] + r["ghz_cpu"]) / calls
                ceiling = "-"
            elif articles <= 1 and health_call:
                # If the server were free, each call would cost ghz's share only.
                free_rps = CORES / (r["ghz_cpu"] / calls)
                ceiling = f"{health_call / (r['ghz_cpu'] / calls):.3f} ({free_rps:.0f} req/s)"
            else:
                ceiling = "-"
            print(f"{name:17} {r['rps']:8.0f} {p99 / 1e6:7.1f} {errors:6d} {server_us:10.0f} {ghz_us:8.0f}"
                  f"  {'article' if articles else 'call':>7}  {ceiling}")
        if health_call:
            print(f"Health/Check costs {health_call * 1e6:.0f} µs of CPU per call in all (both sides), "
                  f"{CORES} cores.")
    finally:
        server.terminate()
        server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
