"""/v1/stats over jobs in the database; health and readiness."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg
import pytest

pytestmark = pytest.mark.timeout(60)


async def _job(db: asyncpg.Connection, **columns: Any) -> UUID:
    values = {"width": 1280, "height": 720, **columns}
    names = ", ".join(values)
    params = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    job_id: UUID = await db.fetchval(
        f"INSERT INTO jobs ({names}) VALUES ({params}) RETURNING id", *values.values()
    )
    return job_id


async def test_stats_aggregate_the_jobs_of_the_period(service, db) -> None:
    now = datetime.now(UTC)
    done = await _job(db, status="completed", created_at=now - timedelta(hours=1),
                      started_at=now - timedelta(hours=1), processing_time_ms=1500,
                      file_size=1000, completed_at=now - timedelta(minutes=59))
    await db.execute(
        "INSERT INTO elements (job_id, element_key, element_type, source_url) "
        "VALUES ($1, 'a', 'video', 'https://example.com/a.mp4'), "
        "($1, 'b', 'image', 'https://example.com/b.png')", done,
    )
    await _job(db, status="failed", created_at=now - timedelta(hours=2), error_code="x")
    await _job(db, status="processing", created_at=now - timedelta(hours=3),
               started_at=now - timedelta(hours=3), updated_at=now - timedelta(hours=1))
    await _job(db, status="completed", created_at=now - timedelta(days=3), file_size=5)

    answer = await service.client.get("/v1/stats")
    assert answer.status_code == 200
    body = answer.json()
    jobs = body["jobs"]
    assert (jobs["total_jobs"], jobs["completed_jobs"], jobs["failed_jobs"],
            jobs["processing_jobs"]) == (3, 1, 1, 1)
    assert jobs["success_rate"] == 50.0
    assert jobs["avg_processing_time_ms"] == 1500.0
    assert jobs["total_output_bytes"] == 1000
    summary = body["summary"]
    assert (summary["jobs"], summary["elements"], summary["video_elements"],
            summary["image_elements"]) == (3, 2, 1, 1)
    active = body["active"]
    assert (active["jobs"], active["processing"], active["stalled"]) == (1, 1, 1)
    since = datetime.fromisoformat(body["period"]["to"]) - datetime.fromisoformat(
        body["period"]["from"])
    assert since == timedelta(hours=24)

    old = await service.client.get("/v1/stats", params={
        "from": (now - timedelta(days=4)).isoformat(), "to": (now - timedelta(days=2)).isoformat()})
    assert old.status_code == 200
    assert old.json()["jobs"]["total_jobs"] == 1
    assert old.json()["jobs"]["total_output_bytes"] == 5

    backwards = await service.client.get("/v1/stats", params={
        "from": now.isoformat(), "to": (now - timedelta(hours=1)).isoformat()})
    assert backwards.status_code == 422


async def test_health_and_readiness(service) -> None:
    assert (await service.client.get("/healthz")).json() == {"status": "ok"}
    ready = await service.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "broker": "ok"}}
