"""A source that drips a byte a second does not hold other jobs, and fails its own.

The real storage service (its consumer on the session's broker, Postgres, S3) on a
one-partition events topic, so the dripping job and the canary share a partition: the
worst case for a consumer that handles one event at a time. The dripping job's download
is under way when the canary is published; the canary must reach RenderRequested in about
the time it takes alone, while the dripping download is still running, and the group's
committed offset must stay behind the dripping job's event until that job is done
(at-least-once). The dripping job then fails as `source_too_slow`, once, naming its
element.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID, uuid4

import asyncpg
import pytest
import pytest_asyncio
from aiokafka import AIOKafkaConsumer

from services.storage.app import create_app
from services.storage.settings import StorageSettings
from shared.db.pool import create_pool
from shared.events import JobAccepted
from tests.integration.storage.kafka_io import Landed, TopicReader, publish, wait_committed
from tests.integration.storage.rows import insert_job
from tests.integration.storage.servers import Servers

pytestmark = pytest.mark.timeout(90)

WINDOW = 3.0  # seconds over which the minimum rate is averaged
DOWNLOADS = {"storage_concurrency": 4, "fetch_min_rate": 100, "fetch_rate_window": WINDOW,
             "fetch_deadline": 15}


@dataclass
class Storage:
    settings: StorageSettings
    group: str
    pool: asyncpg.Pool
    events: TopicReader
    render: TopicReader

    async def accept(self, source: str) -> tuple[UUID, Landed]:
        spec = {"elements": [{"type": "image", "source": source}]}
        async with self.pool.acquire() as conn:
            job_id = await insert_job(conn, spec)
        landed = await publish(self.settings.kafka_bootstrap_servers,
                               self.settings.topics.events,
                               JobAccepted(job_id=job_id, spec=spec, producer="ingest"))
        return job_id, landed

    async def requested(self, job_id: UUID) -> None:
        await self.render.wait_for(lambda _: bool(self.render.of(job_id, "render.requested")))

    async def committed(self, landed: Landed) -> int:
        consumer = AIOKafkaConsumer(bootstrap_servers=self.settings.kafka_bootstrap_servers,
                                    group_id=self.group, enable_auto_commit=False)
        await consumer.start()
        try:
            return (await consumer.committed(landed.partition)) or -1
        finally:
            await consumer.stop()


@pytest_asyncio.fixture
async def storage(platform: StorageSettings) -> AsyncIterator[Storage]:
    settings = platform.model_copy(update={"topic_partitions": 1, **DOWNLOADS})
    group = f"storage-{uuid4().hex[:8]}"
    app = create_app(settings, group_id=group)
    async with app.router.lifespan_context(app):
        pool = await create_pool(settings.database_url, max_size=2)
        events = TopicReader(settings.kafka_bootstrap_servers, settings.topics.events, 1)
        render = TopicReader(settings.kafka_bootstrap_servers, settings.topics.render, 1)
        await events.start()
        await render.start()
        try:
            yield Storage(settings, group, pool, events, render)
        finally:
            await events.stop()
            await render.stop()
            await pool.close()


def _download_steps(events: TopicReader, job_id: UUID) -> list[str]:
    return [m["state"] for m in events.of(job_id, "step.changed") if m["step"] == "download"]


async def test_a_dripping_source_holds_no_other_job_and_fails_its_own(
        storage: Storage, servers: Servers) -> None:
    logo = f"{servers.origin_url}/media/logo.png"
    # the canary's normal time, alone (its asset already cached, as it will be below)
    warm, _ = await storage.accept(logo)
    await storage.requested(warm)
    started = time.monotonic()
    alone, _ = await storage.accept(logo)
    await storage.requested(alone)
    normal = time.monotonic() - started

    dripping, drip_landed = await storage.accept(
        f"{servers.origin_url}/drip/?every=1")
    await storage.events.wait_for(lambda _: _download_steps(storage.events, dripping) != [])
    drip_started = time.monotonic()
    started = time.monotonic()
    canary, canary_landed = await storage.accept(logo)
    await storage.requested(canary)
    beside_drip = time.monotonic() - started
    print(f"canary to RenderRequested: {normal:.2f} s alone, {beside_drip:.2f} s beside a "
          f"source dripping a byte a second")

    assert servers.origin.dripping == 1, "the dripping download was still running"
    assert storage.events.of(dripping, "job.failed") == []
    assert canary_landed.offset > drip_landed.offset  # same partition, behind the drip
    assert await storage.committed(drip_landed) <= drip_landed.offset, \
        "committed past an event still being handled"
    assert beside_drip < normal + 1.5, (normal, beside_drip)

    await storage.events.wait_for(lambda _: bool(storage.events.of(dripping, "job.failed")))
    failed_after = time.monotonic() - drip_started
    [failure] = storage.events.of(dripping, "job.failed")
    assert failure["error_code"] == "source_too_slow"
    assert failure["step"] == "download"
    message: str = failure["error_message"]
    assert message.startswith("elements[0].source: slower than the minimum of 100 bytes/s "
                              f"averaged over {WINDOW:g} s"), message
    assert WINDOW - 0.5 < failed_after < WINDOW + 3, failed_after
    assert _download_steps(storage.events, dripping) == ["started", "failed"]
    assert servers.origin.hits["/drip/"] == 1, "the slow source is not tried again"
    await wait_committed(storage.settings.kafka_bootstrap_servers, storage.group,
                         canary_landed)
