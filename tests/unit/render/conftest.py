"""Fixtures for render tests: test media generated once per session with FFmpeg's lavfi.

Nothing is checked in: every source is made at test time, so the tests document exactly
what each pixel and sample of the input is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.unit.render.helpers import ffmpeg


@dataclass(frozen=True)
class Media:
    """Generated sources; specs name them relative to `dir`.

    - halves.png   400x200 image: left half red, right half blue (aspect 2:1)
    - bands.png    400x200 image: four 100 px bands red | lime | blue | white
    - red.png, blue.png, lime.png   64x64 solid images
    - alpha.png    100x100 RGBA: left half opaque lime, right half fully transparent
    - seconds.mp4  160x120, 30 fps, 3 s: red in [0,1), lime in [1,2), blue in [2,3);
                   a 440 Hz sine sound track
    - pattern.mp4  160x120, 30 fps, 2 s testsrc2 (every frame differs), 440 Hz sine
    - silent.mp4   160x120, 30 fps, 1 s white, no audio stream
    - coarse.mp4   160x120, 25 fps, 1 s red, time base 1/25 (no audio stream)
    - tone.wav     2 s of a 660 Hz sine, 48 kHz mono, no picture
    """

    dir: Path

    def path(self, name: str) -> Path:
        return self.dir / name


def _solid(out: Path, color: str, size: str) -> None:
    ffmpeg("-f", "lavfi", "-i", f"color=c={color}:s={size}", "-frames:v", "1", str(out))


def _make_media(folder: Path) -> None:
    _solid(folder / "red.png", "red", "64x64")
    _solid(folder / "blue.png", "blue", "64x64")
    _solid(folder / "lime.png", "lime", "64x64")
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=red:s=200x200",
        "-f", "lavfi", "-i", "color=c=blue:s=200x200",
        "-filter_complex", "[0][1]hstack=inputs=2", "-frames:v", "1",
        str(folder / "halves.png"),
    )
    bands = "".join(f"-f lavfi -i color=c={c}:s=100x200 " for c in ("red", "lime", "blue", "white"))
    ffmpeg(
        *bands.split(), "-filter_complex", "[0][1][2][3]hstack=inputs=4", "-frames:v", "1",
        str(folder / "bands.png"),
    )
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=lime:s=50x100,format=rgba",
        "-f", "lavfi", "-i", "color=c=black@0:s=50x100,format=rgba",
        "-filter_complex", "[0][1]hstack=inputs=2", "-frames:v", "1", "-pix_fmt", "rgba",
        str(folder / "alpha.png"),
    )
    colours = "".join(
        f"color=c={c}:s=160x120:r=30:d=1[c{i}];" for i, c in enumerate(("red", "lime", "blue"))
    )
    ffmpeg(
        "-f", "lavfi", "-i", f"{colours}[c0][c1][c2]concat=n=3:v=1:a=0",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=3",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "15",
        "-c:a", "aac", "-shortest", str(folder / "seconds.mp4"),
    )
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=s=160x120:r=30:d=2",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "15",
        "-c:a", "aac", "-shortest", str(folder / "pattern.mp4"),
    )
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=white:s=160x120:r=30:d=1",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        str(folder / "silent.mp4"),
    )
    ffmpeg(
        "-f", "lavfi", "-i", "color=c=red:s=160x120:r=25:d=1",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-video_track_timescale", "25", str(folder / "coarse.mp4"),
    )
    ffmpeg(
        "-f", "lavfi", "-i", "sine=frequency=660:sample_rate=48000:duration=2",
        "-c:a", "pcm_s16le", str(folder / "tone.wav"),
    )


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> Media:
    folder = tmp_path_factory.mktemp("media")
    _make_media(folder)
    return Media(folder)
