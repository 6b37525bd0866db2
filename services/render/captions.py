"""Burnt-in captions: one transparent box, repeated on the output grid, with every cue page
drawn only during its window (drawtext `enable`, element-local `t`).

Per page: a background box around its lines (drawbox, if the element has a background),
then one drawtext per line; per spoken word, the word again in the highlight colour at its
place on the line, enabled during the word's window. Everything runs in the element's own
time, so a slice draws exactly the frames of the full render.
"""

from __future__ import annotations

import math
from dataclasses import replace
from fractions import Fraction
from typing import Any

import ffmpeg

from shared.composition.captions import CaptionPage
from shared.composition.plan import TextStyle, VisualLayer

__all__ = ["CHUNK_FILTERS", "caption_frames"]

CHUNK_FILTERS = 48


# Frame times reach drawtext as pts × time base in floating point (0.2 s may be
# 0.19999999999999998): window edges move this much earlier, far less than a frame.
_EDGE = 1e-4


def _window(start: float, end: float) -> str:
    """Frames whose time is in [start, end)."""
    return f"between(t,{start - _EDGE:.6f},{end - _EDGE:.6f})"


def _lefts(page: CaptionPage, style: TextStyle, width: int) -> list[float]:
    return [{
        "left": style.padding,
        "center": (width - line_width) / 2,
        "right": width - line_width - style.padding,
    }[style.align] for line_width in page.layout.line_widths]


def _top(page: CaptionPage, style: TextStyle, height: int) -> float:
    inner = height - 2 * style.padding
    return style.padding + {
        "top": 0.0,
        "center": (inner - page.layout.block_height) / 2,
        "bottom": inner - page.layout.block_height,
    }[style.vertical_align]


def _text(style: TextStyle, page: CaptionPage, text: str, colour: str, x: float,
          y: float) -> dict[str, Any]:
    options: dict[str, Any] = {
        "fontfile": str(page.layout.font_file), "text": text, "expansion": "none",
        "fontsize": page.layout.font_size, "fontcolor": colour, "x": f"{x:.2f}",
        "y": f"{y:.2f}", "y_align": "font",
    }
    if style.stroke_color and style.stroke_width > 0:
        options["bordercolor"] = style.stroke_color
        options["borderw"] = style.stroke_width
    return options


def _draw_page(stream: Any, page: CaptionPage, layer: VisualLayer, style: TextStyle,
               highlight: str | None) -> Any:
    p = layer.placement
    lefts = _lefts(page, style, p.width)
    top = _top(page, style, p.height)
    line_height = page.layout.line_height
    shown = _window(page.start, page.end)
    if style.background != "black@0":
        left = min(lefts) - style.padding
        stream = stream.filter(
            "drawbox", x=math.floor(left), y=math.floor(top - style.padding),
            w=math.ceil(page.layout.block_width + 2 * style.padding),
            h=math.ceil(page.layout.block_height + 2 * style.padding),
            color=style.background, t="fill", replace=1, enable=shown)
    for number, line in enumerate(page.layout.lines):
        options = _text(style, page, line, style.color, lefts[number],
                        top + number * line_height)
        stream = stream.filter("drawtext", enable=shown, **options)
    if highlight is None:
        return stream
    for word in page.highlights:
        options = _text(style, page, word.text, highlight, lefts[word.line] + word.offset,
                        top + word.line * line_height)
        stream = stream.filter("drawtext", enable=_window(word.start, word.end), **options)
    return stream


def _chunks(pages: list[CaptionPage], layer: VisualLayer,
            fps: Fraction) -> list[tuple[Fraction, Fraction, list[CaptionPage]]]:
    """Consecutive pages in groups of about CHUNK_FILTERS filters, each with the span of
    output frames it draws on: [first frame time, next group's first frame time), in
    composition seconds. A frame passes through the filters of its own group only."""
    groups: list[tuple[Fraction, list[CaptionPage]]] = []
    start, end = Fraction(layer.start), Fraction(layer.end)
    filters = 0
    for page in pages:
        cost = 1 + len(page.layout.lines) + len(page.highlights)
        begin = _grid_ceil(Fraction(layer.start + page.start), fps)
        if groups and filters + cost > CHUNK_FILTERS and groups[-1][0] < begin < end:
            groups.append((begin, []))
            filters = 0
        if not groups:
            groups.append((start, []))
        groups[-1][1].append(page)
        filters += cost
    bounds = [begin for begin, _ in groups] + [end]
    return [(bounds[n], bounds[n + 1], group) for n, (_, group) in enumerate(groups)]


def _grid_ceil(value: Fraction, fps: Fraction) -> Fraction:
    return Fraction(math.ceil(value * fps - Fraction(1, 10**6))) / fps


def caption_frames(layer: VisualLayer, fps: Fraction, t0: float, t1: float) -> Any:
    """The captions box, repeated on the output grid, each page drawn in its window.

    Many pages are drawn in groups over consecutive spans of frames (`_chunks`), then
    interleaved back into one stream by time: drawtext filters a frame does not pass
    through cost it nothing, where hundreds of disabled ones on one chain cost each frame
    a few microseconds apiece (300 cues over 300 s rendered 5 times slower that way).
    """
    from services.render.layers import salted, still_frames

    assert layer.text is not None and layer.captions is not None
    style, p = layer.text, layer.placement
    slice_start, slice_end = t0 - layer.start, t1 - layer.start
    pages = [page for page in layer.captions.pages
             if page.end > slice_start and page.start < slice_end]  # the slice's pages
    parts = []
    for number, (begin, end, group) in enumerate(_chunks(pages, layer, fps)):
        if end <= t0 or begin >= t1:
            continue
        box = ffmpeg.input(f"color=c=black@0:s={p.width}x{p.height}:r={fps},format=rgba",
                           f="lavfi", t=f"{float(1 / fps):.6f}").video
        span = replace(layer, start=float(begin), end=float(end))
        stream = still_frames(salted(box, f"captions{layer.index}.{number}"), span, fps,
                              t0, t1)
        if begin != layer.start:  # back to the element's own time
            stream = stream.filter("setpts", f"PTS+{float(begin) - layer.start:.6f}/TB")
        for page in group:
            stream = _draw_page(stream, page, layer, style, layer.captions.highlight_color)
        parts.append(stream)
    if not parts:  # no page in the slice: the empty box
        box = ffmpeg.input(f"color=c=black@0:s={p.width}x{p.height}:r={fps},format=rgba",
                           f="lavfi", t=f"{float(1 / fps):.6f}").video
        parts.append(still_frames(box, layer, fps, t0, t1))
    merged = parts[0] if len(parts) == 1 else ffmpeg.filter(parts, "interleave",
                                                               nb_inputs=len(parts))
    return merged.filter("format", "yuva420p")
