"""The composition spec: what a user sends. Pydantic v2 models, strict about unknown fields.

Cross-field rules (duration vs end, fades vs duration, unique ids, even sizes) live in
`model_validator`s that raise `field_problem(...)`, so every error still names the exact
field; `shared.composition.errors` turns them into JSON paths.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    model_serializer,
    model_validator,
)

from shared.composition.animated import (
    AnimatedLength,
    AnimatedOpacity,
    AnimatedPosition,
    AnimatedRotation,
    AnimatedScale,
    AnimatedVolume,
)
from shared.composition.cues import MAX_CUES, Cue, late_cue_warnings
from shared.composition.delivery import (
    MAX_RENDITIONS,
    MAX_STILLS,
    Rendition,
    Still,
    Thumbnails,
    delivery_problems,
    rendition_problems,
)
from shared.composition.errors import Problem, problems_from_validation
from shared.composition.keyframes import field_problem
from shared.composition.looks import ColourLooks, Looks
from shared.composition.motion import Entrance, MotionPreset, Transition
from shared.composition.rules import (
    duplicate_id_problems,
    font_size_problems,
    late_start_warnings,
    size_problems,
    timing_problems,
)
from shared.composition.sequence import motion_problems, transition_problems, volume_problems
from shared.composition.shapes import (
    MAX_POINTS,
    BlendMode,
    Border,
    BoxLength,
    Point,
    Shadow,
    ShapeKind,
    looks_problems,
    shape_problems,
)
from shared.composition.sound import Duck, Loudness, duck_problems
from shared.composition.values import (
    AUTO,
    Color,
    ColorValue,
    FontSize,
    Length,
    LengthValue,
    PositionValue,
)

__all__ = [
    "AudioElement",
    "CaptionsElement",
    "Element",
    "Fit",
    "ImageElement",
    "Job",
    "Output",
    "OverlayElement",
    "Poster",
    "Quality",
    "ShapeElement",
    "TextElement",
    "VideoElement",
    "field_problem",
]

Fit = Literal["auto", "contain", "cover", "fill", "stretch"]
OutputFormat = Literal["mp4", "mov", "webm", "avi", "gif"]
Preset = Literal[
    "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"
]
PastEnd = Literal["freeze", "loop", "cut"]
SUBTITLE_FORMATS = ("mp4", "mov", "webm")

MAX_WIDTH = 7680
MAX_HEIGHT = 4320
MAX_FPS = 120
MAX_ELEMENTS = 100
MAX_TEXT_LENGTH = 5000

Seconds = Annotated[float, Field(ge=0, allow_inf_nan=False)]
# at least a millisecond: jobs are stored to the millisecond, and 0.0004 s would round to 0
PositiveSeconds = Annotated[float, Field(ge=0.001, allow_inf_nan=False)]
Source = Annotated[str, Field(min_length=1, max_length=4096)]


class _Strict(BaseModel):
    # defer_build: a model's validator is built when it is first used, not at import. A job
    # builds Job's alone (the elements' schemas inside it), instead of one validator per
    # model class at every start of the CLI.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class Quality(_Strict):
    """Encoder quality. `crf` uses each codec's own scale; unset means a sensible default."""

    crf: int | None = Field(None, ge=0, le=63)
    preset: Preset = "veryfast"


class Poster(_Strict):
    """A JPEG still written next to the video, taken at `time` seconds."""

    time: Seconds = 0.0


class Output(_Strict):
    format: OutputFormat = "mp4"
    width: int = Field(1280, ge=2, le=MAX_WIDTH)
    height: int = Field(720, ge=2, le=MAX_HEIGHT)
    fps: float = Field(30, ge=0.001, le=MAX_FPS, allow_inf_nan=False)  # stored to 0.001
    duration: PositiveSeconds | None = None
    background: Color = Field(default_factory=lambda: ColorValue(0, 0, 0))
    quality: Quality = Field(default_factory=Quality)
    poster: Poster | None = None
    subtitles: Literal["soft"] | None = None
    loudness: Loudness | None = None

    @model_validator(mode="after")
    def _even_sizes_for_yuv420p(self) -> Output:
        problems = size_problems(self.format, self.width, self.height)
        if self.subtitles == "soft" and self.format not in SUBTITLE_FORMATS:
            problems.append(("subtitles", f"{self.format} cannot hold a subtitle stream; "
                                          "use mp4, mov or webm"))
        if self.poster and self.duration is not None and self.poster.time >= self.duration:
            problems.append((
                "poster.time",
                f"poster.time ({self.poster.time:g}) must be before the end of the video "
                f"({self.duration:g} s)",
            ))
        if problems:
            raise field_problem(problems)
        return self


