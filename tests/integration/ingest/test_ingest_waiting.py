"""immediate/auto requests wait for their job (LISTEN job_status) and answer 200, or 202
when it takes too long; async ones answer 202 at once."""

from __future__ import annotations

import asyncio
import time
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from services.ingest.waiter import APPLICATION_NAME
from shared.events import JobCompleted
from tests.integration.ingest.harness import IMMEDIATE_WAIT, Ingest, eventually

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(60)]


def small(marker: str, response: str) -> dict[str, Any]:
    return {"output": {"width": 640, "height": 360},
            "elements": [{"type": "image", "source": "https://media.example.com/a.png"}],
            "response": response, "metadata": {"marker": marker}}


async def job_marked(ingest: Ingest, marker: str) -> UUID:
    async def probe() -> UUID | None:
        found: UUID | None = await ingest.pool.fetchval(
            "SELECT id FROM jobs WHERE metadata->>'marker' = $1", marker)
        return found

    return await eventually(probe, what=f"the job marked {marker}")


async def complete(ingest: Ingest, job_id: UUID) -> JobCompleted:
    event = JobCompleted(job_id=job_id, producer="storage",
                         result_url=f"http://results.test/v1/results/{job_id}", bucket="vidgen",
                         key=f"videos/2024-05-01/{job_id}/video.mp4", file_size=2048,
                         duration=10.0)
    await ingest.publish(ingest.settings.topics.events, event)
    return event


async def test_immediate_waits_for_completion_and_answers_200(ingest: Ingest) -> None:
    marker = uuid4().hex
    request = asyncio.create_task(ingest.client.post("/v1/jobs",
                                                     json=small(marker, "immediate")))
    job_id = await job_marked(ingest, marker)
    assert not request.done()  # it is waiting
    completed_at = time.monotonic()
    event = await complete(ingest, job_id)
    answer: httpx.Response = await asyncio.wait_for(request, IMMEDIATE_WAIT + 5)
    assert time.monotonic() - completed_at < IMMEDIATE_WAIT
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["job_id"], body["status"]) == (str(job_id), "completed")
    assert body["result_url"] == event.result_url
    assert body["file_size"] == 2048


async def test_immediate_that_takes_too_long_degrades_to_202(ingest: Ingest) -> None:
    started = time.monotonic()
    answer = await ingest.client.post("/v1/jobs", json=small(uuid4().hex, "immediate"))
    waited = time.monotonic() - started
    assert answer.status_code == 202
    assert answer.json()["status"] == "pending"
    assert IMMEDIATE_WAIT - 0.5 <= waited < IMMEDIATE_WAIT + 5


async def test_auto_with_a_long_estimate_answers_202_at_once(ingest: Ingest) -> None:
    big = {"output": {"width": 7680, "height": 4320},
           "elements": [{"type": "video", "source": f"https://media.example.com/{i}.mp4"}
                        for i in range(10)],
           "metadata": {"source_mb": 500}}  # response defaults to auto
    started = time.monotonic()
    answer = await ingest.client.post("/v1/jobs", json=big)
    assert time.monotonic() - started < IMMEDIATE_WAIT - 1
    assert answer.status_code == 202
    assert answer.json()["estimated_time_ms"] == 2000 + 8000 + 20000 + 12000
    assert answer.json()["response_type"] == "auto"


async def test_compat_auto_waits_and_answers_the_earlier_shape(ingest: Ingest) -> None:
    marker = f"compat-{uuid4().hex}"
    body = {"output_format": "mp4", "width": 640, "height": 360, "idempotency_key": marker,
            "elements": [{"id": "a", "type": "image", "source": "https://media.example.com/a.png",
                          "track": 1, "x": "0%", "y": "0%", "width": "100%",
                          "height": "100%", "fit_mode": "fill"}]}
    request = asyncio.create_task(ingest.client.post("/api/v1/videocreate", json=body))

    async def probe() -> UUID | None:
        found: UUID | None = await ingest.pool.fetchval(
            "SELECT id FROM jobs WHERE idempotency_key = $1", marker)
        return found

    job_id = await eventually(probe, what="the compat job")
    event = await complete(ingest, job_id)
    answer: httpx.Response = await asyncio.wait_for(request, IMMEDIATE_WAIT + 5)
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert set(result) == {"status", "job_id", "result_url", "file_size", "processing_time",
                           "message"}
    assert (result["status"], result["job_id"]) == ("completed", str(job_id))
    assert result["result_url"] == event.result_url
    assert result["file_size"] == 2048
    assert isinstance(result["processing_time"], int)


async def test_waiting_survives_a_lost_listener_connection(ingest: Ingest) -> None:
    find = ("SELECT pid FROM pg_stat_activity WHERE application_name = $1 "
            "AND datname = current_database()")
    old_pid = await ingest.pool.fetchval(find, APPLICATION_NAME)
    assert old_pid is not None
    assert await ingest.pool.fetchval("SELECT pg_terminate_backend($1)", old_pid)

    async def reconnected() -> int | None:
        pid: int | None = await ingest.pool.fetchval(find, APPLICATION_NAME)
        return pid if pid not in (None, old_pid) else None

    await eventually(reconnected, what="the listener to reconnect")
    marker = uuid4().hex
    request = asyncio.create_task(ingest.client.post("/v1/jobs",
                                                     json=small(marker, "immediate")))
    job_id = await job_marked(ingest, marker)
    await complete(ingest, job_id)
    answer: httpx.Response = await asyncio.wait_for(request, IMMEDIATE_WAIT + 5)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "completed"
