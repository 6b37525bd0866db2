"""When things are on screen and audible, checked on decoded frames and samples.

Canvas 160x90 at 30 fps on black. Frames are sampled in the middle of a frame interval
((n + 0.5) / 30 s), so "frame n" is unambiguous. seconds.mp4 is red in [0, 1), lime in
[1, 2) and blue in [2, 3) and carries a 440 Hz sine; tone.wav is a 660 Hz sine.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.unit.render.helpers import (
    BLACK,
    BLUE,
    LIME,
    RED,
    audio_rms,
    decode_frames,
    frame_at,
    render_spec,
    rgb_near,
    stream_info,
)

FPS = 30
SILENT = 1e-3  # RMS of digital silence after a lossy codec is well below this
AUDIBLE = 0.03  # the test sines have an RMS of ~0.088 at volume 1


def spec(*elements: dict[str, Any], **output: Any) -> dict[str, Any]:
    return {
        "output": {"width": 160, "height": 90, "fps": FPS, "quality": {"preset": "ultrafast"},
                   **output},
        "elements": list(elements),
    }


def render(media: Any, tmp_path: Path, document: dict[str, Any], name: str = "out.mp4") -> Path:
    out = tmp_path / name
    render_spec(document, media.dir, out)
    return out


def at_frame(path: Path, number: int) -> np.ndarray:
    """The centre pixel of frame `number`."""
    frame = frame_at(path, (number + 0.5) / FPS)
    return np.asarray(frame[45, 80])


def red_full(**fields: Any) -> dict[str, Any]:
    return {"type": "image", "source": "red.png", "width": 160, "height": 90, "fit": "fill",
            **fields}


# --- visibility in time -----------------------------------------------------------------


@pytest.mark.parametrize(
    "timing",
    [pytest.param({"duration": 1}, id="duration"), pytest.param({"end": 1.5}, id="end")],
)
def test_element_is_shown_exactly_from_start_to_end(
    media: Any, tmp_path: Path, timing: dict[str, Any]
) -> None:
    out = render(media, tmp_path, spec(red_full(start=0.5, **timing), duration=2))
    # [0.5, 1.5) is frames 15..44 at 30 fps.
    assert rgb_near(at_frame(out, 0), BLACK)
    assert rgb_near(at_frame(out, 14), BLACK)
    assert rgb_near(at_frame(out, 15), RED)
    assert rgb_near(at_frame(out, 44), RED)
    assert rgb_near(at_frame(out, 45), BLACK)
    assert rgb_near(at_frame(out, 59), BLACK)


def test_video_element_is_shown_only_from_start_to_end(media: Any, tmp_path: Path) -> None:
    out = render(
        media, tmp_path,
        spec({"type": "video", "source": "seconds.mp4", "start": 0.5, "end": 1.0}, duration=1.5),
    )
    assert rgb_near(at_frame(out, 14), BLACK)
    # The element's first frame is the source's first frame (red), not source time 0.5.
    assert rgb_near(at_frame(out, 15), RED)
    assert rgb_near(at_frame(out, 29), RED)
    assert rgb_near(at_frame(out, 30), BLACK)


@pytest.mark.parametrize(
    ("source", "start", "first"),
    [
        # A still's time base is 1/25: 0.5 s is 12.5 ticks there, 15 frames at 30 fps.
        pytest.param("red.png", 0.5, 15, id="image"),
        pytest.param("red.png", 1 / 3, 10, id="image-third"),
        # A video whose time base is 1/25: 0.1 s is 2.5 ticks there, 3 frames at 30 fps.
        pytest.param("coarse.mp4", 0.1, 3, id="video-coarse-time-base"),
    ],
)
def test_start_and_end_land_on_the_right_frame_whatever_the_source_time_base(
    media: Any, tmp_path: Path, source: str, start: float, first: int
) -> None:
    element = {"type": "image" if source.endswith(".png") else "video", "source": source,
               "width": 160, "height": 90, "fit": "fill", "start": start, "duration": 0.5}
    out = render(media, tmp_path, spec(element, duration=1.5))
    shown = [n for n, (_, image) in enumerate(decode_frames(out)) if image[45, 80, 0] > 128]
    assert shown == list(range(first, first + 15))


# --- output duration ----------------------------------------------------------------------


def test_default_duration_is_the_end_of_the_last_element(media: Any, tmp_path: Path) -> None:
    out = render(
        media, tmp_path,
        spec(
            red_full(end=1.2),
            # natural length: 3 s - 2 s of trim = 1 s, from 0.5 s: ends at 1.5 s
            {"type": "video", "source": "seconds.mp4", "start": 0.5, "trim_start": 2,
             "width": 40, "x": 0, "y": 0},
        ),
    )
    info = stream_info(out)
    assert info.frames == 45
    assert info.duration is not None
    assert abs(info.duration - 1.5) <= 1 / FPS


def test_default_duration_counts_an_audio_elements_natural_length(
    media: Any, tmp_path: Path
) -> None:
    # tone.wav lasts 2 s; from 0.2 s with 0.5 s trimmed it ends at 1.7 s.
    out = render(
        media, tmp_path,
        spec(red_full(duration=1),
             {"type": "audio", "source": "tone.wav", "start": 0.2, "trim_start": 0.5}),
    )
    info = stream_info(out)
    assert info.frames == 51
    assert info.duration is not None
    assert abs(info.duration - 1.7) <= 1 / FPS


@pytest.mark.parametrize(
    "element",
    [
        pytest.param({"type": "image", "source": "red.png"}, id="image"),
        pytest.param({"type": "video", "source": "silent.mp4", "past_end": "loop"},
                     id="looping-video"),
        pytest.param({"type": "text", "text": "hi"}, id="text"),
    ],
)
def test_default_duration_is_ten_seconds_without_natural_lengths(
    media: Any, tmp_path: Path, element: dict[str, Any]
) -> None:
    document = spec(element)
    document["output"].update(width=32, height=32)
    out = render(media, tmp_path, document)
    info = stream_info(out)
    assert info.frames == 10 * FPS
    assert info.duration is not None
    assert abs(info.duration - 10) <= 1 / FPS


def test_output_duration_cuts_longer_elements(media: Any, tmp_path: Path) -> None:
    out = render(
        media, tmp_path, spec({"type": "video", "source": "seconds.mp4"}, duration=0.5)
    )
    info = stream_info(out)
    assert info.frames == 15
    assert info.duration is not None
    assert abs(info.duration - 0.5) <= 1 / FPS


# --- source time: trim_start and past_end -------------------------------------------------


def test_trim_start_shows_the_right_source_second(media: Any, tmp_path: Path) -> None:
    out = render(
        media, tmp_path,
        spec({"type": "video", "source": "seconds.mp4", "trim_start": 1, "duration": 1.5}),
    )
    assert rgb_near(at_frame(out, 0), LIME)  # source 1.0 s
    assert rgb_near(at_frame(out, 29), LIME)  # source ~1.97 s
    assert rgb_near(at_frame(out, 30), BLUE)  # source 2.0 s
    assert rgb_near(at_frame(out, 44), BLUE)


def test_trim_start_within_a_second(media: Any, tmp_path: Path) -> None:
    out = render(
        media, tmp_path,
        spec({"type": "video", "source": "seconds.mp4", "trim_start": 0.5, "start": 0.2,
              "duration": 1}),
    )
    # From 0.2 s the element shows source 0.5 s on: red until source 1.0 s = output 0.7 s.
    assert rgb_near(at_frame(out, 5), BLACK)
    assert rgb_near(at_frame(out, 6), RED)
    assert rgb_near(at_frame(out, 20), RED)
    assert rgb_near(at_frame(out, 21), LIME)


@pytest.mark.parametrize(
    ("past_end", "expected"),
    [
        pytest.param("freeze", BLUE, id="freeze-holds-the-last-frame"),
        pytest.param("loop", LIME, id="loop-restarts-at-trim-start"),
        pytest.param("cut", BLACK, id="cut-ends-the-element"),
    ],
)
def test_past_end_after_a_trim(
    media: Any, tmp_path: Path, past_end: str, expected: tuple[int, int, int]
) -> None:
    # 1.5 s of source are left after the trim (lime 0.5 s, then blue 1 s); the element
    # lasts 2.5 s. At 1.8 s the source is over: freeze shows blue, loop is 0.3 s into its
    # second pass (source 1.8 s: lime), cut shows the background.
    out = render(
        media, tmp_path,
        spec({"type": "video", "source": "seconds.mp4", "trim_start": 1.5, "duration": 2.5,
              "past_end": past_end}),
    )
    assert rgb_near(at_frame(out, 0), LIME)
    assert rgb_near(at_frame(out, 30), BLUE)
    assert rgb_near(at_frame(out, 54), expected)
    if past_end == "loop":
        assert rgb_near(at_frame(out, 45), LIME)  # exactly 1.5 s: the second pass begins
        assert rgb_near(at_frame(out, 74), BLUE)
    else:
        assert rgb_near(at_frame(out, 74), expected)
    info = stream_info(out)
    assert info.frames == 75


def test_loop_without_trim_repeats_from_the_start(media: Any, tmp_path: Path) -> None:
    out = render(
        media, tmp_path,
        spec({"type": "video", "source": "seconds.mp4", "duration": 3.5, "past_end": "loop"}),
    )
    assert rgb_near(at_frame(out, 89), BLUE)  # 2.97 s
    assert rgb_near(at_frame(out, 90), RED)  # 3.0 s: the second pass
    assert rgb_near(at_frame(out, 104), RED)


def test_cut_shortens_the_default_duration_only_to_the_elements_end(
    media: Any, tmp_path: Path
) -> None:
    # A cut video with no fixed length lasts its source; the output ends with it.
    out = render(
        media, tmp_path,
        spec({"type": "video", "source": "seconds.mp4", "trim_start": 2, "past_end": "cut"}),
    )
    assert stream_info(out).frames == 30


# --- opacity and fades ----------------------------------------------------------------------


def test_opacity_blends_with_what_is_below(media: Any, tmp_path: Path) -> None:
    out = render(media, tmp_path, spec(red_full(opacity=0.5), duration=0.5))
    r, g, b = (int(v) for v in at_frame(out, 5))
    assert 105 <= r <= 150, (r, g, b)
    assert g <= 20 and b <= 20, (r, g, b)


def test_opacity_zero_hides_the_element(media: Any, tmp_path: Path) -> None:
    out = render(media, tmp_path, spec(red_full(opacity=0), duration=0.5))
    assert rgb_near(at_frame(out, 5), BLACK, tol=8)


def test_fade_in_and_out_ramp_the_alpha(media: Any, tmp_path: Path) -> None:
    out = render(
        media, tmp_path,
        spec(red_full(start=0.5, duration=2, fade_in=1, fade_out=1), duration=3),
    )
    frames = decode_frames(out)
    red = [int(image[45, 80, 0]) for _, image in frames]
    assert len(red) == 90
    # Before the element: black. Fade in over frames 15..45, out over 45..75.
    assert red[14] <= 10
    assert red[15] <= 30
    assert 100 <= red[30] <= 155, red[30]  # midpoint of the fade in (local 0.5 s)
    assert red[44] >= 225
    assert 100 <= red[60] <= 155, red[60]  # midpoint of the fade out
    assert red[74] <= 30
    assert red[75] <= 10
    rising, falling = red[15:45], red[46:75]
    assert all(b >= a - 3 for a, b in pairwise(rising)), rising
    assert all(b <= a + 3 for a, b in pairwise(falling)), falling
    assert rising[-1] - rising[0] > 180
    assert falling[0] - falling[-1] > 180


def test_fade_applies_to_a_video(media: Any, tmp_path: Path) -> None:
    out = render(
        media, tmp_path,
        spec({"type": "video", "source": "seconds.mp4", "duration": 1, "fade_in": 1}),
    )
    red = [int(image[45, 80, 0]) for _, image in decode_frames(out)]
    assert red[0] <= 30
    assert 100 <= red[15] <= 155, red[15]
    assert red[29] >= 215


# --- sound ----------------------------------------------------------------------------------


def test_a_videos_sound_plays(media: Any, tmp_path: Path) -> None:
    out = render(media, tmp_path, spec({"type": "video", "source": "seconds.mp4", "end": 1}))
    assert audio_rms(out, 0.1, 0.9) > AUDIBLE


@pytest.mark.parametrize(
    "fields",
    [pytest.param({"muted": True}, id="muted"), pytest.param({"volume": 0}, id="volume-0")],
)
def test_muted_or_zero_volume_video_is_silent(
    media: Any, tmp_path: Path, fields: dict[str, Any]
) -> None:
    out = render(
        media, tmp_path, spec({"type": "video", "source": "seconds.mp4", "end": 1, **fields})
    )
    assert stream_info(out).audio_codec == "aac"
    assert audio_rms(out, 0.0, 1.0) < SILENT


def test_video_without_sound_gives_a_silent_track(media: Any, tmp_path: Path) -> None:
    out = render(media, tmp_path, spec({"type": "video", "source": "silent.mp4"}))
    assert stream_info(out).audio_codec == "aac"
    assert audio_rms(out, 0.0, 1.0) < SILENT


def test_audio_element_starts_on_time(media: Any, tmp_path: Path) -> None:
    out = render(
        media, tmp_path,
        spec(red_full(duration=2), {"type": "audio", "source": "tone.wav", "start": 1}),
    )
    assert audio_rms(out, 0.0, 0.95) < SILENT
    assert audio_rms(out, 1.05, 1.95) > AUDIBLE


def test_audio_element_ends_on_time(media: Any, tmp_path: Path) -> None:
    out = render(
        media, tmp_path,
        spec(red_full(duration=2), {"type": "audio", "source": "tone.wav", "duration": 1}),
    )
    assert audio_rms(out, 0.05, 0.95) > AUDIBLE
    assert audio_rms(out, 1.05, 2.0) < SILENT


def test_audio_volume_scales_the_level(media: Any, tmp_path: Path) -> None:
    full = render(
        media, tmp_path, spec({"type": "audio", "source": "tone.wav", "duration": 1}), "full.mp4"
    )
    half = render(
        media, tmp_path,
        spec({"type": "audio", "source": "tone.wav", "duration": 1, "volume": 0.5}), "half.mp4",
    )
    ratio = audio_rms(half, 0.1, 0.9) / audio_rms(full, 0.1, 0.9)
    assert 0.45 <= ratio <= 0.55, ratio


def test_audio_fade_in_ramps_the_level(media: Any, tmp_path: Path) -> None:
    out = render(
        media, tmp_path,
        spec({"type": "audio", "source": "tone.wav", "duration": 2, "fade_in": 1}),
    )
    early, late = audio_rms(out, 0.0, 0.2), audio_rms(out, 1.2, 1.8)
    assert late > AUDIBLE
    assert early < late / 4, (early, late)


def test_two_sounds_mix(media: Any, tmp_path: Path) -> None:
    one = render(
        media, tmp_path, spec({"type": "audio", "source": "tone.wav", "duration": 1}), "one.mp4"
    )
    two = render(
        media, tmp_path,
        spec({"type": "audio", "source": "tone.wav", "duration": 1},
             {"type": "video", "source": "seconds.mp4", "duration": 1}),
        "two.mp4",
    )
    # 660 Hz + 440 Hz at equal levels: uncorrelated, so the RMS grows by about sqrt(2).
    ratio = audio_rms(two, 0.1, 0.9) / audio_rms(one, 0.1, 0.9)
    assert 1.25 <= ratio <= 1.6, ratio
