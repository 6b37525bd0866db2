"""Joining a split render: the video slices by stream copy, then the audio unit muxed in.

The concat demuxer reads the slices in order and shifts each one's timestamps to follow the
one before; `-c copy` writes the packets as they are (no decoding, no second encode), which
is why every slice must start with a key frame and share the encoder's settings (see
services/render/split.py). The list names the slices relative to its own folder, so the
demuxer's `safe` mode stays on, and only the `file` protocol may be opened.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from services.render.runner import run_ffmpeg

__all__ = ["concat_list", "stitch", "stitch_command"]

_MP4_FLAGS = {"mp4": ["-movflags", "+faststart"], "mov": [], "webm": []}


def concat_list(slices: list[Path]) -> str:
    """The concat demuxer's list: one `file` line per slice, all in the list's folder."""
    folder = {path.parent for path in slices}
    if len(folder) > 1:
        raise ValueError("the slices to join must share one folder")
    lines = []
    for path in slices:
        if "'" in path.name or "\n" in path.name:
            raise ValueError(f"unexpected slice file name {path.name!r}")
        lines.append(f"file '{path.name}'")
    return "\n".join(lines) + "\n"


def stitch_command(ffmpeg_exe: str, listing: Path, audio: Path, output: Path,
                   fmt: str) -> list[str]:
    """FFmpeg joining the slices named in `listing` and muxing `audio`, all by stream copy."""
    return [
        ffmpeg_exe, "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
        "-progress", "pipe:1", "-nostats",
        "-protocol_whitelist", "file", "-f", "concat", "-safe", "1", "-i", str(listing),
        "-protocol_whitelist", "file", "-i", str(audio),
        "-map", "0:v:0", "-map", "1:a:0", "-c", "copy",
        *_MP4_FLAGS.get(fmt, []), "-f", {"mov": "mov", "mp4": "mp4"}.get(fmt, fmt),
        str(output),
    ]


async def stitch(ffmpeg_exe: str, slices: list[Path], audio: Path, output: Path, *,
                 fmt: str, duration: float, timeout: float) -> Path:
    """Join `slices` and `audio` into `output` (written atomically); returns `output`."""
    listing = slices[0].parent / ".concat.txt"
    await asyncio.to_thread(listing.write_text, concat_list(slices), "utf-8")
    fd, temp_name = tempfile.mkstemp(prefix=".vidgen-stitch-", suffix=output.suffix,
                                     dir=output.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        await run_ffmpeg(stitch_command(ffmpeg_exe, listing, audio, temp, fmt),
                         duration=duration, outputs=[temp], timeout=timeout)
    except BaseException:
        temp.unlink(missing_ok=True)  # noqa: ASYNC240 (a metadata call on our own temp)
        raise
    finally:
        listing.unlink(missing_ok=True)
    temp.chmod(0o644)  # noqa: ASYNC240
    temp.replace(output)  # noqa: ASYNC240
    return output
