"""Delivery: several renditions of one composition, stills and a thumbnail sprite, from one run.

`outputs: [...]` is the alternative to `output`. `outputs[0]` is the composition's canvas:
its size, fps, duration, background, loudness, subtitles and poster are the composition's,
and the other renditions are scaled from it (a later rendition without a size has the
canvas's; with only a width or a height, the other side follows the canvas's aspect, rounded
to an even number). A rendition of another aspect is letterboxed, never stretched.

`stills` and `thumbnails` may go with either `output` or `outputs`. Every check here names
its JSON path; the ones that need the composition's length run where it is known: at intake
when the spec fixes it (`known_duration`), else once the sources are probed (`plan_problems`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.composition.keyframes import field_problem
from shared.composition.rules import size_problems
from shared.composition.sound import Loudness
from shared.composition.values import Color

__all__ = [
    "CANVAS_FIELDS",
    "MAX_RENDITIONS",
    "MAX_STILLS",
    "MAX_THUMBNAILS",
    "Rendition",
    "ResolvedRendition",
    "Still",
    "Thumbnails",
    "delivery_problems",
    "resolve_renditions",
    "sheet_layout",
    "still_size",
    "thumbnail_count",
]

# hard caps of the spec; VIDGEN_MAX_RENDITIONS (ingest) is the configurable one below it
MAX_RENDITIONS = 16
MAX_STILLS = 50
MAX_THUMBNAILS = 1000  # tiles of one sprite sheet
SHEET_COLUMNS = 10

RenditionFormat = Literal["mp4", "mov", "webm", "avi", "gif", "hls"]
Preset = Literal[
    "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"
]
ImageFormat = Literal["jpg", "png", "webp"]
# the composition's own fields: given once, on outputs[0]
CANVAS_FIELDS = ("fps", "duration", "background", "loudness", "subtitles", "poster")
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class RenditionQuality(_Strict):
    """As `output.quality`."""

    crf: int | None = Field(None, ge=0, le=63)
    preset: Preset = "veryfast"


class RenditionPoster(_Strict):
    time: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0


class Rendition(_Strict):
    """One file (or, for hls, one variant stream) of the job."""

    name: str = Field(pattern=NAME_PATTERN)
    format: RenditionFormat = "mp4"
    width: int | None = Field(None, ge=2, le=7680)
    height: int | None = Field(None, ge=2, le=4320)
    quality: RenditionQuality = Field(default_factory=RenditionQuality)
    # the composition's fields (outputs[0] only), as in `output`
    fps: float | None = Field(None, ge=0.001, le=120, allow_inf_nan=False)
    duration: float | None = Field(None, ge=0.001, allow_inf_nan=False)
    background: Color | None = None
    loudness: Loudness | None = None
    subtitles: Literal["soft"] | None = None
    poster: RenditionPoster | None = None

    @model_validator(mode="after")
    def _even_sizes(self) -> Rendition:
        problems = [(name, message) for name, message in size_problems(
            self.format, self.width or 2, self.height or 2)]
        if problems:
            raise field_problem(problems)
        return self


class Still(_Strict):
    """One picture of the composition at `time` (s), `width` px wide (the canvas's if unset)."""

    time: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    width: int | None = Field(None, ge=2, le=7680)
    format: ImageFormat = "jpg"


class Thumbnails(_Strict):
    """A tile every `every` seconds, `width` px wide, on one sprite sheet, and a WebVTT index
    whose cues point at the tiles (`sprite.jpg#xywh=x,y,w,h`)."""

    every: float = Field(gt=0, le=3600, allow_inf_nan=False)
    width: int = Field(160, ge=16, le=1920)
    format: ImageFormat = "jpg"


@dataclass(frozen=True)
class ResolvedRendition:
    """A rendition with its size worked out against the canvas."""

    index: int
    name: str
    format: str
    width: int
    height: int
    quality: RenditionQuality


def _even(value: float) -> int:
    return max(2, 2 * round(value / 2))


def resolve_renditions(renditions: list[Rendition], canvas: tuple[int, int]
                       ) -> list[ResolvedRendition]:
    """Each rendition's pixel size: given, the canvas's, or one side from the canvas's aspect."""
    width, height = canvas
    resolved = []
    for index, rendition in enumerate(renditions):
        w, h = rendition.width, rendition.height
        if w is None and h is None:
            w, h = width, height
        elif w is None:
            w = _even(h * width / height) if h is not None else width
        elif h is None:
            h = _even(w * height / width)
        assert w is not None and h is not None
        resolved.append(ResolvedRendition(index, rendition.name, rendition.format, w, h,
                                          rendition.quality))
    return resolved


def still_size(width: int | None, canvas: tuple[int, int]) -> tuple[int, int]:
    """A still's or tile's pixel size: `width` (or the canvas's) and the canvas's aspect."""
    if width is None:
        return canvas
    return width, _even(width * canvas[1] / canvas[0])


def thumbnail_count(every: float, duration: float) -> int:
    """Tiles at 0, every, 2*every, ... before the end."""
    return max(1, math.ceil(duration / every - 1e-9))


def sheet_layout(count: int) -> tuple[int, int]:
    """(columns, rows) of a sprite sheet of `count` tiles."""
    columns = min(count, SHEET_COLUMNS)
    return columns, math.ceil(count / columns)


def rendition_problems(data: Any, outputs: list[Rendition]) -> list[tuple[str, str]]:
    """Conflicting output/outputs, duplicate names, composition fields past outputs[0]."""
    problems: list[tuple[str, str]] = []
    if data:
        problems.append(("outputs", "give either output or outputs, not both (outputs[0] "
                                    "takes output's place as the composition's canvas)"))
    seen: dict[str, int] = {}
    for index, rendition in enumerate(outputs):
        if rendition.name in seen:
            problems.append((f"outputs[{index}].name", f"duplicate rendition name "
                             f"{rendition.name!r} (also outputs[{seen[rendition.name]}])"))
        seen.setdefault(rendition.name, index)
        if index == 0:
            continue
        problems += [(f"outputs[{index}].{name}", f"{name} belongs to the composition: give it "
                      "once, on outputs[0]")
                     for name in CANVAS_FIELDS if getattr(rendition, name) is not None]
    return problems


def delivery_problems(duration: float | None, stills: list[Still] | None,
                      thumbnails: Thumbnails | None) -> list[tuple[str, str]]:
    """Stills past the end and a sprite sheet of too many tiles, when the length is known."""
    if duration is None:
        return []
    problems = [(f"stills[{index}].time", f"{still.time:g} s is at or past the end of the "
                 f"video ({duration:g} s)")
                for index, still in enumerate(stills or ()) if still.time >= duration]
    if thumbnails is not None:
        count = math.ceil(duration / thumbnails.every - 1e-9)
        if count > MAX_THUMBNAILS:
            problems.append(("thumbnails.every", f"a tile every {thumbnails.every:g} s of "
                             f"{duration:g} s makes {count} tiles, more than {MAX_THUMBNAILS}"))
    return problems
