"""The metrics service's polled gauges over real components: consumer lag from the broker's
offsets, the backlog from Postgres."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.structs import OffsetAndMetadata, TopicPartition

from services.ingest.subscribers import INTAKE_GROUP, PROJECTION_GROUP
from services.metrics import prom
from services.metrics.backlog import refresh_backlog
from services.metrics.lag import LagMonitor, consumer_groups
from services.metrics.subscribers import GROUP as METRICS_GROUP
from services.render.subscribers import GROUP as RENDER_GROUP
from services.storage.app import GROUP as STORAGE_GROUP
from shared.db.pool import create_pool
from shared.kafka import ensure_topics
from shared.settings import PlatformSettings
from shared.testing.brokers import RunningBroker

pytestmark = pytest.mark.timeout(90)


def test_lag_covers_every_consumer_group_of_the_services() -> None:
    groups = consumer_groups(PlatformSettings(topic_prefix="p").topics)
    assert set(groups) == {INTAKE_GROUP, PROJECTION_GROUP, STORAGE_GROUP, RENDER_GROUP,
                           METRICS_GROUP}
    assert groups[RENDER_GROUP] == ("p.render",)


async def test_lag_is_what_each_group_has_not_committed(kafka_broker: RunningBroker) -> None:
    settings = PlatformSettings(kafka_bootstrap_servers=kafka_broker.bootstrap,
                                topic_prefix=f"lag-{uuid4().hex[:10]}", topic_partitions=2)
    await ensure_topics(settings)
    topic = settings.topics.render
    producer = AIOKafkaProducer(bootstrap_servers=kafka_broker.bootstrap)
    await producer.start()
    try:
        for i in range(5):
            await producer.send_and_wait(topic, b"work", key=str(i).encode(), partition=i % 2)
    finally:
        await producer.stop()

    idle, busy = f"idle-{uuid4().hex[:6]}", f"busy-{uuid4().hex[:6]}"
    committer = AIOKafkaConsumer(bootstrap_servers=kafka_broker.bootstrap, group_id=busy,
                                 enable_auto_commit=False)
    await committer.start()
    committer.assign([TopicPartition(topic, 0), TopicPartition(topic, 1)])
    try:  # partition 0 holds messages 0, 2, 4: commit past two of them
        await committer.commit({TopicPartition(topic, 0): OffsetAndMetadata(2, "")})
    finally:
        await committer.stop()

    monitor = LagMonitor(kafka_broker.bootstrap, {idle: (topic,), busy: (topic,)})
    lags = await monitor.run()
    assert lags == {(idle, topic): 5, (busy, topic): 3}
    assert prom.CONSUMER_LAG.labels(group=busy, topic=topic)._value.get() == 3


async def test_backlog_counts_active_and_stalled_jobs(db: asyncpg.Connection, db_dsn: str) -> None:
    now = datetime.now(UTC)
    rows = [("pending", now), ("pending", now), ("processing", now),
            ("processing", now - timedelta(minutes=30)), ("completed", now)]
    for status, updated in rows:
        await db.execute("INSERT INTO jobs (width, height, status, updated_at, started_at) "
                         "VALUES (640, 360, $1, $2, $2)", status, updated)
    pool = await create_pool(db_dsn, max_size=1)
    try:
        counts = await refresh_backlog(pool, stall_after=600)
    finally:
        await pool.close()
    assert counts == {"pending": 2, "processing": 2, "stalled": 1}
    assert prom.JOBS_ACTIVE.labels(status="pending")._value.get() == 2
    assert prom.JOBS_STALLED._value.get() == 1
