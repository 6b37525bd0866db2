"""Lifecycle events from the broker projected into jobs and processing_timeline."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID, uuid4

import pytest

from shared.events import JobCompleted, JobFailed, StepChanged
from tests.integration.ingest.harness import Ingest, eventually

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(60)]

SPEC: dict[str, Any] = {
    "elements": [{"type": "image", "source": "https://media.example.com/a.png"}],
    "response": "async",
}


async def new_job(ingest: Ingest, **extra: Any) -> UUID:
    answer = await ingest.client.post("/v1/jobs", json={**SPEC, **extra})
    assert answer.status_code == 202, answer.text
    return UUID(answer.json()["job_id"])


async def timeline(ingest: Ingest, job_id: UUID) -> list[tuple[Any, ...]]:
    rows = await ingest.pool.fetch(
        """SELECT step::text, attempt, worker_id, success, completed_at IS NOT NULL AS closed,
                  progress, error_code
           FROM processing_timeline WHERE job_id = $1 ORDER BY id""", job_id)
    return [tuple(row.values()) for row in rows]


async def test_steps_and_completion_move_the_job(ingest: Ingest) -> None:
    job_id = await new_job(ingest)
    events = ingest.settings.topics.events
    await ingest.publish(events, StepChanged(job_id=job_id, step="download", state="started",
                                             worker_id="storage-1", producer="storage"))

    async def processing() -> Any:
        job = await ingest.job(job_id)
        return job if job and job["status_text"] == "processing" else None

    job = await eventually(processing, what="the job to start processing")
    assert job["current_step"] == "download"
    assert job["worker_id"] == "storage-1"
    assert job["started_at"] is not None
    assert job["attempts"] == 1

    for event in (
        StepChanged(job_id=job_id, step="download", state="completed", progress=25,
                    producer="storage"),
        StepChanged(job_id=job_id, step="encoding", state="started", worker_id="render-7",
                    producer="render"),
        StepChanged(job_id=job_id, step="encoding", state="progress", progress=60,
                    producer="render"),
    ):
        await ingest.publish(events, event)

    async def progressed() -> Any:
        job = await ingest.job(job_id)
        return job if job and job["progress_percentage"] == 60 else None

    job = await eventually(progressed, what="progress 60")
    assert (job["current_step"], job["worker_id"]) == ("encoding", "render-7")
    assert await timeline(ingest, job_id) == [
        ("validation", 1, None, True, True, 100, None),
        ("download", 1, "storage-1", True, True, 25, None),
        ("encoding", 1, "render-7", None, False, 60, None),
    ]

    await ingest.publish(events, StepChanged(job_id=job_id, step="encoding", state="completed",
                                             progress=90, producer="render"))
    await ingest.publish(events, JobCompleted(
        job_id=job_id, producer="storage", result_url=f"http://results/v1/results/{job_id}",
        bucket="vidgen", key=f"videos/2024-01-01/{job_id}/out.mp4", file_size=12345,
        duration=10.0))

    async def completed() -> Any:
        job = await ingest.job(job_id)
        return job if job and job["status_text"] == "completed" else None

    job = await eventually(completed, what="the job to complete")
    assert job["result_url"] == f"http://results/v1/results/{job_id}"
    assert (job["s3_bucket"], job["s3_key"]) == ("vidgen", f"videos/2024-01-01/{job_id}/out.mp4")
    assert job["file_size"] == 12345
    assert job["progress_percentage"] == 100
    assert job["completed_at"] is not None
    assert job["processing_time_ms"] is not None
    assert (await timeline(ingest, job_id))[-1] == ("encoding", 1, "render-7", True, True, 90,
                                                    None)
    answer = (await ingest.client.get(f"/v1/jobs/{job_id}")).json()
    assert answer["status"] == "completed"
    assert answer["result_url"] == job["result_url"]


async def test_a_redelivered_event_changes_nothing(ingest: Ingest) -> None:
    job_id = await new_job(ingest)
    events = ingest.settings.topics.events
    started = StepChanged(job_id=job_id, step="download", state="started", producer="storage")
    await ingest.publish(events, started)
    await ingest.publish(events, StepChanged(job_id=job_id, step="download", state="completed",
                                             producer="storage"))
    await ingest.publish(events, started)  # the same event_id again
    # A later event of the same job (same key, same partition) shows that the redelivery
    # ahead of it was handled.
    await ingest.publish(events, StepChanged(job_id=job_id, step="processing", state="started",
                                             progress=35, producer="render"))

    async def sentinel() -> Any:
        job = await ingest.job(job_id)
        return job if job and job["progress_percentage"] == 35 else None

    await eventually(sentinel, what="the sentinel event")
    assert [row[:5] for row in await timeline(ingest, job_id)] == [
        ("validation", 1, None, True, True),
        ("download", 1, None, True, True),
        ("processing", 1, None, None, False),
    ]
    seen = await ingest.pool.fetchval(
        "SELECT count(*) FROM processed_events WHERE consumer = 'ingest-projection' "
        "AND event_id = $1", started.event_id)
    assert seen == 1


async def test_failure_ends_the_job_and_later_outcomes_are_ignored(ingest: Ingest) -> None:
    job_id = await new_job(ingest)
    published = [
        StepChanged(job_id=job_id, step="download", state="started", producer="storage"),
        JobFailed(job_id=job_id, step="download", producer="storage",
                  error_code="source_unreachable", error_message="connection refused"),
        # completed after failed is not an allowed transition: ignored, not a crash
        JobCompleted(job_id=job_id, producer="storage", result_url="http://x", bucket="b",
                     key="k", file_size=1, duration=1.0),
        JobFailed(job_id=job_id, step="upload", producer="storage", error_code="later",
                  error_message="ignored"),
    ]
    for event in published:
        await ingest.publish(ingest.settings.topics.events, event)
    await eventually(lambda: ingest.pool.fetchval(
        "SELECT count(*) = 4 FROM processed_events WHERE consumer = 'ingest-projection' "
        "AND event_id = ANY($1::uuid[])", [event.event_id for event in published]),
        what="all four events handled")
    job = await ingest.job(job_id)
    assert job is not None
    assert job["status_text"] == "failed"
    assert (job["error_code"], job["error_message"]) == ("source_unreachable",
                                                         "connection refused")
    assert job["current_step"] == "download"
    assert job["result_url"] is None
    assert await timeline(ingest, job_id) == [
        ("validation", 1, None, True, True, 100, None),
        ("download", 1, None, False, True, None, "source_unreachable"),
    ]


async def test_a_step_started_after_the_cancel_opens_nothing(ingest: Ingest) -> None:
    """A render worker's StepChanged(started) can cross the user's cancel; the cancel closed
    the job's open steps, and a step opened after it would stay open for ever."""
    job_id = await new_job(ingest)
    cancel = await ingest.client.delete(f"/v1/jobs/{job_id}")
    assert cancel.status_code == 200, cancel.text
    late = [
        StepChanged(job_id=job_id, step="processing", state="started", producer="render",
                    worker_id="render-1"),
        StepChanged(job_id=job_id, step="processing", state="progress", producer="render",
                    worker_id="render-1", progress=40),
    ]
    for event in late:
        await ingest.publish(ingest.settings.topics.events, event)
    await eventually(lambda: ingest.pool.fetchval(
        "SELECT count(*) = 2 FROM processed_events WHERE consumer = 'ingest-projection' "
        "AND event_id = ANY($1::uuid[])", [event.event_id for event in late]),
        what="both late events handled")
    job = await ingest.job(job_id)
    assert job is not None
    assert job["status_text"] == "cancelled"
    assert all(closed for *_, closed, _progress, _code in await timeline(ingest, job_id))
    assert "processing" not in [row[0] for row in await timeline(ingest, job_id)]


