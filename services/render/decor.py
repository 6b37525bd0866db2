"""Rounded corners, border and shadow of one element's picture, and blend modes against
the layers below, in the one filter graph.

The corner mask and the border are PNGs drawn once (services/render/shapes.py); each is a
single frame at time 0 that `blend`/`overlay` repeat for every frame of the element, so the
per-frame cost is a plane multiply and an alpha blend, never a per-pixel expression. The
shadow is the element's own alpha, coloured, offset and blurred, under it, in a box grown
by the same margin on every side: the element's centre stays the box's centre, so motion
(rotation, scale, position) treats the grown box like the element's own. A blend mode
mixes the element with the canvas in RGB where it is drawn, weighted by its alpha.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ffmpeg

from shared.composition.plan import VisualLayer

__all__ = ["composite", "decorate", "framed", "offset"]

InputOptions = Callable[[dict[str, Any]], dict[str, Any]]
# the spec's names → FFmpeg's `blend` modes; the canvas is blend's first input ("top"),
# so FFmpeg's `overlay` tests the layer below, as the overlay mode of image editors does
_MODES = {"multiply": "multiply", "screen": "screen", "overlay": "overlay",
          "add": "addition", "darken": "darken", "lighten": "lighten"}


def _still(path: object, tag: str, input_options: InputOptions) -> Any:
    """A rasterised PNG as its own input (a node distinct from other chains' equal ones)."""
    stream = ffmpeg.input(str(path), **input_options({})).video
    node = stream.node
    node._KwargReprNode__hash = hash((hash(node), tag))
    return stream


def _hex(colour: tuple[int, int, int, int]) -> str:
    return f"0x{colour[0]:02x}{colour[1]:02x}{colour[2]:02x}"


def _round_corners(stream: Any, layer: VisualLayer, input_options: InputOptions) -> Any:
    """Multiply the picture's alpha by the corner mask."""
    assert layer.decor is not None and layer.decor.mask is not None
    split = stream.split()
    alpha = split[1].filter("alphaextract")
    mask = _still(layer.decor.mask, f"mask{layer.index}", input_options).filter("format", "gray")
    alpha = ffmpeg.filter([alpha, mask], "blend", all_mode="multiply")
    return ffmpeg.filter([split[0], alpha], "alphamerge")


def _border(stream: Any, layer: VisualLayer, input_options: InputOptions) -> Any:
    assert layer.decor is not None and layer.decor.ring is not None
    ring = _still(layer.decor.ring, f"ring{layer.index}", input_options)
    return ffmpeg.overlay(stream, ring, x=0, y=0, eof_action="repeat", format="rgb")


def _shadow(stream: Any, layer: VisualLayer) -> Any:
    """The picture over its shadow, in a box grown by the margin on every side."""
    assert layer.decor is not None and layer.decor.shadow is not None
    shadow = layer.decor.shadow
    margin = shadow.margin
    r, g, b, a = shadow.color
    split = stream.split()
    p = layer.placement
    silhouette = split[1].filter("lutrgb", r=r, g=g, b=b, a=f"val*{a / 255:.5f}").filter(
        "pad", p.width + 2 * margin, p.height + 2 * margin, margin + shadow.x,
        margin + shadow.y, color=f"{_hex(shadow.color)}@0")
    if shadow.blur > 0:
        silhouette = silhouette.filter("gblur", sigma=f"{shadow.blur / 2:.3f}")
    return ffmpeg.overlay(silhouette, split[0], x=margin, y=margin, format="rgb")


def framed(layer: VisualLayer) -> bool:
    """Whether the element's picture has corners, a border or a shadow (its frame)."""
    looks = layer.decor
    return looks is not None and (looks.mask is not None or looks.ring is not None
                                  or looks.shadow is not None)


def decorate(stream: Any, layer: VisualLayer, input_options: InputOptions) -> Any:
    """The element's box-sized picture with its corners, border and shadow."""
    looks = layer.decor
    if looks is None or not framed(layer):
        return stream
    # exactly the box: crop and pad round odd sizes of 4:2:0 pictures down to even ones
    # (scale passes a frame of that size through untouched)
    stream = stream.filter("format", "rgba").filter("scale", looks.width, looks.height)
    if looks.mask is not None:
        stream = _round_corners(stream, layer, input_options)
    if looks.ring is not None:
        stream = _border(stream, layer, input_options)
    if looks.shadow is not None:
        stream = _shadow(stream, layer)
    return stream.filter("format", "yuva420p")


def offset(layer: VisualLayer) -> int:
    """How far left and up of the element's box its (shadow-grown) picture starts."""
    return layer.decor.margin if layer.decor is not None else 0


def _region(layer: VisualLayer, canvas: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """The canvas rectangle (x, y, w, h) a still-standing picture covers; None: it moves,
    so the whole canvas."""
    if layer.motion is not None:
        return None
    p, margin = layer.placement, offset(layer)
    left, top = max(0, p.x - margin), max(0, p.y - margin)
    right = min(canvas[0], p.x + p.width + margin)
    bottom = min(canvas[1], p.y + p.height + margin)
    return left, top, max(1, right - left), max(1, bottom - top)


def composite(base: Any, chain: Any, layer: VisualLayer, position: tuple[Any, Any],
              window: tuple[float, float], canvas: tuple[int, int], **extra: Any) -> Any:
    """`chain` drawn on `base` at `position`, with the layer's blend mode.

    A blend mode: the element on a clear copy of the canvas under it, mixed with the
    canvas in planar RGB, given the element's alpha, then laid on the canvas. Only the
    rectangle a still-standing element covers is mixed, and outside `window` (slice time)
    the canvas passes through.
    """
    mode = layer.decor.blend_mode if layer.decor is not None else "normal"
    if mode == "normal":
        return ffmpeg.overlay(base, chain, x=position[0], y=position[1], eof_action="pass",
                              **extra)
    enable = f"between(t,{window[0]:.6f},{window[1]:.6f})"
    copies = base.split()
    under, clear = copies[0], copies[2]
    left, top = 0, 0
    region = _region(layer, canvas)
    if region is not None:
        left, top, width, height = region
        under = under.filter("crop", width, height, left, top, exact=1)
        clear = clear.filter("crop", width, height, left, top, exact=1)
        position = (position[0] - left, position[1] - top)
    clear = clear.filter("format", "rgba").filter("lutrgb", r=0, g=0, b=0, a=0)
    placed = ffmpeg.overlay(clear, chain, x=position[0], y=position[1], eof_action="pass",
                            format="rgb").split()
    mixed = ffmpeg.filter([under.filter("format", "gbrp"), placed[0].filter("format", "gbrp")],
                          "blend", all_mode=_MODES[mode], enable=enable)
    drawn = ffmpeg.filter([mixed, placed[1].filter("alphaextract")], "alphamerge")
    return ffmpeg.overlay(copies[1], drawn, x=left, y=top, eof_action="pass", enable=enable,
                          **extra)
