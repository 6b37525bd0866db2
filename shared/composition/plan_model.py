"""What a Plan is made of: the canvas, the layers drawn on it and the sounds mixed under it,
in absolute pixels and seconds (built by shared.composition.plan, read by the compiler).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from shared.composition.animation import LayerMotion, constant_opacity, layer_motion, uses_motion
from shared.composition.captions import CaptionTrack, SubtitleCue
from shared.composition.geometry import Placement
from shared.composition.keyframes import Track
from shared.composition.looks import LayerLooks
from shared.composition.shapes import Decor, ShapeStyle
from shared.composition.sound import DuckPlan
from shared.composition.spec import Job, Output, PastEnd
from shared.composition.text import TextLayout
from shared.media.probe import MediaInfo

__all__ = [
    "DEFAULT_DURATION",
    "MAX_FONT_PIXELS",
    "AudioTrack",
    "Canvas",
    "LayerKind",
    "Plan",
    "TextStyle",
    "VisualLayer",
    "drawn_layer",
    "element_motion",
    "element_path",
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


def element_path(index: int, field: str) -> str:
    return f"elements[{index}].{field}"


def element_motion(element: object, placement: Placement, canvas: Canvas,
            end: float) -> LayerMotion | None:
    """The layer's motion over the element's own length (percentages and exits keep their
    times when the output's duration cuts the element short)."""
    if not uses_motion(element):
        return None
    length = getattr(element, "fixed_length", None) or end - getattr(element, "start", 0.0)
    return layer_motion(element, placement, (canvas.width, canvas.height), length)


def drawn_layer(job: Job, index: int, element: Any, end: float, canvas: Canvas,
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
        motion=element_motion(element, placement, canvas, end),
        **own,
    )
