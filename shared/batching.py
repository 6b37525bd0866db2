"""Group commit: concurrent calls coalesced into batches, one database round trip for many.

While a batch is being written, the calls that arrive queue up and go together in the next
batch: one caller alone is written at once (no timer, no added latency); under load the
batches grow by themselves up to ``max_batch``, and the cost of a transaction is shared by
everyone in it. A batch that fails is written again one item at a time, so one bad item
fails only its own caller, never its neighbours.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

__all__ = ["Batcher"]

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger(__name__)


class Batcher(Generic[T, R]):
    """``await batcher.submit(item)`` returns ``write([..., item, ...])``'s result for it.

    `write` gets the items of one batch in submission order and returns one result per
    item, in the same order. At most `writers` batches are written at a time.
    """

    def __init__(self, write: Callable[[Sequence[T]], Awaitable[Sequence[R]]], *,
                 max_batch: int = 200, writers: int = 2, name: str = "batch") -> None:
        if max_batch < 1 or writers < 1:
            raise ValueError("max_batch and writers must be at least 1")
        self._write = write
        self.max_batch = max_batch
        self.writers = writers
        self.name = name
        self._queue: list[tuple[T, asyncio.Future[R]]] = []
        self._running: set[asyncio.Task[None]] = set()

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if len(self._running) < self.writers:
            task = asyncio.create_task(self._drain(), name=f"{self.name}-writer")
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        return await future

    async def _drain(self) -> None:
        """Write batches until the queue is empty."""
        while self._queue:
            batch, self._queue = self._queue[:self.max_batch], self._queue[self.max_batch:]
            live = [(item, future) for item, future in batch if not future.cancelled()]
            if live:
                await self._settle(live)

    async def _settle(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await self._write([item for item, _ in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"{self.name}: {len(results)} results for {len(batch)} items")
        except asyncio.CancelledError:
            for _, future in batch:
                if not future.done():
                    future.cancel()
            raise
        except Exception as exc:
            if len(batch) == 1:
                _resolve(batch[0][1], exc)
                return
            log.warning("%s: a batch of %d failed (%s); writing its items one by one",
                        self.name, len(batch), exc)
            for one in batch:
                await self._settle([one])
            return
        for (_, future), result in zip(batch, results, strict=True):
            _resolve(future, result)


def _resolve(future: asyncio.Future[R], outcome: R | BaseException) -> None:
    if future.done():  # the caller gave up (cancelled) meanwhile
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
