"""Fan-out of Postgres notifications to this process's event streams (SSE).

One dedicated asyncpg connection per ingest process LISTENs on `job_status` and
`job_timeline`. The jobs and processing_timeline triggers (0007_triggers) notify those
channels when a transaction commits, whichever process or replica wrote it, so every
replica sees every change. Each notification is handed to the subscriptions of its job
(and to the all-jobs subscriptions) through a bounded queue per subscriber.

Notifications are doorbells, Postgres stays the truth: a subscriber whose queue overflowed,
and every subscriber after the listening connection was lost and re-established, is marked
`stale` and re-reads what it needs from the database. Nothing is ever lost silently, and a
slow client cannot make the hub buffer without bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from prometheus_client import Gauge

from services.ingest.listener import Listener

__all__ = ["APPLICATION_NAME", "CHANNELS", "Notice", "NotificationHub", "Subscription"]

CHANNELS = ("job_status", "job_timeline")
APPLICATION_NAME = "vidgen-ingest-streams"  # how operators (and tests) find the listener
SUBSCRIBERS = Gauge("vidgen_ingest_event_subscribers", "open server-sent event streams")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """One notification: its channel and decoded JSON payload."""

    channel: str
    job_id: UUID
    data: dict[str, Any]


@dataclass(eq=False)
class Subscription:
    """What one stream receives: its job's notices (all jobs' when `job_id` is None)."""

    job_id: UUID | None
    channels: frozenset[str]
    size: int
    stale: bool = False
    _queue: asyncio.Queue[Notice] = field(init=False)
    _ready: asyncio.Event = field(init=False, default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self._queue = asyncio.Queue(self.size)

    def offer(self, notice: Notice) -> None:
        if notice.channel not in self.channels:
            return
        try:
            self._queue.put_nowait(notice)
        except asyncio.QueueFull:
            self.stale = True  # the stream re-reads from Postgres instead
        self._ready.set()

    def mark_stale(self) -> None:
        self.stale = True
        self._ready.set()

    async def wait(self) -> tuple[list[Notice], bool]:
        """The queued notices (at least one, or the stale flag), and whether the stream
        may have missed some and must re-read its state."""
        await self._ready.wait()
        self._ready.clear()
        notices: list[Notice] = []
        while not self._queue.empty():
            notices.append(self._queue.get_nowait())
        stale, self.stale = self.stale, False
        return notices, stale


class NotificationHub:
    def __init__(self, dsn: str, *, queue_size: int = 256, retry_delay: float = 0.5) -> None:
        self.queue_size = queue_size
        self._subscriptions: dict[UUID | None, set[Subscription]] = {}
        self._listener = Listener(dsn, APPLICATION_NAME, CHANNELS, self._notified,
                                  self._all_stale, retry_delay=retry_delay)
        self.listening = self._listener.listening

    async def start(self, timeout: float = 10.0) -> None:
        """Start listening; returns once the first LISTEN is in place (or after `timeout`)."""
        await self._listener.start(timeout)

    async def close(self) -> None:
        await self._listener.close()

    @contextlib.contextmanager
    def subscribe(self, job_id: UUID | None,
                  channels: tuple[str, ...] = CHANNELS) -> Iterator[Subscription]:
        """A subscription for the duration of the `with` block. Subscribe before reading
        the state the stream starts from, so no change falls between the two."""
        subscription = Subscription(job_id, frozenset(channels), self.queue_size)
        self._subscriptions.setdefault(job_id, set()).add(subscription)
        SUBSCRIBERS.inc()
        try:
            yield subscription
        finally:
            SUBSCRIBERS.dec()
            subscribers = self._subscriptions.get(job_id)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._subscriptions[job_id]

    def _notified(self, _conn: Any, _pid: int, channel: str, payload: object) -> None:
        if not self._subscriptions:  # nobody follows a stream: nothing to decode
            return
        try:
            data = json.loads(str(payload))
            notice = Notice(channel, UUID(str(data["job_id"])), data)
        except (ValueError, KeyError, TypeError):
            log.warning("streams: unreadable %s notification %.200r", channel, payload)
            return
        for key in (notice.job_id, None):
            for subscription in self._subscriptions.get(key, ()):
                subscription.offer(notice)

    async def _all_stale(self) -> None:
        """(Re)listening: whatever happened while nobody listened must be read again."""
        for subscriptions in self._subscriptions.values():
            for subscription in subscriptions:
                subscription.mark_stale()
