"""The metrics service running in-process against the session's Postgres and Kafka."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import uuid4

import httpx
import pytest
import pytest_asyncio
from faststream.kafka import KafkaBroker
from prometheus_client.parser import text_string_to_metric_families

from services.metrics.app import create_app
from services.metrics.settings import MetricsSettings
from shared.kafka import make_broker
from shared.testing.brokers import RunningBroker

INSTANCE = "metrics-test"


@dataclass
class Service:
    settings: MetricsSettings
    client: httpx.AsyncClient
    producer: KafkaBroker

    async def prometheus(self, name: str, labels: dict[str, str]) -> float:
        """A sample from the service's own /metrics page (0 when absent)."""
        page = await self.client.get("/metrics")
        assert page.status_code == 200
        for family in text_string_to_metric_families(page.text):
            for sample in family.samples:
                if sample.name == name and all(
                    sample.labels.get(key) == value for key, value in labels.items()
                ):
                    return float(sample.value)
        return 0.0


@pytest.fixture
def platform(db_dsn: str, kafka_broker: RunningBroker) -> MetricsSettings:
    # Periodic tasks run once at start-up and not again during a test.
    return MetricsSettings(
        database_url=db_dsn, kafka_bootstrap_servers=kafka_broker.bootstrap,
        kafka_idempotence=kafka_broker.kind != "tansu",  # Tansu has no InitProducerId
        topic_prefix=f"test-metrics-{uuid4().hex[:10]}", topic_partitions=2,
        instance_id=INSTANCE, retention_interval=3600, alert_interval=3600,
    )


@pytest_asyncio.fixture
async def service(platform: MetricsSettings) -> AsyncIterator[Service]:
    app = create_app(platform, group_id=f"metrics-{uuid4().hex[:10]}")
    producer = make_broker(platform, "test-producer")
    async with app.router.lifespan_context(app):
        await producer.start()
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://metrics") as client:
                yield Service(platform, client, producer)
        finally:
            await producer.stop()

