"""Animated values: keyframe lists, easing curves, and their evaluation.

One implementation of the maths for everyone: validation parses keyframe lists
(`animated.parse_keyframes`), the plan resolves them to seconds and pixels (`Track`), and
the render compiler writes the same curve as an FFmpeg expression in `t`.
Python (`Track.at`) and FFmpeg (`Track.expression`) compute an eased value the same way,
so tests can predict a frame's pixels and a slice computes what the full render does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Generic, Literal, TypeVar

from pydantic_core import PydanticCustomError

__all__ = [
    "EASING_NAMES",
    "Easing",
    "KeyTime",
    "Keyframe",
    "Keyframes",
    "Track",
    "field_problem",
    "parse_easing",
]

V = TypeVar("V")
EASING_NAMES = ("linear", "ease-in", "ease-out", "ease-in-out", "step", "cubic-bezier(a,b,c,d)")
_NAMED_BEZIER = {
    "ease-in": (0.42, 0.0, 1.0, 1.0),
    "ease-out": (0.0, 0.0, 0.58, 1.0),
    "ease-in-out": (0.42, 0.0, 0.58, 1.0),
}
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_BEZIER = re.compile(rf"^cubic-bezier\(\s*({_NUMBER})\s*,\s*({_NUMBER})\s*,\s*({_NUMBER})\s*,"
                     rf"\s*({_NUMBER})\s*\)$")
_BISECTIONS = 20  # solving x(s) = p of a cubic Bezier to 1e-6, in Python and in FFmpeg


def field_problem(problems: list[tuple[str, str]]) -> PydanticCustomError:
    """A validation error that carries (field, message) pairs for the path formatter.

    A field starting with `[` is a path inside a list (`[1].time`), an empty one is the
    value itself.
    """
    return PydanticCustomError(
        "vidgen_fields",
        "{summary}",
        {"summary": "; ".join(message for _, message in problems), "fields": problems},
    )


def _fmt(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".") if value == value else "0"


@dataclass(frozen=True)
class Easing:
    """How a segment goes from the previous keyframe's value to its own."""

    kind: Literal["linear", "step", "bezier"]
    points: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)
    text: str = "linear"

    def __call__(self, progress: float) -> float:
        """The eased share (0..1 in, usually 0..1 out) of the way through a segment."""
        p = min(1.0, max(0.0, progress))
        if self.kind == "linear":
            return p
        if self.kind == "step":
            return 1.0 if p >= 1.0 else 0.0
        x1, y1, x2, y2 = self.points
        low, high = 0.0, 1.0
        for _ in range(_BISECTIONS):
            middle = (low + high) / 2
            if _bezier(middle, x1, x2) < p:
                low = middle
            else:
                high = middle
        return _bezier((low + high) / 2, y1, y2)

    def expression(self, progress: str) -> str:
        """The same curve as an FFmpeg expression of `progress` (already clipped to 0..1).

        Uses the expression variables 0-3 (st/ld) for the Bezier's bisection.
        """
        if self.kind == "linear":
            return progress
        if self.kind == "step":
            return f"gte({progress},1)"
        x1, y1, x2, y2 = self.points
        steps = [f"st(0,{progress})", "st(1,0)", "st(2,1)"]
        bisect = (f"st(3,(ld(1)+ld(2))/2);"
                  f"if(lt({_bezier_expr('ld(3)', x1, x2)},ld(0)),st(1,ld(3)),st(2,ld(3)))")
        steps += [bisect] * _BISECTIONS
        steps.append(f"st(3,(ld(1)+ld(2))/2);{_bezier_expr('ld(3)', y1, y2)}")
        return "(" + ";".join(steps) + ")"

    def __str__(self) -> str:
        return self.text


def _bezier(s: float, a: float, b: float) -> float:
    """One coordinate of a cubic Bezier from 0 to 1 with control values a and b."""
    inverse = 1 - s
    return 3 * inverse * inverse * s * a + 3 * inverse * s * s * b + s * s * s


def _bezier_expr(s: str, a: float, b: float) -> str:
    return f"(3*(1-{s})*(1-{s})*{s}*{_fmt(a)}+3*(1-{s})*{s}*{s}*{_fmt(b)}+{s}*{s}*{s})"


LINEAR = Easing("linear")


