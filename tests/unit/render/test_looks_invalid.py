"""Looks problems that need the source: a crop past its edge, a malformed or oversized
.cube LUT. Each is a SpecError at the exact JSON path before FFmpeg starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from services.render.cli import local_locator
from services.render.engine import prepare
from shared.composition import SpecError, parse_job
from shared.media.cube import CubeError, check_cube
from shared.settings import EngineSettings
from tests.unit.render.helpers import ENGINE, plan_for
from tests.unit.render.looks_media import write_cube

IDENTITY = "LUT_3D_SIZE 2\n" + "".join(
    f"{r} {g} {b}\n" for b in (0, 1) for g in (0, 1) for r in (0, 1))


def problems_of(spec: dict[str, Any], base: Path,
                settings: EngineSettings | None = None) -> dict[str, str]:
    job = parse_job(spec)
    with pytest.raises(SpecError) as caught:
        prepare(job, local_locator(base), settings=settings or ENGINE)
    return {problem.path: problem.message for problem in caught.value.problems}


def image(**more: Any) -> dict[str, Any]:
    return {"type": "image", "source": "halves.png", "duration": 1, **more}


# halves.png is 400x200
@pytest.mark.parametrize(("crop", "path", "words"), [
    ({"x": 300, "width": 101, "height": 10}, "elements[0].crop.width", "401 px is past"),
    ({"y": "50%", "width": 10, "height": "51%"}, "elements[0].crop.height", "202 px is past"),
    ({"x": 400, "width": 1, "height": 1}, "elements[0].crop.width", "400 px"),
])
def test_a_crop_past_the_source_is_named(media: Any, crop: dict[str, Any], path: str,
                                         words: str) -> None:
    found = problems_of({"elements": [image(crop=crop)]}, media.dir)
    assert set(found) == {path}
    assert words in found[path]


def test_a_crop_inside_the_source_is_accepted(media: Any) -> None:
    plan = plan_for({"elements": [image(crop={"x": "75%", "y": 0, "width": "25%",
                                              "height": 200})]}, media.dir)
    looks = plan.layers[0].looks
    assert looks is not None and looks.crop is not None
    assert (looks.crop.x, looks.crop.y, looks.crop.width, looks.crop.height) == (300, 0, 100, 200)


CUBES = [
    pytest.param(IDENTITY.replace("1 1 1\n", "1 1\n"), "line 9: a table row needs 3 numbers",
                 id="short-row"),
    pytest.param(IDENTITY.replace("0 1 0\n", "0 x 0\n"), "line 4: a table row must be numbers",
                 id="not-a-number"),
    pytest.param(IDENTITY.replace("LUT_3D_SIZE 2", "LUT_3D_SIZE 1"),
                 "line 1: LUT_3D_SIZE must be a whole number from 2 to 256", id="size-1"),
    pytest.param(IDENTITY.replace("LUT_3D_SIZE 2", "LUT_3D_SIZE 2.5"),
                 "line 1: LUT_3D_SIZE must be a whole number", id="size-fraction"),
    pytest.param("LUT_1D_SIZE 2\n0 0 0\n1 1 1\n", "line 1: a 1D LUT", id="one-dimensional"),
    pytest.param("TITLE x\n" + IDENTITY + "0 0 0\n", "line 11: more than", id="extra-row"),
    pytest.param(IDENTITY.replace("1 1 1\n", ""), "has 7 rows, LUT_3D_SIZE 2 needs 8",
                 id="missing-row"),
    pytest.param("0 0 0\n" + IDENTITY, "line 1: table row before LUT_3D_SIZE",
                 id="row-before-size"),
    pytest.param(IDENTITY.replace("0 0 0\n", "0 0 0\nDOMAIN_MIN 0 0 0\n", 1),
                 "line 3: DOMAIN_MIN after the table's first row", id="keyword-in-table"),
    pytest.param("DOMAIN_MIN 1 1 1\n" + IDENTITY, "DOMAIN_MIN must be below DOMAIN_MAX",
                 id="empty-domain"),
    pytest.param(IDENTITY.replace("1 0 0\n", "1 0 nan\n"), "line 3: a table row must be finite",
                 id="nan"),
    pytest.param("SIZE 2\n", "line 1: unknown keyword 'SIZE'", id="unknown-keyword"),
    pytest.param("# nothing\n", "no LUT_3D_SIZE line", id="empty"),
]


@pytest.mark.parametrize(("text", "message"), CUBES)
def test_a_malformed_cube_is_named_with_its_line(media: Any, tmp_path: Path, text: str,
                                                 message: str) -> None:
    (tmp_path / "grade.cube").write_text(text)
    spec = {"elements": [image(source=str(media.path("halves.png")), lut="grade.cube")]}
    found = problems_of(spec, tmp_path)
    assert set(found) == {"elements[0].lut"}
    assert message in found["elements[0].lut"]


def test_a_binary_file_is_not_a_cube(tmp_path: Path) -> None:
    (tmp_path / "x.cube").write_bytes(b"\xff\xfe\x00\x01" * 10)
    with pytest.raises(CubeError, match="not UTF-8 text"):
        check_cube(tmp_path / "x.cube", 1 << 20)


def test_a_cube_over_the_size_setting_is_refused(media: Any, tmp_path: Path) -> None:
    write_cube(tmp_path / "big.cube", 17)  # about 100 kB
    spec = {"elements": [image(source=str(media.path("halves.png")), lut="big.cube")]}
    found = problems_of(spec, tmp_path, EngineSettings(max_lut_bytes=50_000))
    assert "over the 50000 byte limit" in found["elements[0].lut"]
    assert plan_for(spec, tmp_path).layers[0].looks is not None  # the default cap admits it


def test_a_missing_lut_is_named(media: Any) -> None:
    found = problems_of({"elements": [image(lut="nowhere.cube")]}, media.dir)
    assert set(found) == {"elements[0].lut"}


def test_every_problem_is_reported_at_once(media: Any, tmp_path: Path) -> None:
    (tmp_path / "bad.cube").write_text("LUT_3D_SIZE 2\n0 0\n")
    halves = str(media.path("halves.png"))
    spec = {"elements": [image(source=halves, lut="bad.cube"),
                         image(source=halves, lut="nowhere.cube")]}
    assert set(problems_of(spec, tmp_path)) == {"elements[0].lut", "elements[1].lut"}
