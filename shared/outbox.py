"""Transactional outbox: events written with the state change, published by a relay.

`enqueue` inserts the event in the caller's transaction and notifies the relay, so an
event exists if and only if its state change committed. `OutboxRelay` publishes pending
rows in id order under an advisory lock (one relay at a time keeps per-job order across
replicas), then marks them published. A crash between publish and mark re-publishes:
consumers are idempotent by event_id. A lost Postgres or broker connection never ends the
relay: it logs, keeps polling, and listens again on a fresh connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg
from aiokafka.errors import KafkaError
from faststream.kafka import KafkaBroker

from shared.events import EventBase
from shared.kafka import event_headers

__all__ = ["CHANNEL", "OutboxRelay", "enqueue"]

CHANNEL = "outbox"  # notified by the outbox insert trigger (migration 0007)
_LOCK = 0x6F7574626F78  # "outbox"
log = logging.getLogger(__name__)
# what a restarting Postgres or broker raises; anything else is a bug and ends the relay loudly
_LOST = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, KafkaError, TimeoutError)


async def enqueue(conn: Any, topic: str, *events: EventBase) -> None:
    """Add `events` to the outbox, in order, inside the caller's transaction (a trigger wakes
    the relay). Any number of events is one statement."""
    await conn.execute(
        """INSERT INTO outbox (topic, key, payload, headers)
           SELECT $1, r.key, r.payload, r.headers
           FROM ROWS FROM (jsonb_to_recordset($2::jsonb)
                           AS (key text, payload jsonb, headers jsonb))
                WITH ORDINALITY AS r(key, payload, headers, n)
           ORDER BY r.n""",
        topic,
        [{"key": str(event.job_id), "payload": event.model_dump(mode="json"),
          "headers": event_headers(event)} for event in events],
    )


class OutboxRelay:
    """Publishes the outbox to Kafka. Run `run()` as a task; cancel it to stop."""

    def __init__(self, pool: asyncpg.Pool, broker: KafkaBroker, *, batch: int = 500,
                 poll_interval: float = 1.0) -> None:
        self.pool = pool
        self.broker = broker
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
        """Publish one batch; returns how many rows it published (0: nothing, or locked)."""
        async with self.pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", _LOCK):
                return 0
            # the payload as stored JSON text, sent as is (not decoded only to be encoded)
            rows = await conn.fetch(
                """SELECT id, topic, key, payload::text AS payload, headers FROM outbox
                   WHERE published_at IS NULL ORDER BY id LIMIT $1""",
                self.batch,
            )
            if not rows:
                return 0
            sends = [
                self.broker.publish(
                    row["payload"].encode(), topic=row["topic"],
                    key=row["key"].encode() if row["key"] else None,
                    headers={**row["headers"], "content-type": "application/json"},
                )
                for row in rows
            ]
            await asyncio.gather(*sends)
            await conn.execute(
                "UPDATE outbox SET published_at = now(), attempts = attempts + 1 "
                "WHERE id = ANY($1::bigint[])",
                [row["id"] for row in rows],
            )
            return len(rows)
