"""The reaper on a real Postgres: stalled jobs are re-queued once, then failed as worker_lost.

Jobs are created through ingest's own intake path and moved to `processing` by the
projection's SQL. "Stalled" is the seed's rule with a threshold of a fraction of a second,
so a job stalls by simply waiting (polled, never slept on).
"""

from __future__ import annotations

import asyncio
import time
from uuid import UUID, uuid4

import asyncpg
import pytest

from services.ingest import db
from services.ingest.intake import Origin, create_job
from services.ingest.projection import Projection
from services.ingest.reaper import ERROR_CODE, Reaper, ReapResult
from shared.db.pool import create_pool, transaction
from shared.events import StepChanged, Topics
from shared.settings import ReliabilitySettings

pytestmark = pytest.mark.timeout(60)

TOPICS = Topics(prefix="reaper-test")
SPEC = {"output": {"width": 64, "height": 64, "duration": 0.2},
        "elements": [{"type": "text", "text": "hi"}]}


def _settings(**extra: float) -> ReliabilitySettings:
    values: dict[str, float] = {"reaper_stalled_after": 0.3, "reaper_max_requeues": 1,
                                "reaper_interval": 0.1, **extra}
    return ReliabilitySettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def pool(db_pool: asyncpg.Pool) -> asyncpg.Pool:
    return db_pool


async def _processing_job(pool: asyncpg.Pool) -> UUID:
    """A job whose download step started on a worker (attempt 1), as the projection does."""
    async with transaction(pool) as conn:
        accepted = await create_job(conn, TOPICS, SPEC, Origin("http"))
    job_id = accepted.job_id
    await Projection(pool).apply(StepChanged(job_id=job_id, step="download", state="started",
                                             worker_id="gone", attempt=1), TOPICS.events)
    return job_id


async def _reap_until(reaper: Reaper, done: set[UUID], timeout: float = 10.0) -> ReapResult:
    """Run passes until every job of `done` was handled by one (stalling takes a moment)."""
    total = ReapResult()
    deadline = time.monotonic() + timeout
    while not done <= set(total.requeued) | set(total.failed):
        assert time.monotonic() < deadline, f"not reaped in {timeout}s: {total}"
        result = await reaper.run_once()
        total.requeued += result.requeued
        total.failed += result.failed
        await asyncio.sleep(0.05)
    return total


async def _outbox(pool: asyncpg.Pool, job_id: UUID, kind: str) -> list[dict[str, object]]:
    rows = await pool.fetch("SELECT payload FROM outbox WHERE key = $1 AND payload->>'type' = $2 "
                            "ORDER BY id", str(job_id), kind)
    return [row["payload"] for row in rows]


async def test_a_stalled_job_is_requeued_as_a_new_attempt(pool: asyncpg.Pool) -> None:
    job_id = await _processing_job(pool)
    result = await _reap_until(Reaper(pool, TOPICS, _settings()), {job_id})
    assert result.requeued == [job_id]
    job = await db.get_job(pool, job_id)
    assert job is not None
    assert (job["status"], job["attempts"], job["error_code"]) == ("processing", 2, None)
    accepted = await _outbox(pool, job_id, "job.accepted")
    assert [event["attempt"] for event in accepted] == [1, 2]
    assert accepted[1]["spec"] == accepted[0]["spec"]
    # the lost attempt's open step is closed as failed, with the reason
    rows = await pool.fetch("SELECT step::text, attempt, success, error_code "
                            "FROM processing_timeline WHERE job_id = $1 AND step <> 'validation'",
                            job_id)
    assert [tuple(row) for row in rows] == [("download", 1, False, ERROR_CODE)]


async def test_past_the_requeue_budget_the_job_fails_as_worker_lost(pool: asyncpg.Pool) -> None:
    job_id = await _processing_job(pool)
    reaper = Reaper(pool, TOPICS, _settings(reaper_max_requeues=1))
    first = await _reap_until(reaper, {job_id})
    second = await _reap_until(reaper, {job_id})
    assert (first.requeued, second.failed) == ([job_id], [job_id])
    job = await db.get_job(pool, job_id)
    assert job is not None
    assert (job["status"], job["error_code"], job["attempts"]) == ("failed", ERROR_CODE, 2)
    [failed] = await _outbox(pool, job_id, "job.failed")
    assert failed["error_code"] == ERROR_CODE


async def test_a_job_that_heartbeats_is_never_reaped(pool: asyncpg.Pool) -> None:
    job_id = await _processing_job(pool)
    stalled = await _processing_job(pool)
    projection = Projection(pool)
    reaper = Reaper(pool, TOPICS, _settings(reaper_stalled_after=1.0))
    deadline = time.monotonic() + 3.0  # three thresholds
    reaped: set[UUID] = set()
    while time.monotonic() < deadline:
        await projection.apply(StepChanged(job_id=job_id, step="download", state="progress",
                                           worker_id="alive", attempt=1), TOPICS.events)
        result = await reaper.run_once()
        reaped |= set(result.requeued) | set(result.failed)
        await asyncio.sleep(0.2)
    assert reaped == {stalled}


async def test_replicas_requeue_each_stalled_job_exactly_once(pool: asyncpg.Pool,
                                                              db_dsn: str) -> None:
    jobs = {await _processing_job(pool) for _ in range(12)}
    replicas = [await create_pool(db_dsn, max_size=2) for _ in range(3)]
    try:
        reapers = [Reaper(p, TOPICS, _settings(reaper_batch=5)) for p in replicas]
        deadline = time.monotonic() + 10
        seen: list[UUID] = []
        while set(seen) != jobs:
            assert time.monotonic() < deadline, f"only {len(set(seen))} of 12 re-queued"
            results = await asyncio.gather(*(reaper.run_once() for reaper in reapers))
            seen += [job for result in results for job in result.requeued]
            await asyncio.sleep(0.02)
    finally:
        for p in replicas:
            await p.close()
    assert sorted(seen) == sorted(jobs), "a job was re-queued twice"
    attempts = await pool.fetch("SELECT attempts FROM jobs WHERE id = ANY($1::uuid[])",
                                list(jobs))
    assert {row["attempts"] for row in attempts} == {2}


async def test_events_of_a_replaced_attempt_are_ignored(pool: asyncpg.Pool) -> None:
    job_id = await _processing_job(pool)
    await _reap_until(Reaper(pool, TOPICS, _settings()), {job_id})
    projection = Projection(pool)
    for state in ("started", "completed"):
        await projection.apply(StepChanged(event_id=uuid4(), job_id=job_id, step="encoding",
                                           state=state, progress=90, worker_id="slow",
                                           attempt=1), TOPICS.events)
    job = await db.get_job(pool, job_id)
    assert job is not None
    assert (job["progress_percentage"], job["worker_id"]) == (0, "gone")
    encoding = await pool.fetchval("SELECT count(*) FROM processing_timeline "
                                   "WHERE job_id = $1 AND step = 'encoding'", job_id)
    assert encoding == 0
