"""The render fleet's SQL. It only reads `jobs` (ingest is its writer) and listens to it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from shared.status import TERMINAL, JobStatus

__all__ = [
    "FINAL_STATUSES",
    "SKIP_STATUSES",
    "STATUS_CHANNEL",
    "JobState",
    "fetch_job_state",
    "parse_status_notification",
    "ping",
]

STATUS_CHANNEL = "job_status"
"""Notified by the jobs triggers (migration 0007) with a JSON payload incl. job_id, status."""

SKIP_STATUSES = frozenset({JobStatus.COMPLETED, JobStatus.CANCELLED})
"""A RenderRequested for a job in one of these is stale (a redelivery): nothing to do."""

FINAL_STATUSES = TERMINAL
"""A render in flight stops when its job reaches one of these (someone else decided)."""


@dataclass(frozen=True)
class JobState:
    status: str
    attempts: int


async def fetch_job_state(conn: asyncpg.Connection | asyncpg.Pool, job_id: UUID) -> JobState | None:
    row = await conn.fetchrow("SELECT status::text, attempts FROM jobs WHERE id = $1", job_id)
    if row is None:
        return None
    return JobState(status=row["status"], attempts=row["attempts"])


def parse_status_notification(payload: str) -> tuple[UUID, str] | None:
    """(job_id, status) of a `job_status` notification; None for anything unexpected."""
    try:
        data: Any = json.loads(payload)
        return UUID(str(data["job_id"])), str(data["status"])
    except (ValueError, KeyError, TypeError):
        return None


async def ping(pool: asyncpg.Pool) -> None:
    await pool.fetchval("SELECT 1")
