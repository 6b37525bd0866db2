"""The processing-time estimate that decides whether an `auto` request waits (the earlier
version's formula, so its clients see the same decisions).

    2000 + min(8000, (w·h / (1280·720) - 1) · 3000) + 2000 per video + 500 per image
         + min(12000, 60 × total source MB)                                        [ms]

Source sizes are unknown at intake (storage downloads them later), so the size term is 0
unless the request states it in `metadata.source_mb`. Element types the earlier version did
not have are costed like their nearest kind: overlays and audio like images, text and
captions as free.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from shared.composition import Job

__all__ = ["IMMEDIATE_LIMIT_MS", "estimate_job", "estimate_ms", "should_wait"]

BASE_MS = 2000
REFERENCE_PIXELS = 1280 * 720
RESOLUTION_MS = 3000
RESOLUTION_CAP_MS = 8000
PER_MB_MS = 60
SOURCE_CAP_MS = 12000
IMMEDIATE_LIMIT_MS = 30000
PER_ELEMENT_MS = {"video": 2000, "image": 500, "overlay": 500, "audio": 500, "text": 0,
                  "captions": 0}


def estimate_ms(width: int, height: int, element_types: Iterable[str],
                source_mb: float = 0.0) -> int:
    """The estimate in milliseconds; never negative (small canvases lower the base)."""
    resolution = min(RESOLUTION_CAP_MS, (width * height / REFERENCE_PIXELS - 1) * RESOLUTION_MS)
    elements = sum(PER_ELEMENT_MS.get(kind, 0) for kind in element_types)
    sources = min(SOURCE_CAP_MS, PER_MB_MS * max(0.0, source_mb))
    return max(0, round(BASE_MS + resolution + elements + sources))


def estimate_job(job: Job) -> int:
    return estimate_ms(
        job.output.width, job.output.height,
        (element.type for element in job.elements),
        _source_mb(job.metadata),
    )


def should_wait(response: str, estimated_ms: int) -> bool:
    """immediate: always wait (up to the cap); auto: when the estimate is at most 30 s."""
    if response == "immediate":
        return True
    return response == "auto" and estimated_ms <= IMMEDIATE_LIMIT_MS


def _source_mb(metadata: dict[str, Any]) -> float:
    value = metadata.get("source_mb")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0.0
    return float(value) if math.isfinite(value) else 0.0
