"""Tables, enums, constraints and indexes of the migrated schema."""

from __future__ import annotations

import asyncpg
import pytest

TABLES = {
    "api_keys", "jobs", "elements", "storage_operations", "processing_timeline",
    "url_access_logs", "system_metrics", "processed_events", "outbox", "asset_cache",
    "rate_limits", "security_events", "templates", "template_versions", "render_splits",
    "render_slices",
}
ENUMS = {
    "job_status": ["pending", "processing", "completed", "failed", "cancelled", "timeout"],
    "element_type": ["video", "image", "audio", "text", "overlay", "captions", "shape"],
    "fit_mode": ["auto", "contain", "cover", "fill", "stretch"],
    "processing_step": ["validation", "download", "processing", "composition", "encoding",
                        "upload", "cleanup"],
    "storage_operation": ["upload", "download", "delete", "access"],
    "response_type": ["immediate", "async", "auto"],
}
JOB_COLUMNS = {
    "id", "status", "current_step", "progress_percentage", "output_format", "width", "height",
    "fps", "duration", "spec", "response_type", "client_ip", "api_key_id", "user_agent",
    "idempotency_key", "callback_url", "result_url", "s3_key", "s3_bucket", "file_size",
    "processing_time_ms", "error_code", "error_message", "attempts", "worker_id", "created_at",
    "updated_at", "started_at", "completed_at", "metadata", "template_id", "template_version",
}


async def test_tables(db: asyncpg.Connection) -> None:
    rows = await db.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    assert {r["tablename"] for r in rows} == TABLES | {"schema_migrations"}


async def test_enums(db: asyncpg.Connection) -> None:
    for name, labels in ENUMS.items():
        got = await db.fetchval(f"SELECT enum_range(NULL::{name})::text[]")
        assert got == labels, name


async def test_job_columns(db: asyncpg.Connection) -> None:
    rows = await db.fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'jobs'"
    )
    assert {r["column_name"] for r in rows} >= JOB_COLUMNS


async def test_job_defaults(db: asyncpg.Connection, make_job) -> None:
    row = await db.fetchrow("SELECT * FROM jobs WHERE id = $1", await make_job())
    assert row["status"] == "pending"
    assert row["output_format"] == "mp4"
    assert row["fps"] == 30
    assert row["response_type"] == "async"
    assert row["progress_percentage"] == 0
    assert row["attempts"] == 0
    assert row["spec"] == "{}"
    assert row["owner_key"] == "ip:10.0.0.1"
    assert row["created_at"] == row["updated_at"]


@pytest.mark.parametrize(
    "columns",
    [
        {"width": 7681},
        {"height": 0},
        {"fps": 121},
        {"output_format": "mkv"},
        {"progress_percentage": 101},
        {"duration": 0},
        {"callback_url": "ftp://example.com/hook"},
        {"spec": "[]"},
        {"file_size": -1},
    ],
)
async def test_job_checks(make_job, columns: dict[str, object]) -> None:
    with pytest.raises(asyncpg.CheckViolationError):
        await make_job(**columns)


async def test_idempotency_key_is_unique_per_owner(make_job, make_api_key) -> None:
    await make_job(idempotency_key="k1")
    with pytest.raises(asyncpg.UniqueViolationError):
        await make_job(idempotency_key="k1")
    await make_job(idempotency_key="k1", client_ip="10.0.0.2")
    key = await make_api_key()
    await make_job(idempotency_key="k1", api_key_id=key)
    with pytest.raises(asyncpg.UniqueViolationError):
        await make_job(idempotency_key="k1", api_key_id=key, client_ip="10.9.9.9")
    await make_job()
    await make_job()  # no key: never a conflict


async def test_elements_constraints_and_cascade(db: asyncpg.Connection, make_job) -> None:
    job = await make_job()
    insert = ("INSERT INTO elements (job_id, element_key, element_type, source_url, fit_mode) "
              "VALUES ($1, $2, $3, $4, $5)")
    await db.execute(insert, job, "v", "video", "https://example.com/a.mp4", "cover")
    await db.execute(insert, job, "t", "text", None, "auto")
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute(insert, job, "i", "image", None, "auto")
    with pytest.raises(asyncpg.UniqueViolationError):
        await db.execute(insert, job, "v", "video", "https://example.com/b.mp4", "auto")
    with pytest.raises(asyncpg.InvalidTextRepresentationError):
        await db.execute(insert, job, "x", "video", "https://example.com/c.mp4", "zoom")
    await db.execute("INSERT INTO processing_timeline (job_id, step) VALUES ($1, 'validation')",
                     job)
    await db.execute("INSERT INTO storage_operations (job_id, operation) VALUES ($1, 'upload')",
                     job)
    await db.execute("INSERT INTO url_access_logs (job_id) VALUES ($1)", job)
    await db.execute("DELETE FROM jobs WHERE id = $1", job)
    for table in ("elements", "processing_timeline", "storage_operations", "url_access_logs"):
        assert await db.fetchval(f"SELECT count(*) FROM {table}") == 0, table


