"""POST /v1/preview through the real platform: ingest validates, a render worker renders over
its HTTP port, and no job is made. Frames are checked by their
pixels, clips by their streams; bad input answers 422 naming the field."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from tests.e2e.platform import Platform, probe_video, tiny_spec


def _moving(duration: float = 3.0) -> dict[str, Any]:
    """No sources: a red disc crossing a blue canvas, left to right."""
    return {"output": {"width": 320, "height": 180, "fps": 24, "duration": duration,
                       "background": "#0000ff"},
            "elements": [{"type": "shape", "shape": "ellipse", "width": 40, "height": 40,
                          "fill": "#ff0000", "y": "50%",
                          "x": [{"time": 0, "value": "0%"},
                                {"time": duration, "value": "100%"}]}]}


def _post(platform: Platform, spec: Any, **params: Any) -> httpx.Response:
    return httpx.post(f"{platform.api}/v1/preview", params=params, json=spec, timeout=60)


def _red_x(image: Image.Image) -> float:
    """The mean column of the red disc."""
    pixels = np.asarray(image.convert("RGB")).astype(int)
    red = (pixels[..., 0] > 180) & (pixels[..., 2] < 90)
    assert red.any(), "no red disc in the frame"
    return float(np.nonzero(red)[1].mean())


def test_a_frame_is_the_composition_at_that_time(platform: Platform) -> None:
    early = _post(platform, _moving(), time=0.2)
    late = _post(platform, _moving(), time=2.8, scale=0.5, format="jpeg")
    assert early.status_code == 200, early.text
    assert early.headers["content-type"] == "image/png"
    assert late.headers["content-type"] == "image/jpeg", late.text
    first, second = Image.open(io.BytesIO(early.content)), Image.open(io.BytesIO(late.content))
    assert first.size == (320, 180) and second.size == (160, 90)
    assert _red_x(first) < 80 and _red_x(second) * 2 > 240  # it crossed the canvas


def test_a_frame_of_a_simple_composition_answers_well_under_a_second(
        platform: Platform) -> None:
    _post(platform, _moving(), time=1.0, scale=0.5)  # a worker's first FFmpeg start
    took = []
    for at in (0.5, 1.0, 1.5, 2.0, 2.5):
        started = time.perf_counter()
        answer = _post(platform, _moving(), time=at, scale=0.5)
        took.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.text
    assert sorted(took)[2] < 1.0, took  # the median, on a loaded two-core machine


async def test_a_clip_is_a_small_mp4_and_no_job_is_made(platform: Platform,
                                                        tmp_path: Path) -> None:
    jobs_before = len(await platform.query("SELECT id FROM jobs"))
    answer = _post(platform, _moving(), **{"from": 0.5, "to": 2.5, "scale": 0.5, "fps": 12})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "video/mp4"
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(answer.content)
    facts = probe_video(clip)
    assert (facts.width, facts.height) == (160, 90), facts
    assert abs(facts.duration - 2.0) < 0.2, facts
    assert len(await platform.query("SELECT id FROM jobs")) == jobs_before


def test_uploaded_sources_preview(platform: Platform, photo_source: str) -> None:
    answer = _post(platform, tiny_spec(photo_source), time=0.5)
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize(("params", "path", "words"), [
    ({"time": 3}, "time", "outside the composition"),
    ({"time": 1, "scale": 0}, "scale", "more than 0 and at most 1"),
    ({"time": 1, "scale": 1.5}, "scale", "more than 0 and at most 1"),
    ({"from": 0, "to": 30}, "to", "VIDGEN_MAX_PREVIEW_SECONDS"),
    ({}, "time", "give time"),
])
def test_bad_preview_parameters_are_422_naming_the_field(
        platform: Platform, params: dict[str, Any], path: str, words: str) -> None:
    answer = _post(platform, _moving(duration=40 if path == "to" else 3.0), **params)
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert [error["path"] for error in errors] == [path], errors
    assert words in errors[0]["message"]


def test_a_time_past_a_length_only_the_sources_tell_is_refused_by_the_worker(
        platform: Platform, photo_source: str) -> None:
    spec = tiny_spec(photo_source)
    del spec["output"]["duration"]
    spec["elements"][0]["duration"] = 1.0
    answer = _post(platform, spec, time=4)
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["path"] == "time"


def test_the_job_is_validated_as_a_job_is(platform: Platform) -> None:
    spec = _moving()
    spec["output"]["fps"] = "fast"
    spec["elements"][0]["duraton"] = 2
    preview = _post(platform, spec, time=1)
    job = httpx.post(f"{platform.api}/v1/jobs", json=spec, timeout=30)
    assert preview.status_code == job.status_code == 422
    assert preview.json()["errors"] == job.json()["errors"]
