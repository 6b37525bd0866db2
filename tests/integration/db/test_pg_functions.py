"""The schema's functions: job management, analytics, maintenance, rate limits, audit."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from uuid import UUID

import asyncpg
import pytest

at = datetime.fromisoformat


async def test_create_job_with_the_seed_signature(db: asyncpg.Connection) -> None:
    job = await db.fetchval(
        "SELECT create_job('mp4', 1920, 1080, 25, '127.0.0.1'::inet, 'test-agent', '{}')")
    row = await db.fetchrow("SELECT * FROM jobs WHERE id = $1", job)
    assert (row["output_format"], row["width"], row["height"], row["fps"]) == ("mp4", 1920,
                                                                               1080, 25)
    assert str(row["client_ip"]) == "127.0.0.1"
    assert row["user_agent"] == "test-agent"
    assert row["status"] == "pending"
    assert row["response_type"] == "async"


async def test_create_job_with_every_option(db: asyncpg.Connection, make_api_key) -> None:
    key = await make_api_key()
    spec = {"output": {"format": "webm"}, "elements": []}
    job = await db.fetchval(
        "SELECT create_job(p_output_format => 'webm', p_width => 640, p_height => 360, "
        "p_spec => $1::jsonb, p_response_type => 'auto', p_api_key_id => $2, "
        "p_idempotency_key => 'abc', p_callback_url => 'https://example.com/hook', "
        "p_duration => 12.5, p_metadata => '{\"team\": \"x\"}')",
        json.dumps(spec), key)
    row = await db.fetchrow("SELECT * FROM jobs WHERE id = $1", job)
    assert json.loads(row["spec"]) == spec
    assert json.loads(row["metadata"]) == {"team": "x"}
    assert (row["response_type"], row["api_key_id"], row["duration"]) == ("auto", key, 12.5)
    assert row["callback_url"] == "https://example.com/hook"


async def test_create_job_is_idempotent_per_owner(db: asyncpg.Connection, make_api_key) -> None:
    create = "SELECT create_job('mp4', 640, 360, 30, $1::inet, NULL, '{}', '{}', 'async', $2, $3)"
    first = await db.fetchval(create, "10.0.0.1", None, "key-1")
    assert await db.fetchval(create, "10.0.0.1", None, "key-1") == first
    assert await db.fetchval(create, "10.0.0.2", None, "key-1") != first
    assert await db.fetchval(create, "10.0.0.1", None, "key-2") != first
    api_key = await make_api_key()
    by_key = await db.fetchval(create, "10.0.0.1", api_key, "key-1")
    assert by_key != first
    assert await db.fetchval(create, "10.9.9.9", api_key, "key-1") == by_key
    assert await db.fetchval(create, "10.0.0.1", None, None) != await db.fetchval(
        create, "10.0.0.1", None, None)
    assert await db.fetchval("SELECT count(*) FROM jobs") == 6


async def test_create_job_validates(db: asyncpg.Connection) -> None:
    with pytest.raises(asyncpg.CheckViolationError):
        await db.fetchval("SELECT create_job('mp4', 8000, 1080)")


async def test_update_job_progress(db: asyncpg.Connection, make_job) -> None:
    job = await make_job()
    progress = "SELECT update_job_progress($1, $2, $3)"
    assert await db.fetchval(progress, job, 10, "download") is False  # still pending
    await db.execute("UPDATE jobs SET status = 'processing' WHERE id = $1", job)
    assert await db.fetchval(progress, job, 40, "encoding") is True
    assert await db.fetchval(progress, job, 30, None) is True  # never goes back
    assert await db.fetchval(progress, job, 250, None) is True  # clamped
    row = await db.fetchrow("SELECT progress_percentage, current_step FROM jobs WHERE id = $1",
                            job)
    assert (row["progress_percentage"], row["current_step"]) == (100, "encoding")


async def test_calculate_job_progress(db: asyncpg.Connection, make_job) -> None:
    job = await make_job()
    calc = "SELECT calculate_job_progress($1)"
    assert await db.fetchval(calc, job) == 0
    step = ("INSERT INTO processing_timeline (job_id, step, completed_at, success) "
            "VALUES ($1, $2, now(), $3)")
    await db.execute(step, job, "validation", True)
    await db.execute(step, job, "download", True)
    await db.execute(step, job, "download", True)  # a step counts once
    await db.execute(step, job, "encoding", False)  # failed steps do not count
    await db.execute("INSERT INTO processing_timeline (job_id, step) VALUES ($1, 'upload')", job)
    assert await db.fetchval(calc, job) == 25
    for name in ("processing", "composition", "encoding", "upload", "cleanup"):
        await db.execute(step, job, name, True)
    assert await db.fetchval(calc, job) == 99  # every step done, but not completed yet
    await db.execute("UPDATE jobs SET status = 'processing' WHERE id = $1", job)
    await db.execute("UPDATE jobs SET status = 'completed' WHERE id = $1", job)
    assert await db.fetchval(calc, job) == 100
    assert await db.fetchval(calc, UUID(int=1)) is None


async def test_get_job_statistics(db: asyncpg.Connection, make_job) -> None:
    for ms, size in ((1000, 100), (3000, 300)):
        await make_job(status="completed", started_at=at("2024-01-10T00:00:00Z"),
                       processing_time_ms=ms, file_size=size, created_at=at("2024-01-10T00:00:00Z"))
    await make_job(status="failed", created_at=at("2024-01-11T00:00:00Z"))
    await make_job(status="cancelled", created_at=at("2024-01-12T00:00:00Z"))
    await make_job(status="pending", created_at=at("2024-01-13T00:00:00Z"))
    await make_job(status="completed", created_at=at("2024-02-01T00:00:00Z"))  # outside
    stats = await db.fetchrow("SELECT * FROM get_job_statistics('2024-01-01', '2024-01-31')")
    assert stats["total_jobs"] == 5
    assert (stats["completed_jobs"], stats["failed_jobs"], stats["cancelled_jobs"],
            stats["pending_jobs"], stats["processing_jobs"], stats["timeout_jobs"]) == (
        2, 1, 1, 1, 0, 0)
    assert float(stats["success_rate"]) == pytest.approx(66.67)
    assert stats["avg_processing_time_ms"] == 2000
    assert float(stats["p95_processing_time_ms"]) == pytest.approx(2900)
    assert stats["total_output_bytes"] == 400
    empty = await db.fetchrow("SELECT * FROM get_job_statistics('2000-01-01', '2000-01-02')")
    assert empty["total_jobs"] == 0
    assert empty["success_rate"] is None


async def test_cleanup_old_jobs(db: asyncpg.Connection, make_job) -> None:
    old = at("2000-01-01T00:00:00Z")
    old_done = await make_job(status="completed", completed_at=old)
    old_failed = await make_job(status="failed", completed_at=old)
    await db.execute("INSERT INTO elements (job_id, element_key, element_type) "
                     "VALUES ($1, 't', 'text')", old_done)
    await make_job(status="pending", created_at=old, updated_at=old)  # active: kept
    await make_job(status="processing", created_at=old, updated_at=old)  # active: kept
    recent = await make_job(status="completed")
    assert await db.fetchval("SELECT cleanup_old_jobs(30)") == 2
    remaining = {r["id"] for r in await db.fetch("SELECT id FROM jobs")}
    assert recent in remaining
    assert not remaining & {old_done, old_failed}
    assert await db.fetchval("SELECT count(*) FROM elements") == 0
    assert await db.fetchval("SELECT cleanup_old_jobs()") == 0
    with pytest.raises(asyncpg.InvalidParameterValueError):
        await db.fetchval("SELECT cleanup_old_jobs(-1)")


async def test_cleanup_old_metrics(db: asyncpg.Connection) -> None:
    await db.execute(
        "INSERT INTO system_metrics (metric_name, metric_value, recorded_at) VALUES "
        "('a', 1, now() - interval '8 days'), ('a', 2, now() - interval '6 days'), ('a', 3, now())")
    assert await db.fetchval("SELECT cleanup_old_metrics()") == 1
    assert await db.fetchval("SELECT cleanup_old_metrics(1)") == 1
    assert await db.fetchval("SELECT count(*) FROM system_metrics") == 1


async def test_enforce_data_retention(db: asyncpg.Connection, make_job) -> None:
    long_ago = "now() - interval '400 days'"
    await make_job(status="completed", completed_at=at("2000-01-01T00:00:00Z"))
    job = await make_job()
    await db.execute(f"""
        INSERT INTO system_metrics (metric_name, metric_value, recorded_at)
            VALUES ('m', 1, {long_ago});
        INSERT INTO url_access_logs (job_id, accessed_at) VALUES ('{job}', {long_ago}),
            ('{job}', now());
        INSERT INTO security_events (event_type, created_at) VALUES ('x', {long_ago});
        INSERT INTO processed_events (consumer, event_id, processed_at)
            VALUES ('c', gen_random_uuid(), {long_ago}), ('c', gen_random_uuid(), now());
        INSERT INTO outbox (topic, payload, published_at) VALUES ('t', '{{}}', {long_ago}),
            ('t', '{{}}', NULL);
        INSERT INTO rate_limits (identifier, window_seconds, window_start, request_count)
            VALUES ('ip', 60, {long_ago}, 5), ('ip', 60, now(), 1);
    """)
    result = json.loads(await db.fetchval("SELECT enforce_data_retention()"))
    assert result == {"jobs": 1, "system_metrics": 1, "url_access_logs": 1,
                      "security_events": 1, "processed_events": 1, "outbox": 1,
                      "rate_limits": 1}
    assert await db.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 1
    again = json.loads(await db.fetchval("SELECT enforce_data_retention()"))
    assert set(again.values()) == {0}


async def test_check_rate_limit(db: asyncpg.Connection) -> None:
    check = "SELECT check_rate_limit($1, 3, interval '1 hour')"
    assert [await db.fetchval(check, "10.0.0.1") for _ in range(4)] == [True] * 3 + [False]
    assert await db.fetchval(check, "10.0.0.2") is True
    assert await db.fetchval("SELECT check_rate_limit('10.0.0.3')") is True  # seed defaults


async def test_consume_rate_limit_reports_remaining_and_retry_after(
    db: asyncpg.Connection,
) -> None:
    consume = "SELECT * FROM consume_rate_limit('key', 2, interval '1 hour')"
    first, second, third = [await db.fetchrow(consume) for _ in range(3)]
    assert (first["allowed"], first["remaining"], first["retry_after_seconds"]) == (True, 1, 0)
    assert (second["allowed"], second["remaining"]) == (True, 0)
    assert third["allowed"] is False
    assert 1 <= third["retry_after_seconds"] <= 3600
    # a different window size is a different counter; old windows do not count
    assert (await db.fetchrow("SELECT * FROM consume_rate_limit('key', 2, '1 minute')"))[
        "allowed"]
    await db.execute("UPDATE rate_limits SET window_start = window_start - interval '1 day'")
    assert (await db.fetchrow(consume))["allowed"]


@pytest.mark.parametrize(("limit", "window"), [(-1, timedelta(hours=1)), (1, timedelta())])
async def test_consume_rate_limit_rejects_bad_arguments(db: asyncpg.Connection, limit: int,
                                                        window: timedelta) -> None:
    with pytest.raises(asyncpg.InvalidParameterValueError):
        await db.fetch("SELECT * FROM consume_rate_limit('k', $1, $2::interval)", limit, window)


async def test_log_security_event_records_who_asked(db: asyncpg.Connection) -> None:
    user = "6f1c1c1e-7f1e-4c1e-9a1e-1e1e1e1e1e1e"
    async with db.transaction():
        await db.execute("SELECT set_config('vidgen.client_ip', '192.0.2.7', true), "
                         "set_config('vidgen.user_id', $1, true), "
                         "set_config('vidgen.role', 'authenticated', true)", user)
        event = await db.fetchval(
            "SELECT log_security_event('unauthorized_access', '{\"path\": \"/x\"}', 'critical')")
    row = await db.fetchrow("SELECT * FROM security_events WHERE id = $1", event)
    assert row["event_type"] == "unauthorized_access"
    assert row["severity"] == "critical"
    assert json.loads(row["details"]) == {"path": "/x"}
    assert str(row["client_ip"]) == "192.0.2.7"
    assert str(row["user_id"]) == user
    assert row["app_role"] == "authenticated"
    assert row["db_user"] == "postgres"
    minimal = await db.fetchval("SELECT log_security_event('probe')")
    row = await db.fetchrow("SELECT * FROM security_events WHERE id = $1", minimal)
    assert (row["severity"], row["details"], row["client_ip"]) == ("warning", "{}", None)
    with pytest.raises(asyncpg.CheckViolationError):
        await db.fetchval("SELECT log_security_event('x', '{}', 'fatal')")
