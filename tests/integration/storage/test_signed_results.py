"""VIDGEN_SIGNED_RESULTS: the result URLs storage publishes carry an expiring signature, and
its results routes refuse (403) any request without a valid, unexpired one, so a job id
alone no longer opens a private video. Real broker, Postgres and S3."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest
import pytest_asyncio
from fastapi import FastAPI

from services.storage.app import create_app
from services.storage.settings import StorageSettings
from shared.db.pool import create_pool
from shared.events import RenderFinished
from shared.signed_results import ResultSigner
from tests.integration.storage.kafka_io import TopicReader, publish
from tests.integration.storage.rows import insert_job

pytestmark = pytest.mark.timeout(120)

SECRET = "results-secret-for-tests"
TTL = 3600


@dataclass
class Signed:
    settings: StorageSettings
    app: FastAPI
    pool: asyncpg.Pool
    events: TopicReader
    client: httpx.AsyncClient


@pytest_asyncio.fixture
async def signed(platform: StorageSettings) -> AsyncIterator[Signed]:
    settings = platform.model_copy(update={"signed_results": True, "results_secret": SECRET,
                                           "signed_results_ttl": TTL})
    app = create_app(settings, group_id=f"storage-{uuid4().hex[:8]}")
    async with app.router.lifespan_context(app):
        pool = await create_pool(settings.database_url, max_size=2)
        events = TopicReader(settings.kafka_bootstrap_servers, settings.topics.events,
                             settings.topic_partitions)
        await events.start()
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://storage") as client:
                yield Signed(settings, app, pool, events, client)
        finally:
            await events.stop()
            await pool.close()


async def _finished_render(signed: Signed, media: dict[str, Path]) -> tuple[UUID, bytes]:
    """A job whose render the fleet staged: storage publishes it and its JobCompleted."""
    async with signed.pool.acquire() as conn:
        job_id = await insert_job(conn, {"elements": [], "output": {"poster": {"time": 0}}})
    bucket, data = signed.settings.s3_bucket, media["clip.mp4"].read_bytes()
    staged, poster = f"staging/{job_id}/1/output.mp4", f"staging/{job_id}/1/poster.jpg"
    s3 = signed.app.state.storage.s3
    await s3.put_object(Bucket=bucket, Key=staged, Body=data, ContentType="video/mp4")
    await s3.put_object(Bucket=bucket, Key=poster, Body=b"\xff\xd8\xffjpeg",
                        ContentType="image/jpeg")
    await publish(signed.settings.kafka_bootstrap_servers, signed.settings.topics.events,
                  RenderFinished(job_id=job_id, bucket=bucket, key=staged, size=len(data),
                                 duration=1.0, poster_key=poster, render_seconds=0.1,
                                 worker_id="render-1", producer="render"))
    await signed.events.wait_for(lambda _: bool(signed.events.of(job_id, "job.completed")))
    return job_id, data


async def _completed_in_db(signed: Signed, job_id: UUID, key: str) -> None:
    await signed.pool.execute(  # what ingest projects from JobCompleted
        "UPDATE jobs SET status = 'completed', s3_bucket = $2, s3_key = $3 WHERE id = $1",
        job_id, signed.settings.s3_bucket, key)


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


async def test_published_urls_are_signed_and_nothing_else_opens_the_video(
        signed: Signed, media: dict[str, Path]) -> None:
    job_id, data = await _finished_render(signed, media)
    [completed] = signed.events.of(job_id, "job.completed")
    await _completed_in_db(signed, job_id, completed["key"])
    result, poster = urlsplit(completed["result_url"]), urlsplit(completed["poster_url"])
    assert result.path == f"/v1/results/{job_id}"
    assert poster.path == f"/v1/results/{job_id}/poster"
    query = parse_qs(result.query)
    assert set(query) == {"expires", "signature"} and poster.query == result.query
    assert time.time() + TTL - 60 < int(query["expires"][0]) <= time.time() + TTL

    video = await signed.client.get(_local(completed["result_url"]))
    assert (video.status_code, video.content) == (200, data)
    image = await signed.client.get(_local(completed["poster_url"]))
    assert (image.status_code, image.content) == (200, b"\xff\xd8\xffjpeg")
    ranged = await signed.client.get(_local(completed["result_url"]),
                                     headers={"Range": "bytes=0-9"})
    assert ranged.status_code == 206

    expires, signature = query["expires"][0], query["signature"][0]
    other = uuid4()
    refused = {
        "no signature": f"/v1/results/{job_id}",
        "poster, no signature": f"/v1/results/{job_id}/poster",
        "redirect, no signature": f"/v1/results/{job_id}?redirect=1",
        "expiry only": f"/v1/results/{job_id}?expires={expires}",
        "longer life": f"/v1/results/{job_id}?expires={int(expires) + 1}&signature={signature}",
        "tampered": f"/v1/results/{job_id}?expires={expires}&signature={signature[:-2]}AA",
        "not a time": f"/v1/results/{job_id}?expires=soon&signature={signature}",
        "another job": f"/v1/results/{other}?expires={expires}&signature={signature}",
    }
    for what, path in refused.items():
        answer = await signed.client.get(path, follow_redirects=False)
        assert answer.status_code == 403, (what, answer.status_code)
        assert answer.json()["error"] == "forbidden", what
        assert data not in answer.content
    head = await signed.client.head(f"/v1/results/{job_id}")
    assert head.status_code == 403


async def test_an_expired_signature_is_refused(signed: Signed, media: dict[str, Path]) -> None:
    async with signed.pool.acquire() as conn:
        job_id = await insert_job(conn, {"elements": []})
    key = f"videos/2030-01-02/{job_id}/video.mp4"
    s3 = signed.app.state.storage.s3
    await s3.put_object(Bucket=signed.settings.s3_bucket, Key=key, Body=b"video",
                        ContentType="video/mp4")
    await _completed_in_db(signed, job_id, key)
    signer = ResultSigner(SECRET, TTL)
    stale = signer.query(job_id, now=time.time() - TTL - 5)
    fresh = signer.query(job_id)
    expired = await signed.client.get(f"/v1/results/{job_id}?{stale}")
    assert expired.status_code == 403
    assert "expired" in expired.json()["detail"]
    redirect = await signed.client.get(f"/v1/results/{job_id}?redirect=1&{fresh}",
                                       follow_redirects=False)
    assert redirect.status_code == 302
    wrong_secret = ResultSigner("another secret", TTL).query(job_id)
    assert (await signed.client.get(f"/v1/results/{job_id}?{wrong_secret}")).status_code == 403


def test_signing_without_a_secret_refuses_to_start(platform: StorageSettings) -> None:
    with pytest.raises(ValueError, match="VIDGEN_RESULTS_SECRET"):
        create_app(platform.model_copy(update={"signed_results": True}))
