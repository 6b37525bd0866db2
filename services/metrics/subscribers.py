"""One consumer in group `metrics` on every topic: each record goes to the Recorder.

One subscriber for all four topics means one group membership and one rebalance. Offsets
are committed after the handler returned, i.e. after the samples are stored; the handler
never raises, so a bad message can neither crash the consumer nor be redelivered forever.
"""

from __future__ import annotations

from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from services.metrics.decode import Message
from services.metrics.recorder import Recorder
from shared.events import Topics
from shared.telemetry import extract_context, span

__all__ = ["GROUP", "register"]

GROUP = "metrics"


async def _raw(message: StreamMessage[object]) -> bytes:
    """Hand the body over undecoded: a body that claims to be JSON and is not must reach
    the handler (to be counted as invalid) instead of failing inside FastStream."""
    return message.body


def register(broker: KafkaBroker, recorder: Recorder, topics: Topics, *,
             group_id: str = GROUP, fetch_max_wait_ms: int = 500) -> None:
    """Subscribe `recorder` to every topic; call before the broker starts."""

    @broker.subscriber(
        *topics.all(), group_id=group_id, ack_policy=AckPolicy.ACK,
        auto_offset_reset="earliest", session_timeout_ms=6_000, heartbeat_interval_ms=1_000,
        max_poll_interval_ms=300_000, fetch_max_wait_ms=fetch_max_wait_ms, decoder=_raw,
    )
    async def on_message(msg: KafkaMessage) -> None:
        record = msg.raw_message
        assert not isinstance(record, tuple), "subscribed one record at a time"
        message = Message(topic=record.topic, partition=record.partition, offset=record.offset,
                          timestamp_ms=record.timestamp, body=msg.body,
                          headers=dict(msg.headers))
        with span("metrics.consume", context=extract_context(message.headers),
                  topic=message.topic, partition=message.partition, offset=message.offset):
            await recorder.record(message)
