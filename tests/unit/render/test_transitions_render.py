"""Transitions, entrances and exits, typewriter text and Ken Burns, on decoded pixels.

Canvas 160x90 at 10 fps. A transition runs from red A (0-2 s) to blue B (from 1 s), over
[1, 2): at 1.5 s it is half way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from services.render.compiler import TimeRange, compile_plan
from tests.unit.render.helpers import (
    BLUE,
    LIME,
    RED,
    WHITE,
    audio_rms,
    decode_frames,
    ffmpeg,
    frame_at,
    plan_for,
    render_spec,
    rgb_near,
)

W, H = 160, 90
FULL: dict[str, Any] = {"width": W, "height": H, "fit": "fill"}


def spec(*elements: dict[str, Any], duration: float = 2.0, **output: Any) -> dict[str, Any]:
    return {
        "output": {"width": W, "height": H, "fps": 10, "duration": duration,
                   "background": "#808080", "quality": {"preset": "ultrafast"}, **output},
        "elements": list(elements),
    }


def pair(kind: str) -> dict[str, Any]:
    return spec(
        {"type": "image", "source": "red.png", "duration": 2, **FULL},
        {"type": "image", "source": "blue.png", "start": 1, "duration": 1.5, **FULL,
         "transition": {"type": kind, "duration": 1}},
        duration=2.5,
    )


def test_wipe_left_half_way_shows_b_on_the_left_and_a_on_the_right(
    media: Any, tmp_path: Path
) -> None:
    out = tmp_path / "wipe.mp4"
    render_spec(pair("wipe-left"), media.dir, out)
    frame = frame_at(out, 1.5)
    assert rgb_near(frame[45, 20], BLUE) and rgb_near(frame[45, 70], BLUE)
    assert rgb_near(frame[45, 90], RED) and rgb_near(frame[45, 140], RED)
    assert rgb_near(frame_at(out, 1.0)[45, 20], RED)  # not started
    assert rgb_near(frame_at(out, 1.9)[45, 150], RED)  # B covers from the left: 90% there
    assert rgb_near(frame_at(out, 1.9)[45, 136], BLUE)
    assert rgb_near(frame_at(out, 2.0)[45, 150], BLUE)


@pytest.mark.parametrize(("kind", "b_at", "a_at"), [
    pytest.param("wipe-right", (140, 45), (20, 45), id="wipe-right"),
    pytest.param("wipe-up", (80, 10), (80, 80), id="wipe-up"),
    pytest.param("wipe-down", (80, 80), (80, 10), id="wipe-down"),
    pytest.param("smooth-left", (10, 45), (150, 45), id="smooth-left"),
    pytest.param("circle-close", (5, 5), (80, 45), id="circle-close"),
    pytest.param("slide-down", (80, 75), (80, 15), id="slide-down"),
])
def test_each_direction_uncovers_b_from_its_side(
    media: Any, tmp_path: Path, kind: str, b_at: tuple[int, int], a_at: tuple[int, int]
) -> None:
    out = tmp_path / f"{kind}.mp4"
    render_spec(pair(kind), media.dir, out)
    frame = frame_at(out, 1.5)
    assert rgb_near(frame[b_at[1], b_at[0]], BLUE), frame[b_at[1], b_at[0]]
    assert rgb_near(frame[a_at[1], a_at[0]], RED), frame[a_at[1], a_at[0]]


def test_fade_half_way_is_the_average_of_both(media: Any, tmp_path: Path) -> None:
    out = tmp_path / "fade.mp4"
    render_spec(pair("fade"), media.dir, out)
    assert rgb_near(frame_at(out, 1.5)[45, 80], (128, 0, 128), tol=14)
    assert rgb_near(frame_at(out, 1.0)[45, 80], RED, tol=14)


@pytest.mark.parametrize(("kind", "at", "expected"), [
    pytest.param("fade-black", 1.5, (0, 0, 0), id="fade-black-middle-is-black"),
    pytest.param("fade-white", 1.5, WHITE, id="fade-white-middle-is-white"),
    pytest.param("slide-left", 1.5, None, id="slide-left"),
    pytest.param("circle-open", 1.5, None, id="circle-open"),
    pytest.param("dissolve", 1.5, None, id="dissolve"),
    pytest.param("zoom-in", 1.5, (128, 0, 128), id="zoom-in"),
    pytest.param("pixelize", 1.7, BLUE, id="pixelize"),
    pytest.param("radial", 1.5, None, id="radial"),
    pytest.param("smooth-right", 1.5, None, id="smooth-right"),
])
def test_every_transition_goes_from_a_to_b(
    media: Any, tmp_path: Path, kind: str, at: float, expected: tuple[int, int, int] | None
) -> None:
    out = tmp_path / f"{kind}.mp4"
    render_spec(pair(kind), media.dir, out)
    assert rgb_near(frame_at(out, 0.9)[45, 80], RED)
    assert rgb_near(frame_at(out, 2.1)[45, 80], BLUE)
    middle = frame_at(out, at).astype(int)
    if expected is not None:
        assert rgb_near(middle[45, 80], expected, tol=30)
    else:  # part A, part B
        reds = ((middle[:, :, 0] > 150) & (middle[:, :, 2] < 100)).mean()
        blues = ((middle[:, :, 2] > 150) & (middle[:, :, 0] < 100)).mean()
        assert reds > 0.1 and blues > 0.1, (reds, blues)


def test_slide_left_moves_b_in_from_the_left_and_a_out_to_the_right(
    media: Any, tmp_path: Path
) -> None:
    out = tmp_path / "slide.mp4"
    render_spec(pair("slide-left"), media.dir, out)
    frame = frame_at(out, 1.5)
    assert rgb_near(frame[45, 40], BLUE) and rgb_near(frame[45, 120], RED)


def test_the_sound_of_two_videos_crossfades_over_the_window(media: Any, tmp_path: Path) -> None:
    document = spec(
        {"type": "video", "source": "pattern.mp4", "duration": 1.5, **FULL},
        {"type": "video", "source": "seconds.mp4", "start": 0.5, "duration": 1.5, **FULL,
         "muted": True, "transition": {"type": "fade", "duration": 1}},
    )
    out = tmp_path / "sound.mp4"
    render_spec(document, media.dir, out)
    steady = audio_rms(out, 0.1, 0.4)
    assert audio_rms(out, 0.55, 0.7) > 0.6 * steady  # the fade-out has just begun
    assert audio_rms(out, 1.3, 1.45) < 0.35 * steady  # almost out at the window's end
    assert audio_rms(out, 1.55, 1.9) < 0.01  # A stopped when the transition ended


@pytest.mark.parametrize(("kind", "check"), [
    pytest.param("fade", "half", id="fade"),
    pytest.param("slide-left", "left", id="slide-left"),
    pytest.param("wipe-left", "left", id="wipe-left"),
    pytest.param("pop", "smaller", id="pop"),
    pytest.param("zoom", "smaller", id="zoom"),
])
def test_entrances_start_hidden_and_end_in_place(
    media: Any, tmp_path: Path, kind: str, check: str
) -> None:
    element = {"type": "image", "source": "red.png", "width": 40, "duration": 2,
               "enter": {"type": kind, "duration": 1}, "exit": {"type": kind, "duration": 0.5}}
    out = tmp_path / f"{kind}.mp4"
    render_spec(spec(element), media.dir, out)
    frames = dict(decode_frames(out))
    start, settled, ending = frames[0.0], frames[1.2], frames[1.9]
    assert not ((start[:, :, 0] > 150) & (start[:, :, 1] < 80)).any()  # hidden at first
    assert rgb_near(settled[45, 80], RED) and rgb_near(settled[45, 62], RED)
    middle = frames[0.5].astype(int)
    reds = (middle[:, :, 0] > 170) & (middle[:, :, 1] < 90)
    if check == "half":
        assert rgb_near(middle[45, 80], (192, 64, 64), tol=20)
    elif check == "left":  # coming in from the left: only its left part or left of place
        assert reds.any() and np.nonzero(reds)[1].min() < 62
        assert not reds[:, 95:].any()
    else:  # drawn, faintly, smaller than in place
        drawn = np.abs(frames[0.2].astype(int) - 128).max(axis=2) > 10
        assert 0 < drawn.sum() < 0.8 * 40 * 40
    assert not rgb_near(ending[45, 80], RED) or not rgb_near(ending[45, 62], RED)


def _bars(frame: np.ndarray) -> int:
    """How many separate runs of white pixels cross the middle row of the text."""
    row = frame[45, :, :].astype(int).min(axis=1) > 160
    return int(np.count_nonzero(row[1:] & ~row[:-1]) + int(row[0]))


@pytest.mark.parametrize("kind", ["typewriter", "word-by-word"])
def test_typewriter_shows_k_characters_at_step_k(media: Any, tmp_path: Path, kind: str) -> None:
    text = "I I I I" if kind == "word-by-word" else "IIII"
    element = {"type": "text", "text": text, "font_size": 40, "color": "white",
               "duration": 2, "enter": {"type": kind, "duration": 0.8}}
    out = tmp_path / "typed.mp4"
    render_spec(spec(element), media.dir, out)
    frames = dict(decode_frames(out))
    # four steps of 0.2 s: step k (k shown) covers [0.2 k, 0.2 (k + 1))
    assert [_bars(frames[t]) for t in (0.1, 0.3, 0.5, 0.7, 0.9, 1.5)] == [0, 1, 2, 3, 4, 4]


def test_typewriter_exit_takes_the_characters_away_from_the_end(
    media: Any, tmp_path: Path
) -> None:
    element = {"type": "text", "text": "IIII", "font_size": 40, "color": "white",
               "duration": 2, "exit": {"type": "typewriter", "duration": 0.8}}
    out = tmp_path / "untyped.mp4"
    render_spec(spec(element), media.dir, out)
    frames = dict(decode_frames(out))
    # the exit's steps: 4 shown until 0.2 s into it, then one fewer every 0.2 s
    assert [_bars(frames[t]) for t in (1.1, 1.3, 1.5, 1.7, 1.9)] == [4, 4, 3, 2, 1]


@pytest.mark.parametrize("kind", ["image", "video"])
def test_ken_burns_zooms_into_the_focus_smoothly(media: Any, tmp_path: Path, kind: str) -> None:
    # bands.png: red | lime | blue | white, 100 px each; zoom 2 on the middle keeps
    # lime | blue, each half of the box. A video's frames take the other path.
    source = "bands.png"
    if kind == "video":
        source = str(tmp_path / "bands.mp4")
        ffmpeg("-loop", "1", "-i", str(media.path("bands.png")), "-t", "1.5", "-r", "25",
               "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p", source)
    element = {"type": kind, "source": source, "width": 160, "height": 80,
               "fit": "fill", "duration": 1,
               "motion": {"type": "ken-burns", "from": {"zoom": 1},
                          "to": {"zoom": 2, "focus": ["50%", "50%"]}}}
    out = tmp_path / "burns.mp4"
    render_spec(spec(element, duration=1.2), media.dir, out)
    start, end = frame_at(out, 0.0), frame_at(out, 0.9)
    assert rgb_near(start[45, 10], RED) and rgb_near(start[45, 150], WHITE)
    assert rgb_near(end[45, 10], LIME) and rgb_near(end[45, 150], BLUE)
    edges = []  # where lime turns blue: at the centre throughout, never jumping back
    for _, frame in decode_frames(out)[:10]:
        row = frame[45].astype(int)
        edges.append(int(np.argmax((row[:, 2] > 128) & (row[:, 1] < 128))))
    assert all(abs(edge - 80) <= 1 for edge in edges), edges


def test_a_slice_of_an_animated_composition_is_those_frames_of_the_full_render(
    media: Any, tmp_path: Path
) -> None:
    lossless = {"preset": "ultrafast", "crf": 0}
    document = spec(
        {"type": "image", "source": "bands.png", "duration": 2, **FULL,
         "motion": {"type": "zoom-in"}},
        {"type": "image", "source": "halves.png", "start": 1, "duration": 1, **FULL,
         "transition": {"type": "circle-open", "duration": 0.8}},
        {"type": "image", "source": "red.png", "width": 20,
         "x": [{"time": 0, "value": 0}, {"time": 2, "value": 140, "easing": "ease-in-out"}],
         "rotation": [{"time": 0, "value": 0}, {"time": "100%", "value": 180}],
         "opacity": [{"time": 0, "value": 0.2}, {"time": 1.5, "value": 1}],
         "enter": {"type": "pop", "duration": 0.6}, "exit": {"type": "wipe-right",
                                                             "duration": 0.5}},
        {"type": "text", "text": "Hello", "start": 0.3, "duration": 1.5,
         "enter": {"type": "typewriter", "duration": 1}},
        {"type": "text", "text": "sliding", "start": 0.2, "duration": 1.7, "y": "90%",
         "x": [{"time": 0, "value": 3}, {"time": 1.7, "value": 90, "easing": "ease-out"}]},
        duration=2.0, quality=lossless,
    )
    full, part = tmp_path / "full.mkv", tmp_path / "part.mkv"
    render_spec(document, media.dir, full)
    render_spec(document, media.dir, part, time_range=TimeRange(0.7, 1.6))
    whole, piece = decode_frames(full), decode_frames(part)
    assert len(piece) == 9
    for number, (_, frame) in enumerate(piece):  # lossless: the very same pixels
        difference = np.abs(frame.astype(int) - whole[7 + number][1].astype(int)).max()
        assert difference <= 2, (number, difference)


def test_a_moving_element_over_a_full_canvas_clip_follows_its_keyframes(
    media: Any, tmp_path: Path
) -> None:
    # the clip is the canvas itself (backdrop); the moving square is overlaid on it
    document = spec(
        {"type": "video", "source": "silent.mp4", **FULL, "duration": 1},
        {"type": "image", "source": "red.png", "width": 20, "y": 10,
         "x": [{"time": 0, "value": 10}, {"time": 1, "value": 110}]},
        duration=1,
    )
    out = tmp_path / "over-clip.mp4"
    render_spec(document, media.dir, out)
    for time, frame in decode_frames(out):
        reds = (frame[:, :, 0].astype(int) > 170) & (frame[:, :, 1] < 90)
        xs = np.nonzero(reds)[1]
        assert abs(xs.mean() + 0.5 - (20 + 100 * time)) <= 1.0, time
        assert rgb_near(frame[80, 150], WHITE)


@pytest.mark.parametrize("kind", ["wipe-up", "smooth-right", "circle-close", "radial",
                                  "dissolve"])
def test_a_mask_computes_its_shape_once_and_looks_it_up_per_frame(
    media: Any, tmp_path: Path, kind: str
) -> None:
    """No per-pixel expression per frame: the one geq draws the order map from a single
    frame, and the window's frames go through a lut2 table set per frame by sendcmd."""
    args = compile_plan(plan_for(pair(kind), media.dir), tmp_path / "out.mp4",
                        ffmpeg_exe="ffmpeg").args
    graph = args[args.index("-filter_complex") + 1]
    chains = graph.split(";")
    geqs = [index for index, chain in enumerate(chains) if "]geq=" in chain]
    assert len(geqs) == 1
    assert "trim=end_frame=1" in chains[geqs[0] - 1]
    assert "lut2@mask" in graph and "c0 x*(" in graph
