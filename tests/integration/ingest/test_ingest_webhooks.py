"""Completion webhooks: signed, retried, delivered to a loopback receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from uuid import UUID, uuid4

import pytest

from shared.events import JobCompleted, JobFailed, StepChanged
from tests.integration.ingest.harness import SECRET, Ingest, eventually

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(60)]


async def job_with_callback(ingest: Ingest, path: str) -> UUID:
    answer = await ingest.client.post("/v1/jobs", json={
        "elements": [{"type": "image", "source": "https://media.example.com/a.png"}],
        "response": "async", "callback_url": ingest.hooks.url + path,
        "metadata": {"order": "A-1"},
    })
    assert answer.status_code == 202, answer.text
    return UUID(answer.json()["job_id"])


def verified(headers: dict[str, str], body: bytes) -> dict[str, Any]:
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["x-vidgen-signature"] == f"sha256={expected}"
    assert abs(int(headers["x-vidgen-timestamp"]) - time.time()) < 60
    assert headers["content-type"] == "application/json"
    payload: dict[str, Any] = json.loads(body)
    return payload


async def test_completion_is_posted_signed_after_retries(ingest: Ingest) -> None:
    path = f"/done-{uuid4().hex}"
    ingest.hooks.fail_first[path] = 2  # two 503s, then accepted
    job_id = await job_with_callback(ingest, path)
    event = JobCompleted(job_id=job_id, producer="storage",
                         result_url=f"http://results.test/v1/results/{job_id}", bucket="vidgen",
                         key="videos/x.mp4", file_size=777, duration=3.5)
    await ingest.publish(ingest.settings.topics.events, event)

    calls = await eventually(
        lambda: _calls(ingest, path, 3), timeout=30, what="three delivery attempts")
    payloads = [verified(headers, body) for headers, body in calls]
    assert payloads[0] == payloads[-1]
    assert len({headers["x-vidgen-delivery"] for headers, _ in calls}) == 1
    assert payloads[-1] == {
        "event": "job.completed", "job_id": str(job_id), "status": "completed",
        "result_url": event.result_url, "file_size": 777, "duration": 3.5,
        "poster_url": None, "metadata": {"order": "A-1"},
        "occurred_at": event.occurred_at.isoformat(),
    }
    assert calls[-1][0]["x-vidgen-event"] == "job.completed"


async def test_failure_is_posted_once(ingest: Ingest) -> None:
    path = f"/failed-{uuid4().hex}"
    job_id = await job_with_callback(ingest, path)
    events = ingest.settings.topics.events
    await ingest.publish(events, StepChanged(job_id=job_id, step="encoding", state="started",
                                             producer="render"))
    failed = JobFailed(job_id=job_id, step="encoding", producer="render",
                       error_code="ffmpeg_error", error_message="exit 1", status="timeout")
    await ingest.publish(events, failed)
    await ingest.publish(events, failed)  # redelivered: no second webhook
    (headers, body), = await eventually(lambda: _calls(ingest, path, 1), what="the webhook")
    payload = verified(headers, body)
    assert (payload["status"], payload["error_code"], payload["step"]) == (
        "timeout", "ffmpeg_error", "encoding")
    job = await ingest.job(job_id)
    assert job is not None
    assert job["status_text"] == "timeout"
    # a later event of the job has been handled, so the duplicate was too
    marker = StepChanged(job_id=job_id, step="cleanup", state="completed", producer="storage")
    await ingest.publish(events, marker)
    await eventually(lambda: ingest.pool.fetchval(
        "SELECT count(*) FROM processed_events WHERE event_id = $1", marker.event_id),
        what="the later event")
    assert len(ingest.hooks.calls(path)) == 1


async def _calls(ingest: Ingest, path: str, count: int) -> list[tuple[dict[str, str], bytes]]:
    calls = ingest.hooks.calls(path)
    return calls if len(calls) >= count else []
