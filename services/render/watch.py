"""Watch one job's status while a worker renders it, to stop when the job is over.

A job is cancelled by the client (ingest writes `cancelled`), timed out by a reaper, or
finished by another worker that rendered the same message after a rebalance. Any of these
must stop the render here at once: LISTEN on the `job_status` channel answers within
milliseconds, and a slow poll covers a notification lost with a broken connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from types import TracebackType
from typing import Any
from uuid import UUID

import asyncpg

from services.render.db import (
    FINAL_STATUSES,
    STATUS_CHANNEL,
    JobState,
    fetch_job_state,
    parse_status_notification,
)

__all__ = ["StatusWatch"]

log = logging.getLogger(__name__)


class StatusWatch:
    """`async with StatusWatch(pool, job_id) as watch:` listens from the moment it is entered.

    `state` is the job as it was right after LISTEN started, so no change between reading
    it and listening can be missed. `on_final(callback)` calls `callback(status)` once, the
    first time the job is seen in a final status.
    """

    def __init__(self, pool: asyncpg.Pool, job_id: UUID, *, poll_interval: float = 5.0) -> None:
        self.pool = pool
        self.job_id = job_id
        self.poll_interval = poll_interval
        self.state: JobState | None = None
        self.final_status: str | None = None
        self._callback: Callable[[str], object] | None = None
        self._conn: Any = None
        self._poller: asyncio.Task[None] | None = None

    async def __aenter__(self) -> StatusWatch:
        self._conn = await self.pool.acquire()
        try:
            await self._conn.add_listener(STATUS_CHANNEL, self._notified)
            self.state = await fetch_job_state(self._conn, self.job_id)
        except BaseException:
            await self.pool.release(self._conn)
            raise
        self._poller = asyncio.create_task(self._poll(), name=f"watch-{self.job_id}")
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
        with contextlib.suppress(Exception):
            await self._conn.remove_listener(STATUS_CHANNEL, self._notified)
        await self.pool.release(self._conn)

    def on_final(self, callback: Callable[[str], object]) -> None:
        self._callback = callback
        if self.final_status is not None:
            callback(self.final_status)

    def _seen(self, status: str) -> None:
        if status not in FINAL_STATUSES or self.final_status is not None:
            return
        self.final_status = status
        log.info("job %s is %s: stopping its render", self.job_id, status)
        if self._callback is not None:
            self._callback(status)

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        parsed = parse_status_notification(payload)
        if parsed is not None and parsed[0] == self.job_id:
            self._seen(parsed[1])

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_interval)
            try:
                state = await fetch_job_state(self.pool, self.job_id)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("status poll of job %s failed: %s", self.job_id, exc)
                continue
            if state is not None:
                self._seen(state.status)
