"""The Python client against a real server."""

import socket
from datetime import datetime, timezone

import grpc
import pytest

from gleaner import Client, GleanerError, span_text
from gleaner.v1 import analyzer_pb2 as pb

# Accents, «guillemets», emoji outside the BMP and CJK: code points, UTF-16 units and UTF-8 bytes all
# differ here, so a span in the wrong encoding cannot slice the right text.
INTL = (
    "Accord historique à Genève 🎉\n"
    "Le ministre Jean Dupont a déclaré lundi : « Nous irons à Tōkyō 🚀 avant l’été, c’est promis. » "
    "La délégation française a visité une école de 日本語 à Kyoto le 3 mars 2024. "
    "Élodie Martin, porte-parole du Quai d’Orsay, a ajouté : « Les négociations 🤝 ont été très "
    "fructueuses et nous espérons signer bientôt. » Les deux pays se retrouveront à Paris en décembre.\n"
)

ALL = [
    pb.FEATURE_SUMMARY,
    pb.FEATURE_QUOTES,
    pb.FEATURE_PARTIES,
    pb.FEATURE_DATES,
    pb.FEATURE_SENTENCES,
]


@pytest.fixture()
def client(target):
    with Client(target, timeout=10) as c:
        yield c


def test_spans_slice_python_strings(client):
    result = client.analyze(INTL, features=ALL)
    assert result.language_code == "fr"
    assert result.sentences and result.summary and result.quotes
    for item in [*result.sentences, *result.summary, *result.quotes, *result.dates]:
        assert span_text(INTL, item.span) == item.text
    for party in result.parties:
        for mention in party.mentions:
            assert INTL[mention.span.begin : mention.span.end] == mention.text
    quotes = {q.text for q in result.quotes}
    assert "Nous irons à Tōkyō 🚀 avant l’été, c’est promis." in quotes
    assert any("日本語" in s.text for s in result.sentences)
    # A byte offset would overshoot: the text has far fewer code points than bytes.
    assert result.sentences[-1].span.end <= len(INTL) < len(INTL.encode("utf-8"))


def test_seed_article(client, seed_text):
    result = client.analyze(
        seed_text,
        published_at=datetime(2021, 12, 8, tzinfo=timezone.utc),
        max_summary_sentences=2,
        request_id="seed",
    )
    assert result.request_id == "seed"
    assert result.language_code == "fr"
    assert len(result.summary) == 2
    assert any(p.name == "Joe Biden" for p in result.parties)
    for s in result.summary:
        assert seed_text[s.span.begin : s.span.end] == s.text


def test_blank_text_reports_field_violation(client):
    with pytest.raises(GleanerError) as caught:
        client.analyze("   \n ")
    error = caught.value
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == ["document.text"]
    assert error.violations[0].description


def test_deadline_exceeded(client, seed_text):
    with pytest.raises(GleanerError) as caught:
        client.analyze(seed_text * 40, timeout=0.000001)
    assert caught.value.code == grpc.StatusCode.DEADLINE_EXCEEDED


def test_batch_keeps_order_and_per_item_errors(client):
    responses = client.analyze_batch([INTL, "", "The minister said on Monday that talks would resume."])
    assert len(responses) == 3
    assert responses[0].language_code == "fr"
    assert not responses[0].HasField("error")
    error = GleanerError.from_status(responses[1].error)
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == ["document.text"]
    assert responses[2].language_code == "en"


def test_stream_echoes_request_ids_in_order(client):
    requests = [
        pb.AnalyzeRequest(request_id=f"r{i}", document=pb.Document(text=INTL)) for i in range(5)
    ]
    responses = list(client.analyze_stream(requests))
    assert [r.request_id for r in responses] == [f"r{i}" for i in range(5)]
    for r in responses:
        for s in r.summary:
            assert INTL[s.span.begin : s.span.end] == s.text


def test_unreachable_server_is_unavailable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Nothing listens on `port` now: every attempt (the retry policy makes several) is refused.
    with Client(f"127.0.0.1:{port}", timeout=5) as dead:
        with pytest.raises(GleanerError) as caught:
            dead.analyze("Bonjour.")
    assert caught.value.code == grpc.StatusCode.UNAVAILABLE
