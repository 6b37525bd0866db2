"""Normalised motion of one layer: keyframes, entrances, exits and presets as Tracks in
canvas pixels and element-local seconds.

The plan builds a `LayerMotion` only for an element that uses a v2 field, so a v1 layer
has none and compiles to exactly the v1 filter chain. Sugar (enter/exit, transitions,
presets) becomes the same Tracks a user could have written as keyframes, plus a few
things keyframes cannot say (masks, colour fades, the typewriter's reveal).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from shared.composition.geometry import Placement
from shared.composition.keyframes import LINEAR, Easing, Keyframes, Track
from shared.composition.motion import Entrance, MotionPreset
from shared.composition.values import LengthValue, PositionValue

__all__ = [
    "ColourFade",
    "KenBurns",
    "LayerMotion",
    "Mask",
    "Reveal",
    "constant_opacity",
    "first_position",
    "layer_motion",
    "number_track",
    "reference_length",
    "uses_motion",
]

_EASE_OUT = Easing("bezier", (0.0, 0.0, 0.58, 1.0), "ease-out")


@dataclass(frozen=True)
class Mask:
    """A reveal (or, `hide`, a cover) of the element's picture over a window."""

    kind: str  # wipe-*, smooth-*, circle-open, circle-close, radial, dissolve
    start: float
    duration: float
    easing: Easing = LINEAR
    hide: bool = False


@dataclass(frozen=True)
class ColourFade:
    """The picture fades to (`out`) or from a colour over a window (fade-black/white)."""

    colour: str
    start: float
    duration: float
    out: bool


@dataclass(frozen=True)
class Reveal:
    """Text typed in (or, `hide`, out) a character or a word at a time."""

    unit: Literal["character", "word"]
    start: float
    duration: float
    easing: Easing = LINEAR
    hide: bool = False


@dataclass(frozen=True)
class KenBurns:
    """Zoom (1 = the whole box) and the point of the picture kept in the middle (0..1)."""

    zoom: Track
    focus_x: Track
    focus_y: Track


@dataclass(frozen=True)
class LayerMotion:
    """Everything that changes a layer over its element-local time.

    `centre_x`/`centre_y` are summed (canvas px of the box's centre); `box_x`/`box_y` are the
    box size as a factor of the placement's (animated width/height); `zoom` and `opacity`
    are multiplied factors; `rotation` is in degrees clockwise.
    """

    centre_x: tuple[Track, ...]
    centre_y: tuple[Track, ...]
    box_x: Track = field(default_factory=lambda: Track.constant(1.0))
    box_y: Track = field(default_factory=lambda: Track.constant(1.0))
    zoom: tuple[Track, ...] = ()
    rotation: Track = field(default_factory=lambda: Track.constant(0.0))
    opacity: tuple[Track, ...] = ()
    flip: str | None = None
    masks: tuple[Mask, ...] = ()
    colour_fades: tuple[ColourFade, ...] = ()
    pixelize: tuple[tuple[float, float], ...] = ()
    reveal: Reveal | None = None
    ken_burns: KenBurns | None = None

    def with_extra(self, **extra: tuple[Any, ...]) -> LayerMotion:
        """This motion with tracks/effects appended (a transition's part)."""
        return replace(self, **{name: getattr(self, name) + items
                                for name, items in extra.items()})

    @property
    def resizes(self) -> bool:
        return bool(self.zoom) or not (self.box_x.is_constant and self.box_y.is_constant) or (
            self.box_x.first != 1.0 or self.box_y.first != 1.0)


def uses_motion(element: Any) -> bool:
    """Whether an element uses any v2 field (else its layer is exactly v1's)."""
    animated = any(isinstance(getattr(element, name), Keyframes)
                   for name in ("x", "y", "width", "height", "opacity"))
    return animated or any(getattr(element, name) is not None for name in (
        "rotation", "scale", "flip", "enter", "exit", "transition", "motion"))


def first_position(value: PositionValue | Keyframes[PositionValue]) -> PositionValue:
    """Where an element is placed before its motion (its first keyframe's position)."""
    return value.frames[0].value if isinstance(value, Keyframes) else value


def constant_opacity(element: Any) -> float:
    """The layer's fixed opacity: 1 when it is animated (the motion multiplies it)."""
    value = getattr(element, "opacity", 1.0)
    return 1.0 if isinstance(value, Keyframes) else float(value)


def reference_length(value: LengthValue | Keyframes[LengthValue] | None,
                     canvas: int) -> LengthValue | None:
    """The size the source is prepared at: the largest a keyframe list reaches."""
    if not isinstance(value, Keyframes):
        return value
    return max((frame.value for frame in value.frames), key=lambda v: v.resolve(canvas))


def _track(value: Keyframes[Any], length: float, number: Any) -> Track:
    return Track(tuple((frame.time.seconds(length), number(frame.value), frame.easing)
                       for frame in value.frames))


def number_track(value: float | Keyframes[float] | None, length: float,
                  default: float) -> Track:
    if value is None:
        return Track.constant(default)
    if isinstance(value, Keyframes):
        return _track(value, length, float)
    return Track.constant(value)


def _box_factor(value: Any, canvas: int, reference: float, length: float) -> Track | None:
    if not isinstance(value, Keyframes):
        return None
    return _track(value, length, lambda v: v.resolve(canvas) / reference)


def _centre(position: PositionValue | Keyframes[PositionValue], canvas: int, box: float,
            factor: Track, length: float) -> Track:
    """The box's centre over time: positions resolve against the box size at that time."""
    if not isinstance(position, Keyframes):
        return factor.map(lambda f: _resolve(position, canvas, box * f))
    points = []
    for frame in position.frames:
        time = frame.time.seconds(length)
        points.append((time, _resolve(frame.value, canvas, box * factor.at(time)), frame.easing))
    return Track(tuple(points))


