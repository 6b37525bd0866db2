"""Text and captions elements as layers: the font, the wrapped layout (or the automatic
size that fills the box), the box and the style the compiler draws with drawtext."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

from shared.composition.animation import first_position, reference_length
from shared.composition.captions import CaptionTrack, caption_pages
from shared.composition.errors import Problem, SpecError
from shared.composition.geometry import Placement
from shared.composition.plan_model import (
    MAX_FONT_PIXELS,
    Canvas,
    LayerKind,
    TextStyle,
    VisualLayer,
    drawn_layer,
    element_path,
)
from shared.composition.spec import CaptionsElement, Job, TextElement
from shared.composition.text import (
    FONT_SUFFIXES,
    FontNotFound,
    TextLayout,
    find_font,
    fit_text,
    layout_text,
)
from shared.composition.values import AUTO, LengthValue

__all__ = ["captions_layer", "text_layer"]


def _font_file(index: int, element: TextElement | CaptionsElement,
               fonts: Mapping[str, Path]) -> Path:
    """The font file a text or captions element draws with."""
    try:
        if element.font.lower().endswith(FONT_SUFFIXES):
            if element.font not in fonts:
                raise FontNotFound(f"font file {element.font!r} was not found")
            font_file = fonts[element.font]
        else:
            font_file = find_font(element.font, element.font_weight)
    except FontNotFound as exc:
        raise SpecError([Problem(element_path(index, "font"), str(exc))]) from None
    return font_file


def _wrap_width(index: int, element: TextElement | CaptionsElement,
                box_w: float | None) -> float | None:
    pad = element.padding
    wrap_width = box_w - 2 * pad if box_w is not None and element.wrap else None
    if wrap_width is not None and wrap_width < 1:
        if pad == 0:
            raise SpecError([Problem(element_path(index, "width"),
                                     "the text box is narrower than a pixel")])
        raise SpecError([Problem(element_path(index, "padding"),
                                 "padding leaves no room for text")])
    return wrap_width


def _style(element: TextElement | CaptionsElement, layout: TextLayout) -> TextStyle:
    return TextStyle(
        layout=layout,
        color=element.color.ffmpeg,
        stroke_color=element.stroke_color.ffmpeg if element.stroke_color else None,
        stroke_width=element.stroke_width,
        background=element.background.ffmpeg if element.background else "black@0",
        padding=element.padding,
        align=element.align,
        vertical_align=element.vertical_align,
    )


def text_layer(
    job: Job,
    index: int,
    element: TextElement,
    end: float,
    canvas: Canvas,
    fonts: Mapping[str, Path],
) -> VisualLayer:
    font_file = _font_file(index, element, fonts)
    pad = element.padding
    ref_w = reference_length(element.width, canvas.width)
    ref_h = reference_length(element.height, canvas.height)
    box_w = ref_w.resolve(canvas.width) if ref_w else None
    wrap_width = _wrap_width(index, element, box_w)
    try:
        if element.font_size == AUTO:
            box_h = ref_h.resolve(canvas.height) if ref_h else 0.0
            if box_h - 2 * pad < 1:
                raise SpecError([Problem(element_path(index, "padding"), "padding leaves no room "
                                         "for text") if pad else Problem(
                    element_path(index, "height"), "the text box is lower than a pixel")])
            layout = fit_text(element.text, font_file=font_file,
                              box=(box_w - 2 * pad if box_w else 0.0, box_h - 2 * pad),
                              sizes=_size_range(index, element, canvas.height),
                              line_spacing=element.line_spacing, wrap=element.wrap)
        else:
            layout = layout_text(element.text, font_file=font_file,
                                 font_size=_pixels(index, "font_size", element.font_size,
                                                   canvas.height),
                                 line_spacing=element.line_spacing, max_width=wrap_width)
    except FontNotFound as exc:  # a file named like a font that is not one
        raise SpecError([Problem(element_path(index, "font"), str(exc))]) from None
    width = max(1, math.ceil(box_w if box_w is not None else layout.block_width + 2 * pad))
    height = max(1, math.ceil(
        ref_h.resolve(canvas.height) if ref_h else layout.block_height + 2 * pad
    ))
    return _layer(job, index, element, end, canvas, (width, height), "text",
                  text=_style(element, layout))


def _layer(job: Job, index: int, element: TextElement | CaptionsElement, end: float,
           canvas: Canvas, size: tuple[int, int], kind: LayerKind, *,
           text: TextStyle, captions: CaptionTrack | None = None) -> VisualLayer:
    width, height = size
    x = round(first_position(element.x).resolve(canvas.width, width))
    y = round(first_position(element.y).resolve(canvas.height, height))
    placement = Placement(x, y, width, height, width, height)
    return drawn_layer(job, index, element, end, canvas, placement, kind, text=text,
                  captions=captions)


def captions_layer(job: Job, index: int, element: CaptionsElement, end: float,
                    canvas: Canvas, fonts: Mapping[str, Path]) -> VisualLayer:
    """The box is `width` (default 90% of the canvas) by `height` (default: max_lines
    lines); each cue's pages are laid out to it (shared.composition.captions)."""
    font_file = _font_file(index, element, fonts)
    font_size = _pixels(index, "font_size", element.font_size, canvas.height)
    pad = element.padding
    ref_w = reference_length(element.width, canvas.width)
    ref_h = reference_length(element.height, canvas.height)
    box_w = ref_w.resolve(canvas.width) if ref_w else canvas.width * 0.9
    try:
        sample = layout_text("\n".join(["Ag"] * element.max_lines), font_file=font_file,
                             font_size=font_size, line_spacing=element.line_spacing,
                             max_width=None)
        pages = caption_pages(element.cues or [], font_file=font_file, font_size=font_size,
                              line_spacing=element.line_spacing, max_lines=element.max_lines,
                              max_width=_wrap_width(index, element, box_w))
    except FontNotFound as exc:
        raise SpecError([Problem(element_path(index, "font"), str(exc))]) from None
    width = max(1, math.ceil(box_w))
    height = max(1, math.ceil(ref_h.resolve(canvas.height) if ref_h
                              else sample.block_height + 2 * pad))
    highlight = element.highlight_color.ffmpeg if element.highlight_color else None
    return _layer(job, index, element, end, canvas, (width, height), "captions",
                  text=_style(element, sample), captions=CaptionTrack(pages, highlight))


def _pixels(index: int, name: str, size: LengthValue, canvas_height: int) -> int:
    pixels = max(1, round(size.resolve(canvas_height)))
    if pixels > MAX_FONT_PIXELS:
        raise SpecError([Problem(element_path(index, name), f"at most {MAX_FONT_PIXELS} pixels "
                                                     f"on this canvas, got {pixels}")])
    return pixels


def _size_range(index: int, element: TextElement, canvas_height: int) -> tuple[int, int]:
    """The sizes an automatic font size may take, in pixels on this canvas."""
    low = high = None
    if element.min_font_size is not None:
        low = _pixels(index, "min_font_size", element.min_font_size, canvas_height)
    if element.max_font_size is not None:
        high = max(1, round(element.max_font_size.resolve(canvas_height)))
    if low is not None and high is not None and low > high:
        raise SpecError([Problem(element_path(index, "min_font_size"),
                                 f"min_font_size ({element.min_font_size} = {low} px) is larger "
                                 f"than max_font_size ({element.max_font_size} = {high} px)")])
    return low or 1, min(high or MAX_FONT_PIXELS, MAX_FONT_PIXELS)
