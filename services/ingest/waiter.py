"""Waiting for jobs to finish, for immediate/auto requests, without polling.

One Postgres connection per process LISTENs on `job_status` (the jobs triggers notify it
on commit) and resolves the futures of every request waiting for that job. A waiter
registers before it reads the job's status, so a change between the two is not lost; after
the listening connection is re-established every waited-for job is read again.

When the server begins to shut down, `release` answers every waiting request at once (202
with the status URL): uvicorn lets in-flight requests finish before the application's
shutdown, so a request left waiting would run into the SIGKILL that ends the grace period
and its client would see a dropped connection. `AnsweringServer` is uvicorn with that step.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import Callable
from typing import Any
from uuid import UUID

import asyncpg
import uvicorn

from services.ingest import db
from services.ingest.listener import Listener

__all__ = ["APPLICATION_NAME", "CHANNEL", "AnsweringServer", "JobWaiter"]

CHANNEL = "job_status"
APPLICATION_NAME = "vidgen-ingest-waiter"  # how operators (and tests) find the listener
log = logging.getLogger(__name__)


class JobWaiter:
    def __init__(self, dsn: str, pool: asyncpg.Pool, *, retry_delay: float = 0.5) -> None:
        self.pool = pool
        self._waiters: dict[UUID, set[asyncio.Future[str | None]]] = {}
        self._listener = Listener(dsn, APPLICATION_NAME, (CHANNEL,), self._notified,
                                  self._recheck, retry_delay=retry_delay)
        self.listening = self._listener.listening
        self.released = False

    async def start(self, timeout: float = 10.0) -> None:
        """Start listening; returns once the first LISTEN is in place (or after `timeout`)."""
        await self._listener.start(timeout)

    async def close(self) -> None:
        await self._listener.close()
        self.release()

    def release(self) -> None:
        """Stop waiting: every waiting request (and every later one) gets its answer now,
        with the job as it is (the server is shutting down)."""
        self.released = True
        for futures in self._waiters.values():
            for future in futures:
                if not future.done():
                    future.set_result(None)

    async def wait(self, job_id: UUID, timeout: float) -> str | None:
        """The job's status once it is final, or None if it is not final within `timeout`
        (or the job does not exist)."""
        future: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(job_id, set()).add(future)
        try:
            status = await db.job_status(self.pool, job_id)
            if status is None or status in db.TERMINAL or self.released:
                return status if status in db.TERMINAL else None
            async with asyncio.timeout(timeout):
                return await future
        except TimeoutError:
            return None
        finally:
            waiting = self._waiters.get(job_id)
            if waiting is not None:
                waiting.discard(future)
                if not waiting:
                    del self._waiters[job_id]

    def _resolve(self, job_id: UUID, status: str) -> None:
        for future in self._waiters.get(job_id, ()):
            if not future.done():
                future.set_result(status)

    def _notified(self, _conn: Any, _pid: int, _channel: str, payload: object) -> None:
        if not self._waiters:  # every new job notifies: a burst of intake decodes nothing
            return
        try:
            data = json.loads(str(payload))
            job_id, status = UUID(str(data["job_id"])), str(data["status"])
        except (ValueError, KeyError, TypeError):
            log.warning("job waiter: unreadable %s notification %.200r", CHANNEL, payload)
            return
        if status in db.TERMINAL:
            self._resolve(job_id, status)

    async def _recheck(self) -> None:
        """Statuses may have changed while nobody listened."""
        for job_id in list(self._waiters):
            status = await db.job_status(self.pool, job_id)
            if status is not None and status in db.TERMINAL:
                self._resolve(job_id, status)


class AnsweringServer(uvicorn.Server):
    """uvicorn whose shutdown first releases the app's job waiter (`waiter()`, None before
    the app has started), then closes connections as uvicorn does."""

    def __init__(self, config: uvicorn.Config, waiter: Callable[[], JobWaiter | None]) -> None:
        super().__init__(config)
        self._waiter = waiter

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        waiter = self._waiter()
        if waiter is not None:
            waiter.release()
        await super().shutdown(sockets)
