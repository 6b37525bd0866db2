"""One consumer in group `metrics` on every topic: each record goes to the Recorder.

One subscriber for all four topics means one group membership and one rebalance. Offsets
are committed after the handler returned, i.e. after the samples are stored; the handler
never raises, so a bad message can neither crash the consumer nor be redelivered forever.
Bodies arrive undecoded (`shared.consumer.raw_body`): one that claims to be JSON and is not
must reach the Recorder, to be counted as invalid, instead of failing inside FastStream.
"""

from __future__ import annotations

from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from services.metrics.decode import Message
from services.metrics.recorder import Recorder
from shared.consumer import subscriber_options
from shared.settings import PlatformSettings
from shared.telemetry import extract_context, span

__all__ = ["GROUP", "register"]

GROUP = "metrics"


def register(broker: KafkaBroker, recorder: Recorder, settings: PlatformSettings, *,
             group_id: str = GROUP) -> None:
    """Subscribe `recorder` to every topic; call before the broker starts."""

    async def on_message(msg: KafkaMessage) -> None:
        record = msg.raw_message
        assert not isinstance(record, tuple), "subscribed one record at a time"
        message = Message(topic=record.topic, partition=record.partition, offset=record.offset,
                          timestamp_ms=record.timestamp, body=msg.body,
                          headers=dict(msg.headers))
        with span("metrics.consume", context=extract_context(message.headers),
                  topic=message.topic, partition=message.partition, offset=message.offset):
            await recorder.record(message)

    broker.subscriber(*settings.topics.all(), **subscriber_options(settings, group_id))(
        on_message)
