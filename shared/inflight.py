"""Several messages of one subscriber in flight at once, at-least-once all the same.

A FastStream subscriber hands each message to its handler and waits for it, so one slow
message (a source that drips bytes) holds every message behind it. `KeyedDispatcher` lets
the handler return at once and runs the work in a task instead:

- at most `limit` messages run at a time; the next one waits for a free slot in the
  subscriber's own handler, so the consumer stops fetching (backpressure, no queue);
- messages with the same key (the job id: `publish_event` keys every event by it) run one
  after another in the order they came, so one job's events keep their order;
- offsets are committed per partition, only up to the first message not finished yet
  (`PartitionWindow`): a crash redelivers every message that was not done, exactly as when
  the handler ran inline. The subscriber must use `AckPolicy.MANUAL` (auto-commit off);
- a revoked partition's window is closed (what finished was committed as it finished);
  later completions of its messages commit nothing (the new owner redelivers them; the handlers
  are idempotent). Work that is cancelled at shutdown commits nothing either.

A handler that raises is logged and counted as done, as `AckPolicy.ACK` did: the handlers
given here catch their errors themselves (`EventConsumer` retries, then dead-letters).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import KafkaError

__all__ = ["KeyedDispatcher", "PartitionWindow"]

log = logging.getLogger(__name__)

Work = Callable[[], Awaitable[None]]


class PartitionWindow:
    """The offsets of one partition taken and not yet committed, in the order taken.

    `committable` is the offset to commit (the next one to read): one past the last of the
    unbroken run of finished offsets at the front.
    """

    def __init__(self) -> None:
        self._open: dict[int, bool] = {}  # offset -> finished; insertion order = offset order
        self.last_taken: int | None = None
        self.committable: int | None = None
        self.committed: int | None = None
        self.closed = False

    def take(self, offset: int) -> None:
        self._open[offset] = False
        self.last_taken = offset

    def finish(self, offset: int) -> bool:
        """Mark `offset` finished; True when the commit point moved."""
        if offset not in self._open:
            return False
        self._open[offset] = True
        moved = False
        while self._open:
            first = next(iter(self._open))
            if not self._open[first]:
                break
            del self._open[first]
            self.committable, moved = first + 1, True
        return moved

    @property
    def pending(self) -> int:
        return len(self._open)


class KeyedDispatcher(ConsumerRebalanceListener):  # type: ignore[misc]
    """See the module docstring. Pass it as the subscriber's `listener` too."""

    def __init__(self, limit: int, *, name: str) -> None:
        self.limit = limit
        self.name = name
        self._slots = asyncio.Semaphore(limit)
        self._tails: dict[bytes | None, asyncio.Task[None]] = {}
        self._windows: dict[TopicPartition, PartitionWindow] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._commit_lock = asyncio.Lock()

    @property
    def running(self) -> int:
        """Messages taken and not finished (running or waiting for their key's turn)."""
        return len(self._tasks)

    async def submit(self, message: Any, work: Work) -> None:
        """Run `work` for `message` (a FastStream KafkaMessage) in a task of its own; waits
        only for a free slot."""
        record, consumer = message.raw_message, message.consumer
        partition, window = self._take(record)
        await self._slots.acquire()
        key = record.key
        task = asyncio.create_task(
            self._run(self._tails.get(key), work, consumer, partition, window, record.offset),
            name=f"{self.name} {record.topic}[{record.partition}]@{record.offset}")
        self._tails[key] = task
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._forget(key, done))

    async def skip(self, message: Any) -> None:
        """`message` needs no work: it is done once every message before it is."""
        record = message.raw_message
        partition, window = self._take(record)
        if window.finish(record.offset):
            await self._commit(message.consumer, partition, window)

    async def wait(self) -> None:
        """Until everything submitted so far has finished (tests, graceful stops)."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    async def close(self) -> None:
        """Cancel what is still running (its messages stay uncommitted) and wait for it."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for window in self._windows.values():
            window.closed = True
        self._windows.clear()

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        for partition in revoked:
            window = self._windows.pop(partition, None)
            if window is None:
                continue
            window.closed = True
            if window.pending:
                log.info("%s: %s revoked with %d message(s) unfinished; the next owner gets "
                         "them again", self.name, partition, window.pending)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        pass

    def _take(self, record: Any) -> tuple[TopicPartition, PartitionWindow]:
        partition = TopicPartition(record.topic, record.partition)
        window = self._windows.get(partition)
        if window is None or (window.last_taken is not None
                              and record.offset <= window.last_taken):
            if window is not None:  # the consumer went back (a seek): start over
                window.closed = True
            window = self._windows[partition] = PartitionWindow()
        window.take(record.offset)
        return partition, window

    async def _run(self, previous: asyncio.Task[None] | None, work: Work, consumer: Any,
                   partition: TopicPartition, window: PartitionWindow, offset: int) -> None:
        try:
            if previous is not None:
                await asyncio.wait([previous])  # the same key's earlier message first
            try:
                await work()
            except Exception:
                log.exception("%s: message %s@%d failed", self.name, partition, offset)
        finally:
            self._slots.release()
        if window.finish(offset):
            await self._commit(consumer, partition, window)

    def _forget(self, key: bytes | None, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if self._tails.get(key) is task:
            del self._tails[key]

    async def _commit(self, consumer: Any, partition: TopicPartition,
                      window: PartitionWindow) -> None:
        """Commit the window's point; one commit at a time, so none lands after a later one."""
        async with self._commit_lock:
            target = window.committable
            if window.closed or target is None or (
                    window.committed is not None and target <= window.committed):
                return
            try:
                await consumer.commit({partition: target})
            except (KafkaError, OSError) as exc:  # rebalanced, stopping, broker away: the
                # next commit catches up, or the next owner redelivers
                log.warning("%s: commit of %s at %d failed: %s", self.name, partition, target,
                            exc)
                return
            window.committed = target
