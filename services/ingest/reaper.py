"""The reaper: processing jobs whose worker vanished are re-queued, or failed as worker_lost.

A job is stalled by the seed's rule (`active_jobs.processing_health = 'stalled'`: nothing
wrote to it for longer than `vidgen.stalled_after`, set here from
`VIDGEN_REAPER_STALLED_AFTER`). Every progress event and the render fleet's heartbeats
(`VIDGEN_RENDER_HEARTBEAT`, much shorter) touch `jobs.updated_at`, so a job is stalled only
when no worker is working on it: its worker died and Kafka will not hand the work to another
(the log was lost with a memory-only broker, the message was committed, a consumer gave up).

Re-queue, in one transaction with the job's row locked: the job goes processing -> failed
(error `worker_lost`, its open timeline steps closed as failed) -> processing (the trigger
counts the attempt and resets progress), and `JobAccepted` for the new attempt goes to the
outbox, so storage downloads (from its cache) and sends a `RenderRequested` for that
attempt. The pass through `failed` notifies `job_status`, which stops a worker that was
merely slow (its StatusWatch); events of the older attempt are ignored by the projection,
and a redelivered older RenderRequested by the render fleet. After `max_requeues`
re-queues the job fails for good (JobFailed through the outbox, the webhook).

Several ingest replicas may run it: rows are taken with FOR UPDATE SKIP LOCKED, and the
staleness is re-checked on the locked row, so a job is re-queued once per stall.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import asyncpg

from services.ingest import db
from services.ingest.projection import webhook_payload
from shared.backoff import jittered
from shared.consumer import event_id
from shared.db.pool import transaction
from shared.events import JobAccepted, JobFailed, Step, Topics
from shared.outbox import enqueue
from shared.settings import ReliabilitySettings

__all__ = ["ERROR_CODE", "PRODUCER", "ReapResult", "Reaper"]

log = logging.getLogger(__name__)

PRODUCER = "ingest-reaper"
ERROR_CODE = "worker_lost"
Notify = Callable[[str, dict[str, Any]], object]

_STALLED = """
SELECT j.id, j.status::text AS status, j.attempts, j.current_step::text AS current_step,
       j.spec, j.callback_url, j.metadata
FROM jobs AS j
WHERE j.status = 'processing'
  AND j.id IN (SELECT a.id FROM active_jobs AS a WHERE a.processing_health = 'stalled')
  AND j.updated_at < now() - make_interval(secs => $1)  -- re-checked on the locked row
ORDER BY j.updated_at
LIMIT $2
FOR UPDATE OF j SKIP LOCKED
"""


@dataclass
class ReapResult:
    requeued: list[UUID] = field(default_factory=list)
    failed: list[UUID] = field(default_factory=list)


class Reaper:
    """`run()` as a task (cancel to stop), or `run_once()` for one pass."""

    def __init__(self, pool: asyncpg.Pool, topics: Topics, settings: ReliabilitySettings, *,
                 notify: Notify | None = None) -> None:
        self.pool = pool
        self.topics = topics
        self.settings = settings
        self.notify = notify

    async def run(self) -> None:
        interval = self.settings.reaper_interval
        while True:
            # jitter keeps replicas started together from always colliding
            await asyncio.sleep(jittered(interval))
            try:
                result = await self.run_once()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                log.warning("reaper: %s; trying again next pass", exc)
                continue
            if result.requeued or result.failed:
                log.warning("reaper: re-queued %d stalled job(s), failed %d",
                            len(result.requeued), len(result.failed))

    async def run_once(self) -> ReapResult:
        result = ReapResult()
        webhooks: list[tuple[str, dict[str, Any]]] = []
        stalled_after = self.settings.reaper_stalled_after
        async with transaction(self.pool) as conn:
            await conn.execute("SELECT set_config('vidgen.stalled_after', $1, true)",
                               f"{stalled_after} seconds")
            rows = await conn.fetch(_STALLED, stalled_after, self.settings.reaper_batch)
            for job in rows:
                if job["attempts"] > self.settings.reaper_max_requeues:
                    failed = await self._fail(conn, job)
                    result.failed.append(job["id"])
                    if job["callback_url"]:
                        webhooks.append((job["callback_url"], webhook_payload(job, failed)))
                else:
                    await self._requeue(conn, job)
                    result.requeued.append(job["id"])
        if self.notify is not None:
            for url, payload in webhooks:
                self.notify(url, payload)
        return result

    def _message(self, job: asyncpg.Record) -> str:
        return (f"no progress for over {self.settings.reaper_stalled_after:g} s in step "
                f"{job['current_step'] or 'unknown'} (attempt {job['attempts']}): "
                "the worker was lost")

    async def _end_attempt(self, conn: Any, job: asyncpg.Record, message: str) -> Step:
        step: Step = job["current_step"] or "processing"
        await db.fail_job(conn, job["id"], status="failed", step=step, error_code=ERROR_CODE,
                          error_message=message)
        await db.close_open_steps(conn, job["id"], datetime.now(UTC), ERROR_CODE, message)
        return step

    async def _requeue(self, conn: Any, job: asyncpg.Record) -> None:
        message = self._message(job)
        await self._end_attempt(conn, job, message)
        await db.set_status(conn, job["id"], "processing")  # the trigger counts the attempt
        attempt: int = await conn.fetchval("SELECT attempts FROM jobs WHERE id = $1", job["id"])
        log.warning("reaper: job %s re-queued as attempt %d (%s)", job["id"], attempt, message)
        await enqueue(conn, self.topics.events, JobAccepted(
            event_id=event_id(job["id"], "job.accepted", attempt), job_id=job["id"],
            producer=PRODUCER, spec=job["spec"], attempt=attempt))

    async def _fail(self, conn: Any, job: asyncpg.Record) -> JobFailed:
        message = (f"{self._message(job)}; gave up after "
                   f"{self.settings.reaper_max_requeues} re-queue(s)")
        step = await self._end_attempt(conn, job, message)
        log.error("reaper: job %s failed: %s", job["id"], message)
        failed = JobFailed(
            event_id=event_id(job["id"], "job.failed", ERROR_CODE, job["attempts"]),
            job_id=job["id"], producer=PRODUCER, step=step, error_code=ERROR_CODE,
            error_message=message)
        await enqueue(conn, self.topics.events, failed)
        return failed