async def test_api_key_with_jobs_cannot_be_deleted(db: asyncpg.Connection, make_job,
                                                  make_api_key) -> None:
    key = await make_api_key()
    await make_job(api_key_id=key)
    with pytest.raises(asyncpg.ForeignKeyViolationError):
        await db.execute("DELETE FROM api_keys WHERE id = $1", key)
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute("INSERT INTO api_keys (key_hash, name) VALUES ('not-hex', 'x')")


async def test_durations_are_derived(db: asyncpg.Connection, make_job) -> None:
    job = await make_job()
    ms = await db.fetchval(
        "INSERT INTO processing_timeline (job_id, step, started_at, completed_at) "
        "VALUES ($1, 'encoding', '2024-01-01 00:00:00+00', '2024-01-01 00:00:01.5+00') "
        "RETURNING duration_ms", job)
    assert ms == 1500
    ms = await db.fetchval(
        "INSERT INTO storage_operations (job_id, operation, started_at, completed_at) "
        "VALUES ($1, 'upload', '2024-01-01 00:00:00+00', '2024-01-01 00:00:00.25+00') "
        "RETURNING duration_ms", job)
    assert ms == 250


async def test_event_tables(db: asyncpg.Connection) -> None:
    event = "0b7c1c1e-7f1e-4c1e-9a1e-1e1e1e1e1e1e"
    await db.execute("INSERT INTO processed_events (consumer, event_id) VALUES ('render', $1)",
                     event)
    with pytest.raises(asyncpg.UniqueViolationError):
        await db.execute(
            "INSERT INTO processed_events (consumer, event_id) VALUES ('render', $1)", event)
    await db.execute("INSERT INTO processed_events (consumer, event_id) VALUES ('metrics', $1)",
                     event)
    first = await db.fetchval(
        "INSERT INTO outbox (topic, key, payload) VALUES ('jobs', 'k', '{}') RETURNING id")
    second = await db.fetchval(
        "INSERT INTO outbox (topic, key, payload, headers) VALUES ('jobs', 'k', '{}', "
        "'{\"traceparent\": \"x\"}') RETURNING id")
    assert second > first
    await db.execute(
        "INSERT INTO asset_cache (sha256, source_url, s3_key, size_bytes, probe) "
        "VALUES ($1, 'https://example.com/a.png', 'assets/a', 10, '{\"width\": 2}')", "a" * 64)
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute("INSERT INTO asset_cache (sha256, s3_key, size_bytes) "
                         "VALUES ('ABC', 'k', 1)")


async def test_rls_is_enabled_on_every_table(db: asyncpg.Connection) -> None:
    rows = await db.fetch(
        "SELECT c.relname, c.relrowsecurity FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = 'r'"
    )
    assert rows
    assert [r["relname"] for r in rows if not r["relrowsecurity"]] == []
    privileged = await db.fetch(
        "SELECT tablename FROM pg_policies WHERE policyname = tablename || '_privileged'")
    assert {r["tablename"] for r in privileged} == TABLES


async def test_views_run_as_the_caller(db: asyncpg.Connection) -> None:
    rows = await db.fetch(
        "SELECT c.relname, c.reloptions FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = 'v'"
    )
    assert len(rows) == 10
    assert all("security_invoker=true" in (r["reloptions"] or []) for r in rows)


@pytest.mark.parametrize(
    ("table", "column"),
    [("jobs", "client_ip"), ("jobs", "api_key_id"), ("jobs", "status"),
     ("elements", "job_id"), ("processing_timeline", "job_id"),
     ("storage_operations", "job_id"), ("url_access_logs", "job_id"),
     ("system_metrics", "metric_name")],
)
async def test_lookup_columns_are_indexed(db: asyncpg.Connection, table: str,
                                          column: str) -> None:
    first_columns = await db.fetch(
        "SELECT a.attname FROM pg_index i "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
        "WHERE i.indrelid = $1::regclass", table)
    assert column in {r["attname"] for r in first_columns}
