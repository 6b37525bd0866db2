"""Filters that animate one layer: Ken Burns, colour fades, masks, opacity, flip, rotation,
size and the overlay position, all from the plan's `LayerMotion`.

Everything here runs in element-local time (frame `t` 0 = the element's start) except the
overlay position, which FFmpeg evaluates in slice time and is shifted back. Each curve is
the plan's Track written as an FFmpeg expression, so the pixels follow the same maths as
`Track.at`. Two things have no expression in `t`: an opacity factor (lut cannot read the
time), set per output frame with `sendcmd`, and nothing else costs a per-pixel expression
outside the windows where a mask or pixelize is actually running (`enable`).
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import pairwise
from typing import Any

import ffmpeg

from services.render.decor import framed
from services.render.masks import frame_commands, mask
from shared.composition.animation import LayerMotion
from shared.composition.keyframes import Track
from shared.composition.plan import VisualLayer

__all__ = [
    "animate",
    "ken_burns",
    "ken_burns_opaque",
    "opaque_ken_burns",
    "overlay_position",
    "shift_video",
    "sub_pixel",
]

_COLOURS = {"black": "0x000000", "white": "0xffffff"}
_MARGIN = 2  # transparent pixels around a still shifted by a fraction of a pixel


def _fmt(value: float) -> str:
    return f"{value:.6f}"


def _sum(tracks: tuple[Track, ...], time: str) -> str:
    return "+".join(f"({track.expression(time)})" for track in tracks) or "0"


def _product(tracks: tuple[Track, ...], time: str) -> str:
    return "*".join(f"({track.expression(time)})" for track in tracks) or "1"


def opaque_ken_burns(layer: VisualLayer) -> bool:
    """A Ken Burns still without transparency: warped before it gets an alpha plane (the
    warp then runs on 1.5 planes a pixel instead of 2.5; fades and opacity, uniform over
    the picture, come after it)."""
    return (layer.kind == "image" and layer.motion is not None
            and layer.motion.ken_burns is not None and not layer.placement.pads
            and not (layer.media is not None and layer.media.has_alpha)
            and not (layer.looks is not None and layer.looks.keyed))


def ken_burns_opaque(stream: Any, layer: VisualLayer, fps: Fraction, t0: float) -> Any:
    """The warp of an opaque still (opaque_ken_burns), on TV-range 4:2:0."""
    assert layer.motion is not None
    return _ken_burns_still(stream, layer, layer.motion, fps, t0)


def _ken_burns(stream: Any, layer: VisualLayer, motion: LayerMotion, fps: Fraction,
               t0: float) -> Any:
    """Zoom and pan inside the box, sampled at sub-pixel positions (no zoompan steps)."""
    if layer.kind == "image":
        return _ken_burns_still(stream, layer, motion, fps, t0)
    return _ken_burns_moving(stream, layer, motion)


def _ken_burns_still(stream: Any, layer: VisualLayer, motion: LayerMotion, fps: Fraction,
                     t0: float) -> Any:
    """A still's frames are on the output grid from a known first one, so a frame's number
    (`in`, all `perspective` can read) gives its time: one bilinear warp per frame."""
    assert motion.ken_burns is not None
    burns = motion.ken_burns
    time = _still_time(layer, fps, t0)
    zoom = f"({burns.zoom.expression(time)})"
    left = f"clip(W*({burns.focus_x.expression(time)})-W/(2*{zoom}),0,W-W/{zoom})"
    top = f"clip(H*({burns.focus_y.expression(time)})-H/(2*{zoom}),0,H-H/{zoom})"
    right, bottom = f"{left}+W/{zoom}", f"{top}+H/{zoom}"
    return stream.filter("perspective", x0=left, y0=top, x1=right, y1=top, x2=left, y2=bottom,
                         x3=right, y3=bottom, sense="source", eval="frame")


def _ken_burns_moving(stream: Any, layer: VisualLayer, motion: LayerMotion) -> Any:
    """A video's frames come at its own times: the zoomed picture (a new size every frame,
    twice the box so whole pixels there are half pixels here) is overlaid at a negative
    offset on the unzoomed one; overlay follows frame sizes and reads `t`, which crop
    (sized once) and perspective (frame numbers only) cannot."""
    assert motion.ken_burns is not None
    burns = motion.ken_burns
    w, h = layer.placement.width, layer.placement.height
    zoom = f"({burns.zoom.expression('t')})"
    opaque = not layer.placement.pads and not (layer.media is not None and layer.media.has_alpha)
    opaque = opaque and not (layer.looks is not None and layer.looks.keyed)
    if opaque:  # without alpha, overlay copies instead of blending: several times faster
        stream = stream.filter("format", "yuv444p")
    split = stream.split()
    # the zoomed picture covers this one whole: it only carries the frames' times
    under = split[0].filter("scale", 2 * w, 2 * h, flags="neighbor")
    zoomed = split[1].filter("scale", w=f"2*{w}*{zoom}", h=f"2*{h}*{zoom}", eval="frame",
                             flags="bilinear")
    x = f"-clip(2*{w}*{zoom}*({burns.focus_x.expression('t')})-{w},0,2*{w}*({zoom}-1))"
    y = f"-clip(2*{h}*{zoom}*({burns.focus_y.expression('t')})-{h},0,2*{h}*({zoom}-1))"
    stream = ffmpeg.overlay(under, zoomed, x=x, y=y, format="yuv444")
    stream = stream.filter("scale", w, h, flags="area").filter("setsar", 1)
    return stream.filter("format", "yuva420p") if opaque else stream


def ken_burns(stream: Any, layer: VisualLayer, fps: Fraction, t0: float) -> Any:
    """The Ken Burns zoom alone, for a picture zoomed inside its frame (decor.framed)."""
    assert layer.motion is not None
    return _ken_burns(stream, layer, layer.motion, fps, t0)


def _colour_fades(stream: Any, motion: LayerMotion) -> Any:
    for fade in motion.colour_fades:
        stream = stream.filter("fade", type="out" if fade.out else "in",
                               start_time=_fmt(fade.start), duration=_fmt(fade.duration),
                               color=_COLOURS.get(fade.colour, fade.colour))
    return stream


def _pixelize(stream: Any, layer: VisualLayer, motion: LayerMotion) -> Any:
    block = max(4, min(layer.placement.width, layer.placement.height) // 16)
    for start, end in motion.pixelize:
        stream = stream.filter("pixelize", w=block, h=block,
                               enable=f"between(t,{_fmt(start)},{_fmt(end)})")
    return stream


def _opacity(stream: Any, layer: VisualLayer, motion: LayerMotion, fps: Fraction) -> Any:
    """Multiply alpha by the opacity factors, set once per output frame by `sendcmd`."""
    if not motion.opacity:
        return stream
    tracks = motion.opacity
    first = min(track.span[0] for track in tracks)
    last = max(track.span[1] for track in tracks)

    def value(local: float) -> float:
        return max(0.0, min(1.0, math.prod(track.at(local) for track in tracks)))

    name = f"lut@opacity{layer.index}"
    # Before the first interval the lut's own value holds: the value before the window.
    commands = frame_commands(layer, fps, (first, last), name,
                              lambda local: f"a val*{value(local):.5f}")
    stream = stream.filter("sendcmd", commands=";".join(commands))
    return stream.filter(name, a=f"val*{value(first - 1):.5f}")


def _turn(stream: Any, motion: LayerMotion) -> Any:
    """Flip, then rotate about the centre in a box that holds every angle (transparent)."""
    if motion.flip in ("horizontal", "both"):
        stream = stream.filter("hflip")
    if motion.flip in ("vertical", "both"):
        stream = stream.filter("vflip")
    rotation = motion.rotation
    if rotation.is_constant and rotation.first % 360 == 0:
        return stream
    angle = f"({rotation.expression('t')})*PI/180"
    if rotation.is_constant:
        size_w, size_h = f"rotw({angle})", f"roth({angle})"
    else:
        size_w = size_h = "hypot(iw,ih)"
    # "none" leaves the previous frame's pixels around the picture: fill transparent
    return stream.filter("rotate", a=angle, ow=size_w, oh=size_h, c="black@0")


def _still_time(layer: VisualLayer, fps: Fraction, t0: float) -> str:
    """Element-local time of a still's frame from its number: its frames are on the output
    grid from the first one the slice shows (`perspective` reads nothing else)."""
    first = _grid_ceil(max(layer.start, t0), fps)
    return f"({_fmt(float(first - Fraction(layer.start)))}+(in-1)/({fps}))"  # in: 1, 2, ...


def sub_pixel(layer: VisualLayer, fps: Fraction) -> bool:
    """Whether a moving picture is shifted by the fraction of a pixel overlay cannot place.

    Only where its size never changes (perspective is configured once for one size), and
    not where it only ever moves fast: at FAST_STEP pixels a frame or more (a slide
    transition crosses 1920 px in 1 s: 64 a frame), whole-pixel steps do not stair-step."""
    motion = layer.motion
    return (
        motion is not None
        and not motion.resizes
        and motion.rotation.is_constant and motion.rotation.first % 360 == 0
        and (layer.decor is None or layer.decor.shadow is None)  # its box is grown
        and not all(track.is_constant for track in (*motion.centre_x, *motion.centre_y))
        and not (_fast(motion.centre_x, fps) and _fast(motion.centre_y, fps))
    )


FAST_STEP = 8.0  # px a frame: rounding to whole pixels moves it +-6 % at most


def _fast(tracks: tuple[Track, ...], fps: Fraction) -> bool:
    """Whether the sum of `tracks` holds still or moves at FAST_STEP px a frame or more:
    one moving track whose segments are linear and that fast, or step jumps."""
    moving = [track for track in tracks if not track.is_constant]
    if len(moving) > 1:
        return False
    for track in moving:
        for (start, before, _), (end, after, easing) in pairwise(track.points):
            if before == after or easing.kind == "step":
                continue
            if easing.kind != "linear" or end <= start:
                return False
            if abs(after - before) / ((end - start) * float(fps)) < FAST_STEP:
                return False
    return True


def _left_top(layer: VisualLayer, time: str) -> tuple[str, str]:
    motion = layer.motion
    assert motion is not None
    p = layer.placement
    return (f"({_sum(motion.centre_x, time)}-{p.width / 2:g})",
            f"({_sum(motion.centre_y, time)}-{p.height / 2:g})")


def _shift(stream: Any, layer: VisualLayer, fps: Fraction, t0: float) -> Any:
    """Move the picture right/down by the fractional part of its position (bilinear), in a
    slightly larger box; the overlay places the box by the whole part."""
    left, top = _left_top(layer, _still_time(layer, fps, t0))
    dx, dy = f"({left}-floor({left}))", f"({top}-floor({top}))"
    p = layer.placement
    # transparent pixels on every side (perspective repeats the edge pixel beyond the
    # picture); pad rounds 4:2:0 sizes and offsets down to even numbers
    wide, high = (p.width + 5) // 2 * 2, (p.height + 5) // 2 * 2
    stream = stream.filter("pad", wide, high, _MARGIN, _MARGIN, color="black@0")
    return stream.filter("perspective", x0=dx, y0=dy, x1=f"W+{dx}", y1=dy, x2=dx,
                         y2=f"H+{dy}", x3=f"W+{dx}", y3=f"H+{dy}", sense="destination",
                         eval="frame")


def _resize(stream: Any, motion: LayerMotion) -> Any:
    """Animated width/height and scale, about the centre (the overlay keeps it there)."""
    if not motion.resizes:
        return stream
    sx = f"({motion.box_x.expression('t')})*{_product(motion.zoom, 't')}"
    sy = f"({motion.box_y.expression('t')})*{_product(motion.zoom, 't')}"
    return stream.filter("scale", w=f"max(1,round(iw*{sx}))", h=f"max(1,round(ih*{sy}))",
                         eval="frame")


def animate(stream: Any, layer: VisualLayer, fps: Fraction, t0: float) -> Any:
    """The layer's picture (box-sized, with alpha) with its motion applied, element time."""
    motion = layer.motion
    assert motion is not None
    if motion.ken_burns is not None and not opaque_ken_burns(layer) and not framed(layer):
        stream = _ken_burns(stream, layer, motion, fps, t0)
    stream = _colour_fades(stream, motion)
    stream = _pixelize(stream, layer, motion)
    stream = _opacity(stream, layer, motion, fps)
    for number, shape in enumerate(motion.masks):
        stream = mask(stream, layer, number, shape, fps)
    stream = _resize(_turn(stream, motion), motion)
    if layer.kind == "video" or not sub_pixel(layer, fps):
        return stream  # a video is shifted once its frames are on the output grid
    return _shift(stream, layer, fps, t0)


