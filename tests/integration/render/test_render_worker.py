"""A render worker turns RenderRequested into steps, a staged output and RenderFinished."""

from __future__ import annotations

from pathlib import Path

import av
import httpx
import pytest
from faststream.kafka import KafkaBroker
from prometheus_client.parser import text_string_to_metric_families

from services.render.app import RenderService
from services.storage.assets import probe_summary
from shared.events import MediaProbe
from shared.settings import PlatformSettings
from tests.integration.render.harness import (
    EventLog,
    StartWorker,
    eventually,
    insert_job,
    publish_request,
    upload_asset,
)
from tests.integration.render.probe import fetch_and_probe, fetch_bytes
from tests.integration.render.specs import (
    CLIP_URL,
    LOGO_URL,
    Media,
    tiny_spec,
)
from tests.unit.render.looks_media import write_cube

pytestmark = pytest.mark.timeout(90)

STEPS = [
    ("processing", "started"),
    ("processing", "completed"),
    ("composition", "started"),
    ("composition", "completed"),
    ("encoding", "started"),
    ("encoding", "completed"),
]


async def _metric(service: RenderService, name: str, **labels: str) -> float:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{service.http.bound_port}") as http:
        page = await http.get("/metrics")
    assert page.status_code == 200
    for family in text_string_to_metric_families(page.text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


async def test_render_publishes_steps_and_a_staged_output(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker, work_dir
) -> None:
    worker = await start_worker()
    assets = [await upload_asset(settings, CLIP_URL, media.clip),
              await upload_asset(settings, LOGO_URL, media.logo)]
    spec = tiny_spec()
    job_id = await insert_job(settings.database_url, spec)
    await publish_request(producer, settings, job_id, spec, assets)

    [finished] = await events.wait_for(job_id, "render.finished", timeout=40)
    assert events.steps(job_id) == STEPS
    progress = [e.progress for e in events.events(job_id, "step.changed")]
    assert progress == sorted(progress), "the job's percentage went back"
    assert all(30 <= p <= 90 for p in progress[4:]), progress
    assert {e.worker_id for e in events.events(job_id, "step.changed")} == {"worker-1"}

    assert finished.key == f"staging/{job_id}/1/output.mp4"
    assert finished.poster_key == f"staging/{job_id}/1/poster.jpg"
    assert (finished.bucket, finished.worker_id, finished.attempt) == (
        settings.s3_bucket, "worker-1", 1)
    video = await fetch_and_probe(settings, finished.key)
    assert video.size == finished.size
    assert (video.width, video.height) == (192, 108)
    assert video.duration == pytest.approx(1.6, abs=0.1)
    assert finished.duration == pytest.approx(1.6, abs=0.05)
    poster = await fetch_and_probe(settings, finished.poster_key)
    assert (poster.width, poster.height, poster.codec) == (192, 108, "mjpeg")
    assert list(work_dir.iterdir()) == [], "the render left files behind"

    assert await _metric(worker, "vidgen_renders_total", outcome="completed") == 1
    assert await _metric(worker, "vidgen_render_seconds_count", format="mp4") == 1
    assert await _metric(worker, "vidgen_render_speed") > 0
    assert await _metric(worker, "vidgen_render_in_progress") == 0
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{worker.http.bound_port}") as http:
        assert (await http.get("/healthz")).status_code == 200
        ready = await http.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok", "storage": "ok",
                                      "worker": "ok"}


async def test_redelivery_republishes_the_same_events_and_finished_jobs_are_skipped(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker,
) -> None:
    worker = await start_worker()
    assets = [await upload_asset(settings, CLIP_URL, media.clip),
              await upload_asset(settings, LOGO_URL, media.logo)]
    spec = tiny_spec(poster=False)
    job_id = await insert_job(settings.database_url, spec)
    first = await publish_request(producer, settings, job_id, spec, assets)
    await events.wait_for(job_id, "render.finished")
    await publish_request(producer, settings, job_id, spec, assets)  # a redelivery
    one, two = await events.wait_for(job_id, "render.finished", count=2, timeout=40)
    assert (one.event_id, one.key) == (two.event_id, two.key)
    steps = [e for e in events.events(job_id, "step.changed") if e.state != "progress"]
    assert len(steps) == 2 * len(STEPS)
    assert [e.event_id for e in steps[:6]] == [e.event_id for e in steps[6:]]

    # Once the job is over, a redelivered request does nothing at all.
    done_id = await insert_job(settings.database_url, spec, status="cancelled")
    await publish_request(producer, settings, done_id, first.spec, assets)
    await eventually(lambda: _metric(worker, "vidgen_renders_total", outcome="skipped"),
                     timeout=20, what="the cancelled job to be skipped")
    assert events.events(done_id) == []


