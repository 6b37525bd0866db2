"""A worker that dies or is stopped mid-render leaves its job to another worker of the group.

The worker under test runs as a real process (`python -m services.render`), so it can be
killed with SIGKILL or stopped with SIGTERM; its successor runs in-process. Both are in
the production group `render` (on this test's own topics).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest
from faststream.kafka import KafkaBroker
from prometheus_client.parser import text_string_to_metric_families

from services.render.subscribers import GROUP
from shared.settings import PlatformSettings
from shared.testing.brokers import free_ports
from tests.integration.render.harness import (
    EventLog,
    StartWorker,
    eventually,
    insert_job,
    publish_request,
    upload_asset,
)
from tests.integration.render.probe import fetch_and_probe
from tests.integration.render.specs import CLIP_URL, Media, slow_spec

pytestmark = [pytest.mark.faults, pytest.mark.timeout(120)]

_ROOT = Path(__file__).resolve().parents[3]
_COMPONENT_VARS = ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "AWS_SESSION_TOKEN", "AWS_PROFILE")


@dataclass
class WorkerProcess:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    work_dir: Path

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-40:])

    def ffmpeg(self) -> list[psutil.Process]:
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        return [c for c in children if "ffmpeg" in c.name().lower()]

    async def assigned_partitions(self) -> float:
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}") as http:
                page = await http.get("/metrics", timeout=2)
        except httpx.HTTPError:
            assert self.process.poll() is None, f"the worker exited:\n{self.tail()}"
            return 0.0
        for family in text_string_to_metric_families(page.text):
            for sample in family.samples:
                if sample.name == "vidgen_render_partitions_assigned":
                    return float(sample.value)
        return 0.0


@pytest.fixture
def worker_process(settings: PlatformSettings, tmp_path: Path) -> Iterator[WorkerProcess]:
    """A render worker process named `doomed`; killed at the end if a test left it running."""
    port = free_ports(1)[0]
    work_dir = tmp_path / "doomed-work"
    work_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in _COMPONENT_VARS}
    env.update({
        "DATABASE_URL": settings.database_url,
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "VIDGEN_KAFKA_IDEMPOTENCE": str(settings.kafka_idempotence).lower(),
        "S3_ENDPOINT_URL": settings.s3_endpoint_url or "",
        "VIDGEN_S3_BUCKET": settings.s3_bucket,
        "VIDGEN_TOPIC_PREFIX": settings.topic_prefix,
        "VIDGEN_TOPIC_PARTITIONS": str(settings.topic_partitions),
        "VIDGEN_MAX_ATTEMPTS": str(settings.max_attempts),
        "VIDGEN_RENDER_HOST": "127.0.0.1",
        "VIDGEN_RENDER_PORT": str(port),
        "VIDGEN_RENDER_SHUTDOWN_GRACE": "1",
        "VIDGEN_INSTANCE_ID": "doomed",
        "VIDGEN_WORK_DIR": str(work_dir),
        "PYTHONUNBUFFERED": "1",
    })
    log = tmp_path / "doomed.log"
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "services.render"], cwd=_ROOT, env=env,
                                   stdout=sink, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    worker = WorkerProcess(process, port, log, work_dir)
    try:
        yield worker
    finally:
        leftovers = worker.ffmpeg()
        if process.poll() is None:
            process.kill()
            process.wait(10)
        for child in leftovers:
            child.kill()


async def _start_slow_render(worker: WorkerProcess, settings: PlatformSettings, media: Media,
                             events: EventLog, producer: KafkaBroker) -> object:
    """Queue a 4 s veryslow render and return its job id once `worker` is encoding it."""
    await eventually(worker.assigned_partitions, timeout=60, what="the worker process to join")
    assets = [await upload_asset(settings, CLIP_URL, media.clip)]
    spec = slow_spec(4.0)
    job_id = await insert_job(settings.database_url, spec)
    await publish_request(producer, settings, job_id, spec, assets)
    await eventually(lambda: [e for e in events.events(job_id, "step.changed")
                              if e.state == "progress" and e.worker_id == "doomed"],
                     timeout=30, what="the worker process to be encoding")
    assert worker.ffmpeg(), "no FFmpeg under the worker process"
    return job_id


async def _successor_renders(job_id: object, settings: PlatformSettings, events: EventLog,
                             start_worker: StartWorker) -> None:
    await start_worker("successor", group_id=GROUP, wait_assigned=False)
    [finished] = await events.wait_for(job_id, "render.finished", timeout=60)
    assert (finished.worker_id, finished.attempt) == ("successor", 1)
    video = await fetch_and_probe(settings, finished.key)
    assert (video.width, video.height) == (640, 360)
    assert video.duration == pytest.approx(4.0, abs=0.1)
    # The successor republished the steps the dead worker had already announced, same ids.
    started = [e for e in events.events(job_id, "step.changed")
               if (e.step, e.state) == ("encoding", "started")]
    assert [e.worker_id for e in started] == ["doomed", "successor"]
    assert started[0].event_id == started[1].event_id


async def test_a_killed_worker_leaves_its_job_to_another_worker(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker, worker_process: WorkerProcess,
) -> None:
    job_id = await _start_slow_render(worker_process, settings, media, events, producer)
    ffmpeg = worker_process.ffmpeg()
    worker_process.process.send_signal(signal.SIGKILL)
    for child in ffmpeg:  # the rest of the dead worker's container, as an orchestrator would
        child.kill()
    assert worker_process.process.wait(10) == -signal.SIGKILL

    await _successor_renders(job_id, settings, events, start_worker)


async def test_a_stopped_worker_cancels_its_render_and_leaves_the_job_uncommitted(
    settings: PlatformSettings, media: Media, events: EventLog, producer: KafkaBroker,
    start_worker: StartWorker, worker_process: WorkerProcess,
) -> None:
    job_id = await _start_slow_render(worker_process, settings, media, events, producer)
    ffmpeg = worker_process.ffmpeg()
    worker_process.process.send_signal(signal.SIGTERM)
    assert worker_process.process.wait(20) == 0, worker_process.tail()
    assert not any(child.is_running() and child.status() != psutil.STATUS_ZOMBIE
                   for child in ffmpeg), "FFmpeg outlived the worker"
    assert list(worker_process.work_dir.iterdir()) == [], "the stopped render left files"
    assert "grace period over" in worker_process.tail()
    assert events.events(job_id, "render.finished") == []

    await _successor_renders(job_id, settings, events, start_worker)
