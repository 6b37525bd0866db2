"""What the routes do: create (and maybe wait for) a job, read, cancel.

Every read runs as the caller (principal.acting_as), so row-level security decides which
jobs exist for them: another owner's job is simply not found. Creation and the bookkeeping
of a cancel run as the service role, with the owner taken from the authenticated caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.ingest import db
from services.ingest.api_settings import ApiSettings
from services.ingest.estimate import should_wait
from services.ingest.intake import (
    PRODUCER,
    Accepted,
    Created,
    Draft,
    Origin,
    Templates,
    creating,
    draft_job,
    insert_drafts,
)
from services.ingest.limits import job_problems
from services.ingest.metrics import JOBS_CREATED
from services.ingest.settings import IngestSettings
from services.ingest.templates_db import TemplateNotFound, find_template
from services.ingest.waiter import JobWaiter
from shared.access.principal import Principal, acting_as, as_service
from shared.access.rate_limits import RateLimiter
from shared.batching import Batcher
from shared.composition import Problem, SpecError
from shared.composition.budget import PixelLimits
from shared.composition.templates import is_template_job, parse_ref
from shared.db.pool import transaction
from shared.events import JobCancelled, Topics
from shared.outbox import enqueue

__all__ = ["Details", "IngestService", "JobFinished", "JobNotFound", "Submitted"]


class JobNotFound(LookupError):
    pass


class JobFinished(Exception):
    """The job already ended; it cannot be cancelled."""

    def __init__(self, status: str) -> None:
        super().__init__(f"the job is already {status}")
        self.status = status


@dataclass(frozen=True)
class Details:
    job: asyncpg.Record
    elements: list[asyncpg.Record]
    timeline: list[asyncpg.Record]


@dataclass(frozen=True)
class Submitted:
    accepted: Accepted
    job: asyncpg.Record
    warnings: list[Problem] = field(default_factory=list)  # valid, but surely not meant

    @property
    def finished(self) -> bool:
        return str(self.job["status"]) in db.TERMINAL


class IngestService:
    def __init__(self, settings: IngestSettings, pool: asyncpg.Pool,
                 waiter: JobWaiter, api: ApiSettings, pixels: PixelLimits) -> None:
        self.settings = settings
        self.pool = pool
        self.waiter = waiter
        self.topics: Topics = settings.topics
        self.api = api  # access control and job limits
        self.pixels = pixels  # the render's decoded-pixel bounds, checked at intake
        self.writer: Batcher[Draft, Created] = Batcher(
            self._write, max_batch=self.api.write_batch, writers=self.api.write_transactions,
            name="ingest-jobs")
        self.rate_limiter = RateLimiter(pool, max_batch=self.api.write_batch,
                                        transactions=self.api.write_transactions)

    async def submit(self, data: Any, origin: Origin, *, idempotency_key: str | None = None,
                     who: Principal | None = None) -> Submitted:
        """Create the job (or find it by idempotency key); wait for it when the request's
        `response` asks to, at most `immediate_wait` seconds. Raises SpecError, and
        TemplateNotFound for a template `who` cannot see.

        Concurrent requests are written together (one transaction for a batch)."""
        received = datetime.now(UTC)
        templates = await self.templates_for(data, who)
        with creating(origin) as current:
            draft = draft_job(data, origin, received_at=received,
                              idempotency_key=idempotency_key,
                              limits=lambda job: job_problems(job, self.api, self.pixels),
                              templates=templates,
                              max_event_bytes=self.settings.kafka_max_message_bytes)
            created = await self.writer.submit(draft)
            current.set_attribute("job_id", str(created.accepted.job_id))
        accepted, job = created.accepted, created.row
        if accepted.created:
            JOBS_CREATED.labels(origin.source).inc()
        if should_wait(accepted.response, accepted.estimated_ms):
            await self.waiter.wait(accepted.job_id, self.settings.immediate_wait)
            latest = await db.get_job(self.pool, accepted.job_id)
            assert latest is not None
            job = latest
        warnings = draft.job.warnings()
        if draft.template is not None:  # named where they come from: the template
            warnings = [Problem(f"template.{w.path}", w.message) for w in warnings]
        return Submitted(accepted, job, warnings)

    async def templates_for(self, data: Any, who: Principal | None) -> Templates:
        """The template a request names, read as the caller (row-level security)."""
        if not is_template_job(data):
            return {}
        ref = parse_ref(data["template"])
        if who is None:
            raise SpecError([Problem("template", "templates are used through POST /v1/jobs")])
        async with acting_as(self.pool, who) as conn:
            stored = await find_template(conn, ref)
        if stored is None:
            raise TemplateNotFound(ref)
        return {ref: stored}

    async def _write(self, drafts: Sequence[Draft]) -> list[Created]:
        async with transaction(self.pool) as conn:
            return await insert_drafts(conn, self.topics, drafts)

    async def get(self, job_id: UUID, who: Principal) -> asyncpg.Record:
        async with acting_as(self.pool, who) as conn:
            job = await db.get_job(conn, job_id)
        if job is None:
            raise JobNotFound(job_id)
        return job

    async def cancel(self, job_id: UUID, who: Principal) -> asyncpg.Record:
        """pending/processing → cancelled, and JobCancelled for the workers (they stop)."""
        async with acting_as(self.pool, who) as conn:
            job = await db.lock_job(conn, job_id)  # row-level security: only the caller's
            if job is None:
                raise JobNotFound(job_id)
            if job["status"] in db.TERMINAL:
                raise JobFinished(job["status"])
            await as_service(conn)
            await db.set_status(conn, job_id, "cancelled")
            await db.close_open_steps(conn, job_id, datetime.now(UTC), "cancelled",
                                      "cancelled by the client")
            await enqueue(conn, self.topics.events, JobCancelled(job_id=job_id,
                                                                 producer=PRODUCER))
        return await self.get(job_id, who)

    async def page(self, status: str | None, limit: int, offset: int,
                   who: Principal) -> tuple[list[asyncpg.Record], int]:
        async with acting_as(self.pool, who) as conn:
            return await db.list_jobs(conn, status, limit, offset)

    async def details(self, job_id: UUID, who: Principal) -> Details:
        async with acting_as(self.pool, who) as conn:
            job = await db.get_job(conn, job_id)
            if job is None:
                raise JobNotFound(job_id)
            return Details(job, await db.job_elements(conn, job_id),
                           await db.job_timeline(conn, job_id))
