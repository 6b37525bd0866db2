"""No element, and no job, may decode more pixels than the bounds allow.

Four 16000×16000 images on a 64×36 canvas used to take 2.6 GB for a 0.4 s render; such a
job is now refused when it is planned, at the field that sets the size, before FFmpeg runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from services.render.cli import local_locator
from services.render.engine import prepare
from shared.composition import SpecError, parse_job
from shared.composition.budget import (
    DEFAULT_ELEMENT_PIXELS,
    PixelLimits,
    source_problems,
    spec_problems,
)
from shared.media.probe import MediaInfo
from shared.settings import EngineSettings
from tests.unit.render.helpers import ffmpeg

TINY = {"width": 64, "height": 36, "duration": 0.4, "fps": 10}


def _image(path: Path, width: int, height: int) -> None:
    ffmpeg("-f", "lavfi", "-i", f"color=c=red:s={width}x{height}", "-frames:v", "1", str(path))


def _prepare(spec: dict[str, Any], base: Path, element: int, job: int) -> Any:
    settings = EngineSettings(max_element_pixels=element, max_job_pixels=job)
    return prepare(parse_job(spec), local_locator(base), settings=settings)


def _refused(spec: dict[str, Any], base: Path, element: int, job: int) -> dict[str, str]:
    with pytest.raises(SpecError) as refused:
        _prepare(spec, base, element, job)
    return {problem.path: problem.message for problem in refused.value.problems}


def test_the_default_bound_refuses_a_16000_pixel_square_source() -> None:
    media = MediaInfo(path=Path("big.png"), duration=None, width=16000, height=16000,
                      rotation=0, fps=None, has_video=True, has_audio=False, is_image=True,
                      has_alpha=False)
    [problem] = source_problems(2, media, PixelLimits())
    assert problem.path == "elements[2].source"
    assert "16000×16000 = 256000000 pixels" in problem.message
    assert str(DEFAULT_ELEMENT_PIXELS) in problem.message


def test_sources_past_the_element_bound_are_refused_each_at_its_source(tmp_path: Path) -> None:
    _image(tmp_path / "big.png", 160, 160)
    spec = {"output": TINY, "elements": [
        {"type": "image", "source": "big.png", "id": f"i{n}"} for n in range(4)]}
    problems = _refused(spec, tmp_path, element=100 * 100, job=10**9)
    assert set(problems) == {f"elements[{n}].source" for n in range(4)}
    assert all("VIDGEN_MAX_ELEMENT_PIXELS" in message for message in problems.values())


def test_a_box_past_the_element_bound_is_refused_at_the_field_that_sets_it(
        tmp_path: Path) -> None:
    _image(tmp_path / "small.png", 16, 16)
    spec = {"output": TINY, "elements": [
        {"type": "image", "source": "small.png", "width": 400, "height": 400},
        {"type": "text", "text": "big", "font_size": 300}]}
    problems = _refused(spec, tmp_path, element=100_000, job=10**9)
    assert set(problems) == {"elements[0].width", "elements[1].font_size"}


def test_the_job_budget_counts_every_element_together(tmp_path: Path) -> None:
    _image(tmp_path / "a.png", 100, 100)
    spec = {"output": TINY, "elements": [
        {"type": "image", "source": "a.png", "id": f"i{n}"} for n in range(4)]}
    each = 100 * 100 + 36 * 36 * 2  # source, scaled frame, box (fit: 36×36 on the canvas)
    assert _prepare(spec, tmp_path, element=100 * 100, job=4 * each).layers
    problems = _refused(spec, tmp_path, element=100 * 100, job=4 * each - 1)
    assert list(problems) == ["elements"]
    assert "VIDGEN_MAX_JOB_PIXELS" in problems["elements"]


def test_intake_refuses_boxes_the_spec_fixes_on_its_own() -> None:
    job = parse_job({"output": TINY, "elements": [
        {"type": "image", "source": "a.png", "width": 16000, "height": 16000, "id": f"i{n}"}
        for n in range(4)]})
    problems = spec_problems(job, PixelLimits())
    assert [problem.path for problem in problems] == [f"elements[{n}].width" for n in range(4)]
    assert spec_problems(job, PixelLimits(element=10**9, job=2 * 10**9)) == []
    assert [p.path for p in spec_problems(job, PixelLimits(element=10**9, job=10**8))] == [
        "elements"]
