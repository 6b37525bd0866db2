"""The views: summaries, real-time status, active-job health and the analytics views."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg
import pytest

MINUTES = timedelta(minutes=1)


async def test_job_summary(db: asyncpg.Connection, make_job) -> None:
    job = await make_job()
    await db.execute(
        "INSERT INTO elements (job_id, element_key, element_type, source_url) VALUES "
        "($1, 'v1', 'video', 'https://e.com/v.mp4'), ($1, 'v2', 'video', 'https://e.com/w.mp4'), "
        "($1, 'i', 'image', 'https://e.com/i.png'), ($1, 't', 'text', NULL), "
        "($1, 'o', 'overlay', 'https://e.com/o.png'), ($1, 'a', 'audio', 'https://e.com/a.mp3')",
        job)
    await db.execute(
        "INSERT INTO processing_timeline (job_id, step, started_at, success) VALUES "
        "($1, 'validation', now() - interval '3 s', true), "
        "($1, 'download', now() - interval '2 s', false), "
        "($1, 'download', now() - interval '1 s', NULL)", job)
    await db.execute(
        "INSERT INTO storage_operations (job_id, operation, file_size, success) VALUES "
        "($1, 'download', 100, true), ($1, 'download', 50, false)", job)
    row = await db.fetchrow("SELECT * FROM job_summary WHERE id = $1", job)
    assert (row["element_count"], row["video_count"], row["image_count"], row["audio_count"],
            row["text_count"], row["overlay_count"]) == (6, 2, 1, 1, 1, 1)
    assert (row["steps_succeeded"], row["steps_failed"], row["last_step"]) == (1, 1, "download")
    assert (row["storage_operations"], row["bytes_transferred"]) == (2, 100)
    assert row["total_time_ms"] >= 0
    bare = await db.fetchrow("SELECT * FROM job_summary WHERE id = $1", await make_job())
    assert (bare["element_count"], bare["steps_succeeded"], bare["last_step"],
            bare["storage_operations"]) == (0, 0, None, 0)


async def test_job_status_realtime(db: asyncpg.Connection, make_job) -> None:
    started = datetime(2024, 1, 1, tzinfo=UTC)
    job = await make_job(status="processing", started_at=started, estimated_time_ms=90_000)
    await db.execute(
        "INSERT INTO processing_timeline (job_id, step, started_at, completed_at, success) "
        "VALUES ($1, 'download', $2, $3, true), ($1, 'encoding', $3, NULL, NULL)",
        job, started, started + MINUTES)
    row = await db.fetchrow("SELECT * FROM job_status_realtime WHERE id = $1", job)
    assert row["status"] == "processing"
    assert row["estimated_completion_at"] == started + timedelta(seconds=90)
    assert (row["latest_step"], row["latest_step_success"]) == ("encoding", None)
    assert row["latest_step_at"] == started + MINUTES
    assert row["elapsed_ms"] > 0


async def test_active_jobs_health(db: asyncpg.Connection, make_job) -> None:
    now = await db.fetchval("SELECT now()")
    jobs = {
        "normal": await make_job(status="processing", updated_at=now - 1 * MINUTES),
        "slow": await make_job(status="processing", updated_at=now - 5 * MINUTES),
        "stalled": await make_job(status="processing", updated_at=now - 11 * MINUTES),
        "queued_long": await make_job(status="pending", updated_at=now - 30 * MINUTES),
    }
    await make_job(status="completed", updated_at=now - 60 * MINUTES)  # not active
    rows = {r["id"]: r for r in await db.fetch("SELECT * FROM active_jobs")}
    assert set(rows) == set(jobs.values())
    health = {name: rows[job]["processing_health"] for name, job in jobs.items()}
    assert health == {"normal": "normal", "slow": "slow", "stalled": "stalled",
                      "queued_long": "stalled"}
    assert rows[jobs["slow"]]["since_last_update"] >= 5 * MINUTES


async def test_active_jobs_thresholds_are_configurable(db: asyncpg.Connection,
                                                       make_job) -> None:
    now = await db.fetchval("SELECT now()")
    job = await make_job(status="processing", updated_at=now - 5 * MINUTES)
    health = "SELECT processing_health FROM active_jobs WHERE id = $1"
    async with db.transaction():
        await db.execute("SELECT set_config('vidgen.stalled_after', '4 minutes', true)")
        assert await db.fetchval(health, job) == "stalled"
    async with db.transaction():
        await db.execute("SELECT set_config('vidgen.slow_after', '6 minutes', true)")
        assert await db.fetchval(health, job) == "normal"
    assert await db.fetchval(health, job) == "slow"


async def test_active_jobs_after_a_progress_update_is_normal(db: asyncpg.Connection,
                                                            make_job) -> None:
    now = await db.fetchval("SELECT now()")
    job = await make_job(status="processing", updated_at=now - 20 * MINUTES)
    await db.execute("SELECT update_job_progress($1, 10)", job)
    assert await db.fetchval("SELECT processing_health FROM active_jobs WHERE id = $1",
                             job) == "normal"


async def test_job_queue(db: asyncpg.Connection, make_job) -> None:
    now = await db.fetchval("SELECT now()")
    second = await make_job(created_at=now - 1 * MINUTES)
    first = await make_job(created_at=now - 2 * MINUTES)
    await make_job(status="processing")
    rows = await db.fetch("SELECT * FROM job_queue ORDER BY queue_position")
    assert [(r["queue_position"], r["id"]) for r in rows] == [(1, first), (2, second)]
    assert rows[0]["waiting_ms"] >= 120_000


async def test_daily_job_stats(make_job, db: asyncpg.Connection) -> None:
    day = datetime(2024, 3, 1, 12, tzinfo=UTC)
    await make_job(status="completed", created_at=day, processing_time_ms=100, file_size=7)
    await make_job(status="completed", created_at=day, processing_time_ms=300, file_size=3)
    await make_job(status="failed", created_at=day)
    await make_job(status="pending", created_at=day + timedelta(days=1))
    rows = {r["day"].isoformat(): r for r in await db.fetch("SELECT * FROM daily_job_stats")}
    first = rows["2024-03-01"]
    assert (first["total_jobs"], first["completed_jobs"], first["failed_jobs"],
            first["active_jobs"]) == (3, 2, 1, 0)
    assert (first["avg_processing_time_ms"], first["output_bytes"]) == (200, 10)
    assert rows["2024-03-02"]["active_jobs"] == 1


async def test_step_performance(db: asyncpg.Connection, make_job) -> None:
    job = await make_job()
    await db.execute(
        "INSERT INTO processing_timeline (job_id, step, started_at, completed_at, success) VALUES "
        "($1, 'encoding', now() - interval '10 s', now() - interval '9 s', true), "
        "($1, 'encoding', now() - interval '10 s', now() - interval '7 s', false), "
        "($1, 'encoding', now() - interval '10 s', NULL, NULL), "
        "($1, 'encoding', now() - interval '3 days', now() - interval '3 days', true)", job)
    row = await db.fetchrow("SELECT * FROM step_performance WHERE step = 'encoding'")
    assert (row["executions"], row["succeeded"], row["failed"]) == (2, 1, 1)
    assert row["success_rate"] == 50
    assert (row["avg_duration_ms"], row["max_duration_ms"]) == (2000, 3000)
    assert row["p95_duration_ms"] == pytest.approx(2900)


async def test_storage_operation_stats(db: asyncpg.Connection, make_job) -> None:
    job = await make_job()
    await db.execute(
        "INSERT INTO storage_operations (job_id, operation, file_size, started_at, completed_at, "
        "success) VALUES "
        "($1, 'upload', 2000, now() - interval '2 s', now(), true), "
        "($1, 'upload', 500, now() - interval '1 s', now(), false)", job)
    row = await db.fetchrow("SELECT * FROM storage_operation_stats WHERE operation = 'upload'")
    assert (row["operations"], row["succeeded"], row["failed"], row["bytes"]) == (2, 1, 1, 2000)
    assert row["bytes_per_second"] == 1000


async def test_url_access_stats(db: asyncpg.Connection, make_job) -> None:
    job = await make_job()
    await db.execute(
        "INSERT INTO url_access_logs (job_id, client_ip, bytes_served, response_time_ms) VALUES "
        "($1, '192.0.2.1', 10, 20), ($1, '192.0.2.1', 10, 40), ($1, '192.0.2.2', 5, 30)", job)
    row = await db.fetchrow("SELECT * FROM url_access_stats WHERE job_id = $1", job)
    assert (row["accesses"], row["unique_clients"], row["bytes_served"]) == (3, 2, 25)
    assert row["avg_response_time_ms"] == 30


async def test_error_summary(db: asyncpg.Connection, make_job) -> None:
    now = await db.fetchval("SELECT now()")
    await make_job(status="failed", error_code="E_DL", error_message="old",
                   completed_at=now - 2 * MINUTES)
    await make_job(status="failed", error_code="E_DL", error_message="new", completed_at=now)
    await make_job(status="timeout")
    await make_job(status="failed", error_code="E_DL", completed_at=now - timedelta(days=2))
    rows = {(r["status"], r["error_code"]): r
            for r in await db.fetch("SELECT * FROM error_summary")}
    assert set(rows) == {("failed", "E_DL"), ("timeout", "UNKNOWN")}
    assert (rows["failed", "E_DL"]["jobs"], rows["failed", "E_DL"]["latest_message"]) == (
        2, "new")


async def test_latest_system_metrics(db: asyncpg.Connection) -> None:
    await db.execute(
        "INSERT INTO system_metrics (metric_name, metric_value, labels, recorded_at) VALUES "
        "('queue_depth', 1, '{\"q\": \"a\"}', now() - interval '1 min'), "
        "('queue_depth', 2, '{\"q\": \"a\"}', now()), "
        "('queue_depth', 9, '{\"q\": \"b\"}', now() - interval '5 min')")
    rows = await db.fetch("SELECT labels, metric_value FROM latest_system_metrics "
                          "ORDER BY labels")
    assert [(r["labels"], r["metric_value"]) for r in rows] == [('{"q": "a"}', 2),
                                                                ('{"q": "b"}', 9)]
