"""Masks that reveal (or cover) a layer's picture over a window: wipes, smooth wipes,
circles, the radial sweep and the dissolve.

Each shape is an *order map*: one 8-bit frame saying, per pixel, at which progress (0-255)
it is uncovered, computed once per mask with `geq`. Per frame only a table lookup runs:
`lut2` of (the element's alpha, the map), whose table is rebuilt from the frame's progress
by `sendcmd`, once per output frame, and only inside the window (`enable`). A per-pixel
expression every frame (the previous way) cost ~5 s of CPU per second of 1080p mask.
The progress of each frame is worked out here with the plan's easing, the maths the
expression would have used, so a slice sends the full render's values.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import ffmpeg

from shared.composition.animation import Mask
from shared.composition.plan import VisualLayer

__all__ = ["frame_commands", "mask"]

# The order of each pixel, 0..1 (uncovered once the progress passes it); W, H: the frame.
_DISTANCE = "hypot(X-W/2,Y-H/2)/(hypot(W,H)/2)"
_ORDER = {
    "wipe-left": "X/W",
    "wipe-right": "(W-1-X)/W",
    "wipe-up": "Y/H",
    "wipe-down": "(H-1-Y)/H",
    "smooth-left": "X/W",
    "smooth-right": "(W-X)/W",
    "circle-open": _DISTANCE,
    "circle-close": f"1-{_DISTANCE}",
    "radial": "mod(atan2(X-W/2,H/2-Y)+2*PI,2*PI)/(2*PI)",
    "dissolve": "mod(abs(sin(X*12.9898+Y*78.233))*43758.5453,1)",
}
_SOFT = ("smooth-left", "smooth-right")


def _fmt(value: float) -> str:
    return f"{value:.6f}"


def frame_commands(layer: VisualLayer, fps: Fraction, window: tuple[float, float],
                   target: str, command: Callable[[float], str]) -> list[str]:
    """`sendcmd` intervals that give `target` the command of each output frame in the
    window (element-local time), and after it the command of the window's end."""
    first, last = window
    half = 0.5 / float(fps)
    frame = math.floor((Fraction(layer.start) + Fraction(first)) * fps)
    times = []
    while (local := float(Fraction(frame) / fps - Fraction(layer.start))) <= last + half:
        times.append(local)
        frame += 1
    commands = [f"{_fmt(max(0.0, at - half))}-{_fmt(at + half)} {target} {command(at)}"
                for at in times if at + half > 0]
    commands.append(f"{_fmt(times[-1] + half)}-1000000 {target} {command(last + 1)}")
    return commands


def _expression(kind: str, progress: float) -> str:
    """The lut2 table of (x: alpha, y: order 0-255) at one progress, without commas
    (sendcmd would split its argument there): sgn for a step, abs for a clip."""
    if kind in _SOFT:  # shown by clip((1.2 p - order) / 0.2, 0, 1): a soft edge 20 % wide
        v = f"({5 * 1.2 * progress:.6f}-y/51)"
        return f"x*(abs({v})-abs({v}-1)+1)/2"
    return f"x*(1-sgn(y-{256 * progress - 0.5:.4f}))/2"


def mask(stream: Any, layer: VisualLayer, number: int, shape: Mask, fps: Fraction) -> Any:
    """Reveal (or, `hide`, cover) the picture over the mask's window: alpha times the
    shape. Outside the window two plane copies a frame; the map is one geq frame."""

    def progress(local: float) -> float:
        share = shape.easing((local - shape.start) / shape.duration)
        return 1.0 - share if shape.hide else share

    name = f"lut2@mask{layer.index}_{number}"
    window = (shape.start, shape.start + shape.duration)
    commands = frame_commands(layer, fps, window, name,
                              lambda local: f"c0 {_expression(shape.kind, progress(local))}")
    split = stream.split()
    alpha = split[1].filter("alphaextract").split()
    order = alpha[1].filter("trim", end_frame=1).filter(
        "geq", lum=f"min(255,floor(256*({_ORDER[shape.kind]})))")
    timed = alpha[0].filter("sendcmd", commands=";".join(commands))
    masked = ffmpeg.filter(
        [timed, order], name, c0=_expression(shape.kind, progress(shape.start - 1)),
        enable=f"between(t,{_fmt(window[0])},{_fmt(window[1])})",
    )
    return ffmpeg.filter([split[0], masked], "alphamerge")
