"""Python client for Gleaner, the news-analysis gRPC service.

>>> from gleaner import Client
>>> with Client("127.0.0.1:50051") as client:
...     result = client.analyze(text)
...     first = result.summary[0]
...     assert text[first.span.begin:first.span.end] == first.text

Every span in a response is counted in Unicode code points, so it slices the caller's ``str`` directly.
The message types are the generated ones in :mod:`gleaner.v1.analyzer_pb2`.
"""

from .client import DEFAULT_SERVICE_CONFIG, Client, FieldViolation, GleanerError, span_text

__all__ = ["Client", "DEFAULT_SERVICE_CONFIG", "FieldViolation", "GleanerError", "span_text"]
