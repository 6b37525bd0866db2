"""Shapes, corner masks and borders rasterised once, before compiling, as PNGs with alpha.

Drawing them in the filter graph would cost a per-pixel expression (geq) per frame; drawn
here they are one antialiased picture each (Pillow, supersampled then area-averaged), which
the graph reads as a still image: a shape becomes an ordinary image layer, so sizing,
motion, fades and slices treat it exactly as a picture. Files are named by a digest of
what they show, in a private cache folder, so a slice rendered by another worker (or a
dry run's printed command) finds the same file, and concurrent renders never clash.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from shared.composition.plan import Plan, VisualLayer
from shared.composition.shapes import Decor, Rgba, ShapeStyle
from shared.media.probe import MediaInfo

__all__ = ["raster_folder", "rasterise"]

_MAX_SUPERSAMPLED = 16_000_000  # pixels of one supersampled drawing
_VERSION = "1"  # bump when the drawing changes, so cached files are drawn again


def raster_folder(work_dir: str | None) -> Path:
    """This user's cache of rasters (0700), under the work directory or the system's."""
    folder = Path(work_dir or tempfile.gettempdir()) / f"vidgen-raster-{os.getuid()}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_uid != os.getuid():
        raise PermissionError(f"{folder} belongs to another user")
    return folder


def _factor(width: int, height: int) -> int:
    return max(1, min(4, math.isqrt(_MAX_SUPERSAMPLED // max(1, width * height))))


class _Canvas:
    """Coverage masks (mode L) of one box, drawn `factor` times larger."""

    def __init__(self, width: int, height: int) -> None:
        self.size = (width, height)
        self.factor = _factor(width, height)

    def blank(self) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        image = Image.new("L", (self.size[0] * self.factor, self.size[1] * self.factor), 0)
        return image, ImageDraw.Draw(image)

    def box(self, inset: float, radius: float, ellipse: bool = False) -> Image.Image:
        image, draw = self.blank()
        f = self.factor
        corners = (inset * f, inset * f, (self.size[0] - inset) * f - 1,
                   (self.size[1] - inset) * f - 1)
        if corners[2] <= corners[0] or corners[3] <= corners[1]:
            return image
        if ellipse:
            draw.ellipse(corners, fill=255)
        else:
            draw.rounded_rectangle(corners, radius=max(0.0, radius - inset) * f, fill=255)
        return image

    def outline(self, points: tuple[tuple[float, float], ...], width: float,
                closed: bool) -> Image.Image:
        image, draw = self.blank()
        f = self.factor
        scaled = [(x * f, y * f) for x, y in points]
        if closed:
            scaled.append(scaled[0])
        draw.line(scaled, fill=255, width=max(1, round(width * f)), joint="curve")
        for x, y in scaled if not closed else []:  # round caps
            r = width * f / 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill=255)
        return image

    def polygon(self, points: tuple[tuple[float, float], ...]) -> Image.Image:
        image, draw = self.blank()
        draw.polygon([(x * self.factor, y * self.factor) for x, y in points], fill=255)
        return image

    def done(self, image: Image.Image) -> Image.Image:
        if self.factor == 1:
            return image
        return image.resize(self.size, Image.Resampling.BOX)


def _painted(coverage: Image.Image, colour: Rgba) -> Image.Image:
    layer = Image.new("RGBA", coverage.size, (*colour[:3], 0))
    layer.putalpha(coverage.point(lambda v: v * colour[3] // 255))
    return layer


def _shape_picture(style: ShapeStyle) -> Image.Image:
    canvas = _Canvas(style.width, style.height)
    stroke = style.stroke_width if style.stroke is not None else 0.0
    if style.kind in ("rectangle", "ellipse"):
        ellipse = style.kind == "ellipse"
        outer = canvas.box(0.0, style.radius, ellipse)
        edge = ImageChops.subtract(outer, canvas.box(stroke, style.radius, ellipse)) if (
            stroke > 0) else None
    elif style.kind == "polygon":
        outer = canvas.polygon(style.points)
        edge = canvas.outline(style.points, stroke, closed=True) if stroke > 0 else None
    else:  # a line has no inside to fill
        outer, edge = None, canvas.outline(style.points, stroke, closed=False)
    picture = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    if style.fill is not None and outer is not None:
        picture = Image.alpha_composite(picture, _painted(canvas.done(outer), style.fill))
    if edge is not None and style.stroke is not None:
        picture = Image.alpha_composite(picture, _painted(canvas.done(edge), style.stroke))
    return picture


def _mask_picture(looks: Decor) -> Image.Image:
    canvas = _Canvas(looks.width, looks.height)
    return canvas.done(canvas.box(0.0, looks.radius))


def _ring_picture(looks: Decor) -> Image.Image:
    canvas = _Canvas(looks.width, looks.height)
    ring = ImageChops.subtract(canvas.box(0.0, looks.radius),
                               canvas.box(looks.border_width, looks.radius))
    assert looks.border_color is not None
    return _painted(canvas.done(ring), looks.border_color)


def _cached(folder: Path, key: str, draw: Callable[[], Image.Image]) -> Path:
    """The PNG for `key`, drawn by `draw()` unless an earlier run already wrote it."""
    digest = hashlib.sha256(f"{_VERSION}|{key}".encode()).hexdigest()[:32]
    path = folder / f"{digest}.png"
    if not path.exists():
        image = draw()
        fd, temp = tempfile.mkstemp(prefix=".raster-", suffix=".png", dir=folder)
        os.close(fd)
        image.save(temp, format="PNG")
        os.replace(temp, path)  # atomic: a concurrent render sees the whole file or none
    return path


def _still(path: Path, width: int, height: int) -> MediaInfo:
    return MediaInfo(path=path, duration=None, width=width, height=height, rotation=0,
                     fps=None, has_video=True, has_audio=False, is_image=True, has_alpha=True)


def _rasterised(layer: VisualLayer, folder: Path) -> VisualLayer:
    if layer.shape is not None:
        style = layer.shape
        path = _cached(folder, f"shape|{style!r}", lambda: _shape_picture(style))
        layer = replace(layer, source=path, media=_still(path, style.width, style.height))
    looks = layer.decor
    if looks is not None:
        mask = ring = None
        if looks.radius > 0:
            mask = _cached(folder, f"mask|{looks.width}|{looks.height}|{looks.radius!r}",
                           lambda: _mask_picture(looks))
        if looks.border_width > 0 and looks.border_color is not None:
            ring = _cached(folder, f"ring|{looks.width}|{looks.height}|{looks.radius!r}|"
                           f"{looks.border_width!r}|{looks.border_color}",
                           lambda: _ring_picture(looks))
        layer = replace(layer, decor=replace(looks, mask=mask, ring=ring))
    return layer


def rasterise(plan: Plan, folder: Callable[[], Path]) -> Plan:
    """The plan with every shape, corner mask and border drawn into `folder()`, which is
    asked for only when there is something to draw."""
    if not any(layer.shape is not None or layer.decor is not None for layer in plan.layers):
        return plan
    where = folder()
    where.mkdir(parents=True, exist_ok=True)
    return replace(plan, layers=tuple(_rasterised(layer, where) for layer in plan.layers))
