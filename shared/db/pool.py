"""Connection pools: jsonb decoded to Python, one helper per kind of transaction; the JSON
text of bulk writes (`json_text`)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import orjson

__all__ = ["create_pool", "json_text", "mark_processed", "mark_processed_many", "transaction"]


def json_text(value: Any) -> str:
    """`value` as JSON text for a `$n::text::jsonb` parameter: orjson, several times faster
    than the json codec on the rows of a large batch; json for what orjson refuses
    (integers beyond 64 bits). Non-finite floats, which json would write as `NaN` for
    Postgres to refuse, become null: callers send validated values (intake refuses them)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return json.dumps(value)


async def _init(conn: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await conn.set_type_codec(
            name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )


async def create_pool(dsn: str, *, min_size: int = 1, max_size: int = 10) -> asyncpg.Pool:
    """A pool whose connections speak jsonb as dicts/lists."""
    pool = await asyncpg.create_pool(dsn, min_size=min_size, max_size=max_size, init=_init)
    assert pool is not None
    return pool


async def mark_processed(
    conn: asyncpg.Connection, consumer: str, event_id: Any, job_id: Any = None,
    topic: str | None = None,
) -> bool:
    """Record that `consumer` applied `event_id`; False if it already had (a redelivery).

    Call it inside the transaction that applies the event, first: a redelivered event then
    changes nothing, and a crash before commit leaves it to be applied again.
    """
    row = await conn.fetchval(
        """INSERT INTO processed_events (consumer, event_id, job_id, topic)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING 1""",
        consumer, event_id, job_id, topic,
    )
    return row is not None


async def mark_processed_many(
    conn: asyncpg.Connection, consumer: str, events: list[tuple[Any, Any]], topic: str
) -> set[Any]:
    """mark_processed for many (event id, job id) pairs in one statement: the event ids
    that were new (the others are redeliveries)."""
    rows = await conn.fetch(
        """INSERT INTO processed_events (consumer, event_id, job_id, topic)
           SELECT $1, e.event_id, e.job_id, $4
           FROM unnest($2::uuid[], $3::uuid[]) AS e(event_id, job_id)
           ON CONFLICT DO NOTHING RETURNING event_id""",
        consumer, [event_id for event_id, _ in events], [job_id for _, job_id in events],
        topic,
    )
    return {row["event_id"] for row in rows}


@asynccontextmanager
async def transaction(pool: asyncpg.Pool) -> AsyncIterator[Any]:
    async with pool.acquire() as conn, conn.transaction():
        yield conn

