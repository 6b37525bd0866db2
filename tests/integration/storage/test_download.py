"""The download step against real Postgres, S3 (moto) and loopback origin servers."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import pytest_asyncio

from services.storage.assets import AssetStore
from services.storage.download import Downloader
from services.storage.fetch import FetchLimits, SafeFetcher
from services.storage.settings import StorageSettings
from shared.consumer import PermanentError
from shared.db.pool import create_pool
from shared.s3 import ensure_bucket, s3_client
from shared.settings import ReliabilitySettings
from tests.integration.storage.rows import insert_job
from tests.integration.storage.servers import Servers

pytestmark = pytest.mark.timeout(60)


@dataclass
class Rig:
    pool: asyncpg.Pool
    s3: Any
    bucket: str
    downloader: Downloader


@pytest_asyncio.fixture
async def rig(platform: StorageSettings, servers: Servers) -> AsyncIterator[Rig]:
    pool = await create_pool(platform.database_url)
    try:
        async with s3_client(platform, ReliabilitySettings()) as s3:
            await ensure_bucket(s3, platform.s3_bucket)
            store = AssetStore(pool, s3, platform.s3_bucket)
            fetcher = SafeFetcher(FetchLimits(max_bytes=platform.max_source_bytes,
                                              total_timeout=10, attempts=2, backoff=0.02),
                                  allowed_hosts=servers.allowed)
            yield Rig(pool, s3, platform.s3_bucket, Downloader(pool, store, fetcher))
    finally:
        await pool.close()


def _spec(base: str) -> dict[str, Any]:
    return {
        "output": {"width": 320, "height": 240},
        "elements": [
            {"type": "video", "source": f"{base}/media/clip.mp4"},
            {"type": "image", "source": f"{base}/chunked/logo.png", "width": "20%"},
            {"type": "audio", "source": f"{base}/media/tone.wav"},
            {"type": "overlay", "source": f"{base}/chunked/logo.png"},  # same source again
            {"type": "text", "text": "hi", "font": f"{base}/media/font.ttf"},
            {"type": "text", "text": "family", "font": "DejaVu Sans"},
        ],
    }


async def test_sources_enter_the_asset_cache(rig: Rig, servers: Servers,
                                             media: dict[str, Path]) -> None:
    spec = _spec(servers.origin_url)
    async with rig.pool.acquire() as conn:
        job_id = await insert_job(conn, spec)
    assets = await rig.downloader.run(job_id, spec)

    by_source = {asset.source: asset for asset in assets}
    assert list(by_source) == [spec["elements"][i].get("source") or spec["elements"][i]["font"]
                               for i in (0, 1, 2, 4)], "one asset per distinct source, in order"
    for name, source in (("clip.mp4", 0), ("logo.png", 1), ("tone.wav", 2), ("font.ttf", 4)):
        element = spec["elements"][source]
        asset = by_source[element.get("source") or element["font"]]
        data = media[name].read_bytes()
        assert asset.sha256 == hashlib.sha256(data).hexdigest()
        assert asset.key == f"assets/{asset.sha256}"
        assert asset.size == len(data)
        stored = await rig.s3.get_object(Bucket=rig.bucket, Key=asset.key)
        assert await stored["Body"].read() == data
    assert by_source[spec["elements"][0]["source"]].content_type == "video/mp4"
    assert by_source[spec["elements"][1]["source"]].content_type == "image/png"
    assert servers.origin.hits["/chunked/logo.png"] == 1, "a repeated source is fetched once"

    cache = {row["sha256"]: row for row in await rig.pool.fetch("SELECT * FROM asset_cache")}
    assert len(cache) == 4
    clip = cache[by_source[spec["elements"][0]["source"]].sha256]
    assert clip["probe"]["width"] == 160
    assert clip["probe"]["height"] == 120
    assert clip["probe"]["has_audio"] is True
    assert 0.9 < clip["probe"]["duration"] < 1.2
    assert clip["source_url"] == spec["elements"][0]["source"]

    elements = await rig.pool.fetch(
        "SELECT * FROM elements WHERE job_id = $1 ORDER BY position", job_id)
    assert [e["processing_status"] for e in elements] == \
        ["ready", "ready", "ready", "ready", "ready", "pending"]
    assert (elements[0]["source_width"], elements[0]["source_height"]) == (160, 120)
    assert 0.9 < float(elements[0]["source_duration"]) < 1.2
    assert (elements[1]["source_width"], elements[1]["source_height"]) == (64, 48)
    assert elements[1]["source_duration"] is None
    assert elements[3]["asset_sha256"] == elements[1]["asset_sha256"]
    assert elements[4]["asset_sha256"] == hashlib.sha256(media["font.ttf"].read_bytes()).hexdigest()

    operations = await rig.pool.fetch(
        "SELECT operation::text, success, file_size, s3_key, source_url, completed_at "
        "FROM storage_operations WHERE job_id = $1", job_id)
    downloads = [op for op in operations if op["operation"] == "download"]
    uploads = [op for op in operations if op["operation"] == "upload"]
    assert len(downloads) == 4
    assert len(uploads) == 4
    assert all(op["success"] and op["completed_at"] is not None for op in operations)
    assert {op["s3_key"] for op in uploads} == {f"assets/{a.sha256}" for a in assets}

    # The same content again (another job): fetched, but not stored a second time.
    async with rig.pool.acquire() as conn:
        second = await insert_job(conn, spec)
    again = await rig.downloader.run(second, spec)
    assert [a.sha256 for a in again] == [a.sha256 for a in assets]
    assert await rig.pool.fetchval(
        "SELECT count(*) FROM storage_operations WHERE job_id = $1 AND operation = 'upload'",
        second) == 0


@pytest.mark.parametrize(("route", "code", "index"), [
    ("text/page.html", "source_not_media", 1),
    ("text/list.m3u8", "source_not_media", 1),
    ("status/404", "source_unreachable", 1),
    ("big/9000000", "source_too_large", 1),
])
async def test_unusable_sources_fail_the_step_permanently(
        rig: Rig, servers: Servers, route: str, code: str, index: int) -> None:
    spec = {"elements": [{"type": "image", "source": f"{servers.origin_url}/media/logo.png"},
                         {"type": "video", "source": f"{servers.origin_url}/{route}"}]}
    async with rig.pool.acquire() as conn:
        job_id = await insert_job(conn, spec)
    with pytest.raises(PermanentError) as caught:
        await rig.downloader.run(job_id, spec)
    assert caught.value.code == code
    assert caught.value.step == "download"
    assert str(caught.value).startswith(f"elements[{index}].source: ")
    failed = await rig.pool.fetchrow(
        "SELECT processing_status, error_message FROM elements WHERE job_id = $1 "
        "AND position = $2", job_id, index)
    assert failed["processing_status"] == "failed"
    assert failed["error_message"] == str(caught.value)
    assert await rig.pool.fetchval(
        "SELECT count(*) FROM asset_cache WHERE source_url = $1",
        spec["elements"][1]["source"]) == 0


async def test_font_source_must_be_a_font(rig: Rig, servers: Servers) -> None:
    servers.origin.files["logo.ttf"] = servers.origin.files["logo.png"]  # a PNG named .ttf
    spec = {"elements": [{"type": "text", "text": "x",
                          "font": f"{servers.origin_url}/media/logo.ttf"}]}
    with pytest.raises(PermanentError) as caught:
        await rig.downloader.run(await _job(rig, spec), spec)
    assert caught.value.code == "source_not_media"
    assert str(caught.value).startswith("elements[0].font: not a font file")


async def test_a_font_tag_on_what_is_not_a_font_is_refused(rig: Rig, servers: Servers) -> None:
    servers.origin.files["fake.ttf"] = b"\x00\x01\x00\x00" + bytes(range(256)) * 8
    spec = {"elements": [{"type": "text", "text": "x",
                          "font": f"{servers.origin_url}/media/fake.ttf"}]}
    with pytest.raises(PermanentError) as caught:
        await rig.downloader.run(await _job(rig, spec), spec)
    assert caught.value.code == "source_not_media"
    assert "not a font file FreeType can read" in str(caught.value)


async def test_a_subtitle_source_enters_the_cache_parsed(rig: Rig, servers: Servers) -> None:
    servers.origin.files["talk.vtt"] = b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n"
    spec = {"elements": [{"type": "captions",
                          "source": f"{servers.origin_url}/media/talk.vtt"}]}
    [asset] = await rig.downloader.run(await _job(rig, spec), spec)
    assert (asset.content_type, asset.probe) == ("text/vtt", None)
    row = await rig.pool.fetchrow("SELECT probe FROM asset_cache WHERE sha256 = $1",
                                  asset.sha256)
    assert row["probe"] == {"subtitles": 1, "format": "webvtt"}


async def test_a_malformed_subtitle_source_is_refused_with_its_line(
        rig: Rig, servers: Servers) -> None:
    servers.origin.files["bad.srt"] = b"1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\nnope\n"
    spec = {"elements": [{"type": "captions",
                          "source": f"{servers.origin_url}/media/bad.srt"}]}
    with pytest.raises(PermanentError) as caught:
        await rig.downloader.run(await _job(rig, spec), spec)
    assert caught.value.code == "source_not_media"
    assert str(caught.value).startswith("elements[0].source: not a valid SRT or WebVTT file: "
                                        "line 6: expected a timing line")


async def test_a_subtitle_file_is_not_a_video(rig: Rig, servers: Servers) -> None:
    servers.origin.files["talk.srt"] = b"1\n00:00:01,000 --> 00:00:02,000\nHi\n"
    spec = {"elements": [{"type": "video", "source": f"{servers.origin_url}/media/talk.srt"}]}
    with pytest.raises(PermanentError) as caught:
        await rig.downloader.run(await _job(rig, spec), spec)
    assert caught.value.code == "source_not_media"


async def test_redirect_to_a_refused_address(rig: Rig, servers: Servers) -> None:
    source = f"{servers.origin_url}/redirect/2?to={servers.canary_url}/video.mp4"
    spec = {"elements": [{"type": "video", "source": source}]}
    with pytest.raises(PermanentError) as caught:
        await rig.downloader.run(await _job(rig, spec), spec)
    assert caught.value.code == "source_forbidden"
    assert "loopback" in str(caught.value)
    assert sum(servers.canary.hits.values()) == 0
    row = await rig.pool.fetchrow("SELECT success, error_message FROM storage_operations")
    assert row["success"] is False
    assert "loopback" in row["error_message"]


@pytest.mark.parametrize(("source", "code"), [
    ("asset:" + "0" * 64, "asset_not_found"),
    ("asset:not-a-digest", "asset_not_found"),
    ("file:///etc/passwd", "source_forbidden"),
    ("media/clip.mp4", "source_forbidden"),
])
async def test_sources_that_are_not_fetched(rig: Rig, source: str, code: str) -> None:
    spec = {"elements": [{"type": "video", "source": source}]}
    with pytest.raises(PermanentError) as caught:
        await rig.downloader.run(await _job(rig, spec), spec)
    assert caught.value.code == code


async def test_invalid_spec(rig: Rig) -> None:
    spec = {"elements": [{"type": "video"}]}
    with pytest.raises(PermanentError) as caught:
        await rig.downloader.run(await _job(rig, {"elements": []}), spec)
    assert caught.value.code == "invalid_spec"
    assert "elements[0].source" in str(caught.value)


async def _job(rig: Rig, spec: dict[str, Any]) -> Any:
    async with rig.pool.acquire() as conn:
        return await insert_job(conn, spec)


async def test_sources_over_the_job_total_fail_the_step(rig: Rig, servers: Servers,
                                                        media: dict[str, Path]) -> None:
    spec = _spec(servers.origin_url)
    sizes = [media[name].stat().st_size for name in ("clip.mp4", "logo.png", "tone.wav")]
    limited = Downloader(rig.downloader.pool, rig.downloader.store, rig.downloader.fetcher,
                         concurrency=1, max_total_bytes=sum(sizes) - 1)
    async with rig.pool.acquire() as conn:
        job_id = await insert_job(conn, spec)
    with pytest.raises(PermanentError) as caught:
        await limited.run(job_id, spec)
    assert caught.value.code == "sources_too_large"
    assert caught.value.step == "download"
    message = str(caught.value)
    assert message.startswith("elements: ") and "elements[2].source" in message
    assert f"{sum(sizes) - 1} byte limit" in message
    # one byte more and the same job downloads
    enough = Downloader(rig.downloader.pool, rig.downloader.store, rig.downloader.fetcher,
                        max_total_bytes=sum(sizes) + media["font.ttf"].stat().st_size)
    assert len(await enough.run(job_id, spec)) == 4


_CUBE = b"# a 2-point identity\nLUT_3D_SIZE 2\n" + b"".join(
    f"{r} {g} {b}\n".encode() for b in (0, 1) for g in (0, 1) for r in (0, 1))


async def test_a_lut_is_downloaded_checked_and_cached(rig: Rig, servers: Servers) -> None:
    servers.origin.files["grade.cube"] = _CUBE
    spec = {"elements": [{"type": "image", "source": f"{servers.origin_url}/media/logo.png",
                          "lut": f"{servers.origin_url}/media/grade.cube"}]}
    assets = await rig.downloader.run(await _job(rig, spec), spec)
    lut = assets[1]
    assert lut.source == spec["elements"][0]["lut"]
    assert lut.sha256 == hashlib.sha256(_CUBE).hexdigest()
    assert lut.content_type == "text/plain" and lut.probe is None
    stored = await rig.s3.get_object(Bucket=lut.bucket, Key=lut.key)
    assert await stored["Body"].read() == _CUBE


@pytest.mark.parametrize(("body", "message"), [
    (_CUBE.replace(b"1 1 1\n", b"1 1\n"), "line 10: a table row needs 3 numbers, got 2"),
    (_CUBE.replace(b"LUT_3D_SIZE 2", b"LUT_3D_SIZE 2\nGLOW 1"), "line 3: unknown keyword"),
    (b"#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n", "not a .cube LUT"),
    (b"LUT_3D_SIZE 2\n" + b"0 0 0\n" * 3 * 1024, "more than LUT_3D_SIZE"),
])
async def test_a_malformed_lut_fails_the_step_naming_the_line(
    rig: Rig, servers: Servers, body: bytes, message: str
) -> None:
    servers.origin.files["bad.cube"] = body
    spec = {"elements": [{"type": "image", "source": f"{servers.origin_url}/media/logo.png",
                          "lut": f"{servers.origin_url}/media/bad.cube"}]}
    with pytest.raises(PermanentError) as caught:
        await rig.downloader.run(await _job(rig, spec), spec)
    assert caught.value.code == "source_not_media"
    assert str(caught.value).startswith("elements[0].lut: ")
    assert message in str(caught.value)


async def test_a_lut_over_the_size_cap_is_refused(servers: Servers, rig: Rig) -> None:
    servers.origin.files["big.cube"] = _CUBE + b"# padding\n" * 200
    store = AssetStore(rig.pool, rig.s3, rig.bucket, max_lut_bytes=1024)
    downloader = Downloader(rig.pool, store, rig.downloader.fetcher)
    spec = {"elements": [{"type": "image", "source": f"{servers.origin_url}/media/logo.png",
                          "lut": f"{servers.origin_url}/media/big.cube"}]}
    with pytest.raises(PermanentError) as caught:
        await downloader.run(await _job(rig, spec), spec)
    assert "over the 1024 byte limit" in str(caught.value)