class _Timed(_Strict):
    """Fields every element has: identity, stacking and timing."""

    id: str | None = Field(None, min_length=1, max_length=128)
    track: int = Field(0, ge=-1000, le=1000)
    start: Seconds = 0.0
    duration: PositiveSeconds | None = None
    end: PositiveSeconds | None = None
    fade_in: Seconds = 0.0
    fade_out: Seconds = 0.0

    @model_validator(mode="after")
    def _timing_is_consistent(self) -> Any:
        problems = timing_problems(
            self.start, self.duration, self.end, self.fade_in, self.fade_out
        )
        problems.extend(self._extra_problems())
        if problems:
            raise field_problem(problems)
        return self

    @property
    def fixed_length(self) -> float | None:
        """The length the user fixed with duration or end; None when it comes from the media."""
        if self.duration is not None:
            return self.duration
        if self.end is not None and self.end > self.start:
            return self.end - self.start
        return None

    def _extra_problems(self) -> list[tuple[str, str]]:
        return []


class _Visual(_Timed):
    """Fields of everything drawn on the canvas; the v2 ones may be animated."""

    x: AnimatedPosition = PositionValue(50.0, "%")
    y: AnimatedPosition = PositionValue(50.0, "%")
    width: AnimatedLength | None = None
    height: AnimatedLength | None = None
    fit: Fit = "auto"
    opacity: AnimatedOpacity = 1.0
    rotation: AnimatedRotation | None = None  # None: 0 degrees, the v1 picture
    scale: AnimatedScale | None = None  # None: 1
    flip: Literal["horizontal", "vertical", "both"] | None = None
    enter: Entrance | None = None
    exit: Entrance | None = None
    transition: Transition | None = None
    motion: MotionPreset | None = None
    border_radius: BoxLength | None = None  # px, or % of the shorter side
    border: Border | None = None
    shadow: Shadow | None = None
    blend_mode: BlendMode | None = None  # None: normal

    def _extra_problems(self) -> list[tuple[str, str]]:
        return motion_problems(self, self.fixed_length) + looks_problems(self)


class VideoElement(_Visual, Looks):
    type: Literal["video"]
    source: Source
    trim_start: Seconds = 0.0
    volume: AnimatedVolume = 1.0
    duck: Duck | None = None
    muted: bool = False
    past_end: PastEnd = "freeze"


class ImageElement(_Visual, Looks):
    type: Literal["image"]
    source: Source


class OverlayElement(_Visual, Looks):
    """An image or video (usually with alpha) drawn above every track element."""

    type: Literal["overlay"]
    source: Source
    trim_start: Seconds = 0.0
    past_end: PastEnd = "loop"


class AudioElement(_Timed):
    type: Literal["audio"]
    source: Source
    trim_start: Seconds = 0.0
    volume: AnimatedVolume = 1.0
    duck: Duck | None = None
    loop: bool = False

    def _extra_problems(self) -> list[tuple[str, str]]:
        return volume_problems(self, self.fixed_length)


