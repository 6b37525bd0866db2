"""Prometheus metrics of the storage service."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Histogram

__all__ = ["BYTES", "DOWNLOADS", "OPERATION_SECONDS", "timed"]

BYTES = Counter(
    "vidgen_storage_bytes", "Bytes moved by the storage service",
    ["direction"],  # download (sources fetched), upload (to S3), served (result URLs)
)
DOWNLOADS = Counter(
    "vidgen_downloads", "Source downloads by outcome",
    ["outcome"],  # ok, or the error code (source_forbidden, source_too_large, ...)
)
OPERATION_SECONDS = Histogram(
    "vidgen_storage_operation_seconds", "Duration of storage operations",
    ["operation"],  # download, upload, copy, delete, probe
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)


@contextmanager
def timed(operation: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        OPERATION_SECONDS.labels(operation).observe(time.perf_counter() - started)
