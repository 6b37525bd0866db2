"""All of ingest's SQL: jobs, elements, processing_timeline (the outbox is shared.outbox).

Functions take a connection (`conn`, usually inside the caller's transaction) or the pool
(`pool`, for single reads). Rows come back as asyncpg Records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from shared import status
from shared.db.pool import json_text

__all__ = [
    "TERMINAL",
    "ElementRow",
    "NewJob",
    "StepEnd",
    "close_open_steps",
    "complete_job",
    "fail_job",
    "find_idempotent_job",
    "find_idempotent_jobs",
    "finish_step",
    "get_job",
    "insert_elements",
    "insert_job",
    "insert_jobs",
    "insert_validation_steps",
    "job_elements",
    "job_status",
    "job_timeline",
    "list_jobs",
    "lock_job",
    "ping",
    "set_status",
    "set_worker",
    "start_step",
    "step_progress",
    "update_progress",
]

TERMINAL = status.TERMINAL  # the job statuses no event changes any more

_JOB_COLUMNS = """id, status, current_step, progress_percentage, output_format, width, height,
    fps, duration, spec, response_type, client_ip, api_key_id, user_agent, idempotency_key,
    callback_url, result_url, result_files, s3_bucket, s3_key, file_size, processing_time_ms,
    estimated_time_ms, error_code, error_message, attempts, worker_id, created_at,
    updated_at, started_at, completed_at, metadata, template_id, template_version"""


@dataclass(frozen=True)
class NewJob:
    """The columns a new job is inserted with (everything else has its default)."""

    output_format: str
    width: int
    height: int
    fps: float
    duration: float | None
    spec: dict[str, Any]
    response_type: str
    client_ip: str | None
    user_agent: str | None
    idempotency_key: str | None
    callback_url: str | None
    estimated_time_ms: int
    metadata: dict[str, Any]
    id: UUID | None = None
    api_key_id: UUID | None = None
    template_id: UUID | None = None  # the template (and version) the job was made from
    template_version: int | None = None


@dataclass(frozen=True)
class ElementRow:
    job_id: UUID
    element_key: str
    position: int
    element_type: str
    source_url: str | None
    track: int
    start_time: float
    duration: float | None
    x: str | None
    y: str | None
    width: str | None
    height: str | None
    fit_mode: str
    opacity: float
    properties: dict[str, Any]


async def ping(pool: asyncpg.Pool) -> None:
    await pool.fetchval("SELECT 1")


async def insert_job(conn: Any, job: NewJob) -> UUID | None:
    """Insert a pending job; None when its owner already used the idempotency key."""
    created = await insert_jobs(conn, [job])
    return next(iter(created), None)


async def insert_jobs(conn: Any, jobs: list[NewJob], *,
                      returning: str = _JOB_COLUMNS) -> dict[UUID, asyncpg.Record]:
    """Insert pending jobs in one statement; the rows created (`returning` those columns, id
    among them), by id. A job whose owner already used its idempotency key (before, or
    earlier in `jobs`) is not inserted."""
    rows = await conn.fetch(
        f"""INSERT INTO jobs (id, output_format, width, height, fps, duration, spec,
                              response_type, client_ip, user_agent, idempotency_key,
                              callback_url, estimated_time_ms, metadata, api_key_id,
                              template_id, template_version)
            SELECT coalesce(r.id, gen_random_uuid()), r.output_format, r.width, r.height,
                   r.fps, r.duration, r.spec, r.response_type, r.client_ip, r.user_agent,
                   r.idempotency_key, r.callback_url, r.estimated_time_ms, r.metadata,
                   r.api_key_id, r.template_id, r.template_version
            FROM jsonb_to_recordset($1::text::jsonb) AS r(
                id uuid, output_format text, width integer, height integer, fps numeric,
                duration numeric, spec jsonb, response_type response_type, client_ip inet,
                user_agent text, idempotency_key text, callback_url text,
                estimated_time_ms integer, metadata jsonb, api_key_id uuid,
                template_id uuid, template_version integer)
            ON CONFLICT ON CONSTRAINT jobs_idempotency_key_per_owner DO NOTHING
            RETURNING {returning}""",
        json_text([_job_record(job) for job in jobs]),
    )
    return {row["id"]: row for row in rows}


def _job_record(job: NewJob) -> dict[str, Any]:
    return {
        "id": str(job.id) if job.id else None, "output_format": job.output_format,
        "width": job.width, "height": job.height, "fps": job.fps, "duration": job.duration,
        "spec": job.spec, "response_type": job.response_type, "client_ip": job.client_ip,
        "user_agent": job.user_agent, "idempotency_key": job.idempotency_key,
        "callback_url": job.callback_url, "estimated_time_ms": job.estimated_time_ms,
        "metadata": job.metadata, "api_key_id": str(job.api_key_id) if job.api_key_id else None,
        "template_id": str(job.template_id) if job.template_id else None,
        "template_version": job.template_version,
    }


async def find_idempotent_job(conn: Any, client_ip: str | None, key: str,
                              api_key_id: UUID | None = None) -> UUID | None:
    """The job its owner (the API key, else the client IP) created with this idempotency key."""
    result: UUID | None = await conn.fetchval(
        """SELECT id FROM jobs
           WHERE idempotency_key = $2
             AND owner_key = coalesce('key:' || $3::uuid::text, 'ip:' || host($1::inet))""",
        client_ip, key, api_key_id,
    )
    return result


async def find_idempotent_jobs(conn: Any, client_ip: str | None, api_key_id: UUID | None,
                               keys: list[str], *,
                               columns: str = _JOB_COLUMNS) -> dict[str, asyncpg.Record]:
    """The jobs one owner created with any of these idempotency keys, by key (one query)."""
    rows = await conn.fetch(
        f"""SELECT idempotency_key AS used_key, {columns} FROM jobs
            WHERE idempotency_key = ANY($3::text[])
              AND owner_key = coalesce('key:' || $2::uuid::text, 'ip:' || host($1::inet))""",
        client_ip, api_key_id, keys,
    )
    return {row["used_key"]: row for row in rows}


async def insert_elements(conn: Any, rows: list[ElementRow]) -> None:
    """Insert elements (of one or several jobs) in one statement."""
    await conn.execute(
        """INSERT INTO elements (job_id, element_key, position, element_type, source_url,
                                 track, start_time, duration, x, y, width, height, fit_mode,
                                 opacity, properties)
           SELECT r.job_id, r.element_key, r.position, r.element_type, r.source_url, r.track,
                  r.start_time, r.duration, r.x, r.y, r.width, r.height, r.fit_mode,
                  r.opacity, r.properties
           FROM jsonb_to_recordset($1::text::jsonb) AS r(
               job_id uuid, element_key text, position integer, element_type element_type,
               source_url text, track integer, start_time numeric, duration numeric, x text,
               y text, width text, height text, fit_mode fit_mode, opacity numeric,
               properties jsonb)""",
        json_text([{"job_id": str(r.job_id), "element_key": r.element_key,
                    "position": r.position, "element_type": r.element_type,
                    "source_url": r.source_url, "track": r.track, "start_time": r.start_time,
                    "duration": r.duration, "x": r.x, "y": r.y, "width": r.width,
                    "height": r.height, "fit_mode": r.fit_mode, "opacity": r.opacity,
                    "properties": r.properties} for r in rows]),
    )


async def insert_validation_steps(conn: Any,
                                  steps: list[tuple[UUID, datetime, dict[str, Any]]]) -> None:
    """The completed `validation` timeline row of new jobs: (job id, received at, details)."""
    await conn.execute(
        """INSERT INTO processing_timeline (job_id, step, attempt, started_at, completed_at,
                                            success, progress, details)
           SELECT r.job_id, 'validation', 1, least(r.received_at, now()), now(), true, 100,
                  r.details
           FROM jsonb_to_recordset($1::text::jsonb) AS r(job_id uuid, received_at timestamptz,
                                                  details jsonb)""",
        json_text([{"job_id": str(job_id), "received_at": at.isoformat(), "details": details}
                   for job_id, at, details in steps]),
    )


async def get_job(pool_or_conn: Any, job_id: UUID) -> asyncpg.Record | None:
    row: asyncpg.Record | None = await pool_or_conn.fetchrow(
        f"SELECT {_JOB_COLUMNS} FROM jobs WHERE id = $1", job_id
    )
    return row


async def job_status(pool: Any, job_id: UUID) -> str | None:
    status: str | None = await pool.fetchval("SELECT status::text FROM jobs WHERE id = $1",
                                             job_id)
    return status


async def lock_job(conn: Any, job_id: UUID) -> asyncpg.Record | None:
    """The job's row, locked for the rest of the transaction (one writer at a time)."""
    row: asyncpg.Record | None = await conn.fetchrow(
        f"SELECT {_JOB_COLUMNS} FROM jobs WHERE id = $1 FOR UPDATE", job_id
    )
    return row


