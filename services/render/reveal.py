"""Typewriter and word-by-word text: the box's lines drawn a character (or a word) at a time.

A still text box is drawn once and repeated (layers.py); typed text changes every few
frames, so here the empty box is repeated and each visible prefix of a line is one
drawtext enabled only while that prefix is the one shown (element-local `t`). Finished
lines are drawn whole. The prefix times come from the reveal's easing, solved on a fine
grid, so typing speeds up or slows down as the easing says.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import ffmpeg

from shared.composition.animation import Reveal
from shared.composition.plan import TextStyle, VisualLayer

__all__ = ["reveal_times", "typed_text", "units"]

_SOLVE_STEPS = 2000


def units(lines: tuple[str, ...], unit: str) -> list[tuple[int, int]]:
    """(line, end offset) of every step of the reveal, in reading order: after each
    character that is not a space, or after each word."""
    steps = []
    for number, line in enumerate(lines):
        for end in range(1, len(line) + 1):
            if line[end - 1].isspace():
                continue
            if unit == "character" or end == len(line) or line[end].isspace():
                steps.append((number, end))
    return steps


def reveal_times(reveal: Reveal, count: int) -> list[float]:
    """Element-local time at which step k (1..count) is first shown.

    Step k shows at the first moment the eased progress reaches k/count (an exit: the
    moment it leaves). Solved on a fine grid, the same for every slice.
    """
    times = []
    step = 1
    for sample in range(_SOLVE_STEPS + 1):
        share = sample / _SOLVE_STEPS
        progress = reveal.easing(share)
        while step <= count and progress * count >= step - 1e-9:
            times.append(reveal.start + share * reveal.duration)
            step += 1
    while len(times) < count:
        times.append(reveal.start + reveal.duration)
    return times


def _line_options(style: TextStyle, layer: VisualLayer, number: int, text: str) -> dict[str, Any]:
    layout = style.layout
    p = layer.placement
    inner_h = p.height - 2 * style.padding
    top = style.padding + {
        "top": 0.0,
        "center": (inner_h - layout.block_height) / 2,
        "bottom": inner_h - layout.block_height,
    }[style.vertical_align]
    full = layout.line_widths[number]
    left = {
        "left": style.padding,
        "center": (p.width - full) / 2,
        "right": p.width - full - style.padding,
    }[style.align]
    options: dict[str, Any] = {
        "fontfile": str(layout.font_file), "text": text, "expansion": "none",
        "fontsize": layout.font_size, "fontcolor": style.color, "x": f"{left:.2f}",
        "y": f"{top + number * layout.line_height:.2f}", "y_align": "font",
    }
    if style.stroke_color and style.stroke_width > 0:
        options["bordercolor"] = style.stroke_color
        options["borderw"] = style.stroke_width
    return options


def _window(begin: float | None, end: float | None) -> str:
    if begin is None:
        return f"lt(t,{end:.6f})"
    if end is None:
        return f"gte(t,{begin:.6f})"
    return f"between(t,{begin:.6f},{end - 1e-6:.6f})"


def _windows(reveal: Reveal, steps: list[tuple[int, int]],
             times: list[float]) -> list[tuple[float | None, float | None]]:
    """When step i's drawing is on: while exactly i+1 steps show, or, for the last step of
    a line (the line then stays whole), while at least i+1 do."""
    count = len(steps)
    windows: list[tuple[float | None, float | None]] = []
    for i, (number, _) in enumerate(steps):
        last_of_line = i + 1 == count or steps[i + 1][0] != number
        if not reveal.hide:
            windows.append((times[i], None if last_of_line or i + 1 == count else times[i + 1]))
        else:
            begin = times[count - i - 2] if count - i - 2 >= 0 and not last_of_line else None
            windows.append((begin, times[count - i - 1]))
    return windows


def typed_text(layer: VisualLayer, fps: Fraction, t0: float, t1: float) -> Any:
    """The text box, repeated on the output grid, its text revealed step by step."""
    from services.render.layers import still_frames

    assert layer.text is not None and layer.motion is not None
    style, reveal = layer.text, layer.motion.reveal
    assert reveal is not None
    p = layer.placement
    box = ffmpeg.input(f"color=c={style.background}:s={p.width}x{p.height}:r={fps},format=rgba",
                       f="lavfi", t=f"{float(1 / fps):.6f}").video
    stream = still_frames(box, layer, fps, t0, t1)
    lines = style.layout.lines
    steps = units(lines, reveal.unit)
    times = reveal_times(reveal, len(steps))
    for (number, end), (begin, until) in zip(steps, _windows(reveal, steps, times), strict=True):
        options = _line_options(style, layer, number, lines[number][:end])
        stream = stream.filter("drawtext", enable=_window(begin, until), **options)
    return stream.filter("format", "yuva420p")
