"""What a consumed Kafka message is, for the metrics service: never raises.

Each message gets a deduplication id for `processed_events`: an event's `event_id`, a
request's `request_id`, and otherwise (dead letters, garbage) a UUID derived from its
coordinates in the log (topic, partition, offset, timestamp), which a redelivery repeats.
Dead letters are not keyed by the event inside them: the same event may be dead-lettered
by several consumers, and each of those is its own message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import NAMESPACE_URL, UUID, uuid5

from pydantic import ValidationError

from shared.events import Event, JobRequest, Topics, parse_event

__all__ = ["Kind", "Message", "Observation", "decode"]

Kind = Literal["event", "request", "dead_letter", "invalid"]
_NAMESPACE = uuid5(NAMESPACE_URL, "vidgen:metrics:message")


@dataclass(frozen=True)
class Message:
    """A consumed record, as far as the metrics service cares."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def coordinates_id(self) -> UUID:
        return uuid5(_NAMESPACE, f"{self.topic}/{self.partition}/{self.offset}/{self.timestamp_ms}")

    @property
    def timestamp(self) -> datetime:
        if self.timestamp_ms is None or self.timestamp_ms < 0:
            return datetime.now(UTC)
        return datetime.fromtimestamp(self.timestamp_ms / 1000, UTC)


@dataclass(frozen=True)
class Observation:
    """A decoded message: what it is, its dedup id, and when it happened."""

    message: Message
    kind: Kind
    type: str
    dedup_id: UUID
    at: datetime
    job_id: UUID | None = None
    event: Event | None = None

    @property
    def topic(self) -> str:
        return self.message.topic


def decode(message: Message, topics: Topics) -> Observation:
    if message.topic == topics.dead_letter:
        return _dead_letter(message)
    if message.topic == topics.requests:
        return _request(message)
    try:
        event = parse_event(message.body)
    except (ValidationError, ValueError):
        return _invalid(message)
    return Observation(message, "event", event.type, event.event_id, event.occurred_at,
                       event.job_id, event)


def _request(message: Message) -> Observation:
    data = _json_object(message.body)
    try:
        request = JobRequest.model_validate(data)
    except ValidationError:
        return _invalid(message)
    # A request without its own id got a random one while parsing: the coordinates are
    # what a redelivery repeats.
    dedup = request.request_id if "request_id" in data else message.coordinates_id
    return Observation(message, "request", "job.request", dedup, message.timestamp)


def _dead_letter(message: Message) -> Observation:
    data = _json_object(message.body)
    kind = data.get("type")
    return Observation(
        message, "dead_letter", kind if isinstance(kind, str) and kind else "unknown",
        message.coordinates_id, message.timestamp, _uuid(data.get("job_id")),
    )


def _invalid(message: Message) -> Observation:
    return Observation(message, "invalid", "invalid", message.coordinates_id, message.timestamp,
                       _uuid(_json_object(message.body).get("job_id")))


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _uuid(value: Any) -> UUID | None:
    try:
        return UUID(str(value)) if value is not None else None
    except ValueError:
        return None
