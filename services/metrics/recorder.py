"""Stores what each consumed message says, once, and mirrors it into Prometheus.

Metrics are lossy by nature, and losing a sample is better than blocking the pipeline or
failing a job because system_metrics could not be written: a write that still fails after
bounded retries is logged, counted (vidgen_metrics_write_failures_total) and dropped.
"""

from __future__ import annotations

import asyncio
import logging

import asyncpg

from services.metrics import db, prom
from services.metrics.decode import Message, Observation, decode
from services.metrics.samples import Sample, StepClock, samples_for
from shared.backoff import backoff
from shared.db.pool import mark_processed, transaction
from shared.events import Topics

__all__ = ["CONSUMER", "Recorder"]

CONSUMER = "metrics"  # processed_events.consumer
log = logging.getLogger(__name__)
_TRANSIENT = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


class Recorder:
    def __init__(self, pool: asyncpg.Pool, topics: Topics, *, instance: str,
                 attempts: int = 5, base_delay: float = 0.2) -> None:
        self.pool = pool
        self.topics = topics
        self.instance = instance
        self.attempts = attempts
        self.base_delay = base_delay
        self.clock = StepClock()

    async def record(self, message: Message) -> Observation:
        """Decode and store `message`; never raises for a bad message or a database outage."""
        obs = decode(message, self.topics)
        if obs.kind == "invalid":
            log.warning("invalid message on %s[%d]@%d", message.topic, message.partition,
                        message.offset)
        samples = samples_for(obs, self.clock)
        if await self._store(obs, samples):
            prom.apply(samples)
        return obs

    async def _store(self, obs: Observation, samples: list[Sample]) -> bool:
        """True if stored now; False if already stored before (a redelivery) or dropped."""
        for attempt in range(1, self.attempts + 1):
            try:
                async with transaction(self.pool) as conn:
                    if not await mark_processed(conn, CONSUMER, obs.dedup_id, obs.job_id,
                                                obs.topic):
                        return False
                    await db.insert_samples(conn, samples, instance=self.instance)
                return True
            except _TRANSIENT as exc:
                if attempt == self.attempts:
                    log.error("dropping metrics of %s %s after %d attempts: %s", obs.type,
                              obs.dedup_id, attempt, exc)
                    prom.WRITE_FAILURES.inc()
                    return False
                await asyncio.sleep(backoff(attempt, self.base_delay))
        return False
