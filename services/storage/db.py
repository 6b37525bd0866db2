"""All of the storage service's SQL.

Storage writes `asset_cache`, `storage_operations`, `url_access_logs` and the source columns
of `elements` (processing_status, asset_sha256, source_size, source_duration, source_width,
source_height, error_message); it only reads `jobs`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from shared.db.pool import mark_processed, transaction

__all__ = [
    "AccessLog",
    "AssetRow",
    "JobOutput",
    "elements_downloading",
    "elements_failed",
    "elements_ready",
    "finish_operation",
    "get_asset",
    "insert_access_log",
    "job_naming",
    "job_output",
    "job_status",
    "mark_done",
    "start_operation",
    "upsert_asset",
    "was_processed",
]

CONSUMER = "storage"


@dataclass(frozen=True)
class AssetRow:
    sha256: str
    bucket: str | None
    key: str
    size: int
    content_type: str | None
    probe: dict[str, Any]


@dataclass(frozen=True)
class JobOutput:
    status: str
    bucket: str | None
    key: str | None
    file_size: int | None


@dataclass(frozen=True)
class AccessLog:
    job_id: UUID
    client_ip: str | None
    user_agent: str | None
    referer: str | None
    access_type: str
    response_status: int
    bytes_served: int
    response_time_ms: int
    country_code: str | None = None
    region: str | None = None
    city: str | None = None


async def was_processed(pool: asyncpg.Pool, event_id: UUID) -> bool:
    return bool(await pool.fetchval(
        "SELECT EXISTS (SELECT 1 FROM processed_events WHERE consumer = $1 AND event_id = $2)",
        CONSUMER, event_id))


async def mark_done(pool: asyncpg.Pool, event_id: UUID, job_id: UUID, topic: str) -> bool:
    """Record the event as applied (after its effects); False if it already was."""
    async with transaction(pool) as conn:
        return await mark_processed(conn, CONSUMER, event_id, job_id, topic)


async def job_status(pool: asyncpg.Pool, job_id: UUID) -> str | None:
    value = await pool.fetchval("SELECT status::text FROM jobs WHERE id = $1", job_id)
    return str(value) if value is not None else None


async def job_output(pool: asyncpg.Pool, job_id: UUID) -> JobOutput | None:
    row = await pool.fetchrow(
        "SELECT status::text AS status, s3_bucket, s3_key, file_size FROM jobs WHERE id = $1",
        job_id)
    if row is None:
        return None
    return JobOutput(row["status"], row["s3_bucket"], row["s3_key"], row["file_size"])


async def job_naming(pool: asyncpg.Pool, job_id: UUID) -> tuple[str | None, str | None]:
    """The job's metadata name (spec metadata first, then the job's) and output format."""
    row = await pool.fetchrow(
        """SELECT coalesce(spec -> 'metadata' ->> 'name', metadata ->> 'name') AS name,
                  output_format FROM jobs WHERE id = $1""", job_id)
    return (row["name"], row["output_format"]) if row else (None, None)


async def start_operation(pool: asyncpg.Pool, *, job_id: UUID | None, operation: str,
                          bucket: str | None = None, key: str | None = None,
                          source_url: str | None = None, content_type: str | None = None,
                          metadata: dict[str, Any] | None = None) -> int:
    """A storage_operations row for an operation that starts now; returns its id.

    A job id that is not (or no longer) in `jobs` is stored as NULL rather than failing.
    """
    value = await pool.fetchval(
        """INSERT INTO storage_operations
               (job_id, operation, bucket, s3_key, source_url, content_type, metadata)
           VALUES ((SELECT id FROM jobs WHERE id = $1), $2::storage_operation, $3, $4, $5,
                   $6, $7)
           RETURNING id""",
        job_id, operation, bucket, key, source_url, content_type, metadata or {})
    return int(value)


async def finish_operation(pool: asyncpg.Pool, operation_id: int, *, success: bool,
                           file_size: int | None = None, retry_count: int = 0,
                           error_message: str | None = None,
                           content_type: str | None = None) -> None:
    await pool.execute(
        """UPDATE storage_operations
           SET completed_at = greatest(now(), started_at), success = $2,
               file_size = coalesce($3, file_size), retry_count = $4, error_message = $5,
               content_type = coalesce($6, content_type)
           WHERE id = $1""",
        operation_id, success, file_size, retry_count,
        error_message[:2000] if error_message else None, content_type)


async def get_asset(pool: asyncpg.Pool, sha256: str) -> AssetRow | None:
    row = await pool.fetchrow(
        """UPDATE asset_cache SET last_accessed_at = now() WHERE sha256 = $1
           RETURNING sha256, s3_bucket, s3_key, size_bytes, content_type, probe""", sha256)
    if row is None:
        return None
    return AssetRow(row["sha256"], row["s3_bucket"], row["s3_key"], row["size_bytes"],
                    row["content_type"], row["probe"])


async def upsert_asset(pool: asyncpg.Pool, asset: AssetRow, source_url: str | None) -> None:
    """Add the asset, or refresh it; the first source URL it came from is kept."""
    await pool.execute(
        """INSERT INTO asset_cache (sha256, source_url, s3_bucket, s3_key, size_bytes,
                                    content_type, probe)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (sha256) DO UPDATE
           SET s3_bucket = EXCLUDED.s3_bucket, s3_key = EXCLUDED.s3_key,
               size_bytes = EXCLUDED.size_bytes,
               content_type = coalesce(asset_cache.content_type, EXCLUDED.content_type),
               probe = EXCLUDED.probe, last_accessed_at = now()""",
        asset.sha256, source_url, asset.bucket, asset.key, asset.size, asset.content_type,
        asset.probe)


_ELEMENTS_OF_SOURCE = """job_id = $1 AND (source_url = $2
    OR (element_type = 'text' AND properties ->> 'font' = $2))"""


async def elements_downloading(pool: asyncpg.Pool, job_id: UUID, source: str) -> None:
    await pool.execute(
        f"""UPDATE elements SET processing_status = 'downloading', error_message = NULL,
                                updated_at = now()
            WHERE {_ELEMENTS_OF_SOURCE}""", job_id, source)


async def elements_ready(pool: asyncpg.Pool, job_id: UUID, source: str, asset: AssetRow) -> None:
    probe = asset.probe
    await pool.execute(
        f"""UPDATE elements
            SET processing_status = 'ready', asset_sha256 = $3, source_size = $4,
                source_duration = $5, source_width = $6, source_height = $7,
                error_message = NULL, updated_at = now()
            WHERE {_ELEMENTS_OF_SOURCE}""",
        job_id, source, asset.sha256, asset.size, probe.get("duration"), probe.get("width"),
        probe.get("height"))


async def elements_failed(pool: asyncpg.Pool, job_id: UUID, source: str, message: str) -> None:
    await pool.execute(
        f"""UPDATE elements SET processing_status = 'failed', error_message = $3,
                                updated_at = now()
            WHERE {_ELEMENTS_OF_SOURCE}""", job_id, source, message[:2000])


async def insert_access_log(pool: asyncpg.Pool, entry: AccessLog) -> None:
    await pool.execute(
        """INSERT INTO url_access_logs (job_id, client_ip, user_agent, referer, country_code,
                                        region, city, access_type, response_status,
                                        bytes_served, response_time_ms)
           VALUES ($1, $2::inet, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
        entry.job_id, entry.client_ip, entry.user_agent, entry.referer, entry.country_code,
        entry.region, entry.city, entry.access_type, entry.response_status,
        entry.bytes_served, entry.response_time_ms)
