"""Normalisation: a validated Job plus probed media → a Plan in absolute pixels and seconds.

This is the only place where percentages, keywords, natural lengths, default durations and
stacking order are turned into numbers. The compiler reads a Plan and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from shared.composition.animation import (
    first_position,
    number_track,
    reference_length,
)
from shared.composition.budget import PixelLimits, plan_problems, source_problems
from shared.composition.captions import (
    SubtitleCue,
    natural_length,
    subtitle_cues,
)
from shared.composition.errors import Problem, SpecError
from shared.composition.geometry import place
from shared.composition.looks import crop_problems, layer_looks, speed_of
from shared.composition.plan_model import (
    DEFAULT_DURATION,
    MAX_FONT_PIXELS,
    AudioTrack,
    Canvas,
    LayerKind,
    Plan,
    TextStyle,
    VisualLayer,
    drawn_layer,
    element_path,
)
from shared.composition.sequence import probed_problems
from shared.composition.shapes import decor_for, shape_style
from shared.composition.sound import duck_windows
from shared.composition.spec import (
    AudioElement,
    CaptionsElement,
    ImageElement,
    Job,
    OverlayElement,
    PastEnd,
    ShapeElement,
    TextElement,
    VideoElement,
)
from shared.composition.text_layers import captions_layer, text_layer
from shared.composition.transitions import apply_transitions
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
        return [] if element.cues else [Problem(element_path(index, "source"),
                                                "the subtitle file was not read")]
    if media is None:
        return [Problem(element_path(index, "source"),
                        "source was not found or could not be read")]
    problems = []
    if isinstance(element, AudioElement) and not media.has_audio:
        problems.append(Problem(element_path(index, "source"), "has no audio stream"))
    if isinstance(element, VideoElement | ImageElement | OverlayElement) and not media.has_video:
        problems.append(Problem(element_path(index, "source"),
                                "has no picture (video or image) stream"))
    trim = getattr(element, "trim_start", 0.0)
    if trim and media.duration is not None and trim >= media.duration:
        problems.append(
            Problem(element_path(index, "trim_start"),
                    f"{trim:g} s is past the end of the source ({media.duration:.3f} s)")
        )
    crop = getattr(element, "crop", None)
    if crop is not None and media.width and media.height:
        problems += [Problem(element_path(index, f"crop.{field}"), message)
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
        return _graded(text_layer(job, index, element, end, canvas, fonts), element, luts)
    if isinstance(element, CaptionsElement):
        if not element.burn:
            return None
        return _graded(captions_layer(job, index, element, end, canvas, fonts), element, luts)
    if isinstance(element, ShapeElement):
        return _graded(_shape_layer(job, index, element, end, canvas), element, luts)
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
    kind: LayerKind = "video" if is_video else "image"
    return drawn_layer(job, index, element, end, canvas, placement, kind, source=media.path,
                       media=media, trim_start=trim, past_end=past_end, looks=looks)


def _graded(layer: VisualLayer, element: object, luts: Mapping[str, Path]) -> VisualLayer:
    """A text, captions or shape layer with its filters and LUT (its only looks)."""
    p = layer.placement
    looks = layer_looks(element, (p.width, p.height), luts)
    return layer if looks is None else replace(layer, looks=looks)


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
    return drawn_layer(job, index, element, end, canvas, placement, "image",
                       shape=shape_style(element, placement.width, placement.height, 0.0))


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
