"""The storage HTTP API on real Postgres and S3: asset uploads and result URLs."""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest
import pytest_asyncio

from services.storage.app import create_app
from services.storage.context import StorageContext
from services.storage.download import Downloader
from services.storage.fetch import FetchLimits, SafeFetcher
from services.storage.settings import StorageSettings
from shared.db.pool import create_pool
from tests.integration.storage.rows import insert_job

pytestmark = pytest.mark.timeout(60)

CLIENT_IP = "81.2.69.160"  # a public address (allocated to GB), as the app sees the client


@dataclass
class Api:
    client: httpx.AsyncClient
    ctx: StorageContext
    pool: asyncpg.Pool

    async def access_logs(self, job_id: UUID, count: int) -> list[asyncpg.Record]:
        """The job's url_access_logs rows, once `count` of them were written."""
        deadline = time.monotonic() + 10
        while True:
            rows = await self.pool.fetch(
                "SELECT * FROM url_access_logs WHERE job_id = $1 ORDER BY id", job_id)
            if len(rows) >= count:
                return rows
            assert time.monotonic() < deadline, f"only {len(rows)} access log rows"
            await asyncio.sleep(0.05)


@pytest_asyncio.fixture
async def api(platform: StorageSettings) -> AsyncIterator[Api]:
    app = create_app(platform, consume=False)
    async with app.router.lifespan_context(app):
        pool = await create_pool(platform.database_url, max_size=2)
        transport = httpx.ASGITransport(app=app, client=(CLIENT_IP, 40000))
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://storage") as client:
                yield Api(client, app.state.storage, pool)
        finally:
            await pool.close()


