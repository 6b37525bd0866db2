"""Triggers: job status rules, timestamps, and the real-time notifications."""

from __future__ import annotations

import itertools

import asyncpg
import pytest

STATUSES = ["pending", "processing", "completed", "failed", "cancelled", "timeout"]
ALLOWED = {
    ("pending", "processing"), ("pending", "cancelled"), ("pending", "failed"),
    ("processing", "completed"), ("processing", "failed"), ("processing", "cancelled"),
    ("processing", "timeout"), ("failed", "processing"), ("timeout", "processing"),
}
FORBIDDEN = sorted(
    pair for pair in itertools.permutations(STATUSES, 2) if pair not in ALLOWED
)
SET_STATUS = "UPDATE jobs SET status = $2 WHERE id = $1"


class Rollback(Exception):
    pass


@pytest.mark.parametrize(("old", "new"), sorted(ALLOWED))
async def test_allowed_transition(db: asyncpg.Connection, make_job, old: str, new: str) -> None:
    job = await make_job(status=old)
    await db.execute(SET_STATUS, job, new)
    assert await db.fetchval("SELECT status FROM jobs WHERE id = $1", job) == new


@pytest.mark.parametrize(("old", "new"), FORBIDDEN)
async def test_forbidden_transition(db: asyncpg.Connection, make_job, old: str, new: str) -> None:
    job = await make_job(status=old)
    with pytest.raises(asyncpg.CheckViolationError, match="invalid job status transition") as err:
        await db.execute(SET_STATUS, job, new)
    assert err.value.constraint_name == "jobs_status_transition"
    assert await db.fetchval("SELECT status FROM jobs WHERE id = $1", job) == old


@pytest.mark.parametrize("status", STATUSES)
async def test_same_status_is_not_a_transition(db: asyncpg.Connection, make_job,
                                               status: str) -> None:
    job = await make_job(status=status)
    await db.execute(SET_STATUS, job, status)


async def test_lifecycle_timestamps(db: asyncpg.Connection, make_job) -> None:
    job = await make_job()
    row = await db.fetchrow("SELECT * FROM jobs WHERE id = $1", job)
    assert row["started_at"] is None and row["completed_at"] is None
    await db.execute(SET_STATUS, job, "processing")
    row = await db.fetchrow("SELECT * FROM jobs WHERE id = $1", job)
    assert row["started_at"] is not None
    assert row["attempts"] == 1
    assert row["completed_at"] is None
    await db.execute("UPDATE jobs SET status = 'completed', file_size = 10 WHERE id = $1", job)
    row = await db.fetchrow("SELECT * FROM jobs WHERE id = $1", job)
    assert row["completed_at"] >= row["started_at"]
    assert row["progress_percentage"] == 100
    assert row["processing_time_ms"] == round(
        (row["completed_at"] - row["started_at"]).total_seconds() * 1000)


async def test_retry_starts_a_new_attempt(db: asyncpg.Connection, make_job) -> None:
    job = await make_job()
    await db.execute(SET_STATUS, job, "processing")
    await db.execute("UPDATE jobs SET progress_percentage = 60, status = 'failed', "
                     "error_code = 'E_ENCODE', error_message = 'boom' WHERE id = $1", job)
    failed = await db.fetchrow("SELECT * FROM jobs WHERE id = $1", job)
    assert failed["completed_at"] is not None
    assert failed["error_code"] == "E_ENCODE"
    await db.execute(SET_STATUS, job, "processing")
    retried = await db.fetchrow("SELECT * FROM jobs WHERE id = $1", job)
    assert retried["attempts"] == 2
    assert retried["completed_at"] is None
    assert retried["processing_time_ms"] is None
    assert retried["progress_percentage"] == 0
    assert (retried["error_code"], retried["error_message"]) == (None, None)
    assert retried["started_at"] >= failed["started_at"]


async def test_writer_supplied_processing_time_is_kept(db: asyncpg.Connection,
                                                       make_job) -> None:
    job = await make_job(status="processing")
    await db.execute("UPDATE jobs SET status = 'completed', processing_time_ms = 1234 "
                     "WHERE id = $1", job)
    assert await db.fetchval("SELECT processing_time_ms FROM jobs WHERE id = $1", job) == 1234


