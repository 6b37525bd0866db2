"""Previews through the engine: a frame is the full render's frame at that time (scaled when
asked), a clip is a small mp4 of the range, and times outside the composition are refused
at the field's name. Measured on decoded pixels and probed streams."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from services.render.engine import render_sync
from services.render.preview_output import PreviewOutput, preview_size
from services.render.preview_plan import frame_range, preview_of
from shared.composition import SpecError
from shared.composition.preview import PreviewParams
from tests.unit.render.conftest import Media
from tests.unit.render.helpers import (
    BLUE,
    ENGINE,
    LIME,
    RED,
    frame_at,
    plan_for,
    render_spec,
    rgb_near,
    stream_info,
)


def _spec(**output: Any) -> dict[str, Any]:
    """seconds.mp4 (red, lime, blue a second each) on the left half, a moving blue square
    on the right: frames at different times differ in both."""
    return {"output": {"width": 320, "height": 180, "duration": 3, "fps": 30, **output},
            "elements": [
                {"type": "video", "source": "seconds.mp4", "width": 160, "height": 180,
                 "fit": "fill", "x": 0, "y": 0},
                {"type": "shape", "shape": "rectangle", "width": 40, "height": 40,
                 "fill": "#0000ff", "y": 70,
                 "x": [{"time": 0, "value": 170}, {"time": 3, "value": 270}]}]}


def _frame(spec: dict[str, Any], media: Media, out: Path, **params: Any) -> np.ndarray:
    plan = plan_for(spec, media.dir)
    time_range, output = preview_of(PreviewParams(**params), plan)
    render_sync(plan, out, time_range=time_range, preview=output, settings=ENGINE)
    with Image.open(out) as image:
        return np.asarray(image.convert("RGB"))


@pytest.mark.parametrize(("at", "colour"), [(0.5, RED), (1.0, LIME), (2.99, BLUE)])
def test_a_frame_shows_what_is_on_screen_at_its_time(media: Media, tmp_path: Path, at: float,
                                                     colour: tuple[int, int, int]) -> None:
    picture = _frame(_spec(), media, tmp_path / "f.png", time=at)
    assert picture.shape == (180, 320, 3)
    assert rgb_near(picture[90, 80], colour), picture[90, 80]


def test_a_frame_equals_the_full_render_at_that_time(media: Media, tmp_path: Path) -> None:
    spec = _spec()
    full = tmp_path / "full.mp4"
    render_spec(spec, media.dir, full)
    for at in (0.4, 1.7):
        picture = _frame(spec, media, tmp_path / f"{at}.png", time=at)
        expected = frame_at(full, frame_range(at, 30).start)
        # the square moved: its left edge is where the full render has it
        assert np.abs(picture.astype(int) - expected.astype(int)).mean() < 6, at
    early, late = (_frame(spec, media, tmp_path / f"m{at}.png", time=at) for at in (0.2, 2.8))
    assert not np.array_equal(early[:, 160:], late[:, 160:])  # the square moved


def test_a_scaled_jpeg_frame_has_the_scaled_size_and_the_same_picture(
        media: Media, tmp_path: Path) -> None:
    picture = _frame(_spec(), media, tmp_path / "f.jpg", time=1.5, scale=0.5, format="jpeg")
    assert (tmp_path / "f.jpg").read_bytes()[:3] == b"\xff\xd8\xff"
    assert picture.shape == (90, 160, 3)
    assert rgb_near(picture[45, 40], LIME), picture[45, 40]


def test_a_clip_is_a_small_mp4_of_the_range(media: Media, tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    plan = plan_for(_spec(), media.dir)
    time_range, output = preview_of(PreviewParams(start=0.5, end=2.0, scale=0.25, fps=10), plan)
    render_sync(plan, out, time_range=time_range, preview=output, settings=ENGINE)
    info = stream_info(out)
    assert (info.width, info.height) == (80, 44)  # even for 4:2:0 (45 rounds down)
    assert abs(info.duration - 1.5) < 0.15, info
    assert info.fps == 10, info
    assert rgb_near(frame_at(out, 0.1)[23, 20], RED)
    assert rgb_near(frame_at(out, 1.2)[23, 20], LIME)  # 1.7 s of the composition


@pytest.mark.parametrize(("params", "path"), [
    ({"time": 3}, "time"), ({"time": 7.5}, "time"), ({"start": 3.5, "end": 4}, "from"),
    ({"start": 1, "end": 3.5}, "to")])
def test_times_outside_the_composition_are_refused_at_their_field(
        media: Media, params: dict[str, float], path: str) -> None:
    with pytest.raises(SpecError) as caught:
        preview_of(PreviewParams(**params), plan_for(_spec(), media.dir))
    [problem] = caught.value.problems
    assert problem.path == path and "outside the composition" in problem.message, problem
    assert "0 to 3 s" in problem.message


def test_preview_sizes_round_and_stay_even_for_video() -> None:
    assert preview_size(1280, 720, PreviewOutput("png", 0.5)) == (640, 360)
    assert preview_size(854, 480, PreviewOutput("mp4", 0.25)) == (214, 120)
    assert preview_size(101, 51, PreviewOutput("png", 0.01)) == (2, 2)
    assert preview_size(101, 51, PreviewOutput("jpeg", 0.5)) == (50, 26)
