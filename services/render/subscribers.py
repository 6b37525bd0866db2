"""The render topic's subscriber: the fleet's work queue, one job at a time per worker.

The options common to every consumer group come from `shared.consumer.subscriber_options`;
the ones below are the render's own.

Consumer settings, and why:

- group `render`, offsets committed only after the handler returned: a worker that dies
  mid-render leaves the message to the next owner of its partition. `EventConsumer` turns
  every failure of the work into a dead letter and JobFailed; what still escapes it (the
  broker refusing even those) is nacked (NACK_ON_ERROR), not committed, so it comes back;
- `max_poll_interval_ms` above the longest a delivery can take (every attempt rendering up
  to the render timeout, plus transfers): aiokafka leaves the group when the application
  has not asked for a message for that long, and a render is minutes;
- heartbeats run in the background, so a short session timeout detects a killed worker
  within seconds without ever expiring during a long render;
- `max_poll_records=1` and one handler at a time: a worker renders one job at once;
- the sticky assignor keeps partitions, and the renders in flight on them, where they are
  when workers join or leave;
- bodies reach `EventConsumer` as raw bytes, so even undecodable ones are dead-lettered.

A rebalance does not stop a render in flight (aiokafka rejoins in the background). If it
moved that render's partition, the new owner starts the same message from the committed
offset; both renders publish the same event ids and staging key, and the later one stops
as soon as its StatusWatch sees the job completed.
"""

from __future__ import annotations

import logging
from typing import Any

from aiokafka import ConsumerRebalanceListener, TopicPartition
from aiokafka.coordinator.assignors.sticky.sticky_assignor import StickyPartitionAssignor
from faststream import AckPolicy
from faststream.exceptions import NackMessage
from faststream.kafka import KafkaBroker, KafkaMessage

from services.render.metrics import RenderMetrics
from services.render.worker import Interrupted, RenderWorker
from shared.consumer import EventConsumer, subscriber_options
from shared.settings import PlatformSettings

__all__ = [
    "GROUP",
    "SESSION_TIMEOUT_MS",
    "AssignmentTracker",
    "max_poll_interval_ms",
    "register",
]

log = logging.getLogger(__name__)

GROUP = "render"
SESSION_TIMEOUT_MS = 6_000  # Kafka's default group.min.session.timeout.ms
TRANSFER_MARGIN_S = 900.0  # downloads, probing and uploads around one render
_MAX_INT32 = 2**31 - 1


def max_poll_interval_ms(render_timeout: float, max_attempts: int) -> int:
    """Longest one delivery may keep the worker away from polling, with every retry."""
    return min(_MAX_INT32, int((render_timeout + TRANSFER_MARGIN_S) * max_attempts * 1000))


class AssignmentTracker(ConsumerRebalanceListener):  # type: ignore[misc]
    """Knows which partitions this worker owns (a gauge for dashboards, a fact for tests)."""

    def __init__(self, metrics: RenderMetrics) -> None:
        self.metrics = metrics
        self.partitions: frozenset[TopicPartition] = frozenset()

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        self.partitions = self.partitions - revoked
        self.metrics.partitions.set(len(self.partitions))

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        self.partitions = frozenset(assigned)
        self.metrics.partitions.set(len(self.partitions))
        log.info("render partitions assigned: %s", sorted(tp.partition for tp in assigned))


def _own_sticky_assignor() -> type[StickyPartitionAssignor]:
    """aiokafka keeps the sticky assignor's memory (the previous assignment) on the class:
    a subclass per consumer keeps workers that share a process from mixing theirs up."""
    return type("RenderStickyAssignor", (StickyPartitionAssignor,), {})


def register(broker: KafkaBroker, settings: PlatformSettings, *, consumer: EventConsumer,
             worker: RenderWorker, tracker: AssignmentTracker, poll_interval_ms: int,
             group_id: str = GROUP) -> None:
    """Subscribe `worker` to the render topic on `broker` (before the broker starts)."""
    topic = settings.topics.render

    async def on_render(body: bytes, message: KafkaMessage) -> None:
        try:
            await consumer.handle(body, topic, worker.process)
        except Interrupted:
            # Shutting down: fetch nothing more, and leave this message uncommitted.
            kafka: Any = message.consumer  # the subscriber's AIOKafkaConsumer
            kafka.pause(*kafka.assignment())
            raise NackMessage from None

    broker.subscriber(topic, **subscriber_options(
        settings, group_id,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        max_poll_interval_ms=poll_interval_ms,
        max_poll_records=1,
        session_timeout_ms=SESSION_TIMEOUT_MS,
        partition_assignment_strategy=(_own_sticky_assignor(),),
        listener=tracker,
        title="render-requests",
        description="RenderRequested: render a composition, publish RenderFinished",
    ))(on_render)
