"""A job whose event the broker will never take fails, so its client hears why.

The outbox relay sets such a row aside (shared.outbox) and calls `JobOfSetAside.fail` in
the same transaction. The row's key is its job: a job still running fails with error_code
`event_unpublishable` (a JobFailed through the outbox, small enough to go out, and the
completion webhook). Intake's size check keeps this from happening to a job it accepts;
this is the net for a limit that changed, or a broker stricter than the producer.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from services.ingest import db
from services.ingest.intake import PRODUCER
from services.ingest.projection import Notify, webhook_payload
from shared.consumer import event_id
from shared.events import JobFailed, Topics
from shared.outbox import SetAside, enqueue

__all__ = ["ERROR_CODE", "JobOfSetAside"]

ERROR_CODE = "event_unpublishable"
log = logging.getLogger(__name__)


class JobOfSetAside:
    """The relay's `on_set_aside` for ingest's outbox."""

    def __init__(self, topics: Topics, *, notify: Notify | None = None) -> None:
        self.topics = topics
        self.notify = notify

    async def fail(self, conn: Any, row: SetAside) -> None:
        try:
            job_id = UUID(row.key or "")
        except ValueError:
            return  # not a job's event
        job = await db.lock_job(conn, job_id)
        if job is None or job["status"] in db.TERMINAL:
            return
        step = job["current_step"] or "validation"
        message = (f"its {row.type or 'event'} could not be published "
                   f"({type(row.error).__name__}: {row.error})")[:2000]
        await db.fail_job(conn, job_id, status="failed", step=step, error_code=ERROR_CODE,
                          error_message=message)
        await db.close_open_steps(conn, job_id, datetime.now(UTC), ERROR_CODE, message)
        failed = JobFailed(event_id=event_id(job_id, "job.failed", ERROR_CODE, row.id),
                           job_id=job_id, producer=PRODUCER, step=step, error_code=ERROR_CODE,
                           error_message=message)
        await enqueue(conn, self.topics.events, failed)
        log.error("job %s failed: %s", job_id, message)
        if self.notify is not None and job["callback_url"]:
            self.notify(job["callback_url"], webhook_payload(job, failed))
