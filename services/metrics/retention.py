"""Data retention: enforce_data_retention() (jobs, system_metrics, logs, processed events,
sent outbox rows, rate-limit windows), one instance at a time."""

from __future__ import annotations

import logging

import asyncpg

from services.metrics import db
from services.metrics.samples import Sample
from services.metrics.settings import MetricsSettings
from shared.db.pool import transaction

__all__ = ["run_retention"]

_LOCK = 0x726574656E74  # "retent"
log = logging.getLogger(__name__)


async def run_retention(pool: asyncpg.Pool, settings: MetricsSettings, *,
                        instance: str) -> dict[str, int] | None:
    """Delete what is past retention; rows deleted per table, None if another instance
    is doing it right now."""
    async with transaction(pool) as conn:
        if not await db.try_lock(conn, _LOCK):
            return None
        deleted = await db.enforce_retention(
            conn, job_days=settings.retention_job_days,
            metric_days=settings.retention_metric_days, log_days=settings.retention_log_days,
            event_days=settings.retention_event_days,
        )
        samples = [Sample("retention_deleted_rows", count, {"table": table}, "gauge", "rows")
                   for table, count in sorted(deleted.items())]
        await db.insert_samples(conn, samples, instance=instance)
    log.info("retention: deleted %s", deleted)
    return deleted