def parse_easing(raw: object) -> Easing:
    """`linear`, `ease-in`, `ease-out`, `ease-in-out`, `step` or `cubic-bezier(a,b,c,d)`."""
    if isinstance(raw, Easing):
        return raw
    if not isinstance(raw, str):
        raise ValueError(f"easing must be one of {', '.join(EASING_NAMES)}, got {raw!r}")
    text = raw.strip().lower()
    if text in ("linear", "step"):
        return Easing(text, text=text)  # type: ignore[arg-type]
    if text in _NAMED_BEZIER:
        return Easing("bezier", _NAMED_BEZIER[text], text)
    if text.startswith("cubic-bezier"):
        match = _BEZIER.match(text)
        if not match:
            raise ValueError(f"malformed {raw!r}: expected cubic-bezier(a,b,c,d) with four numbers")
        a, b, c, d = (float(group) for group in match.groups())
        if not (0 <= a <= 1 and 0 <= c <= 1):
            raise ValueError(f"in {raw!r} the x values (first and third) must be between 0 and 1")
        if not all(math.isfinite(v) and abs(v) <= 10 for v in (b, d)):
            raise ValueError(f"in {raw!r} the y values must be between -10 and 10")
        return Easing("bezier", (a, b, c, d), text)
    raise ValueError(f"unknown easing {raw!r}; one of {', '.join(EASING_NAMES)}")


@dataclass(frozen=True)
class KeyTime:
    """A keyframe's time: element-local seconds, or a percentage of the element's duration."""

    value: float
    percent: bool

    def seconds(self, duration: float) -> float:
        return duration * self.value / 100.0 if self.percent else self.value

    def __str__(self) -> str:
        return f"{self.value:g}%" if self.percent else f"{self.value:g}"


@dataclass(frozen=True)
class Keyframe(Generic[V]):
    time: KeyTime
    value: V
    easing: Easing = LINEAR


@dataclass(frozen=True)
class Keyframes(Generic[V]):
    """A validated keyframe list, in the order given (validation checks it is sorted)."""

    frames: tuple[Keyframe[V], ...]

    def dump(self) -> list[dict[str, Any]]:
        """The list as JSON again, in the shape the user wrote."""
        out = []
        for frame in self.frames:
            time: float | str = str(frame.time) if frame.time.percent else frame.time.value
            value = frame.value if isinstance(frame.value, int | float) else str(frame.value)
            item: dict[str, Any] = {"time": time, "value": value}
            if frame.easing.kind != "linear":
                item["easing"] = frame.easing.text
            out.append(item)
        return out

    def last_seconds(self, duration: float | None) -> tuple[int, float] | None:
        """(index, seconds) of the latest keyframe, when its time is known."""
        best: tuple[int, float] | None = None
        for index, frame in enumerate(self.frames):
            if frame.time.percent and duration is None:
                continue
            seconds = frame.time.seconds(duration or 0.0)
            if best is None or seconds >= best[1]:
                best = (index, seconds)
        return best


@dataclass(frozen=True)
class Track:
    """A number over element-local seconds: (time, value, easing of the segment ending there).

    Before the first point and after the last one the value holds.
    """

    points: tuple[tuple[float, float, Easing], ...]

    @classmethod
    def constant(cls, value: float) -> Track:
        return cls(((0.0, value, LINEAR),))

    @property
    def is_constant(self) -> bool:
        return all(value == self.points[0][1] for _, value, _ in self.points)

    @property
    def first(self) -> float:
        return self.points[0][1]

    @property
    def span(self) -> tuple[float, float]:
        return self.points[0][0], self.points[-1][0]

    @property
    def values(self) -> list[float]:
        return [value for _, value, _ in self.points]

    def map(self, change: Callable[[float], float]) -> Track:
        """The same times and easings with each value changed (exact for affine changes)."""
        return Track(tuple((time, change(value), easing) for time, value, easing in self.points))

    def at(self, t: float) -> float:
        first_time, first_value, _ = self.points[0]
        if t < first_time:
            return first_value
        for (start, before, _), (end, after, easing) in pairwise(self.points):
            if t < end:
                share = easing((t - start) / (end - start)) if end > start else 1.0
                return before + (after - before) * share
        return self.points[-1][1]

    def expression(self, time: str = "t") -> str:
        """The track as an FFmpeg expression of `time` (element-local seconds)."""
        if self.is_constant:
            return _fmt(self.first)
        text = _fmt(self.points[-1][1])
        pairs = list(pairwise(self.points))
        for (start, before, _), (end, after, easing) in reversed(pairs):
            progress = f"clip(({time}-{_fmt(start)})/{_fmt(end - start)},0,1)"
            segment = f"{_fmt(before)}+{_fmt(after - before)}*{easing.expression(progress)}"
            text = f"if(lt({time},{_fmt(end)}),{segment},{text})"
        return f"if(lt({time},{_fmt(self.points[0][0])}),{_fmt(self.first)},{text})"
