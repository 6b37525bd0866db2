"""A preview's own parameters: every bad one is a problem at its name, as the API answers
it (422) and `vidgen render --frame` prints it."""

from __future__ import annotations

from typing import Any

import pytest

from shared.composition.preview import PreviewParams, range_problems, request_problems

MAX = 10.0


@pytest.mark.parametrize(("params", "path", "words"), [
    ({}, "time", "give time (a frame) or from and to"),
    ({"time": 1, "start": 0, "end": 2}, "time", "either time"),
    ({"time": 1, "scale": 0}, "scale", "more than 0 and at most 1, got 0"),
    ({"time": 1, "scale": -0.5}, "scale", "got -0.5"),
    ({"time": 1, "scale": 1.01}, "scale", "got 1.01"),
    ({"time": -1}, "time", "0 or more"),
    ({"start": 1}, "to", "needs both from and to"),
    ({"end": 1}, "from", "needs both from and to"),
    ({"start": 2, "end": 2}, "to", "must be after from (2)"),
    ({"start": 0, "end": 10.5}, "to", "10.5 s long, more than the 10 s"),
    ({"start": 0, "end": 2, "fps": 0}, "fps", "more than 0 and at most 60"),
    ({"start": 0, "end": 2, "fps": 61}, "fps", "got 61"),
    ({"time": 1, "fps": 10}, "fps", "only a clip"),
])
def test_each_bad_parameter_is_named(params: dict[str, Any], path: str, words: str) -> None:
    problems = request_problems(PreviewParams(**params), MAX)
    assert [problem.path for problem in problems] == [path], problems
    assert words in problems[0].message


@pytest.mark.parametrize("params", [
    {"time": 0}, {"time": 2.5, "scale": 1}, {"time": 0.1, "scale": 0.01},
    {"start": 0, "end": 10}, {"start": 1, "end": 2, "fps": 60, "scale": 0.25}])
def test_good_parameters_have_no_problem(params: dict[str, Any]) -> None:
    assert request_problems(PreviewParams(**params), MAX) == []


@pytest.mark.parametrize(("params", "path"), [
    ({"time": 5}, "time"), ({"time": 5.5}, "time"), ({"start": 5, "end": 6}, "from"),
    ({"start": 4, "end": 5.01}, "to")])
def test_times_past_the_end_are_named(params: dict[str, Any], path: str) -> None:
    [problem] = range_problems(PreviewParams(**params), 5.0)
    assert problem.path == path
    assert "the composition runs from 0 to 5 s" in problem.message


def test_the_last_frame_and_a_clip_to_the_end_are_inside() -> None:
    assert range_problems(PreviewParams(time=4.99), 5.0) == []
    assert range_problems(PreviewParams(start=0, end=5), 5.0) == []


def test_from_and_to_are_the_wire_names() -> None:
    params = PreviewParams.model_validate({"from": 1, "to": 2})
    assert (params.start, params.end) == (1, 2)
    assert params.model_dump(by_alias=True)["from"] == 1
