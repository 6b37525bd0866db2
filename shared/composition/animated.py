"""Spec field types that take a constant or a keyframe list (`x`, `width`, `opacity`, ...).

A constant parses exactly as in v1 (the same value types), so a v1 job validates to the
same model; a list parses with `parse_keyframes`, each value with the constant's own
parser, and reports every problem with its path inside the list.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from shared.composition.keyframes import (
    LINEAR,
    Keyframe,
    Keyframes,
    KeyTime,
    field_problem,
    parse_easing,
)
from shared.composition.values import LengthValue, PositionValue, parse_length, parse_position

__all__ = [
    "AnimatedLength",
    "AnimatedOpacity",
    "AnimatedPosition",
    "AnimatedRotation",
    "AnimatedScale",
    "AnimatedVolume",
    "is_animated",
    "parse_keyframes",
]

V = TypeVar("V")
_PERCENT = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*%\s*$")
MAX_KEYFRAMES = 100


def is_animated(value: object) -> bool:
    return isinstance(value, Keyframes)


def _parse_time(raw: object) -> KeyTime:
    if isinstance(raw, bool) or raw is None:
        raise ValueError(f"time must be seconds or a percentage like '20%', got {raw!r}")
    if isinstance(raw, int | float):
        value = float(raw)
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"time must be zero or more seconds, got {raw!r}")
        return KeyTime(value, False)
    match = _PERCENT.match(raw) if isinstance(raw, str) else None
    if not match:
        raise ValueError(f"time must be seconds or a percentage like '20%', got {raw!r}")
    value = float(match.group(1))
    if not 0 <= value <= 100:
        raise ValueError(f"a percentage time must be between 0% and 100%, got {raw!r}")
    return KeyTime(value, True)


def _parse_frame(
    index: int, raw: object, parse_value: Callable[[object], V], problems: list[tuple[str, str]]
) -> Keyframe[V] | None:
    where = f"[{index}]"
    if not isinstance(raw, dict):
        problems.append((where, "a keyframe must be an object with time and value"))
        return None
    found = len(problems)
    for key in raw:
        if key not in ("time", "value", "easing"):
            problems.append((f"{where}.{key}", "is not a known field"))
    parsed: dict[str, Any] = {}
    for key, parse in (("time", _parse_time), ("value", parse_value), ("easing", parse_easing)):
        if key not in raw:
            if key != "easing":
                problems.append((f"{where}.{key}", "is required"))
            continue
        try:
            parsed[key] = parse(raw[key])
        except ValueError as exc:
            problems.append((f"{where}.{key}", str(exc)))
    if len(problems) > found:
        return None
    return Keyframe(parsed["time"], parsed["value"], parsed.get("easing", LINEAR))


def parse_keyframes(raw: list[Any], parse_value: Callable[[object], V]) -> Keyframes[V]:
    """Every problem of a keyframe list at once, as paths relative to the list."""
    problems: list[tuple[str, str]] = []
    if not raw:
        raise field_problem([("", "a keyframe list needs at least one keyframe")])
    if len(raw) > MAX_KEYFRAMES:
        raise field_problem([("", f"at most {MAX_KEYFRAMES} keyframes, got {len(raw)}")])
    frames = [_parse_frame(index, item, parse_value, problems) for index, item in enumerate(raw)]
    previous: tuple[int, KeyTime] | None = None
    for index, frame in enumerate(frames):
        if frame is None:
            continue
        if previous is not None and previous[1].percent == frame.time.percent:
            if frame.time.value == previous[1].value:
                problems.append((f"[{index}].time", f"duplicate time {frame.time} (also "
                                 f"[{previous[0]}])"))
            elif frame.time.value < previous[1].value:
                problems.append((f"[{index}].time", f"times must increase: {frame.time} comes "
                                 f"after {previous[1]} ([{previous[0]}])"))
        previous = (index, frame.time)
    if problems:
        raise field_problem(problems)
    return Keyframes(tuple(frame for frame in frames if frame is not None))


def _number_in(low: float, high: float, what: str) -> Callable[[object], float]:
    def parse(raw: object) -> float:
        number = raw
        if isinstance(raw, str):  # "0.5" was a number before values could be animated
            try:
                number = float(raw.strip())
            except ValueError:
                number = raw
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise ValueError(f"{what} must be a number, got {raw!r}")
        value = float(number)
        if not math.isfinite(value) or not low <= value <= high:
            raise ValueError(f"{what} must be greater than or equal to {low:g} and less than "
                             f"or equal to {high:g}, got {raw!r}")
        return value

    return parse


def _animated(parse_value: Callable[[object], V]) -> Callable[[object], V | Keyframes[V]]:
    def parse(raw: object) -> V | Keyframes[V]:
        if isinstance(raw, Keyframes):
            return raw
        if isinstance(raw, list) and any(isinstance(item, dict) for item in raw):
            return parse_keyframes(raw, parse_value)
        try:
            return parse_value(raw)
        except ValueError as exc:
            raise field_problem([("", f"{exc} (or a list of keyframes: objects with time "
                                      "and value)")]) from None

    return parse


def _dump(value: Any) -> Any:
    if isinstance(value, Keyframes):
        return value.dump()
    return value if isinstance(value, int | float) else str(value)


def _schema(constant: dict[str, Any], description: str) -> WithJsonSchema:
    keyframe = {
        "type": "object",
        "required": ["time", "value"],
        "additionalProperties": False,
        "properties": {
            "time": {"anyOf": [{"type": "number", "minimum": 0},
                               {"type": "string", "pattern": r"^\s*\d+(\.\d*)?\s*%\s*$"}],
                     "description": "element-local seconds, or a percentage of its duration"},
            "value": constant,
            "easing": {"type": "string", "description": "linear | ease-in | ease-out | "
                       "ease-in-out | step | cubic-bezier(a,b,c,d)"},
        },
    }
    return WithJsonSchema({"anyOf": [constant, {"type": "array", "items": keyframe,
                                                "minItems": 1}],
                           "description": description})


_POSITION = {"anyOf": [{"type": "number"}, {"type": "string"}]}
_LENGTH = {"anyOf": [{"type": "number", "exclusiveMinimum": 0}, {"type": "string"}]}

AnimatedPosition = Annotated[
    PositionValue | Keyframes[PositionValue],
    PlainValidator(_animated(parse_position)),
    PlainSerializer(_dump),
    _schema(_POSITION, "'NN%' of the free space, pixels, a keyword, or keyframes of those."),
]
AnimatedLength = Annotated[
    LengthValue | Keyframes[LengthValue],
    PlainValidator(_animated(parse_length)),
    PlainSerializer(_dump),
    _schema(_LENGTH, "'25%' of the canvas dimension, pixels, or keyframes of those."),
]
AnimatedOpacity = Annotated[
    float | Keyframes[float],
    PlainValidator(_animated(_number_in(0.0, 1.0, "opacity"))),
    PlainSerializer(_dump),
    _schema({"type": "number", "minimum": 0, "maximum": 1}, "0..1, or keyframes."),
]
AnimatedRotation = Annotated[
    float | Keyframes[float],
    PlainValidator(_animated(_number_in(-36000.0, 36000.0, "rotation"))),
    PlainSerializer(_dump),
    _schema({"type": "number"}, "Degrees clockwise about the centre, or keyframes."),
]
AnimatedScale = Annotated[
    float | Keyframes[float],
    PlainValidator(_animated(_number_in(0.0, 100.0, "scale"))),
    PlainSerializer(_dump),
    _schema({"type": "number", "minimum": 0, "maximum": 100},
            "A factor about the centre (1 = as placed), or keyframes."),
]
AnimatedVolume = Annotated[
    float | Keyframes[float],
    PlainValidator(_animated(_number_in(0.0, 10.0, "volume"))),
    PlainSerializer(_dump),
    _schema({"type": "number", "minimum": 0, "maximum": 10},
            "A gain factor (1 = as recorded, 0 = silent), or keyframes: an envelope."),
]
