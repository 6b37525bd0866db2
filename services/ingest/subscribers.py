"""Ingest's Kafka registration: the intake and projection subscribers.

- intake (`requests` topic, group `ingest-intake`): `handlers.IntakeConsumer`;
- projection (`events` topic, group `ingest-projection`): see projection.py; run through
  `shared.consumer.EventConsumer` (retries, outage waiting, dead-letter, JobFailed).

Both take messages in batches (what one fetch returned), commit offsets after the handler
returned for the whole batch, and start from the earliest offset when their group is new,
so nothing published before the first start is missed (`shared.consumer.subscriber_options`).
"""

from __future__ import annotations

import asyncpg
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from services.ingest.handlers import INTAKE_GROUP, IntakeConsumer
from services.ingest.intake import PRODUCER
from services.ingest.metrics import EVENTS_PROJECTED
from services.ingest.projection import CONSUMER as PROJECTION_GROUP
from services.ingest.projection import Projection
from shared.consumer import EventConsumer, RetryPolicy, subscriber_options
from shared.events import Event, Topics
from shared.settings import PlatformSettings
from shared.telemetry import extract_context, span

__all__ = ["INTAKE_GROUP", "PROJECTION_GROUP", "subscribe"]


def subscribe(broker: KafkaBroker, settings: PlatformSettings, policy: RetryPolicy,
              pool: asyncpg.Pool, projection: Projection,
              groups: tuple[str, str] = (INTAKE_GROUP, PROJECTION_GROUP)) -> None:
    """Register both subscribers (intake, projection: `groups`) on `broker` before it starts."""
    topics: Topics = settings.topics
    intake = IntakeConsumer(pool, broker, topics, policy=policy,
                            max_event_bytes=settings.kafka_max_message_bytes)
    events = EventConsumer(name=PROJECTION_GROUP, broker=broker, topics=topics, policy=policy)

    async def on_requests(batch: KafkaMessage) -> None:
        bodies: list[bytes] = batch.body  # type: ignore[assignment]  # a batch: one per message
        await intake.handle_batch(bodies, topics.requests)

    async def apply(event: Event) -> None:
        with span(f"ingest {event.type}", context=extract_context(event.trace),
                  job_id=str(event.job_id), event_id=str(event.event_id)):
            await projection.apply(event, topics.events)
        EVENTS_PROJECTED.labels(event.type).inc()

    async def on_events(batch: KafkaMessage) -> None:
        bodies: list[bytes] = batch.body  # type: ignore[assignment]  # a batch: one per message
        for body, headers in zip(bodies, batch.batch_headers, strict=True):
            if headers.get("vidgen-producer") == PRODUCER:
                continue  # ingest's own events: written in the transaction that sent them
            await events.handle(body, topics.events, apply)

    # Batches: whatever a fetch returned (up to max_records), offsets committed once for it
    # after every message was handled; a lone message is not held back waiting for more.
    # The handlers parse each message themselves: FastStream's own JSON decoding of every
    # message of a batch would be wasted work.
    broker.subscriber(topics.requests, **subscriber_options(
        settings, groups[0], batch=True, title="ingest-intake",
        description="JobRequest → job (JobAccepted) or JobRejected"))(on_requests)
    broker.subscriber(topics.events, **subscriber_options(
        settings, groups[1], batch=True, title="ingest-projection",
        description="StepChanged/JobCompleted/JobFailed → jobs and timeline"))(on_events)
