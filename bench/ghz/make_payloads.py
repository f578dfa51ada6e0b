#!/usr/bin/env python3
"""Builds the ghz request payloads from the repository's seed article (written to bench/ghz/out/).

- analyze-seed.json   the seed article as it is (about 2.6 KB)
- analyze-10k.json    the seed's paragraphs repeated, in order, up to at least 10 KiB
- analyze-100k.json   the same up to at least 100 KiB
- stream.json         10 AnalyzeStream messages: the seed article with request ids s0..s9
- batch.json          one AnalyzeBatchRequest holding the seed article 16 times
- health.json         a grpc.health.v1.HealthCheckRequest for the whole server
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parent.parent / "seeds" / "article-fr-diplomatie.txt"
PUBLISHED = "2021-12-08T00:00:00Z"


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
    sizes = {n: len(json.dumps(p, ensure_ascii=False).encode("utf-8")) for n, p in payloads.items()}
    print("payloads:", ", ".join(f"{n} {s} B" for n, s in sizes.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
