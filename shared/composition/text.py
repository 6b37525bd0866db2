"""Text layout: font lookup, measuring with FreeType (Pillow), and wrapping inside a box.

FFmpeg's drawtext does not wrap, so lines are broken here with the same font file that
drawtext will use, and each line becomes one drawtext call. Every Unicode line boundary
breaks a line (\r, \r\n, \v, \f, \x1c-\x1e, \x85, U+2028, U+2029, as str.splitlines
knows them), so no such character reaches the font. drawtext's option parsing drops spaces
at either end of a value, so each line also records the width of its edge spaces: the
render draws the line without them, moved by their width.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageFont

__all__ = [
    "FontNotFound", "TextLayout", "bundled_font", "find_font", "fit_text", "layout_text",
    "text_width",
]

_FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
_BUNDLED = {
    ("dejavu sans", "normal"): "DejaVuSans.ttf",
    ("dejavu sans", "bold"): "DejaVuSans-Bold.ttf",
    ("sans", "normal"): "DejaVuSans.ttf",
    ("sans", "bold"): "DejaVuSans-Bold.ttf",
    ("sans-serif", "normal"): "DejaVuSans.ttf",
    ("sans-serif", "bold"): "DejaVuSans-Bold.ttf",
}
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


class FontNotFound(ValueError):
    """No usable font file for the requested family or file."""


@dataclass(frozen=True)
class TextLayout:
    """Lines already wrapped, with the metrics needed to place them."""

    font_file: Path
    font_size: int
    lines: tuple[str, ...]
    line_widths: tuple[int, ...]
    line_height: int
    block_width: int
    block_height: int
    # per line: the width of the whitespace it starts and ends with (drawn as a shift)
    edge_widths: tuple[tuple[float, float], ...] = ()


def bundled_font(weight: str = "normal") -> Path:
    return _FONT_DIR / _BUNDLED[("dejavu sans", weight)]


@lru_cache(maxsize=64)
def find_font(family: str, weight: str = "normal") -> Path:
    """A font file for a family name: bundled DejaVu first, then fontconfig if installed."""
    key = (family.strip().lower(), weight)
    if key in _BUNDLED:
        return _FONT_DIR / _BUNDLED[key]
    fc_match = shutil.which("fc-match")
    if fc_match:
        pattern = f"{family}:weight={'bold' if weight == 'bold' else 'regular'}"
        result = subprocess.run(
            [fc_match, "--format=%{file}\n%{family}", pattern],
            capture_output=True, text=True, timeout=10, check=False,
        )
        file_text, _, matched = result.stdout.partition("\n")
        if result.returncode == 0 and family.lower() in matched.lower() and file_text:
            return Path(file_text)
    raise FontNotFound(f"no font named {family!r}; use 'DejaVu Sans' or give a font file")


@lru_cache(maxsize=64)
def _load(font_file: Path, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont  # only compositions with text pay for importing Pillow

    try:
        return ImageFont.truetype(str(font_file), size)
    except OSError as exc:  # "unknown file format", a truncated table, ...
        raise FontNotFound(f"{font_file.name!r} is not a font file FreeType can read "
                           f"({exc})") from None


def text_width(text: str, font_file: Path, font_size: int) -> float:
    """How far `text` advances the pen, in pixels (as drawtext lays it out)."""
    return float(_load(font_file, font_size).getlength(text))


def _wrap_paragraph(words: list[str], font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if font.getlength(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
        while font.getlength(current) > width and len(current) > 1:
            cut = _longest_prefix(current, font, width)
            lines.append(current[:cut])
            current = current[cut:]
    lines.append(current)
    return lines


def _longest_prefix(word: str, font: ImageFont.FreeTypeFont, width: float) -> int:
    """The most leading characters of `word` no wider than `width` (at least one): a
    binary search, since a long unbroken word is measured once per step, not per cut."""
    low, high = 1, len(word) - 1  # the whole word is known to be too wide
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def layout_text(
    text: str,
    *,
    font_file: Path,
    font_size: int,
    line_spacing: float,
    max_width: float | None,
) -> TextLayout:
    """Break `text` into lines no wider than `max_width` (explicit newlines always break)."""
    font = _load(font_file, font_size)
    lines: list[str] = []
    for paragraph in _LINE_BREAK.split(text):
        if max_width is None:
            lines.append(paragraph)
        else:
            lines.extend(_wrap_paragraph(paragraph.split(), font, max_width) or [""])
    ascent, descent = font.getmetrics()
    line_height = max(1, round((ascent + descent) * line_spacing))
    widths = tuple(round(font.getlength(line)) for line in lines)
    edges = tuple(_edge_widths(line, font) for line in lines)
    block_height = line_height * (len(lines) - 1) + ascent + descent
    return TextLayout(
        font_file=font_file,
        font_size=font_size,
        lines=tuple(lines),
        line_widths=widths,
        line_height=line_height,
        block_width=max(widths, default=0),
        block_height=block_height,
        edge_widths=edges,
    )


def _edge_widths(line: str, font: ImageFont.FreeTypeFont) -> tuple[float, float]:
    core = line.strip()
    if not core:
        return (0.0, 0.0)
    lead = line[: len(line) - len(line.lstrip())]
    trail = line[len(line.rstrip()):]
    return (font.getlength(lead) if lead else 0.0, font.getlength(trail) if trail else 0.0)


def fit_text(
    text: str,
    *,
    font_file: Path,
    box: tuple[float, float],
    sizes: tuple[int, int],
    line_spacing: float,
    wrap: bool,
) -> TextLayout:
    """The layout at the largest font size in `sizes` (low, high) whose lines, wrapped to
    the box width, fit `box` (width, height); the low size when none does.

    Measured with the same font and wrapping as `layout_text`, so what fits here fits
    when drawn. Larger sizes wrap into more lines, each taller, so whether a size fits
    only turns from yes to no as it grows: a binary search finds the largest.
    """
    width, height = box
    low, high = sizes

    def layout(size: int) -> TextLayout:
        return layout_text(text, font_file=font_file, font_size=size,
                           line_spacing=line_spacing, max_width=width if wrap else None)

    best = layout(low)
    if not _fits(best, box):
        return best
    ascent, descent = _load(font_file, 100).getmetrics()
    # a single line taller than the box cannot fit: no need to search above that
    high = min(high, max(low, math.ceil(height * 100 / max(1, ascent + descent)) + 1))
    while low < high:
        middle = (low + high + 1) // 2
        candidate = layout(middle)
        if _fits(candidate, box):
            low, best = middle, candidate
        else:
            high = middle - 1
    return best


def _fits(layout: TextLayout, box: tuple[float, float]) -> bool:
    return layout.block_width <= box[0] and layout.block_height <= box[1]
