"""Storage's Kafka registration: one subscriber (group `storage`) on `vidgen.events`.

Every event goes through `shared.consumer.EventConsumer` (retries, outage waiting, dead
letters, JobFailed) to `StorageHandlers`, inside a span that continues the job's trace.
Events storage has nothing to do for are skipped by their type header, unparsed.

Events run in `shared.inflight.KeyedDispatcher` tasks: up to VIDGEN_STORAGE_CONCURRENCY
jobs at once, one job's events in order, offsets committed (manually) only past events
that are all done. A job whose source is slow no longer holds every job behind it.
"""

from __future__ import annotations

from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from services.storage.handlers import StorageHandlers
from shared.consumer import EventConsumer, subscriber_options
from shared.events import Event
from shared.inflight import KeyedDispatcher
from shared.settings import PlatformSettings
from shared.telemetry import extract_context, span

__all__ = ["GROUP", "MAX_POLL_INTERVAL_MS", "subscribe"]

GROUP = "storage"
# Every slot can hold a long download (many sources, each retried): the consumer must not
# be thrown out of the group meanwhile (the poll loop waits while no slot is free).
MAX_POLL_INTERVAL_MS = 3_600_000
# events storage has nothing to do for (StepChanged: ~20 per job), known by their header
_NOT_MINE = frozenset({"step.changed", "job.completed", "job.rejected"})


def subscribe(broker: KafkaBroker, settings: PlatformSettings, consumer: EventConsumer,
              handlers: StorageHandlers, dispatcher: KeyedDispatcher, *,
              group_id: str = GROUP) -> None:
    """Register storage's subscriber on `broker` (before it starts); `dispatcher` runs the
    events (close it after the broker stopped)."""
    topic = settings.topics.events

    async def traced(event: Event) -> None:
        with span(f"storage {event.type}", context=extract_context(event.trace),
                  job_id=str(event.job_id), event_id=str(event.event_id)):
            await handlers(event)

    async def on_event(msg: KafkaMessage) -> None:
        if msg.headers.get("vidgen-type") in _NOT_MINE:
            # most of the topic: skipped without parsing, tracing or a database call
            await dispatcher.skip(msg)
            return
        body = msg.body
        await dispatcher.submit(msg, lambda: consumer.handle(body, topic, traced))

    broker.subscriber(topic, **subscriber_options(
        settings, group_id, ack_policy=AckPolicy.MANUAL, listener=dispatcher,
        session_timeout_ms=10_000,
        max_poll_interval_ms=MAX_POLL_INTERVAL_MS, max_poll_records=1,
        title="storage-events",
        description="JobAccepted → download; RenderFinished → upload and cleanup",
    ))(on_event)
