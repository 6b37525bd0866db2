"""The consumer kit: how every service reads Kafka, retries, dead-letters and fails jobs.

One mechanism per concern, the same in all four services:

- `subscriber_options`: the group settings every subscriber shares (commit after the
  handler, a new group starts at the earliest offset, fast heartbeats, the fetch wait);
- `raw_body`: the decoder that hands bodies over undecoded, so a body that is not an event
  still reaches the consumer (to be dead-lettered or counted) instead of failing inside
  FastStream;
- `event_id`: the deterministic id of an event published in answer to another, so a
  redelivered input republishes the same ids and consumers drop the second copy;
- `retry` with a `RetryPolicy`: a failure is retried in-process with exponential backoff
  and jitter (`shared.backoff`), up to `max_attempts`; `PermanentError` skips the retries
  (bad input will not get better); a lost Postgres or broker connection (`is_outage`) is not
  the message's fault: it is waited out (capped backoff, up to `outage_budget` seconds)
  without using up an attempt, so a restart of either never dead-letters good work;
- `dead_letter`: a message given up goes to the dead-letter topic with why (headers: error,
  attempts, source topic, consumer);
- `EventConsumer`: all of the above around an event handler, plus `JobFailed` with the
  error code when a job's event is given up; `parse_spec`: the one validation of a job's
  spec by a consumer, `invalid_spec` when it does not hold.

The offset is committed by FastStream after the handler returns, i.e. after the work is
durable (at-least-once). Idempotency is the handler's part (`shared.db.pool.mark_processed`).
Settings are read by each service's `app.py` and passed in (`RetryPolicy.from_settings`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid5

import asyncpg
from aiokafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError
from botocore.exceptions import BotoCoreError, ClientError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.message import StreamMessage
from pydantic import ValidationError

from shared.backoff import backoff
from shared.composition import Job, SpecError, parse_job
from shared.events import (
    Event,
    EventBase,
    JobCancelled,
    JobFailed,
    Step,
    Topics,
    parse_event,
)
from shared.kafka import publish_event
from shared.settings import PlatformSettings, ReliabilitySettings

__all__ = [
    "INVALID_SPEC",
    "EventConsumer",
    "GaveUp",
    "PermanentError",
    "RetryPolicy",
    "StepError",
    "dead_letter",
    "error_code",
    "event_id",
    "is_outage",
    "parse_spec",
    "raw_body",
    "retry",
    "subscriber_options",
]

log = logging.getLogger(__name__)

INVALID_SPEC = "invalid_spec"
"""The error code of a job whose spec does not validate, whichever consumer found it."""


class StepError(Exception):
    """A step failed in a way the job should report with this error code."""

    def __init__(self, code: str, message: str, *, step: Step | None = None,
                 status: str = "failed") -> None:
        super().__init__(message)
        self.code = code
        self.step = step
        self.status = status


class PermanentError(StepError):
    """Retrying will not help (invalid input, missing source, unsupported media)."""


Handler = Callable[[Any], Awaitable[None]]
_OUTAGE_TYPES = (asyncpg.PostgresConnectionError, asyncpg.InterfaceError,
                 asyncpg.OperatorInterventionError, ConnectionError, KafkaConnectionError,
                 KafkaTimeoutError)


def error_code(exc: BaseException) -> str:
    """The job's error code for an exception that ended its retries."""
    if isinstance(exc, StepError):
        return exc.code
    if isinstance(exc, SpecError):
        return INVALID_SPEC
    if isinstance(exc, BotoCoreError | ClientError):
        return "storage_unavailable"  # S3 kept failing past botocore's own retries
    return "internal_error"


