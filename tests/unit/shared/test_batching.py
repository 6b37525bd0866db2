"""Group commit (shared.batching): concurrent calls share batches, results go back to the
right caller, and a bad item fails only its own caller."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from shared.batching import Batcher


async def settle() -> None:
    """Let every ready task run up to its next wait (scheduling only, no clock)."""
    for _ in range(5):
        await asyncio.sleep(0)


class Recorder:
    """A write function that records its batches; it blocks until `release` is set, so a
    test decides when a batch finishes (no timing involved)."""

    def __init__(self, *, bad: int | None = None) -> None:
        self.batches: list[list[int]] = []
        self.release = asyncio.Event()
        self.bad = bad

    async def write(self, items: Sequence[int]) -> list[int]:
        self.batches.append(list(items))
        await self.release.wait()
        if self.bad in items:
            raise ValueError(f"item {self.bad} is bad")
        return [item * 10 for item in items]


async def test_one_caller_alone_is_written_at_once() -> None:
    recorder = Recorder()
    recorder.release.set()
    batcher = Batcher(recorder.write)
    assert await batcher.submit(7) == 70
    assert recorder.batches == [[7]]


async def test_callers_arriving_during_a_write_go_together_in_the_next_batch() -> None:
    recorder = Recorder()
    batcher = Batcher(recorder.write, writers=1)
    first = asyncio.create_task(batcher.submit(1))
    await settle()  # the writer takes item 1 and blocks in write()
    rest = [asyncio.create_task(batcher.submit(n)) for n in range(2, 7)]
    await settle()
    recorder.release.set()
    assert await asyncio.gather(first, *rest) == [10, 20, 30, 40, 50, 60]
    assert recorder.batches == [[1], [2, 3, 4, 5, 6]]


async def test_batches_are_capped_and_keep_submission_order() -> None:
    recorder = Recorder()
    recorder.release.set()
    batcher = Batcher(recorder.write, max_batch=3, writers=1)
    results = await asyncio.gather(*(batcher.submit(n) for n in range(8)))
    assert results == [n * 10 for n in range(8)]
    assert [n for batch in recorder.batches for n in batch] == list(range(8))
    assert max(len(batch) for batch in recorder.batches) <= 3


async def test_a_failing_batch_is_retried_item_by_item_and_only_the_bad_item_fails() -> None:
    recorder = Recorder(bad=3)
    batcher = Batcher(recorder.write, writers=1)
    first = asyncio.create_task(batcher.submit(1))
    await settle()
    others = [asyncio.create_task(batcher.submit(n)) for n in (2, 3, 4)]
    await settle()
    recorder.release.set()
    assert await first == 10
    assert await others[0] == 20
    with pytest.raises(ValueError, match="item 3 is bad"):
        await others[1]
    assert await others[2] == 40
    assert recorder.batches == [[1], [2, 3, 4], [2], [3], [4]]


async def test_a_write_returning_the_wrong_number_of_results_fails_its_callers() -> None:
    async def short(items: Sequence[int]) -> list[int]:
        return []

    with pytest.raises(RuntimeError, match="0 results for 1 items"):
        await Batcher(short).submit(1)


async def test_at_most_writers_batches_are_in_flight() -> None:
    recorder = Recorder()
    batcher = Batcher(recorder.write, writers=2)
    one = asyncio.create_task(batcher.submit(1))
    await settle()
    two = asyncio.create_task(batcher.submit(2))
    await settle()
    rest = [asyncio.create_task(batcher.submit(n)) for n in (3, 4)]
    await settle()
    assert recorder.batches == [[1], [2]]  # two writers, each blocked in a write
    recorder.release.set()
    assert await asyncio.gather(one, two, *rest) == [10, 20, 30, 40]
    assert recorder.batches == [[1], [2], [3, 4]]


def test_the_limits_must_be_positive() -> None:
    async def write(items: Sequence[int]) -> list[int]:
        return list(items)

    with pytest.raises(ValueError, match="at least 1"):
        Batcher(write, max_batch=0)
    with pytest.raises(ValueError, match="at least 1"):
        Batcher(write, writers=0)
