"""Renders that end otherwise: cancelled, timed out, invalid; and a fleet sharing the work."""

from __future__ import annotations

from uuid import UUID, uuid4

import asyncpg
import pytest
from aiokafka.partitioner import DefaultPartitioner
from faststream.kafka import KafkaBroker

from shared.settings import EngineSettings, PlatformSettings
from tests.integration.render.harness import (
    EventLog,
    StartWorker,
    eventually,
    ffmpeg_children,
    insert_job,
    publish_request,
    upload_asset,
)
from tests.integration.render.probe import object_exists
from tests.integration.render.specs import (
    CLIP_URL,
    LOGO_URL,
    NOTES_URL,
    Media,
    slow_spec,
    tiny_spec,
)

pytestmark = pytest.mark.timeout(90)


async def _set_status(dsn: str, job_id: object, status: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("UPDATE jobs SET status = $2 WHERE id = $1", job_id, status)
    finally:
        await conn.close()


async def test_cancelling_the_job_kills_ffmpeg_and_publishes_nothing_more(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker, work_dir,
) -> None:
    worker = await start_worker()
    assets = [await upload_asset(settings, CLIP_URL, media.clip)]
    spec = slow_spec()
    job_id = await insert_job(settings.database_url, spec)
    await publish_request(producer, settings, job_id, spec, assets)

    await eventually(lambda: [e for e in events.events(job_id, "step.changed")
                              if e.state == "progress"],
                     timeout=30, what="encoding progress")
    assert ffmpeg_children(), "FFmpeg is not running although the render reports progress"
    assert list(work_dir.iterdir()), "the render has no temp dir"

    await _set_status(settings.database_url, job_id, "cancelled")
    await eventually(lambda: not ffmpeg_children(), timeout=10, what="FFmpeg to be killed")
    await eventually(lambda: worker.metrics.registry.get_sample_value(
        "vidgen_renders_total", {"outcome": "cancelled"}), timeout=10,
        what="the render to end as cancelled")
    assert list(work_dir.iterdir()) == [], "the cancelled render left files behind"
    assert events.events(job_id, "render.finished") == []
    assert events.events(job_id, "job.failed") == []
    assert ("encoding", "completed") not in events.steps(job_id)
    assert not await object_exists(settings, f"staging/{job_id}/1/output.mp4")
    assert worker.metrics.registry.get_sample_value("vidgen_render_in_progress") == 0


async def test_a_render_past_its_time_limit_fails_the_job_as_timeout(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker, work_dir,
) -> None:
    await start_worker(engine_=EngineSettings(work_dir=str(work_dir), render_timeout=2.0))
    assets = [await upload_asset(settings, CLIP_URL, media.clip)]
    spec = slow_spec()
    job_id = await insert_job(settings.database_url, spec)
    await publish_request(producer, settings, job_id, spec, assets)

    [failed] = await events.wait_for(job_id, "job.failed", timeout=30)
    assert (failed.step, failed.error_code, failed.status) == ("encoding", "render_timeout",
                                                               "timeout")
    assert events.steps(job_id)[-1] == ("encoding", "failed")
    [dead] = await eventually(lambda: events.dead_letters(job_id), timeout=10, what="the DLQ")
    assert dead.headers["vidgen-consumer"] == "render"
    assert dead.headers["vidgen-attempts"] == "1", "a timeout must not be retried"
    assert not ffmpeg_children()
    assert list(work_dir.iterdir()) == []
    assert events.events(job_id, "render.finished") == []


async def test_a_render_without_progress_is_killed_as_stalled_and_retried(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker, work_dir,
) -> None:
    # FFmpeg reports every 0.5 s: with 0.2 s allowed, every attempt looks stalled.
    await start_worker(stall_after=0.2)
    assets = [await upload_asset(settings, CLIP_URL, media.clip)]
    spec = slow_spec()
    job_id = await insert_job(settings.database_url, spec)
    await publish_request(producer, settings, job_id, spec, assets)

    [failed] = await events.wait_for(job_id, "job.failed", timeout=30)
    assert (failed.step, failed.error_code, failed.status) == ("encoding", "render_stalled",
                                                               "failed")
    [dead] = await eventually(lambda: events.dead_letters(job_id), timeout=10, what="the DLQ")
    assert dead.headers["vidgen-attempts"] == str(settings.max_attempts)
    encoding_starts = [s for s in events.steps(job_id) if s == ("encoding", "started")]
    assert len(encoding_starts) == settings.max_attempts
    assert not ffmpeg_children()
    assert list(work_dir.iterdir()) == []


async def test_an_invalid_composition_fails_its_job_and_the_next_job_renders(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker,
) -> None:
    await start_worker()
    notes = await upload_asset(settings, NOTES_URL, media.notes)
    bad_spec = {"output": {"width": 192, "height": 108, "duration": 1},
                "elements": [{"id": "pic", "type": "image", "source": NOTES_URL}]}
    bad_id = await insert_job(settings.database_url, bad_spec)
    await publish_request(producer, settings, bad_id, bad_spec, [notes])

    [failed] = await events.wait_for(bad_id, "job.failed", timeout=30)
    assert (failed.step, failed.error_code, failed.status) == ("processing",
                                                               "invalid_spec", "failed")
    assert failed.error_message.startswith("elements[0].source:"), failed.error_message
    assert events.steps(bad_id) == [("processing", "started"), ("processing", "failed")]
    [failed_step] = [e for e in events.events(bad_id, "step.changed") if e.state == "failed"]
    assert failed_step.details["problems"][0]["path"] == "elements[0].source"
    [dead] = await eventually(lambda: events.dead_letters(bad_id), timeout=10, what="the DLQ")
    assert dead.value["type"] == "render.requested"
    assert "elements[0].source" in dead.headers["vidgen-error"]

    assets = [await upload_asset(settings, CLIP_URL, media.clip),
              await upload_asset(settings, LOGO_URL, media.logo)]
    spec = tiny_spec(poster=False)
    good_id = await insert_job(settings.database_url, spec)
    await publish_request(producer, settings, good_id, spec, assets)
    await events.wait_for(good_id, "render.finished", timeout=30)


async def test_two_workers_in_one_group_share_the_jobs(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker,
) -> None:
    first = await start_worker("worker-1")
    second = await start_worker("worker-2")
    await eventually(lambda: first.tracker.partitions and second.tracker.partitions
                     and len(first.tracker.partitions | second.tracker.partitions) == 2,
                     timeout=40, what="the two workers to split the partitions")
    owner = {tp.partition: "worker-1" for tp in first.tracker.partitions}
    owner |= {tp.partition: "worker-2" for tp in second.tracker.partitions}

    # Job ids chosen so that each worker's partitions get two of the jobs.
    partitioner = DefaultPartitioner()
    jobs: dict[str, list[UUID]] = {"worker-1": [], "worker-2": []}
    while any(len(ids) < 2 for ids in jobs.values()):
        job_id = uuid4()
        ids = jobs[owner[partitioner(str(job_id).encode(), [0, 1], [0, 1])]]
        if len(ids) < 2:
            ids.append(job_id)
    expected = {job_id: name for name, ids in jobs.items() for job_id in ids}

    assets = [await upload_asset(settings, CLIP_URL, media.clip),
              await upload_asset(settings, LOGO_URL, media.logo)]
    spec = tiny_spec(poster=False)
    for job_id in expected:
        await insert_job(settings.database_url, spec, job_id=job_id)
        await publish_request(producer, settings, job_id, spec, assets)

    rendered = {}
    for job_id in expected:
        [finished] = await events.wait_for(job_id, "render.finished", timeout=40)
        rendered[job_id] = finished.worker_id
    assert rendered == expected
    assert set(rendered.values()) == {"worker-1", "worker-2"}


async def test_stopping_a_worker_lets_its_render_finish_within_the_grace_period(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker,
) -> None:
    worker = await start_worker()
    assets = [await upload_asset(settings, CLIP_URL, media.clip)]
    spec = slow_spec(2.0)
    job_id = await insert_job(settings.database_url, spec)
    await publish_request(producer, settings, job_id, spec, assets)
    await eventually(lambda: [e for e in events.events(job_id, "step.changed")
                              if e.state == "progress"],
                     timeout=30, what="encoding progress")

    await worker.stop(grace=60)
    assert worker.metrics.registry.get_sample_value(
        "vidgen_renders_total", {"outcome": "completed"}) == 1
    [finished] = await events.wait_for(job_id, "render.finished", timeout=10)
    assert await object_exists(settings, finished.key)
