"""Cutting one job into work units the fleet renders together (split rendering).

A long enough job's picture is cut into time slices on the output frame grid: slice `i`
covers the frames `[i·k, (i+1)·k)` for `k` frames per slice, and the last one ends where
the composition ends, so the slices together have exactly the unsplit render's frames.
Each slice is its own FFmpeg run (`only="video"`), so it starts with a key frame and uses
the same encoder settings; the sound is one more unit (`only="audio"`), mixed and encoded
once over the whole timeline (never per slice: no seams in the sound, and one loudness
pass). `services.render.stitch` joins the units by stream copy.

A job is rendered whole when it is short, or when its output cannot be joined that way: a
GIF (one palette over every frame), an AVI, or soft subtitles (their stream would have to
be cut and joined too).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from services.render.compiler import TimeRange
from shared.composition.plan import Plan

__all__ = ["SPLIT_FORMATS", "Unit", "audio_name", "plan_units", "slice_name", "split_ranges"]

SPLIT_FORMATS = frozenset({"mp4", "mov", "webm"})
"""Formats whose slices join by the concat demuxer and stream copy."""
MIN_LAST_SLICE = Fraction(1, 2)
"""A last slice shorter than this share of a slice joins the one before it."""


@dataclass(frozen=True)
class Unit:
    """One work unit of a split job: a video slice (`index` 0..n-1) or the audio."""

    kind: Literal["video", "audio"]
    index: int
    start: float
    end: float

    @property
    def range(self) -> TimeRange:
        return TimeRange(self.start, self.end)

    @property
    def name(self) -> str:
        return slice_name(self.index) if self.kind == "video" else "audio"


def slice_name(index: int) -> str:
    return f"slice-{index:04d}"


def audio_name() -> str:
    return "audio"


def split_ranges(duration: float, fps: Fraction, slice_seconds: float) -> list[TimeRange]:
    """Frame-grid slices of `[0, duration)`, about `slice_seconds` each.

    Boundaries are whole frame counts divided by the frame rate (exact fractions turned to
    floats once), so `compile_plan` snaps each one back to the same frame.
    """
    per_slice = max(1, round(Fraction(slice_seconds) * fps))
    frames = max(1, math.ceil(Fraction(duration) * fps - Fraction(1, 10**9)))
    cuts = list(range(0, frames, per_slice))
    if len(cuts) > 1 and frames - cuts[-1] < per_slice * MIN_LAST_SLICE:
        cuts.pop()
    ends = [float(Fraction(cut) / fps) for cut in cuts[1:]] + [duration]
    return [TimeRange(float(Fraction(cut) / fps), end) for cut, end in zip(cuts, ends,
                                                                             strict=True)]


def splittable(plan: Plan) -> bool:
    output = plan.canvas.output
    return output.format in SPLIT_FORMATS and not (output.subtitles and plan.subtitles)


def plan_units(plan: Plan, *, min_seconds: float, slice_seconds: float) -> list[Unit]:
    """The job's units when it is split (video slices, then the audio), else []."""
    canvas = plan.canvas
    if canvas.duration < min_seconds or not splittable(plan):
        return []
    ranges = split_ranges(canvas.duration, canvas.fps, slice_seconds)
    if len(ranges) < 2:
        return []
    units = [Unit("video", index, r.start, r.end) for index, r in enumerate(ranges)]
    return [*units, Unit("audio", len(units), 0.0, canvas.duration)]
