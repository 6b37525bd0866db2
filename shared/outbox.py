"""Transactional outbox: events written with the state change, published by a relay.

`enqueue` inserts the event in the caller's transaction and notifies the relay, so an
event exists if and only if its state change committed. `OutboxRelay` publishes pending
rows in id order under an advisory lock (one relay at a time keeps per-job order across
replicas), then marks them published. A crash between publish and mark re-publishes:
consumers are idempotent by event_id. A lost Postgres or broker connection never ends the
relay: it logs, keeps polling, and listens again on a fresh connection.

A row the broker can never take (larger than the producer's message limit, a record the
broker calls invalid) is not an outage: retried, it would hold back every row behind it
for good. The relay sets it aside (`set_aside_at`, `last_error`), hands it to `on_set_aside`
in the same transaction (ingest fails the row's job there), and publishes the rest.
Intake keeps such rows from being written at all (`stored_size` measures a payload as the
relay will send it); setting aside is the net for whatever still gets through.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import asyncpg
import orjson
from aiokafka.errors import (
    CorruptRecordException,
    InvalidMessageError,
    KafkaError,
    MessageSizeTooLargeError,
    RecordListTooLargeError,
    RecordTooLargeError,
    UnsupportedForMessageFormatError,
)
from faststream.kafka import KafkaBroker

from shared.db.pool import json_text
from shared.events import EventBase
from shared.kafka import event_headers

__all__ = ["CHANNEL", "OutboxRelay", "SetAside", "enqueue", "size_bound", "stored_size",
           "walked_size"]

CHANNEL = "outbox"  # notified by the outbox insert trigger (migration 0007)
_LOCK = 0x6F7574626F78  # "outbox"
_EXPONENT = re.compile(r"\d[eE][-+]?\d")  # 1e+300, 1.5e-05: Postgres writes every digit
_EXPONENT_BYTES = re.compile(rb"\d[eE][-+]?\d")
log = logging.getLogger(__name__)
# what a restarting Postgres or broker raises; anything else is a bug and ends the relay loudly
_LOST = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, KafkaError, TimeoutError)
# what a row itself causes, the same on every try: the producer's or the broker's size
# limit, a record the broker refuses, a payload or header the client cannot serialise
_POISON = (MessageSizeTooLargeError, RecordTooLargeError, RecordListTooLargeError,
           CorruptRecordException, InvalidMessageError, UnsupportedForMessageFormatError,
           TypeError, ValueError)


@dataclass(frozen=True)
class SetAside:
    """An outbox row the broker will not take, and why."""

    id: int
    topic: str
    key: str | None
    type: str  # the event's type ("" when the payload has none)
    error: BaseException


OnSetAside = Callable[[Any, SetAside], Awaitable[None]]


def stored_size(value: Any) -> int:
    """Bytes of `value` (decoded JSON) as the relay sends it: Postgres's jsonb text, with
    ", " and ": " between items and every number written out in full (1e+300 is 301
    digits there).

    That is json.dumps's text, UTF-8, unless a number has an exponent: the encoder (in C)
    measures every job at intake several times faster than a walk in Python. A text in
    which something looks like an exponent (also inside a string, `"#1e90ff"`), and a value
    too deep for the encoder, is measured by the walk (`walked_size`)."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return walked_size(value)
    if _EXPONENT.search(text) is not None:
        return walked_size(value)
    return len(text.encode("utf-8", "surrogatepass"))


def size_bound(value: Any) -> int | None:
    """At least stored_size(value), cheaply: twice orjson's compact text (each of its
    one-byte separators is two bytes in the stored text; strings are escaped alike), or
    None when that is no bound (a number with an exponent, which Postgres writes out in
    full) or orjson refuses the value. An intake check that only needs "small enough"
    skips the exact measure with it."""
    try:
        text = orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError: a lone surrogate, an integer beyond 64 bits
        return None
    if _EXPONENT_BYTES.search(text) is not None:
        return None
    return 2 * len(text)


def walked_size(value: Any) -> int:
    """stored_size, item by item; iterative, so no nesting depth can overflow it."""
    size = 0
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            size += 2 + 2 * max(len(item) - 1, 0) + 2 * len(item)  # {} , and ": "
            for key, member in item.items():
                size += _scalar_size(str(key))
                stack.append(member)
        elif isinstance(item, list | tuple):
            size += 2 + 2 * max(len(item) - 1, 0)
            stack.extend(item)
        else:
            size += _scalar_size(item)
    return size


def _scalar_size(item: Any) -> int:
    if item is None or item is True:
        return 4
    if item is False:
        return 5
    if isinstance(item, int):
        return len(str(item))
    if isinstance(item, float):
        return len(format(Decimal(repr(item)), "f"))
    return len(json.dumps(str(item), ensure_ascii=False).encode("utf-8", "surrogatepass"))


