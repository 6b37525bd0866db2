"""Reading and writing the test's topics with plain aiokafka (no consumer group: partitions
are assigned by hand from offset 0, so there is no group join to wait for)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from shared.events import EventBase

__all__ = ["Landed", "TopicReader", "publish", "wait_committed"]


async def publish(bootstrap: str, topic: str, event: EventBase) -> Landed:
    """Publish `event` keyed by its job; returns where it landed (offset in `.offset`)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        meta = await producer.send_and_wait(
            topic, json.dumps(event.model_dump(mode="json")).encode(), key=event.partition_key)
    finally:
        await producer.stop()
    return Landed(TopicPartition(meta.topic, meta.partition), meta.offset)


@dataclass(frozen=True)
class Landed:
    partition: TopicPartition
    offset: int


async def wait_committed(bootstrap: str, group: str, landed: Landed,
                         timeout: float = 45.0) -> None:
    """Wait until `group` has committed past `landed`: the message was handled."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group,
                                enable_auto_commit=False)
    await consumer.start()
    try:
        deadline = time.monotonic() + timeout
        while ((await consumer.committed(landed.partition)) or -1) <= landed.offset:
            assert time.monotonic() < deadline, f"{group} never committed {landed}"
            await asyncio.sleep(0.1)
    finally:
        await consumer.stop()


class TopicReader:
    """Everything on a topic, decoded as JSON, with its headers."""

    def __init__(self, bootstrap: str, topic: str, partitions: int) -> None:
        self.topic = topic
        self.partitions = partitions
        self.consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        self.messages: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []

    async def start(self) -> None:
        await self.consumer.start()
        assigned = [TopicPartition(self.topic, p) for p in range(self.partitions)]
        self.consumer.assign(assigned)
        await self.consumer.seek_to_beginning(*assigned)

    async def stop(self) -> None:
        await self.consumer.stop()

    async def wait_for(self, found: Callable[[list[dict[str, Any]]], bool],
                       timeout: float = 45.0) -> list[dict[str, Any]]:
        """Poll until `found(all messages so far)` holds; returns all messages."""
        deadline = time.monotonic() + timeout
        while not found(self.messages):
            assert time.monotonic() < deadline, \
                f"timed out on {self.topic}; got {[m.get('type') for m in self.messages]}"
            batches = await self.consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for record in records:
                    assert record.value is not None
                    self.messages.append(json.loads(record.value))
                    self.headers.append({k: v.decode() for k, v in record.headers})
        return self.messages

    async def drain(self) -> list[dict[str, Any]]:
        """Read until a fetch comes back empty: everything already in the log is read."""
        while True:
            batches = await self.consumer.getmany(timeout_ms=500)
            if not any(batches.values()):
                return self.messages
            for records in batches.values():
                for record in records:
                    assert record.value is not None
                    self.messages.append(json.loads(record.value))
                    self.headers.append({k: v.decode() for k, v in record.headers})

    def of(self, job_id: Any, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages
                if m.get("job_id") == str(job_id) and m.get("type") == kind]
