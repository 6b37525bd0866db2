"""Normalisation: a validated Job plus probed media → a Plan in absolute pixels and seconds.

This is the only place where percentages, keywords, natural lengths, default durations and
stacking order are turned into numbers. The compiler reads a Plan and nothing else.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from shared.composition.animation import (
    LayerMotion,
    constant_opacity,
    first_position,
    layer_motion,
    number_track,
    reference_length,
    uses_motion,
)
from shared.composition.budget import PixelLimits, plan_problems, source_problems
from shared.composition.captions import (
    CaptionTrack,
    SubtitleCue,
    caption_pages,
    natural_length,
    subtitle_cues,
)
from shared.composition.errors import Problem, SpecError
from shared.composition.geometry import Placement, place
from shared.composition.keyframes import Track
from shared.composition.looks import LayerLooks, crop_problems, layer_looks, speed_of
from shared.composition.sequence import probed_problems
from shared.composition.shapes import Decor, ShapeStyle, decor_for, shape_style
from shared.composition.sound import DuckPlan, duck_windows
from shared.composition.spec import (
    AudioElement,
    CaptionsElement,
    ImageElement,
    Job,
    Output,
    OverlayElement,
    PastEnd,
    ShapeElement,
    TextElement,
    VideoElement,
)
from shared.composition.text import (
    FONT_SUFFIXES,
    FontNotFound,
    TextLayout,
    find_font,
    fit_text,
    layout_text,
)
from shared.composition.transitions import apply_transitions
from shared.composition.values import AUTO, LengthValue
from shared.media.probe import MediaInfo

__all__ = [
    "DEFAULT_DURATION",
    "MAX_FONT_PIXELS",
    "AudioTrack",
    "Canvas",
    "Plan",
    "TextStyle",
    "VisualLayer",
    "build_plan",
]

DEFAULT_DURATION = 10.0
# a text's font size in pixels: the tallest canvas; FreeType refuses sizes not far above
MAX_FONT_PIXELS = 4320
LayerKind = Literal["video", "image", "text", "captions"]


@dataclass(frozen=True)
class Canvas:
    width: int
    height: int
    fps: Fraction
    duration: float
    output: Output


@dataclass(frozen=True)
class TextStyle:
    layout: TextLayout
    color: str
    stroke_color: str | None
    stroke_width: float
    background: str
    padding: float
    align: str
    vertical_align: str


@dataclass(frozen=True)
class VisualLayer:
    """One thing drawn on the canvas during [start, end), in composition seconds."""

    index: int
    element_id: str
    kind: LayerKind
    start: float
    end: float
    placement: Placement
    opacity: float
    fade_in: float
    fade_out: float
    source: Path | None = None
    media: MediaInfo | None = None
    trim_start: float = 0.0
    past_end: PastEnd = "freeze"
    text: TextStyle | None = None  # text and captions (captions: its layout is unused)
    captions: CaptionTrack | None = None
    motion: LayerMotion | None = None  # None: a v1 element, drawn exactly as v1 draws it
    shape: ShapeStyle | None = None  # an image layer whose picture the render rasterises
    decor: Decor | None = None  # rounded corners, border, shadow, blend mode
    looks: LayerLooks | None = None  # None: no crop, speed 1, no key, filters or LUT

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def source_left(self) -> float | None:
        """Element seconds the source after trim_start lasts (at the element's speed)."""
        if self.kind != "video" or self.media is None or self.media.duration is None:
            return None
        return max(0.0, self.media.duration - self.trim_start) / self.speed

    @property
    def speed(self) -> float:
        return self.looks.speed if self.looks is not None else 1.0


@dataclass(frozen=True)
class AudioTrack:
    index: int
    element_id: str
    source: Path
    start: float
    end: float
    trim_start: float
    volume: Track  # a gain over element-local seconds (constant for most elements)
    fade_in: float
    fade_out: float
    loop: bool
    source_left: float  # element seconds, at `speed`
    speed: float = 1.0  # source seconds per element second; the pitch is kept
    duck: DuckPlan | None = None  # lowered while other elements sound


@dataclass(frozen=True)
class Plan:
    canvas: Canvas
    layers: tuple[VisualLayer, ...]  # bottom to top
    audio: tuple[AudioTrack, ...]
    subtitles: tuple[SubtitleCue, ...] = ()  # the soft subtitle stream's cues


def _path(index: int, field: str) -> str:
    return f"elements[{index}].{field}"


def _natural_length(element: object, media: MediaInfo | None) -> float | None:
    """Seconds the element lasts when the user fixed neither duration nor end."""
    if isinstance(element, CaptionsElement):
        return natural_length(element)
    if media is None or media.duration is None or media.is_image:
        return None
    trim = getattr(element, "trim_start", 0.0)
    if isinstance(element, AudioElement) and element.loop:
        return None
    if isinstance(element, VideoElement | OverlayElement) and element.past_end == "loop":
        return None
    return max(0.0, media.duration - trim) / speed_of(element)


def _check_media(index: int, element: object, media: MediaInfo | None) -> list[Problem]:
    if isinstance(element, TextElement | ShapeElement):
        return []
    if isinstance(element, CaptionsElement):
        return [] if element.cues else [Problem(_path(index, "source"),
                                                "the subtitle file was not read")]
    if media is None:
        return [Problem(_path(index, "source"), "source was not found or could not be read")]
    problems = []
    if isinstance(element, AudioElement) and not media.has_audio:
        problems.append(Problem(_path(index, "source"), "has no audio stream"))
    if isinstance(element, VideoElement | ImageElement | OverlayElement) and not media.has_video:
        problems.append(Problem(_path(index, "source"), "has no picture (video or image) stream"))
    trim = getattr(element, "trim_start", 0.0)
    if trim and media.duration is not None and trim >= media.duration:
        problems.append(
            Problem(_path(index, "trim_start"),
                    f"{trim:g} s is past the end of the source ({media.duration:.3f} s)")
        )
    crop = getattr(element, "crop", None)
    if crop is not None and media.width and media.height:
        problems += [Problem(_path(index, f"crop.{field}"), message)
                     for field, message in crop_problems(crop, (media.width, media.height))]
    return problems


def build_plan(
    job: Job,
    media: Mapping[str, MediaInfo],
    fonts: Mapping[str, Path] | None = None,
    limits: PixelLimits | None = None,
    luts: Mapping[str, Path] | None = None,
) -> Plan:
    """Resolve every element; SpecError lists every problem (missing media, bad trims, fonts,
    elements past the decoded-pixel bounds). `luts`: each `lut` source's checked .cube file."""
    fonts = fonts or {}
    luts = luts or {}
    limits = limits or PixelLimits()
    problems: list[Problem] = []
    for index, element in enumerate(job.elements):
        source_media = media.get(getattr(element, "source", ""))
        problems += _check_media(index, element, source_media)
        if source_media is not None and not isinstance(element, AudioElement):
            problems += source_problems(index, source_media, limits)
    if problems:
        raise SpecError(problems)

    ends: list[float | None] = []
    for element in job.elements:
        fixed = element.fixed_length
        natural = _natural_length(element, media.get(getattr(element, "source", "")))
        length = fixed if fixed is not None else natural
        ends.append(None if length is None else element.start + length)
    problems += [Problem(path, message) for path, message in probed_problems(job.elements, ends)]
    if problems:
        raise SpecError(problems)
    known_ends = [end for end in ends if end is not None]
    duration = job.output.duration or (max(known_ends) if known_ends else DEFAULT_DURATION)
    canvas = Canvas(
        width=job.output.width,
        height=job.output.height,
        fps=Fraction(job.output.fps).limit_denominator(1001),
        duration=duration,
        output=job.output,
    )

    layers: list[tuple[tuple[int, int, int, int], VisualLayer]] = []
    audio: list[AudioTrack] = []
    for index, element in enumerate(job.elements):
        if element.start >= duration:
            continue
        own_end = ends[index]
        end = min(own_end if own_end is not None else duration, duration)
        source_media = media.get(getattr(element, "source", ""))
        try:
            layer = _visual_layer(job, index, element, end, source_media, canvas, fonts, luts)
            layer = layer and _with_decor(layer, element)
        except SpecError as exc:
            problems += exc.problems
            continue
        if layer is not None:
            on_top = 1 if isinstance(element, OverlayElement) else 0
            layers.append(((on_top, element.track, index, 0), layer))
        track = _audio_track(job, index, element, end, source_media)
        if track is not None:
            audio.append(track)
    problems += plan_problems(job.elements, [layer for _, layer in layers], limits)
    if problems:
        raise SpecError(problems)
    keyed, audio = apply_transitions(job, layers, audio, canvas=(canvas.width, canvas.height))
    audio = _with_ducks(job, audio)
    ordered = tuple(layer for _, layer in sorted(keyed, key=lambda pair: pair[0]))
    return Plan(canvas=canvas, layers=ordered, audio=tuple(audio),
                subtitles=_soft_subtitles(job, ends, duration))


def _soft_subtitles(job: Job, ends: list[float | None],
                    duration: float) -> tuple[SubtitleCue, ...]:
    """Every captions element's cues on the timeline, for output.subtitles 'soft'."""
    if job.output.subtitles != "soft":
        return ()
    cues = [cue for element, end in zip(job.elements, ends, strict=True)
            if isinstance(element, CaptionsElement)
            for cue in subtitle_cues(element, element.start, min(end or duration, duration))]
    return tuple(sorted(cues, key=lambda cue: cue.start))


def _motion(element: object, placement: Placement, canvas: Canvas,
            end: float) -> LayerMotion | None:
    """The layer's motion over the element's own length (percentages and exits keep their
    times when the output's duration cuts the element short)."""
    if not uses_motion(element):
        return None
    length = getattr(element, "fixed_length", None) or end - getattr(element, "start", 0.0)
    return layer_motion(element, placement, (canvas.width, canvas.height), length)


def _visual_layer(
    job: Job,
    index: int,
    element: object,
    end: float,
    media: MediaInfo | None,
    canvas: Canvas,
    fonts: Mapping[str, Path],
    luts: Mapping[str, Path],
) -> VisualLayer | None:
    if isinstance(element, AudioElement):
        return None
    if isinstance(element, TextElement):
        return _text_layer(job, index, element, end, canvas, fonts)
    if isinstance(element, CaptionsElement):
        return _captions_layer(job, index, element, end, canvas, fonts) if element.burn else None
    if isinstance(element, ShapeElement):
        return _shape_layer(job, index, element, end, canvas)
    assert isinstance(element, VideoElement | ImageElement | OverlayElement)
    assert media is not None and media.width and media.height
    is_video = not media.is_image
    trim = 0.0 if isinstance(element, ImageElement) else element.trim_start
    past_end: PastEnd = "freeze" if isinstance(element, ImageElement) else element.past_end
    looks = layer_looks(element, (media.width, media.height), luts)
    speed = looks.speed if looks is not None else 1.0
    if is_video and past_end == "cut" and media.duration is not None:
        end = min(end, element.start + max(0.0, media.duration - trim) / speed)
    crop = looks.crop if looks is not None else None
    placement = place(
        source_size=(crop.width, crop.height) if crop else (media.width, media.height),
        canvas=(canvas.width, canvas.height),
        width=reference_length(element.width, canvas.width),
        height=reference_length(element.height, canvas.height),
        x=first_position(element.x),
        y=first_position(element.y),
        fit=element.fit,
    )
    return _drawn(job, index, element, end, canvas, placement, "video" if is_video else "image",
                  source=media.path, media=media, trim_start=trim, past_end=past_end,
                  looks=looks)


def _drawn(job: Job, index: int, element: Any, end: float, canvas: Canvas,
           placement: Placement, kind: LayerKind, **own: Any) -> VisualLayer:
    """A drawn element's layer: what every kind shares (timing, opacity, fades, motion),
    and what is its own (`own`: a source, a text style, a shape)."""
    return VisualLayer(
        index=index,
        element_id=job.element_id(index),
        kind=kind,
        start=element.start,
        end=end,
        placement=placement,
        opacity=constant_opacity(element),
        fade_in=element.fade_in,
        fade_out=element.fade_out,
        motion=_motion(element, placement, canvas, end),
        **own,
    )


def _with_decor(layer: VisualLayer, element: object) -> VisualLayer:
    p = layer.placement
    decor = decor_for(layer.index, element, p.width, p.height)
    if decor is None:
        return layer
    if layer.shape is not None:  # the rectangle itself is drawn with the rounded corners
        layer = replace(layer, shape=replace(layer.shape, radius=decor.radius))
    return replace(layer, decor=decor)


def _shape_layer(job: Job, index: int, element: ShapeElement, end: float,
                 canvas: Canvas) -> VisualLayer:
    """An image layer of the shape's box: a missing side equals the other (a square, a
    circle), both missing fill the canvas."""
    placement = place(
        source_size=(1, 1),
        canvas=(canvas.width, canvas.height),
        width=reference_length(element.width, canvas.width),
        height=reference_length(element.height, canvas.height),
        x=first_position(element.x),
        y=first_position(element.y),
        fit="fill",
    )
    return _drawn(job, index, element, end, canvas, placement, "image",
                  shape=shape_style(element, placement.width, placement.height, 0.0))


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
        raise SpecError([Problem(_path(index, "font"), str(exc))]) from None
    return font_file


def _wrap_width(index: int, element: TextElement | CaptionsElement,
                box_w: float | None) -> float | None:
    pad = element.padding
    wrap_width = box_w - 2 * pad if box_w is not None and element.wrap else None
    if wrap_width is not None and wrap_width < 1:
        if pad == 0:
            raise SpecError([Problem(_path(index, "width"), "the text box is narrower than a "
                                                            "pixel")])
        raise SpecError([Problem(_path(index, "padding"), "padding leaves no room for text")])
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


def _text_layer(
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
                raise SpecError([Problem(_path(index, "padding"), "padding leaves no room "
                                         "for text") if pad else Problem(
                    _path(index, "height"), "the text box is lower than a pixel")])
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
        raise SpecError([Problem(_path(index, "font"), str(exc))]) from None
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
    return _drawn(job, index, element, end, canvas, placement, kind, text=text,
                  captions=captions)


def _captions_layer(job: Job, index: int, element: CaptionsElement, end: float,
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
        raise SpecError([Problem(_path(index, "font"), str(exc))]) from None
    width = max(1, math.ceil(box_w))
    height = max(1, math.ceil(ref_h.resolve(canvas.height) if ref_h
                              else sample.block_height + 2 * pad))
    highlight = element.highlight_color.ffmpeg if element.highlight_color else None
    return _layer(job, index, element, end, canvas, (width, height), "captions",
                  text=_style(element, sample), captions=CaptionTrack(pages, highlight))


def _pixels(index: int, name: str, size: LengthValue, canvas_height: int) -> int:
    pixels = max(1, round(size.resolve(canvas_height)))
    if pixels > MAX_FONT_PIXELS:
        raise SpecError([Problem(_path(index, name), f"at most {MAX_FONT_PIXELS} pixels "
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
        raise SpecError([Problem(_path(index, "min_font_size"),
                                 f"min_font_size ({element.min_font_size} = {low} px) is larger "
                                 f"than max_font_size ({element.max_font_size} = {high} px)")])
    return low or 1, min(high or MAX_FONT_PIXELS, MAX_FONT_PIXELS)


def _audio_track(
    job: Job, index: int, element: object, end: float, media: MediaInfo | None
) -> AudioTrack | None:
    if media is None or not media.has_audio or media.duration is None:
        return None
    if isinstance(element, AudioElement):
        volume, loop = element.volume, element.loop
    elif isinstance(element, VideoElement) and not element.muted:
        volume, loop = element.volume, element.past_end == "loop"
    else:
        return None
    volume_track = number_track(volume, end - element.start, 1.0)
    if volume_track.is_constant and volume_track.first == 0:
        return None
    trim = element.trim_start
    speed = speed_of(element)
    return AudioTrack(
        index=index,
        element_id=job.element_id(index),
        source=media.path,
        start=element.start,
        end=end,
        trim_start=trim,
        volume=volume_track,
        fade_in=element.fade_in,
        fade_out=element.fade_out,
        loop=loop,
        source_left=max(0.0, media.duration - trim) / speed,
        speed=speed,
    )


def _with_ducks(job: Job, audio: list[AudioTrack]) -> list[AudioTrack]:
    """Each ducked track with the windows its named elements sound in (a sound that is
    not looped stops at its source's end, before the element's)."""
    sounding = [(track.element_id, track.start,
                 track.end if track.loop else min(track.end, track.start + track.source_left))
                for track in audio]
    ducked = []
    for track in audio:
        duck = getattr(job.elements[track.index], "duck", None)
        plan = duck and duck_windows(duck, track.start, sounding)
        ducked.append(replace(track, duck=plan) if plan else track)
    return ducked
