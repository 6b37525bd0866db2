"""`shared.inflight.KeyedDispatcher`: messages of different keys run side by side up to
the limit, one key's in order, and a partition's offset is committed only past messages
that are all finished. Driven with a recording consumer; each step waits on events."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest
from aiokafka import TopicPartition
from aiokafka.errors import CommitFailedError

from shared.inflight import KeyedDispatcher, PartitionWindow

pytestmark = pytest.mark.timeout(10)

TOPIC = "events"


@dataclass
class Consumer:
    commits: list[dict[TopicPartition, int]] = field(default_factory=list)
    fail: bool = False

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        if self.fail:
            raise CommitFailedError("rebalanced")
        self.commits.append(dict(offsets))


@dataclass
class Record:
    offset: int
    key: bytes | None
    partition: int = 0
    topic: str = TOPIC


@dataclass
class Message:
    raw_message: Record
    consumer: Consumer


def _message(consumer: Consumer, offset: int, key: str, partition: int = 0) -> Message:
    return Message(Record(offset, key.encode(), partition), consumer)


class Gate:
    """Work that records its start and waits until released."""

    def __init__(self, log: list[str], name: str) -> None:
        self.log, self.name = log, name
        self.started, self.release = asyncio.Event(), asyncio.Event()

    async def __call__(self) -> None:
        self.log.append(f"start {self.name}")
        self.started.set()
        await self.release.wait()
        self.log.append(f"end {self.name}")


def _committed(consumer: Consumer, partition: int = 0) -> list[int]:
    key = TopicPartition(TOPIC, partition)
    return [commit[key] for commit in consumer.commits if key in commit]


async def _idle(dispatcher: KeyedDispatcher) -> None:
    await asyncio.wait_for(dispatcher.wait(), 2)


async def _finished(offset: int) -> None:
    """Until the task of the message at `offset` (partition 0) has ended, commit included."""
    (task,) = [task for task in asyncio.all_tasks()
               if task.get_name() == f"test {TOPIC}[0]@{offset}"]
    await asyncio.wait_for(asyncio.wait([task]), 2)


def test_the_window_commits_only_past_an_unbroken_run_of_finished_offsets() -> None:
    window = PartitionWindow()
    for offset in (5, 6, 7, 8):
        window.take(offset)
    assert not window.finish(6)
    assert not window.finish(8)
    assert window.committable is None
    assert window.finish(5)
    assert window.committable == 7  # 5 and 6 done, 7 still open
    assert window.finish(7)
    assert window.committable == 9
    assert window.pending == 0


async def test_a_slow_message_does_not_hold_other_keys_and_holds_the_commit() -> None:
    consumer, log = Consumer(), []
    dispatcher = KeyedDispatcher(4, name="test")
    slow, fast = Gate(log, "slow"), Gate(log, "fast")
    await dispatcher.submit(_message(consumer, 10, "job-a"), slow)
    await dispatcher.submit(_message(consumer, 11, "job-b"), fast)
    await asyncio.wait_for(asyncio.gather(slow.started.wait(), fast.started.wait()), 2)
    fast.release.set()
    await _finished(11)
    assert _committed(consumer) == []  # 11 is done but 10 is not: nothing to commit yet
    await dispatcher.skip(_message(consumer, 12, "job-c"))
    assert _committed(consumer) == []
    slow.release.set()
    await _idle(dispatcher)
    assert _committed(consumer) == [13]  # 10, 11 and the skipped 12, in one commit


async def test_one_keys_messages_run_in_order() -> None:
    consumer, log = Consumer(), []
    dispatcher = KeyedDispatcher(4, name="test")
    first, second = Gate(log, "first"), Gate(log, "second")
    await dispatcher.submit(_message(consumer, 0, "job-a"), first)
    await dispatcher.submit(_message(consumer, 1, "job-a"), second)
    await asyncio.wait_for(first.started.wait(), 2)
    await asyncio.sleep(0.02)
    assert not second.started.is_set()
    second.release.set()
    first.release.set()
    await _idle(dispatcher)
    assert log == ["start first", "end first", "start second", "end second"]
    assert _committed(consumer) == [1, 2]


async def test_the_limit_makes_submit_wait() -> None:
    consumer, log = Consumer(), []
    dispatcher = KeyedDispatcher(2, name="test")
    gates = [Gate(log, str(index)) for index in range(3)]
    await dispatcher.submit(_message(consumer, 0, "a"), gates[0])
    await dispatcher.submit(_message(consumer, 1, "b"), gates[1])
    third = asyncio.create_task(dispatcher.submit(_message(consumer, 2, "c"), gates[2]))
    await asyncio.sleep(0.02)
    assert not third.done()  # no slot: the subscriber's loop is held here
    gates[1].release.set()
    await asyncio.wait_for(third, 2)
    await asyncio.wait_for(gates[2].started.wait(), 2)
    gates[0].release.set()
    gates[2].release.set()
    await _idle(dispatcher)
    assert _committed(consumer)[-1] == 3


async def test_partitions_commit_on_their_own() -> None:
    consumer, log = Consumer(), []
    dispatcher = KeyedDispatcher(4, name="test")
    held = Gate(log, "held")
    await dispatcher.submit(_message(consumer, 0, "a", partition=0), held)
    await dispatcher.skip(_message(consumer, 40, "b", partition=1))
    assert _committed(consumer, 1) == [41]
    assert _committed(consumer, 0) == []
    held.release.set()
    await _idle(dispatcher)
    assert _committed(consumer, 0) == [1]


async def test_a_failing_handler_counts_as_done() -> None:
    consumer = Consumer()
    dispatcher = KeyedDispatcher(2, name="test")

    async def broken() -> None:
        raise RuntimeError("boom")

    await dispatcher.submit(_message(consumer, 0, "a"), broken)
    await _idle(dispatcher)
    assert _committed(consumer) == [1]


async def test_revoked_or_cancelled_work_commits_nothing() -> None:
    consumer, log = Consumer(), []
    dispatcher = KeyedDispatcher(4, name="test")
    revoked, cancelled = Gate(log, "revoked"), Gate(log, "cancelled")
    await dispatcher.submit(_message(consumer, 0, "a", partition=0), revoked)
    await dispatcher.submit(_message(consumer, 0, "b", partition=1), cancelled)
    await dispatcher.on_partitions_revoked({TopicPartition(TOPIC, 0)})
    revoked.release.set()
    await _finished(0)
    assert "end revoked" in log
    await dispatcher.close()
    assert consumer.commits == []
    assert dispatcher.running == 0


async def test_a_rewound_partition_starts_a_new_window() -> None:
    """The consumer went back (a seek): the new reads commit their own progress, and the
    old window's late completion commits nothing past them."""
    consumer, log = Consumer(), []
    dispatcher = KeyedDispatcher(2, name="test")
    late = Gate(log, "late")
    await dispatcher.submit(_message(consumer, 7, "a"), late)
    await dispatcher.skip(_message(consumer, 5, "b"))  # read again from an older offset
    assert _committed(consumer) == [6]
    late.release.set()
    await _idle(dispatcher)
    assert _committed(consumer) == [6]


async def test_a_failed_commit_is_logged_and_the_next_one_catches_up() -> None:
    consumer = Consumer(fail=True)
    dispatcher = KeyedDispatcher(2, name="test")
    await dispatcher.skip(_message(consumer, 0, "a"))
    consumer.fail = False
    await dispatcher.skip(_message(consumer, 1, "a"))
    assert _committed(consumer) == [2]
