"""The WebVTT index of a thumbnail sprite sheet: one cue per tile, `sprite.jpg#xywh=...`.

Players (video.js, Plyr, JW Player, hls.js front ends) show the tile under the seek bar
from such an index. Tile k covers [t_k, t_k+1) (the last one up to the end); tiles are
laid out row by row, `sheet_layout` columns wide, as FFmpeg's `tile` filter draws them.
"""

from __future__ import annotations

from shared.composition.delivery import sheet_layout

__all__ = ["thumbnails_vtt", "vtt_time"]


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
