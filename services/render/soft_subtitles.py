"""Soft subtitles: the plan's cues as one subtitle stream of the same FFmpeg run.

The cues are written as a SubRip file beside the output (`CompiledCommand.sidecars`, written
by the engine just before FFmpeg starts) and read back as one more input, which only the
`srt` demuxer may open; FFmpeg encodes it as mov_text (mp4, mov) or WebVTT (webm). A slice
carries the cues it overlaps, moved to its own time and cut to its length.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ffmpeg

from shared.composition.captions import SubtitleCue

__all__ = ["SUBTITLE_CODECS", "srt_text", "subtitle_stream"]

SUBTITLE_CODECS = {"mp4": "mov_text", "mov": "mov_text", "webm": "webvtt"}


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    whole, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{whole:02d},{millis:03d}"


def srt_text(cues: Sequence[SubtitleCue], t0: float, t1: float) -> str:
    """The cues inside [t0, t1), in slice time, as a SubRip document ('' when none)."""
    blocks: list[str] = []
    for cue in cues:
        start, end = max(cue.start, t0) - t0, min(cue.end, t1) - t0
        if round(end * 1000) <= round(start * 1000):
            continue
        blocks.append(f"{len(blocks) + 1}\n{_timestamp(start)} --> {_timestamp(end)}\n"
                      f"{cue.text}\n")
    return "\n".join(blocks)


def subtitle_stream(path: Path) -> Any:
    """The subtitle input of the render, reading only `path` and only as SubRip."""
    return ffmpeg.input(str(path), f="srt", protocol_whitelist="file",
                        format_whitelist="srt")["s"]