async def enqueue(conn: Any, topic: str, *events: EventBase) -> None:
    """Add `events` to the outbox, in order, inside the caller's transaction (a trigger wakes
    the relay). Any number of events is one statement."""
    await conn.execute(
        """INSERT INTO outbox (topic, key, payload, headers)
           SELECT $1, r.key, r.payload, r.headers
           FROM ROWS FROM (jsonb_to_recordset($2::text::jsonb)
                           AS (key text, payload jsonb, headers jsonb))
                WITH ORDINALITY AS r(key, payload, headers, n)
           ORDER BY r.n""",
        topic,
        _rows_text(events),
    )


def _rows_text(events: tuple[EventBase, ...]) -> str:
    """The outbox rows as one JSON array: each payload by pydantic's own JSON encoder (in
    Rust), not dumped to Python objects first only to be encoded again."""
    return "[" + ",".join(
        f'{{"key":{json_text(str(event.job_id))},"payload":{event.model_dump_json()},'
        f'"headers":{json_text(event_headers(event))}}}' for event in events) + "]"


class OutboxRelay:
    """Publishes the outbox to Kafka. Run `run()` as a task; cancel it to stop."""

    def __init__(self, pool: asyncpg.Pool, broker: KafkaBroker, *, batch: int = 500,
                 poll_interval: float = 1.0, on_set_aside: OnSetAside | None = None) -> None:
        self.pool = pool
        self.broker = broker
        self.on_set_aside = on_set_aside
        self.batch = batch
        self.poll_interval = poll_interval
        self._wake = asyncio.Event()

    async def run(self) -> None:
        while True:
            try:
                await self._listen_and_publish()
            except _LOST as exc:
                log.warning("outbox relay: %s; listening again", exc)
                await asyncio.sleep(self.poll_interval)

    async def _listen_and_publish(self) -> None:
        """Until the listening connection is lost (then the caller starts again)."""
        listener = await self.pool.acquire()
        try:
            await listener.add_listener(CHANNEL, self._notified)
            while not listener.is_closed():
                try:
                    while await self.publish_pending():
                        pass
                except _LOST as exc:
                    log.warning("outbox relay: %s; retrying", exc)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_interval)
                self._wake.clear()
        finally:
            with contextlib.suppress(Exception):
                await listener.remove_listener(CHANNEL, self._notified)
            with contextlib.suppress(Exception):
                await self.pool.release(listener)

    def _notified(self, *_: object) -> None:
        self._wake.set()

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many rows it took care of (published or set
        aside; 0: nothing, or locked)."""
        async with self.pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", _LOCK):
                return 0
            # the payload as stored JSON text, sent as is (not decoded only to be encoded)
            rows = await conn.fetch(
                """SELECT id, topic, key, payload::text AS payload, headers,
                          payload->>'type' AS type FROM outbox
                   WHERE published_at IS NULL AND set_aside_at IS NULL ORDER BY id LIMIT $1""",
                self.batch,
            )
            if not rows:
                return 0
            outcomes = await asyncio.gather(*(self._send(row) for row in rows),
                                            return_exceptions=True)
            poison = [(row, error) for row, error in zip(rows, outcomes, strict=True)
                      if isinstance(error, _POISON)]
            for error in outcomes:
                if isinstance(error, BaseException) and not isinstance(error, _POISON):
                    raise error  # an outage (or a bug): the whole batch again later
            for row, error in poison:
                await self._set_aside(conn, row, error)
            await conn.execute(
                "UPDATE outbox SET published_at = now(), attempts = attempts + 1 "
                "WHERE id = ANY($1::bigint[])",
                [row["id"] for row, outcome in zip(rows, outcomes, strict=True)
                 if not isinstance(outcome, BaseException)],
            )
            return len(rows)

    async def _send(self, row: asyncpg.Record) -> Any:
        return await self.broker.publish(
            row["payload"].encode(), topic=row["topic"],
            key=row["key"].encode() if row["key"] else None,
            headers={**row["headers"], "content-type": "application/json"},
        )

    async def _set_aside(self, conn: Any, row: asyncpg.Record, error: BaseException) -> None:
        reason = f"{type(error).__name__}: {error}"[:2000]
        log.error("outbox relay: row %s (%s for key %s) set aside: %s", row["id"],
                  row["type"] or "event", row["key"], reason)
        await conn.execute(
            "UPDATE outbox SET set_aside_at = now(), attempts = attempts + 1, last_error = $2 "
            "WHERE id = $1", row["id"], reason)
        if self.on_set_aside is not None:
            await self.on_set_aside(conn, SetAside(row["id"], row["topic"], row["key"],
                                                   row["type"] or "", error))
