"""Many jobs in one request: `POST /v1/jobs/batch` with `{"jobs": [job, ...]}`.

Each job goes through every check of `POST /v1/jobs` (the quota, the spec, the API's
limits, the pixel bounds, the size of its events, its template as the caller may see it)
and gets its own result, in request order: `created`, `duplicate` (its idempotency key was
used before by the same owner, or earlier in the batch: the first job's id) or `rejected`
(with the HTTP status the job alone would have had, and its problems by JSON path from the
batch's root, `jobs[3].elements[0].x`). One bad job rejects only itself.

The work is shared: the quota is counted once for every job (`Gate.limit_many`: the first
ones within the limit pass, the rest are rejected with 429 naming the limit), the templates
are read in one transaction as the caller, and the idempotency keys looked up, the jobs,
elements, timeline rows and outbox events written in one more (a few statements in all).
A batch never waits for its jobs: each answers as accepted, whatever its `response`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import asyncpg

from services.ingest import db
from services.ingest.intake import (
    Draft,
    Origin,
    Templates,
    draft_job,
    insert_drafts,
    load_templates,
)
from services.ingest.limits import job_problems
from services.ingest.metrics import JOBS_CREATED
from services.ingest.responses import status_path
from services.ingest.service import IngestService
from shared.access.principal import Principal, acting_as
from shared.composition import Problem, SpecError
from shared.composition.templates import is_template_job
from shared.db.pool import transaction
from shared.telemetry import span

__all__ = ["BatchTooLarge", "Outcome", "batch_items", "in_batch", "submit_batch"]

Status = Literal["created", "duplicate", "rejected"]
# the columns a batch's answer needs of each job (not the spec, which it would decode again)
_COLUMNS = "id, status::text AS status"
_YIELD_EVERY = 50  # jobs validated between two turns of the event loop for other requests


class BatchTooLarge(Exception):
    """More jobs than VIDGEN_MAX_BATCH (413, before any quota is counted)."""

    def __init__(self, count: int, most: int) -> None:
        super().__init__(f"at most {most} jobs in one batch (VIDGEN_MAX_BATCH), got {count}")
        self.problem = Problem("jobs", str(self))


@dataclass(frozen=True)
class Outcome:
    """What became of one job of the batch."""

    index: int
    status: Status
    job_id: str | None = None
    job_status: str | None = None
    code: int = 200  # a rejection: the status the job alone would have been answered with
    errors: Sequence[Problem] = ()
    warnings: Sequence[Problem] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        answer: dict[str, Any] = {"index": self.index, "status": self.status}
        if self.job_id is not None:
            answer.update(job_id=self.job_id, job_status=self.job_status,
                          status_url=status_path(self.job_id))
        if self.status == "rejected":
            answer.update(code=self.code, errors=[error.as_dict() for error in self.errors])
        if self.warnings:
            answer["warnings"] = [warning.as_dict() for warning in self.warnings]
        return answer


def batch_items(data: Any, most: int) -> list[Any]:
    """The jobs of a batch body. Raises SpecError (not `{"jobs": [...]}`) or BatchTooLarge."""
    if not isinstance(data, dict):
        raise SpecError([Problem("$", 'a batch must be a JSON object: {"jobs": [...]}')])
    problems = [Problem(str(name), 'unknown field; a batch is {"jobs": [...]}')
                for name in data if name != "jobs"]
    jobs = data.get("jobs")
    if not isinstance(jobs, list):
        problems.append(Problem("jobs", "is required" if "jobs" not in data
                                else f"expected a list of jobs, got {type(jobs).__name__}"))
    if problems:
        raise SpecError(problems)
    assert isinstance(jobs, list)
    if len(jobs) > most:
        raise BatchTooLarge(len(jobs), most)
    return jobs


def in_batch(index: int, problems: Sequence[Problem]) -> list[Problem]:
    """A job's problems named from the batch's root: `elements[0].x` → `jobs[3].elements[0].x`."""
    root = f"jobs[{index}]"
    return [Problem(root if problem.path == "$" else
                    f"{root}{problem.path}" if problem.path.startswith("[") else
                    f"{root}.{problem.path}", problem.message) for problem in problems]


async def submit_batch(service: IngestService, items: Sequence[Any], origin: Origin,
                       who: Principal, granted: int, refusal: str) -> list[Outcome]:
    """Create the jobs of a batch whose first `granted` are within the caller's quota (the
    rest are rejected with `refusal`); one Outcome per item, in order."""
    outcomes: dict[int, Outcome] = {
        index: Outcome(index, "rejected", code=429, errors=[Problem(f"jobs[{index}]", refusal)])
        for index in range(granted, len(items))}
    drafts: list[tuple[int, Draft]] = []
    templates = await _templates(service, items[:granted], who)
    received = datetime.now(UTC)
    # one span for the batch (a span per job cost a sixth of the checks); every job's
    # events carry its context, so each job is still found in the request's trace
    with span("ingest create jobs", step="validation", source=origin.source, jobs=granted):
        for index, data in enumerate(items[:granted]):
            if index % _YIELD_EVERY == _YIELD_EVERY - 1:
                await asyncio.sleep(0)  # other requests go on while a large batch is checked
            try:
                drafts.append((index, _draft(service, data, origin, received, templates)))
            except SpecError as exc:
                outcomes[index] = Outcome(index, "rejected", code=422,
                                          errors=in_batch(index, exc.problems))
        if drafts:
            outcomes.update(await _write(service, drafts))
    created = sum(outcome.status == "created" for outcome in outcomes.values())
    if created:
        JOBS_CREATED.labels(origin.source).inc(created)
    return [outcomes[index] for index in range(len(items))]


def _draft(service: IngestService, data: Any, origin: Origin, received: datetime,
           templates: Templates) -> Draft:
    return draft_job(data, origin, received_at=received,
                     limits=lambda job: job_problems(job, service.api, service.pixels),
                     templates=templates,
                     max_event_bytes=service.settings.kafka_max_message_bytes)


async def _templates(service: IngestService, items: Sequence[Any], who: Principal) -> Templates:
    """The templates the jobs name, read as the caller (row-level security): one not
    there is that job's problem at `template`."""
    if not any(is_template_job(data) for data in items):
        return {}
    async with acting_as(service.pool, who) as conn:
        return await load_templates(conn, items)


