"""Ducking and loudness on decoded samples.

The music is tone.wav (660 Hz) and the voice pattern.mp4's sound (440 Hz): the music's
level in a window is its 660 Hz component (a projection onto that sine over whole periods
of both tones), so the voice in the same mix does not count. Loudness is read back with
FFmpeg's own EBU R128 meter.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from services.render.compiler import TimeRange
from tests.unit.render.helpers import render_spec
from tests.unit.render.loudness import loudness

WINDOW = 0.1  # 66 periods of 660 Hz, 44 of 440 Hz
DUCK = {"under": ["voice"], "amount_db": -12, "attack": 0.2, "release": 0.5}


def spec(*elements: dict[str, Any], duration: float = 3.5, **output: Any) -> dict[str, Any]:
    return {
        "output": {"width": 64, "height": 36, "fps": 10, "duration": duration,
                   "quality": {"preset": "ultrafast"}, **output},
        "elements": list(elements),
    }


def music(**fields: Any) -> dict[str, Any]:
    return {"type": "audio", "id": "music", "source": "tone.wav", "loop": True, **fields}


VOICE = {"type": "audio", "id": "voice", "source": "pattern.mp4", "start": 1, "duration": 1}


def samples(path: Path) -> np.ndarray:
    """The first audio stream as mono float samples from t = 0 (48 kHz)."""
    chunks = []
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=48000)
        for frame in container.decode(stream):
            chunks += [mono.to_ndarray().reshape(-1) for mono in resampler.resample(frame)]
    return np.concatenate(chunks).astype(np.float64)


def tone_level(data: np.ndarray, start: float, frequency: float = 660.0) -> float:
    """The amplitude of the `frequency` sine in [start, start + WINDOW)."""
    first = round(start * 48000)
    window = data[first:first + round(WINDOW * 48000)]
    times = np.arange(window.size) / 48000
    sine = float(np.mean(window * np.sin(2 * np.pi * frequency * times)))
    cosine = float(np.mean(window * np.cos(2 * np.pi * frequency * times)))
    return 2 * math.hypot(sine, cosine)


def db(ratio: float) -> float:
    return 20 * math.log10(ratio)


def test_the_music_ducks_while_the_voice_sounds_and_comes_back_after_the_release(
    media: Any, tmp_path: Path
) -> None:
    out = tmp_path / "ducked.mp4"
    render_spec(spec(music(duck=DUCK), VOICE), media.dir, out)
    data = samples(out)
    before = tone_level(data, 0.5)
    assert before > 0.05
    ducked = [db(tone_level(data, t) / before) for t in (1.3, 1.5, 1.8)]
    assert all(level <= -12 + 2 for level in ducked), ducked
    assert tone_level(data, 1.5, 440.0) > 0.05  # the voice itself is not lowered
    after = db(tone_level(data, 2.7) / before)
    assert abs(after) <= 1, after
    releasing = db(tone_level(data, 2.2) / before)
    assert -12 < releasing < -1, releasing  # on its way back, not a jump


def test_a_slice_ducks_like_the_same_window_of_the_full_render(
    media: Any, tmp_path: Path
) -> None:
    full, part = tmp_path / "full.mp4", tmp_path / "part.mp4"
    document = spec(music(duck=DUCK), VOICE)
    render_spec(document, media.dir, full)
    render_spec(document, media.dir, part, time_range=TimeRange(1.5, 3.0))
    whole, sliced = samples(full), samples(part)
    for start in (0.1, 0.5, 0.7, 0.9, 1.2):
        expected = tone_level(whole, 1.5 + start)
        measured = tone_level(sliced, start)
        assert abs(measured - expected) < 0.03 * tone_level(whole, 0.5), (start, measured)


@pytest.mark.parametrize("gain", [0.25, 3.0], ids=["quiet-mix-raised", "loud-mix-lowered"])
def test_output_loudness_lands_on_the_target_under_the_true_peak_ceiling(
    media: Any, tmp_path: Path, gain: float
) -> None:
    plain, loud = tmp_path / "plain.mp4", tmp_path / "loud.mp4"
    # A steady mix: loudnorm's single pass (services/render/sound.py) follows a level that
    # changes a lot only within a few LU (docs/decisions.md has the figures).
    elements = (music(volume=gain),
                {**VOICE, "volume": 2 * gain, "loop": True, "start": 0, "duration": 6})
    render_spec(spec(*elements, duration=6), media.dir, plain)
    target = {"target_lufs": -14, "true_peak": -1}
    render_spec(spec(*elements, duration=6, loudness=target), media.dir, loud)
    before, _ = loudness(plain)
    assert abs(before - -14) > 6, before  # the mix starts well away from the target
    integrated, peak = loudness(loud)
    assert abs(integrated - -14) <= 1, integrated
    assert peak <= -1, peak


def test_output_loudness_lands_on_the_target_for_a_mix_with_a_loud_burst(
    media: Any, tmp_path: Path
) -> None:
    """Quiet music with a voice 20 dB above it for one second: one gain measured over the
    whole mix (a dynamic, windowed normalisation misses the target here by a few LU)."""
    plain, loud = tmp_path / "plain.mp4", tmp_path / "loud.mp4"
    elements = (music(volume=0.1), {**VOICE, "volume": 1.0, "start": 2})
    render_spec(spec(*elements, duration=6), media.dir, plain)
    data = samples(plain)
    burst, quiet = tone_level(data, 2.5, 440.0), tone_level(data, 4.5)
    assert db(burst / quiet) > 15, (burst, quiet)  # the level jumps
    target = {"target_lufs": -16, "true_peak": -1.5}
    render_spec(spec(*elements, duration=6, loudness=target), media.dir, loud)
    integrated, peak = loudness(loud)
    assert abs(integrated - -16) <= 1, integrated
    assert peak <= -1.5, peak
    levels = samples(loud)  # one gain: the quiet part keeps its distance to the burst
    assert abs(db(tone_level(levels, 2.5, 440.0) / tone_level(levels, 4.5))
               - db(burst / quiet)) < 1.5


def test_a_normalised_slice_has_the_full_renders_gain(media: Any, tmp_path: Path) -> None:
    full, part = tmp_path / "full.mp4", tmp_path / "part.mp4"
    document = spec(music(volume=0.3), {**VOICE, "start": 2}, duration=6,
                    loudness={"target_lufs": -14, "true_peak": -1})
    render_spec(document, media.dir, full)
    render_spec(document, media.dir, part, time_range=TimeRange(4.0, 6.0))
    whole, sliced = samples(full), samples(part)
    for start in (0.2, 0.8, 1.5):
        expected = tone_level(whole, 4.0 + start)
        assert abs(tone_level(sliced, start) - expected) < 0.03 * expected, start


def test_a_gain_that_would_pass_the_ceiling_is_limited_to_it(media: Any, tmp_path: Path) -> None:
    """A loud target under a low ceiling: the measured gain would put the peaks over it, so
    the limiter holds them there, and the loudness still lands within 1 LU."""
    out = tmp_path / "limited.mp4"
    elements = (music(volume=0.25), {**VOICE, "volume": 0.5, "loop": True, "start": 0,
                                     "duration": 6})
    target = {"target_lufs": -10, "true_peak": -6}
    render_spec(spec(*elements, duration=6, loudness=target), media.dir, out)
    integrated, peak = loudness(out)
    assert peak <= -6, peak
    assert abs(integrated - -10) <= 1, integrated
