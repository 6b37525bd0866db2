"""Kafka plumbing shared by the services: broker factory, topics at start-up, headers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, TopicAlreadyExistsError
from faststream.kafka import KafkaBroker

from shared.events import EventBase
from shared.settings import PlatformSettings
from shared.telemetry import inject_trace

__all__ = ["ensure_topics", "event_headers", "make_broker", "publish_event"]

log = logging.getLogger(__name__)


class _TopicsAreEnsured(logging.Filter):
    """Drops FastStream's "Auto create topics is disabled" warning, which every subscriber
    logs at start whenever auto-creation is off, whether or not its topics exist. Every
    service runs `ensure_topics` before it starts its broker (and `vidgen dev` before it
    starts any service), so for vidgen the warning is always spurious."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Auto create topics is disabled")


_TOPICS_ARE_ENSURED = _TopicsAreEnsured()


def make_broker(settings: PlatformSettings, client_id: str) -> KafkaBroker:
    """A FastStream broker for one service; acks=all and (unless turned off) idempotent
    producing."""
    logger = logging.getLogger(f"vidgen.{client_id}.kafka")
    logger.addFilter(_TOPICS_ARE_ENSURED)  # once: addFilter skips a filter already there
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=f"vidgen-{client_id}",
        acks="all",
        enable_idempotence=settings.kafka_idempotence,
        # aiokafka's 16 KiB default holds a dozen events with specs: a burst of sends then
        # waits on batch after batch (every waiter woken each time); 512 KiB stays well
        # under a broker's default 1 MiB message limit (a larger message gets its own batch)
        max_batch_size=min(512 * 1024, settings.kafka_max_message_bytes),
        # the one message limit intake checks jobs against (ingest's limits.event_problems)
        max_request_size=settings.kafka_max_message_bytes,
        allow_auto_create_topics=False,
        logger=logger,
        # "Received"/"Processed" for every message: DEBUG, or thousands of lines a second
        log_level=logging.DEBUG,
    )


async def ensure_topics(settings: PlatformSettings, *, attempts: int = 30) -> None:
    """Create every topic with the configured partitions (existing ones are left alone)."""
    topics = [
        NewTopic(name, num_partitions=settings.topic_partitions,
                 replication_factor=settings.topic_replication)
        for name in settings.topics.all()
    ]
    for attempt in range(1, attempts + 1):
        admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap_servers)
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            missing = [topic for topic in topics if topic.name not in existing]
            if missing:
                with contextlib.suppress(TopicAlreadyExistsError):
                    await admin.create_topics(missing)
            return
        except KafkaConnectionError:
            if attempt == attempts:
                raise
            await asyncio.sleep(min(2.0, 0.1 * attempt))
        finally:
            await admin.close()


def event_headers(event: EventBase, **extra: str) -> dict[str, str]:
    """Headers every event carries: its type, version, producer and the trace context."""
    headers = {"vidgen-type": getattr(event, "type", ""), "vidgen-version": str(event.version),
               "vidgen-producer": event.producer}
    headers.update(event.trace)
    headers.update(extra)
    return headers


async def publish_event(broker: KafkaBroker, topic: str, event: EventBase, **extra: str) -> Any:
    """Publish keyed by job id, so one job's events stay in order on one partition.

    The event carries the current span's trace context (when there is one), so the
    consumer's span is its child and a job's spans form one trace across the services.
    """
    event = inject_trace(event)
    return await broker.publish(
        event.model_dump(mode="json"),
        topic=topic,
        key=event.partition_key,
        headers=event_headers(event, **extra),
    )
