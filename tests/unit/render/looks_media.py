"""Generated sources for the looks tests (crop, speed, chroma key, filters, LUT).

- counter.mp4  64x64, 30 fps, 2 s, lossless: frame N is flat grey of luma 16 + 3·N, so a
               decoded frame says which source frame it is; a 440 Hz sine sound track
- screen.png   160x120 pure green (#00ff00) with a 40x40 skin-tone patch (#e0ac69) centred
- screen.mp4   the same picture as a 1 s, 30 fps video
- two_tone.png 128x64: left half #604030, right half #a09070 (for contrast / saturation)
- identity.cube, invert.cube   3D LUTs of size 17 and 2
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.unit.render.helpers import ffmpeg

SKIN = (0xE0, 0xAC, 0x69)
DARK = (0x60, 0x40, 0x30)
LIGHT = (0xA0, 0x90, 0x70)
COUNTER_FRAMES = 60


@dataclass(frozen=True)
class LooksMedia:
    dir: Path


def write_cube(path: Path, size: int, invert: bool = False) -> None:
    """An identity (or inverting) 3D LUT of `size` points per channel, red fastest."""
    lines = ["# generated for the tests", 'TITLE "test"', f"LUT_3D_SIZE {size}"]
    step = size - 1
    for b in range(size):
        for g in range(size):
            for r in range(size):
                values = (r / step, g / step, b / step)
                if invert:
                    values = tuple(1 - value for value in values)
                lines.append(" ".join(f"{value:.6f}" for value in values))
    path.write_text("\n".join(lines) + "\n")


def make_looks_media(folder: Path) -> LooksMedia:
    ffmpeg(
        "-f", "lavfi", "-i", "nullsrc=s=64x64:r=30:d=2,geq=lum='16+3*N':cb=128:cr=128",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
        "-c:v", "libx264", "-qp", "0", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-shortest", str(folder / "counter.mp4"),
    )
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=0x00ff00:s=160x120",
        "-f", "lavfi", "-i", "color=c=0xe0ac69:s=40x40",
        "-filter_complex", "[0][1]overlay=60:40", "-frames:v", "1", str(folder / "screen.png"),
    )
    ffmpeg(
        "-loop", "1", "-framerate", "30", "-i", str(folder / "screen.png"), "-t", "1",
        "-c:v", "libx264", "-qp", "0", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        str(folder / "screen.mp4"),
    )
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=0x604030:s=64x64",
        "-f", "lavfi", "-i", "color=c=0xa09070:s=64x64",
        "-filter_complex", "[0][1]hstack=inputs=2", "-frames:v", "1",
        str(folder / "two_tone.png"),
    )
    write_cube(folder / "identity.cube", 17)
    write_cube(folder / "invert.cube", 2, invert=True)
    return LooksMedia(folder)