async def list_jobs(conn: Any, status: str | None, limit: int,
                    offset: int) -> tuple[list[asyncpg.Record], int]:
    """A page of jobs, newest first, and how many match in total (one transaction's view:
    under row-level security, the caller's jobs)."""
    rows = await conn.fetch(
        f"""SELECT {_JOB_COLUMNS} FROM jobs
            WHERE $1::job_status IS NULL OR status = $1::job_status
            ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3""",
        status, limit, offset,
    )
    total = await conn.fetchval(
        "SELECT count(*) FROM jobs WHERE $1::job_status IS NULL OR status = $1::job_status",
        status,
    )
    return list(rows), int(total)


async def job_elements(pool: Any, job_id: UUID) -> list[asyncpg.Record]:
    return list(await pool.fetch(
        """SELECT element_key, position, element_type::text, source_url, track, start_time,
                  duration, x, y, width, height, fit_mode::text, opacity, properties,
                  processing_status, asset_sha256, source_size, source_duration,
                  source_width, source_height, error_message
           FROM elements WHERE job_id = $1 ORDER BY position""",
        job_id,
    ))


async def job_timeline(pool: Any, job_id: UUID) -> list[asyncpg.Record]:
    return list(await pool.fetch(
        """SELECT step::text, attempt, worker_id, started_at, completed_at, duration_ms,
                  success, progress, error_code, error_message, details
           FROM processing_timeline WHERE job_id = $1 ORDER BY started_at, id""",
        job_id,
    ))