async def test_upload_assets(api: Api, media: dict[str, Path]) -> None:
    data = media["clip.mp4"].read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    response = await api.client.post("/v1/assets", params={"filename": "clip.mp4"},
                                     content=data, headers={"Content-Type": "video/mp4"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["source"] == f"asset:{digest}"
    assert (body["sha256"], body["size"], body["content_type"]) == (digest, len(data), "video/mp4")
    assert (body["probe"]["width"], body["probe"]["height"]) == (160, 120)
    assert body["probe"]["has_audio"] is True
    stored = await api.ctx.s3.get_object(Bucket=api.ctx.settings.s3_bucket,
                                         Key=f"assets/{digest}")
    assert await stored["Body"].read() == data
    row = await api.pool.fetchrow("SELECT * FROM asset_cache WHERE sha256 = $1", digest)
    assert row["source_url"] == "upload:clip.mp4"
    assert row["size_bytes"] == len(data)

    # the same bytes again (streamed, without Content-Length): stored once
    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(data), 1000):
            yield data[start:start + 1000]

    again = await api.client.post("/v1/assets", content=chunks())
    assert again.status_code == 201
    assert again.json()["sha256"] == digest
    uploads = await api.pool.fetch(
        "SELECT job_id, success, file_size FROM storage_operations WHERE s3_key = $1",
        f"assets/{digest}")
    assert [(r["job_id"], r["success"], r["file_size"]) for r in uploads] == \
        [(None, True, len(data))]

    font = await api.client.post("/v1/assets", content=media["font.ttf"].read_bytes())
    assert font.status_code == 201
    assert font.json()["probe"]["font"] == "truetype"

    subtitles = await api.client.post("/v1/assets", params={"filename": "talk.vtt"},
                                      content=b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n")
    assert subtitles.status_code == 201, subtitles.text
    assert (subtitles.json()["content_type"], subtitles.json()["probe"]) == (
        "text/vtt", {"subtitles": 1, "format": "webvtt"})

    # an uploaded asset is used by reference: no fetch, its cache row is the asset
    spec = {"elements": [{"type": "video", "source": body["source"]}]}
    async with api.pool.acquire() as conn:
        job_id = await insert_job(conn, spec)
    fetcher = SafeFetcher(FetchLimits(max_bytes=1, total_timeout=1))
    [asset] = await Downloader(api.pool, api.ctx.store, fetcher).run(job_id, spec)
    assert (asset.source, asset.key, asset.size) == (body["source"], f"assets/{digest}", len(data))
    element = await api.pool.fetchrow("SELECT * FROM elements WHERE job_id = $1", job_id)
    assert element["processing_status"] == "ready"
    assert element["asset_sha256"] == digest
    assert element["source_width"] == 160


@pytest.mark.parametrize(("content", "status", "error"), [
    (b"<html><body>hello</body></html>", 415, "source_not_media"),
    (b"#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n", 415, "source_not_media"),
    (b"\x00\x00\x00\x18ftypisom" + b"\x00" * 100, 415, "source_not_media"),  # no real mp4
    (b"1\n00:00:01,000 --> 00:00:02,000\n\n", 415, "source_not_media"),  # a cue without text
    (b"", 400, "empty_body"),
])
async def test_upload_rejects(api: Api, content: bytes, status: int, error: str) -> None:
    response = await api.client.post("/v1/assets", content=content)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert await api.pool.fetchval("SELECT count(*) FROM asset_cache") == 0


@pytest.mark.parametrize("announced", [True, False])
async def test_upload_size_cap(api: Api, announced: bool) -> None:
    size = api.ctx.settings.max_source_bytes + 1

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(size // 65536 + 1):
            yield b"\x00" * 65536

    content: Any = b"\x00" * size if announced else chunks()
    response = await api.client.post("/v1/assets", content=content)
    assert response.status_code == 413
    assert response.json()["error"] == "source_too_large"
    assert await api.pool.fetchval("SELECT count(*) FROM storage_operations") == 0


async def _completed_job(api: Api, data: bytes) -> tuple[UUID, str]:
    bucket = api.ctx.settings.s3_bucket
    async with api.pool.acquire() as conn:
        job_id = await insert_job(conn, {"elements": []})
    key = f"videos/2030-01-02/{job_id}/video.mp4"
    await api.ctx.s3.put_object(Bucket=bucket, Key=key, Body=data, ContentType="video/mp4")
    await api.ctx.s3.put_object(Bucket=bucket, Key=key.replace(".mp4", ".jpg"),
                                Body=b"\xff\xd8\xffjpeg", ContentType="image/jpeg")
    await api.pool.execute(  # what ingest projects from JobCompleted
        "UPDATE jobs SET status = 'completed', s3_bucket = $2, s3_key = $3 WHERE id = $1",
        job_id, bucket, key)
    return job_id, key


async def test_results_are_streamed_and_logged(api: Api, media: dict[str, Path]) -> None:
    data = media["clip.mp4"].read_bytes()
    job_id, key = await _completed_job(api, data)
    url = f"/v1/results/{job_id}"
    headers = {"User-Agent": "player/1.0", "Referer": "https://example.org/page"}

    whole = await api.client.get(url, headers=headers)
    assert whole.status_code == 200
    assert whole.content == data
    assert whole.headers["content-type"] == "video/mp4"
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-length"] == str(len(data))

    part = await api.client.get(url, headers={**headers, "Range": "bytes=10-19"})
    assert part.status_code == 206
    assert part.content == data[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(data)}"
    tail = await api.client.get(url, headers={"Range": "bytes=-5"})
    assert (tail.status_code, tail.content) == (206, data[-5:])
    beyond = await api.client.get(url, headers={"Range": f"bytes={len(data)}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{len(data)}"

    head = await api.client.head(url)
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == str(len(data))

    moved = await api.client.get(url, params={"redirect": "1"})
    assert moved.status_code == 302
    location = moved.headers["location"]
    assert location.startswith(api.ctx.settings.s3_endpoint_url or "")
    assert key in location
    assert "Signature" in location

    poster = await api.client.get(f"{url}/poster")
    assert (poster.status_code, poster.content) == (200, b"\xff\xd8\xffjpeg")

    rows = await api.access_logs(job_id, 7)
    seen = [(r["access_type"], r["response_status"], r["bytes_served"]) for r in rows]
    assert sorted(seen) == sorted([
        ("download", 200, len(data)), ("stream", 206, 10), ("stream", 206, 5),
        ("stream", 416, 0), ("head", 200, 0), ("redirect", 302, 0), ("download", 200, 7)])
    first = rows[[r["bytes_served"] for r in rows].index(len(data))]
    assert str(first["client_ip"]) == CLIENT_IP
    assert first["user_agent"] == "player/1.0"
    assert first["referer"] == "https://example.org/page"
    assert first["response_time_ms"] >= 0
    geo_available = importlib.util.find_spec("iptocc") is not None or bool(
        api.ctx.settings.geoip_db)
    assert first["country_code"] == ("GB" if geo_available else None)


async def test_unknown_and_unfinished_jobs_are_not_found(api: Api) -> None:
    unknown = await api.client.get(f"/v1/results/{uuid4()}")
    assert unknown.status_code == 404
    async with api.pool.acquire() as conn:
        pending = await insert_job(conn, {"elements": []}, status="pending")
    response = await api.client.get(f"/v1/results/{pending}")
    assert response.status_code == 404
    assert "pending" in response.json()["detail"]
    [row] = await api.access_logs(pending, 1)
    assert (row["access_type"], row["response_status"]) == ("download", 404)
    assert (await api.client.get("/v1/results/not-a-uuid")).status_code == 422


async def test_readiness_without_consumer(api: Api) -> None:
    ready = await api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "storage": "ok"}
