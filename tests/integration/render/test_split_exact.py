"""A split render is the unsplit render: same frames, same timing, same sound.

One 2-minute composition (a looped moving video under a fading picture, a moving title, a
second video crossing a seam, music and the video's sound) is rendered whole and split into
20-second slices joined by the stitch. Compared on decoded output: frame count, constant
frame durations, per-frame PSNR at every seam (±2 frames) and in the middle, and the audio
samples after decoding.
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from services.render.engine import render_sync
from services.render.split import plan_units
from services.render.split_render import render_split
from tests.unit.render.helpers import ENGINE, ffmpeg, plan_for

FPS = 25
SLICE_SECONDS = 20.0
MIN_PSNR = 35.0


def _media(folder: Path) -> None:
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=30",
           "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000:duration=30",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "50",
           "-c:a", "aac", "-shortest", str(folder / "moving.mp4"))
    ffmpeg("-f", "lavfi", "-i", "testsrc=s=160x90:r=30:d=12",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           str(folder / "inset.mp4"))
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=550:sample_rate=44100:duration=7",
           "-c:a", "pcm_s16le", str(folder / "music.wav"))
    ffmpeg("-f", "lavfi", "-i", "color=c=orange:s=120x80", "-frames:v", "1",
           str(folder / "badge.png"))


def _spec() -> dict[str, Any]:
    return {
        "output": {"format": "mp4", "width": 320, "height": 180, "fps": FPS, "duration": 120,
                   "quality": {"preset": "ultrafast"}},
        "elements": [
            {"type": "video", "source": "moving.mp4", "fit": "cover", "past_end": "loop",
             "volume": 0.5},
            {"type": "image", "source": "badge.png", "start": 15, "end": 65, "fade_in": 10,
             "fade_out": 2, "x": "20%", "y": "30%", "width": 60},
            {"type": "video", "source": "inset.mp4", "start": 36, "x": "80%", "y": "75%",
             "width": 96, "volume": 0},
            {"type": "text", "text": "split render", "start": 2, "end": 118, "font_size": 18,
             "color": "#ffffff", "x": [{"time": 0, "value": "10%"},
                                                    {"time": 116, "value": "90%"}],
             "y": "90%"},
            {"type": "audio", "source": "music.wav", "start": 5, "end": 110, "loop": True,
             "volume": 0.4, "fade_in": 1, "fade_out": 3},
        ],
    }


def _frames(path: Path) -> tuple[list[np.ndarray], list[int], Any]:
    images, pts = [], []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            assert frame.pts is not None
            pts.append(frame.pts)
            images.append(frame.to_ndarray(format="rgb24"))
        return images, pts, stream.time_base


def _samples(path: Path) -> np.ndarray:
    chunks = []
    with av.open(str(path)) as container:
        for frame in container.decode(audio=0):
            chunks.append(frame.to_ndarray().reshape(-1))
    return np.concatenate(chunks)


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)


def test_split_render_matches_the_unsplit_render(tmp_path: Path) -> None:
    _media(tmp_path)
    plan = plan_for(_spec(), tmp_path)
    units = plan_units(plan, min_seconds=60, slice_seconds=SLICE_SECONDS)
    slices = [unit for unit in units if unit.kind == "video"]
    assert len(slices) == 6 and units[-1].kind == "audio"
    whole = render_sync(plan, tmp_path / "whole.mp4", settings=ENGINE, timeout=600).output
    split = asyncio.run(render_split(plan, tmp_path / "split.mp4", units, settings=ENGINE,
                                     parallel=2)).output

    whole_frames, whole_pts, base = _frames(whole)
    split_frames, split_pts, split_base = _frames(split)
    assert len(whole_frames) == len(split_frames) == 120 * FPS
    steps = {round(float((b - a) * split_base), 6) for a, b in itertools.pairwise(split_pts)}
    assert steps == {1 / FPS}, "the split render's frames are not evenly spaced"
    assert float(split_pts[0] * split_base) == pytest.approx(float(whole_pts[0] * base))

    seams = [round(unit.start * FPS) for unit in slices[1:]]
    checked = sorted({i for seam in seams for i in range(seam - 2, seam + 3)}
                     | set(range(1490, 1510)))
    worst = {i: _psnr(whole_frames[i], split_frames[i]) for i in checked}
    bad = {i: round(value, 1) for i, value in worst.items() if value < MIN_PSNR}
    assert not bad, f"frames below {MIN_PSNR} dB (frame: dB): {bad}"
    # the seams are really seams: a frame differs from the one before it
    assert all(_psnr(split_frames[s - 1], split_frames[s]) < 60 for s in seams)

    whole_audio, split_audio = _samples(whole), _samples(split)
    assert whole_audio.size == split_audio.size > 0
    assert np.array_equal(whole_audio, split_audio)