def is_outage(exc: BaseException) -> bool:
    """True when `exc` (or its cause) says Postgres or the broker is unreachable right now."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, _OUTAGE_TYPES):
            return True
        if isinstance(seen, KafkaError) and getattr(seen, "retriable", False):
            return True
        # asyncpg on a Unix socket that is gone (server restarting): errno set, no file name
        if (isinstance(seen, FileNotFoundError) and seen.errno is not None
                and seen.filename is None):
            return True
        seen = seen.__cause__
    return False


def parse_spec(spec: dict[str, Any], step: Step) -> Job:
    """The job's spec validated: a consumer's one check of it (`invalid_spec` if it fails).

    Ingest validated the spec before the job existed; a spec that fails here was written
    by an older or newer version, or by hand, and no retry will fix it.
    """
    try:
        return parse_job(spec)
    except SpecError as exc:
        raise PermanentError(INVALID_SPEC, f"the spec is invalid: {exc}", step=step) from exc


def event_id(job_id: UUID, *parts: object) -> UUID:
    """Deterministic event id: the same job, kind and attempt always give the same id."""
    return uuid5(job_id, ":".join(str(part) for part in parts))


async def raw_body(message: StreamMessage[Any]) -> Any:
    """A FastStream decoder that leaves the body as it came (bytes; a list for a batch)."""
    return message.body


def subscriber_options(settings: PlatformSettings, group_id: str, *,
                       ack_policy: AckPolicy = AckPolicy.ACK, session_timeout_ms: int = 6_000,
                       max_poll_interval_ms: int = 300_000, batch: bool = False,
                       **extra: Any) -> dict[str, Any]:
    """Keyword arguments for `broker.subscriber` shared by every consumer group.

    Offsets are committed after the handler returned; a new group starts from the earliest
    offset, so nothing published before its first start is missed; heartbeats every second
    from the background, so a dead member is noticed within `session_timeout_ms`; bodies
    reach the handler undecoded (`raw_body`). `batch`: whatever one fetch returned, up to
    `kafka_batch_max` records, in one call.
    """
    options: dict[str, Any] = {
        "group_id": group_id, "ack_policy": ack_policy, "auto_offset_reset": "earliest",
        "session_timeout_ms": session_timeout_ms, "heartbeat_interval_ms": 1_000,
        "max_poll_interval_ms": max_poll_interval_ms,
        "fetch_max_wait_ms": settings.kafka_fetch_max_wait_ms, "decoder": raw_body,
    }
    if batch:
        options.update(batch=True, max_records=settings.kafka_batch_max)
    options.update(extra)
    return options


@dataclass(frozen=True)
class RetryPolicy:
    """How long one message is tried: attempts, backoff base, the outage budget."""

    max_attempts: int = 3
    base_delay: float = 0.2
    outage_budget: float = 300.0
    outage_cap: float = 5.0  # longest wait between two looks at a lost connection

    @classmethod
    def from_settings(cls, platform: PlatformSettings,
                      reliability: ReliabilitySettings) -> RetryPolicy:
        return cls(max_attempts=platform.max_attempts, outage_budget=reliability.outage_budget)


@dataclass(frozen=True)
class GaveUp:
    """Why `retry` stopped trying: the last error and the attempts used."""

    error: Exception
    attempts: int


async def retry(work: Callable[[], Awaitable[None]], policy: RetryPolicy, *, name: str,
                what: str) -> GaveUp | None:
    """Run `work` until it succeeds (None) or the policy gives up on it (`GaveUp`)."""
    attempt, outage_since, outages = 1, 0.0, 0
    while True:
        try:
            await work()
            return None
        except PermanentError as exc:
            return GaveUp(exc, attempt)
        except Exception as exc:
            now = time.monotonic()
            if outages == 0:
                outage_since = now
            if is_outage(exc) and now - outage_since < policy.outage_budget:
                outages += 1
                delay = backoff(min(outages, 6) + 1, policy.base_delay, cap=policy.outage_cap)
                log.warning("%s: %s on %s: waiting %.2fs for it to come back (%s)", name,
                            exc.__class__.__name__, what, delay, exc)
                await asyncio.sleep(delay)
                continue
            outages = 0
            if attempt >= policy.max_attempts:
                return GaveUp(exc, attempt)
            delay = backoff(attempt, policy.base_delay)
            log.warning("%s: %s on %s (attempt %d), retrying in %.2fs", name,
                        exc.__class__.__name__, what, attempt, delay)
            await asyncio.sleep(delay)
            attempt += 1


async def dead_letter(broker: KafkaBroker, topics: Topics, body: Any, *, topic: str,
                      error: str, attempts: int, consumer: str) -> None:
    """Publish `body` to the dead-letter topic with why it was given up, in headers."""
    await broker.publish(
        body if isinstance(body, dict | bytes) else str(body),
        topic=topics.dead_letter,
        headers={"vidgen-error": error[:2000], "vidgen-attempts": str(attempts),
                 "vidgen-source-topic": topic, "vidgen-consumer": consumer},
    )


class EventConsumer:
    """Decodes events and runs their handler under the policy; fails the job on giving up."""

    def __init__(self, *, name: str, broker: KafkaBroker, topics: Topics, policy: RetryPolicy,
                 default_step: Step = "processing") -> None:
        self.name = name
        self.broker = broker
        self.topics = topics
        self.policy = policy
        self.default_step = default_step

    async def handle(self, body: bytes | dict[str, Any], topic: str,
                     handler: Callable[[Event], Awaitable[None]]) -> None:
        """Decode `body` and run `handler` with retries; never raises for a bad message."""
        try:
            event = parse_event(body)
        except ValidationError as exc:
            await dead_letter(self.broker, self.topics, body, topic=topic,
                              error=f"not a valid event: {exc}", attempts=1, consumer=self.name)
            await self._fail_job(_job_id_of(body), "invalid_event", str(exc)[:500], None)
            return
        await self.run_with_retries(event, topic, handler)

    async def run_with_retries(self, event: EventBase, topic: str, handler: Handler) -> None:
        gave_up = await retry(lambda: handler(event), self.policy, name=self.name,
                              what=getattr(event, "type", "?"))
        if gave_up is not None:
            await self._give_up(event, topic, gave_up.error, gave_up.attempts)

    async def _give_up(self, event: EventBase, topic: str, exc: Exception, attempts: int) -> None:
        log.error("%s: giving up on %s after %d attempt(s): %s", self.name,
                  getattr(event, "type", "?"), attempts, exc)
        await dead_letter(self.broker, self.topics, event.model_dump(mode="json"), topic=topic,
                          error=str(exc), attempts=attempts, consumer=self.name)
        if isinstance(event, JobFailed | JobCancelled):
            return  # the job already ended; a JobFailed answer would come straight back here
        step = exc.step if isinstance(exc, StepError) else None
        status = exc.status if isinstance(exc, StepError) else "failed"
        await self._fail_job(event.job_id, error_code(exc), str(exc), step, status)

    async def _fail_job(self, job_id: UUID | None, code: str, message: str,
                        step: Step | None, status: str = "failed") -> None:
        if job_id is None:
            return
        failed = JobFailed(
            job_id=job_id, producer=self.name, step=step or self.default_step,
            error_code=code, error_message=message[:2000],
            status="timeout" if status == "timeout" else "failed",
        )
        await publish_event(self.broker, self.topics.events, failed)


def _job_id_of(body: Any) -> UUID | None:
    """Best effort: the job id of an undecodable message, so its job can still fail."""
    try:
        data = json.loads(body) if isinstance(body, bytes | str) else body
        return UUID(str(data["job_id"]))
    except (ValueError, KeyError, TypeError):
        return None