async def set_status(conn: Any, job_id: UUID, status: str) -> None:
    """Change the status; the triggers check the transition and stamp the timestamps."""
    await conn.execute("UPDATE jobs SET status = $2::job_status WHERE id = $1", job_id, status)


async def set_worker(conn: Any, job_id: UUID, worker_id: str) -> None:
    await conn.execute(
        """UPDATE jobs SET worker_id = $2
           WHERE id = $1 AND status IN ('pending', 'processing')
             AND worker_id IS DISTINCT FROM $2""",
        job_id, worker_id,
    )


async def update_progress(conn: Any, job_id: UUID, progress: int, step: str) -> None:
    await conn.execute("SELECT update_job_progress($1, $2, $3::processing_step)",
                       job_id, progress, step)


async def start_step(conn: Any, job_id: UUID, step: str, attempt: int, worker_id: str | None,
                     at: datetime, details: dict[str, Any]) -> None:
    """A timeline row for a step that started, unless that step+attempt is already open."""
    await conn.execute(
        """INSERT INTO processing_timeline (job_id, step, attempt, worker_id, started_at,
                                            details)
           SELECT $1, $2::processing_step, $3, $4, $5, $6
           WHERE NOT EXISTS (
               SELECT 1 FROM processing_timeline
               WHERE job_id = $1 AND step = $2::processing_step AND attempt = $3
                 AND completed_at IS NULL)""",
        job_id, step, attempt, worker_id, at, details,
    )


