"""Every topic's messages become system_metrics rows and Prometheus series, each once."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import asyncpg
import pytest

from shared.events import (
    EventBase,
    JobAccepted,
    JobCancelled,
    JobCompleted,
    JobFailed,
    JobRejected,
    JobRequest,
    RenderFinished,
    RenderRequested,
    StepChanged,
)
from shared.kafka import publish_event

pytestmark = pytest.mark.timeout(90)


async def _wait_for_rows(db: asyncpg.Connection, expected: Counter[str], timeout: float = 40.0
                         ) -> Counter[str]:
    """Poll system_metrics until it holds at least `expected` rows per metric name."""
    deadline = time.monotonic() + timeout
    while True:
        rows = await db.fetch("SELECT metric_name, count(*) AS n FROM system_metrics "
                              "WHERE service = 'metrics' GROUP BY 1")
        seen = Counter({row["metric_name"]: row["n"] for row in rows})
        if all(seen[name] >= n for name, n in expected.items()):
            return seen
        assert time.monotonic() < deadline, f"rows so far {dict(seen)}, expected {expected}"
        await asyncio.sleep(0.1)


async def test_every_topic_lands_in_system_metrics_and_prometheus(service, db) -> None:
    await db.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    topics = service.settings.topics
    job, failed_job = uuid4(), uuid4()
    t0 = datetime.now(UTC) - timedelta(minutes=1)
    before = {status: await service.prometheus("vidgen_jobs_finished_total", {"status": status})
              for status in ("completed", "failed", "rejected", "cancelled")}
    download_before = await service.prometheus("vidgen_step_duration_seconds_count",
                                               {"step": "download"})

    completed = JobCompleted(job_id=job, result_url="http://results/x", bucket="b", key="k",
                             file_size=10, duration=2.0)
    failed = JobFailed(job_id=failed_job, step="download", error_code="source_unreachable",
                       error_message="connection refused")
    sends: list[tuple[str, EventBase]] = [
        (topics.events, JobAccepted(job_id=job, spec={})),
        (topics.events, StepChanged(job_id=job, step="download", state="started", occurred_at=t0)),
        (topics.events, StepChanged(job_id=job, step="download", state="completed",
                                    occurred_at=t0 + timedelta(seconds=2.5))),
        (topics.render, RenderRequested(job_id=job, spec={}, assets=[])),
        (topics.events, StepChanged(job_id=job, step="encoding", state="completed",
                                    worker_id="w1",
                                    details={"duration_seconds": 4.0, "speed": 2.0})),
        (topics.events, RenderFinished(job_id=job, bucket="b", key="k", size=1, duration=2.0,
                                       render_seconds=1.0, worker_id="w1")),
        (topics.events, completed),
        (topics.events, completed),  # redelivered: counted once
        (topics.events, failed),
        (topics.events, JobRejected(job_id=uuid4(), errors=[{"path": "output",
                                                             "message": "bad"}])),
        (topics.events, JobCancelled(job_id=uuid4())),
    ]
    for topic, event in sends:
        await publish_event(service.producer, topic, event)
    await service.producer.publish(JobRequest(job={"elements": []}).model_dump(mode="json"),
                                   topic=topics.requests)
    await service.producer.publish(b"\x00 not an event", topic=topics.events, key=job.bytes)
    await service.producer.publish(b'{"broken json', topic=topics.requests,
                                   headers={"content-type": "application/json"})
    await service.producer.publish(
        failed.model_dump(mode="json"), topic=topics.dead_letter,
        headers={"vidgen-source-topic": topics.render, "vidgen-consumer": "render",
                 "vidgen-error": "boom", "vidgen-attempts": "3"},
    )
    # Same key as the duplicate and after it: once this is stored, the duplicate was seen.
    await publish_event(service.producer, topics.events,
                        StepChanged(job_id=job, step="cleanup", state="completed"))

    seen = await _wait_for_rows(db, Counter({
        "events_total": 13, "invalid_messages_total": 2, "dlq_messages_total": 1,
        "job_completed_total": 1, "job_failed_total": 1, "step_duration_seconds": 2,
    }))
    assert seen["events_total"] == 13
    assert seen["job_completed_total"] == 1
    assert seen["invalid_messages_total"] == 2
    rows = await db.fetch("SELECT * FROM system_metrics WHERE service = 'metrics'")
    by_type = Counter((r["labels"]["topic"], r["labels"]["type"])
                      for r in rows if r["metric_name"] == "events_total")
    assert by_type[(topics.events, "job.completed")] == 1
    assert by_type[(topics.events, "step.changed")] == 4
    assert by_type[(topics.render, "render.requested")] == 1
    assert by_type[(topics.requests, "job.request")] == 1
    assert by_type[(topics.dead_letter, "job.failed")] == 1
    assert {r["instance"] for r in rows} == {"metrics-test"}

    def one(name: str) -> list[asyncpg.Record]:
        return [r for r in rows if r["metric_name"] == name]

    durations = {r["labels"]["step"]: r for r in one("step_duration_seconds")}
    assert durations["download"]["metric_value"] == pytest.approx(2.5)
    assert durations["download"]["recorded_at"] == t0 + timedelta(seconds=2.5)
    assert durations["encoding"]["metric_value"] == pytest.approx(4.0)
    [speed] = one("render_speed")
    assert (speed["metric_value"], speed["labels"], speed["unit"]) == (2.0, {"worker": "w1"}, "x")
    [failure] = one("job_failed_total")
    assert failure["labels"] == {"error_code": "source_unreachable", "status": "failed",
                                 "step": "download"}
    [dead] = one("dlq_messages_total")
    assert dead["labels"] == {"source_topic": topics.render, "consumer": "render"}
    assert sorted(r["labels"]["topic"] for r in one("invalid_messages_total")) == sorted(
        [topics.events, topics.requests])
    assert await db.fetchval(
        "SELECT count(*) FROM processed_events WHERE consumer = 'metrics'") == 15

    prom = service.prometheus
    assert await prom("vidgen_events_total", {"topic": topics.events, "type": "job.completed"}) == 1
    assert await prom("vidgen_invalid_messages_total", {"topic": topics.events}) == 1
    assert await prom("vidgen_invalid_messages_total", {"topic": topics.requests}) == 1
    assert await prom("vidgen_dlq_messages_total", {"source_topic": topics.render}) == 1
    for status, moved in {"completed": 1, "failed": 1, "rejected": 1, "cancelled": 1}.items():
        after = await prom("vidgen_jobs_finished_total", {"status": status})
        assert after - before[status] == moved, status
    after = await prom("vidgen_step_duration_seconds_count", {"step": "download"})
    assert after - download_before == 1
    assert await prom("vidgen_http_requests_total",
                      {"service": "metrics", "route": "/metrics", "status": "200"}) >= 1
