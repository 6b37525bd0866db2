"""What the reaper relies on in the render fleet: heartbeats while a render runs, and
deliveries of an attempt the reaper has replaced are skipped."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from faststream.kafka import KafkaBroker

from shared.events import RenderRequested
from shared.kafka import publish_event
from shared.settings import PlatformSettings
from tests.integration.render.harness import (
    EventLog,
    StartWorker,
    eventually,
    insert_job,
    upload_asset,
)
from tests.integration.render.specs import CLIP_URL, Media, slow_spec

pytestmark = pytest.mark.timeout(90)


async def _execute(dsn: str, sql: str, *args: object) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(sql, *args)
    finally:
        await conn.close()


async def test_a_running_render_heartbeats_with_its_step_and_attempt(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VIDGEN_RENDER_HEARTBEAT", "0.3")
    await start_worker()
    assets = [await upload_asset(settings, CLIP_URL, media.clip)]
    spec = slow_spec(6.0)
    job_id = await insert_job(settings.database_url, spec)
    await publish_event(producer, settings.topics.render,
                        RenderRequested(job_id=job_id, producer="test", spec=spec, assets=assets))

    def three_beats() -> list[Any] | None:
        beats = [e for e in events.events(job_id, "step.changed") if e.details.get("heartbeat")]
        return beats if len(beats) >= 3 else None

    beats = await eventually(three_beats, timeout=30, what="three heartbeats")
    assert {(e.attempt, e.worker_id, e.progress) for e in beats} == {(1, "worker-1", None)}
    assert {e.step for e in beats} <= {"processing", "composition", "encoding"}
    await _execute(settings.database_url, "UPDATE jobs SET status = 'cancelled' WHERE id = $1",
                   job_id)


async def test_a_delivery_of_a_replaced_attempt_is_skipped(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker,
) -> None:
    worker = await start_worker()
    assets = [await upload_asset(settings, CLIP_URL, media.clip)]
    spec = slow_spec(1.0)
    spec["output"]["quality"] = {"preset": "ultrafast"}
    job_id = await insert_job(settings.database_url, spec)
    # the reaper re-queued the job: it is on its second attempt
    await _execute(settings.database_url, "UPDATE jobs SET attempts = 2 WHERE id = $1", job_id)
    for attempt in (1, 2):
        await publish_event(producer, settings.topics.render, RenderRequested(
            job_id=job_id, producer="test", spec=spec, assets=assets, attempt=attempt))

    [finished] = await events.wait_for(job_id, "render.finished", timeout=60)
    assert finished.attempt == 2
    assert {e.attempt for e in events.events(job_id, "step.changed")} == {2}
    assert worker.metrics.registry.get_sample_value(
        "vidgen_renders_total", {"outcome": "skipped"}) == 1
