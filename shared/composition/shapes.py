"""Looks of drawn elements (rounded corners, border, shadow, blend mode) and the `shape`
element's geometry: spec fields, their cross-field rules, and what the plan keeps of them.

The plan resolves every length here to box pixels (`ShapeStyle`, `Decor`); the render
service rasterises the shape and the corner mask once (services/render/shapes.py) and
applies them in the one filter graph (services/render/decor.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator, WithJsonSchema

from shared.composition.errors import Problem, SpecError
from shared.composition.values import Color, ColorValue, LengthValue

__all__ = [
    "BLEND_MODES",
    "BlendMode",
    "Border",
    "BoxLength",
    "Decor",
    "Point",
    "Rgba",
    "Shadow",
    "ShadowStyle",
    "ShapeKind",
    "ShapeStyle",
    "decor_for",
    "looks_problems",
    "shape_problems",
    "shape_style",
]

ShapeKind = Literal["rectangle", "ellipse", "line", "polygon"]
BlendMode = Literal["normal", "multiply", "screen", "overlay", "add", "darken", "lighten"]
BLEND_MODES: tuple[str, ...] = BlendMode.__args__  # type: ignore[attr-defined]
MAX_POINTS = 200
Rgba = tuple[int, int, int, int]


def _box_length(raw: object) -> LengthValue:
    """Pixels (≥ 0) or 'NN%' (0-100) of the element's box side."""
    if isinstance(raw, LengthValue):
        return raw
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ValueError(f"expected pixels or a percentage like '50%', got {raw!r}")
    text = raw.strip() if isinstance(raw, str) else raw
    unit: Literal["%", "px"] = "px"
    if isinstance(text, str):
        if text.endswith("%"):
            text, unit = text[:-1], "%"
        elif text.endswith("px"):
            text = text[:-2]
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"expected pixels or a percentage like '50%', got {raw!r}") from None
    else:
        value = float(text)
    if not math.isfinite(value) or value < 0 or (unit == "%" and value > 100) or value > 100_000:
        high = "100%" if unit == "%" else "100000"
        raise ValueError(f"must be between 0 and {high}, got {raw!r}")
    return LengthValue(value, unit)


BoxLength = Annotated[
    LengthValue,
    PlainValidator(_box_length),
    PlainSerializer(str),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}],
                    "description": "pixels, or 'NN%' of the element's box"}),
]
Point = tuple[BoxLength, BoxLength]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              defer_build=True)


class Border(_Part):
    """A line along the inside of the (rounded) box."""

    width: float = Field(ge=0, le=1000, allow_inf_nan=False)
    color: Color = Field(default_factory=lambda: ColorValue(255, 255, 255))


class Shadow(_Part):
    """A blurred, offset copy of the element's silhouette under it; colour alpha = strength."""

    color: Color = Field(default_factory=lambda: ColorValue(0, 0, 0, 128))
    blur: float = Field(8, ge=0, le=200, allow_inf_nan=False)
    x: float = Field(6, ge=-1000, le=1000, allow_inf_nan=False)
    y: float = Field(6, ge=-1000, le=1000, allow_inf_nan=False)


def _constant_px(value: Any) -> float | None:
    if isinstance(value, LengthValue) and value.unit == "px":
        return value.value
    return None


def looks_problems(element: Any) -> list[tuple[str, str]]:
    """A corner radius over half the shorter side, where the spec alone fixes the box."""
    radius = getattr(element, "border_radius", None)
    if radius is None:
        return []
    if radius.unit == "%" and radius.value > 50:
        return [("border_radius", f"at most 50% (of the shorter side), got {radius}")]
    width, height = _constant_px(element.width), _constant_px(element.height)
    if radius.unit == "px" and width is not None and height is not None:
        most = min(width, height) / 2
        if radius.value > most + 1e-9:
            return [("border_radius", f"{radius.value:g} px is too large for a {width:g}×"
                     f"{height:g} box: at most half the shorter side ({most:g} px)")]
    return []