async def _write(service: IngestService,
                 drafts: Sequence[tuple[int, Draft]]) -> dict[int, Outcome]:
    """One transaction: the idempotency keys looked up (one query), then the new jobs
    written; a key used earlier in the batch answers with the first job."""
    origin = drafts[0][1].origin  # every job of a batch has the caller as owner
    keys = [key for _, draft in drafts if (key := draft.job.idempotency_key) is not None]
    outcomes: dict[int, Outcome] = {}
    async with transaction(service.pool) as conn:
        used = await db.find_idempotent_jobs(conn, origin.client_ip, origin.api_key_id, keys,
                                             columns=_COLUMNS) if keys else {}
        first: dict[str, int] = {}  # key -> index of the batch's first job with it
        new: list[tuple[int, Draft]] = []
        later: list[tuple[int, int]] = []  # (index, index of the first job with its key)
        for index, draft in drafts:
            key = draft.job.idempotency_key
            if key is not None and key in used:
                outcomes[index] = _outcome(index, "duplicate", used[key], draft)
            elif key is not None and key in first:
                later.append((index, first[key]))
            else:
                if key is not None:
                    first[key] = index
                new.append((index, draft))
        written = await insert_drafts(conn, service.topics, [draft for _, draft in new],
                                      returning=_COLUMNS)
    for (index, draft), created in zip(new, written, strict=True):
        outcomes[index] = _outcome(index, "created" if created.accepted.created
                                   else "duplicate", created.row, draft)
    for index, original in later:
        earlier = outcomes[original]
        outcomes[index] = Outcome(index, "duplicate", earlier.job_id, earlier.job_status)
    return outcomes


def _outcome(index: int, status: Status, row: asyncpg.Record, draft: Draft) -> Outcome:
    warnings = draft.job.warnings()
    if draft.template is not None:  # named where they come from: the template
        warnings = [Problem(f"template.{w.path}", w.message) for w in warnings]
    return Outcome(index, status, str(row["id"]), str(row["status"]),
                   warnings=in_batch(index, warnings))
