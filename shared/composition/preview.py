"""What a preview asks for besides its job: a frame at `time`, or a clip `from`-`to`, at
`scale` of the canvas; and the problems with such a request, each at its field's name.

The checks that need only the request run at the API's door (`request_problems`); the
ones that need the composition's length run where the length is known (`range_problems`:
the length may come from the sources, which only the render worker probes).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.composition.errors import Problem

__all__ = ["MAX_PREVIEW_FPS", "PreviewParams", "range_problems", "request_problems"]

MAX_PREVIEW_FPS = 60.0


class PreviewParams(BaseModel):
    """A frame (`time`) or a clip (`from`, `to`, `fps`), at `scale` (0 < scale <= 1)."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    time: float | None = Field(None, description="seconds: the frame shown at this time")
    start: float | None = Field(None, alias="from", description="seconds: a clip from here")
    end: float | None = Field(None, alias="to", description="seconds: a clip up to here")
    scale: float = Field(1.0, description="of the canvas size, more than 0 and at most 1")
    fps: float | None = Field(None, description="a clip's frame rate (default: the job's)")
    format: Literal["png", "jpeg"] = Field("png", description="a frame's image format")

    @property
    def is_frame(self) -> bool:
        return self.time is not None


def request_problems(params: PreviewParams, max_seconds: float) -> list[Problem]:
    """Problems visible without the composition: which kind, scale, fps, the clip's length
    against `max_seconds` (VIDGEN_MAX_PREVIEW_SECONDS)."""
    problems: list[Problem] = []
    clip = params.start is not None or params.end is not None
    if params.time is not None and clip:
        problems.append(Problem("time", "give either time (a frame) or from and to (a clip)"))
    elif params.time is None and not clip:
        problems.append(Problem("time", "give time (a frame) or from and to (a clip)"))
    if not 0 < params.scale <= 1:
        problems.append(Problem("scale", f"must be more than 0 and at most 1, got "
                                         f"{params.scale:g}"))
    if params.fps is not None and not 0 < params.fps <= MAX_PREVIEW_FPS:
        problems.append(Problem("fps", f"must be more than 0 and at most "
                                       f"{MAX_PREVIEW_FPS:g}, got {params.fps:g}"))
    if params.fps is not None and params.time is not None:
        problems.append(Problem("fps", "only a clip (from and to) has a frame rate"))
    for name, value in (("time", params.time), ("from", params.start), ("to", params.end)):
        if value is not None and value < 0:
            problems.append(Problem(name, f"must be 0 or more, got {value:g}"))
    if params.time is None and clip:
        if params.start is None or params.end is None:
            missing = "from" if params.start is None else "to"
            problems.append(Problem(missing, "a clip needs both from and to"))
        elif params.end <= params.start:
            problems.append(Problem("to", f"must be after from ({params.start:g}), got "
                                          f"{params.end:g}"))
        elif params.end - params.start > max_seconds:
            problems.append(Problem(
                "to", f"the clip is {params.end - params.start:g} s long, more than the "
                      f"{max_seconds:g} s a preview may be (VIDGEN_MAX_PREVIEW_SECONDS)"))
    return problems


def range_problems(params: PreviewParams, duration: float) -> list[Problem]:
    """Times outside the composition, [0, `duration`)."""
    within = f"the composition runs from 0 to {duration:g} s"
    if params.time is not None and params.time >= duration:
        return [Problem("time", f"{params.time:g} s is outside the composition: {within}")]
    if params.start is not None and params.start >= duration:
        return [Problem("from", f"{params.start:g} s is outside the composition: {within}")]
    if params.end is not None and params.end > duration:
        return [Problem("to", f"{params.end:g} s is outside the composition: {within}")]
    return []

