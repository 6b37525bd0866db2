"""The dev stack's supervision with the real services (the DevStack API `vidgen dev` runs):

- a render worker SIGKILLed, with its FFmpeg, while it encodes a job that a client waits
  for (`response: immediate`): the worker is restarted (new PID, /readyz answers), the
  client gets an answer (200 with the result, or 202 with the status URL), and the job
  completes once with a full-length video;
- the stack stopped while a client waits for its job: the client gets 202 with the status
  URL, not a dropped connection.

Each test has a platform of its own (tests/e2e/faults/stack.py) on the session's Postgres
server, broker and moto.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.devstack import DevStack
from shared.testing.brokers import RunningBroker
from shared.testing.s3 import RunningS3
from tests.e2e.faults.stack import FaultStack, fault_stack, text_spec
from tests.e2e.platform import probe_video
from tests.fixtures.postgres import db_dsn

__all__ = ["db_dsn"]

# each test starts whole stacks of its own and kills parts of them: the marked set
pytestmark = [pytest.mark.timeout(420), pytest.mark.slow]

DURATION = 20.0


def _long_spec(label: str) -> dict[str, Any]:
    """1080p, 20 s: an encode of several seconds, long enough to be interrupted."""
    spec = text_spec(label, width=1920, height=1080, duration=DURATION, preset="ultrafast",
                     fps=25)
    return {**spec, "response": "immediate"}


@contextmanager
def supervised(stack: DevStack) -> Iterator[threading.Thread]:
    """`stack.supervise()` in a thread, as `vidgen dev` runs it; `stack.stop()` ends it."""
    thread = threading.Thread(target=stack.supervise, kwargs={"interval": 0.1},
                              name="supervisor", daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        stack.stop()
        thread.join(30)
        assert not thread.is_alive()


async def _encoding(platform: FaultStack, timeout: float = 120.0) -> tuple[str, str]:
    """(service name, job id) of the render worker encoding a job now, FFmpeg running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = await platform.query(
            "SELECT id::text, worker_id FROM jobs WHERE status = 'processing' "
            "AND current_step = 'encoding' AND worker_id LIKE 'dev-render-%'")
        for row in rows:
            name = row["worker_id"].removeprefix("dev-")
            if platform.process(name).running() and platform.ffmpeg_of(name):
                return name, row["id"]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no worker was encoding within {timeout:.0f}s\n{platform.log_tail()}")


async def _until(condition, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not await asyncio.to_thread(condition):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f}s")
        await asyncio.sleep(0.1)


async def test_a_worker_killed_mid_encode_is_restarted_and_the_waiting_client_answered(
    db_dsn: str, kafka_broker: RunningBroker, e2e_s3: RunningS3, tmp_path: Path, capsys,
) -> None:
    async with fault_stack(tmp_path, database=db_dsn, bootstrap=kafka_broker.bootstrap,
                           broker_kind=kafka_broker.kind, s3_env=e2e_s3.env,
                           render_workers=2) as platform, \
            httpx.AsyncClient(timeout=300) as http:
        with supervised(platform.stack):
            waiting = asyncio.create_task(
                http.post(f"{platform.api}/v1/jobs", json=_long_spec("supervised")))
            name, job_id = await _encoding(platform)
            worker = platform.process(name)
            old_pid, ffmpeg = worker.pid, platform.ffmpeg_of(name)
            assert old_pid is not None and ffmpeg
            os.kill(old_pid, signal.SIGKILL)
            for child in ffmpeg:
                child.kill()
            await _until(lambda: worker.pid != old_pid and worker.ready_now(),
                         f"{name} restarted and ready", timeout=180)
            answer = await waiting
            assert answer.status_code in (200, 202), answer.text
            body = answer.json()
            assert body["job_id"] == job_id
            if answer.status_code == 202:
                assert body["status_url"] == f"/v1/jobs/{job_id}"
            final = await platform.poll(
                lambda: _job(http, platform.api + body["status_url"]),
                lambda job: job["status"] in ("completed", "failed", "cancelled", "timeout"),
                what="the job to finish", timeout=240, interval=0.5)
            assert final["status"] == "completed", final
            await platform.assert_exactly_once([job_id])
            video = tmp_path / "result.mp4"
            download = await http.get(final["result_url"])
            assert download.status_code == 200
            video.write_bytes(download.content)
            facts = probe_video(video)
            assert (facts.width, facts.height) == (1920, 1080)
            assert facts.duration == pytest.approx(DURATION, abs=0.1)
            assert worker.running() and worker.pid != old_pid
            assert all(p.running() for p in platform.stack.processes)
    said = capsys.readouterr().err
    assert f"{name} (pid {old_pid}) exited with code -9; restarting it in 0.5s" in said
    assert f"restarted {name} (pid " in said and f"{name} ready again" in said
    print(f"\n{name} killed mid-encode; answer {answer.status_code}; job completed once, "
          f"{facts.duration:.2f}s of {facts.width}x{facts.height}")


async def _job(http: httpx.AsyncClient, url: str) -> dict[str, Any]:
    response = await http.get(url)
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    return job


async def test_a_client_waiting_when_the_stack_stops_gets_202_with_the_status_url(
    db_dsn: str, kafka_broker: RunningBroker, e2e_s3: RunningS3, tmp_path: Path,
) -> None:
    async with fault_stack(tmp_path, database=db_dsn, bootstrap=kafka_broker.bootstrap,
                           broker_kind=kafka_broker.kind, s3_env=e2e_s3.env,
                           render_workers=1) as platform, \
            httpx.AsyncClient(timeout=120) as http:
        waiting = asyncio.create_task(
            http.post(f"{platform.api}/v1/jobs", json=_long_spec("stopping")))
        await platform.poll(lambda: platform.query("SELECT id FROM jobs"), bool,
                            what="the job to be created", timeout=60)
        assert not waiting.done()
        started = time.monotonic()
        stopping = asyncio.create_task(asyncio.to_thread(platform.stack.stop))
        answer = await waiting
        answered_in = time.monotonic() - started
        await stopping
        assert answer.status_code == 202, answer.text
        body = answer.json()
        assert body["status"] in ("pending", "processing")
        assert body["status_url"] == f"/v1/jobs/{body['job_id']}"
        assert answer.headers["location"].endswith(body["status_url"])
        assert answered_in < 10  # within the grace period: ingest was not SIGKILLed
    print(f"\nwaiting client answered 202 {answered_in:.1f}s after the stop began")
