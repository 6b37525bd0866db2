"""What the render tests drive a worker with: jobs in Postgres, assets in S3, requests on
the render topic, and a reader of everything the worker publishes.

The reader assigns itself every partition of the events and dead-letter topics (no
consumer group, so no rebalance to wait for) and reads from the beginning.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID, uuid4

import aioboto3
import asyncpg
import psutil
from aiokafka import AIOKafkaConsumer, TopicPartition
from faststream.kafka import KafkaBroker

from services.render.app import RenderService
from shared.events import Asset, RenderRequested, parse_event
from shared.kafka import publish_event
from shared.settings import PlatformSettings

__all__ = [
    "EventLog",
    "Received",
    "StartWorker",
    "eventually",
    "ffmpeg_children",
    "insert_job",
    "publish_request",
    "upload_asset",
]

T = TypeVar("T")

StartWorker = Callable[..., Awaitable[RenderService]]
"""start_worker(name="worker-1", *, engine_=None, group_id=None, wait_assigned=True,
**settings_overrides)"""


async def eventually(check: Callable[[], Awaitable[T | None] | T | None], *, timeout: float,
                     what: str, interval: float = 0.05) -> T:
    """Poll `check` until it returns something truthy; fail with `what` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result) or isinstance(result, Awaitable):
            result = await result
        if result:
            return result  # type: ignore[return-value]
        assert time.monotonic() < deadline, f"timed out after {timeout:g}s waiting for {what}"
        await asyncio.sleep(interval)


def ffmpeg_children() -> list[psutil.Process]:
    """FFmpeg processes started by this test process (directly or below)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "ffmpeg" in child.name().lower() and child.status() != psutil.STATUS_ZOMBIE:
                found.append(child)
    return found


async def insert_job(dsn: str, spec: dict[str, Any], *, status: str = "processing",
                     job_id: UUID | None = None) -> UUID:
    """A jobs row as ingest would have written it (processing: attempts becomes 1)."""
    job_id = job_id or uuid4()
    conn = await asyncpg.connect(dsn)
    try:
        output = spec["output"]
        await conn.execute(
            """INSERT INTO jobs (id, status, output_format, width, height, spec)
               VALUES ($1, $2, $3, $4, $5, $6::jsonb)""",
            job_id, status, output.get("format", "mp4"), output["width"], output["height"],
            json.dumps(spec),
        )
    finally:
        await conn.close()
    return job_id


async def upload_asset(settings: PlatformSettings, source: str, path: Path) -> Asset:
    """Put `path` where storage's asset cache would (assets/<sha256>) and describe it."""
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    key = f"assets/{digest}"
    session = aioboto3.Session()
    async with session.client("s3", endpoint_url=settings.s3_endpoint_url,
                              region_name=settings.s3_region) as client:
        with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
            await client.create_bucket(Bucket=settings.s3_bucket)
        await client.put_object(Bucket=settings.s3_bucket, Key=key, Body=data)
    return Asset(source=source, sha256=digest, bucket=settings.s3_bucket, key=key,
                 size=len(data))


async def publish_request(broker: KafkaBroker, settings: PlatformSettings, job_id: UUID,
                          spec: dict[str, Any], assets: list[Asset]) -> RenderRequested:
    request = RenderRequested(job_id=job_id, producer="test", spec=spec, assets=assets)
    await publish_event(broker, settings.topics.render, request)
    return request


@dataclass
class Received:
    topic: str
    value: dict[str, Any]
    headers: dict[str, str]

    @property
    def event(self) -> Any:
        return parse_event(self.value)


@dataclass
class EventLog:
    """Everything on the events and dead-letter topics, in arrival order."""

    settings: PlatformSettings
    received: list[Received] = field(default_factory=list)
    _consumer: AIOKafkaConsumer | None = None
    _task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        topics = [self.settings.topics.events, self.settings.topics.dead_letter]
        consumer = AIOKafkaConsumer(bootstrap_servers=self.settings.kafka_bootstrap_servers,
                                    enable_auto_commit=False)
        await consumer.start()
        # ensure_topics created them with the configured partition count; a fresh consumer's
        # metadata cache may not list them yet on Apache Kafka.
        partitions = [
            TopicPartition(topic, p)
            for topic in topics
            for p in range(self.settings.topic_partitions)
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        self._consumer = consumer
        self._task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self._consumer is not None
        async for record in self._consumer:
            headers = {k: v.decode() for k, v in record.headers or ()}
            self.received.append(Received(record.topic, json.loads(record.value), headers))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()

    def events(self, job_id: UUID, type_: str | None = None) -> list[Any]:
        return [
            r.event for r in self.received
            if r.topic == self.settings.topics.events and r.value.get("job_id") == str(job_id)
            and (type_ is None or r.value.get("type") == type_)
        ]

    def steps(self, job_id: UUID) -> list[tuple[str, str]]:
        """(step, state) of the job's StepChanged events, progress left out."""
        return [(e.step, e.state) for e in self.events(job_id, "step.changed")
                if e.state != "progress"]

    def dead_letters(self, job_id: UUID) -> list[Received]:
        return [r for r in self.received if r.topic == self.settings.topics.dead_letter
                and r.value.get("job_id") == str(job_id)]

    async def wait_for(self, job_id: UUID, type_: str, *, count: int = 1,
                       timeout: float = 30.0) -> list[Any]:
        def found() -> list[Any] | None:
            events = self.events(job_id, type_)
            return events if len(events) >= count else None

        return await eventually(found, timeout=timeout, what=f"{count} {type_} of job {job_id}")
