"""Looks of a drawn picture: crop, speed, chroma key, colour filters and a 3D LUT.

The spec fields (`crop`, `speed`, `chroma_key`, `filters`, `lut`) live on the `Looks`
mixin of the picture elements; `LayerLooks` is what the plan hands to the compiler, with the
crop resolved to source pixels. How they compile is services/render/looks.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

from shared.composition.keyframes import field_problem
from shared.composition.values import Color, PositionValue, parse_position

__all__ = [
    "MAX_SPEED",
    "MIN_SPEED",
    "ChromaKey",
    "ColourLooks",
    "Crop",
    "Filters",
    "LayerLooks",
    "Looks",
    "PixelCrop",
    "crop_problems",
    "layer_looks",
    "resolve_crop",
    "speed_of",
]

MIN_SPEED = 0.1
MAX_SPEED = 10.0


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


def _crop_value(raw: object) -> PositionValue:
    """Source pixels or a percentage of the source; the position keywords mean nothing here."""
    if isinstance(raw, str) and raw.strip()[:1].isalpha():
        raise ValueError(f"expected source pixels or a percentage like '25%', got {raw!r}")
    return parse_position(raw)


CropValue = Annotated[
    PositionValue,
    BeforeValidator(_crop_value),
    PlainSerializer(str),
    WithJsonSchema({"type": ["number", "string"],
                    "description": "Source pixels (120, '120px') or a share ('25%')."}),
]


class Crop(_Strict):
    """A rectangle of the source, in source pixels or percentages of the source's size."""

    x: CropValue = PositionValue(0.0, "px")
    y: CropValue = PositionValue(0.0, "px")
    width: CropValue
    height: CropValue

    @model_validator(mode="after")
    def _not_negative(self) -> Crop:
        problems = [(name, f"must be zero or more, got {getattr(self, name)}")
                    for name in ("x", "y") if getattr(self, name).value < 0]
        problems += [(name, f"must be greater than zero, got {getattr(self, name)}")
                     for name in ("width", "height") if getattr(self, name).value <= 0]
        if problems:
            raise field_problem(problems)
        return self


class ChromaKey(_Strict):
    """Pixels near `color` become transparent: `similarity` how near, `blend` how softly."""

    color: Color
    similarity: float = Field(0.1, ge=0.01, le=1, allow_inf_nan=False)
    blend: float = Field(0.0, ge=0, le=1, allow_inf_nan=False)


Unit = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]


class Filters(_Strict):
    """Colour and detail adjustments; each unset one leaves the picture as it is.

    brightness -1…1 (0 = as is), contrast 0…4 (1), saturation 0…3 (1), gamma 0.1…10 (1),
    hue -180…180 degrees, blur 0…100 px (a Gaussian's sigma), sharpen 0…5, and the
    strengths 0…1 of grayscale, sepia and vignette.
    """

    brightness: float | None = Field(None, ge=-1, le=1, allow_inf_nan=False)
    contrast: float | None = Field(None, ge=0, le=4, allow_inf_nan=False)
    saturation: float | None = Field(None, ge=0, le=3, allow_inf_nan=False)
    gamma: float | None = Field(None, ge=0.1, le=10, allow_inf_nan=False)
    hue: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    blur: float | None = Field(None, ge=0, le=100, allow_inf_nan=False)
    sharpen: float | None = Field(None, ge=0, le=5, allow_inf_nan=False)
    grayscale: Unit | None = None
    sepia: Unit | None = None
    vignette: Unit | None = None


LutSource = Annotated[str, Field(min_length=1, max_length=4096)]


class Looks(BaseModel):
    """The looks fields of a picture element (a mixin of the spec's element models)."""

    crop: Crop | None = None
    # None: 1 (a v1 element dumps without it)
    speed: float | None = Field(None, ge=MIN_SPEED, le=MAX_SPEED, allow_inf_nan=False)
    chroma_key: ChromaKey | None = None
    filters: Filters | None = None
    lut: LutSource | None = None


class ColourLooks(BaseModel):
    """The looks of a drawn element without a source picture (text, captions, shapes):
    its colours graded like a picture's. Crop, speed and chroma key act on a source's
    pixels and frames, which these elements do not have."""

    filters: Filters | None = None
    lut: LutSource | None = None


@dataclass(frozen=True)
class PixelCrop:
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class LayerLooks:
    """A layer's looks in pixels; `lut` is the located .cube file."""

    crop: PixelCrop | None = None
    speed: float = 1.0
    chroma_key: ChromaKey | None = None
    filters: Filters | None = None
    lut: Path | None = None

    @property
    def keyed(self) -> bool:
        return self.chroma_key is not None


def _pixels(value: PositionValue, size: int) -> float:
    return value.resolve(size, 0) if value.unit == "%" else value.value


def resolve_crop(crop: Crop, size: tuple[int, int]) -> PixelCrop:
    """The crop in whole source pixels (percentages of the source's width and height)."""
    width, height = size
    x, y = _pixels(crop.x, width), _pixels(crop.y, height)
    w, h = _pixels(crop.width, width), _pixels(crop.height, height)
    return PixelCrop(round(x), round(y), max(1, round(w)), max(1, round(h)))


def crop_problems(crop: Crop, size: tuple[int, int]) -> list[tuple[str, str]]:
    """(field, message) for a crop that leaves the source of `size` (known after probing)."""
    box = resolve_crop(crop, size)
    problems = []
    for name, start, length, limit in (("width", box.x, box.width, size[0]),
                                       ("height", box.y, box.height, size[1])):
        if start + length > limit:
            where = "x" if name == "width" else "y"
            problems.append((name, f"{where} + {name} = {start + length} px is past the "
                                   f"source's {name} of {limit} px"))
    return problems


def speed_of(element: Any) -> float:
    """Source seconds per element second (1 for elements without a speed)."""
    speed = getattr(element, "speed", None)
    return 1.0 if speed is None else float(speed)


def layer_looks(element: Any, size: tuple[int, int],
                luts: Mapping[str, Path]) -> LayerLooks | None:
    """The element's looks for a source of `size`; None when it uses none of them."""
    crop = getattr(element, "crop", None)
    speed = speed_of(element)
    chroma, filters, lut = (getattr(element, name, None) for name in
                            ("chroma_key", "filters", "lut"))
    if crop is None and speed == 1.0 and not (chroma or filters or lut):
        return None
    return LayerLooks(
        crop=resolve_crop(crop, size) if crop is not None else None,
        speed=speed,
        chroma_key=chroma,
        filters=filters,
        lut=luts[lut] if lut else None,
    )
