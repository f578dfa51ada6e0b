"""Shared helpers of restart.py and replicas.py: start/stop `gleaner serve` processes on loopback, wait
for health SERVING, and read the per-request log lines (``--log-format json``) of each server."""

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import grpc

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("GLEANER_BIN", ROOT / "target" / "release" / "gleaner"))
SEED = Path(os.environ.get("SEED", ROOT / "seeds" / "article-fr-diplomatie.txt"))
OUT = Path(os.environ.get("OUT", ROOT / "bench" / "reliability" / "out"))

# grpc.health.v1.HealthCheckRequest{} is empty; the response's field 1 (status) is a varint, SERVING = 1.
_SERVING = b"\x08\x01"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health_serving(addr: str, timeout: float = 0.5) -> bool:
    """True when grpc.health.v1.Health/Check on `addr` answers SERVING (overall status)."""
    with grpc.insecure_channel(addr) as channel:
        check = channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=lambda b: b,
            response_deserializer=lambda b: b,
        )
        try:
            return check(b"", timeout=timeout) == _SERVING
        except grpc.RpcError:
            return False


class Server:
    """One `gleaner serve` child process on 127.0.0.1:port, logging JSON lines to a file."""

    def __init__(self, port: int, name: str, *extra: str):
        self.port, self.name, self.extra = port, name, extra
        self.addr = f"127.0.0.1:{port}"
        self.proc = None
        self.generation = 0
        self.logs = []

    def start(self, wait: float = 30.0) -> float:
        """Starts the process and waits for SERVING; returns seconds until SERVING."""
        if not BIN.exists():
            subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        OUT.mkdir(parents=True, exist_ok=True)
        log = OUT / f"{self.name}-{self.generation}.log"
        self.generation += 1
        self.logs.append(log)
        env = dict(os.environ, RUST_LOG=os.environ.get("RUST_LOG", "info"))
        t0 = time.monotonic()
        with open(log, "wb") as f:
            self.proc = subprocess.Popen(
                [str(BIN), "serve", "--addr", self.addr, "--log-format", "json", *self.extra],
                stdout=f, stderr=subprocess.STDOUT, env=env,
            )
        while time.monotonic() - t0 < wait:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {log}")
            if health_serving(self.addr):
                return time.monotonic() - t0
            time.sleep(0.02)
        raise RuntimeError(f"{self.name} not SERVING after {wait} s")

    def stop(self, sig: int = signal.SIGTERM, wait: float = 30.0):
        """Sends `sig` and waits for the exit; returns (exit code, seconds to exit)."""
        if self.proc is None or self.proc.poll() is not None:
            return (self.proc.returncode if self.proc else None, 0.0)
        t0 = time.monotonic()
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        return code, time.monotonic() - t0

    def log_records(self):
        """Every JSON log record written so far by every generation of this server."""
        records = []
        for log in self.logs:
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
        return records

    def analyzed_ids(self):
        """request_id of every Analyze the server logged as done (one log line per completed Analyze)."""
        return [
            r["fields"].get("request_id", "")
            for r in self.log_records()
            if r.get("fields", {}).get("message") == "Analyze"
        ]

    def drain_timeouts(self) -> int:
        return sum(
            1 for r in self.log_records()
            if "drain timeout" in r.get("fields", {}).get("message", "")
        )
