"""Looks on decoded pixels of real renders: crop, speed, chroma key, filters and LUTs.

Sources are generated once per module (tests/unit/render/looks_media.py). Regions are
sampled a few pixels inside their edges: 4:2:0 chroma blurs colour edges by a pixel or two.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from services.render.engine import TimeRange
from tests.unit.render.helpers import BLUE, LIME, decode_frames, frame_at, render_spec, rgb_near
from tests.unit.render.looks_media import (
    COUNTER_FRAMES,
    DARK,
    LIGHT,
    SKIN,
    LooksMedia,
    make_looks_media,
)

W, H = 160, 120


@pytest.fixture(scope="module")
def looks(tmp_path_factory: pytest.TempPathFactory) -> LooksMedia:
    return make_looks_media(tmp_path_factory.mktemp("looks"))


def spec(*elements: dict[str, Any], duration: float | None = 0.5, size: tuple[int, int] = (W, H),
         background: str = "#808080") -> dict[str, Any]:
    output: dict[str, Any] = {"width": size[0], "height": size[1], "background": background,
                              "quality": {"preset": "ultrafast", "crf": 1}}
    if duration is not None:
        output["duration"] = duration
    return {"output": output, "elements": list(elements)}


def still(folder: Path, tmp_path: Path, *elements: dict[str, Any]) -> np.ndarray:
    out = tmp_path / "out.mp4"
    render_spec(spec(*elements), folder, out)
    return frame_at(out, 0.25).astype(int)


def full(source: str, **more: Any) -> dict[str, Any]:
    return {"type": "image", "source": source, "x": 0, "y": 0, "width": W, "height": H,
            "fit": "fill", **more}


# --- crop ------------------------------------------------------------------------------------


def test_crop_in_pixels_maps_that_region_to_the_box(media: Any, tmp_path: Path) -> None:
    # bands.png is 400x200: red | lime | blue | white, 100 px each; keep lime | blue
    frame = still(media.dir, tmp_path, full("bands.png", crop={"x": 100, "y": 0, "width": 200,
                                                               "height": 200}))
    assert rgb_near(frame[60, 4:76].mean(axis=0), LIME, 30)
    assert rgb_near(frame[60, 84:156].mean(axis=0), BLUE, 30)


def test_crop_in_percent_keeps_one_band(media: Any, tmp_path: Path) -> None:
    frame = still(media.dir, tmp_path, full("bands.png", crop={"x": "50%", "y": "10%",
                                                               "width": "25%", "height": "50%"}))
    assert rgb_near(frame[4:116, 4:156].reshape(-1, 3).min(axis=0), BLUE, 40)
    assert rgb_near(frame[4:116, 4:156].reshape(-1, 3).max(axis=0), BLUE, 40)


def test_crop_comes_before_fit(media: Any, tmp_path: Path) -> None:
    # a 100x200 crop (one band) contained in a 160x120 box: 60 px wide, centred, grey aside
    frame = still(media.dir, tmp_path, full("bands.png", fit="contain",
                                            crop={"x": 0, "width": 100, "height": 200}))
    assert rgb_near(frame[60, 55:105].mean(axis=0), (255, 0, 0), 30)
    assert rgb_near(frame[60, 5:45].mean(axis=0), (128, 128, 128), 12)


# --- speed -----------------------------------------------------------------------------------


def _source_index(frame: np.ndarray, ramp: list[float]) -> int:
    """Which counter frame `frame` shows: the one whose decoded grey is nearest."""
    grey = float(frame[8:56, 8:56].mean())
    return int(np.argmin([abs(grey - value) for value in ramp]))


@pytest.fixture(scope="module")
def ramp(looks: LooksMedia) -> list[float]:
    frames = decode_frames(looks.dir / "counter.mp4")
    assert len(frames) == COUNTER_FRAMES
    return [float(image[8:56, 8:56].mean()) for _, image in frames]


def _counter(speed: float) -> dict[str, Any]:
    return {"type": "video", "source": "counter.mp4", "x": 0, "y": 0, "width": 64,
            "height": 64, "speed": speed}


def test_double_speed_shows_source_frame_2n_and_halves_the_length(
    looks: LooksMedia, ramp: list[float], tmp_path: Path
) -> None:
    out = tmp_path / "fast.mp4"
    render_spec(spec(_counter(2), duration=None, size=(64, 64)), looks.dir, out)
    frames = decode_frames(out)
    assert len(frames) == COUNTER_FRAMES // 2  # 2 s of source in 1 s
    assert [_source_index(image, ramp) for _, image in frames] == list(
        range(0, COUNTER_FRAMES, 2))


def test_half_speed_repeats_each_frame_and_doubles_the_length(
    looks: LooksMedia, ramp: list[float], tmp_path: Path
) -> None:
    out = tmp_path / "slow.mp4"
    render_spec(spec(_counter(0.5), duration=None, size=(64, 64)), looks.dir, out)
    frames = decode_frames(out)
    assert len(frames) == COUNTER_FRAMES * 2
    assert [_source_index(image, ramp) for _, image in frames] == [
        n // 2 for n in range(COUNTER_FRAMES * 2)]


@pytest.mark.parametrize("start", [0.2, 0.215])
def test_a_slice_of_a_sped_up_element_equals_the_full_render(
    looks: LooksMedia, ramp: list[float], tmp_path: Path, start: float
) -> None:
    element = {**_counter(3), "start": start, "trim_start": 0.1}
    document = spec(element, duration=None, size=(64, 64))
    whole, part = tmp_path / "whole.mp4", tmp_path / "part.mp4"
    render_spec(document, looks.dir, whole)
    render_spec(document, looks.dir, part, time_range=TimeRange(0.4, 0.7))
    full_index = [_source_index(image, ramp) for _, image in decode_frames(whole)]
    part_index = [_source_index(image, ramp) for _, image in decode_frames(part)]
    assert len(part_index) == 9
    assert part_index == full_index[12:21]
    # output frame k shows the source frame due at 0.1 s + 3 x (k/30 - start), or before
    first = math.ceil(start * 30 - 1e-9)
    expected = [math.floor((0.1 + 3 * (k / 30 - start)) * 30 + 1e-6)
                for k in range(first, len(full_index))]
    assert full_index[first:] == expected


def _dominant_hz(path: Path, start: float, end: float) -> tuple[float, float]:
    """(the strongest frequency, seconds of sound) of the first audio stream in [start, end)."""
    chunks = []
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=48000)
        for frame in container.decode(audio=0):
            for mono in resampler.resample(frame):
                chunks.append(mono.to_ndarray().reshape(-1))
    samples = np.concatenate(chunks)
    loud = np.flatnonzero(np.abs(samples) > 0.05)
    window = samples[int(start * 48000):int(end * 48000)]
    spectrum = np.abs(np.fft.rfft(window * np.hanning(window.size)))
    return float(np.fft.rfftfreq(window.size, 1 / 48000)[spectrum.argmax()]), (
        (loud[-1] - loud[0]) / 48000 if loud.size else 0.0)


@pytest.mark.parametrize("speed", [2.0, 0.4, 5.0])
def test_speed_keeps_the_pitch_and_scales_the_sounds_length(
    looks: LooksMedia, tmp_path: Path, speed: float
) -> None:
    out = tmp_path / "sound.mp4"
    render_spec(spec(_counter(speed), duration=None, size=(64, 64)), looks.dir, out)
    length = 2.0 / speed
    hz, sounding = _dominant_hz(out, 0.05, min(length, 1.5) - 0.05)
    assert abs(hz - 440) < 8
    assert abs(sounding - length) < 0.1


# --- chroma key ------------------------------------------------------------------------------


def test_chroma_key_shows_the_layer_below_and_keeps_skin(
    media: Any, looks: LooksMedia, tmp_path: Path
) -> None:
    below = full(str(media.path("blue.png")))
    keyed = full("screen.png", chroma_key={"color": "#00ff00", "similarity": 0.2})
    frame = still(looks.dir, tmp_path, below, keyed)
    assert rgb_near(frame[10:30, 10:50].reshape(-1, 3).mean(axis=0), BLUE, 20)
    assert rgb_near(frame[95:115, 110:150].reshape(-1, 3).mean(axis=0), BLUE, 20)
    assert rgb_near(frame[45:75, 65:95].reshape(-1, 3).mean(axis=0), SKIN, 20)


# --- filters ---------------------------------------------------------------------------------


def _halves(frame: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return (frame[10:110, 10:70].reshape(-1, 3).mean(axis=0),
            frame[10:110, 90:150].reshape(-1, 3).mean(axis=0))


def _spread(pixel: np.ndarray) -> float:
    return float(pixel.max() - pixel.min())


def test_two_tone_source_decodes_as_made(looks: LooksMedia, tmp_path: Path) -> None:
    dark, light = _halves(still(looks.dir, tmp_path, full("two_tone.png")))
    assert rgb_near(dark, DARK, 6) and rgb_near(light, LIGHT, 6)


def test_grayscale_has_equal_channels(looks: LooksMedia, tmp_path: Path) -> None:
    frame = still(looks.dir, tmp_path, full("two_tone.png", filters={"grayscale": 1}))
    inner = frame[10:110, 10:150]
    assert int(np.abs(inner[..., 0] - inner[..., 1]).max()) <= 1
    assert int(np.abs(inner[..., 1] - inner[..., 2]).max()) <= 1


def test_brightness_raises_every_channel_by_about_its_share(
    looks: LooksMedia, tmp_path: Path
) -> None:
    dark, _ = _halves(still(looks.dir, tmp_path, full("two_tone.png",
                                                      filters={"brightness": 0.2})))
    gain = dark - np.asarray(DARK)
    assert np.all(gain > 30) and np.all(gain < 80), gain  # 0.2 of full scale is 51


def test_contrast_widens_the_gap_between_dark_and_light(
    looks: LooksMedia, tmp_path: Path
) -> None:
    dark, light = _halves(still(looks.dir, tmp_path, full("two_tone.png",
                                                          filters={"contrast": 2})))
    before = float(np.mean(np.asarray(LIGHT) - np.asarray(DARK)))
    after = float(np.mean(light - dark))
    assert 1.6 < after / before < 2.6, (before, after)


def test_saturation_scales_the_colour_spread(looks: LooksMedia, tmp_path: Path) -> None:
    dull, _ = _halves(still(looks.dir, tmp_path, full("two_tone.png",
                                                      filters={"saturation": 0})))
    vivid, _ = _halves(still(looks.dir, tmp_path, full("two_tone.png",
                                                       filters={"saturation": 2})))
    assert _spread(dull) <= 3
    assert 1.6 < _spread(vivid) / _spread(np.asarray(DARK, dtype=float)) < 2.6


def test_every_filter_together_renders_and_each_leaves_its_mark(
    looks: LooksMedia, tmp_path: Path
) -> None:
    filters = {"gamma": 1.5, "hue": 90, "blur": 2, "sharpen": 1, "sepia": 0.5,
               "vignette": 0.6}
    plain = still(looks.dir, tmp_path, full("two_tone.png"))
    frame = still(looks.dir, tmp_path, full("two_tone.png", filters=filters))
    # the vignette darkens a corner well below a spot of the same half nearer the centre
    assert frame[2:8, 2:8].mean() < frame[55:65, 60:70].mean() - 10
    # the blur softens the hard edge between the halves: more intermediate columns
    def edge_width(image: np.ndarray) -> int:
        row = image[60, 60:100].mean(axis=1)
        low, high = row.min(), row.max()
        return int(np.sum((row > low + 0.1 * (high - low)) & (row < high - 0.1 * (high - low))))
    assert edge_width(frame) > edge_width(plain)


def test_sepia_makes_red_over_green_over_blue(looks: LooksMedia, tmp_path: Path) -> None:
    frame = still(looks.dir, tmp_path, full("two_tone.png", filters={"sepia": 1,
                                                                     "saturation": 0}))
    _, light = _halves(frame)
    assert light[0] > light[1] + 10 > light[2] + 20


# --- LUT -------------------------------------------------------------------------------------


def test_identity_lut_changes_nothing(media: Any, looks: LooksMedia, tmp_path: Path) -> None:
    source = str(media.path("bands.png"))
    plain = still(looks.dir, tmp_path, full(source))
    graded = still(looks.dir, tmp_path, full(source, lut="identity.cube"))
    assert int(np.abs(plain - graded).max()) <= 2


def test_inverting_lut_inverts(looks: LooksMedia, tmp_path: Path) -> None:
    dark, light = _halves(still(looks.dir, tmp_path, full("two_tone.png", lut="invert.cube")))
    assert rgb_near(dark, tuple(255 - value for value in DARK), 6)
    assert rgb_near(light, tuple(255 - value for value in LIGHT), 6)


def test_looks_keep_their_order_key_then_filters(
    media: Any, looks: LooksMedia, tmp_path: Path
) -> None:
    # the key reads the source's own green (before a hue turn), the skin then turns and
    # darkens; the vignette keeps the keyed transparency
    below = full(str(media.path("blue.png")))
    keyed = full("screen.png", chroma_key={"color": "#00ff00", "similarity": 0.2},
                 filters={"hue": 180, "vignette": 0.5}, lut="identity.cube")
    frame = still(looks.dir, tmp_path, below, keyed)
    assert rgb_near(frame[10:30, 10:50].reshape(-1, 3).mean(axis=0), BLUE, 20)
    centre = frame[50:70, 70:90].reshape(-1, 3).mean(axis=0)
    assert centre[2] > centre[0]  # skin (red over blue) turned half-way round the hue circle


@pytest.mark.parametrize("trim", [0.0, 0.5])
def test_a_looped_sped_up_video_repeats_at_its_speed(
    looks: LooksMedia, ramp: list[float], tmp_path: Path, trim: float
) -> None:
    out = tmp_path / "loop.mp4"
    element = {**_counter(2), "past_end": "loop", "duration": 1.5, "trim_start": trim}
    render_spec(spec(element, duration=None, size=(64, 64)), looks.dir, out)
    shown = [_source_index(image, ramp) for _, image in decode_frames(out)]
    first, left = round(trim * 30), COUNTER_FRAMES - round(trim * 30)  # source frames per pass
    assert shown == [first + (2 * n) % left for n in range(45)]


def test_filters_apply_to_an_element_drawn_over_the_canvas(
    media: Any, tmp_path: Path
) -> None:
    # not from the canvas's first frame: drawn with overlay, not as the backdrop
    frame = still(media.dir, tmp_path, full("bands.png", start=0.1, filters={"grayscale": 1},
                                            crop={"x": 100, "width": 200, "height": 200}))
    inner = frame[10:110, 10:150]
    assert int(np.abs(inner[..., 0] - inner[..., 2]).max()) <= 1
    assert abs(int(frame[60, 40, 0]) - int(frame[60, 120, 0])) > 30  # lime and blue differ


@pytest.mark.parametrize("source", ["screen.png", "screen.mp4"])
def test_a_keyed_picture_keeps_its_transparency_under_a_ken_burns_zoom(
    media: Any, looks: LooksMedia, tmp_path: Path, source: str
) -> None:
    below = full(str(media.path("blue.png")))
    keyed = {**full(source, chroma_key={"color": "#00ff00", "similarity": 0.2}),
             "type": "image" if source.endswith(".png") else "video",
             "motion": {"type": "zoom-in", "amount": 0.1}}
    frame = still(looks.dir, tmp_path, below, keyed)
    assert rgb_near(frame[5:20, 5:40].reshape(-1, 3).mean(axis=0), BLUE, 20)
    assert rgb_near(frame[50:70, 70:90].reshape(-1, 3).mean(axis=0), SKIN, 24)