async def test_timeout_of_a_job_that_never_started_is_a_failure(ingest: Ingest) -> None:
    job_id = await new_job(ingest)
    await ingest.publish(ingest.settings.topics.events, JobFailed(
        job_id=job_id, step="download", producer="reaper", error_code="stalled",
        error_message="no progress", status="timeout"))

    async def ended() -> Any:
        job = await ingest.job(job_id)
        return job if job and job["status_text"] != "pending" else None

    job = await eventually(ended, what="the job to end")
    assert job["status_text"] == "failed"  # pending -> timeout is not a transition
    assert job["error_code"] == "stalled"


async def test_events_of_unknown_jobs_are_ignored(ingest: Ingest) -> None:
    ghost = uuid4()
    event = StepChanged(job_id=ghost, step="download", state="started", producer="storage")
    await ingest.publish(ingest.settings.topics.events, event)
    await eventually(lambda: ingest.pool.fetchval(
        "SELECT count(*) FROM processed_events WHERE event_id = $1", event.event_id),
        what="the event to be handled")
    assert await ingest.pool.fetchval(
        "SELECT count(*) FROM processing_timeline WHERE job_id = $1", ghost) == 0
    assert await ingest.job(ghost) is None


async def test_an_event_the_database_refuses_is_dead_lettered_and_fails_the_job(
        ingest: Ingest) -> None:
    job_id = await new_job(ingest)
    bad = JobCompleted(job_id=job_id, producer="storage", result_url="http://x", bucket="b",
                       key="k", file_size=-1, duration=1.0)  # jobs.file_size >= 0
    await ingest.publish(ingest.settings.topics.events, bad)
    dead = await ingest.messages(
        ingest.settings.topics.dead_letter,
        lambda r: r.value is not None and str(bad.event_id).encode() in r.value)
    headers = dict(dead[0].headers)
    assert headers["vidgen-consumer"] == b"ingest-projection"
    assert b"file_size" in headers["vidgen-error"]

    async def failed() -> Any:
        job = await ingest.job(job_id)
        return job if job and job["status_text"] == "failed" else None

    job = await eventually(failed, what="the job to fail")
    assert job["error_code"] == "invalid_event"
    assert job["result_url"] is None


