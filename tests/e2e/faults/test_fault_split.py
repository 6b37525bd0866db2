"""Split jobs on the whole stack, broken on purpose: kill -9 a worker mid-slice (only that
slice is rendered again), and cancel mid-render (no FFmpeg, no staged unit left behind)."""

from __future__ import annotations

import asyncio
import time

import aioboto3
import httpx
import pytest

from shared.testing.brokers import RunningBroker
from shared.testing.s3 import RunningS3
from tests.e2e.faults.stack import FaultStack, fault_stack, text_spec

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]

SPLIT_ENV = {"VIDGEN_SPLIT_MIN_SECONDS": "10", "VIDGEN_SPLIT_SLICE_SECONDS": "6"}
WORKERS = ("render-1", "render-2")


def _long_spec(label: str) -> dict[str, object]:
    # six 6-second slices and the audio, each some seconds of FFmpeg work
    return text_spec(label, width=640, height=360, duration=36, preset="veryslow", fps=25)


async def _rendering_unit(platform: FaultStack, job_id: str,
                          timeout: float = 120.0) -> tuple[str, int]:
    """(service name, unit) of a worker whose FFmpeg renders a unit of the job right now."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = await platform.query(
            "SELECT unit, worker_id FROM render_slices WHERE job_id = $1::uuid "
            "AND state = 'rendering' AND kind = 'video'", job_id)
        for row in rows:
            name = row["worker_id"].removeprefix("dev-")
            if platform.process(name).running() and platform.ffmpeg_of(name):
                return name, int(row["unit"])
        await asyncio.sleep(0.05)
    raise AssertionError(f"no unit was rendering within {timeout:.0f}s\n{platform.log_tail()}")


async def _staged(platform: FaultStack, job_id: str) -> list[str]:
    session = aioboto3.Session()
    async with session.client("s3", endpoint_url=platform.s3_endpoint, region_name="us-east-1",
                              aws_access_key_id=platform.s3_keys[0],
                              aws_secret_access_key=platform.s3_keys[1]) as s3:
        listing = await s3.list_objects_v2(Bucket=platform.bucket, Prefix=f"staging/{job_id}/")
    return [item["Key"] for item in listing.get("Contents", ())]


async def test_killing_a_worker_mid_slice_renders_only_that_slice_again(
    fresh_database: str, kafka_broker: RunningBroker, e2e_s3: RunningS3, tmp_path,
) -> None:
    async with fault_stack(tmp_path, database=fresh_database, bootstrap=kafka_broker.bootstrap,
                           broker_kind=kafka_broker.kind, s3_env=e2e_s3.env,
                           extra_env=SPLIT_ENV) as platform:
        async with httpx.AsyncClient(timeout=30) as http:
            job_id = await platform.submit(http, _long_spec("kill a slice"))
            name, unit = await _rendering_unit(platform, job_id)
            ffmpeg = platform.ffmpeg_of(name)
            platform.kill(name)
            assert all(not process.is_running() or process.status() == "zombie"
                       for process in ffmpeg), "an FFmpeg outlived its worker"
            await platform.restart(name)
            await platform.wait_finished([job_id], timeout=300)
        await platform.assert_exactly_once([job_id])
        rows = await platform.query(
            "SELECT unit, renders, state FROM render_slices WHERE job_id = $1::uuid "
            "ORDER BY unit", job_id)
        renders = {row["unit"]: row["renders"] for row in rows}
        assert {row["state"] for row in rows} == {"done"}
        assert len(renders) == 7, renders  # six slices and the audio
        assert renders[unit] == 2, f"the killed unit {unit}: {renders}"
        assert {u: n for u, n in renders.items() if u != unit} == dict.fromkeys(
            set(renders) - {unit}, 1), f"a unit that was not killed was rendered again: {renders}"
        print(f"\nkilled {name} rendering unit {unit}; renders per unit: {renders}")


async def test_cancel_mid_split_render_leaves_no_ffmpeg_and_no_staged_unit(
    fresh_database: str, kafka_broker: RunningBroker, e2e_s3: RunningS3, tmp_path,
) -> None:
    async with fault_stack(tmp_path, database=fresh_database, bootstrap=kafka_broker.bootstrap,
                           broker_kind=kafka_broker.kind, s3_env=e2e_s3.env,
                           extra_env=SPLIT_ENV) as platform:
        async with httpx.AsyncClient(timeout=30) as http:
            job_id = await platform.submit(http, _long_spec("cancel a split job"))
            await _rendering_unit(platform, job_id)
            answer = await http.delete(f"{platform.api}/v1/jobs/{job_id}")
            assert answer.status_code in (200, 202), answer.text
            assert await platform.wait_finished([job_id], timeout=60) == {job_id: "cancelled"}
        deadline = time.monotonic() + 30
        while any(platform.ffmpeg_of(name) for name in WORKERS) or await _staged(platform,
                                                                               job_id):
            assert time.monotonic() < deadline, (
                f"FFmpeg {[platform.ffmpeg_of(n) for n in WORKERS]} or staged "
                f"{await _staged(platform, job_id)} left after the cancel")
            await asyncio.sleep(0.2)
