"""shared.testing.brokers: failed starts explain themselves, stop ends only our broker.

These start brokers of their own next to the session's one: Apache Kafka when the
session runs on Kafka, Tansu otherwise (it needs no JVM and starts in milliseconds).
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
import uuid
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from shared.testing import brokers
from shared.testing.brokers import (
    LOOPBACK,
    BrokerStartError,
    RunningBroker,
    start_kafka,
    start_tansu,
    wait_until_ready,
)

pytestmark = pytest.mark.timeout(240)


def _own_kind(session_broker: RunningBroker) -> str:
    return "kafka" if session_broker.kind == "kafka" else "tansu"


def _start(kind: str, tmp_path: Path, port: int | None = None) -> RunningBroker:
    if kind == "kafka":
        return start_kafka(tmp_path / "kafka", port=port, timeout=120)
    return start_tansu(port=port, log_path=tmp_path / "tansu.log")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def _create_topic(bootstrap: str, name: str, partitions: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(name, partitions, 1)])
    finally:
        await admin.close()


async def _list_topics(bootstrap: str) -> list[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return list(await admin.list_topics())
    finally:
        await admin.close()


def test_start_failure_raises_with_the_log_tail(
    kafka_broker: RunningBroker, tmp_path: Path
) -> None:
    kind = _own_kind(kafka_broker)
    with socket.socket() as squatter:
        squatter.bind((LOOPBACK, 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(BrokerStartError) as info:
            _start(kind, tmp_path, port=taken)
        # It noticed the process exit; it did not wait out the start timeout.
        assert time.monotonic() - started < 60
    message = str(info.value)
    assert "last lines of" in message
    assert ("Address already in use" if kind == "kafka" else "AddrInUse") in message


def test_a_port_taken_after_it_was_picked_is_picked_again(
    kafka_broker: RunningBroker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kind = _own_kind(kafka_broker)
    real_free_ports = brokers.free_ports
    with socket.socket() as squatter:
        squatter.bind((LOOPBACK, 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        picks: list[list[int]] = []

        def racy_free_ports(count: int = 1) -> list[int]:
            # The first pick hands out a port someone else grabbed meanwhile.
            ports = real_free_ports(count)
            if not picks:
                ports[0] = taken
            picks.append(ports)
            return ports

        monkeypatch.setattr(brokers, "free_ports", racy_free_ports)
        broker = _start(kind, tmp_path)
    try:
        assert len(picks) == 2
        assert broker.bootstrap == f"{LOOPBACK}:{picks[1][0]}"
        wait_until_ready(broker.bootstrap, timeout=5)
    finally:
        broker.stop()


def test_stop_ends_only_the_process_it_started(kafka_broker: RunningBroker, tmp_path: Path) -> None:
    broker = _start(_own_kind(kafka_broker), tmp_path)
    pid = broker.pid
    assert pid is not None
    assert pid != kafka_broker.pid
    assert broker.running
    host, _, port = broker.bootstrap.rpartition(":")

    broker.stop()

    assert not broker.running
    assert not _pid_alive(pid)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, int(port)), timeout=2).close()
    broker.stop()  # idempotent
    # The session's broker was left alone.
    assert kafka_broker.running
    wait_until_ready(kafka_broker.bootstrap, timeout=5)


async def test_restart_keeps_kafka_data_and_starts_tansu_empty(
    kafka_broker: RunningBroker, tmp_path: Path
) -> None:
    """Kafka keeps topics and committed offsets in its data dir across a restart.

    Tansu is memory-only: a restarted one knows nothing, which is why in-flight jobs
    of a dev stack are recovered from Postgres, never from the log.
    """
    kind = _own_kind(kafka_broker)
    topic, group = f"restart-{uuid.uuid4().hex[:8]}", f"restart-{uuid.uuid4().hex[:8]}"
    tps = [TopicPartition(topic, p) for p in range(3)]

    broker = _start(kind, tmp_path)
    try:
        await _create_topic(broker.bootstrap, topic, 3)
        producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, acks="all")
        await producer.start()
        try:
            for p in range(3):
                await producer.send_and_wait(topic, value=f"m{p}".encode(), partition=p)
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(
            bootstrap_servers=broker.bootstrap, group_id=group, enable_auto_commit=False
        )
        await consumer.start()
        try:
            consumer.assign(tps)
            await consumer.commit({tp: 1 for tp in tps})
        finally:
            await consumer.stop()
    finally:
        broker.stop()

    again = _start(kind, tmp_path)
    try:
        topics = await _list_topics(again.bootstrap)
        if kind == "tansu":
            assert topic not in topics
            return
        assert topic in topics
        consumer = AIOKafkaConsumer(
            bootstrap_servers=again.bootstrap,
            group_id=group,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
        await consumer.start()
        try:
            consumer.assign(tps)
            # Right after a restart the coordinator may still be loading the offsets topic
            # (committed() answers None meanwhile): wait for it, bounded.
            committed: dict[TopicPartition, int | None] = {}
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                committed = {tp: await consumer.committed(tp) for tp in tps}
                if all(offset is not None for offset in committed.values()):
                    break
                await asyncio.sleep(0.2)
            assert committed == {tp: 1 for tp in tps}
            await consumer.seek_to_beginning(*tps)
            values: list[bytes] = []
            deadline = time.monotonic() + 30
            while len(values) < 3:
                assert time.monotonic() < deadline, f"only {values} survived the restart"
                for records in (await consumer.getmany(timeout_ms=500)).values():
                    values += [r.value for r in records if r.value is not None]
            assert sorted(values) == [b"m0", b"m1", b"m2"]
        finally:
            await consumer.stop()
    finally:
        again.stop()
