"""What intake accepts, every later step accepts: a job survives its own round trip.

The services pass the normalised spec (model_dump) through Postgres and Kafka and validate
it again at each step; every number and every nesting the first validation lets through
must come back identical, and whatever no later step can hold is refused at the first.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from shared.composition import MAX_DEPTH, SpecError, parse_job
from shared.composition.values import MAX_MAGNITUDE, plain_number

TEXT: dict[str, Any] = {"type": "text", "text": "Hello"}


def _nested(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = {"a": value}
    return value


def _problems(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(SpecError) as caught:
        parse_job(data)
    return {problem.path: problem.message for problem in caught.value.problems}


@pytest.mark.parametrize("value", [1e-9, 1e-300, 5e-324, 0.1, 1234567.25, 99999.123456789,
                                   -0.0, 1e15, 1e22, 123456789012345678.0])
def test_plain_number_round_trips_in_the_spec_syntax(value: float) -> None:
    text = plain_number(value)
    assert "e" not in text.lower()
    assert float(text) == value


@pytest.mark.parametrize("value", [1e-9, 0.000001, 1e-300, 12.0000001, 99999.5, -99999.5,
                                   "0.5px", "33.333333333333%"])
@pytest.mark.parametrize("field", ["x", "y", "width", "height", "font_size"])
def test_sizes_and_positions_survive_a_round_trip(field: str, value: Any) -> None:
    if field in ("width", "height", "font_size") and str(value).startswith("-"):
        return
    job = parse_job({"elements": [{**TEXT, field: value}]})
    dumped = json.loads(json.dumps(job.model_dump(mode="json", exclude_none=True)))
    again = parse_job(dumped)
    assert getattr(again.elements[0], field) == getattr(job.elements[0], field)


@pytest.mark.parametrize("value", [1e308, -1e308, MAX_MAGNITUDE * 1.01, "200000%", 10**400])
def test_sizes_and_positions_beyond_the_bound_are_refused_at_their_field(value: Any) -> None:
    problems = _problems({"elements": [{**TEXT, "x": value, "width": abs(value)
                                        if not isinstance(value, str) else value}]})
    assert set(problems) == {"elements[0].x", "elements[0].width"}
    assert all(f"±{MAX_MAGNITUDE}" in message for message in problems.values())


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_anywhere_are_refused(value: float) -> None:
    problems = _problems({"elements": [TEXT], "metadata": {"list": [1, {"n": value}]}})
    assert list(problems) == ["metadata.list[1].n"]
    assert "finite" in problems["metadata.list[1].n"]


def test_non_finite_numbers_from_json_text_are_refused() -> None:
    for literal in ("NaN", "Infinity", "-Infinity", "1e400"):
        text = '{"elements": [{"type": "text", "text": "x"}], "metadata": {"v": ' + literal + "}}"
        problems = _problems(json.loads(text))
        assert list(problems) == ["metadata.v"], literal


def test_nesting_up_to_the_limit_is_accepted_and_survives_a_round_trip() -> None:
    metadata = _nested(MAX_DEPTH - 1)  # the job object is the first level
    job = parse_job({"elements": [TEXT], "metadata": metadata})
    assert parse_job(json.loads(json.dumps(job.model_dump(mode="json")))).metadata == metadata


@pytest.mark.parametrize("levels", [MAX_DEPTH, 197, 250, 251, 980, 5000])
def test_nesting_past_the_limit_is_refused_naming_where(levels: int) -> None:
    problems = _problems({"elements": [TEXT], "metadata": _nested(levels)})
    [(path, message)] = problems.items()
    assert path == "metadata" + ".a" * (MAX_DEPTH - 1)
    assert f"at most {MAX_DEPTH} levels" in message
