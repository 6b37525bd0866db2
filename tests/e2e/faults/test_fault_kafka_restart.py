"""The Kafka broker restarts mid-pipeline (same port, same data dir): every job in flight
completes, once.

Always on Apache Kafka, started here for this test: Tansu keeps its log in memory, so a
restarted Tansu has lost the messages (that case is the reaper's, tests/integration/faults).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx
import pytest

from shared.testing.brokers import free_ports, start_kafka
from shared.testing.s3 import RunningS3
from tests.e2e.faults.stack import fault_stack, text_spec

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]

JOBS = 10


async def test_a_kafka_restart_mid_pipeline_loses_no_job(
    fresh_database: str, e2e_s3: RunningS3, tmp_path,
) -> None:
    port, controller = free_ports(2)
    data = tmp_path / "kafka"
    broker = await asyncio.to_thread(start_kafka, data, port=port, controller_port=controller)
    try:
        async with fault_stack(tmp_path / "stack", database=fresh_database,
                               bootstrap=broker.bootstrap, broker_kind="kafka",
                               s3_env=e2e_s3.env) as platform:
            async with httpx.AsyncClient(timeout=30) as http:
                spec = text_spec("kafka", width=640, height=360, duration=40,
                                 preset="veryslow", fps=25)
                jobs = [await platform.submit(http, spec) for _ in range(JOBS)]
            in_flight = await platform.wait_in_flight()
            before = Counter((await platform.statuses(jobs)).values())
            down = time.monotonic()
            await asyncio.to_thread(broker.stop)
            broker = await asyncio.to_thread(start_kafka, data, port=port,
                                             controller_port=controller)
            back = time.monotonic()
            await platform.wait_finished(jobs, timeout=400)
            recovered = time.monotonic() - back
            platform.stack.check()
            await platform.assert_exactly_once(jobs)
            print(f"\nKafka down {back - down:.1f}s (stop + start) with {in_flight} jobs "
                  f"processing ({dict(before)}); all {JOBS} completed once, "
                  f"{recovered:.1f}s after it was back")
    finally:
        await asyncio.to_thread(broker.stop)
