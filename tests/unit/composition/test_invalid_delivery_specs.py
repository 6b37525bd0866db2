"""Invalid `outputs`, `stills` and `thumbnails`: each refused with exactly the JSON paths
that are wrong (the style of test_invalid_specs.py), and the intake limit on renditions."""

from __future__ import annotations

from typing import Any

import pytest

from services.ingest.api_settings import ApiSettings
from services.ingest.limits import job_problems
from shared.composition import parse_job
from shared.composition.delivery import resolve_renditions
from tests.unit.composition.spec_cases import assert_exact_paths

TEXT: dict[str, Any] = {"type": "text", "text": "hi", "duration": 4}
VIDEO: dict[str, Any] = {"type": "video", "source": "https://example.com/a.mp4"}


def job(**fields: Any) -> dict[str, Any]:
    return {"elements": [TEXT], **fields}


CASES = [
    pytest.param(job(output={"width": 640, "height": 360}, outputs=[{"name": "a"}]),
                 {"outputs"}, "not both", id="output-and-outputs"),
    pytest.param(job(outputs=[{"name": "hd"}, {"name": "hd", "width": 640}]),
                 {"outputs[1].name"}, "duplicate rendition name 'hd'", id="duplicate-names"),
    pytest.param(job(outputs=[{"name": "a", "format": "hls", "width": 641, "height": 360}]),
                 {"outputs[0].width"}, "even for hls", id="hls-odd-width"),
    pytest.param(job(outputs=[{"name": "a"}, {"name": "b", "format": "hls", "height": 361}]),
                 {"outputs[1].height"}, "even for hls", id="hls-odd-height"),
    pytest.param(job(outputs=[{"name": "a"}, {"name": "b", "fps": 25}]),
                 {"outputs[1].fps"}, "on outputs[0]", id="fps-on-a-later-rendition"),
    pytest.param(job(outputs=[{"name": "a"}, {"name": "b", "background": "#fff"}]),
                 {"outputs[1].background"}, "on outputs[0]", id="background-later"),
    pytest.param(job(outputs=[{"name": "a b"}]), {"outputs[0].name"}, "pattern",
                 id="name-with-space"),
    pytest.param(job(outputs=[{"format": "mp4"}]), {"outputs[0].name"}, "required",
                 id="name-missing"),
    pytest.param(job(outputs=[{"name": "a", "format": "flv"}]), {"outputs[0].format"}, "hls",
                 id="unknown-format"),
    pytest.param(job(outputs=[]), {"outputs"}, "at least 1", id="outputs-empty"),
    pytest.param(job(outputs=[{"name": f"r{i}"} for i in range(17)]), {"outputs"},
                 "at most 16", id="outputs-past-the-spec-cap"),
    pytest.param(job(outputs=[{"name": "a", "duration": 2, "poster": {"time": 3}}]),
                 {"outputs[0].poster.time"}, "before the end", id="poster-past-the-end"),
    pytest.param(job(outputs=[{"name": "a", "resolution": "720p"}]),
                 {"outputs[0].resolution"}, None, id="rendition-unknown-field"),
    pytest.param(job(stills=[{"time": 2}, {"time": 4}]), {"stills[1].time"},
                 "past the end of the video (4 s)", id="still-at-the-end"),
    pytest.param(job(output={"duration": 3}, stills=[{"time": 3.5}]), {"stills[0].time"},
                 "past the end", id="still-past-output-duration"),
    pytest.param(job(stills=[{"time": -1}]), {"stills[0].time"}, "greater than or equal to 0",
                 id="still-negative"),
    pytest.param(job(stills=[{"time": 1, "format": "gif"}]), {"stills[0].format"}, "jpg",
                 id="still-format"),
    pytest.param(job(stills=[{"time": 1, "width": 1}]), {"stills[0].width"}, None,
                 id="still-too-narrow"),
    pytest.param(job(stills=[]), {"stills"}, "at least 1", id="stills-empty"),
    pytest.param(job(thumbnails={"every": 0}), {"thumbnails.every"}, "greater than 0",
                 id="thumbnails-every-zero"),
    pytest.param(job(thumbnails={"every": -5}), {"thumbnails.every"}, "greater than 0",
                 id="thumbnails-every-negative"),
    pytest.param(job(thumbnails={"every": 0.001}), {"thumbnails.every"}, "more than 1000",
                 id="thumbnails-too-many-tiles"),
    pytest.param(job(thumbnails={"width": 160}), {"thumbnails.every"}, "required",
                 id="thumbnails-every-missing"),
    pytest.param(job(thumbnails={"every": 1, "width": 8}), {"thumbnails.width"}, None,
                 id="thumbnails-too-narrow"),
]


@pytest.mark.parametrize(("spec", "paths", "word"), CASES)
def test_invalid_delivery_is_refused_at_its_path(spec: dict[str, Any], paths: set[str],
                                                 word: str | None) -> None:
    assert_exact_paths(spec, paths, word)


def test_a_still_is_checked_only_once_the_length_is_known() -> None:
    # a video's natural length is known only once it is probed: the plan checks then
    parsed = parse_job({"elements": [VIDEO], "stills": [{"time": 99}]})
    assert parsed.known_duration() is None


def test_outputs0_is_the_canvas_and_the_dump_parses_again() -> None:
    parsed = parse_job(job(outputs=[
        {"name": "hd", "width": 1920, "height": 1080, "fps": 25},
        {"name": "small", "format": "webm", "width": 640},
        {"name": "stream", "format": "hls", "height": 360}]))
    assert (parsed.output.width, parsed.output.height, parsed.output.fps) == (1920, 1080, 25)
    dumped = parsed.model_dump(mode="json", exclude_none=True)
    assert "output" not in dumped
    assert parse_job(dumped) == parsed
    sizes = [(r.width, r.height) for r in resolve_renditions(parsed.outputs or [], (1920, 1080))]
    assert sizes == [(1920, 1080), (640, 360), (640, 360)]


def test_a_single_output_job_is_unchanged() -> None:
    spec = job(output={"width": 640, "height": 360})
    dumped = parse_job(spec).model_dump(mode="json", exclude_none=True)
    assert dumped["output"]["width"] == 640 and "outputs" not in dumped


def test_more_renditions_than_the_intake_limit() -> None:
    parsed = parse_job(job(outputs=[{"name": f"r{i}", "width": 320, "height": 180}
                                    for i in range(3)]))
    problems = job_problems(parsed, ApiSettings(max_renditions=2))
    assert [(p.path, "VIDGEN_MAX_RENDITIONS" in p.message) for p in problems] == [
        ("outputs", True)]
    assert job_problems(parsed, ApiSettings(max_renditions=3)) == []
