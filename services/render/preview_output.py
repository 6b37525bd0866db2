"""What a preview writes instead of the job's own output: one still (PNG or JPEG) or a short
low-resolution mp4, both optionally scaled down.

The picture is the same filter graph as the full render's (compiler.compile_plan with a
time range), so every spec feature previews without code of its own; only the end of the
graph differs: a `scale` to the preview's size, then either one frame into an image or an
H.264 encode tuned for speed. Scaling at the end keeps the geometry exactly the full
render's (a composition drawn at a smaller size would round every position differently).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import ffmpeg

__all__ = ["PreviewKind", "PreviewOutput", "preview_output", "preview_size"]

PreviewKind = Literal["png", "jpeg", "mp4"]
CONTENT_TYPES: dict[PreviewKind, str] = {"png": "image/png", "jpeg": "image/jpeg",
                                         "mp4": "video/mp4"}


@dataclass(frozen=True)
class PreviewOutput:
    """A still (`png`/`jpeg`, the first frame of the time range) or an `mp4` of the range,
    at `scale` (0 < scale <= 1) of the canvas and, for mp4, `fps` frames a second (None:
    the composition's)."""

    kind: PreviewKind
    scale: float = 1.0
    fps: float | None = None

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def suffix(self) -> str:
        return ".jpg" if self.kind == "jpeg" else f".{self.kind}"


def preview_size(width: int, height: int, preview: PreviewOutput) -> tuple[int, int]:
    """The preview's pixels: `scale` of the canvas, at least 2; even for mp4 (4:2:0)."""
    step = 2 if preview.kind == "mp4" else 1

    def one(value: int) -> int:
        return max(2, round(value * preview.scale / step) * step)

    return one(width), one(height)


def preview_output(base: Any, audio: Callable[[], Any], output: Path, *,
                   size: tuple[int, int], fps: Fraction, length: float,
                   preview: PreviewOutput, threads: int | None) -> Any:
    """The FFmpeg output node writing `base` (the composited picture) as `preview`.

    `audio` builds the mixed sound track; only an mp4 preview asks for it."""
    width, height = size
    picture = base.filter("scale", width, height, flags="bilinear")
    extra: dict[str, Any] = {"threads": threads} if threads else {}
    if preview.kind != "mp4":
        pix_fmt, codec = ("rgb24", "png") if preview.kind == "png" else ("yuvj444p", "mjpeg")
        picture = picture.filter("format", pix_fmt)
        quality = {"q:v": 3} if preview.kind == "jpeg" else {}
        return ffmpeg.output(picture, str(output), vcodec=codec, f="image2", update=1,
                             **{"frames:v": 1, **quality, **extra})
    rate = str(fps) if preview.fps is None else f"{preview.fps:g}"
    return ffmpeg.output(
        picture, audio(), str(output), r=rate, vcodec="libx264", pix_fmt="yuv420p", crf=30,
        preset="ultrafast", tune="zerolatency", movflags="+faststart", acodec="aac",
        ar=48000, **{"b:a": "96k", "t": f"{length:.6f}", **extra})