async def test_insert_keeps_given_timestamps(db: asyncpg.Connection, make_job) -> None:
    job = await make_job(status="processing")
    row = await db.fetchrow("SELECT started_at, attempts FROM jobs WHERE id = $1", job)
    assert row["started_at"] is not None and row["attempts"] == 1
    job = await make_job(status="failed")
    assert await db.fetchval("SELECT completed_at FROM jobs WHERE id = $1", job) is not None


@pytest.mark.parametrize("table", ["jobs", "elements"])
async def test_updated_at_moves_on_update(db: asyncpg.Connection, make_job, table: str) -> None:
    job = await make_job()
    await db.execute("INSERT INTO elements (job_id, element_key, element_type) "
                     "VALUES ($1, 'e', 'text')", job)
    key = "id" if table == "jobs" else "job_id"
    await db.execute(f"UPDATE {table} SET updated_at = '2000-01-01' WHERE {key} = $1", job)
    assert await db.fetchval(f"SELECT updated_at > '2001-01-01' FROM {table} "
                             f"WHERE {key} = $1", job)  # writers cannot set it
    async with db.transaction():
        now = await db.fetchval("SELECT now()")
        await db.execute(f"UPDATE {table} SET created_at = created_at WHERE {key} = $1", job)
        assert await db.fetchval(f"SELECT updated_at FROM {table} WHERE {key} = $1", job) == now


# --- notifications ----------------------------------------------------------------------


async def test_job_status_notifications(db: asyncpg.Connection, listen, make_job) -> None:
    status = await listen("job_status")
    job = await make_job()
    created = await status.next()
    assert created["event"] == "created"
    assert created["job_id"] == str(job)
    assert created["status"] == "pending"
    assert created["previous_status"] is None

    await db.execute(SET_STATUS, job, "processing")
    change = await status.next()
    assert (change["event"], change["job_id"], change["status"], change["previous_status"]) == (
        "status", str(job), "processing", "pending")

    await db.execute("SELECT update_job_progress($1, 42, 'encoding')", job)
    progress = await status.next()
    assert (progress["event"], progress["progress_percentage"], progress["current_step"]) == (
        "progress", 42, "encoding")

    await db.execute("UPDATE jobs SET metadata = '{\"a\": 1}' WHERE id = $1", job)  # silent

    async def cancel_then_roll_back() -> None:
        async with db.transaction():
            await db.execute(SET_STATUS, job, "cancelled")
            raise Rollback

    with pytest.raises(Rollback):
        await cancel_then_roll_back()  # rolled back: never announced
    await db.execute("UPDATE jobs SET status = 'failed', error_code = 'E_X' WHERE id = $1", job)
    failed = await status.next()  # the next notification is this one: nothing in between
    assert (failed["status"], failed["previous_status"], failed["error_code"]) == (
        "failed", "processing", "E_X")


async def test_job_timeline_notifications(db: asyncpg.Connection, listen, make_job) -> None:
    timeline = await listen("job_timeline")
    job = await make_job()
    row_id = await db.fetchval(
        "INSERT INTO processing_timeline (job_id, step, attempt, worker_id) "
        "VALUES ($1, 'download', 1, 'w-1') RETURNING id", job)
    started = await timeline.next()
    assert (started["event"], started["job_id"], started["id"], started["step"]) == (
        "INSERT", str(job), row_id, "download")
    assert started["success"] is None
    await db.execute("UPDATE processing_timeline SET completed_at = started_at + interval '2 s', "
                     "success = true WHERE id = $1", row_id)
    finished = await timeline.next()
    assert (finished["event"], finished["success"], finished["duration_ms"]) == (
        "UPDATE", True, 2000)


async def test_outbox_wakes_the_relay_once_per_transaction(db: asyncpg.Connection, listen,
                                                           make_job) -> None:
    outbox = await listen("outbox")
    status = await listen("job_status")
    async with db.transaction():
        for _ in range(3):
            await db.execute("INSERT INTO outbox (topic, payload) VALUES ('t', '{}')")
    await make_job()  # a later commit: its notification arrives after all of the above
    await status.next()
    assert outbox.queue.qsize() == 1
    assert await outbox.next() == {}


async def test_a_shape_element_needs_no_source_but_an_image_does(
    db: asyncpg.Connection, make_job
) -> None:
    job = await make_job()
    await db.execute("INSERT INTO elements (job_id, element_key, element_type) "
                     "VALUES ($1, 's', 'shape')", job)
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute("INSERT INTO elements (job_id, element_key, element_type) "
                         "VALUES ($1, 'i', 'image')", job)
