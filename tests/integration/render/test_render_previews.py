"""A render worker's previews (services/render/preview.py) against moto S3 and FFmpeg: sources
come from the asset cache once and are then served from the worker's disk, a frame and a
clip are what was asked, a time past the end is a problem at `time`, and a worker whose
slots are taken says so (ingest then asks another)."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from PIL import Image

from services.render.preview import Busy, NotAnAsset, PreviewRenderer, PreviewRequest
from services.render.settings import RenderSettings
from shared.composition import SpecError
from shared.composition.preview import PreviewParams
from shared.s3 import s3_client
from shared.settings import EngineSettings, ReliabilitySettings
from tests.integration.render.harness import upload_asset
from tests.integration.render.specs import CLIP_URL, LOGO_URL, Media, tiny_spec

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(120)]


async def _request(settings: RenderSettings, media: Media,
                   params: PreviewParams) -> PreviewRequest:
    assets = [await upload_asset(settings, CLIP_URL, media.clip),
              await upload_asset(settings, LOGO_URL, media.logo)]
    return PreviewRequest(spec=tiny_spec(poster=False), assets=assets, params=params)


async def test_a_frame_downloads_its_sources_once(settings: RenderSettings,
                                                  engine: EngineSettings,
                                                  media: Media) -> None:
    request = await _request(settings, media, PreviewParams(time=0.5, scale=0.5))
    async with s3_client(settings, ReliabilitySettings()) as s3:
        renderer = PreviewRenderer(s3, engine, bucket=settings.s3_bucket)
        content, media_type = await renderer.render(request)
        cached = sorted(path.name for path in renderer.cache.iterdir())
        await s3.delete_object(Bucket=settings.s3_bucket, Key=request.assets[0].key)
        again, _ = await renderer.render(request)  # from disk: S3 no longer has it
        await renderer.close()
        assert not renderer.cache.exists()
    assert media_type == "image/png"
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (96, 54)
    assert cached == sorted(f"{asset.sha256}{Path(asset.source).suffix}"
                            for asset in request.assets)
    assert again == content


async def test_a_clip_and_a_time_past_the_end(settings: RenderSettings,
                                              engine: EngineSettings, media: Media) -> None:
    clip = await _request(settings, media, PreviewParams(start=0.4, end=1.2, scale=0.5))
    late = clip.model_copy(update={"params": PreviewParams(time=1.6)})
    async with s3_client(settings, ReliabilitySettings()) as s3:
        renderer = PreviewRenderer(s3, engine, bucket=settings.s3_bucket)
        content, media_type = await renderer.render(clip)
        with pytest.raises(SpecError) as caught:
            await renderer.render(late)
    assert media_type == "video/mp4" and content[4:8] == b"ftyp"
    [problem] = caught.value.problems
    assert problem.path == "time" and "0 to 1.6 s" in problem.message


async def test_a_worker_with_its_slots_taken_is_busy(settings: RenderSettings,
                                                     engine: EngineSettings,
                                                     media: Media) -> None:
    request = await _request(settings, media, PreviewParams(time=0.2))
    async with s3_client(settings, ReliabilitySettings()) as s3:
        renderer = PreviewRenderer(s3, engine, bucket=settings.s3_bucket, slots=1)
        first = asyncio.create_task(renderer.render(request))
        await asyncio.sleep(0)  # the first one has taken the slot
        with pytest.raises(Busy):
            await renderer.render(request)
        content, _ = await first
    assert content[:8] == b"\x89PNG\r\n\x1a\n"


async def test_only_objects_of_the_asset_cache_are_read(settings: RenderSettings,
                                                       engine: EngineSettings,
                                                       media: Media) -> None:
    request = await _request(settings, media, PreviewParams(time=0.2))
    clip = request.assets[0]
    elsewhere = [clip.model_copy(update={"key": "videos/2026-01-01/someone/result.mp4"}),
                 clip.model_copy(update={"bucket": "another-bucket"})]
    async with s3_client(settings, ReliabilitySettings()) as s3:
        renderer = PreviewRenderer(s3, engine, bucket=settings.s3_bucket)
        for asset in elsewhere:
            bad = request.model_copy(update={"assets": [asset, *request.assets[1:]]})
            with pytest.raises(NotAnAsset, match="not an object of the asset cache"):
                await renderer.render(bad)
    assert not renderer.cache.exists()  # nothing was downloaded