async def test_the_probe_storage_made_is_used_instead_of_probing_again(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker,
) -> None:
    """RenderRequested v2: the clip's carried probe says 1 s (the file holds 2 s), and the
    output, as long as its one clip, follows the carried probe: the file was not probed."""
    await start_worker()
    real = probe_summary(media.clip)
    assert real["duration"] == pytest.approx(2.0, abs=0.05)
    uploaded = await upload_asset(settings, CLIP_URL, media.clip)
    carried = uploaded.model_copy(update={"probe": MediaProbe(**{**real, "duration": 1.0})})
    spec = {"output": {"format": "mp4", "width": 192, "height": 108, "fps": 25,
                       "quality": {"preset": "ultrafast"}},
            "elements": [{"id": "clip", "type": "video", "source": CLIP_URL}]}
    job_id = await insert_job(settings.database_url, spec)
    await publish_request(producer, settings, job_id, spec, [carried])
    [finished] = await events.wait_for(job_id, "render.finished", timeout=40)
    assert finished.duration == pytest.approx(1.0, abs=0.05)

    job_id = await insert_job(settings.database_url, spec)  # version 1: no probe carried
    await publish_request(producer, settings, job_id, spec, [uploaded])
    [finished] = await events.wait_for(job_id, "render.finished", timeout=40)
    assert finished.duration == pytest.approx(2.0, abs=0.05)


async def test_captions_from_a_subtitle_asset_are_burnt_in_and_a_soft_stream(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker, tmp_path: Path,
) -> None:
    await start_worker()
    subtitles = tmp_path / "talk.srt"
    subtitles.write_text("1\n00:00:00,200 --> 00:00:01,000\nHello from a file\n")
    talk_url = "https://media.example.com/talk.srt"
    assets = [await upload_asset(settings, CLIP_URL, media.clip),
              await upload_asset(settings, talk_url, subtitles)]
    spec = tiny_spec(poster=False)
    spec["output"]["subtitles"] = "soft"
    spec["elements"].append({"id": "talk", "type": "captions", "source": talk_url,
                             "font_size": 12, "track": 3})
    job_id = await insert_job(settings.database_url, spec)
    await publish_request(producer, settings, job_id, spec,
                          [assets[0], await upload_asset(settings, LOGO_URL, media.logo),
                           assets[1]])
    [finished] = await events.wait_for(job_id, "render.finished", timeout=40)
    local = tmp_path / "output.mp4"
    local.write_bytes(await fetch_bytes(settings, finished.key))
    with av.open(str(local)) as container:
        stream = container.streams.subtitles[0]
        assert stream.codec_context.name == "mov_text"
        texts = [bytes(packet)[2:].decode() for packet in container.demux(stream)
                 if packet.size > 2]
    assert texts == ["Hello from a file"]


async def test_a_worker_draws_shapes_and_looks_and_leaves_no_rasters_behind(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker, work_dir
) -> None:
    await start_worker()
    assets = [await upload_asset(settings, CLIP_URL, media.clip),
              await upload_asset(settings, LOGO_URL, media.logo)]
    spec = tiny_spec(poster=False)
    spec["elements"][1].update(border_radius=6, shadow={"blur": 2}, blend_mode="multiply")
    spec["elements"].append({"id": "badge", "type": "shape", "shape": "ellipse", "width": 30,
                             "fill": "#ff0000", "x": [{"time": 0, "value": 0},
                                                      {"time": 1.5, "value": 160}],
                             "track": 3})
    job_id = await insert_job(settings.database_url, spec)
    await publish_request(producer, settings, job_id, spec, assets)

    [finished] = await events.wait_for(job_id, "render.finished", timeout=40)
    video = await fetch_and_probe(settings, finished.key)
    assert (video.width, video.height) == (192, 108)
    assert video.duration == pytest.approx(1.6, abs=0.1)
    assert list(work_dir.iterdir()) == [], "the render left files behind"


async def test_a_worker_grades_with_an_uploaded_lut_and_normalises_the_mix(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker, work_dir: Path, tmp_path: Path
) -> None:
    """An uploaded LUT is an `asset:` source: the worker stores it without an extension,
    and the loudness pass writes its figures beside the output; neither is left behind."""
    await start_worker()
    write_cube(tmp_path / "invert.cube", 2, invert=True)
    lut = "asset:" + "ab" * 32
    assets = [await upload_asset(settings, CLIP_URL, media.clip),
              await upload_asset(settings, LOGO_URL, media.logo),
              await upload_asset(settings, lut, tmp_path / "invert.cube")]
    spec = tiny_spec(poster=False)
    spec["elements"][0].update(lut=lut, filters={"contrast": 1.1})
    spec["output"]["loudness"] = {"target_lufs": -16, "true_peak": -2}
    job_id = await insert_job(settings.database_url, spec)
    await publish_request(producer, settings, job_id, spec, assets)

    [finished] = await events.wait_for(job_id, "render.finished", timeout=40)
    video = await fetch_and_probe(settings, finished.key)
    assert (video.width, video.height) == (192, 108)
    assert list(work_dir.iterdir()) == [], "the render left files behind"
