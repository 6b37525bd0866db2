"""The metrics service's SQL: it writes system_metrics and only reads everything else."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg

from services.metrics.samples import Sample

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    Conn: TypeAlias = asyncpg.Connection | PoolConnectionProxy[Any]

__all__ = [
    "active_jobs",
    "enforce_retention",
    "failure_counts",
    "firing_alerts",
    "insert_samples",
    "job_statistics",
    "job_summary",
    "last_alert_state",
    "stalled_jobs",
    "try_lock",
]

SERVICE = "metrics"


def _plain(row: asyncpg.Record | None) -> dict[str, Any]:
    """A row as a dict, numerics as floats (JSON numbers rather than strings)."""
    if row is None:
        return {}
    return {key: float(value) if isinstance(value, Decimal) else value
            for key, value in row.items()}


async def insert_samples(conn: Conn, samples: Iterable[Sample], *,
                         instance: str) -> None:
    rows = [
        (s.name, s.value, s.type, s.unit, dict(s.labels), SERVICE, instance, s.alert_threshold,
         s.is_alert, s.at)
        for s in samples
    ]
    if rows:
        await conn.executemany(
            """INSERT INTO system_metrics (metric_name, metric_value, metric_type, unit, labels,
                   service, instance, alert_threshold, is_alert, recorded_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, now()))""",
            rows,
        )


async def job_statistics(conn: Conn, start: datetime, end: datetime
                         ) -> dict[str, Any]:
    row = await conn.fetchrow("SELECT * FROM get_job_statistics($1, $2)", start, end)
    return _plain(row)


async def job_summary(conn: Conn, start: datetime, end: datetime
                      ) -> dict[str, Any]:
    """Aggregates of the job_summary view over jobs created in [start, end)."""
    row = await conn.fetchrow(
        """SELECT count(*) AS jobs,
                  coalesce(sum(element_count), 0)::bigint AS elements,
                  round(avg(element_count), 2) AS avg_elements,
                  coalesce(sum(video_count), 0)::bigint AS video_elements,
                  coalesce(sum(image_count), 0)::bigint AS image_elements,
                  coalesce(sum(audio_count), 0)::bigint AS audio_elements,
                  coalesce(sum(text_count), 0)::bigint AS text_elements,
                  coalesce(sum(overlay_count), 0)::bigint AS overlay_elements,
                  coalesce(sum(steps_succeeded), 0)::bigint AS steps_succeeded,
                  coalesce(sum(steps_failed), 0)::bigint AS steps_failed,
                  coalesce(sum(storage_operations), 0)::bigint AS storage_operations,
                  coalesce(sum(bytes_transferred), 0)::bigint AS bytes_transferred,
                  round(avg(total_time_ms)) AS avg_total_time_ms,
                  round(avg(estimated_time_ms)) AS avg_estimated_time_ms
           FROM job_summary WHERE created_at >= $1 AND created_at < $2""",
        start, end,
    )
    return _plain(row)


async def _stall_threshold(conn: Conn, stall_after: float) -> None:
    """Make the active_jobs view call a job stalled after `stall_after` seconds (this
    transaction only)."""
    await conn.execute("SELECT set_config('vidgen.stalled_after', $1, true)",
                       f"{stall_after} seconds")


async def active_jobs(conn: Conn, stall_after: float) -> dict[str, Any]:
    """Aggregates of the active_jobs view; call inside a transaction."""
    await _stall_threshold(conn, stall_after)
    row = await conn.fetchrow(
        """SELECT count(*) AS jobs,
                  count(*) FILTER (WHERE status = 'pending') AS pending,
                  count(*) FILTER (WHERE status = 'processing') AS processing,
                  count(*) FILTER (WHERE processing_health = 'normal') AS normal,
                  count(*) FILTER (WHERE processing_health = 'slow') AS slow,
                  count(*) FILTER (WHERE processing_health = 'stalled') AS stalled,
                  min(created_at) AS oldest_created_at,
                  max(queue_time_ms) FILTER (WHERE status = 'pending') AS max_queue_time_ms,
                  round(avg(running_time_ms)) AS avg_running_time_ms
           FROM active_jobs"""
    )
    return _plain(row)


async def stalled_jobs(conn: Conn, stall_after: float) -> int:
    """Active jobs without an update for `stall_after` seconds; call inside a transaction."""
    await _stall_threshold(conn, stall_after)
    count: int = await conn.fetchval(
        "SELECT count(*) FROM active_jobs WHERE processing_health = 'stalled'"
    )
    return count


async def failure_counts(conn: Conn, window: float) -> tuple[int, int]:
    """(failed or timed out, finished) jobs that finished in the last `window` seconds."""
    row = await conn.fetchrow(
        """SELECT count(*) FILTER (WHERE status IN ('failed', 'timeout')) AS failed,
                  count(*) AS finished
           FROM jobs
           WHERE status IN ('completed', 'failed', 'timeout')
             AND completed_at >= now() - make_interval(secs => $1)""",
        window,
    )
    assert row is not None
    return int(row["failed"]), int(row["finished"])


async def firing_alerts(conn: Conn) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT metric_name, labels, metric_value, alert_threshold, recorded_at
           FROM latest_system_metrics WHERE is_alert ORDER BY metric_name"""
    )
    return [dict(row) for row in rows]


async def last_alert_state(conn: Conn, name: str) -> bool:
    """Whether the latest sample of alert `name` was firing (False if there is none)."""
    firing: bool | None = await conn.fetchval(
        """SELECT is_alert FROM system_metrics WHERE metric_name = $1 AND service = $2
           ORDER BY recorded_at DESC, id DESC LIMIT 1""",
        name, SERVICE,
    )
    return bool(firing)


async def try_lock(conn: Conn, key: int) -> bool:
    """A transaction-scoped advisory lock, so one instance at a time runs a periodic task."""
    locked: bool = await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", key)
    return locked


async def enforce_retention(conn: Conn, *, job_days: int, metric_days: int,
                            log_days: int, event_days: int) -> dict[str, int]:
    """Run every retention rule (enforce_data_retention); rows deleted per table."""
    deleted: dict[str, int] = await conn.fetchval(
        "SELECT enforce_data_retention($1, $2, $3, $4)", job_days, metric_days, log_days,
        event_days,
    )
    return deleted
