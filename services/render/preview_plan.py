"""A preview's parameters against a plan: which time range, which output (the engine's
side of a preview; the API checks the rest, shared/composition/preview.py)."""

from __future__ import annotations

import math

from services.render.compiler import TimeRange
from services.render.preview_output import PreviewOutput
from shared.composition import SpecError
from shared.composition.plan import Plan
from shared.composition.preview import PreviewParams, range_problems

__all__ = ["frame_range", "preview_of"]


def frame_range(at: float, fps: float) -> TimeRange:
    """The output frame on screen at `at`: the one whose interval [n/fps, (n+1)/fps)
    holds it."""
    frame = math.floor(at * fps + 1e-9)
    return TimeRange(frame / fps, (frame + 1) / fps)


def preview_of(params: PreviewParams, plan: Plan) -> tuple[TimeRange, PreviewOutput]:
    """The time range and output of `params` for `plan`; SpecError for a time outside it."""
    problems = range_problems(params, plan.canvas.duration)
    if problems:
        raise SpecError(problems)
    if params.time is not None:
        return (frame_range(params.time, float(plan.canvas.fps)),
                PreviewOutput(params.format, params.scale))
    assert params.start is not None and params.end is not None
    return TimeRange(params.start, params.end), PreviewOutput("mp4", params.scale, params.fps)
