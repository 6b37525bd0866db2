"""Encoding progress → StepChanged(encoding, progress) events, throttled and in order.

FFmpeg reports progress several times a second; the job's percentage is what users see,
so an event goes out only when that percentage changed and at most `max_rate` times a
second. One sender task publishes them in order; `close()` drains it, so every progress
event precedes the step's `completed`. `silent_for()` tells a stalled FFmpeg (it reports
every half second while it works) from a slow one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from services.render.runner import Progress

__all__ = ["ENCODING_SPAN", "ProgressReporter", "job_percent"]

log = logging.getLogger(__name__)

ENCODING_SPAN = (30, 90)
"""The job's percentage while encoding runs from 0 to 1 (download and upload make the rest)."""


def job_percent(fraction: float) -> int:
    low, high = ENCODING_SPAN
    return low + int((high - low) * max(0.0, min(1.0, fraction)))


Send = Callable[[int, float | None], Awaitable[None]]


class ProgressReporter:
    """A `ProgressCallback` for the engine: `reporter(progress)` from FFmpeg's reader."""

    def __init__(self, send: Send, *, max_rate: float = 2.0,
                 on_speed: Callable[[float], None] | None = None) -> None:
        self._send = send
        self._interval = 1.0 / max_rate
        self._on_speed = on_speed
        self._last_percent = job_percent(0.0)
        self._last_sent = float("-inf")
        self._last_report = time.monotonic()
        self._queue: asyncio.Queue[tuple[int, float | None] | None] = asyncio.Queue()
        self._sender = asyncio.create_task(self._run(), name="progress-sender")

    def __call__(self, progress: Progress) -> None:
        self._last_report = time.monotonic()
        if progress.speed is not None and self._on_speed is not None:
            self._on_speed(progress.speed)
        percent = job_percent(progress.fraction)
        now = time.monotonic()
        if percent <= self._last_percent or now - self._last_sent < self._interval:
            return
        self._last_percent, self._last_sent = percent, now
        self._queue.put_nowait((percent, progress.speed))

    def silent_for(self) -> float:
        """Seconds since FFmpeg last reported (or since the reporter was made)."""
        return time.monotonic() - self._last_report

    async def _run(self) -> None:
        while (item := await self._queue.get()) is not None:
            try:
                await self._send(*item)
            except Exception as exc:  # progress is advisory: a lost one is not worth a retry
                log.warning("progress event not published: %s", exc)

    async def close(self) -> None:
        """Send what is queued, then stop."""
        self._queue.put_nowait(None)
        await self._sender

    async def abort(self) -> None:
        """Stop at once, dropping what is queued."""
        self._sender.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._sender