class _Styled(_Visual, ColourLooks):
    """How text looks: shared by text and captions."""

    font: str = Field("DejaVu Sans", min_length=1, max_length=4096)
    font_weight: Literal["normal", "bold"] = "normal"
    font_size: FontSize = LengthValue(6.0, "%")
    color: Color = Field(default_factory=lambda: ColorValue(255, 255, 255))
    stroke_color: Color | None = None
    stroke_width: float = Field(0, ge=0, le=100)
    background: Color | None = None
    padding: float = Field(0, ge=0, le=2000)
    align: Literal["left", "center", "right"] = "center"
    vertical_align: Literal["top", "center", "bottom"] = "center"
    line_spacing: float = Field(1.2, ge=0.5, le=5)
    wrap: bool = True

    def _extra_problems(self) -> list[tuple[str, str]]:
        problems = super()._extra_problems()
        kind = getattr(self, "type", "text")
        if self.fit != "auto":
            problems.append(("fit", f"fit does not apply to {kind}; leave it out or use 'auto'"))
        if self.motion is not None:
            problems.append(("motion", f"motion presets move a picture inside its box; {kind} "
                             "has none (animate x, y or scale instead)"))
        return problems


class TextElement(_Styled):
    """Text in a box. Lines wrap to the box width; the box is the text's size if unset.

    `font_size: "auto"` is the largest size (within `min_font_size`..`max_font_size`) whose
    wrapped lines fit the box; it is the default when both width and height are given.
    """

    type: Literal["text"]
    text: str = Field(min_length=1, max_length=MAX_TEXT_LENGTH)
    min_font_size: Length | None = None
    max_font_size: Length | None = None

    @model_validator(mode="before")
    @classmethod
    def _auto_size_in_a_box(cls, data: Any) -> Any:
        """The default rule: a box of both width and height and no font_size fits the text."""
        if (isinstance(data, dict) and "font_size" not in data
                and data.get("width") is not None and data.get("height") is not None):
            return {**data, "font_size": AUTO}
        return data

    def _extra_problems(self) -> list[tuple[str, str]]:
        return super()._extra_problems() + font_size_problems(self)


class CaptionsElement(_Styled):
    """Timed captions from a SubRip/WebVTT `source` or inline `cues`, burnt in (and, with
    `output.subtitles: "soft"`, also a subtitle stream). Each cue is re-wrapped to the box
    and shown on at most `max_lines` lines; the spoken word is drawn in `highlight_color`
    when the cue has word timings. By default the box is 90% of the canvas wide, as tall as
    `max_lines` lines, near the bottom, and a cue sits on its bottom lines."""

    type: Literal["captions"]
    font_size: Length = LengthValue(6.0, "%")  # no "auto": the box follows the lines
    source: Source | None = None
    cues: list[Cue] | None = Field(None, min_length=1, max_length=MAX_CUES)
    max_lines: int = Field(2, ge=1, le=20)
    highlight_color: Color | None = None
    burn: bool = True
    y: AnimatedPosition = PositionValue(92.0, "%")
    vertical_align: Literal["top", "center", "bottom"] = "bottom"

    def _extra_problems(self) -> list[tuple[str, str]]:
        problems = super()._extra_problems()
        if (self.source is None) == (self.cues is None):
            message = "give either source (an .srt or .vtt file) or cues, not both"
            if self.source is None:
                message = "captions need a source (an .srt or .vtt file) or cues"
            problems.append(("source" if self.source is not None else "cues", message))
        return problems


class ShapeElement(_Visual, ColourLooks):
    """A rectangle, ellipse, line or polygon drawn in its box (points in box px or %)."""

    type: Literal["shape"]
    shape: ShapeKind
    fill: Color | None = Field(default_factory=lambda: ColorValue(255, 255, 255))
    stroke_color: Color | None = None
    stroke_width: float = Field(0, ge=0, le=1000, allow_inf_nan=False)
    points: list[Point] | None = Field(None, max_length=MAX_POINTS)

    def _extra_problems(self) -> list[tuple[str, str]]:
        return super()._extra_problems() + shape_problems(self)


def _canvas_output(first: Rendition) -> tuple[Output, list[tuple[str, str]]]:
    """The `output` that outputs[0] stands for (an hls rendition draws on an mp4 canvas),
    and what is wrong with it, at outputs[0]'s paths."""
    given = {name: getattr(first, name) for name in first.model_fields_set
             if name not in ("name", "format", "quality") and getattr(first, name) is not None}
    if first.poster is not None:
        given["poster"] = Poster(time=first.poster.time)
    quality = Quality(crf=first.quality.crf, preset=first.quality.preset)
    fmt = "mp4" if first.format == "hls" else first.format
    try:
        return Output.model_validate({**given, "format": fmt, "quality": quality}), []
    except ValidationError as exc:
        found = problems_from_validation(exc, prefix=("outputs", 0))
        return Output(), [(problem.path, problem.message) for problem in found]


