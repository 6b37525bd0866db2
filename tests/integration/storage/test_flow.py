"""The storage service end to end: its consumer on the real broker, Postgres, S3 (moto).

JobAccepted → download → RenderRequested; RenderFinished → upload → JobCompleted → cleanup;
failures → JobFailed with an error code and the dead-letter topic; redeliveries change
nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4, uuid5

import asyncpg
import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from services.storage.app import create_app
from services.storage.settings import StorageSettings
from shared.db.pool import create_pool
from shared.events import JobAccepted, JobCancelled, RenderFinished
from tests.integration.storage.kafka_io import TopicReader, publish, wait_committed
from tests.integration.storage.rows import insert_job
from tests.integration.storage.servers import Servers

pytestmark = pytest.mark.timeout(120)


@dataclass
class Running:
    settings: StorageSettings
    app: FastAPI
    group: str
    pool: asyncpg.Pool
    events: TopicReader
    render: TopicReader
    dlq: TopicReader
    client: httpx.AsyncClient

    @property
    def bootstrap(self) -> str:
        return self.settings.kafka_bootstrap_servers

    @property
    def s3(self) -> Any:
        return self.app.state.storage.s3

    async def keys(self, prefix: str) -> list[str]:
        page = await self.s3.list_objects_v2(Bucket=self.settings.s3_bucket, Prefix=prefix)
        return sorted(item["Key"] for item in page.get("Contents", []))


@pytest_asyncio.fixture
async def service(platform: StorageSettings) -> AsyncIterator[Running]:
    group = f"storage-{uuid4().hex[:8]}"
    app = create_app(platform, group_id=group)
    async with app.router.lifespan_context(app):
        pool = await create_pool(platform.database_url, max_size=2)
        topics = platform.topics
        readers = [TopicReader(platform.kafka_bootstrap_servers, name, platform.topic_partitions)
                   for name in (topics.events, topics.render, topics.dead_letter)]
        for reader in readers:
            await reader.start()
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://storage") as client:
                yield Running(platform, app, group, pool, *readers, client)
        finally:
            for reader in readers:
                await reader.stop()
            await pool.close()


def _steps(service: Running, job_id: UUID) -> list[tuple[str, str]]:
    return [(m["step"], m["state"]) for m in service.events.of(job_id, "step.changed")]


async def test_job_accepted_to_completed(service: Running, servers: Servers,
                                         media: dict[str, Path]) -> None:
    spec = {
        "output": {"width": 320, "height": 240, "poster": {"time": 0.5}},
        "elements": [{"type": "video", "source": f"{servers.origin_url}/media/clip.mp4"},
                     {"type": "image", "source": f"{servers.origin_url}/media/logo.png"},
                     {"type": "text", "text": "hello"}],
        "metadata": {"name": "Summer Promo!"},
    }
    async with service.pool.acquire() as conn:
        job_id = await insert_job(conn, spec)
    accepted = JobAccepted(job_id=job_id, spec=spec, producer="ingest")
    events_topic = service.settings.topics.events
    await publish(service.bootstrap, events_topic, accepted)

    # download → RenderRequested with the cached assets
    await service.render.wait_for(lambda _: bool(service.render.of(job_id, "render.requested")))
    [request] = service.render.of(job_id, "render.requested")
    assert request["event_id"] == str(uuid5(job_id, "render.requested:1"))
    assert request["spec"] == spec
    assets = {asset["source"]: asset for asset in request["assets"]}
    assert set(assets) == {spec["elements"][0]["source"], spec["elements"][1]["source"]}
    clip = assets[spec["elements"][0]["source"]]
    assert clip["key"] == f"assets/{clip['sha256']}"
    assert clip["bucket"] == service.settings.s3_bucket
    assert clip["size"] == media["clip.mp4"].stat().st_size
    assert sorted(await service.keys("assets/")) == sorted(a["key"] for a in assets.values())
    await service.events.wait_for(lambda _: ("download", "completed") in _steps(service, job_id))
    assert _steps(service, job_id) == [("download", "started"), ("download", "completed")]
    started = service.events.of(job_id, "step.changed")[0]
    assert started["event_id"] == str(uuid5(job_id, "step.changed:download:started:1"))
    assert started["producer"] == "storage"
    assert await service.pool.fetchval(
        "SELECT count(*) FROM processed_events WHERE consumer = 'storage' AND event_id = $1",
        accepted.event_id) == 1
    statuses = await service.pool.fetch(
        "SELECT processing_status FROM elements WHERE job_id = $1 ORDER BY position", job_id)
    assert [row[0] for row in statuses] == ["ready", "ready", "pending"]

    # a redelivered JobAccepted is handled (committed) without doing anything again
    landed = await publish(service.bootstrap, events_topic, accepted)
    await wait_committed(service.bootstrap, service.group, landed)
    await service.render.drain()
    assert len(service.render.of(job_id, "render.requested")) == 1
    assert await service.pool.fetchval(
        "SELECT count(*) FROM storage_operations WHERE job_id = $1 AND operation = 'download'",
        job_id) == 2

    # the render fleet staged its output: upload → JobCompleted → cleanup
    bucket = service.settings.s3_bucket
    staged, poster = f"staging/{job_id}/1/output.mp4", f"staging/{job_id}/1/poster.jpg"
    video_bytes = media["clip.mp4"].read_bytes()
    await service.s3.put_object(Bucket=bucket, Key=staged, Body=video_bytes,
                                ContentType="video/mp4")
    await service.s3.put_object(Bucket=bucket, Key=poster, Body=b"\xff\xd8\xff poster",
                                ContentType="image/jpeg")
    finished = RenderFinished(job_id=job_id, bucket=bucket, key=staged, size=len(video_bytes),
                              duration=1.0, poster_key=poster, render_seconds=0.4,
                              worker_id="render-1", producer="render")
    await publish(service.bootstrap, events_topic, finished)
    await service.events.wait_for(lambda _: ("cleanup", "completed") in _steps(service, job_id))
    assert _steps(service, job_id)[2:] == [("upload", "started"), ("upload", "completed"),
                                           ("cleanup", "started"), ("cleanup", "completed")]
    [completed] = service.events.of(job_id, "job.completed")
    day = finished.occurred_at.astimezone(UTC).date()  # the day the render finished
    final = f"videos/{day:%Y-%m-%d}/{job_id}/summer-promo.mp4"
    assert completed == {
        **completed,
        "event_id": str(uuid5(job_id, "job.completed:1")),
        "result_url": f"http://storage.test/v1/results/{job_id}",
        "bucket": bucket, "key": final, "file_size": len(video_bytes), "duration": 1.0,
        "poster_url": f"http://storage.test/v1/results/{job_id}/poster",
    }
    stored = await service.s3.get_object(Bucket=bucket, Key=final)
    assert await stored["Body"].read() == video_bytes
    assert await service.keys(f"videos/{day:%Y-%m-%d}/{job_id}/") == \
        sorted([final, final.replace(".mp4", ".jpg")])
    assert await service.keys(f"staging/{job_id}/") == []
    operations = await service.pool.fetch(
        """SELECT operation::text, s3_key, success FROM storage_operations
           WHERE job_id = $1 AND operation IN ('upload', 'delete') AND s3_key NOT LIKE 'assets/%'
           ORDER BY id""", job_id)
    assert [(op["operation"], op["s3_key"], op["success"]) for op in operations] == [
        ("upload", final, True), ("upload", final.replace(".mp4", ".jpg"), True),
        ("delete", staged, True), ("delete", poster, True)]

    # a redelivered RenderFinished publishes nothing new
    landed = await publish(service.bootstrap, events_topic, finished)
    await wait_committed(service.bootstrap, service.group, landed)
    await service.events.drain()
    assert len(service.events.of(job_id, "job.completed")) == 1

    # health, readiness and metrics of the running service
    assert (await service.client.get("/healthz")).status_code == 200
    ready = await service.client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"database": "ok", "storage": "ok", "broker": "ok"}
    page = (await service.client.get("/metrics")).text
    assert 'vidgen_downloads_total{outcome="ok"}' in page
    assert 'vidgen_storage_bytes_total{direction="download"}' in page
    assert 'vidgen_storage_operation_seconds_bucket{le="0.01",operation="copy"}' in page


async def test_failures_and_cancellation(service: Running, servers: Servers) -> None:
    events_topic = service.settings.topics.events
    sources = {
        "source_forbidden": f"{servers.origin_url}/redirect/2?to={servers.canary_url}/a.mp4",
        "source_not_media": f"{servers.origin_url}/text/page.html",
    }
    jobs: dict[str, UUID] = {}
    for code, source in sources.items():
        spec = {"elements": [{"type": "image", "source": f"{servers.origin_url}/media/logo.png"},
                             {"type": "video", "source": source}]}
        async with service.pool.acquire() as conn:
            jobs[code] = await insert_job(conn, spec)
        await publish(service.bootstrap, events_topic,
                      JobAccepted(job_id=jobs[code], spec=spec, producer="ingest"))

    # a cancelled job's staging objects are removed
    cancelled = uuid4()
    bucket = service.settings.s3_bucket
    for name in ("output.mp4", "poster.jpg"):
        await service.s3.put_object(Bucket=bucket, Key=f"staging/{cancelled}/2/{name}",
                                    Body=b"partial")
    await service.s3.put_object(Bucket=bucket, Key=f"staging/{uuid4()}/1/output.mp4",
                                Body=b"another job's")
    await publish(service.bootstrap, events_topic, JobCancelled(job_id=cancelled))

    def failed(messages: list[dict[str, Any]]) -> bool:
        return all(service.events.of(job, "job.failed") for job in jobs.values())

    await service.events.wait_for(failed)
    for code, job_id in jobs.items():
        [failure] = service.events.of(job_id, "job.failed")
        assert failure["error_code"] == code
        assert failure["step"] == "download"
        assert failure["error_message"].startswith("elements[1].source: ")
        assert _steps(service, job_id) == [("download", "started"), ("download", "failed")]
    assert sum(servers.canary.hits.values()) == 0
    await service.dlq.wait_for(lambda messages: len(messages) >= 2)
    dead = {m["job_id"]: h for m, h in zip(service.dlq.messages, service.dlq.headers,
                                            strict=True)}
    assert set(dead) == {str(job) for job in jobs.values()}
    assert dead[str(jobs["source_forbidden"])]["vidgen-attempts"] == "1"
    assert "loopback" in dead[str(jobs["source_forbidden"])]["vidgen-error"]
    assert service.render.of(jobs["source_forbidden"], "render.requested") == []

    deadline = time.monotonic() + 30
    while await service.keys(f"staging/{cancelled}/"):
        assert time.monotonic() < deadline, "the cancelled job's staging objects stayed"
        await asyncio.sleep(0.1)
    assert len(await service.keys("staging/")) == 1, "other jobs' staging objects stay"