def shift_video(stream: Any, layer: VisualLayer, fps: Fraction, t0: float, t1: float) -> Any:
    """A moving video (timed in slice time) shifted by the fraction of a pixel.

    Its frames come at the source's times; `fps` puts them on the output grid from the
    slice's first visible frame, picking at each output time the source frame of that
    moment (the last one at or before it: timestamps rounded up), so a frame's number
    gives its time, which is all `perspective` can read. (overlay's own pick between
    streams of unrelated rates can be a frame older.)
    """
    first = _grid_ceil(max(layer.start, t0), fps)
    end = Fraction(min(layer.end, t1)) - Fraction(t0)
    stream = stream.filter("fps", fps=str(fps), start_time=_fmt(float(first) - t0), round="up")
    stream = stream.filter("trim", end=_fmt(float(end))).filter("settb", "AVTB")
    return _shift(stream, layer, fps, t0)


def _grid_ceil(value: float, fps: Fraction) -> Fraction:
    return math.ceil(Fraction(value) * fps - Fraction(1, 10**6)) / fps


def overlay_position(layer: VisualLayer, t0: float, fps: Fraction) -> tuple[str, str]:
    """Overlay x/y keeping the (turned, resized) picture's centre on the motion's centre.

    The overlay's `t` is slice time; element-local time is t + t0 - start.
    """
    motion = layer.motion
    assert motion is not None
    local = f"(t+{_fmt(t0 - layer.start)})"
    if sub_pixel(layer, fps):  # the picture sits _MARGIN pixels into its shifted box
        left, top = _left_top(layer, local)
        return f"floor({left})-{_MARGIN}", f"floor({top})-{_MARGIN}"
    x = f"floor({_sum(motion.centre_x, local)}-w/2+0.5)"
    y = f"floor({_sum(motion.centre_y, local)}-h/2+0.5)"
    return x, y
