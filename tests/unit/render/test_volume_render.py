"""Volume envelopes (`volume` keyframes) on decoded samples: the level follows the curve.

tone.wav is a 660 Hz sine, seconds.mp4 and pattern.mp4 carry a 440 Hz one. The level of a
window is compared with the same window of a render at volume 1, times the root mean
square of the expected gain over the window (worked out here with numpy, not with the
engine's own track maths).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from services.render.compiler import TimeRange
from shared.composition.keyframes import parse_easing
from tests.unit.render.helpers import audio_rms, render_spec

WINDOW = 0.1
EASE_IN = parse_easing("ease-in")


def spec(*elements: dict[str, Any], duration: float = 3.0) -> dict[str, Any]:
    return {
        "output": {"width": 64, "height": 36, "fps": 10, "duration": duration,
                   "quality": {"preset": "ultrafast"}},
        "elements": list(elements),
    }


def expected_level(gain: Callable[[np.ndarray], np.ndarray], start: float) -> float:
    """The RMS of the gain over [start, start + WINDOW) (a sine's RMS scales with it)."""
    times = np.linspace(start, start + WINDOW, 200, endpoint=False)
    return float(np.sqrt(np.mean(np.square(gain(times)))))


def tone(**fields: Any) -> dict[str, Any]:
    return {"type": "audio", "source": "tone.wav", "start": 0.5, "duration": 2, **fields}


def envelope(local: np.ndarray) -> np.ndarray:
    """0 -> 1 linear over the first half (to "50%"), then ease-in down to 0.25 at 2 s."""
    rise = np.clip(local, 0.0, 1.0)
    fall = np.array([EASE_IN(float(p)) for p in np.clip(local - 1.0, 0.0, 1.0)])
    return np.where(local < 1.0, rise, 1.0 - 0.75 * fall)


ENVELOPE = [{"time": 0, "value": 0}, {"time": "50%", "value": 1},
            {"time": 2, "value": 0.25, "easing": "ease-in"}]


def test_volume_keyframes_shape_the_level_along_their_easings(
    media: Any, tmp_path: Path
) -> None:
    full, shaped = tmp_path / "full.mp4", tmp_path / "shaped.mp4"
    render_spec(spec(tone()), media.dir, full)
    render_spec(spec(tone(volume=ENVELOPE)), media.dir, shaped)
    assert audio_rms(shaped, 0.0, 0.45) < 1e-3  # before the element
    assert audio_rms(shaped, 2.55, 3.0) < 1e-3  # after it
    misses = []
    for start in np.arange(0.05, 1.85, WINDOW):
        when = 0.5 + float(start)
        reference = audio_rms(full, when, when + WINDOW)
        measured = audio_rms(shaped, when, when + WINDOW)
        wanted = reference * expected_level(envelope, float(start))
        if abs(measured - wanted) > 0.03 * reference:
            misses.append((round(float(start), 2), measured / reference, wanted / reference))
    assert not misses, misses
    rising = [audio_rms(shaped, 0.5 + s, 0.6 + s) for s in np.arange(0.0, 1.0, WINDOW)]
    assert all(b > a for a, b in pairwise(rising)), rising


def test_a_slice_has_the_level_of_the_same_window_in_the_full_render(
    media: Any, tmp_path: Path
) -> None:
    full, part = tmp_path / "full.mp4", tmp_path / "part.mp4"
    document = spec(tone(volume=ENVELOPE))
    render_spec(document, media.dir, full)
    render_spec(document, media.dir, part, time_range=TimeRange(1.0, 2.0))
    for start in (0.1, 0.3, 0.5, 0.7):
        whole = audio_rms(full, 1.0 + start, 1.0 + start + WINDOW)
        sliced = audio_rms(part, start, start + WINDOW)
        assert abs(sliced - whole) < 0.03 * max(whole, 0.01), (start, sliced, whole)


def test_a_volume_envelope_multiplies_the_transitions_audio_crossfade(
    media: Any, tmp_path: Path
) -> None:
    """B fades in over the 1 s transition (its crossfade) *and* follows its own envelope."""
    picture = {"width": 64, "height": 36, "fit": "fill"}
    a = {"type": "video", "source": "pattern.mp4", "duration": 1.5, "muted": True, **picture}
    b = {"type": "video", "source": "seconds.mp4", "start": 0.5, "duration": 1.5, **picture,
         "transition": {"type": "fade", "duration": 1}}
    flat, shaped = tmp_path / "flat.mp4", tmp_path / "shaped.mp4"
    render_spec(spec(a, {**b, "transition": None}, duration=2.0), media.dir, flat)
    ramp = [{"time": 0, "value": 0.2}, {"time": 1.5, "value": 1}]
    render_spec(spec(a, {**b, "volume": ramp}, duration=2.0), media.dir, shaped)

    def gain(local: np.ndarray) -> np.ndarray:
        return np.clip(local, 0.0, 1.0) * (0.2 + 0.8 * local / 1.5)

    misses = []
    for start in np.arange(0.05, 1.4, WINDOW):
        when = 0.5 + float(start)
        reference = audio_rms(flat, when, when + WINDOW)
        measured = audio_rms(shaped, when, when + WINDOW)
        wanted = reference * expected_level(gain, float(start))
        if abs(measured - wanted) > 0.03 * reference:
            misses.append((round(float(start), 2), measured / reference, wanted / reference))
    assert not misses, misses
