"""A dedicated Postgres connection that LISTENs on some channels and comes back when lost.

asyncpg delivers notifications only to the connection that LISTENs, and a LISTEN does not
survive the connection: when the server or the network drops it, this reconnects (with
backoff) and listens again, then calls `on_listen` so the owner can re-read whatever
changed while nobody listened. The connection carries an application_name so operators
(and tests) can find it in pg_stat_activity.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from shared.backoff import backoff

__all__ = ["Listener"]

Callback = Callable[[Any, int, str, object], None]  # asyncpg's (conn, pid, channel, payload)
log = logging.getLogger(__name__)


class Listener:
    def __init__(self, dsn: str, application_name: str, channels: tuple[str, ...],
                 on_notify: Callback, on_listen: Callable[[], Awaitable[None]], *,
                 retry_delay: float = 0.5) -> None:
        self.dsn = dsn
        self.application_name = application_name
        self.channels = channels
        self.on_notify = on_notify
        self.on_listen = on_listen
        self.retry_delay = retry_delay
        self.listening = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self, timeout: float = 10.0) -> None:
        """Start listening; returns once the first LISTEN is in place (or after `timeout`)."""
        self._task = asyncio.create_task(self._run(), name=self.application_name)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.listening.wait(), timeout)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _listen(self, conn: asyncpg.Connection) -> None:
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        for channel in self.channels:
            await conn.add_listener(channel, self.on_notify)
        self.listening.set()
        await self.on_listen()
        await lost.wait()

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                conn = await asyncpg.connect(
                    self.dsn, server_settings={"application_name": self.application_name})
            except (OSError, asyncpg.PostgresError) as exc:
                failures += 1
                delay = backoff(failures, self.retry_delay, cap=10.0)
                log.warning("%s: cannot connect (%s); retrying in %.1fs",
                            self.application_name, exc, delay)
                await asyncio.sleep(delay)
                continue
            try:
                failures = 0
                await self._listen(conn)
                log.warning("%s: listening connection lost; reconnecting",
                            self.application_name)
            except (OSError, asyncpg.PostgresError) as exc:
                log.warning("%s: %s; reconnecting", self.application_name, exc)
            finally:
                self.listening.clear()
                with contextlib.suppress(Exception):
                    await conn.close(timeout=2)
