"""The LISTEN fan-out behind the event streams, on a real Postgres: notifications reach the
subscribers of their job, a full queue or a lost connection marks subscribers stale (they
re-read from Postgres), and the hub listens again after its connection was killed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from uuid import UUID

import asyncpg
import pytest
import pytest_asyncio

from services.ingest import db
from services.ingest.streams import APPLICATION_NAME, NotificationHub, Subscription
from tests.integration.ingest.harness import eventually


async def new_job(conn: asyncpg.Pool) -> UUID:
    job_id = await db.insert_job(conn, db.NewJob(
        output_format="mp4", width=320, height=180, fps=24, duration=1.0, spec={},
        response_type="async", client_ip="127.0.0.1", user_agent=None, idempotency_key=None,
        callback_url=None, estimated_time_ms=1000, metadata={}))
    assert job_id is not None
    return job_id


async def progress(conn: asyncpg.Pool, job_id: UUID, value: int) -> None:
    await db.update_progress(conn, job_id, value, "encoding")


async def wait(subscription: Subscription) -> tuple[list[dict[str, object]], bool]:
    notices, stale = await asyncio.wait_for(subscription.wait(), 10)
    return [notice.data for notice in notices], stale


async def started(conn: asyncpg.Pool, job_id: UUID, subscription: Subscription) -> None:
    """pending -> processing, and its notification consumed: the queue starts empty.

    The job's insert notifies too ("pending"), and that notice may reach the hub after the
    subscription was made: it is consumed here as well, in order, before "processing"."""
    await db.set_status(conn, job_id, "processing")
    statuses: list[object] = []
    while statuses[-1:] != ["processing"]:
        data, _ = await wait(subscription)
        statuses += [d["status"] for d in data]
    assert statuses in (["processing"], ["pending", "processing"])


@pytest.fixture
def conn(db_pool: asyncpg.Pool) -> asyncpg.Pool:
    """A pool with the services' JSON codecs (db functions accept a pool or a connection)."""
    return db_pool


@pytest_asyncio.fixture
async def hub(db_dsn: str) -> AsyncIterator[NotificationHub]:
    running = NotificationHub(db_dsn, queue_size=3, retry_delay=0.1)
    await running.start()
    assert running.listening.is_set()
    try:
        yield running
    finally:
        await running.close()


async def test_notifications_reach_the_subscribers_of_their_job(
        hub: NotificationHub, conn: asyncpg.Pool) -> None:
    first, second = await new_job(conn), await new_job(conn)
    with hub.subscribe(first) as mine, hub.subscribe(second) as other, \
            hub.subscribe(None, ("job_status",)) as everything:
        await db.set_status(conn, first, "processing")
        data, stale = await wait(mine)
        assert not stale
        assert [(d["event"], d["status"], d["job_id"]) for d in data] == [
            ("status", "processing", str(first))]
        await db.set_status(conn, second, "processing")
        data, _ = await wait(other)
        assert {d["job_id"] for d in data} == {str(second)}  # nothing of the first job
        # the jobs' inserts notify too ("pending"), and may reach the hub after `everything`
        # subscribed: only the status changes made here are compared
        seen: list[dict[str, object]] = []
        while len(seen) < 2:
            seen += [d for d in (await wait(everything))[0] if d["status"] == "processing"]
        assert [d["job_id"] for d in seen] == [str(first), str(second)]


async def test_a_full_queue_marks_the_subscriber_stale(
        hub: NotificationHub, conn: asyncpg.Pool) -> None:
    job_id = await new_job(conn)
    with hub.subscribe(job_id, ("job_status",)) as slow:
        await started(conn, job_id, slow)
        for value in range(10, 80, 10):  # 7 notifications, room for 3
            await progress(conn, job_id, value)
        await eventually(lambda: asyncio.sleep(0, slow.stale), what="the overflow")
        data, stale = await wait(slow)
        assert stale
        assert [d["progress_percentage"] for d in data] == [10, 20, 30]


async def test_the_hub_listens_again_after_its_connection_is_killed(
        hub: NotificationHub, conn: asyncpg.Pool) -> None:
    job_id = await new_job(conn)
    with hub.subscribe(job_id) as subscription:
        await started(conn, job_id, subscription)
        killed = await conn.fetchval(
            """SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
               WHERE application_name = $1 AND datname = current_database()""",
            APPLICATION_NAME)
        assert killed == 1
        data, stale = await wait(subscription)  # re-listening marks every subscriber stale
        assert stale and data == []
        assert hub.listening.is_set()
        await progress(conn, job_id, 42)
        data, stale = await wait(subscription)
        assert [d["progress_percentage"] for d in data] == [42] and not stale
