"""Rows the storage service expects ingest to have written: a job and its elements."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import asyncpg

__all__ = ["insert_job"]


async def insert_job(conn: asyncpg.Connection, spec: dict[str, Any], *,
                     status: str = "processing", metadata: dict[str, Any] | None = None) -> UUID:
    """A job (as ingest creates it) with one elements row per spec element.

    `conn` must decode jsonb as Python values (shared.db.pool.create_pool connections do).
    """
    job_id = uuid4()
    output = spec.get("output", {})
    await conn.execute(
        """INSERT INTO jobs (id, status, output_format, width, height, spec, metadata)
           VALUES ($1, $2::job_status, $3, $4, $5, $6::jsonb, $7::jsonb)""",
        job_id, status, output.get("format", "mp4"), output.get("width", 320),
        output.get("height", 240), spec, metadata or {})
    for index, element in enumerate(spec["elements"]):
        properties = {k: v for k, v in element.items() if k not in ("type", "source", "id")}
        await conn.execute(
            """INSERT INTO elements (job_id, element_key, position, element_type, source_url,
                                     properties)
               VALUES ($1, $2, $3, $4::element_type, $5, $6::jsonb)""",
            job_id, element.get("id", f"element-{index}"), index, element["type"],
            element.get("source"), properties)
    return job_id
