"""Invalid shapes and looks (border_radius, border, shadow, blend_mode): each rejected with
exactly the JSON paths that are wrong (the style of test_invalid_specs.py)."""

from __future__ import annotations

from typing import Any

import pytest

from shared.composition import parse_job
from shared.composition.spec import ShapeElement
from tests.unit.composition.spec_cases import assert_exact_paths

IMAGE: dict[str, Any] = {"type": "image", "source": "https://example.com/a.png", "duration": 2}
SHAPE: dict[str, Any] = {"type": "shape", "shape": "rectangle", "duration": 2}
TRIANGLE = [[0, 0], [10, 0], [5, 8]]


def el(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {"elements": [{**base, **changes}]}


CASES = [
    # --- shapes ----------------------------------------------------------------------------
    pytest.param(el(SHAPE, shape="hexagon"), {"elements[0].shape"}, "polygon",
                 id="shape-unknown-kind"),
    pytest.param({"elements": [{"type": "shape", "duration": 1}]}, {"elements[0].shape"},
                 "required", id="shape-kind-missing"),
    pytest.param(el(SHAPE, shape="polygon", points=[[0, 0], [10, 10]]), {"elements[0].points"},
                 "at least 3 points, got 2", id="polygon-with-two-points"),
    pytest.param(el(SHAPE, shape="polygon"), {"elements[0].points"}, "at least 3 points",
                 id="polygon-without-points"),
    pytest.param(el(SHAPE, shape="polygon", points=[[0, 0], [10, "120%"], [5, 5]]),
                 {"elements[0].points[1][1]"}, "between 0 and 100%",
                 id="polygon-point-past-the-box"),
    pytest.param(el(SHAPE, shape="polygon", points=[[0, 0], [-3, 4], [5, 5]]),
                 {"elements[0].points[1][0]"}, "between 0", id="polygon-point-negative"),
    pytest.param(el(SHAPE, shape="polygon", points=[[0, 0, 1], [3, 4], [5, 5]]),
                 {"elements[0].points[0]"}, None, id="polygon-point-three-numbers"),
    pytest.param(el(SHAPE, shape="polygon", points=[[0, 0], ["far", 4], [5, 5]]),
                 {"elements[0].points[1][0]"}, "percentage", id="polygon-point-text"),
    pytest.param(el(SHAPE, points=TRIANGLE), {"elements[0].points"}, "not rectangle",
                 id="points-on-a-rectangle"),
    pytest.param(el(SHAPE, shape="line", points=TRIANGLE, stroke_color="red", stroke_width=2),
                 {"elements[0].points"}, "exactly 2", id="line-with-three-points"),
    pytest.param(el(SHAPE, shape="line", stroke_color="red"), {"elements[0].stroke_width"},
                 "stroke_width > 0", id="line-without-stroke-width"),
    pytest.param(el(SHAPE, fill=None), {"elements[0].fill"}, "draws nothing",
                 id="shape-without-fill-or-stroke"),
    pytest.param(el(SHAPE, stroke_width=-1), {"elements[0].stroke_width"},
                 "greater than or equal to 0", id="shape-negative-stroke-width"),
    pytest.param(el(SHAPE, fill="not-a-colour"), {"elements[0].fill"}, "colour",
                 id="shape-fill-not-a-colour"),
    pytest.param(el(SHAPE, fit="cover"), {"elements[0].fit"}, "shapes", id="fit-on-a-shape"),
    pytest.param(el(SHAPE, source="https://example.com/a.png"), {"elements[0].source"},
                 "not a known field", id="source-on-a-shape"),
    # --- looks -----------------------------------------------------------------------------
    pytest.param(el(IMAGE, blend_mode="burn"), {"elements[0].blend_mode"}, "multiply",
                 id="blend-mode-unknown"),
    pytest.param(el(IMAGE, border={"width": -2}), {"elements[0].border.width"},
                 "greater than or equal to 0", id="border-negative-width"),
    pytest.param(el(IMAGE, border={"color": "red"}), {"elements[0].border.width"}, "required",
                 id="border-without-width"),
    pytest.param(el(IMAGE, border={"width": 2, "colour": "red"}), {"elements[0].border.colour"},
                 "color", id="border-misspelt-field"),
    pytest.param(el(IMAGE, border_radius=-4), {"elements[0].border_radius"}, "between 0",
                 id="radius-negative"),
    pytest.param(el(IMAGE, border_radius="60%"), {"elements[0].border_radius"}, "at most 50%",
                 id="radius-percentage-over-half"),
    pytest.param(el(IMAGE, width=100, height=60, border_radius=40),
                 {"elements[0].border_radius"}, "at most half the shorter side (30 px)",
                 id="radius-too-large-for-the-box"),
    pytest.param(el(IMAGE, shadow={"blur": -1}), {"elements[0].shadow.blur"},
                 "greater than or equal to 0", id="shadow-negative-blur"),
    pytest.param(el(IMAGE, shadow={"x": "far"}), {"elements[0].shadow.x"}, "number",
                 id="shadow-offset-text"),
    pytest.param(el(IMAGE, shadow={"color": "mauve-ish"}), {"elements[0].shadow.color"},
                 "colour", id="shadow-colour-unknown"),
    pytest.param(el(IMAGE, shadow=True), {"elements[0].shadow"}, None, id="shadow-not-an-object"),
    pytest.param(el(IMAGE, blend_mode="burn", border={"width": -1}, border_radius="70%"),
                 {"elements[0].blend_mode", "elements[0].border.width"}, None,
                 id="looks-several-problems-at-once"),
    pytest.param(el(SHAPE, shape="polygon", points=[[0, 0]], blend_mode="burn"),
                 {"elements[0].blend_mode"}, None, id="shape-field-problem-beside-a-looks-one"),
]


@pytest.mark.parametrize(("spec", "paths", "word"), CASES)
def test_invalid_looks_spec_reports_exact_paths(
    spec: dict[str, Any], paths: set[str], word: str | None
) -> None:
    assert_exact_paths(spec, paths, word)


def test_a_shape_with_looks_round_trips_through_the_normalised_spec() -> None:
    spec = el(SHAPE, shape="polygon", points=[[0, "10%"], ["100%", 0], [5.5, "100%"]],
              fill="#ff000080", stroke_color="white", stroke_width=2, border_radius="20%",
              border={"width": 3, "color": "blue"}, shadow={"blur": 4, "x": -2, "y": 3},
              blend_mode="screen")
    job = parse_job(spec)
    assert isinstance(job.elements[0], ShapeElement)
    dumped = job.model_dump(mode="json", exclude_none=True)
    element = dumped["elements"][0]
    assert element["points"] == [["0px", "10%"], ["100%", "0px"], ["5.5px", "100%"]]
    assert element["border_radius"] == "20%" and element["blend_mode"] == "screen"
    assert parse_job(dumped) == job


def test_an_element_without_looks_dumps_none_of_them() -> None:
    element = parse_job(el(IMAGE)).model_dump(mode="json", exclude_none=True)["elements"][0]
    for name in ("border_radius", "border", "shadow", "blend_mode"):
        assert name not in element
