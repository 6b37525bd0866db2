"""Ingest's event logic for the `requests` topic (group `ingest-intake`).

A JobRequest becomes a job through the same path as the HTTP API, with job id =
request_id; an invalid spec becomes JobRejected (through the outbox, in the transaction
that records the request as handled); a message that is not a JobRequest goes to the
dead-letter topic. A request whose write fails is retried, and a lost Postgres is waited
out, by the consumer kit (`shared.consumer.retry`), then dead-lettered. The `events` topic's
logic is projection.py; the Kafka registration of both is subscribers.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import asyncpg
from faststream.kafka import KafkaBroker
from pydantic import ValidationError

from services.ingest.intake import (
    MAX_MESSAGE_BYTES,
    PRODUCER,
    Draft,
    Origin,
    Templates,
    create_job,
    creating,
    draft_job,
    insert_drafts,
    load_templates,
)
from services.ingest.metrics import JOBS_CREATED, JOBS_REJECTED
from shared.composition import SpecError
from shared.consumer import RetryPolicy, dead_letter, retry
from shared.db.pool import mark_processed, mark_processed_many, transaction
from shared.events import JobRejected, JobRequest, Topics
from shared.outbox import enqueue

__all__ = ["INTAKE_GROUP", "IntakeConsumer"]

INTAKE_GROUP = "ingest-intake"
_CHUNK = 100  # requests per transaction of a batch
_TRANSACTIONS = 2  # of one batch, written at the same time
log = logging.getLogger(__name__)


@dataclass
class IntakeConsumer:
    """JobRequests into jobs or rejections; `policy`: retries and outage waiting."""

    pool: asyncpg.Pool
    broker: KafkaBroker
    topics: Topics
    policy: RetryPolicy = field(default_factory=RetryPolicy, kw_only=True)
    max_event_bytes: int = field(default=MAX_MESSAGE_BYTES, kw_only=True)

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
        (retries, dead letters). The templates the batch names are read once for it: a
        query per chunk made template jobs slower to accept than full specs."""
        parsed = [(await self._parse(body, topic), body) for body in bodies]
        requests = [(request, body) for request, body in parsed if request is not None]
        templates = await self._templates(requests)
        writing: list[asyncio.Task[None]] = []
        try:
            for start in range(0, len(requests), _CHUNK):
                chunk = requests[start:start + _CHUNK]
                drafted = [(request, _draft(request, templates, self.max_event_bytes))
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

    async def _templates(self, requests: list[tuple[JobRequest, bytes]]) -> Templates:
        """The templates the requests name; the topic is a service's channel, so it may
        use any template."""
        if not any("template" in request.job for request, _ in requests):
            return {}
        async with self.pool.acquire() as conn:
            return await load_templates(conn, [request.job for request, _ in requests])

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
            await dead_letter(self.broker, self.topics, body, topic=topic,
                              error=f"not a JobRequest: {exc}", attempts=1, consumer=INTAKE_GROUP)
            return None

    async def _handle_request(self, request: JobRequest, body: bytes, topic: str) -> None:
        gave_up = await retry(lambda: self._apply(request, topic), self.policy,
                              name="intake", what=f"request {request.request_id}")
        if gave_up is not None:
            log.error("intake: giving up on request %s after %d attempt(s): %s",
                      request.request_id, gave_up.attempts, gave_up.error)
            await dead_letter(self.broker, self.topics, body, topic=topic,
                              error=str(gave_up.error), attempts=gave_up.attempts,
                              consumer=INTAKE_GROUP)

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


def _draft(request: JobRequest, templates: Templates | None,
           max_event_bytes: int) -> Draft | JobRejected:
    """The request validated: a draft of its job, or its rejection."""
    origin = _origin(request)
    try:
        with creating(origin) as current:
            current.set_attribute("job_id", str(request.request_id))
            return draft_job(request.job, origin, job_id=request.request_id,
                             templates=templates, max_event_bytes=max_event_bytes)
    except SpecError as exc:
        return _rejection(request, exc)


def _origin(request: JobRequest) -> Origin:
    return Origin("kafka", user_agent=f"kafka:{request.client}" if request.client else "kafka")


def _rejection(request: JobRequest, exc: SpecError) -> JobRejected:
    return JobRejected(job_id=request.request_id, request_id=request.request_id,
                       producer=PRODUCER, errors=[problem.as_dict() for problem in exc.problems])
