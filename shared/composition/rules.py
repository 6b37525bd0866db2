"""Cross-field rules of the spec, as plain functions.

The models' validators call them on validated values. When validation fails elsewhere,
pydantic skips a model's own validators, so `parse_job` also runs them on the raw document
(`raw_cross_problems`), using only values that are already numbers: the user sees every
problem at once, not one round at a time.

Warnings (`late_start_warnings`) are for specs that are valid but surely not what the user
meant: the job renders, and the CLI and the API say what was left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.composition.errors import Problem

__all__ = [
    "duplicate_id_problems",
    "font_size_problems",
    "late_start_warnings",
    "raw_cross_problems",
    "size_problems",
    "timing_problems",
]

FieldProblems = list[tuple[str, str]]


def timing_problems(
    start: float, duration: float | None, end: float | None, fade_in: float, fade_out: float
) -> FieldProblems:
    problems: FieldProblems = []
    length = duration
    if duration is not None and end is not None:
        problems.append(("end", "give either duration or end, not both"))
    elif end is not None:
        if end <= start:
            problems.append(("end", f"end ({end:g}) must be after start ({start:g})"))
        elif end - start < 0.001:
            problems.append(("end", f"end ({end:g}) must be at least a millisecond after "
                                    f"start ({start:g})"))
        else:
            length = end - start
    if length is not None and fade_in + fade_out > length + 1e-9:
        field = "fade_in" if fade_in else "fade_out"
        problems.append((
            field,
            f"fade_in + fade_out ({fade_in + fade_out:g} s) exceed the element's duration "
            f"({length:g} s)",
        ))
    return problems


def size_problems(fmt: str, width: int, height: int) -> FieldProblems:
    if fmt == "gif":
        return []
    return [
        (name, f"{name} must be even for {fmt} (4:2:0 chroma), got {value}")
        for name, value in (("width", width), ("height", height))
        if value % 2
    ]


def duplicate_id_problems(ids: Sequence[object]) -> FieldProblems:
    seen: dict[object, int] = {}
    problems: FieldProblems = []
    for index, element_id in enumerate(ids):
        if not isinstance(element_id, str):
            continue
        if element_id in seen:
            problems.append((
                f"elements[{index}].id",
                f"duplicate id {element_id!r} (also elements[{seen[element_id]}])",
            ))
        seen.setdefault(element_id, index)
    return problems


def font_size_problems(text: Any) -> FieldProblems:
    """A text element's automatic size: a box to fill, and a sensible size range. Sizes in
    different units (px and %) are compared once the canvas is known, in the plan."""
    problems: FieldProblems = []
    low, high = text.min_font_size, text.max_font_size
    if text.font_size != "auto":
        problems += [(name, "applies only with font_size 'auto' (leave font_size out to "
                            "fit a box of width and height)")
                     for name, given in (("min_font_size", low), ("max_font_size", high))
                     if given is not None]
        return problems
    missing = [name for name in ("width", "height") if getattr(text, name) is None]
    if missing:
        problems.append(("font_size", f"'auto' fills the element's box: give its "
                                      f"{' and '.join(missing)} too"))
    if low is not None and high is not None and low.unit == high.unit and low.value > high.value:
        problems.append(("min_font_size", f"min_font_size ({low}) is larger than "
                                          f"max_font_size ({high})"))
    return problems


def late_start_warnings(duration: float | None, starts: Sequence[float]) -> FieldProblems:
    """Elements (by index) that start when the output, cut at `duration`, has already ended:
    they are in the spec but not in the video."""
    if duration is None:
        return []
    return [
        (f"elements[{index}].start",
         f"starts at {start:g} s, at or after the end of the output ({duration:g} s): "
         "it will not be in the video")
        for index, start in enumerate(starts)
        if start >= duration
    ]


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _late_keyframes(index: int, element: dict[str, Any], length: float) -> list[Problem]:
    """Keyframes (in seconds) after the element's end, in an unvalidated element."""
    problems = []
    for name in ("x", "y", "width", "height", "opacity", "rotation", "scale", "volume"):
        frames = element.get(name)
        if not isinstance(frames, list):
            continue
        for number, frame in enumerate(frames):
            time = _number(frame.get("time")) if isinstance(frame, dict) else None
            if time is not None and time > length + 1e-9:
                problems.append(Problem(
                    f"elements[{index}].{name}[{number}].time",
                    f"{time:g} s is past the element's end (it lasts {length:g} s)",
                ))
    return problems


def raw_cross_problems(data: dict[str, Any]) -> list[Problem]:
    """The cross-field rules applied to an unvalidated document, where the values allow."""
    problems: list[Problem] = []
    output = data.get("output")
    if isinstance(output, dict):
        width, height = output.get("width", 1280), output.get("height", 720)
        fmt = output.get("format", "mp4")
        if isinstance(width, int) and isinstance(height, int) and isinstance(fmt, str):
            problems += [Problem(f"output.{f}", m) for f, m in size_problems(fmt, width, height)]
    elements = data.get("elements")
    if not isinstance(elements, list):
        return problems
    for index, element in enumerate(elements):
        if not isinstance(element, dict):
            continue
        start, fade_in, fade_out = (
            _number(element.get(name, 0)) for name in ("start", "fade_in", "fade_out")
        )
        duration, end = _number(element.get("duration")), _number(element.get("end"))
        valid = (
            start is not None and start >= 0
            and fade_in is not None and fade_in >= 0
            and fade_out is not None and fade_out >= 0
            and (duration is None or duration > 0)
            and (end is None or end > 0)
        )
        if not valid:
            continue  # the field's own error is already reported
        assert start is not None and fade_in is not None and fade_out is not None
        found = timing_problems(start, duration, end, fade_in, fade_out)
        problems += [Problem(f"elements[{index}].{f}", m) for f, m in found]
        length = duration if duration is not None else (end - start if end else None)
        if length is not None and not found:
            problems += _late_keyframes(index, element, length)
    ids = [element.get("id") if isinstance(element, dict) else None for element in elements]
    problems += [Problem(path, message) for path, message in duplicate_id_problems(ids)]
    return problems
