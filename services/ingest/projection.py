"""The projection consumer: lifecycle events of every service into jobs and the timeline.

Each event is applied in one transaction that first records it in processed_events
(`mark_processed`), so a redelivered event changes nothing, and locks the job's row, so
events of one job are applied one at a time. Status changes respect the transitions the
jobs trigger enforces; an event that would break them is logged and skipped. Events for
unknown jobs are logged and dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from uuid import UUID

import asyncpg

from services.ingest import db
from shared.consumer import PermanentError
from shared.db.pool import mark_processed, transaction
from shared.events import Event, JobCompleted, JobFailed, StepChanged
from shared.status import ACTIVE

__all__ = ["CONSUMER", "Projection", "result_files", "webhook_payload"]

CONSUMER = "ingest-projection"
log = logging.getLogger(__name__)

Notify = Callable[[str, dict[str, Any]], object]


def webhook_payload(job: asyncpg.Record, event: JobCompleted | JobFailed) -> dict[str, Any]:
    payload: dict[str, Any] = {"event": event.type, "job_id": str(job["id"]),
                               "occurred_at": event.occurred_at.isoformat()}
    if isinstance(event, JobCompleted):
        payload.update(status="completed", result_url=event.result_url,
                       file_size=event.file_size, duration=event.duration,
                       poster_url=event.poster_url)
        if event.files:
            payload["files"] = result_files(event)
    else:
        payload.update(status=_failed_status(job, event), step=event.step,
                       error_code=event.error_code, error_message=event.error_message)
    if job["metadata"]:
        payload["metadata"] = job["metadata"]
    return payload


def _failed_status(job: asyncpg.Record, event: JobFailed) -> str:
    # pending -> timeout is not an allowed transition; a job that never started failed
    return "failed" if job["status"] == "pending" else event.status


class Projection:
    def __init__(self, pool: asyncpg.Pool, *, notify: Notify | None = None) -> None:
        self.pool = pool
        self.notify = notify  # (callback_url, payload) after a job finished

    async def apply(self, event: Event, topic: str) -> None:
        webhook: tuple[str, dict[str, Any]] | None = None
        try:
            async with transaction(self.pool) as conn:
                if not await mark_processed(conn, CONSUMER, event.event_id, event.job_id,
                                            topic):
                    return
                job = await db.lock_job(conn, event.job_id)
                if job is None:
                    log.info("projection: %s for unknown job %s ignored", event.type,
                             event.job_id)
                    return
                webhook = await self._dispatch(conn, job, event)
        except asyncpg.CheckViolationError as exc:
            # a status transition the trigger refuses, or a value a CHECK refuses: retrying
            # cannot help (EventConsumer dead-letters it and fails the job)
            transition = exc.constraint_name == "jobs_status_transition"
            raise PermanentError("invalid_transition" if transition else "invalid_event",
                                 str(exc)) from exc
        if webhook is not None and self.notify is not None:
            self.notify(*webhook)

    async def _dispatch(self, conn: Any, job: asyncpg.Record,
                        event: Event) -> tuple[str, dict[str, Any]] | None:
        if isinstance(event, StepChanged):
            await self._step(conn, job, event)
        elif (isinstance(event, JobCompleted | JobFailed)
              and await self._finish(conn, job, event) and job["callback_url"]):
            return job["callback_url"], webhook_payload(job, event)
        return None  # JobAccepted, JobCancelled: ingest's own; others: not projected

    async def _step(self, conn: Any, job: asyncpg.Record, event: StepChanged) -> None:
        if event.attempt < job["attempts"]:
            # an attempt the reaper replaced (its worker was only slow): not this job's story
            log.info("projection: %s %s of attempt %d ignored, job %s is on attempt %d",
                     event.step, event.state, event.attempt, job["id"], job["attempts"])
            return
        if job["status"] == "cancelled" and event.state in ("started", "progress"):
            # a worker's start that crossed the cancel: the cancel closed the job's steps and
            # nothing will close one opened now (a cancelled job never runs again)
            log.info("projection: %s %s for cancelled job %s ignored", event.step,
                     event.state, job["id"])
            return
        if event.step != "validation" and event.state != "failed":
            await self._enter_processing(conn, job, event)
        if event.state == "started":
            await db.start_step(conn, job["id"], event.step, event.attempt, event.worker_id,
                                event.occurred_at, event.details)
        elif event.state == "progress":
            if event.progress is not None:
                await db.step_progress(conn, job["id"], event.step, event.attempt,
                                       event.progress)
            await _record_slice(conn, job["id"], event)
        else:
            ok = event.state == "completed"
            await db.finish_step(conn, db.StepEnd(
                job_id=job["id"], step=event.step, attempt=event.attempt,
                worker_id=event.worker_id, at=event.occurred_at, success=ok,
                progress=event.progress,
                error_code=None if ok else str(event.details.get("error_code", "step_failed")),
                error_message=None if ok else _text(event.details.get("error_message")),
                details=event.details,
            ))
        if event.step == "validation":
            return
        if event.worker_id:
            await db.set_worker(conn, job["id"], event.worker_id)
        await db.update_progress(conn, job["id"], event.progress or 0, event.step)

    async def _enter_processing(self, conn: Any, job: asyncpg.Record,
                                event: StepChanged) -> None:
        """The first step after validation starts the job; a later attempt restarts a job
        that failed (the trigger stamps started_at and counts attempts)."""
        status = job["status"]
        retry = (status in ("failed", "timeout") and event.state == "started"
                 and event.attempt > max(job["attempts"], 1))
        if status == "pending" or retry:
            await db.set_status(conn, job["id"], "processing")

    async def _finish(self, conn: Any, job: asyncpg.Record,
                      event: JobCompleted | JobFailed) -> bool:
        """Apply a final outcome; False when the job had already ended (ignored)."""
        if job["status"] not in ACTIVE:
            log.info("projection: %s for %s job %s ignored", event.type, job["status"],
                     job["id"])
            return False
        if isinstance(event, JobFailed):
            await db.fail_job(conn, job["id"], status=_failed_status(job, event),
                              step=event.step, error_code=event.error_code,
                              error_message=event.error_message)
            await db.close_open_steps(conn, job["id"], event.occurred_at, event.error_code,
                                      event.error_message)
            return True
        if job["status"] == "pending":  # pending -> completed is not a transition
            await db.set_status(conn, job["id"], "processing")
        await db.complete_job(conn, job["id"], result_url=event.result_url, bucket=event.bucket,
                              key=event.key, file_size=event.file_size,
                              duration=event.duration, files=result_files(event) or None)
        return True


def result_files(event: JobCompleted) -> list[dict[str, Any]]:
    """The files as a job's result lists them: no object keys (storage's own business)."""
    return [file.model_dump(mode="json", exclude={"key"}) for file in event.files]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)[:2000]


async def _record_slice(conn: Any, job_id: UUID, event: StepChanged) -> None:
    """A split render's slice event (services/render/slice_pipeline.py) shows in the
    timeline: its state in the step's `details.slices`."""
    unit, state = event.details.get("slice"), event.details.get("slice_state")
    if not isinstance(unit, int) or not isinstance(state, str):
        return
    keep = {key: value for key, value in event.details.items()
            if key in ("kind", "renders", "seconds")}
    await db.slice_state(conn, job_id, event.step, event.attempt, unit,
                         {"state": state, **keep})
