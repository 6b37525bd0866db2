"""`vidgen submit A.json B.json ...`: several specs at once, through POST /v1/jobs/batch.

Each spec is checked locally and its local sources uploaded as for one spec, then the
specs go to the API VIDGEN_MAX_BATCH (1,000) a request (one request per spec against an
API without batches, or a batch too large for it). Every line one spec would print is
printed, prefixed with its file (`b.json: elements[0].x: ...`, `a.json: job ID pending
(URL)`); with --wait the jobs are followed one after another (they render at the same
time). Exit codes: 0 every spec submitted (or, with --wait, completed); 2 some specs were
invalid and the rest went well; 1 a job failed, was refused or the platform could not be
reached.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from vidgen_sdk import InvalidJobError, JobStatus, VidgenError

from shared.client.api import ApiError, InvalidJob, Unreachable, VidgenClient, problems_from_body
from shared.client.batch import BatchSettings
from shared.client.cli import _failure, _follow, _prepare, _problems
from shared.composition import Problem, SpecError

__all__ = ["SpecOutcome", "submit_specs"]


@dataclass
class SpecOutcome:
    """What became of one spec file."""

    path: Path
    spec: dict[str, Any] | None = None
    answer: dict[str, Any] | None = None  # the job as the API answered (job_id, status)
    problems: list[Problem] = field(default_factory=list)
    refused: str | None = None  # why the API would not take it (quota, ...)


def submit_specs(paths: Sequence[Path], client: VidgenClient, *, wait: bool,
                 timeout: float = 900.0, console: Console | None = None, quiet: bool = False,
                 max_batch: int | None = None) -> tuple[int, list[SpecOutcome]]:
    console = console or Console(stderr=True)
    outcomes = [SpecOutcome(path) for path in paths]
    try:
        for outcome in outcomes:
            try:
                outcome.spec, _ = _prepare(outcome.path, client)
            except SpecError as exc:
                outcome.problems = exc.problems
            except InvalidJobError as exc:  # a local source that is missing
                outcome.problems = _problems(exc)
        ready = [outcome for outcome in outcomes if outcome.spec is not None]
        most = max_batch or BatchSettings().max_batch
        for start in range(0, len(ready), most):
            _submit_chunk(client, ready[start:start + most])
    except Unreachable as exc:
        _say(console, f"submit failed: {exc}")
        return 1, outcomes
    except VidgenError as exc:  # an upload (SDK) failed
        _say(console, f"submit failed: {_failure(exc)}")
        return 1, outcomes
    for outcome in outcomes:
        _report(client, outcome, console)
    codes = [_finish(client, outcome, wait, timeout, console, quiet) for outcome in outcomes]
    return (1 if 1 in codes else 2 if 2 in codes else 0), outcomes


def _submit_chunk(client: VidgenClient, chunk: list[SpecOutcome]) -> None:
    try:
        results = client.create_jobs([outcome.spec or {} for outcome in chunk])
    except Unreachable:
        raise
    except ApiError as exc:
        if exc.status_code not in (404, 405, 413):
            for outcome in chunk:
                outcome.refused = str(exc)
            return
        for outcome in chunk:
            _submit_one(client, outcome)
        return
    for index, (outcome, result) in enumerate(zip(chunk, results, strict=True)):
        if result.get("status") in ("created", "duplicate"):
            outcome.answer = {"job_id": result["job_id"],
                              "status": result.get("job_status") or "pending",
                              "warnings": result.get("warnings")}
            continue
        problems = [_own(index, problem)
                    for problem in problems_from_body({"errors": result.get("errors")})]
        if result.get("code") == 422:
            outcome.problems = problems
        else:
            outcome.refused = "; ".join(problem.message for problem in problems)


def _submit_one(client: VidgenClient, outcome: SpecOutcome) -> None:
    try:
        outcome.answer = client.create_job(outcome.spec or {})
    except InvalidJob as exc:
        outcome.problems = exc.problems
    except Unreachable:
        raise
    except ApiError as exc:
        outcome.refused = str(exc)


def _own(index: int, problem: Problem) -> Problem:
    """A batch's `jobs[3].output.fps` as the spec's own `output.fps` (`jobs[3]`: `$`)."""
    root = f"jobs[{index}]"
    path = problem.path
    if path.startswith(root):
        path = path[len(root):].removeprefix(".") or "$"
    return Problem(path, problem.message)


def _report(client: VidgenClient, outcome: SpecOutcome, console: Console) -> None:
    name = outcome.path.name
    for problem in outcome.problems:
        _say(console, f"{name}: {problem.path}: {problem.message}")
    if outcome.refused is not None:
        _say(console, f"{name}: submit failed: {outcome.refused}")
    if outcome.answer is None:
        return
    job_id = str(outcome.answer["job_id"])
    _say(console, f"{name}: job {job_id} {outcome.answer.get('status', 'accepted')} "
                  f"({client.api_url}/v1/jobs/{job_id})")
    warnings = outcome.answer.get("warnings")
    for warning in problems_from_body({"errors": warnings}) if warnings else []:
        _say(console, f"{name}: warning: {warning.path}: {warning.message}")


def _finish(client: VidgenClient, outcome: SpecOutcome, wait: bool, timeout: float,
            console: Console, quiet: bool) -> int:
    if outcome.problems:
        return 2
    if outcome.answer is None:
        return 1
    if not wait:
        return 0
    job_id = str(outcome.answer["job_id"])
    accepted = JobStatus.from_json({"job_id": job_id, "status": outcome.answer.get("job_status")})
    return _follow(client, job_id, accepted, output=None, poster=None, timeout=timeout,
                   console=console, quiet=quiet, watchdog=None).code


def _say(console: Console, text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)