Element = Annotated[
    VideoElement | ImageElement | AudioElement | TextElement | OverlayElement | CaptionsElement
    | ShapeElement,
    Field(discriminator="type"),
]


class Job(_Strict):
    """A render request: the output and the elements, plus delivery options."""

    output: Output = Field(default_factory=Output)
    elements: list[Element] = Field(min_length=1, max_length=MAX_ELEMENTS)
    response: Literal["immediate", "async", "auto"] = "auto"
    callback_url: Annotated[str, Field(pattern=r"^https?://", max_length=2048)] | None = None
    idempotency_key: str | None = Field(None, min_length=1, max_length=255)
    metadata: dict[str, Any] = Field(default_factory=dict)
    outputs: list[Rendition] | None = Field(None, min_length=1, max_length=MAX_RENDITIONS)
    stills: list[Still] | None = Field(None, min_length=1, max_length=MAX_STILLS)
    thumbnails: Thumbnails | None = None

    @model_validator(mode="after")
    def _ids_are_unique(self) -> Job:
        problems = duplicate_id_problems([element.id for element in self.elements])
        if self.outputs is not None:
            problems += rendition_problems("output" in self.model_fields_set, self.outputs)
            if not problems:
                # outputs[0] is the canvas: everything that reads `output` sees it
                canvas, canvas_problems = _canvas_output(self.outputs[0])
                object.__setattr__(self, "output", canvas)
                problems += canvas_problems
        problems += delivery_problems(self.known_duration(), self.stills, self.thumbnails)
        problems += transition_problems(self.elements)
        problems += duck_problems(self.elements,
                                  [self.element_id(i) for i in range(len(self.elements))])
        problems += self._subtitle_problems()
        if problems:
            raise field_problem(problems)
        return self

    @model_serializer(mode="wrap")
    def _without_derived_output(self, handler: SerializerFunctionWrapHandler) -> Any:
        """With `outputs`, `output` is derived from outputs[0]: not written back, so the
        dumped spec parses again."""
        data = handler(self)
        if self.outputs is not None and isinstance(data, dict):
            data.pop("output", None)
        return data

    def known_duration(self) -> float | None:
        """The video's length when the spec alone fixes it (else the sources tell)."""
        if self.output.duration is not None:
            return self.output.duration
        ends = [element.start + length if (length := element.fixed_length) is not None
                else None for element in self.elements]
        return None if None in ends else max(end for end in ends if end is not None)

    def _subtitle_problems(self) -> list[tuple[str, str]]:
        captions = [index for index, element in enumerate(self.elements)
                    if isinstance(element, CaptionsElement)]
        soft = self.output.subtitles == "soft"
        if soft and not captions:
            where = "outputs[0]" if self.outputs is not None else "output"
            return [(f"{where}.subtitles", "'soft' writes the captions elements' cues as a "
                                         "subtitle stream; the job has no captions element")]
        return [(f"elements[{index}].burn", "burn false draws nothing; set output.subtitles "
                                            "to 'soft' to write the cues as a subtitle stream")
                for index in captions
                if not soft and not getattr(self.elements[index], "burn", True)]

    def warnings(self) -> list[Problem]:
        """What is valid but surely not meant (elements after the end), by JSON path."""
        late = late_start_warnings(self.output.duration,
                                   [element.start for element in self.elements])
        for index, element in enumerate(self.elements):
            if isinstance(element, CaptionsElement) and element.cues:
                late += late_cue_warnings(index, element.cues, element.start,
                                          element.fixed_length, self.output.duration)
        return [Problem(path, message) for path, message in late]

    def element_id(self, index: int) -> str:
        """The element's own id, or a stable one derived from its position."""
        return self.elements[index].id or f"element-{index}"
