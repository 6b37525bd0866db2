"""The spec v2 parts compose: a transition onto a cropped, chroma-keyed clip that has a
volume envelope, rounded corners and a shadow, renders in one graph, and a slice of it
draws the frames of the full render.

A (red, a 440 Hz tone) plays on track 1; B (a green screen with a skin-coloured square in
its middle, 880 Hz) follows it with a 0.5 s fade from 1.52 s (a frame boundary at 25 fps:
a video that starts between two output frames is, in a slice, drawn a frame late for up to
a tenth of a second; docs/decisions.md). B is cropped to
its middle square, keyed, rounded, shadowed and swells from silence to full volume.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from services.render.engine import TimeRange
from tests.unit.render.helpers import (
    BLUE,
    RED,
    audio_rms,
    decode_frames,
    ffmpeg,
    frame_at,
    render_spec,
    rgb_near,
    stream_info,
)

W, H = 160, 120
SKIN = (200, 140, 110)


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("compose")
    ffmpeg("-f", "lavfi", "-i", f"color=c=red:s={W}x{H}:r=25:d=3",
           "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=3",
           "-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
           str(folder / "a.mp4"))
    skin = "0x{:02x}{:02x}{:02x}".format(*SKIN)
    ffmpeg("-f", "lavfi", "-i",
           f"color=c=0x00ff00:s={W}x{H}:r=25:d=3,drawbox=x=60:y=40:w=40:h=40:c={skin}:t=fill",
           "-f", "lavfi", "-i", "sine=frequency=880:sample_rate=48000:duration=3",
           "-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuv444p", "-c:a", "aac", "-shortest",
           str(folder / "b.mp4"))
    return folder


def _spec(crf: int = 1) -> dict[str, Any]:
    return {
        "output": {"width": W, "height": H, "fps": 25, "duration": 3.5, "background": "blue",
                   "quality": {"preset": "ultrafast", "crf": crf}},
        "elements": [
            {"type": "video", "source": "a.mp4", "track": 1, "duration": 2.02,
             "x": 0, "y": 0, "width": W, "height": H, "fit": "fill"},
            {"type": "video", "source": "b.mp4", "track": 1, "start": 1.52, "duration": 2,
             "transition": {"type": "fade", "duration": 0.5},
             "crop": {"x": 20, "y": 0, "width": 120, "height": 120},
             "chroma_key": {"color": "#00ff00", "similarity": 0.2},
             "volume": [{"time": 0, "value": 0}, {"time": 2, "value": 1}],
             "border_radius": 12, "shadow": {"color": "black", "blur": 2, "x": 4, "y": 4},
             "x": 20, "y": 0, "width": 120, "height": 120, "fit": "fill"},
        ],
    }


def _mean(frame: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
    return frame[y0:y1, x0:x1].reshape(-1, 3).mean(axis=0)


def test_a_transition_onto_a_cropped_keyed_clip_with_an_envelope(
        clips: Path, tmp_path: Path) -> None:
    out = tmp_path / "full.mp4"
    render_spec(_spec(), clips, out)
    info = stream_info(out)
    assert info.duration == pytest.approx(3.5, abs=0.1)

    before = frame_at(out, 1.0).astype(int)  # A alone
    assert rgb_near(_mean(before, 40, 30, 120, 90), RED, 20)
    after = frame_at(out, 2.8).astype(int)  # B alone: keyed green shows the canvas
    assert rgb_near(_mean(after, 64, 44, 96, 76), SKIN, 24), "the crop moved B's middle"
    assert rgb_near(_mean(after, 32, 50, 50, 70), BLUE, 24), "green was not keyed out"
    assert rgb_near(after[2, 2], BLUE, 24), "outside B the canvas shows"
    # rounded corner: the box's corner is the canvas, not the (keyed) clip's frame
    assert rgb_near(after[1, 21], BLUE, 30)
    # the fade: A's red goes while the window runs
    reds = [int(_mean(frame_at(out, t).astype(int), 40, 30, 120, 90)[0])
            for t in (1.56, 1.76, 2.0)]
    assert reds[0] > reds[1] > reds[2], reds
    assert reds[0] > 180 and reds[2] < 80, reds

    # the envelope: B swells from silence, while A's tone crossfades out under it
    late, early = audio_rms(out, 3.0, 3.4), audio_rms(out, 2.05, 2.3)
    assert late > 1.5 * early > 0, (early, late)


def test_a_slice_of_the_composed_clip_draws_the_full_renders_frames(
        clips: Path, tmp_path: Path) -> None:
    full, part = tmp_path / "full.mp4", tmp_path / "part.mp4"
    lossless = _spec(crf=0)  # else the encoder's own choices differ at a slice's first frames
    render_spec(lossless, clips, full)
    render_spec(lossless, clips, part, time_range=TimeRange(1.6, 2.6))
    whole = dict(decode_frames(full))
    sliced = decode_frames(part)
    assert len(sliced) == 25
    worst = 0
    for n, (_, frame) in enumerate(sliced):
        twin = whole[min(whole, key=lambda t: abs(t - (1.6 + n / 25)))]
        worst = max(worst, int(np.abs(frame.astype(int) - twin.astype(int)).max()))
    assert worst <= 3, worst
