"""The metrics service's own Prometheus series (process-wide: one registry per process)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import Counter, Gauge, Histogram

from services.metrics.samples import Sample

__all__ = [
    "ALERT_ACTIVE",
    "CONSUMER_LAG",
    "DLQ_MESSAGES",
    "EVENTS",
    "INVALID_MESSAGES",
    "JOBS_ACTIVE",
    "JOBS_FINISHED",
    "JOBS_STALLED",
    "RENDER_SPEED",
    "STEP_DURATION",
    "WRITE_FAILURES",
    "apply",
]

EVENTS = Counter("vidgen_events_total", "Messages consumed, by topic and event type",
                 ["topic", "type"])
JOBS_FINISHED = Counter("vidgen_jobs_finished_total",
                        "Jobs that reached an end state (completed, failed, timeout, ...)",
                        ["status"])
DLQ_MESSAGES = Counter("vidgen_dlq_messages_total", "Messages dead-lettered, by source topic",
                       ["source_topic"])
STEP_DURATION = Histogram(
    "vidgen_step_duration_seconds", "Duration of completed processing steps", ["step"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
)
INVALID_MESSAGES = Counter("vidgen_invalid_messages_total",
                           "Messages that were not a known event, by topic", ["topic"])
WRITE_FAILURES = Counter("vidgen_metrics_write_failures_total",
                         "Messages whose metrics could not be stored after retries")
ALERT_ACTIVE = Gauge("vidgen_alert_active", "1 while an alert rule is firing", ["alert"])
RENDER_SPEED = Histogram(
    "vidgen_render_speed_ratio", "FFmpeg speed of finished encodes (media seconds per second)",
    buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64),
)
JOBS_ACTIVE = Gauge("vidgen_jobs_active", "Jobs not finished yet, by status (the backlog)",
                    ["status"])
JOBS_STALLED = Gauge("vidgen_jobs_stalled",
                     "Active jobs without progress for VIDGEN_STALL_AFTER seconds")
CONSUMER_LAG = Gauge("vidgen_kafka_consumer_lag_messages",
                     "Messages a consumer group has not committed yet, by topic",
                     ["group", "topic"])


_FINISHED = {"job_completed_total": "completed", "job_cancelled_total": "cancelled",
             "job_rejected_total": "rejected"}


def _finished(sample: Sample) -> None:
    JOBS_FINISHED.labels(sample.labels.get("status") or _FINISHED[sample.name]).inc(sample.value)


_APPLY: dict[str, Callable[[Sample], None]] = {
    "events_total": lambda s: EVENTS.labels(s.labels["topic"], s.labels["type"]).inc(s.value),
    "invalid_messages_total": lambda s: INVALID_MESSAGES.labels(s.labels["topic"]).inc(s.value),
    "dlq_messages_total": lambda s: DLQ_MESSAGES.labels(s.labels["source_topic"]).inc(s.value),
    "step_duration_seconds": lambda s: STEP_DURATION.labels(s.labels["step"]).observe(s.value),
    "render_speed": lambda s: RENDER_SPEED.observe(s.value),
    "job_failed_total": _finished,
    **dict.fromkeys(_FINISHED, _finished),
}


def apply(samples: Iterable[Sample]) -> None:
    """Mirror stored samples into this process's Prometheus series."""
    for sample in samples:
        update = _APPLY.get(sample.name)
        if update is not None:
            update(sample)
