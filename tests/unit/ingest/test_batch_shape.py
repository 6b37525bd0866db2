"""The batch body's shape, its limit, and a job's problems named from the batch's root."""

from __future__ import annotations

from typing import Any

import pytest

from services.ingest.batch import BatchTooLarge, Outcome, batch_items, in_batch
from shared.composition import Problem, SpecError


@pytest.mark.parametrize(("body", "paths"), [
    ([], ["$"]), ("jobs", ["$"]), ({}, ["jobs"]), ({"jobs": None}, ["jobs"]),
    ({"jobs": [], "job": 1, "x": 2}, ["job", "x"]), ({"jbos": []}, ["jbos", "jobs"]),
])
def test_a_body_that_is_not_a_batch_names_where(body: Any, paths: list[str]) -> None:
    with pytest.raises(SpecError) as caught:
        batch_items(body, 10)
    assert [problem.path for problem in caught.value.problems] == paths


def test_the_limit_is_named_with_its_setting() -> None:
    assert batch_items({"jobs": [1, 2, 3]}, 3) == [1, 2, 3]
    with pytest.raises(BatchTooLarge) as caught:
        batch_items({"jobs": [1, 2, 3, 4]}, 3)
    assert caught.value.problem == Problem(
        "jobs", "at most 3 jobs in one batch (VIDGEN_MAX_BATCH), got 4")


def test_problems_are_named_from_the_batch_root() -> None:
    problems = [Problem("$", "a job must be a JSON object"), Problem("elements[0].x", "bad"),
                Problem('modifications["t.text"]', "no id"), Problem("[2]", "odd")]
    assert [p.path for p in in_batch(7, problems)] == [
        "jobs[7]", "jobs[7].elements[0].x", 'jobs[7].modifications["t.text"]', "jobs[7][2]"]


def test_an_outcome_shows_only_what_it_has() -> None:
    assert Outcome(0, "created", "j", "pending").as_dict() == {
        "index": 0, "status": "created", "job_id": "j", "job_status": "pending",
        "status_url": "/v1/jobs/j"}
    rejected = Outcome(3, "rejected", code=429, errors=[Problem("jobs[3]", "rate limit")])
    assert rejected.as_dict() == {"index": 3, "status": "rejected", "code": 429,
                                  "errors": [{"path": "jobs[3]", "message": "rate limit"}]}