def _resolve(position: PositionValue, canvas: int, size: float) -> float:
    return position.resolve(canvas, size) + size / 2


def layer_motion(element: Any, placement: Placement, canvas: tuple[int, int],
                 length: float) -> LayerMotion:
    """The motion of one element whose layer is placed at `placement` and lasts `length`."""
    width, height = placement.width, placement.height
    box_x = _box_factor(element.width, canvas[0], width, length)
    box_y = _box_factor(element.height, canvas[1], height, length)
    keeps_aspect = element.fit == "auto" and (element.width is None or element.height is None)
    if keeps_aspect:
        box_x, box_y = box_x or box_y, box_y or box_x
    box_x = box_x or Track.constant(1.0)
    box_y = box_y or Track.constant(1.0)
    motion = LayerMotion(
        centre_x=(_centre(element.x, canvas[0], width, box_x, length),),
        centre_y=(_centre(element.y, canvas[1], height, box_y, length),),
        box_x=box_x,
        box_y=box_y,
        zoom=() if element.scale is None else (number_track(element.scale, length, 1.0),),
        rotation=number_track(element.rotation, length, 0.0),
        opacity=() if not isinstance(element.opacity, Keyframes) else (
            _track(element.opacity, length, float),),
        flip=element.flip,
    )
    if element.enter is not None:
        motion = _entrance(motion, element.enter, placement, canvas, 0.0, hide=False)
    if element.exit is not None:
        start = length - element.exit.duration
        motion = _entrance(motion, element.exit, placement, canvas, start, hide=True)
    if getattr(element, "motion", None) is not None:
        size = (placement.width, placement.height)
        motion = replace(motion, ken_burns=ken_burns(element.motion, length, size))
    return motion


def ramp(start: float, duration: float, easing: Easing, before: float, after: float) -> Track:
    """`before` until `start`, eased to `after` at start + duration, then held."""
    return Track(((start, before, LINEAR), (start + duration, after, easing)))


def slide_offset(side: str, centre: tuple[float, float], half: tuple[float, float],
                 canvas: tuple[int, int]) -> tuple[float, float]:
    """How far the centre moves so the box is just off the canvas on `side`."""
    return {
        "left": (-(centre[0] + half[0]), 0.0),
        "right": (canvas[0] - centre[0] + half[0], 0.0),
        "up": (0.0, -(centre[1] + half[1])),
        "down": (0.0, canvas[1] - centre[1] + half[1]),
    }[side]


def _entrance(motion: LayerMotion, sugar: Entrance, placement: Placement,
              canvas: tuple[int, int], start: float, *, hide: bool) -> LayerMotion:
    d, easing, kind = sugar.duration, sugar.easing, sugar.type

    def towards(hidden: float, shown: float) -> Track:
        """From the hidden value to the shown one (an exit: the other way)."""
        first, last = (hidden, shown) if not hide else (shown, hidden)
        return ramp(start, d, easing, first, last)

    if kind == "fade":
        return motion.with_extra(opacity=(towards(0.0, 1.0),))
    if kind.startswith("slide-"):
        when = start + (d if not hide else 0.0)
        centre = (sum(t.at(when) for t in motion.centre_x),
                  sum(t.at(when) for t in motion.centre_y))
        half = (placement.width / 2, placement.height / 2)
        dx, dy = slide_offset(kind.removeprefix("slide-"), centre, half, canvas)
        return motion.with_extra(centre_x=(towards(dx, 0.0),), centre_y=(towards(dy, 0.0),))
    if kind == "pop":  # grows past its size and settles; ease-out unless told otherwise
        first, peak = (start, start + 0.7 * d)
        rise = _EASE_OUT if easing.kind == "linear" else easing
        grow = Track(((first, 0.0, LINEAR), (peak, 1.1, rise), (start + d, 1.0, LINEAR)))
        if hide:
            grow = Track(((first, 1.0, LINEAR), (start + 0.3 * d, 1.1, LINEAR),
                          (start + d, 0.0, easing)))
        return motion.with_extra(zoom=(grow,), opacity=(towards(0.0, 1.0),))
    if kind == "zoom":
        return motion.with_extra(zoom=(towards(0.5, 1.0),), opacity=(towards(0.0, 1.0),))
    if kind.startswith("wipe-"):
        return motion.with_extra(masks=(Mask(kind, start, d, easing, hide),))
    unit: Literal["character", "word"] = "character" if kind == "typewriter" else "word"
    return replace(motion, reveal=Reveal(unit, start, d, easing, hide))


def ken_burns(preset: MotionPreset, length: float, size: tuple[int, int]) -> KenBurns:
    """The preset's zoom and focus over the element's length; `size` the box (for px)."""
    start, end = preset.ends()

    def share(value: PositionValue, zoom: float, side: int = 0) -> float:
        # the point kept in the middle, kept far enough in that the view stays inside
        point = value.value / 100.0 if value.unit == "%" else value.value / size[side]
        margin = 0.5 / zoom
        return min(1 - margin, max(margin, point))

    def track(a: float, b: float) -> Track:
        return Track(((0.0, a, LINEAR), (length, b, preset.easing)))

    return KenBurns(
        zoom=track(start.zoom, end.zoom),
        focus_x=track(share(start.focus[0], start.zoom), share(end.focus[0], end.zoom)),
        focus_y=track(share(start.focus[1], start.zoom, 1), share(end.focus[1], end.zoom, 1)),
    )
