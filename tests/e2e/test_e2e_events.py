"""Server-sent events across two ingest replicas: the platform's ingest and a second ingest
process (same Postgres, broker and consumer groups, its own port). A change written by
either one reaches the streams of both (Postgres LISTEN/NOTIFY), and a stream resumes on
the other replica from its Last-Event-ID without losing or repeating anything."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
import httpx
import pytest

from shared.access import keys
from shared.devstack.processes import ManagedProcess, OutputSink
from shared.testing.brokers import LOOPBACK, free_ports
from shared.testing.s3 import RunningS3
from tests.e2e.platform import JOB_TIMEOUT, Platform
from tests.e2e.sse import Sse, open_stream

STEPS = ["validation", "download", "processing", "composition", "encoding", "upload",
         "cleanup"]
KEEPALIVE = 0.5  # the second replica's VIDGEN_SSE_KEEPALIVE
_COMPONENT_VARS = ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "S3_ENDPOINT_URL")


def text_spec(label: str) -> dict[str, Any]:
    """A job without sources: a caption on a background colour, about a second to render."""
    return {
        "output": {"format": "mp4", "width": 320, "height": 180, "fps": 24, "duration": 1.5,
                   "background": "#1d3557", "quality": {"preset": "ultrafast"}},
        "elements": [{"id": "caption", "type": "text", "text": label, "font_size": 24}],
        "response": "async",
    }


@pytest.fixture(scope="module")
def replica(platform: Platform, e2e_s3: RunningS3,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second ingest replica of the platform; its base URL."""
    (port,) = free_ports(1)
    url = f"http://{LOOPBACK}:{port}"
    env = {k: v for k, v in os.environ.items() if k not in _COMPONENT_VARS}
    env.update(e2e_s3.env)
    env.update({
        "DATABASE_URL": platform.dsn, "KAFKA_BOOTSTRAP_SERVERS": platform.bootstrap,
        "VIDGEN_TOPIC_PREFIX": platform.prefix,
        "VIDGEN_KAFKA_IDEMPOTENCE": "false" if platform.broker_kind == "tansu" else "true",
        "VIDGEN_API_HOST": LOOPBACK, "VIDGEN_API_PORT": str(port), "VIDGEN_PUBLIC_URL": url,
        "VIDGEN_RESULTS_URL": platform.storage, "VIDGEN_INSTANCE_ID": "e2e-ingest-2",
        "VIDGEN_SSE_KEEPALIVE": str(KEEPALIVE), "PYTHONUNBUFFERED": "1",
    })
    log_path: Path = tmp_path_factory.mktemp("replica") / "ingest-2.log"
    with log_path.open("w", encoding="utf-8") as log:
        process = ManagedProcess("ingest-2", [sys.executable, "-m", "services.ingest"],
                                 env=env, sink=OutputSink(log, colour=False),
                                 ready_url=f"{url}/readyz")
        process.start()
        try:
            process.wait_ready(120)
            yield url
        finally:
            process.stop(10)


@pytest.fixture(scope="module")
def admin_key(platform: Platform) -> str:
    """An admin API key: the all-jobs stream is for operators."""
    async def issue() -> str:
        conn = await asyncpg.connect(platform.dsn)
        try:
            async with conn.transaction():
                issued = await keys.create_key(conn, name="e2e events", role="admin",
                                               owner="tests")
        finally:
            await conn.close()
        return issued.key

    return asyncio.run(issue())


async def submit(http: httpx.AsyncClient, api: str, label: str) -> str:
    response = await http.post(f"{api}/v1/jobs", json=text_spec(label))
    assert response.status_code == 202, response.text
    job_id: str = response.json()["job_id"]
    return job_id


def of_job(job_id: str) -> Any:
    return lambda event: event.data.get("job_id") == job_id


def identity(event: Sse) -> tuple[Any, ...]:
    """What an event says: the same thing said twice is a duplicate."""
    if event.event == "step":
        return ("step", event.data["id"], event.data["state"])
    if event.event in ("status", "progress"):
        data = event.data
        return ("state", data["status"], data["current_step"], data["progress"],
                data["attempts"])
    return (event.event,)


async def timeline_ids(platform: Platform, job_id: str) -> list[int]:
    rows = await platform.query(
        "SELECT id FROM processing_timeline WHERE job_id = $1::uuid ORDER BY id", job_id)
    return [row["id"] for row in rows]


