"""Split jobs on real workers: units shared by the fleet, one stitch, cancel, a lost worker."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import aioboto3
import asyncpg
import av
import pytest
from faststream.kafka import KafkaBroker

from services.render.app import RenderService
from shared.settings import PlatformSettings
from tests.integration.render.harness import (
    EventLog,
    StartWorker,
    eventually,
    ffmpeg_children,
    insert_job,
    publish_request,
    upload_asset,
)
from tests.integration.render.probe import fetch_bytes
from tests.integration.render.specs import CLIP_URL, LOGO_URL, Media, slow_spec, tiny_spec

pytestmark = pytest.mark.timeout(150)
SPLIT = {"split_min_seconds": 4.0, "split_slice_seconds": 2.0}


def _long_tiny(seconds: float) -> dict[str, Any]:
    spec = tiny_spec()
    spec["output"]["duration"] = seconds
    spec["elements"][0]["past_end"] = "loop"
    return spec


async def _units(dsn: str, job_id: UUID) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetch("SELECT unit, kind, state, renders, worker_id FROM "
                                "render_slices WHERE job_id = $1 ORDER BY unit", job_id)
    finally:
        await conn.close()


async def _staged(settings: PlatformSettings, job_id: UUID) -> list[str]:
    session = aioboto3.Session()
    async with session.client("s3", endpoint_url=settings.s3_endpoint_url,
                              region_name=settings.s3_region) as client:
        listing = await client.list_objects_v2(Bucket=settings.s3_bucket,
                                               Prefix=f"staging/{job_id}/")
    return sorted(item["Key"] for item in listing.get("Contents", ()))


def _slices_rendered(service: RenderService) -> float:
    registry = service.metrics.registry
    return sum(registry.get_sample_value("vidgen_render_slices_total", {"state": state}) or 0
               for state in ("rendering", "retried"))


async def test_two_workers_share_a_split_job_and_one_stitches_it(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker, tmp_path: Any,
) -> None:
    # nine units keyed over two partitions: both workers get some (all on one: 1 in 256)
    fine = {**SPLIT, "split_slice_seconds": 1.0}
    first = await start_worker("worker-1", **fine)
    second = await start_worker("worker-2", **fine)
    assets = [await upload_asset(settings, CLIP_URL, media.clip),
              await upload_asset(settings, LOGO_URL, media.logo)]
    spec = _long_tiny(8.0)
    job_id = await insert_job(settings.database_url, spec)
    await publish_request(producer, settings, job_id, spec, assets)

    [finished] = await events.wait_for(job_id, "render.finished", timeout=90)
    units = await _units(settings.database_url, job_id)
    assert [(u["kind"], u["state"], u["renders"]) for u in units] == (
        [("video", "done", 1)] * 8 + [("audio", "done", 1)])
    assert {u["worker_id"] for u in units} == {"worker-1", "worker-2"}, "one worker did all"
    assert _slices_rendered(first) + _slices_rendered(second) == 9
    assert finished.key == f"staging/{job_id}/1/output.mp4"
    assert finished.poster_key == f"staging/{job_id}/slices/poster.jpg"

    async def only_the_output_staged() -> bool:  # the stitcher deletes the units after
        return await _staged(settings, job_id) == sorted([finished.key, finished.poster_key])

    await eventually(only_the_output_staged, timeout=10, what="the staged units deleted")

    path = tmp_path / "out.mp4"
    path.write_bytes(await fetch_bytes(settings, finished.key))
    with av.open(str(path)) as container:
        assert sum(1 for _ in container.decode(video=0)) == 8 * 25
        assert container.streams.audio[0].codec_context.name == "aac"
    slices = [e.details for e in events.events(job_id, "step.changed")
              if e.details.get("slice_state") == "done"]
    assert sorted(d["slice"] for d in slices) == list(range(9))
    assert events.steps(job_id)[-1] == ("encoding", "completed")


async def test_cancel_during_a_split_render_leaves_no_ffmpeg_and_no_staged_unit(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker, work_dir: Any,
) -> None:
    workers = [await start_worker("worker-1", **SPLIT), await start_worker("worker-2", **SPLIT)]
    assets = [await upload_asset(settings, CLIP_URL, media.clip)]
    spec = slow_spec(24.0)
    job_id = await insert_job(settings.database_url, spec)
    await publish_request(producer, settings, job_id, spec, assets)

    await eventually(lambda: [e for e in events.events(job_id, "step.changed")
                              if e.details.get("slice_state") == "done"],
                     timeout=60, what="a first unit rendered")
    await eventually(ffmpeg_children, timeout=30, what="a slice rendering")
    conn = await asyncpg.connect(settings.database_url)
    try:
        await conn.execute("UPDATE jobs SET status = 'cancelled' WHERE id = $1", job_id)
    finally:
        await conn.close()
    await eventually(lambda: not ffmpeg_children(), timeout=15, what="FFmpeg to be killed")
    await eventually(lambda: all(not w.worker.busy for w in workers if w.worker), timeout=15,
                     what="the workers to be idle")

    async def nothing_staged() -> bool:
        return await _staged(settings, job_id) == []

    await eventually(nothing_staged, timeout=15, what="the staged units to be deleted")
    assert list(work_dir.iterdir()) == [], "a cancelled unit left files behind"
    assert events.events(job_id, "render.finished") == []


async def test_a_worker_stopped_mid_unit_hands_only_that_unit_to_another(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker,
) -> None:
    workers = {name: await start_worker(name, **SPLIT) for name in ("worker-1", "worker-2")}
    assets = [await upload_asset(settings, CLIP_URL, media.clip)]
    spec = slow_spec(16.0)  # eight 2-second slices of veryslow 640x360, and the audio
    job_id = await insert_job(settings.database_url, spec)
    await publish_request(producer, settings, job_id, spec, assets)

    async def rendering() -> tuple[str, int] | None:
        rows = [u for u in await _units(settings.database_url, job_id)
                if u["state"] == "rendering" and u["kind"] == "video"]
        return (rows[0]["worker_id"], rows[0]["unit"]) if rows and ffmpeg_children() else None

    name, unit = await eventually(rendering, timeout=60, what="a unit rendering")
    await workers[name].stop(grace=0)  # its unit's message stays uncommitted

    await events.wait_for(job_id, "render.finished", timeout=120)
    renders = {u["unit"]: u["renders"] for u in await _units(settings.database_url, job_id)}
    assert renders[unit] == 2, f"unit {unit} of the stopped worker: {renders}"
    assert {u: n for u, n in renders.items() if u != unit} == dict.fromkeys(
        set(renders) - {unit}, 1), f"a unit was rendered twice: {renders}"
    assert len(events.events(job_id, "render.finished")) == 1
