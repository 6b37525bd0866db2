"""Cancel and time-out mid-render through the whole stack (API → ingest → render): the FFmpeg
process is gone (by pid), the render's temp files are gone, the status is cancelled/timeout,
nothing is published, and the worker renders the next job."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import psutil
import pytest

from shared.testing.brokers import RunningBroker
from shared.testing.s3 import RunningS3
from tests.e2e.faults.stack import FaultStack, fault_stack, text_spec

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]

RENDER_TIMEOUT = 6.0
LONG = text_spec("long", width=640, height=360, duration=300, preset="veryslow", fps=25)


async def _encoding(platform: FaultStack, job_id: str, timeout: float = 60) -> psutil.Process:
    """The FFmpeg encoding `job_id` once it runs (its command line names the job's files)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = await platform.query("SELECT worker_id, current_step::text FROM jobs "
                                    "WHERE id = $1::uuid", job_id)
        worker = rows[0]["worker_id"] if rows else None
        if worker and worker.startswith("dev-render-") and rows[0]["current_step"] == "encoding":
            found = platform.ffmpeg_of(worker.removeprefix("dev-"))
            if found:
                return found[0]
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} was not encoding within {timeout:.0f}s")


async def _gone(ffmpeg: psutil.Process, work_dir: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = ffmpeg.is_running() and ffmpeg.status() != psutil.STATUS_ZOMBIE
        if not running and not any(work_dir.iterdir()):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"FFmpeg {ffmpeg.pid} or the temp files {list(work_dir.iterdir())} "
                         f"outlived the render")


async def test_cancel_and_timeout_mid_render_kill_ffmpeg_and_clean_up(
    fresh_database: str, kafka_broker: RunningBroker, e2e_s3: RunningS3, tmp_path,
) -> None:
    work_dir = tmp_path / "render-work"
    work_dir.mkdir()
    # one render of the whole job: a split job's slices each get the render timeout
    # (docs/decisions.md), and 300 s of text would be split past the default threshold
    env = {"VIDGEN_RENDER_TIMEOUT": str(RENDER_TIMEOUT), "VIDGEN_WORK_DIR": str(work_dir),
           "VIDGEN_SPLIT_MIN_SECONDS": "0"}
    async with fault_stack(tmp_path / "stack", database=fresh_database,
                           bootstrap=kafka_broker.bootstrap, broker_kind=kafka_broker.kind,
                           s3_env=e2e_s3.env, render_workers=1,
                           extra_env=env) as platform, httpx.AsyncClient(timeout=30) as http:
        cancelled = await platform.submit(http, LONG)
        ffmpeg = await _encoding(platform, cancelled)
        answer = await http.delete(f"{platform.api}/v1/jobs/{cancelled}")
        assert answer.status_code == 200, answer.text
        started = time.monotonic()
        await _gone(ffmpeg, work_dir)
        cancel_took = time.monotonic() - started

        timed_out = await platform.submit(http, LONG)
        cancelled_pid = ffmpeg.pid
        ffmpeg = await _encoding(platform, timed_out)
        await platform.wait_finished([timed_out], timeout=60)
        await _gone(ffmpeg, work_dir)

        after = await platform.submit(http, text_spec("after"))
        await platform.wait_finished([after], timeout=60)
        rows = await platform.query(
            "SELECT id::text, status::text, error_code FROM jobs WHERE id = ANY($1::uuid[])",
            [cancelled, timed_out, after])
        outcome = {row["id"]: (row["status"], row["error_code"]) for row in rows}
        assert outcome == {cancelled: ("cancelled", None),
                           timed_out: ("timeout", "render_timeout"),
                           after: ("completed", None)}
        objects = await platform.final_objects()
        assert (objects[cancelled], objects[timed_out], objects[after]) == (0, 0, 1)
        print(f"\ncancel: FFmpeg {cancelled_pid} gone and temp files removed "
              f"{cancel_took:.2f}s after DELETE; timeout after {RENDER_TIMEOUT:g}s: "
              f"FFmpeg {ffmpeg.pid} gone, temp files removed")
