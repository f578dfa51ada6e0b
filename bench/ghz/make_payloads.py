#!/usr/bin/env python3
"""Builds the ghz request payloads from the repository's seed article (written to bench/ghz/out/).

- analyze-seed.json   the seed article as it is (about 2.6 KB)
- analyze-10k.json    the seed's paragraphs repeated, in order, up to at least 10 KiB
- analyze-100k.json   the same up to at least 100 KiB
- stream.json         10 AnalyzeStream messages: the seed article with request ids s0..s9
- batch.json          one AnalyzeBatchRequest holding the seed article 16 times
- health.json         a grpc.health.v1.HealthCheckRequest for the whole server
- analyze-seed.bin    analyze-seed.json as a serialized AnalyzeRequest, for ghz `--binary-file`: ghz
                      then sends the bytes as they are instead of building a message from JSON per call
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parent.parent / "seeds" / "article-fr-diplomatie.txt"
PUBLISHED = "2021-12-08T00:00:00Z"
PUBLISHED_SECONDS = 1638921600  # PUBLISHED as Unix seconds


def grow(text: str, size: int) -> str:
    """Repeats the paragraphs of `text` (after its headline) until the result reaches `size` bytes."""
    lines = text.strip("\n").split("\n")
    headline, paragraphs = lines[0], [p for p in lines[1:] if p.strip()]
    out = [headline]
    total = len(headline.encode("utf-8"))
    i = 0
    while total < size:
        paragraph = paragraphs[i % len(paragraphs)]
        out.append(paragraph)
        total += len(paragraph.encode("utf-8")) + 1
        i += 1
    return "\n".join(out) + "\n"


def request(text: str, request_id: str = "") -> dict:
    return {"request_id": request_id, "document": {"text": text, "published_at": PUBLISHED}}


def varint(n: int) -> bytes:
    """Protobuf base-128 varint of a non-negative integer."""
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number: int, payload: bytes) -> bytes:
    """A length-delimited protobuf field (strings and sub-messages)."""
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def request_bytes(text: str, request_id: str = "") -> bytes:
    """`request(text, request_id)` serialized as a gleaner.v1.AnalyzeRequest (field numbers from
    proto/gleaner/v1/analyzer.proto: request_id 1, document 2; Document.text 1, .published_at 4;
    Timestamp.seconds 1)."""
    timestamp = varint(1 << 3 | 0) + varint(PUBLISHED_SECONDS)
    document = field(1, text.encode("utf-8")) + field(4, timestamp)
    return (field(1, request_id.encode("utf-8")) if request_id else b"") + field(2, document)


def main() -> int:
    seed = SEED.read_text(encoding="utf-8")
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    payloads = {
        "analyze-seed.json": request(seed),
        "analyze-10k.json": request(grow(seed, 10 * 1024)),
        "analyze-100k.json": request(grow(seed, 100 * 1024)),
        "stream.json": [request(seed, f"s{i}") for i in range(10)],
        "batch.json": {"requests": [request(seed, f"b{i}") for i in range(16)]},
        "health.json": {"service": ""},
    }
    for name, payload in payloads.items():
        (out / name).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    (out / "analyze-seed.bin").write_bytes(request_bytes(seed))
    sizes = {n: len(json.dumps(p, ensure_ascii=False).encode("utf-8")) for n, p in payloads.items()}
    print("payloads:", ", ".join(f"{n} {s} B" for n, s in sizes.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
