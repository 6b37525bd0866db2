"""services.metrics: what each kind of message becomes (decode + samples), in-process."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from services.metrics.decode import Message, decode
from services.metrics.samples import StepClock, samples_for
from shared.events import JobFailed, StepChanged, Topics

TOPICS = Topics(prefix="t")


def _message(topic: str, body: bytes, offset: int = 7, **headers: str) -> Message:
    return Message(topic=topic, partition=1, offset=offset, timestamp_ms=1_700_000_000_000,
                   body=body, headers=headers)


def _event(event: StepChanged | JobFailed, topic: str = TOPICS.events) -> Message:
    return _message(topic, event.model_dump_json().encode())


def test_garbage_is_invalid_with_a_stable_id_per_record() -> None:
    first = decode(_message(TOPICS.events, b"\xff\x00"), TOPICS)
    again = decode(_message(TOPICS.events, b"\xff\x00"), TOPICS)
    other = decode(_message(TOPICS.events, b"\xff\x00", offset=8), TOPICS)
    assert first.kind == "invalid" and first.dedup_id == again.dedup_id != other.dedup_id
    [sample] = samples_for(first, StepClock())
    assert (sample.name, sample.labels) == ("invalid_messages_total", {"topic": TOPICS.events})


def test_a_request_is_keyed_by_its_id_when_it_has_one() -> None:
    request_id = uuid4()
    with_id = decode(_message(TOPICS.requests, json.dumps(
        {"request_id": str(request_id), "job": {}}).encode()), TOPICS)
    without = decode(_message(TOPICS.requests, b'{"job": {}}'), TOPICS)
    assert (with_id.kind, with_id.type, with_id.dedup_id) == ("request", "job.request", request_id)
    assert without.dedup_id == _message(TOPICS.requests, b"").coordinates_id
    assert decode(_message(TOPICS.requests, b'{"jobs": 1}'), TOPICS).kind == "invalid"


def test_a_dead_letter_is_counted_by_source_even_when_unreadable() -> None:
    failed = JobFailed(job_id=uuid4(), step="download", error_code="e", error_message="m")
    readable = decode(_message(TOPICS.dead_letter, failed.model_dump_json().encode(),
                               **{"vidgen-source-topic": TOPICS.render}), TOPICS)
    assert (readable.kind, readable.type, readable.job_id) == ("dead_letter", "job.failed",
                                                               failed.job_id)
    assert readable.dedup_id != failed.event_id  # one event may be dead-lettered twice
    garbage = decode(_message(TOPICS.dead_letter, b"\x00"), TOPICS)
    names = {s.name: s.labels for s in samples_for(garbage, StepClock())}
    assert names == {"events_total": {"topic": TOPICS.dead_letter, "type": "unknown"},
                     "dlq_messages_total": {"source_topic": "unknown", "consumer": "unknown"}}


def test_step_durations_from_details_or_from_the_started_event() -> None:
    clock, job, t0 = StepClock(), uuid4(), datetime(2026, 1, 1, tzinfo=UTC)

    def samples(**fields: object) -> dict[str, float]:
        obs = decode(_event(StepChanged(job_id=job, **fields)), TOPICS)
        return {s.name: s.value for s in samples_for(obs, clock) if s.name != "events_total"}

    assert samples(step="processing", state="started", occurred_at=t0) == {}
    assert samples(step="processing", state="completed",
                   occurred_at=t0 + timedelta(seconds=3)) == {"step_duration_seconds": 3.0}
    assert samples(step="upload", state="completed", details={"duration_ms": 1500}) == {
        "step_duration_seconds": 1.5}
    assert samples(step="upload", state="completed", occurred_at=t0 + timedelta(seconds=2),
                   details={"started_at": t0.isoformat()}) == {"step_duration_seconds": 2.0}
    assert samples(step="encoding", state="completed",
                   details={"duration": 10, "render_seconds": 4}) == {"render_speed": 2.5}
    assert samples(step="download", state="completed", details={"duration_seconds": "x"}) == {}


def test_progress_reports_do_not_end_a_step() -> None:
    clock, job, t0 = StepClock(), uuid4(), datetime(2026, 1, 1, tzinfo=UTC)

    def samples(state: str, seconds: float, **fields: object) -> dict[str, float]:
        event = StepChanged(job_id=job, step="encoding", state=state,
                            occurred_at=t0 + timedelta(seconds=seconds), **fields)
        return {s.name: s.value for s in samples_for(decode(_event(event), TOPICS), clock)
                if s.name != "events_total"}

    assert samples("started", 0) == {}
    assert samples("progress", 1, progress=40, details={"speed": 2.0}) == {}
    assert samples("completed", 4, details={"speed": 2.5}) == {
        "step_duration_seconds": 4.0, "render_speed": 2.5}


def test_the_step_clock_forgets_the_oldest() -> None:
    clock, t0 = StepClock(capacity=2), datetime(2026, 1, 1, tzinfo=UTC)
    keys = [(uuid4(), "download", 1) for _ in range(3)]
    for key in keys:
        clock.start(key, t0)
    assert clock.stop(keys[0], t0) is None
    assert clock.stop(keys[2], t0 + timedelta(seconds=1)) == 1.0
