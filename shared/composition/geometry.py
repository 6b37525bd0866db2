"""Where a source lands on the canvas: element box, scaled size, crop and padding per fit mode.

All sizes are whole pixels. Element boxes may have odd sizes and sit at any pixel: only
the output canvas must be even (4:2:0), which the spec checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.composition.spec import Fit
from shared.composition.values import LengthValue, PositionValue

__all__ = ["Placement", "place"]


@dataclass(frozen=True)
class Placement:
    """The element's box on the canvas and how its source fills it.

    The source is scaled to `scaled_w`×`scaled_h`, then cropped at (`crop_x`, `crop_y`) to
    the box (cover), or padded so it sits at (`pad_x`, `pad_y`) inside the box (contain).
    """

    x: int
    y: int
    width: int
    height: int
    scaled_w: int
    scaled_h: int
    crop_x: int = 0
    crop_y: int = 0
    pad_x: int = 0
    pad_y: int = 0

    @property
    def crops(self) -> bool:
        return self.scaled_w > self.width or self.scaled_h > self.height

    @property
    def pads(self) -> bool:
        return self.scaled_w < self.width or self.scaled_h < self.height


def _box_size(
    width: LengthValue | None,
    height: LengthValue | None,
    canvas: tuple[int, int],
    aspect: float,
) -> tuple[float, float, bool]:
    """The requested box; the flag says whether both sides were given (else aspect-derived)."""
    canvas_w, canvas_h = canvas
    if width is None and height is None:
        return float(canvas_w), float(canvas_h), True
    if width is not None and height is not None:
        return width.resolve(canvas_w), height.resolve(canvas_h), True
    if width is not None:
        box_w = width.resolve(canvas_w)
        return box_w, box_w / aspect, False
    assert height is not None
    box_h = height.resolve(canvas_h)
    return box_h * aspect, box_h, False


def place(
    *,
    source_size: tuple[int, int],
    canvas: tuple[int, int],
    width: LengthValue | None,
    height: LengthValue | None,
    x: PositionValue,
    y: PositionValue,
    fit: Fit,
) -> Placement:
    """Apply the fit mode and the position rules of the spec to one source."""
    src_w, src_h = source_size
    aspect = src_w / src_h
    box_w, box_h, both_given = _box_size(width, height, canvas, aspect)
    if fit == "auto" and both_given:
        scale = min(box_w / src_w, box_h / src_h)
        box_w, box_h = src_w * scale, src_h * scale
    bw, bh = max(1, round(box_w)), max(1, round(box_h))
    if fit in ("fill", "stretch", "auto") or not both_given:
        sw, sh = bw, bh
    elif fit == "contain":
        scale = min(bw / src_w, bh / src_h)
        sw, sh = min(bw, max(1, round(src_w * scale))), min(bh, max(1, round(src_h * scale)))
    else:  # cover
        scale = max(bw / src_w, bh / src_h)
        sw, sh = max(bw, round(src_w * scale)), max(bh, round(src_h * scale))
    left = round(x.resolve(canvas[0], bw))
    top = round(y.resolve(canvas[1], bh))
    return Placement(
        x=left,
        y=top,
        width=bw,
        height=bh,
        scaled_w=sw,
        scaled_h=sh,
        crop_x=max(0, (sw - bw) // 2),
        crop_y=max(0, (sh - bh) // 2),
        pad_x=max(0, (bw - sw) // 2),
        pad_y=max(0, (bh - sh) // 2),
    )
