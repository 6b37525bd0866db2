"""The reaper in a running platform: the only render worker freezes mid-encode (SIGSTOP), so
its job goes silent; the reaper re-queues it as attempt 2. When the worker wakes up
(SIGCONT) it is a merely slow worker with a stale attempt: its render is stopped, its
events are ignored, and attempt 2 completes with exactly one published output."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import httpx
import pytest

from shared.testing.brokers import RunningBroker
from shared.testing.s3 import RunningS3
from tests.e2e.faults.stack import fault_stack, text_spec

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]

STALLED_AFTER = 4.0


async def test_a_frozen_worker_s_job_is_requeued_and_completed_once(
    fresh_database: str, kafka_broker: RunningBroker, e2e_s3: RunningS3, tmp_path,
) -> None:
    env = {"VIDGEN_REAPER_STALLED_AFTER": str(STALLED_AFTER), "VIDGEN_REAPER_INTERVAL": "0.5",
           "VIDGEN_RENDER_HEARTBEAT": "1"}
    async with fault_stack(tmp_path / "stack", database=fresh_database,
                           bootstrap=kafka_broker.bootstrap, broker_kind=kafka_broker.kind,
                           s3_env=e2e_s3.env, render_workers=1,
                           extra_env=env) as platform, httpx.AsyncClient(timeout=30) as http:
        job = await platform.submit(http, text_spec("frozen", width=640, height=360,
                                                    duration=60, preset="veryslow", fps=25))
        deadline = time.monotonic() + 60
        while not platform.ffmpeg_of("render-1"):
            assert time.monotonic() < deadline, "the worker never started encoding"
            await asyncio.sleep(0.1)
        pid = platform.process("render-1").pid
        assert pid is not None
        os.killpg(pid, signal.SIGSTOP)
        frozen = time.monotonic()
        try:
            async def attempts() -> int:
                rows = await platform.query("SELECT attempts FROM jobs WHERE id = $1::uuid", job)
                return int(rows[0]["attempts"])

            while await attempts() < 2:
                assert time.monotonic() - frozen < 60, f"not re-queued\n{platform.log_tail()}"
                await asyncio.sleep(0.2)
            requeued_after = time.monotonic() - frozen
        finally:
            os.killpg(pid, signal.SIGCONT)
        await platform.wait_finished([job], timeout=180)
        await platform.assert_exactly_once([job])
        rows = await platform.query(
            "SELECT step::text, attempt, success, error_code FROM processing_timeline "
            "WHERE job_id = $1::uuid AND attempt = 1 AND step = 'encoding'", job)
        assert [tuple(row) for row in rows] == [("encoding", 1, False, "worker_lost")]
        [state] = await platform.query("SELECT attempts FROM jobs WHERE id = $1::uuid", job)
        assert state["attempts"] == 2
        print(f"\nfrozen worker: job re-queued {requeued_after:.1f}s after the freeze "
              f"(threshold {STALLED_AFTER:g}s), completed once as attempt 2")
