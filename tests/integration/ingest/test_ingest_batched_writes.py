"""Job creation and rate limits written in batches (group commit), on real Postgres: a batch
gives every caller what writing alone would have given them."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from services.ingest.intake import Origin, draft_job, insert_drafts
from shared.access.rate_limits import RateLimiter
from shared.batching import Batcher
from shared.db.pool import transaction
from shared.events import Topics

pytestmark = pytest.mark.timeout(60)
TOPICS = Topics(prefix="batch-test")


def spec(label: str, **extra: Any) -> dict[str, Any]:
    return {"output": {"width": 160, "height": 90, "duration": 1},
            "elements": [{"type": "text", "text": label},
                         {"type": "image", "source": "https://example.com/a.png"}], **extra}


@pytest.fixture
def pool(db_pool: asyncpg.Pool) -> asyncpg.Pool:
    return db_pool


async def test_a_batch_writes_every_job_with_its_elements_timeline_and_events(
    pool: asyncpg.Pool
) -> None:
    drafts = [draft_job(spec(f"job {n}"), Origin("http", "10.0.0.1")) for n in range(20)]
    async with transaction(pool) as conn:
        created = await insert_drafts(conn, TOPICS, drafts)
    assert [c.accepted.job_id for c in created] == [d.job_id for d in drafts]
    assert all(c.accepted.created and c.row["status"] == "pending" for c in created)
    assert [c.row["spec"]["elements"][0]["text"] for c in created] == [
        f"job {n}" for n in range(20)]
    ids = [d.job_id for d in drafts]
    elements = await pool.fetch(
        "SELECT job_id, position, element_type::text FROM elements WHERE job_id = ANY($1) "
        "ORDER BY job_id, position", ids)
    assert len(elements) == 40
    assert {(r["position"], r["element_type"]) for r in elements} == {(0, "text"), (1, "image")}
    steps = await pool.fetch("SELECT job_id FROM processing_timeline WHERE step = 'validation' "
                             "AND success AND job_id = ANY($1)", ids)
    assert sorted(r["job_id"] for r in steps) == sorted(ids)
    events = await pool.fetch("SELECT key, payload->>'type' AS type FROM outbox ORDER BY id")
    # each job's two events, in order, keyed by the job
    assert [(r["key"], r["type"]) for r in events] == [
        (str(job), kind) for job in ids for kind in ("step.changed", "job.accepted")]


async def test_a_reused_idempotency_key_in_a_batch_gives_the_one_job(pool: asyncpg.Pool) -> None:
    async with transaction(pool) as conn:
        [earlier] = await insert_drafts(conn, TOPICS, [
            draft_job(spec("a", idempotency_key="k1"), Origin("http", "10.0.0.2"))])
    drafts = [
        draft_job(spec("b", idempotency_key="k1"), Origin("http", "10.0.0.2")),  # reused
        draft_job(spec("c", idempotency_key="k2"), Origin("http", "10.0.0.2")),
        draft_job(spec("d", idempotency_key="k2"), Origin("http", "10.0.0.2")),  # same batch
        draft_job(spec("e", idempotency_key="k1"), Origin("http", "10.0.0.3")),  # other owner
    ]
    async with transaction(pool) as conn:
        created = await insert_drafts(conn, TOPICS, drafts)
    ids = [c.accepted.job_id for c in created]
    assert ids[0] == earlier.accepted.job_id and not created[0].accepted.created
    assert ids[1] == ids[2] and created[1].accepted.created != created[2].accepted.created
    assert ids[3] not in (ids[0], ids[1]) and created[3].accepted.created
    assert await pool.fetchval("SELECT count(*) FROM jobs") == 3
    # only created jobs have events: 3 jobs x 2
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 6


async def test_a_job_the_database_refuses_fails_alone_and_its_neighbours_are_written(
    pool: asyncpg.Pool
) -> None:
    async def write(drafts: Any) -> Any:
        async with transaction(pool) as conn:
            return await insert_drafts(conn, TOPICS, drafts)

    writer = Batcher(write, writers=1)
    good = [draft_job(spec(f"ok {n}"), Origin("http", "10.0.0.4")) for n in range(3)]
    bad = draft_job(spec("bad"), Origin("http", "10.0.0.4"))
    # a value the spec model allows but the table's CHECK refuses (width > 7680)
    bad = bad.__class__(**{**bad.__dict__, "job": bad.job.model_copy(update={
        "output": bad.job.output.model_copy(update={"width": 9000})})})
    results = await asyncio.gather(*(writer.submit(d) for d in [good[0], bad, *good[1:]]),
                                   return_exceptions=True)
    assert isinstance(results[1], asyncpg.CheckViolationError)
    assert [r.accepted.job_id for r in (results[0], *results[2:])] == [d.job_id for d in good]
    assert await pool.fetchval("SELECT count(*) FROM jobs") == 3
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 6


async def test_a_batch_of_rate_limited_requests_counts_each_in_order(pool: asyncpg.Pool) -> None:
    limiter = RateLimiter(pool)
    verdicts = await limiter._consume_all([("create:ip:a", 3, 3600)] * 5
                                          + [("create:ip:b", 3, 3600)])
    assert [v.allowed for v in verdicts] == [True, True, True, False, False, True]
    assert all(v.retry_after_seconds >= 1 for v in verdicts[3:5])
    assert await pool.fetchval(
        "SELECT request_count FROM rate_limits WHERE identifier = 'create:ip:a'") == 5


async def test_concurrent_callers_get_exactly_the_limit(pool: asyncpg.Pool) -> None:
    limiter = RateLimiter(pool, max_batch=16)
    verdicts = await asyncio.gather(*(limiter.consume("create:ip:c", 100, 3600)
                                      for _ in range(150)))
    assert sum(v.allowed for v in verdicts) == 100
    assert await pool.fetchval(
        "SELECT request_count FROM rate_limits WHERE identifier = 'create:ip:c'") == 150


async def test_captions_elements_are_stored_with_or_without_a_source(pool: asyncpg.Pool) -> None:
    document = {"output": {"width": 160, "height": 90, "subtitles": "soft"}, "elements": [
        {"type": "captions", "cues": [{"start": 0, "end": 1, "text": "inline"}]},
        {"type": "captions", "source": "https://example.com/talk.vtt", "burn": False}]}
    draft = draft_job(document, Origin("http", "10.0.0.1"))
    async with transaction(pool) as conn:
        await insert_drafts(conn, TOPICS, [draft])
    rows = await pool.fetch("SELECT element_type::text, source_url FROM elements "
                            "WHERE job_id = $1 ORDER BY position", draft.job_id)
    assert [tuple(row) for row in rows] == [("captions", None),
                                            ("captions", "https://example.com/talk.vtt")]


async def test_a_batch_of_jobs_takes_what_is_left_of_the_window(pool: asyncpg.Pool) -> None:
    """consume_rate_limit_many: the first ones within the limit are granted, the counter
    goes up by that many, and single requests count against the same number."""
    limiter = RateLimiter(pool)
    single = await limiter.consume("create:ip:d", 10, 3600)
    grant = await limiter.consume_many("create:ip:d", 10, 3600, 6)
    over = await limiter.consume_many("create:ip:d", 10, 3600, 6)
    assert single.allowed and (grant.granted, grant.verdict.remaining) == (6, 3)
    assert grant.verdict.allowed and grant.verdict.retry_after_seconds == 0
    assert (over.granted, over.verdict.remaining, over.verdict.allowed) == (3, 0, False)
    assert 1 <= over.verdict.retry_after_seconds <= 3600
    assert over.verdict.reset_at == grant.verdict.reset_at
    assert await pool.fetchval(
        "SELECT request_count FROM rate_limits WHERE identifier = 'create:ip:d'") == 10
    assert (await limiter.consume("create:ip:d", 10, 3600)).allowed is False


async def test_concurrent_batches_share_the_limit_exactly(pool: asyncpg.Pool) -> None:
    limiter = RateLimiter(pool)
    grants = await asyncio.gather(*(limiter.consume_many("create:ip:e", 100, 3600, 7)
                                    for _ in range(20)))
    assert sum(grant.granted for grant in grants) == 100
    assert sorted(grant.granted for grant in grants)[-14:] == [7] * 14
