#!/usr/bin/env python3
"""Restart under load: worker threads send a steady stream of Analyze calls (seed article) through the
Python SDK to one `gleaner serve`, while the script restarts it several times on the same port (SIGTERM,
wait for exit, start again). The SDK channel retries UNAVAILABLE (its service config); on top, each call
that still ends in UNAVAILABLE is retried by the script with backoff (0.05 s doubling, at most 1 s) within
a 20 s budget per request. Any other error (e.g. a request accepted and then dropped by the shutdown)
fails the request at once. Exits 1 unless every request succeeded, every server stopped with code 0 and
no drain timed out.

Usage: restart.py [--restarts 3] [--interval 3] [--threads 4]   (venv with ./clients/python installed)
"""

import argparse
import signal
import sys
import threading
import time
from collections import Counter

import grpc

from gleaner import Client, GleanerError
import relib


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--restarts", type=int, default=3)
    ap.add_argument("--interval", type=float, default=3.0, help="seconds of load between restarts")
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--budget", type=float, default=20.0, help="seconds one request may take in all")
    args = ap.parse_args()

    text = relib.SEED.read_text(encoding="utf-8")
    server = relib.Server(relib.free_port(), "restart")
    server.start()
    lock = threading.Lock()
    stats = Counter()
    errors = Counter()  # every error seen by the script, retried or not
    messages = Counter()
    failures = []
    stop = threading.Event()

    def worker(index: int) -> None:
        seq = 0
        with Client(server.addr, timeout=5.0) as client:
            while not stop.is_set():
                seq += 1
                request_id = f"w{index}-{seq}"
                t0 = time.monotonic()
                backoff = 0.05
                with lock:
                    stats["sent"] += 1
                while True:
                    try:
                        result = client.analyze(text, request_id=request_id)
                        ok = len(result.summary) > 0
                        with lock:
                            stats["succeeded" if ok else "failed"] += 1
                            if not ok:
                                failures.append((request_id, "empty summary"))
                        break
                    except GleanerError as e:
                        with lock:
                            errors[e.code.name] += 1
                            messages[f"{e.code.name}: {e.message[:90]}"] += 1
                        if e.code == grpc.StatusCode.UNAVAILABLE and time.monotonic() - t0 < args.budget:
                            with lock:
                                stats["script retries"] += 1
                            time.sleep(backoff)
                            backoff = min(backoff * 2, 1.0)
                            continue
                        with lock:
                            stats["failed"] += 1
                            failures.append((request_id, f"{e.code.name}: {e.message}"))
                        break

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(args.threads)]
    restarts = []
    t_start = time.monotonic()
    try:
        for t in threads:
            t.start()
        for _ in range(args.restarts):
            time.sleep(args.interval)
            code, exit_s = server.stop(signal.SIGTERM)
            t_down = time.monotonic()
            ready_s = server.start()
            restarts.append((code, exit_s, time.monotonic() - t_down, ready_s))
        time.sleep(args.interval)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=args.budget + 10)
        final_code, _ = server.stop(signal.SIGTERM)
    elapsed = time.monotonic() - t_start

    served = server.analyzed_ids()
    dup = sum(n - 1 for n in Counter(served).values() if n > 1)
    print(f"restart: {args.restarts} restarts (SIGTERM, exit, start on the same port) under "
          f"{args.threads} client threads, {elapsed:.1f} s")
    for i, (code, exit_s, down_s, ready_s) in enumerate(restarts, 1):
        print(f"  restart {i}: exit code {code} {exit_s * 1000:.0f} ms after SIGTERM; "
              f"port unserved {down_s * 1000:.0f} ms (new process SERVING after {ready_s * 1000:.0f} ms)")
    print(f"  requests sent {stats['sent']}, succeeded {stats['succeeded']}, failed {stats['failed']}; "
          f"{stats['sent'] / elapsed:.0f} req/s")
    print(f"  errors that reached the script (after the SDK's own retries): {dict(errors) or 'none'}; "
          f"script-level retries {stats['script retries']}")
    for message, n in messages.most_common(3):
        print(f"    {n} x {message}")
    print(f"  Analyze completions logged by the servers: {len(served)} ({dup} request ids served twice)")
    for rid, why in failures[:10]:
        print(f"  FAILED {rid}: {why}")
    problems = []
    if stats["failed"] or stats["succeeded"] != stats["sent"]:
        problems.append(f"{stats['failed']} failed requests")
    if any(code != 0 for code, *_ in restarts) or final_code != 0:
        problems.append("a server did not exit with code 0")
    if server.drain_timeouts():
        problems.append("drain timeout reached")
    if len(served) < stats["succeeded"]:
        problems.append("fewer server completions than client successes")
    print("PASS" if not problems else "FAIL: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
