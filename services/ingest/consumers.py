"""The two Kafka consumers of ingest and their subscriptions.

- intake (`requests` topic, group `ingest-intake`): a JobRequest becomes a job through the
  same path as the HTTP API, with job id = request_id; an invalid spec becomes JobRejected
  (through the outbox, in the transaction that records the request as handled); a message
  that is not a JobRequest goes to the dead-letter topic.
- projection (`events` topic, group `ingest-projection`): see projection.py; run through
  EventConsumer (retries, dead-letter, JobFailed).

Both take messages in batches (what one fetch returned), commit offsets after the handler
returned for the whole batch (AckPolicy.ACK), and start from the earliest offset when their
group is new, so nothing published before the first start is missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Sequence
from typing import Any

import asyncpg
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage
from pydantic import ValidationError

from services.ingest.intake import (
    MAX_MESSAGE_BYTES,
    PRODUCER,
    Draft,
    Origin,
    create_job,
    creating,
    draft_job,
    insert_drafts,
)
from services.ingest.metrics import EVENTS_PROJECTED, JOBS_CREATED, JOBS_REJECTED
from services.ingest.projection import CONSUMER as PROJECTION_GROUP
from services.ingest.projection import Projection
from shared.composition import SpecError
from shared.consumer import EventConsumer
from shared.db.pool import mark_processed, mark_processed_many, transaction
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
_CHUNK = 100  # requests per transaction of a batch
_TRANSACTIONS = 2  # of one batch, written at the same time
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
                 max_attempts: int = 3, base_delay: float = 0.2,
                 max_event_bytes: int = MAX_MESSAGE_BYTES) -> None:
        self.pool = pool
        self.max_event_bytes = max_event_bytes
        self.broker = broker
        self.topics = topics
        self.max_attempts = max_attempts
        self.base_delay = base_delay

    async def handle(self, body: bytes, topic: str) -> None:
        """Never raises: bad input is rejected or dead-lettered, failures retried then
        dead-lettered."""
        request = await self._parse(body, topic)
        if request is not None:
            await self._handle_request(request, body, topic)

    async def handle_batch(self, bodies: Sequence[bytes], topic: str) -> None:
        """Like `handle` for each message, written a chunk per transaction: while chunks are
        being written (two at a time), the next one is validated, so Postgres and Python
        work at the same time. A chunk whose transaction fails is handled one by one
        (retries, dead letters)."""
        parsed = [(await self._parse(body, topic), body) for body in bodies]
        requests = [(request, body) for request, body in parsed if request is not None]
        writing: list[asyncio.Task[None]] = []
        try:
            for start in range(0, len(requests), _CHUNK):
                chunk = requests[start:start + _CHUNK]
                drafted = [(request, _draft(request, self.max_event_bytes))
                           for request, _ in chunk]
                if len(writing) == _TRANSACTIONS:
                    await writing.pop(0)
                writing.append(asyncio.create_task(self._write_chunk(chunk, drafted, topic)))
            for task in writing:
                await task
        finally:
            for task in writing:
                if not task.done():
                    task.cancel()  # rolled back: the batch's offsets are not committed
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    async def _write_chunk(self, chunk: list[tuple[JobRequest, bytes]],
                           drafted: list[tuple[JobRequest, Draft | JobRejected]],
                           topic: str) -> None:
        try:
            created, rejected = await self._apply_many(drafted, topic)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("intake: a batch of %d failed (%s); handling them one by one",
                        len(chunk), exc)
            for request, body in chunk:
                await self._handle_request(request, body, topic)
            return
        if created:
            JOBS_CREATED.labels("kafka").inc(created)
        if rejected:
            JOBS_REJECTED.labels("kafka").inc(rejected)

    async def _parse(self, body: bytes, topic: str) -> JobRequest | None:
        try:
            return JobRequest.model_validate_json(body)
        except ValidationError as exc:
            log.warning("intake: not a job request: %s", exc.errors(include_url=False)[:3])
            await dead_letter(self.broker, self.topics, body, topic,
                              f"not a JobRequest: {exc}", 1, INTAKE_GROUP)
            return None

    async def _handle_request(self, request: JobRequest, body: bytes, topic: str) -> None:
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
        async with transaction(self.pool) as conn:
            if not await mark_processed(conn, INTAKE_GROUP, request.request_id,
                                        request.request_id, topic):
                return  # a redelivery: the job (or the rejection) exists already
            try:
                accepted = await create_job(conn, self.topics, request.job, _origin(request),
                                            job_id=request.request_id,
                                            max_event_bytes=self.max_event_bytes)
            except SpecError as exc:
                await enqueue(conn, self.topics.events, _rejection(request, exc))
                accepted = None
        if accepted is None:
            JOBS_REJECTED.labels("kafka").inc()
        elif accepted.created:
            JOBS_CREATED.labels("kafka").inc()

    async def _apply_many(self, drafted: list[tuple[JobRequest, Draft | JobRejected]],
                          topic: str) -> tuple[int, int]:
        """One transaction for every request not seen before: (jobs created, rejected)."""
        async with transaction(self.pool) as conn:
            new = await mark_processed_many(
                conn, INTAKE_GROUP, [(r.request_id, r.request_id) for r, _ in drafted], topic)
            drafts: list[Draft] = []
            rejections: list[JobRejected] = []
            for request, outcome in drafted:
                if request.request_id not in new:
                    continue  # a redelivery, or a repeat within this batch
                new.discard(request.request_id)
                if isinstance(outcome, Draft):
                    drafts.append(outcome)
                else:
                    rejections.append(outcome)
            created = await insert_drafts(conn, self.topics, drafts) if drafts else []
            if rejections:
                await enqueue(conn, self.topics.events, *rejections)
        return sum(c.accepted.created for c in created), len(rejections)


def _draft(request: JobRequest, max_event_bytes: int) -> Draft | JobRejected:
    """The request validated: a draft of its job, or its rejection."""
    origin = _origin(request)
    try:
        with creating(origin) as current:
            current.set_attribute("job_id", str(request.request_id))
            return draft_job(request.job, origin, job_id=request.request_id,
                             max_event_bytes=max_event_bytes)
    except SpecError as exc:
        return _rejection(request, exc)


async def _undecoded(message: StreamMessage[Any]) -> Any:
    return message.body


def _origin(request: JobRequest) -> Origin:
    return Origin("kafka", user_agent=f"kafka:{request.client}" if request.client else "kafka")


def _rejection(request: JobRequest, exc: SpecError) -> JobRejected:
    return JobRejected(job_id=request.request_id, request_id=request.request_id,
                       producer=PRODUCER, errors=[problem.as_dict() for problem in exc.problems])


def subscribe(broker: KafkaBroker, settings: PlatformSettings, pool: asyncpg.Pool,
              projection: Projection,
              groups: tuple[str, str] = (INTAKE_GROUP, PROJECTION_GROUP)) -> None:
    """Register both subscribers (intake, projection: `groups`) on `broker` before it starts."""
    topics: Topics = settings.topics
    intake = IntakeConsumer(pool, broker, topics, max_attempts=settings.max_attempts,
                            max_event_bytes=settings.kafka_max_message_bytes)
    events = EventConsumer(name=PROJECTION_GROUP, broker=broker, topics=topics,
                                max_attempts=settings.max_attempts)
    options: dict[str, Any] = {
        "ack_policy": AckPolicy.ACK, "auto_offset_reset": "earliest",
        "session_timeout_ms": 6000, "heartbeat_interval_ms": 1000,
        "max_poll_interval_ms": 300_000,
        "fetch_max_wait_ms": settings.kafka_fetch_max_wait_ms,
    }

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
    batches: dict[str, Any] = {"batch": True, "max_records": settings.kafka_batch_max,
                               "decoder": _undecoded}
    broker.subscriber(topics.requests, group_id=groups[0], title="ingest-intake",
                      description="JobRequest → job (JobAccepted) or JobRejected",
                      **options, **batches)(on_requests)
    broker.subscriber(topics.events, group_id=groups[1], title="ingest-projection",
                      description="StepChanged/JobCompleted/JobFailed → jobs and timeline",
                      **options, **batches)(on_events)
