"""Animated values, checked on decoded pixels of real renders.

Canvas 160x90 at 10 fps on a grey background. A moving element's centroid must follow
the plan's own curve (`Track.at`, the maths the FFmpeg expressions are written from) at
every frame, for every easing; opacity, rotation, flip and scale are measured on pixels.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from services.render.compiler import TimeRange, compile_plan
from services.render.motion import sub_pixel
from shared.composition import SpecError
from shared.settings import engine_settings
from tests.unit.render.helpers import (
    BLUE,
    RED,
    decode_frames,
    ffmpeg,
    frame_at,
    plan_for,
    render_spec,
    rgb_near,
    stream_info,
)

W, H = 160, 90


def spec(*elements: dict[str, Any], duration: float = 1.0, background: str = "#808080",
         quality: dict[str, Any] | None = None) -> dict[str, Any]:
    """A 160x90, 10 fps composition of `elements` on grey."""
    return {
        "output": {"width": W, "height": H, "fps": 10, "duration": duration,
                   "background": background,
                   "quality": quality or {"preset": "ultrafast"}},
        "elements": list(elements),
    }


def red_mask(frame: np.ndarray) -> np.ndarray:
    pixels = frame.astype(int)
    return (pixels[:, :, 0] > 170) & (pixels[:, :, 1] < 90) & (pixels[:, :, 2] < 90)


def centroid(frame: np.ndarray) -> tuple[float, float]:
    """Centre of the red pixels, in canvas coordinates (a pixel's centre is +0.5)."""
    ys, xs = np.nonzero(red_mask(frame))
    assert xs.size, "no red pixels in the frame"
    return float(xs.mean()) + 0.5, float(ys.mean()) + 0.5


EASINGS = ["linear", "ease-in", "ease-out", "ease-in-out", "step",
           "cubic-bezier(0.1,0.7,0.3,1.4)"]


@pytest.mark.parametrize("easing", EASINGS)
def test_the_centroid_follows_the_keyframes_with_each_easing(
    media: Any, tmp_path: Path, easing: str
) -> None:
    moving = {
        "type": "image", "source": "red.png", "width": 24,
        "x": [{"time": 0, "value": 4}, {"time": "90%", "value": 100, "easing": easing}],
        "y": [{"time": "20%", "value": "0%"}, {"time": 1, "value": "60%", "easing": easing}],
    }
    document = spec(moving)
    motion = plan_for(document, media.dir).layers[0].motion
    assert motion is not None
    out = tmp_path / "moving.mp4"
    render_spec(document, media.dir, out)
    frames = decode_frames(out)
    assert len(frames) == 10
    for time, frame in frames:
        expected_x = sum(track.at(time) for track in motion.centre_x)
        expected_y = sum(track.at(time) for track in motion.centre_y)
        x, y = centroid(frame)
        assert abs(x - expected_x) <= 1.0, (easing, time, x, expected_x)
        assert abs(y - expected_y) <= 1.0, (easing, time, y, expected_y)


def test_opacity_keyframes_blend_half_way_at_the_midpoint(media: Any, tmp_path: Path) -> None:
    fading = {"type": "image", "source": "red.png", "width": W, "height": H, "fit": "fill",
              "opacity": [{"time": 0, "value": 0}, {"time": 1, "value": 1}]}
    out = tmp_path / "fade.mp4"
    render_spec(spec(fading, background="#ffffff"), media.dir, out)
    assert rgb_near(frame_at(out, 0.0)[45, 80], (255, 255, 255), tol=12)
    assert rgb_near(frame_at(out, 0.5)[45, 80], (255, 128, 128), tol=14)


def _marked_picture(folder: Path) -> Path:
    """60x30 blue with a red 15x15 top-left corner: where the corner goes shows the turn."""
    path = folder / "marked.png"
    ffmpeg("-f", "lavfi", "-i", "color=c=blue:s=60x30", "-f", "lavfi",
           "-i", "color=c=red:s=15x15", "-filter_complex", "[0][1]overlay=0:0",
           "-frames:v", "1", str(path))
    return path


@pytest.mark.parametrize(("fields", "corner"), [
    pytest.param({"rotation": 90}, "top-right", id="rotate-90-clockwise"),
    pytest.param({"rotation": -90}, "bottom-left", id="rotate-90-anticlockwise"),
    pytest.param({"rotation": 180}, "bottom-right", id="rotate-180"),
    pytest.param({"flip": "horizontal"}, "top-right", id="flip-horizontal"),
    pytest.param({"flip": "vertical"}, "bottom-left", id="flip-vertical"),
])
def test_rotation_and_flip_put_the_marked_corner_where_expected(
    tmp_path: Path, fields: dict[str, Any], corner: str
) -> None:
    _marked_picture(tmp_path)
    element = {"type": "image", "source": "marked.png", "width": 60, **fields}
    out = tmp_path / "turned.mp4"
    render_spec(spec(element, duration=0.3), tmp_path, out)
    frame = frame_at(out, 0.1)
    turned = fields.get("rotation") in (90, -90)
    half_w, half_h = (15, 30) if turned else (30, 15)  # the picture is centred on (80, 45)
    left, top, right, bottom = 80 - half_w, 45 - half_h, 80 + half_w, 45 + half_h
    spots = {"top-left": (left + 4, top + 4), "top-right": (right - 5, top + 4),
             "bottom-left": (left + 4, bottom - 5), "bottom-right": (right - 5, bottom - 5)}
    for name, (x, y) in spots.items():
        expected = RED if name == corner else BLUE
        assert rgb_near(frame[y, x], expected, tol=40), (name, frame[y, x])
    # the turned box is all picture: no clipped corners, grey only outside it
    assert rgb_near(frame[top - 5, 80], (128, 128, 128), tol=12)


def test_a_rotated_picture_keeps_its_corners_in_a_grown_transparent_box(
    media: Any, tmp_path: Path
) -> None:
    element = {"type": "image", "source": "red.png", "width": 40, "rotation": 45}
    out = tmp_path / "diamond.mp4"
    render_spec(spec(element, duration=0.3), media.dir, out)
    frame = frame_at(out, 0.1)
    ys, xs = np.nonzero(red_mask(frame))
    # a 40 px square turned 45 degrees spans 40 * sqrt(2) = 56.6 px both ways
    assert 53 <= xs.max() - xs.min() + 1 <= 59
    assert 53 <= ys.max() - ys.min() + 1 <= 59
    assert rgb_near(frame[45 - 26, 80 - 26], (128, 128, 128), tol=12)  # transparent corner


def test_scale_grows_the_picture_about_its_centre(media: Any, tmp_path: Path) -> None:
    element = {"type": "image", "source": "red.png", "width": 20, "x": 30, "y": 20,
               "scale": [{"time": 0, "value": 1}, {"time": 1, "value": 3}]}
    out = tmp_path / "grow.mp4"
    render_spec(spec(element), media.dir, out)
    for time, frame in decode_frames(out):
        size = 20 * (1 + 2 * time)
        _, xs = np.nonzero(red_mask(frame))
        assert abs(xs.max() - xs.min() + 1 - size) <= 1.5, (time, xs.min(), xs.max())
        x, y = centroid(frame)
        assert abs(x - 40) <= 1 and abs(y - 30) <= 1, (time, x, y)


def test_animated_width_keeps_a_centred_element_centred(media: Any, tmp_path: Path) -> None:
    element = {"type": "image", "source": "red.png",
               "width": [{"time": 0, "value": 10}, {"time": 1, "value": 50}]}
    out = tmp_path / "widen.mp4"
    render_spec(spec(element), media.dir, out)
    for time, frame in decode_frames(out):
        _, xs = np.nonzero(red_mask(frame))
        assert abs(xs.max() - xs.min() + 1 - (10 + 40 * time)) <= 2.5, time
        x, y = centroid(frame)
        assert abs(x - 80) <= 1 and abs(y - 45) <= 1, (time, x, y)


def test_a_v1_job_compiles_without_any_motion_filter(media: Any, tmp_path: Path) -> None:
    v1 = spec({"type": "image", "source": "red.png", "width": 20, "opacity": 0.5,
               "fade_in": 0.2, "x": 10, "y": "top"})
    args = compile_plan(plan_for(v1, media.dir), tmp_path / "v1.mp4",
                        ffmpeg_exe=engine_settings().ffmpeg_exe()).args
    graph = args[args.index("-filter_complex") + 1]
    for marker in ("yuv444", "rotate", "sendcmd", "geq", "eval=frame", "floor("):
        assert marker not in graph
    assert "overlay=eof_action=pass:x=10:y=0" in graph


def test_times_are_checked_against_a_videos_own_length_once_it_is_probed(
    media: Any, tmp_path: Path
) -> None:
    # pattern.mp4 lasts 2 s: neither element fixes its length, so only the plan can tell.
    document = spec(
        {"type": "video", "source": "pattern.mp4",
         "opacity": [{"time": 0, "value": 1}, {"time": 3, "value": 0}]},
        {"type": "video", "source": "pattern.mp4", "start": 1.5,
         "transition": {"type": "fade", "duration": 1}},
        duration=3,
    )
    with pytest.raises(SpecError) as caught:
        plan_for(document, media.dir)
    problems = {problem.path: problem.message for problem in caught.value.problems}
    assert set(problems) == {"elements[0].opacity[1].time", "elements[1].transition.duration"}
    assert "past the element's end" in problems["elements[0].opacity[1].time"]
    assert "0.5 s too early" in problems["elements[1].transition.duration"]


def test_a_slowly_moving_still_moves_by_fractions_of_a_pixel(media: Any, tmp_path: Path) -> None:
    # 1.3 px per frame: whole-pixel placement would be off by up to half a pixel
    moving = {"type": "image", "source": "red.png", "width": 20, "y": 30,
              "x": [{"time": 0, "value": 10}, {"time": 1, "value": 23}]}
    out = tmp_path / "slow.mkv"
    render_spec(spec(moving, quality={"preset": "ultrafast", "crf": 0}), media.dir, out)
    for time, frame in decode_frames(out):
        # luma-weighted centre: red (luma ~81) on grey (128), edges partly covered
        luma = frame.astype(float) @ np.array([0.299, 0.587, 0.114])
        weight = np.clip((128 - luma) / (128 - 81), 0, 1)
        columns = weight.sum(axis=0)
        x = float((columns * (np.arange(W) + 0.5)).sum() / columns.sum())
        assert abs(x - (20 + 13 * time)) <= 0.2, (time, x)


def test_a_turning_picture_leaves_no_trail(media: Any, tmp_path: Path) -> None:
    # a 20 px square turning 180 degrees in 2 s: square again at 1 s (90 degrees)
    element = {"type": "image", "source": "red.png", "width": 20, "duration": 2,
               "rotation": [{"time": 0, "value": 0}, {"time": "100%", "value": 180}]}
    out = tmp_path / "turning.mp4"
    render_spec(spec(element, duration=2), media.dir, out)
    square = red_mask(frame_at(out, 1.0))
    ys, xs = np.nonzero(square)  # a trail would span the 28 px diagonal (+ chroma bleed)
    assert xs.max() - xs.min() + 1 <= 25 and ys.max() - ys.min() + 1 <= 25
    assert 18 * 18 <= square.sum() <= 24 * 24


def _luma_centre_x(frame: np.ndarray) -> float:
    """Luma-weighted centre column of a red picture (luma ~81) on grey (128)."""
    luma = frame.astype(float) @ np.array([0.299, 0.587, 0.114])
    columns = np.clip((128 - luma) / (128 - 81), 0, 1).sum(axis=0)
    return float((columns * (np.arange(W) + 0.5)).sum() / columns.sum())


def test_a_slowly_panning_video_moves_by_fractions_of_a_pixel(tmp_path: Path) -> None:
    """10 px in 2 s at 30 fps (a third of a pixel a frame) from a 25 fps source: every
    frame moves by about the same small step, none stands still, none jumps."""
    ffmpeg("-f", "lavfi", "-i", "color=c=red:s=20x20:r=25:d=2.5", "-c:v", "libx264",
           "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(tmp_path / "red.mp4"))
    panning = {"type": "video", "source": "red.mp4", "width": 20, "y": 30, "duration": 2,
               "x": [{"time": 0, "value": 10}, {"time": 2, "value": 20}]}
    document = spec(panning, duration=2, quality={"preset": "ultrafast", "crf": 0})
    document["output"]["fps"] = 30
    out = tmp_path / "pan.mkv"
    render_spec(document, tmp_path, out)
    frames = decode_frames(out)
    assert len(frames) == 60
    centres = np.array([_luma_centre_x(frame) for _, frame in frames])
    expected = 20 + 5 * np.array([time for time, _ in frames])
    assert np.abs(centres - expected).max() <= 0.2, np.abs(centres - expected).max()
    steps = np.diff(centres)
    assert steps.min() > 0.05, steps  # no stuck frame (the step is 1/6 px)
    assert steps.max() <= 1.5 * steps.mean(), (steps.max(), steps.mean())


def test_a_slice_of_a_slowly_panning_video_is_those_frames_of_the_full_render(
    media: Any, tmp_path: Path
) -> None:
    panning = {"type": "video", "source": "pattern.mp4", "width": 40, "start": 0.25,
               "x": [{"time": 0, "value": 10}, {"time": 1.5, "value": 17}]}
    document = spec(panning, duration=2, quality={"preset": "ultrafast", "crf": 0})
    full, part = tmp_path / "full.mkv", tmp_path / "part.mkv"
    render_spec(document, media.dir, full)
    render_spec(document, media.dir, part, time_range=TimeRange(0.7, 1.6))
    whole = decode_frames(full)[7:16]
    sliced = decode_frames(part)
    assert len(sliced) == len(whole) == 9
    for (time, a), (_, b) in zip(whole, sliced, strict=True):
        assert np.abs(a.astype(int) - b.astype(int)).max() <= 2, time


def test_a_moving_video_shows_the_source_frame_of_each_output_time(
    media: Any, tmp_path: Path
) -> None:
    """Its frames are put on the output grid without losing or repeating any: at output
    time T it shows the source frame of element-local time T - start (pattern.mp4 is
    30 fps, every frame different; the canvas is 10 fps; 1 px a frame, whole pixels)."""
    element = {"type": "video", "source": "pattern.mp4", "width": 80, "height": 60,
               "fit": "fill", "start": 0.05, "duration": 1.6, "y": 10,
               "x": [{"time": 0.05, "value": 10}, {"time": 1.05, "value": 20}]}
    out = tmp_path / "moving.mkv"
    render_spec(spec(element, duration=2, quality={"preset": "ultrafast", "crf": 0}),
                media.dir, out)
    source = [frame.reshape(60, 2, 80, 2, 3).mean(axis=(1, 3))
              for _, frame in decode_frames(media.path("pattern.mp4"))]
    shown = []
    for time, frame in decode_frames(out):
        local = time - 0.05
        if not 0 <= local < 1.6:
            continue
        left = 10 + min(10, max(0, round(10 * (local - 0.05))))
        picture = frame[14:66, left + 4:left + 76].astype(float)
        errors = [np.abs(picture - candidate[4:56, 4:76]).mean() for candidate in source]
        shown.append((round(time, 2), int(np.argmin(errors)), math.floor(local * 30 + 1e-6)))
    assert len(shown) == 16
    assert all(found == wanted for _, found, wanted in shown), shown


def test_a_moving_jpeg_ends_in_tv_range_yuv420p_with_its_colours(tmp_path: Path) -> None:
    """A JPEG decodes to full range; without a conversion the file came out yuvj420p."""
    ffmpeg("-f", "lavfi", "-i", "color=c=0x3060c0:s=64x64", "-frames:v", "1",
           str(tmp_path / "blue.jpg"))
    moving = {"type": "image", "source": "blue.jpg", "width": 40,
              "x": [{"time": 0, "value": 10}, {"time": 1, "value": 30}]}
    out = tmp_path / "moving.mp4"
    render_spec(spec(moving), tmp_path, out)
    assert stream_info(out).pix_fmt == "yuv420p"
    assert rgb_near(frame_at(out, 0.5)[45, 40], (0x30, 0x60, 0xC0), tol=12)
    assert rgb_near(frame_at(out, 0.5)[10, 150], (128, 128, 128), tol=6)


@pytest.mark.parametrize(("x", "shifted"), [
    pytest.param([{"time": 0, "value": 10}, {"time": 1, "value": 23}], True, id="slow"),
    pytest.param([{"time": 0, "value": 0}, {"time": 1, "value": 120}], False, id="fast-linear"),
    pytest.param([{"time": 0, "value": 0}, {"time": 1, "value": 120, "easing": "ease-out"}],
                 True, id="fast-but-eased-to-a-slow-end"),
    pytest.param([{"time": 0, "value": 0}, {"time": 0.5, "value": 120},
                  {"time": 1, "value": 121}], True, id="fast-then-slow"),
])
def test_only_slow_motion_pays_for_fractions_of_a_pixel(
    media: Any, x: list[dict[str, Any]], shifted: bool
) -> None:
    """At 8 px a frame or more whole-pixel steps cannot stair-step (12 px a frame here)."""
    layer = plan_for(spec({"type": "image", "source": "red.png", "width": 20, "x": x}),
                     media.dir).layers[0]
    assert sub_pixel(layer, Fraction(10)) is shifted
