"""The backlog as Prometheus gauges: active jobs by status and the stalled ones.

Every metrics instance refreshes them from the `active_jobs` view on its own timer (one
aggregate query over unfinished jobs only), so each instance answers the same numbers and
a dashboard or alert can take `max` across instances.
"""

from __future__ import annotations

import asyncpg

from services.metrics import db, prom
from shared.db.pool import transaction
from shared.status import JobStatus

__all__ = ["ACTIVE_STATUSES", "refresh_backlog"]

ACTIVE_STATUSES = (JobStatus.PENDING, JobStatus.PROCESSING)  # shared.status.ACTIVE, ordered


async def refresh_backlog(pool: asyncpg.Pool, stall_after: float) -> dict[str, int]:
    """Read the backlog and set the gauges; returns what was set."""
    async with transaction(pool) as conn:
        row = await db.active_jobs(conn, stall_after)
    counts = {status: int(row[status] or 0) for status in map(str, ACTIVE_STATUSES)}
    for status, count in counts.items():
        prom.JOBS_ACTIVE.labels(status=status).set(count)
    counts["stalled"] = int(row["stalled"] or 0)
    prom.JOBS_STALLED.set(counts["stalled"])
    return counts