async def assert_complete_story(platform: Platform, job_id: str, events: list[Sse]) -> None:
    """Every step in order, each said once per state, ending completed at 100%."""
    said = [identity(event) for event in events]
    assert len(said) == len(set(said)), f"an event was sent twice: {said}"
    steps = [event.data for event in events if event.event == "step"]
    finished = [step["step"] for step in steps if step["state"] != "started"]
    assert finished == STEPS, steps
    assert all(step["state"] == "completed" for step in steps if step["state"] != "started")
    assert sorted({step["id"] for step in steps}) == await timeline_ids(platform, job_id)
    states = [event.data for event in events if event.event in ("status", "progress")]
    progress = [state["progress"] for state in states]
    assert progress == sorted(progress), f"progress went backwards: {progress}"
    assert states[-1]["status"] == "completed" and states[-1]["progress"] == 100, states[-1]
    assert events[-1].event == "end", events[-1]
    assert events[-1].data["status"] == "completed" and events[-1].data["result_url"]
    ids = [event.id for event in events]
    assert all(ids), "every event has an id"


async def test_a_client_of_one_replica_sees_a_job_submitted_through_the_other(
        platform: Platform, replica: str, admin_key: str) -> None:
    async with httpx.AsyncClient() as http, \
            open_stream(http, f"{replica}/v1/events", key=admin_key) as admin:
        await admin.comment(timeout=10 * KEEPALIVE)  # subscribed (and kept alive)
        job_id = await submit(http, platform.api, "two replicas")
        first = (await admin.until(of_job(job_id), timeout=30, what="the new job"))[-1]
        assert first.event == "created", first  # live: the job did not exist before
        async with open_stream(http, f"{replica}/v1/jobs/{job_id}/events") as stream:
            events = await stream.rest(timeout=JOB_TIMEOUT)
        changes = await admin.until(
            lambda e: of_job(job_id)(e) and e.data["status"] == "completed",
            timeout=30, what="the admin stream's completion")
    await assert_complete_story(platform, job_id, events)
    opening = next(e.data for e in events if e.event == "status")
    assert opening["status"] != "completed", "the stream should have followed the job live"
    assert any(e.event == "progress" for e in changes), "admin: progress while it ran"


async def test_a_stream_resumes_on_the_other_replica_without_gaps_or_repeats(
        platform: Platform, replica: str) -> None:
    async with httpx.AsyncClient() as http:
        job_id = await submit(http, replica, "resumed")
        async with open_stream(http, f"{platform.api}/v1/jobs/{job_id}/events") as stream:
            before = await stream.until(lambda e: e.event == "step", timeout=30,
                                        what="a first step")
        seen = {identity(e)[1] for e in before if e.event == "step"}

        async def moved_on() -> list[int]:
            return [row for row in await timeline_ids(platform, job_id) if row not in seen]

        await platform.poll(moved_on, bool, what="a step while the client was away")
        async with open_stream(http, f"{replica}/v1/jobs/{job_id}/events",
                               last_event_id=before[-1].id) as stream:
            after = await stream.rest(timeout=JOB_TIMEOUT)
        assert after[0].id != before[-1].id
        await assert_complete_story(platform, job_id, before + after)

        # once the job has ended, a fresh client gets the same story replayed (here at the
        # earlier version's path of the same stream)
        async with open_stream(http, f"{platform.api}/api/v1/video/job/{job_id}/subscribe"
                               ) as stream:
            replayed = await stream.rest(timeout=30)
        final = {identity(e) for e in replayed if e.event == "step"}
        assert final == {identity(e) for e in before + after
                         if e.event == "step" and e.data["state"] != "started"}
        assert replayed[-1].event == "end"


async def test_idle_streams_get_keepalive_comments(replica: str, admin_key: str) -> None:
    async with httpx.AsyncClient() as http, \
            open_stream(http, f"{replica}/v1/events", key=admin_key) as admin:
        for _ in range(3):
            await admin.comment(timeout=10 * KEEPALIVE)
        assert admin.comments >= 3


async def test_unknown_jobs_are_404_before_any_stream(replica: str) -> None:
    async with httpx.AsyncClient() as http:
        for job_id in (uuid4(), "not-a-job"):
            for path in (f"/v1/jobs/{job_id}/events", f"/api/v1/video/job/{job_id}/subscribe"):
                response = await http.get(f"{replica}{path}")
                assert response.status_code == 404, response.text
                assert response.headers["content-type"].startswith("application/json")


async def test_the_all_jobs_stream_is_for_admins_only(replica: str) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{replica}/v1/events")
        assert response.status_code == 403, response.text