def shape_problems(element: Any) -> list[tuple[str, str]]:
    """What a shape's kind requires of its points, fill and stroke."""
    problems: list[tuple[str, str]] = []
    kind, points = element.shape, element.points
    if kind == "polygon" and (points is None or len(points) < 3):
        got = 0 if points is None else len(points)
        problems.append(("points", f"a polygon needs at least 3 points, got {got}"))
    elif kind == "line" and points is not None and len(points) != 2:
        problems.append(("points", f"a line has exactly 2 points, got {len(points)}"))
    elif kind in ("rectangle", "ellipse") and points is not None:
        problems.append(("points", f"points apply to polygon and line shapes, not {kind}"))
    stroked = element.stroke_color is not None and element.stroke_width > 0
    if kind == "line" and not stroked:
        problems.append(("stroke_width", "a line is drawn by its stroke: give stroke_width > 0 "
                                         "(and stroke_color)"))
    elif element.fill is None and not stroked:
        problems.append(("fill", "the shape draws nothing: give a fill, or stroke_color and "
                                 "stroke_width"))
    if element.fit != "auto":
        problems.append(("fit", "fit does not apply to shapes; leave it out or use 'auto'"))
    return problems


@dataclass(frozen=True)
class ShapeStyle:
    """A shape in its box, in box pixels (the box at its largest animated size)."""

    kind: str
    width: int
    height: int
    fill: Rgba | None
    stroke: Rgba | None
    stroke_width: float
    points: tuple[tuple[float, float], ...]
    radius: float


@dataclass(frozen=True)
class ShadowStyle:
    color: Rgba
    blur: float
    x: int
    y: int

    @property
    def margin(self) -> int:
        """Transparent pixels added on every side so the blur and offset fit (the box stays
        centred, so rotation and scale still turn about the element's centre). Even, so the
        grown picture's 4:2:0 chroma pairs are the element's own."""
        margin = math.ceil(max(abs(self.x), abs(self.y)) + 1.5 * self.blur) + 1
        return margin + margin % 2


@dataclass(frozen=True)
class Decor:
    """An element's looks in box pixels; `mask`/`ring` are the rasterised corner mask and
    border, filled in by the render service before compiling."""

    width: int
    height: int
    radius: float = 0.0
    border_width: float = 0.0
    border_color: Rgba | None = None
    shadow: ShadowStyle | None = None
    blend_mode: str = "normal"
    mask: Path | None = None
    ring: Path | None = None

    @property
    def margin(self) -> int:
        return self.shadow.margin if self.shadow is not None else 0


def _rgba(colour: ColorValue | None) -> Rgba | None:
    return None if colour is None else (colour.r, colour.g, colour.b, colour.a)


def _point(point: tuple[LengthValue, LengthValue], size: tuple[int, int]) -> tuple[float, float]:
    return point[0].resolve(size[0]), point[1].resolve(size[1])


def shape_style(element: Any, width: int, height: int, radius: float) -> ShapeStyle:
    """The shape's outline in a `width`×`height` box."""
    if element.points is not None:
        points = tuple(_point(point, (width, height)) for point in element.points)
    elif element.shape == "line":  # a horizontal line through the middle of the box
        points = ((0.0, height / 2), (float(width), height / 2))
    else:
        points = ()
    return ShapeStyle(kind=element.shape, width=width, height=height, fill=_rgba(element.fill),
                      stroke=_rgba(element.stroke_color), stroke_width=element.stroke_width,
                      points=points, radius=radius)


def decor_for(index: int, element: Any, width: int, height: int) -> Decor | None:
    """The element's looks in its `width`×`height` box, or None when it has none.

    SpecError when the radius does not fit the box (known only now, for % or derived sizes).
    """
    radius_value = getattr(element, "border_radius", None)
    border: Border | None = getattr(element, "border", None)
    shadow: Shadow | None = getattr(element, "shadow", None)
    blend = getattr(element, "blend_mode", None) or "normal"
    if radius_value is None and border is None and shadow is None and blend == "normal":
        return None
    shorter = min(width, height)
    radius = 0.0 if radius_value is None else radius_value.resolve(shorter)
    if radius > shorter / 2 + 0.5:
        raise SpecError([Problem(f"elements[{index}].border_radius",
                                 f"{radius:g} px is too large for the {width}×{height} box: at "
                                 f"most half the shorter side ({shorter / 2:g} px)")])
    if border is not None and border.width > shorter / 2:
        raise SpecError([Problem(f"elements[{index}].border.width",
                                 f"{border.width:g} px is wider than half the {width}×{height} "
                                 f"box ({shorter / 2:g} px)")])
    return Decor(
        width=width, height=height, radius=min(radius, shorter / 2),
        border_width=border.width if border is not None else 0.0,
        border_color=_rgba(border.color) if border is not None else None,
        shadow=None if shadow is None else ShadowStyle(
            _rgba(shadow.color) or (0, 0, 0, 128), shadow.blur, round(shadow.x), round(shadow.y)),
        blend_mode=blend,
    )

