"""Stills and the thumbnail sprite sheet, written so that each gives FFmpeg a packet at once.

FFmpeg starts an output's muxer only once each of its streams has a packet, and reports no
progress before every output has started. A still taken with `trim` at a late time, or a
sprite `tile`d over the whole video, has its only packet at that time or at the end: a
long run would report nothing until then (and look stalled). So a still is written twice
over one file (`-update 1`): frame 0 at once, then the frame at its time; and the
thumbnails are written one image each as FFmpeg goes, then laid out on the sheet here.

The WebVTT index of the sheet has one cue per tile, `sprite.jpg#xywh=...`. Players
(video.js, Plyr, JW Player, hls.js front ends) show the tile under the seek bar from such
an index. Tile k covers [t_k, t_k+1) (the last one up to the end); tiles are laid out row
by row, `sheet_layout` columns wide, the unused end of the last row black.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PIL import Image

from shared.composition.delivery import sheet_layout

__all__ = ["STILL_OPTIONS", "THUMBNAIL_FRAMES", "assemble_sprite", "frame_at_time",
           "thumbnails_vtt", "vtt_time"]

# a still's output: frame 0, then the frame at its time over it (as they are: at a constant
# rate FFmpeg would fill the gap between them with copies of frame 0)
STILL_OPTIONS: dict[str, Any] = {"f": "image2", "frames:v": 2, "update": 1,
                                 "fps_mode": "passthrough"}
# the run's thumbnail images, in the run's folder (dot: never moved into the result)
THUMBNAIL_FRAMES = ".thumbnail-frames"
_SAVE_OPTIONS: dict[str, dict[str, Any]] = {"jpg": {"quality": 95}, "webp": {"quality": 90}}


def frame_at_time(stream: Any, time: float) -> Any:
    """Frame 0 and then the first frame at or after `time` (what `trim` would start with);
    only frame 0 when that is already at or after `time`."""
    at = f"{time:.6f}"
    return stream.filter("select", f"if(eq(n,0),1,gte(t,{at})*lt(prev_selected_t,{at}))")


def assemble_sprite(frames: Path, sprite: Path, tile: tuple[int, int], count: int) -> None:
    """Lay the images in `frames` (in name order, at most `count`) out on the sheet
    `sprite` (its format from its suffix), row by row, then remove `frames`."""
    columns, rows = sheet_layout(count)
    width, height = tile
    images = sorted(frames.iterdir())[:count]
    if not images:
        raise RuntimeError(f"FFmpeg wrote no thumbnail into {frames.name}")
    with Image.new("RGB", (width * columns, height * rows)) as sheet:
        for index, path in enumerate(images):
            row, column = divmod(index, columns)
            with Image.open(path) as image:
                sheet.paste(image.convert("RGB"), (column * width, row * height))
        fmt = sprite.suffix.lstrip(".")
        sheet.save(sprite, **_SAVE_OPTIONS.get(fmt, {}))
    shutil.rmtree(frames)


def vtt_time(seconds: float) -> str:
    """`HH:MM:SS.mmm`."""
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    return f"{hours:02d}:{minutes:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


def thumbnails_vtt(times: list[float], duration: float, sprite: str,
                   tile: tuple[int, int]) -> str:
    """The index of `sprite` (its name relative to the index) over tiles at `times`."""
    columns, _ = sheet_layout(len(times))
    width, height = tile
    lines = ["WEBVTT", ""]
    for index, start in enumerate(times):
        end = times[index + 1] if index + 1 < len(times) else duration
        row, column = divmod(index, columns)
        lines += [f"{vtt_time(start)} --> {vtt_time(end)}",
                  f"{sprite}#xywh={column * width},{row * height},{width},{height}", ""]
    return "\n".join(lines)
