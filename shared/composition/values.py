"""Value types used by the composition spec: lengths, positions, colours.

Each is a plain string/number on the wire and is parsed once, at validation time, into a
small frozen dataclass so the rest of the code never re-parses user text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

__all__ = [
    "AUTO",
    "MAX_MAGNITUDE",
    "Color",
    "ColorValue",
    "FontSize",
    "Length",
    "LengthValue",
    "Position",
    "PositionValue",
    "parse_color",
    "parse_font_size",
    "parse_length",
    "parse_position",
    "plain_number",
]

# sizes and positions, in px or %: far beyond any canvas (7680 px), well inside what the
# render's integer geometry and FFmpeg's expressions hold
MAX_MAGNITUDE = 100_000
AUTO: Literal["auto"] = "auto"
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)"
_PERCENT = re.compile(rf"^\s*({_NUMBER})\s*%\s*$")
_PIXELS = re.compile(rf"^\s*({_NUMBER})\s*(?:px)?\s*$")
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")

_KEYWORDS: dict[str, float] = {
    "left": 0.0,
    "top": 0.0,
    "center": 50.0,
    "centre": 50.0,
    "middle": 50.0,
    "right": 100.0,
    "bottom": 100.0,
}

_NAMED_COLORS: dict[str, tuple[int, int, int]] = {
    "black": (0, 0, 0),
    "white": (255, 255, 255),
    "red": (255, 0, 0),
    "green": (0, 128, 0),
    "lime": (0, 255, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "cyan": (0, 255, 255),
    "magenta": (255, 0, 255),
    "gray": (128, 128, 128),
    "grey": (128, 128, 128),
    "orange": (255, 165, 0),
    "purple": (128, 0, 128),
    "transparent": (0, 0, 0),
}


@dataclass(frozen=True)
class LengthValue:
    """A size: either a share of a canvas dimension or an absolute pixel count."""

    value: float
    unit: Literal["%", "px"]

    def resolve(self, canvas: int) -> float:
        return canvas * self.value / 100.0 if self.unit == "%" else self.value

    def __str__(self) -> str:
        return f"{plain_number(self.value)}{self.unit}"


@dataclass(frozen=True)
class PositionValue:
    """A position: a share of the free space (canvas minus element size) or pixels."""

    value: float
    unit: Literal["%", "px"]

    def resolve(self, canvas: int, size: float) -> float:
        if self.unit == "%":
            return (canvas - size) * self.value / 100.0
        return self.value

    def __str__(self) -> str:
        return f"{plain_number(self.value)}{self.unit}"


@dataclass(frozen=True)
class ColorValue:
    """An RGBA colour, each channel 0-255."""

    r: int
    g: int
    b: int
    a: int = 255

    @property
    def ffmpeg(self) -> str:
        """FFmpeg's colour syntax, `0xRRGGBB@alpha`."""
        return f"0x{self.r:02x}{self.g:02x}{self.b:02x}@{self.a / 255:.4g}"

    def __str__(self) -> str:
        return f"#{self.r:02x}{self.g:02x}{self.b:02x}{self.a:02x}"


def plain_number(value: float) -> str:
    """`value` in the spec's own number syntax, exactly: no exponent (`:g` wrote 1e-09 and
    1.23457e+06, which the spec's pattern refuses and which lose digits), no trailing
    zeros. float() of it is `value` again."""
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_length(raw: object) -> LengthValue:
    """`"25%"`, `"120px"`, `"120"` or `120` → LengthValue; must be positive."""
    if isinstance(raw, LengthValue):
        return raw
    parsed = _parse_number_or_percent(raw, "a size")
    if parsed.value <= 0:
        raise ValueError(f"must be greater than zero, got {raw!r}")
    return LengthValue(parsed.value, parsed.unit)


def parse_font_size(raw: object) -> LengthValue | Literal["auto"]:
    """A size, or `"auto"`: the largest size whose wrapped lines fit the element's box."""
    if isinstance(raw, str) and raw.strip().lower() == AUTO:
        return AUTO
    try:
        return parse_length(raw)
    except ValueError as exc:
        if not str(exc).startswith("expected"):
            raise
        raise ValueError(f"expected a size like '25%', '120px', 120 or 'auto', "
                         f"got {raw!r}") from None


def parse_position(raw: object) -> PositionValue:
    """`"50%"`, `"-10px"`, `40`, or a keyword (left/center/right/top/bottom)."""
    if isinstance(raw, PositionValue):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _KEYWORDS:
        return PositionValue(_KEYWORDS[raw.strip().lower()], "%")
    parsed = _parse_number_or_percent(raw, "a position")
    return PositionValue(parsed.value, parsed.unit)


