"""kill -9 a render worker mid-encode, ten times at (seeded) random moments: every job
completes on another worker, with exactly one published output and a consistent timeline."""

from __future__ import annotations

import asyncio
import random
import time

import httpx
import pytest

from shared.testing.brokers import RunningBroker
from shared.testing.s3 import RunningS3
from tests.e2e.faults.stack import FaultStack, fault_stack, text_spec

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]

KILLS = 10
SEED = 20260425


async def _encoding_victim(platform: FaultStack, timeout: float = 120.0) -> tuple[str, str]:
    """(service name, job id) of a worker that is encoding a job right now."""
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


async def test_killing_render_workers_mid_encode_loses_and_repeats_nothing(
    fresh_database: str, kafka_broker: RunningBroker, e2e_s3: RunningS3, tmp_path,
) -> None:
    rng = random.Random(SEED)
    async with fault_stack(tmp_path, database=fresh_database, bootstrap=kafka_broker.bootstrap,
                           broker_kind=kafka_broker.kind, s3_env=e2e_s3.env) as platform:
        started = time.monotonic()
        kills: list[tuple[str, str, int]] = []
        async with httpx.AsyncClient(timeout=30) as http:
            # renders of a few seconds each, so that there is an encode to interrupt
            spec = text_spec("kill", width=640, height=360, duration=40, preset="veryslow",
                             fps=25)
            for _ in range(4):
                await platform.submit(http, spec)
            while len(kills) < KILLS:
                active = [s for s in (await platform.statuses(platform.submitted)).values()
                          if s in ("pending", "processing")]
                if len(active) < 3:
                    await platform.submit(http, spec)
                name, job_id = await _encoding_victim(platform)
                await asyncio.sleep(rng.uniform(0.0, 1.0))  # a random moment into the encode
                ffmpeg = platform.ffmpeg_of(name)
                if not ffmpeg:
                    continue  # its encode ended meanwhile: not a mid-encode kill
                platform.kill(name)
                kills.append((name, job_id, ffmpeg[0].pid))
                await platform.restart(name)
            statuses = await platform.wait_finished(platform.submitted, timeout=300)
        elapsed = time.monotonic() - started
        assert not any(_alive(pid) for _, _, pid in kills), "an FFmpeg outlived its worker"
        await platform.assert_exactly_once(list(statuses))
        killed_jobs = sorted({job for _, job, _ in kills})
        encoded_by = await platform.query(
            "SELECT worker_id FROM processing_timeline WHERE job_id = ANY($1::uuid[]) "
            "AND step = 'encoding' AND success", killed_jobs)
        assert len(encoded_by) == len(killed_jobs)
        print(f"\n{KILLS} kills mid-encode (on {len(killed_jobs)} jobs), {len(statuses)} jobs "
              f"completed once each in {elapsed:.0f}s; killed jobs encoded in the end by "
              f"{sorted({r['worker_id'] for r in encoded_by})}")


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
