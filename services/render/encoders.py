"""Encoder settings per output format (codec, pixel format, quality, container flags)."""

from __future__ import annotations

from typing import Any

from shared.composition.spec import Output

__all__ = ["audio_output_options", "video_output_options"]

_VP9_SPEED = {
    "ultrafast": 8, "superfast": 8, "veryfast": 7, "faster": 6, "fast": 5,
    "medium": 4, "slow": 3, "slower": 2, "veryslow": 1,
}


def video_output_options(output: Output) -> dict[str, Any]:
    """FFmpeg output options for the picture; `crf` unset means each codec's default."""
    crf = output.quality.crf
    preset = output.quality.preset
    if output.format in ("mp4", "mov"):
        options: dict[str, Any] = {
            "vcodec": "libx264",
            "pix_fmt": "yuv420p",
            "crf": 23 if crf is None else min(crf, 51),
            "preset": preset,
        }
        if output.format == "mp4":
            options["movflags"] = "+faststart"
        return options
    if output.format == "webm":
        return {
            "vcodec": "libvpx-vp9",
            "pix_fmt": "yuv420p",
            "crf": 32 if crf is None else crf,
            "b:v": 0,
            "deadline": "realtime" if _VP9_SPEED[preset] >= 6 else "good",
            "cpu-used": _VP9_SPEED[preset],
            "row-mt": 1,
        }
    if output.format == "avi":
        quality = 4 if crf is None else max(2, min(31, round(crf * 31 / 63)))
        return {"vcodec": "libxvid", "pix_fmt": "yuv420p", "q:v": quality}
    return {"loop": 0}  # gif: loop forever


def audio_output_options(fmt: str) -> dict[str, Any]:
    """FFmpeg output options for the sound track (none for gif)."""
    if fmt in ("mp4", "mov"):
        return {"acodec": "aac", "b:a": "192k", "ar": 48000}
    if fmt == "webm":
        return {"acodec": "libopus", "b:a": "128k", "ar": 48000}
    if fmt == "avi":
        return {"acodec": "libmp3lame", "b:a": "192k", "ar": 48000}
    return {}
