"""Cross-cutting consumer behaviour: decode, bounded retries, dead-letter, job failure.

Every service wraps its event handlers with `EventConsumer.handle`, so a bad or failing
message never crashes a consumer nor loops forever:

- a message that is not a known event goes to the dead-letter topic at once;
- a handler error is retried in-process with exponential backoff and jitter, up to
  `max_attempts`; then the message goes to the dead-letter topic (headers: error,
  attempts, source topic) and the job fails with an error code;
- `PermanentError` skips the retries (bad input will not get better);
- a lost Postgres or broker connection (`is_outage`) is not the message's fault: it is
  waited out (capped backoff with jitter, up to `outage_budget` seconds,
  `VIDGEN_OUTAGE_BUDGET`) without using up an attempt, so a restart of either never
  dead-letters good work nor fails its job.

The offset is committed by FastStream after `handle` returns, i.e. after the work is
durable (at-least-once). Idempotency is the handler's part (`shared.db.pool.mark_processed`).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import asyncpg
from aiokafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError
from botocore.exceptions import BotoCoreError, ClientError
from faststream.kafka import KafkaBroker
from pydantic import ValidationError

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
from shared.settings import ReliabilitySettings

__all__ = ["EventConsumer", "PermanentError", "StepError", "error_code", "is_outage"]

log = logging.getLogger(__name__)


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


class EventConsumer:
    def __init__(self, *, name: str, broker: KafkaBroker, topics: Topics,
                 max_attempts: int = 3, base_delay: float = 0.2,
                 default_step: Step = "processing", outage_budget: float | None = None) -> None:
        self.name = name
        self.broker = broker
        self.topics = topics
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.default_step = default_step
        self.outage_budget = (ReliabilitySettings().outage_budget if outage_budget is None
                              else outage_budget)

    async def handle(self, body: bytes | dict[str, Any], topic: str,
                     handler: Callable[[Event], Awaitable[None]]) -> None:
        """Decode `body` and run `handler` with retries; never raises for a bad message."""
        try:
            event = parse_event(body)
        except ValidationError as exc:
            await self._dead_letter(body, topic, f"not a valid event: {exc}", attempts=1)
            await self._fail_job(_job_id_of(body), "invalid_event", str(exc)[:500], None)
            return
        await self.run_with_retries(event, topic, handler)

    async def run_with_retries(self, event: EventBase, topic: str,
                               handler: Callable[[Any], Awaitable[None]]) -> None:
        attempt, outage_since, outages = 1, 0.0, 0
        while True:
            try:
                await handler(event)
                return
            except PermanentError as exc:
                await self._give_up(event, topic, exc, attempt)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                now = time.monotonic()
                if outages == 0:
                    outage_since = now
                if is_outage(exc) and now - outage_since < self.outage_budget:
                    outages += 1
                    delay = min(5.0, self.base_delay * 2 ** min(outages, 6)) * (
                        0.5 + random.random())
                    log.warning("%s: %s on %s: waiting %.2fs for it to come back (%s)",
                                self.name, exc.__class__.__name__, getattr(event, "type", "?"),
                                delay, exc)
                    await asyncio.sleep(delay)
                    continue
                outages = 0
                if attempt == self.max_attempts:
                    await self._give_up(event, topic, exc, attempt)
                    return
                delay = self.base_delay * 2 ** (attempt - 1) * (0.5 + random.random())
                log.warning("%s: %s on %s (attempt %d), retrying in %.2fs",
                            self.name, exc.__class__.__name__, getattr(event, "type", "?"),
                            attempt, delay)
                await asyncio.sleep(delay)
                attempt += 1

    async def _give_up(self, event: EventBase, topic: str, exc: Exception, attempts: int) -> None:
        log.error("%s: giving up on %s after %d attempt(s): %s", self.name,
                  getattr(event, "type", "?"), attempts, exc)
        await self._dead_letter(event.model_dump(mode="json"), topic, str(exc), attempts)
        if isinstance(event, JobFailed | JobCancelled):
            return  # the job already ended; a JobFailed answer would come straight back here
        code = error_code(exc)
        step = exc.step if isinstance(exc, StepError) else None
        status = exc.status if isinstance(exc, StepError) else "failed"
        await self._fail_job(event.job_id, code, str(exc), step, status)

    async def _dead_letter(self, body: Any, topic: str, error: str, attempts: int) -> None:
        await self.broker.publish(
            body if isinstance(body, dict | bytes) else str(body),
            topic=self.topics.dead_letter,
            headers={"vidgen-error": error[:2000], "vidgen-attempts": str(attempts),
                     "vidgen-source-topic": topic, "vidgen-consumer": self.name},
        )

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
    import json

    try:
        data = json.loads(body) if isinstance(body, bytes | str) else body
        return UUID(str(data["job_id"]))
    except (ValueError, KeyError, TypeError):
        return None
