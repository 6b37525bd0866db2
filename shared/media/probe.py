"""Probe media files with PyAV: natural length, display size, frame rate, audio presence.

PyAV is imported by `probe` itself: importing this module for `MediaInfo` (the planner,
a pickled probe result) does not load FFmpeg's libraries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import av

__all__ = ["ALLOWED_DEMUXERS", "MediaInfo", "ProbeError", "probe"]

ALLOWED_DEMUXERS = (
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,flv,mpegts,mpeg,ogg,wav,flac,mp3,aac,"
    "image2,png_pipe,jpeg_pipe,webp_pipe,bmp_pipe,tiff_pipe,gif,gif_pipe,qoi_pipe,"
    "apng,w64,aiff,caf,asf,lavfi"
)
"""The demuxers a source may use, for probing and for the render's `-format_whitelist`:
containers, audio and image formats; no playlists, concat lists or other file references.
Not SVG: the probe's FFmpeg cannot decode it (no size to plan with), and an SVG may itself
refer to other files or URLs that the render's rasteriser would load."""

# ALLOWED_DEMUXERS in words, for the error a refused source gets (keep the two together).
_ACCEPTED = ("video: mp4, mov, mkv, webm, avi, flv, mpeg-ts, mpeg, ogg, asf; audio: wav, flac, "
             "mp3, aac, m4a, aiff, caf; images: png, jpeg, webp, bmp, tiff, gif, qoi")

# Probing opens local files only, with the demuxers the render will accept: a source the
# render would refuse is refused here, when the job is checked, not halfway through it.
_OPEN_OPTIONS = {"protocol_whitelist": "file", "format_whitelist": ALLOWED_DEMUXERS}

_IMAGE_CODECS = {"png", "mjpeg", "webp", "bmp", "tiff", "gif", "jpegls", "jpeg2000", "qoi"}
_IMAGE_FORMATS = {"image2", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe",
                  "gif", "qoi_pipe", "j2k_pipe", "image2pipe"}


class ProbeError(ValueError):
    """The file is missing, unreadable, or not media we can compose."""


@dataclass(frozen=True)
class MediaInfo:
    """What the compiler needs to know about one source file.

    `width`/`height` are the display size: already turned by the rotation FFmpeg applies
    when it decodes (autorotate), so geometry is computed on what the viewer sees.
    """

    path: Path
    duration: float | None
    width: int | None
    height: int | None
    rotation: int
    fps: float | None
    has_video: bool
    has_audio: bool
    is_image: bool
    has_alpha: bool

    @property
    def aspect(self) -> float | None:
        if not self.width or not self.height:
            return None
        return self.width / self.height


def probe(path: Path | str) -> MediaInfo:
    """Open `path` and describe it; ProbeError says why it cannot be used."""
    import av
    import av.error

    path = Path(path)
    if not path.is_file():
        raise ProbeError(f"file not found: {path}")
    try:
        container = av.open(str(path), metadata_errors="ignore", container_options=_OPEN_OPTIONS)
    except (av.error.FFmpegError, UnicodeDecodeError, OSError) as exc:
        raise ProbeError(
            f"not a readable media file in an accepted format ({_ACCEPTED}; "
            f"{exc.__class__.__name__}: {exc})"
        ) from None
    with container:
        video = container.streams.video[0] if container.streams.video else None
        audio = container.streams.audio[0] if container.streams.audio else None
        if video is None and audio is None:
            raise ProbeError("the file has neither a video nor an audio stream")
        for stream in (video, audio):
            if stream is not None and stream.codec_context is None:
                raise ProbeError(f"no decoder for its {stream.type} stream; accepted: "
                                 f"{_ACCEPTED}")
        is_image = video is not None and _looks_like_image(container, video)
        width = height = None
        rotation = 0
        fps = None
        has_alpha = False
        if video is not None:
            width, height = video.codec_context.width, video.codec_context.height
            rotation = 0 if is_image else _rotation(container, video)
            if rotation % 180:
                width, height = height, width
            fps = None if is_image else _frame_rate(video)
            has_alpha = _has_alpha(video)
            if not width or not height:
                raise ProbeError("the video stream has no frame size")
        duration = None if is_image else _duration(container, video, audio)
        return MediaInfo(
            path=path,
            duration=duration,
            width=width,
            height=height,
            rotation=rotation,
            fps=fps,
            has_video=video is not None,
            has_audio=audio is not None,
            is_image=is_image,
            has_alpha=has_alpha,
        )


def _looks_like_image(container: av.container.InputContainer, video: av.VideoStream) -> bool:
    fmt = container.format.name.split(",")[0]
    codec = video.codec_context.name
    if fmt in _IMAGE_FORMATS or (codec in _IMAGE_CODECS and fmt != "gif"):
        return fmt != "gif" or (video.frames or 0) <= 1
    return (video.frames or 0) == 1 and container.duration is None


def _duration(
    container: av.container.InputContainer,
    video: av.VideoStream | None,
    audio: av.AudioStream | None,
) -> float | None:
    lengths = []
    for stream in (video, audio):
        if stream is not None and stream.duration is not None and stream.time_base is not None:
            lengths.append(float(stream.duration * stream.time_base))
    if lengths:
        return max(lengths)
    if container.duration is not None:
        return container.duration / 1_000_000  # AV_TIME_BASE
    return None


def _frame_rate(video: av.VideoStream) -> float | None:
    rate = video.average_rate or video.guessed_rate or video.base_rate
    if rate is None:
        return None
    value = float(Fraction(rate))
    return value if math.isfinite(value) and value > 0 else None


def _rotation(container: av.container.InputContainer, video: av.VideoStream) -> int:
    """Degrees the player turns the picture (0, 90, 180, 270), from the first frame's matrix."""
    import av.error

    try:
        frame = next(container.decode(video))
    except (StopIteration, av.error.FFmpegError):
        return 0
    return round(frame.rotation) % 360


def _has_alpha(video: av.VideoStream) -> bool:
    fmt = video.codec_context.pix_fmt or ""
    return fmt.startswith(("yuva", "rgba", "bgra", "argb", "abgr", "ya", "gbrap", "pal8"))