async def slice_state(conn: Any, job_id: UUID, step: str, attempt: int, unit: int,
                      state: dict[str, Any]) -> None:
    """Record one slice's latest state (split rendering) in its step's `details.slices`,
    keyed by the slice's number: {"state": rendering | retried | done, ...}."""
    await conn.execute(
        """UPDATE processing_timeline
           SET details = coalesce(details, '{}'::jsonb) || jsonb_build_object(
                   'slices', coalesce(details->'slices', '{}'::jsonb)
                             || jsonb_build_object($4::text, $5::jsonb))
           WHERE job_id = $1 AND step = $2::processing_step AND attempt = $3""",
        job_id, step, attempt, str(unit), state,
    )


async def step_progress(conn: Any, job_id: UUID, step: str, attempt: int,
                        progress: int) -> None:
    await conn.execute(
        """UPDATE processing_timeline SET progress = greatest(coalesce(progress, 0), $4)
           WHERE job_id = $1 AND step = $2::processing_step AND attempt = $3
             AND completed_at IS NULL""",
        job_id, step, attempt, progress,
    )


@dataclass(frozen=True)
class StepEnd:
    job_id: UUID
    step: str
    attempt: int
    worker_id: str | None
    at: datetime
    success: bool
    progress: int | None
    error_code: str | None
    error_message: str | None
    details: dict[str, Any]


async def finish_step(conn: Any, end: StepEnd) -> None:
    """Close the open row of that step+attempt; without one (its start was never seen),
    record the step as a row of its own unless that step+attempt already ended."""
    args = (end.job_id, end.step, end.attempt, end.worker_id, end.at, end.success,
            end.progress, end.error_code, end.error_message, end.details)
    updated = await conn.fetchval(
        """UPDATE processing_timeline AS t
           SET completed_at = greatest(t.started_at, $5), success = $6,
               progress = coalesce($7, t.progress), error_code = $8, error_message = $9,
               worker_id = coalesce(t.worker_id, $4), details = t.details || $10
           WHERE t.id = (SELECT id FROM processing_timeline
                         WHERE job_id = $1 AND step = $2::processing_step AND attempt = $3
                           AND completed_at IS NULL
                         ORDER BY id DESC LIMIT 1)
           RETURNING t.id""",
        *args,
    )
    if updated is not None:
        return
    await conn.execute(
        """INSERT INTO processing_timeline (job_id, step, attempt, worker_id, started_at,
                                            completed_at, success, progress, error_code,
                                            error_message, details)
           SELECT $1, $2::processing_step, $3, $4, $5, $5, $6, $7, $8, $9, $10
           WHERE NOT EXISTS (SELECT 1 FROM processing_timeline
                             WHERE job_id = $1 AND step = $2::processing_step
                               AND attempt = $3)""",
        *args,
    )


async def close_open_steps(conn: Any, job_id: UUID, at: datetime, error_code: str,
                           error_message: str) -> None:
    """Every step still open when the job ended failed with the job's error."""
    await conn.execute(
        """UPDATE processing_timeline
           SET completed_at = greatest(started_at, $2), success = false,
               error_code = $3, error_message = $4
           WHERE job_id = $1 AND completed_at IS NULL""",
        job_id, at, error_code, error_message,
    )


async def complete_job(conn: Any, job_id: UUID, *, result_url: str, bucket: str, key: str,
                       file_size: int, duration: float,
                       files: list[dict[str, Any]] | None = None) -> None:
    await conn.execute(
        """UPDATE jobs SET status = 'completed', result_url = $2, s3_bucket = $3, s3_key = $4,
                          file_size = $5, duration = coalesce(duration, nullif($6, 0)),
                          progress_percentage = 100, result_files = $7
           WHERE id = $1""",
        job_id, result_url, bucket, key, file_size, duration, files,
    )


async def fail_job(conn: Any, job_id: UUID, *, status: str, step: str, error_code: str,
                   error_message: str) -> None:
    await conn.execute(
        """UPDATE jobs SET status = $2::job_status, current_step = $3::processing_step,
                          error_code = $4, error_message = $5
           WHERE id = $1""",
        job_id, status, step, error_code, error_message,
    )
