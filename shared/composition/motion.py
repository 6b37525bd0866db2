"""Spec models of motion sugar: entrances and exits, transitions, motion presets.

Each is a small strict model; the plan turns them into the same animated values
(`keyframes.Track`) and masks a user could have written by hand, so the compiler has one
way to move, scale and fade an element.

Direction names say where the moving thing is off-screen: an entrance `slide-left` comes
in from the left, an exit `slide-left` leaves to the left, a transition `wipe-left`
uncovers the next element from the left edge.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator, WithJsonSchema

from shared.composition.keyframes import LINEAR, Easing, parse_easing
from shared.composition.values import Position, PositionValue

__all__ = [
    "EasingField",
    "Entrance",
    "EntranceType",
    "KenBurnsPoint",
    "MotionPreset",
    "Transition",
    "TransitionType",
]

EntranceType = Literal[
    "fade", "slide-left", "slide-right", "slide-up", "slide-down", "pop", "zoom",
    "wipe-left", "wipe-right", "typewriter", "word-by-word",
]
TEXT_ONLY_ENTRANCES = ("typewriter", "word-by-word")
TransitionType = Literal[
    "fade", "fade-black", "fade-white", "dissolve", "wipe-left", "wipe-right", "wipe-up",
    "wipe-down", "slide-left", "slide-right", "slide-up", "slide-down", "circle-open",
    "circle-close", "radial", "pixelize", "zoom-in", "smooth-left", "smooth-right",
]
MotionType = Literal[
    "ken-burns", "zoom-in", "zoom-out", "pan-left", "pan-right", "pan-up", "pan-down"
]

EasingField = Annotated[
    Easing,
    PlainValidator(parse_easing),
    PlainSerializer(str),
    WithJsonSchema({"type": "string", "description": "linear | ease-in | ease-out | "
                    "ease-in-out | step | cubic-bezier(a,b,c,d)"}),
]
Seconds = Annotated[float, Field(ge=0.001, le=3600, allow_inf_nan=False)]


class _Sugar(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              defer_build=True, validate_by_name=True, serialize_by_alias=True)


class Entrance(_Sugar):
    """How an element appears (`enter`) or disappears (`exit`)."""

    type: EntranceType
    duration: Seconds = 0.5
    easing: EasingField = LINEAR


class Transition(_Sugar):
    """How this element replaces the one before it on its track."""

    type: TransitionType
    duration: Seconds = 1.0
    easing: EasingField = LINEAR


class KenBurnsPoint(_Sugar):
    """One end of a Ken Burns move: the zoom (1 = the whole box) and the point of the
    source kept in the middle (`focus`, x and y: a share of the source or pixels)."""

    zoom: float = Field(1.0, ge=1.0, le=10.0, allow_inf_nan=False)
    focus: tuple[Position, Position] = (PositionValue(50.0, "%"), PositionValue(50.0, "%"))


class MotionPreset(_Sugar):
    """Movement of the picture inside its box: Ken Burns, or a zoom or pan shorthand."""

    type: MotionType
    from_: KenBurnsPoint | None = Field(None, alias="from")
    to: KenBurnsPoint | None = None
    easing: EasingField = LINEAR
    amount: float = Field(0.2, gt=0.0, le=4.0, allow_inf_nan=False)

    def ends(self) -> tuple[KenBurnsPoint, KenBurnsPoint]:
        """(from, to) of the move: a shorthand's own, or the given ones (default: still)."""
        zoom = 1.0 + self.amount
        low, high, middle = PositionValue(0.0, "%"), PositionValue(100.0, "%"), PositionValue(
            50.0, "%")
        shorthands = {
            "zoom-in": (KenBurnsPoint(), KenBurnsPoint(zoom=zoom)),
            "zoom-out": (KenBurnsPoint(zoom=zoom), KenBurnsPoint()),
            "pan-left": (KenBurnsPoint(zoom=zoom, focus=(high, middle)),
                         KenBurnsPoint(zoom=zoom, focus=(low, middle))),
            "pan-right": (KenBurnsPoint(zoom=zoom, focus=(low, middle)),
                          KenBurnsPoint(zoom=zoom, focus=(high, middle))),
            "pan-up": (KenBurnsPoint(zoom=zoom, focus=(middle, high)),
                       KenBurnsPoint(zoom=zoom, focus=(middle, low))),
            "pan-down": (KenBurnsPoint(zoom=zoom, focus=(middle, low)),
                         KenBurnsPoint(zoom=zoom, focus=(middle, high))),
        }
        if self.type in shorthands:
            return shorthands[self.type]
        start = self.from_ or KenBurnsPoint()
        return start, self.to or start
