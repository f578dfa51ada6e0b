#!/usr/bin/env python3
"""Replicas (issue 11): three `gleaner serve` on loopback ports behind one client-side round_robin gRPC
channel (target ``ipv4:127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3``) whose service config retries UNAVAILABLE.
Worker threads send a steady stream of Analyze calls (seed article) through the Python SDK; midway replica
B is stopped gracefully (SIGTERM) and replica C is killed hard (SIGKILL) a moment later. The
channel's retry policy retries calls that were not yet sent; a call already sent to the replica that is
killed comes back UNAVAILABLE and the client tries it again (Analyze is idempotent), at most 3 times. Each request carries a unique request_id and every server logs one JSON line per completed
Analyze with it, which gives the per-replica spread before and after the faults.
Exits 1 unless zero requests failed, all three replicas took traffic before the faults, and only the
survivor took traffic after them.

Usage: replicas.py [--phase 4] [--threads 4]   (venv with ./clients/python installed)
"""

import argparse
import json
import signal
import sys
import threading
import time
from collections import Counter

import grpc
from gleaner import Client, GleanerError
import relib

APP_ATTEMPTS = 3

SERVICE_CONFIG = {
    "loadBalancingConfig": [{"round_robin": {}}],
    "methodConfig": [
        {
            "name": [{"service": "gleaner.v1.ArticleAnalyzer"}],
            "retryPolicy": {
                "maxAttempts": 5,
                "initialBackoff": "0.05s",
                "maxBackoff": "1s",
                "backoffMultiplier": 2,
                "retryableStatusCodes": ["UNAVAILABLE"],
            },
        }
    ],
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--phase", type=float, default=4.0, help="seconds of load before, between, after faults")
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()

    text = relib.SEED.read_text(encoding="utf-8")
    servers = [relib.Server(relib.free_port(), f"replica-{n}") for n in "ABC"]
    lock = threading.Lock()
    stats = Counter()
    failures = []
    stop = threading.Event()
    # Request ids are numbered; `marks` records the last id issued when each phase ended.
    next_id = iter(range(1, 10**9))

    try:
        for s in servers:
            s.start()
        target = "ipv4:" + ",".join(s.addr for s in servers)
        client = Client(
            target,
            timeout=10.0,
            service_config=SERVICE_CONFIG,
            # The default :authority of a multi-address target is the whole list ("127.0.0.1:P1,..."),
            # which is not a valid authority: the server (hyper) resets such streams (PROTOCOL_ERROR).
            options=[("grpc.lb_policy_name", "round_robin"), ("grpc.default_authority", "localhost")],
        )

        def worker() -> None:
            while not stop.is_set():
                with lock:
                    rid = next(next_id)
                    stats["sent"] += 1
                # The channel's retry policy covers calls not yet sent; a call already on the wire to a
                # replica that is killed hard is committed and comes back UNAVAILABLE. Analyze is
                # idempotent, so the client tries it again, as a caller should (at most APP_ATTEMPTS).
                for attempt in range(APP_ATTEMPTS):
                    try:
                        result = client.analyze(text, request_id=str(rid))
                        with lock:
                            stats["succeeded" if result.summary else "failed"] += 1
                        break
                    except GleanerError as e:
                        if e.code == grpc.StatusCode.UNAVAILABLE and attempt + 1 < APP_ATTEMPTS:
                            with lock:
                                stats["app_retries"] = stats.get("app_retries", 0) + 1
                            continue
                        with lock:
                            stats["failed"] += 1
                            failures.append((rid, f"{e.code.name}: {e.message[:100]}"))
                        break

        threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.threads)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(args.phase)
        with lock:
            mark_before = stats["sent"]
        term = servers[1].stop(signal.SIGTERM)
        time.sleep(args.phase / 2)
        kill = servers[2].stop(signal.SIGKILL)
        with lock:
            mark_kill = stats["sent"]
        time.sleep(args.phase)
        stop.set()
        for t in threads:
            t.join(timeout=30)
        elapsed = time.monotonic() - t0
        client.close()
    finally:
        stop.set()
        codes = [s.stop(signal.SIGTERM)[0] for s in servers]

    def spread(lo: int, hi: int) -> str:
        counts = []
        for s in servers:
            ids = [int(i) for i in s.analyzed_ids() if i.isdigit()]
            counts.append(sum(1 for i in ids if lo < i <= hi))
        return ", ".join(f"{s.name} {n}" for s, n in zip(servers, counts)), counts

    total = stats["sent"]
    before_txt, before = spread(0, mark_before)
    mid_txt, _ = spread(mark_before, mark_kill)
    after_txt, after = spread(mark_kill, total)
    served = [i for s in servers for i in s.analyzed_ids()]
    dup = sum(n - 1 for n in Counter(served).values() if n > 1)
    print(f"replicas: 3 servers, round_robin channel, {args.threads} threads, {elapsed:.1f} s, "
          f"{total / elapsed:.0f} req/s")
    print(f"  {servers[1].name} SIGTERM -> exit {term[0]} in {term[1] * 1000:.0f} ms; "
          f"{servers[2].name} SIGKILL -> exit {kill[0]}")
    print(f"  requests sent {total}, succeeded {stats['succeeded']}, failed {stats['failed']}, "
          f"client retries after a hard kill {stats.get('app_retries', 0)}")
    print(f"  served per replica, requests 1..{mark_before} (all up): {before_txt}")
    print(f"  served per replica, requests {mark_before + 1}..{mark_kill} (B stopped): {mid_txt}")
    print(f"  served per replica, requests {mark_kill + 1}..{total} (B stopped, C killed): {after_txt}")
    print(f"  server log lines {len(served)} ({dup} ids served twice: a reply lost with the killed replica "
          f"and retried, or log lines lost with it)")
    for rid, why in failures[:10]:
        print(f"  FAILED request {rid}: {why}")
    problems = []
    if stats["failed"] or stats["succeeded"] != total:
        problems.append(f"{stats['failed']} failed requests")
    if min(before) == 0:
        problems.append("a replica got no traffic while all were up")
    if after[1] or after[2] or not after[0]:
        problems.append("traffic after the faults did not all go to the survivor")
    if codes[0] != 0:
        problems.append("survivor did not exit cleanly")
    print("PASS" if not problems else "FAIL: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
