"""The thin, idiomatic wrapper over the generated ``ArticleAnalyzer`` stub."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Iterator, Optional, Sequence, Union

import grpc
from google.protobuf import timestamp_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from .v1 import analyzer_pb2 as pb
from .v1 import analyzer_pb2_grpc as pb_grpc

#: gRPC service config of every channel the client opens: calls that fail with UNAVAILABLE (server
#: restarting, connection refused, load shed by a proxy) are retried up to 4 attempts in all with
#: exponential backoff. Every Gleaner call is stateless, so a retry is always safe.
DEFAULT_SERVICE_CONFIG = {
    "methodConfig": [
        {
            "name": [{"service": "gleaner.v1.ArticleAnalyzer"}],
            "retryPolicy": {
                "maxAttempts": 4,
                "initialBackoff": "0.1s",
                "maxBackoff": "2s",
                "backoffMultiplier": 2,
                "retryableStatusCodes": ["UNAVAILABLE"],
            },
        }
    ]
}

Document = Union[str, pb.Document, pb.AnalyzeRequest]


@dataclass(frozen=True)
class FieldViolation:
    """One bad field of a request, from the ``google.rpc.BadRequest`` detail of an error."""

    field: str
    description: str


class GleanerError(Exception):
    """A failed call: the gRPC status code, the server's message and the field violations, if any."""

    def __init__(self, code: grpc.StatusCode, message: str, violations: Sequence[FieldViolation] = ()):
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message
        self.violations = list(violations)

    @classmethod
    def from_rpc_error(cls, error: grpc.RpcError) -> "GleanerError":
        """Reads the status code, message and ``BadRequest`` details of a failed call."""
        status = rpc_status.from_call(error) if isinstance(error, grpc.Call) else None
        if status is None:
            code = error.code() if isinstance(error, grpc.Call) else grpc.StatusCode.UNKNOWN
            details = error.details() if isinstance(error, grpc.Call) else str(error)
            return cls(code, details or "")
        return cls.from_status(status)

    @classmethod
    def from_status(cls, status: status_pb2.Status) -> "GleanerError":
        """Converts a ``google.rpc.Status`` (also found in stream and batch items) to an error."""
        code = _CODES.get(status.code, grpc.StatusCode.UNKNOWN)
        violations = []
        for detail in status.details:
            if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad = error_details_pb2.BadRequest()
                detail.Unpack(bad)
                violations.extend(FieldViolation(v.field, v.description) for v in bad.field_violations)
        return cls(code, status.message, violations)


_CODES = {c.value[0]: c for c in grpc.StatusCode}


def span_text(text: str, span: pb.TextSpan) -> str:
    """The part of ``text`` that ``span`` points at (offsets are code points)."""
    return text[span.begin : span.end]


class Client:
    """A Gleaner client on one channel. Thread-safe; close it (or use ``with``) when done.

    ``timeout`` is the default deadline of each call in seconds; every method also takes its own.
    """

    def __init__(
        self,
        target: str,
        *,
        timeout: float = 10.0,
        credentials: Optional[grpc.ChannelCredentials] = None,
        service_config: Optional[dict] = None,
        options: Sequence[tuple] = (),
    ):
        config = json.dumps(service_config if service_config is not None else DEFAULT_SERVICE_CONFIG)
        channel_options = [
            ("grpc.enable_retries", 1),
            ("grpc.service_config", config),
            ("grpc.max_receive_message_length", 16 * 1024 * 1024),
            *options,
        ]
        if credentials is None:
            self._channel = grpc.insecure_channel(target, options=channel_options)
        else:
            self._channel = grpc.secure_channel(target, credentials, options=channel_options)
        self._stub = pb_grpc.ArticleAnalyzerStub(self._channel)
        self.timeout = timeout

    def close(self) -> None:
        """Closes the channel."""
        self._channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def analyze(
        self,
        text: Document,
        *,
        title: str = "",
        language: str = "",
        published_at: Optional[datetime] = None,
        time_zone: str = "",
        features: Iterable[int] = (),
        max_summary_sentences: int = 0,
        max_quotes: int = 0,
        request_id: str = "",
        timeout: Optional[float] = None,
    ) -> pb.AnalyzeResponse:
        """Analyses one article. Raises :class:`GleanerError` on failure."""
        request = self.request(
            text,
            title=title,
            language=language,
            published_at=published_at,
            time_zone=time_zone,
            features=features,
            max_summary_sentences=max_summary_sentences,
            max_quotes=max_quotes,
            request_id=request_id,
        )
        try:
            return self._stub.Analyze(request, timeout=self._deadline(timeout))
        except grpc.RpcError as e:
            raise GleanerError.from_rpc_error(e) from None

    def analyze_batch(
        self, documents: Iterable[Document], *, timeout: Optional[float] = None
    ) -> list[pb.AnalyzeResponse]:
        """Analyses many articles in one call. A bad item has its ``error`` set (see
        :meth:`GleanerError.from_status`); the call itself fails only as a whole."""
        batch = pb.AnalyzeBatchRequest(requests=[self.request(d) for d in documents])
        try:
            return list(self._stub.AnalyzeBatch(batch, timeout=self._deadline(timeout)).responses)
        except grpc.RpcError as e:
            raise GleanerError.from_rpc_error(e) from None

    def analyze_stream(
        self, documents: Iterable[Document], *, timeout: Optional[float] = None
    ) -> Iterator[pb.AnalyzeResponse]:
        """Analyses a stream of articles on one call, yielding responses in request order."""
        requests = (self.request(d) for d in documents)
        try:
            yield from self._stub.AnalyzeStream(requests, timeout=self._deadline(timeout))
        except grpc.RpcError as e:
            raise GleanerError.from_rpc_error(e) from None

    @staticmethod
    def request(
        document: Document,
        *,
        title: str = "",
        language: str = "",
        published_at: Optional[datetime] = None,
        time_zone: str = "",
        features: Iterable[int] = (),
        max_summary_sentences: int = 0,
        max_quotes: int = 0,
        request_id: str = "",
    ) -> pb.AnalyzeRequest:
        """Builds a request whose offsets are code points, from a ``str``, a ``Document`` or a request."""
        if isinstance(document, pb.AnalyzeRequest):
            request = pb.AnalyzeRequest()
            request.CopyFrom(document)
        else:
            if isinstance(document, str):
                doc = pb.Document(text=document, title=title, language_code=language, time_zone=time_zone)
                if published_at is not None:
                    stamp = timestamp_pb2.Timestamp()
                    stamp.FromDatetime(published_at)
                    doc.published_at.CopyFrom(stamp)
            else:
                doc = document
            request = pb.AnalyzeRequest(
                request_id=request_id,
                document=doc,
                options=pb.AnalyzeOptions(
                    features=list(features),
                    max_summary_sentences=max_summary_sentences,
                    max_quotes=max_quotes,
                ),
            )
        request.options.offset_encoding = pb.OFFSET_ENCODING_CODE_POINT
        return request

    def _deadline(self, timeout: Optional[float]) -> float:
        return self.timeout if timeout is None else timeout