async def test_a_split_renders_slices_show_in_the_timeline(ingest: Ingest) -> None:
    """Slice events of a split render (progress events with a slice's state) land in the
    encoding step's details, one entry per slice, the latest state winning."""
    job_id = await new_job(ingest)
    events = ingest.settings.topics.events
    slice_events = [
        ({"slice": 0, "kind": "video", "slice_state": "rendering", "renders": 1}),
        ({"slice": 1, "kind": "video", "slice_state": "rendering", "renders": 1}),
        ({"slice": 0, "kind": "video", "slice_state": "done", "seconds": 1.5}),
        ({"slice": 1, "kind": "video", "slice_state": "retried", "renders": 2}),
        ({"slice": 2, "kind": "audio", "slice_state": "done", "seconds": 0.4}),
    ]
    await ingest.publish(events, StepChanged(job_id=job_id, step="encoding", state="started",
                                             worker_id="render-1", producer="render"))
    for details in slice_events:
        await ingest.publish(events, StepChanged(job_id=job_id, step="encoding",
                                                 state="progress", producer="render",
                                                 worker_id="render-1", details=details))

    async def slices() -> Any:
        details = await ingest.pool.fetchval(
            "SELECT details FROM processing_timeline WHERE job_id = $1 AND step = 'encoding'",
            job_id)
        got = (json.loads(details) if isinstance(details, str) else details or {}).get(
            "slices", {})
        return got if got.get("2", {}).get("state") == "done" else None

    assert await eventually(slices, what="the slices in the timeline") == {
        "0": {"state": "done", "kind": "video", "seconds": 1.5},
        "1": {"state": "retried", "kind": "video", "renders": 2},
        "2": {"state": "done", "kind": "audio", "seconds": 0.4},
    }
