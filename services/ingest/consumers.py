"""The two Kafka consumers of ingest and their subscriptions.

- intake (`requests` topic, group `ingest-intake`): a JobRequest becomes a job through the
  same path as the HTTP API, with job id = request_id; an invalid spec becomes JobRejected
  (through the outbox, in the transaction that records the request as handled); a message
  that is not a JobRequest goes to the dead-letter topic.
- projection (`events` topic, group `ingest-projection`): see projection.py; run through
  EventConsumer (retries, dead-letter, JobFailed).

Both commit offsets after the handler returned (AckPolicy.ACK), and start from the earliest
offset when their group is new, so nothing published before the first start is missed.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

import asyncpg
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from pydantic import ValidationError

from services.ingest.intake import PRODUCER, Origin, create_job
from services.ingest.metrics import EVENTS_PROJECTED, JOBS_CREATED, JOBS_REJECTED
from services.ingest.projection import CONSUMER as PROJECTION_GROUP
from services.ingest.projection import Projection
from shared.composition import SpecError
from shared.consumer import EventConsumer
from shared.db.pool import mark_processed, transaction
from shared.events import (
    Event,
    JobRejected,
    JobRequest,
    Topics,
)
from shared.outbox import enqueue
from shared.settings import PlatformSettings
from shared.telemetry import extract_context, span

__all__ = ["INTAKE_GROUP", "PROJECTION_GROUP", "IntakeConsumer",
           "subscribe"]

INTAKE_GROUP = "ingest-intake"
log = logging.getLogger(__name__)


async def dead_letter(broker: KafkaBroker, topics: Topics, body: Any, topic: str, error: str,
                      attempts: int, consumer: str) -> None:
    """The message as received, with why it was given up (the EventConsumer's headers)."""
    await broker.publish(
        body, topic=topics.dead_letter,
        headers={"vidgen-error": error[:2000], "vidgen-attempts": str(attempts),
                 "vidgen-source-topic": topic, "vidgen-consumer": consumer},
    )


class IntakeConsumer:
    def __init__(self, pool: asyncpg.Pool, broker: KafkaBroker, topics: Topics, *,
                 max_attempts: int = 3, base_delay: float = 0.2) -> None:
        self.pool = pool
        self.broker = broker
        self.topics = topics
        self.max_attempts = max_attempts
        self.base_delay = base_delay

    async def handle(self, body: bytes, topic: str) -> None:
        """Never raises: bad input is rejected or dead-lettered, failures retried then
        dead-lettered."""
        try:
            request = JobRequest.model_validate_json(body)
        except ValidationError as exc:
            log.warning("intake: not a job request: %s", exc.errors(include_url=False)[:3])
            await dead_letter(self.broker, self.topics, body, topic,
                              f"not a JobRequest: {exc}", 1, INTAKE_GROUP)
            return
        for attempt in range(1, self.max_attempts + 1):
            try:
                await self._apply(request, topic)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if attempt == self.max_attempts:
                    log.exception("intake: giving up on request %s", request.request_id)
                    await dead_letter(self.broker, self.topics, body, topic, str(exc),
                                      attempt, INTAKE_GROUP)
                    return
                delay = self.base_delay * 2 ** (attempt - 1) * (0.5 + random.random())
                log.warning("intake: %s (attempt %d); retrying in %.2fs", exc, attempt, delay)
                await asyncio.sleep(delay)

    async def _apply(self, request: JobRequest, topic: str) -> None:
        origin = Origin("kafka", user_agent=f"kafka:{request.client}" if request.client
                        else "kafka")
        async with transaction(self.pool) as conn:
            if not await mark_processed(conn, INTAKE_GROUP, request.request_id,
                                        request.request_id, topic):
                return  # a redelivery: the job (or the rejection) exists already
            try:
                accepted = await create_job(conn, self.topics, request.job, origin,
                                            job_id=request.request_id)
            except SpecError as exc:
                await enqueue(conn, self.topics.events, JobRejected(
                    job_id=request.request_id, request_id=request.request_id,
                    producer=PRODUCER, errors=[problem.as_dict() for problem in exc.problems],
                ))
                accepted = None
        if accepted is None:
            JOBS_REJECTED.labels("kafka").inc()
        elif accepted.created:
            JOBS_CREATED.labels("kafka").inc()


def subscribe(broker: KafkaBroker, settings: PlatformSettings, pool: asyncpg.Pool,
              projection: Projection,
              groups: tuple[str, str] = (INTAKE_GROUP, PROJECTION_GROUP)) -> None:
    """Register both subscribers (intake, projection: `groups`) on `broker` before it starts."""
    topics: Topics = settings.topics
    intake = IntakeConsumer(pool, broker, topics, max_attempts=settings.max_attempts)
    events = EventConsumer(name=PROJECTION_GROUP, broker=broker, topics=topics,
                                max_attempts=settings.max_attempts)
    options: dict[str, Any] = {
        "ack_policy": AckPolicy.ACK, "auto_offset_reset": "earliest",
        "session_timeout_ms": 6000, "heartbeat_interval_ms": 1000,
        "max_poll_interval_ms": 300_000,
        "fetch_max_wait_ms": settings.kafka_fetch_max_wait_ms,
    }

    async def on_request(msg: KafkaMessage) -> None:
        await intake.handle(msg.body, topics.requests)

    async def apply(event: Event) -> None:
        with span(f"ingest {event.type}", context=extract_context(event.trace),
                  job_id=str(event.job_id), event_id=str(event.event_id)):
            await projection.apply(event, topics.events)
        EVENTS_PROJECTED.labels(event.type).inc()

    async def on_event(msg: KafkaMessage) -> None:
        await events.handle(msg.body, topics.events, apply)

    broker.subscriber(topics.requests, group_id=groups[0], title="ingest-intake",
                      description="JobRequest → job (JobAccepted) or JobRejected",
                      **options)(on_request)
    broker.subscriber(topics.events, group_id=groups[1], title="ingest-projection",
                      description="StepChanged/JobCompleted/JobFailed → jobs and timeline",
                      **options)(on_event)
