"""Helpers of the ingest integration tests: polling, the service handle, a webhook receiver."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from starlette.requests import Request
from starlette.responses import Response

from services.ingest.api_settings import ApiSettings
from shared.events import EventBase
from shared.kafka import publish_event
from shared.settings import PlatformSettings

__all__ = ["IMMEDIATE_WAIT", "SECRET", "Hooks", "Ingest", "api_settings", "eventually"]

T = TypeVar("T")
SECRET = "test-webhook-secret"
IMMEDIATE_WAIT = 5.0


async def eventually(probe: Callable[[], Awaitable[T | None]], *, timeout: float = 20.0,
                     what: str = "the condition") -> T:
    """Poll `probe` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = await probe()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out after {timeout}s waiting for {what}"
        await asyncio.sleep(0.05)


@dataclass
class Hooks:
    """A loopback webhook receiver; answers 503 to the first `fail_first` calls of a path."""

    url: str
    received: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    fail_first: dict[str, int] = field(default_factory=dict)

    async def endpoint(self, request: Request) -> Response:
        path = request.url.path
        self.received.append((path, dict(request.headers), await request.body()))
        if self.fail_first.get(path, 0) > 0:
            self.fail_first[path] -= 1
            return Response(status_code=503)
        return Response(status_code=204)

    def calls(self, path: str) -> list[tuple[dict[str, str], bytes]]:
        return [(headers, body) for p, headers, body in self.received if p == path]


@dataclass
class Ingest:
    settings: PlatformSettings
    client: httpx.AsyncClient
    pool: asyncpg.Pool
    producer: KafkaBroker
    hooks: Hooks
    app: FastAPI

    async def publish(self, topic: str, event: EventBase) -> None:
        await publish_event(self.producer, topic, event)

    async def job(self, job_id: UUID | str) -> asyncpg.Record | None:
        row: asyncpg.Record | None = await self.pool.fetchrow(
            "SELECT *, status::text AS status_text FROM jobs WHERE id = $1", UUID(str(job_id)))
        return row

    async def messages(self, topic: str, match: Callable[[Any], bool], *, count: int = 1,
                       timeout: float = 20.0) -> list[Any]:
        """Records of `topic` (read from the start, no consumer group) that `match`."""
        consumer = AIOKafkaConsumer(bootstrap_servers=self.settings.kafka_bootstrap_servers,
                                    enable_auto_commit=False, auto_offset_reset="earliest")
        await consumer.start()
        try:
            consumer.assign([TopicPartition(topic, p)
                             for p in range(self.settings.topic_partitions)])
            await consumer.seek_to_beginning()
            found: list[Any] = []
            deadline = time.monotonic() + timeout
            while len(found) < count:
                assert time.monotonic() < deadline, f"only {len(found)} of {count} on {topic}"
                for records in (await consumer.getmany(timeout_ms=200)).values():
                    found.extend(record for record in records if match(record))
            return found
        finally:
            await consumer.stop()


@contextmanager
def api_settings(ingest: Ingest, **changes: Any) -> Iterator[None]:
    """The ingest app with other VIDGEN_* API settings (rate limits, job limits) for the
    block; the ones it had afterwards."""
    service = ingest.app.state.service
    before = service.api
    service.api = ApiSettings(**{**before.model_dump(), **changes})
    try:
        yield
    finally:
        service.api = before
