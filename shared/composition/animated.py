"""Spec field types that take a constant or a keyframe list (`x`, `width`, `opacity`, ...).

A constant parses exactly as in v1 (the same value types), so a v1 job validates to the
same model; a list parses with `keyframes.parse_keyframes`, each value with the constant's
own parser, and reports every problem with its path inside the list.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

from shared.composition.keyframes import Keyframes, field_problem, parse_keyframes
from shared.composition.values import LengthValue, PositionValue, parse_length, parse_position

__all__ = [
    "AnimatedLength",
    "AnimatedOpacity",
    "AnimatedPosition",
    "AnimatedRotation",
    "AnimatedScale",
    "is_animated",
]

V = TypeVar("V")


def is_animated(value: object) -> bool:
    return isinstance(value, Keyframes)


def _number_in(low: float, high: float, what: str) -> Callable[[object], float]:
    def parse(raw: object) -> float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ValueError(f"{what} must be a number, got {raw!r}")
        value = float(raw)
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
