"""Render workers in-process against the session's real Postgres, broker, moto S3 and FFmpeg.

Each test gets its own database, topics (a fresh prefix), bucket, consumer group and work
directory, so nothing a test leaves behind reaches the next one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import pytest
import pytest_asyncio
from faststream.kafka import KafkaBroker

from services.render.app import RenderService
from services.render.settings import RenderSettings
from shared.kafka import ensure_topics, make_broker
from shared.settings import EngineSettings, ReliabilitySettings
from shared.testing.brokers import RunningBroker
from tests.integration.render.harness import EventLog, StartWorker, eventually
from tests.integration.render.specs import Media, make_media


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> Media:
    return make_media(tmp_path_factory.mktemp("render-media"))


@pytest.fixture
def settings(db_dsn: str, kafka_broker: RunningBroker, s3_env: dict[str, str]) -> RenderSettings:
    tag = uuid4().hex[:10]
    return RenderSettings(
        database_url=db_dsn,
        kafka_bootstrap_servers=kafka_broker.bootstrap,
        kafka_idempotence=kafka_broker.kind != "tansu",  # Tansu has no InitProducerId
        s3_endpoint_url=s3_env["S3_ENDPOINT_URL"],
        s3_bucket=f"render-{tag}",
        topic_prefix=f"test-render-{tag}",
        topic_partitions=2,
        render_host="127.0.0.1",
        render_port=0,
        max_attempts=2,
        instance_id="render-test",
    )


@pytest.fixture
def work_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def engine(work_dir: Path) -> EngineSettings:
    return EngineSettings(work_dir=str(work_dir))


@pytest_asyncio.fixture
async def events(settings: RenderSettings) -> AsyncIterator[EventLog]:
    await ensure_topics(settings)
    log = EventLog(settings)
    await log.start()
    try:
        yield log
    finally:
        await log.stop()


@pytest_asyncio.fixture
async def producer(settings: RenderSettings) -> AsyncIterator[KafkaBroker]:
    await ensure_topics(settings)
    broker = make_broker(settings, "test-producer")
    await broker.start()
    try:
        yield broker
    finally:
        await broker.stop()


@pytest_asyncio.fixture
async def start_worker(settings: RenderSettings,
                       engine: EngineSettings) -> AsyncIterator[StartWorker]:
    """Start in-process workers (one consumer group per test unless told); all are stopped
    at the end without grace."""
    started: list[RenderService] = []
    group = f"render-{uuid4().hex[:8]}"

    async def start(name: str = "worker-1", *, engine_: EngineSettings | None = None,
                    group_id: str | None = None, wait_assigned: bool = True,
                    **overrides: object) -> RenderService:
        """`overrides`: RenderSettings fields for this worker only."""
        own = settings.model_copy(update={"instance_id": name, **overrides})
        service = RenderService(own, engine_ or engine, reliability=ReliabilitySettings(),
                                group_id=group_id or group, port=0, status_poll=1.0)
        await service.start()
        started.append(service)
        if wait_assigned:
            await eventually(lambda: service.tracker.partitions, timeout=40,
                             what=f"{name} to be assigned partitions")
        return service

    try:
        yield start
    finally:
        for service in reversed(started):
            await service.stop(grace=0)
