"""The processing-time estimate that decides whether an `auto` request waits (the earlier
version's formula, so its clients see the same decisions).

    2000 + min(8000, (w·h / (1280·720) - 1) · 3000) + 2000 per video + 500 per image
         + min(12000, 60 × total source MB)                                        [ms]

Source sizes are unknown at intake (storage downloads them later), so the size term is 0
unless the request states it in `metadata.source_mb`. Element types the earlier version did
not have are costed like their nearest kind: overlays and audio like images, text and
captions as free.

Motion (spec v2) adds what it costs per frame, which a static overlay does not: per second
of animation, at a 1080p canvas (scaled by the canvas's pixels), 1000 ms for a Ken Burns
warp, 500 ms for a transition or entrance drawn through a mask (a table lookup a frame,
plus its order map), and 200 ms for other animated values, fades and slides. The figures
are rounded up from the CPU time of the benchmark's slideshow (bench/slideshow.py: its
warps up to ~1 s of CPU per second at 1080p, each mask under 0.5 s per second). A v1
job has no motion term, so it is estimated exactly as before.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from shared.composition import Job
from shared.composition.animation import uses_motion
from shared.composition.keyframes import Keyframes
from shared.composition.plan import DEFAULT_DURATION
from shared.composition.transitions import MASKED

__all__ = ["IMMEDIATE_LIMIT_MS", "estimate_job", "estimate_ms", "motion_ms", "should_wait"]

BASE_MS = 2000
REFERENCE_PIXELS = 1280 * 720
RESOLUTION_MS = 3000
RESOLUTION_CAP_MS = 8000
PER_MB_MS = 60
SOURCE_CAP_MS = 12000
IMMEDIATE_LIMIT_MS = 30000
PER_ELEMENT_MS = {"video": 2000, "image": 500, "overlay": 500, "audio": 500, "text": 0,
                  "captions": 0}
MOTION_PIXELS = 1920 * 1080
KEN_BURNS_MS_PER_S = 1000
MASK_MS_PER_S = 500
ANIMATED_MS_PER_S = 200
MOTION_CAP_MS = 120000
MASKED_ENTRANCES = ("wipe-left", "wipe-right")


def estimate_ms(width: int, height: int, element_types: Iterable[str],
                source_mb: float = 0.0) -> int:
    """The estimate in milliseconds; never negative (small canvases lower the base)."""
    resolution = min(RESOLUTION_CAP_MS, (width * height / REFERENCE_PIXELS - 1) * RESOLUTION_MS)
    elements = sum(PER_ELEMENT_MS.get(kind, 0) for kind in element_types)
    sources = min(SOURCE_CAP_MS, PER_MB_MS * max(0.0, source_mb))
    return max(0, round(BASE_MS + resolution + elements + sources))


def estimate_job(job: Job) -> int:
    static = estimate_ms(
        job.output.width, job.output.height,
        (element.type for element in job.elements),
        _source_mb(job.metadata),
    )
    return static + motion_ms(job)


def motion_ms(job: Job) -> int:
    """What the job's motion adds (0 for a v1 job), capped at two minutes."""
    area = job.output.width * job.output.height / MOTION_PIXELS
    seconds = {"warp": 0.0, "mask": 0.0, "animated": 0.0}
    for element in job.elements:
        if element.type == "audio" or not uses_motion(element):
            continue
        length = element.fixed_length or job.output.duration or DEFAULT_DURATION
        if getattr(element, "motion", None) is not None:
            seconds["warp"] += length
        transition = element.transition
        if transition is not None:
            kind = "mask" if transition.type in MASKED else "animated"
            seconds[kind] += min(transition.duration, length)
        for sugar in (element.enter, element.exit):
            if sugar is not None:
                kind = "mask" if sugar.type in MASKED_ENTRANCES else "animated"
                seconds[kind] += min(sugar.duration, length)
        if _keyframed(element):
            seconds["animated"] += length
    total = area * (KEN_BURNS_MS_PER_S * seconds["warp"] + MASK_MS_PER_S * seconds["mask"]
                    + ANIMATED_MS_PER_S * seconds["animated"])
    return round(min(MOTION_CAP_MS, total))


def _keyframed(element: Any) -> bool:
    """Animated values or constants that add a filter every frame (rotation, scale, flip)."""
    fields = ("x", "y", "width", "height", "opacity", "rotation", "scale")
    return any(isinstance(getattr(element, name), Keyframes) for name in fields) or any(
        getattr(element, name) is not None for name in ("rotation", "scale", "flip"))


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
