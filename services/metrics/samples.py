"""From a decoded message to `system_metrics` samples.

Counter samples are increments (value 1 per message): `sum(metric_value)` over a window and
labels is the count, whichever instance wrote them. A sample is stamped with the time of
what it measures (the event's `occurred_at`, else the record's timestamp), so a replayed
log lands at the right time.

Step durations come from `StepChanged(completed).details` (`duration_seconds`,
`duration_ms` or an ISO `started_at`), else from the `started` event of the same job, step
and attempt seen by this instance. `render_speed` (x realtime) comes from
`StepChanged(encoding, completed).details`: `speed`, or `duration` / `render_seconds`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from services.metrics.decode import Observation
from shared.events import (
    JobCancelled,
    JobCompleted,
    JobFailed,
    JobRejected,
    RenderFinished,
    StepChanged,
)

__all__ = ["MetricType", "Sample", "StepClock", "samples_for"]

MetricType = Literal["gauge", "counter", "histogram", "summary"]


@dataclass(frozen=True)
class Sample:
    """One system_metrics row."""

    name: str
    value: float
    labels: Mapping[str, str] = field(default_factory=dict)
    type: MetricType = "counter"
    unit: str | None = None
    at: datetime | None = None  # None: now
    alert_threshold: float | None = None
    is_alert: bool = False


StepKey = tuple[UUID, str, int]


class StepClock:
    """When each (job, step, attempt) started, as this instance saw it; bounded, oldest out.

    Events are keyed by job id, so one instance sees both ends of a step unless the group
    rebalanced in between; then `details` has to carry the duration.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._started: OrderedDict[StepKey, datetime] = OrderedDict()

    def start(self, key: StepKey, at: datetime) -> None:
        self._started[key] = at
        self._started.move_to_end(key)
        while len(self._started) > self.capacity:
            self._started.popitem(last=False)

    def stop(self, key: StepKey, at: datetime) -> float | None:
        started = self._started.pop(key, None)
        return None if started is None else max(0.0, (at - started).total_seconds())


def samples_for(obs: Observation, clock: StepClock) -> list[Sample]:
    if obs.kind == "invalid":
        return [Sample("invalid_messages_total", 1, {"topic": obs.topic}, at=obs.at)]
    samples = [Sample("events_total", 1, {"topic": obs.topic, "type": obs.type}, at=obs.at)]
    if obs.kind == "dead_letter":
        headers = obs.message.headers
        labels = {"source_topic": headers.get("vidgen-source-topic", "unknown"),
                  "consumer": headers.get("vidgen-consumer", "unknown")}
        samples.append(Sample("dlq_messages_total", 1, labels, at=obs.at))
    event = obs.event
    if isinstance(event, StepChanged):
        samples += _step_samples(event, clock)
    elif isinstance(event, JobFailed):
        labels = {"error_code": event.error_code, "status": event.status, "step": event.step}
        samples.append(Sample("job_failed_total", 1, labels, at=obs.at))
    elif isinstance(event, JobCompleted):
        samples.append(Sample("job_completed_total", 1, at=obs.at))
    elif isinstance(event, JobCancelled):
        samples.append(Sample("job_cancelled_total", 1, at=obs.at))
    elif isinstance(event, JobRejected):
        samples.append(Sample("job_rejected_total", 1, at=obs.at))
    elif isinstance(event, RenderFinished):
        samples.append(Sample("render_seconds", event.render_seconds, {"worker": event.worker_id},
                              "histogram", "seconds", obs.at))
    return samples


def _step_samples(event: StepChanged, clock: StepClock) -> list[Sample]:
    key = (event.job_id, event.step, event.attempt)
    if event.state == "started":
        clock.start(key, event.occurred_at)
        return []
    if event.state == "progress":  # the step goes on: keep its start for the end
        return []
    elapsed = clock.stop(key, event.occurred_at)
    if event.state != "completed":
        return []
    samples = []
    duration = _duration(event.details, event.occurred_at)
    duration = elapsed if duration is None else duration
    if duration is not None:
        samples.append(Sample("step_duration_seconds", duration, {"step": event.step},
                              "histogram", "seconds", event.occurred_at))
    speed = _speed(event.details) if event.step == "encoding" else None
    if speed is not None:
        labels = {"worker": event.worker_id} if event.worker_id else {}
        samples.append(Sample("render_speed", speed, labels, "gauge", "x", event.occurred_at))
    return samples


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value >= 0 else None


def _duration(details: Mapping[str, Any], ended: datetime) -> float | None:
    seconds = _number(details.get("duration_seconds"))
    if seconds is not None:
        return seconds
    millis = _number(details.get("duration_ms"))
    if millis is not None:
        return millis / 1000
    started = details.get("started_at")
    if isinstance(started, str):
        try:
            begin = datetime.fromisoformat(started)
            return max(0.0, (ended - begin).total_seconds())
        except (ValueError, TypeError):  # not ISO, or naive vs aware
            return None
    return None


def _speed(details: Mapping[str, Any]) -> float | None:
    speed = _number(details.get("speed"))
    if speed is not None:
        return speed
    media, wall = _number(details.get("duration")), _number(details.get("render_seconds"))
    return media / wall if media is not None and wall else None
