"""The canvas itself, when the bottom layers hide the background: a clip, or clips/stills
one after another (a slideshow).

The general path draws every layer with `overlay` on a colour source; a layer that covers
the whole canvas, opaquely, then costs a full-frame alpha blend per frame for nothing. A
hand-written command would use the clip itself as the canvas, or `concat` the slides and
fade them to black. This module builds that, for any run of bottom layers that

- each cover the whole canvas (no padding, no alpha in the source, opacity 1), and
- follow one another without gap or overlap from the start to the end of the composition.

A fade of such a layer over the background colour is the same picture as fading its colour
towards the background, so fades are allowed. The decision is made for the whole
composition, never per slice, so a slice is drawn exactly as the full render draws it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import ffmpeg

from services.render.layers import (
    InputOptions,
    fit,
    image_source,
    moving_frames,
    needs_alpha,
    still_frames,
)
from shared.composition.plan import Canvas, Plan, VisualLayer

__all__ = ["backdrop_layers", "backdrop_stream"]

_EPSILON = 1e-6


def _covers(layer: VisualLayer, canvas: Canvas) -> bool:
    p = layer.placement
    media_alpha = layer.media is not None and layer.media.has_alpha
    return (
        layer.kind in ("video", "image")
        and layer.motion is None
        and layer.decor is None
        and layer.opacity >= 1
        and not p.pads
        and not media_alpha
        and not (layer.looks is not None and layer.looks.keyed)
        and (p.x, p.y, p.width, p.height) == (0, 0, canvas.width, canvas.height)
    )


def backdrop_layers(plan: Plan) -> int:
    """How many bottom layers form the canvas (0: draw on a colour source)."""
    canvas = plan.canvas
    reached = 0.0
    for count, layer in enumerate(plan.layers, start=1):
        if not _covers(layer, canvas) or abs(layer.start - reached) > _EPSILON:
            break
        reached = layer.end
        if reached >= canvas.duration - _EPSILON:
            return count
    return 0


def _first_frame(value: float, fps: Fraction) -> int:
    return math.ceil(Fraction(value) * fps - Fraction(1, 10**6))


def backdrop_stream(layers: Sequence[VisualLayer], canvas: Canvas, *, t0: float, t1: float,
                    input_options: InputOptions) -> Any:
    """The canvas for the slice [t0, t1): each layer's frames on the output grid, in turn."""
    fps = canvas.fps
    colour = canvas.output.background
    fade_colour = f"0x{colour.r:02x}{colour.g:02x}{colour.b:02x}"
    first_slot = _first_frame(t0, fps)
    last_slot = _first_frame(t1, fps)
    segments = []
    for layer in layers:
        begin = max(_first_frame(layer.start, fps), first_slot)
        end = min(_first_frame(layer.end, fps), last_slot)
        if end <= begin:
            continue
        segments.append(_segment(layer, fps, t0, t1, begin - first_slot, end - begin,
                                 fade_colour, input_options))
    joined = ffmpeg.concat(*segments, v=1, a=0) if len(segments) > 1 else segments[0]
    # Every segment holds exactly its frames: number them onto the grid.
    return joined.filter("settb", f"1/{fps}").filter("setpts", "N")


def _tv_yuv420p(stream: Any) -> Any:
    """4:2:0 in TV range, what the colour canvas is and players expect: a JPEG decodes to
    full range, which `format` alone would carry through to the output (yuvj420p)."""
    return stream.filter("scale", out_range="tv").filter("format", "yuv420p")


def _segment(layer: VisualLayer, fps: Fraction, t0: float, t1: float, offset: int,
             frames: int, fade_colour: str, input_options: InputOptions) -> Any:
    """`frames` output frames of one layer, starting at slice frame `offset`."""
    # One pixel format (and TV range) for every segment and for the fades' colour maths;
    # a still is converted once, before it is repeated.
    if layer.kind == "image":
        picture = _tv_yuv420p(fit(image_source(layer, input_options), layer, opaque=True))
        stream = still_frames(picture, layer, fps, t0, t1)
    else:
        stream = _tv_yuv420p(fit(moving_frames(layer, fps, t0, input_options), layer,
                                 opaque=True))
    if needs_alpha(layer):  # fades: towards the background colour, in element-local time
        stream = _colour_fades(stream, layer, fade_colour)
    # Slice time, then the frame on screen at each output time, as `overlay` would pick it.
    stream = stream.filter("setpts", f"PTS+{float(layer.start - t0):.6f}/TB")
    stream = stream.filter("settb", "1/2000000").filter("setpts", "PTS-1")
    stream = stream.filter("fps", fps=str(fps), round="up", start_time=float(offset / fps))
    return stream.filter("trim", end_frame=frames).filter("setpts", "PTS-STARTPTS")


def _colour_fades(stream: Any, layer: VisualLayer, colour: str) -> Any:
    if layer.fade_in > 0:
        stream = stream.filter("fade", type="in", start_time=0, duration=layer.fade_in,
                               color=colour)
    if layer.fade_out > 0:
        stream = stream.filter("fade", type="out",
                               start_time=f"{layer.duration - layer.fade_out:.6f}",
                               duration=layer.fade_out, color=colour)
    return stream
