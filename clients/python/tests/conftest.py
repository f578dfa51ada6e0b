"""Starts a real `gleaner serve` on a free loopback port for the whole test session."""

import os
import socket
import subprocess
import time
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

REPO = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _binary() -> Path:
    """`$GLEANER_BIN`, or the release binary, built with cargo when needed."""
    if os.environ.get("GLEANER_BIN"):
        return Path(os.environ["GLEANER_BIN"])
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    return REPO / "target" / "release" / "gleaner"


def _wait_serving(target: str, process: subprocess.Popen, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    with grpc.insecure_channel(target) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gleaner serve exited with {process.returncode}")
            try:
                reply = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=1)
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
            except grpc.RpcError:
                pass
            time.sleep(0.1)
    raise RuntimeError(f"gleaner at {target} not SERVING after {limit}s")


@pytest.fixture(scope="session")
def target():
    address = f"127.0.0.1:{_free_port()}"
    process = subprocess.Popen(
        [str(_binary()), "serve", "--addr", address],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_serving(address, process)
        yield address
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (REPO / "seeds" / "article-fr-diplomatie.txt").read_text(encoding="utf-8")