def _parse_number_or_percent(raw: object, what: str) -> PositionValue:
    if isinstance(raw, bool):
        raise ValueError(f"expected {what}, got a boolean")
    parsed: PositionValue | None = None
    if isinstance(raw, int | float):
        try:
            parsed = PositionValue(float(raw), "px")
        except OverflowError:  # an int too large for a float
            parsed = PositionValue(math.inf, "px")
    elif isinstance(raw, str):
        if match := _PERCENT.match(raw):
            parsed = PositionValue(float(match.group(1)), "%")
        elif match := _PIXELS.match(raw):
            parsed = PositionValue(float(match.group(1)), "px")
    if parsed is None:
        raise ValueError(f"expected {what} like '25%', '120px' or 120, got {raw!r}")
    if math.isnan(parsed.value):
        raise ValueError(f"{what} must be a finite number, got {parsed.value:g}")
    if abs(parsed.value) > MAX_MAGNITUDE:
        raise ValueError(f"{what} must be within ±{MAX_MAGNITUDE}{parsed.unit}, "
                         f"got {parsed.value:g}{parsed.unit}")
    return parsed


def parse_color(raw: object) -> ColorValue:
    """`#rgb`, `#rrggbb`, `#rrggbbaa`, a CSS-like name, or `name@0.5` for opacity."""
    if isinstance(raw, ColorValue):
        return raw
    if not isinstance(raw, str):
        raise ValueError(f"expected a colour like '#ff0000' or 'white', got {raw!r}")
    text, _, alpha_text = raw.strip().partition("@")
    alpha = 255
    if alpha_text:
        try:
            share = float(alpha_text)
        except ValueError:
            raise ValueError(
                f"colour opacity after '@' must be a number, got {alpha_text!r}"
            ) from None
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"colour opacity after '@' must be between 0 and 1, got {share:g}")
        alpha = round(share * 255)
    lowered = text.lower()
    if lowered in _NAMED_COLORS:
        r, g, b = _NAMED_COLORS[lowered]
        return ColorValue(r, g, b, 0 if lowered == "transparent" else alpha)
    match = _HEX.match(text)
    if not match:
        raise ValueError(f"expected a colour like '#ff0000', '#ff000080' or 'white', got {raw!r}")
    digits = match.group(1)
    if len(digits) in (3, 4):
        digits = "".join(ch * 2 for ch in digits)
    channels = [int(digits[i : i + 2], 16) for i in range(0, len(digits), 2)]
    if len(channels) == 4:
        alpha = channels[3] if not alpha_text else alpha
    return ColorValue(channels[0], channels[1], channels[2], alpha)


_LENGTH_SCHEMA = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0, "description": "pixels"},
        {"type": "string", "pattern": r"^\s*\d+(\.\d*)?\s*(%|px)?\s*$"},
    ],
    "description": "'25%' of the canvas dimension, or pixels (120 or '120px').",
}
_FONT_SIZE_SCHEMA = {
    "anyOf": [
        {"type": "number", "exclusiveMinimum": 0, "description": "pixels"},
        {"type": "string", "pattern": r"^\s*\d+(\.\d*)?\s*(%|px)?\s*$"},
        {"const": "auto"},
    ],
    "description": "'6%' of the canvas height, pixels (40 or '40px'), or 'auto': the "
                   "largest size whose wrapped lines fit the box (width and height).",
}
_POSITION_SCHEMA = {
    "anyOf": [
        {"type": "number", "description": "pixels"},
        {"type": "string", "pattern": r"^\s*[-+]?\d+(\.\d*)?\s*(%|px)?\s*$"},
        {"enum": sorted(_KEYWORDS)},
    ],
    "description": "'NN%' of the free space (canvas minus element size), pixels, or a keyword.",
}
_COLOR_SCHEMA = {
    "type": "string",
    "description": "'#rgb', '#rrggbb', '#rrggbbaa', a colour name, optionally '@opacity'.",
    "examples": ["#000000", "white", "black@0.5"],
}

Length = Annotated[
    LengthValue,
    BeforeValidator(parse_length),
    PlainSerializer(str),
    WithJsonSchema(_LENGTH_SCHEMA),
]
FontSize = Annotated[
    LengthValue | Literal["auto"],
    BeforeValidator(parse_font_size),
    PlainSerializer(str),
    WithJsonSchema(_FONT_SIZE_SCHEMA),
]
Position = Annotated[
    PositionValue,
    BeforeValidator(parse_position),
    PlainSerializer(str),
    WithJsonSchema(_POSITION_SCHEMA),
]
Color = Annotated[
    ColorValue,
    BeforeValidator(parse_color),
    PlainSerializer(str),
    WithJsonSchema(_COLOR_SCHEMA),
]
