"""Load: 2,000 tiny jobs (64x64, 0.2 s, text on colour, ultrafast) through two render
workers, submitted at once on the intake topic. All complete, none lost, none done twice;
prints the throughput and how the backlog drained (status counts sampled over time).

`VIDGEN_LOAD_JOBS` changes the count (e.g. 200 while developing).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter

import pytest
from aiokafka import AIOKafkaProducer

from shared.events import JobRequest
from shared.testing.brokers import RunningBroker
from shared.testing.s3 import RunningS3
from tests.e2e.faults.stack import FaultStack, fault_stack, text_spec

JOBS = int(os.environ.get("VIDGEN_LOAD_JOBS", "2000"))
DEADLINE = 15 * 60.0
SAMPLE_EVERY = 5.0

pytestmark = [pytest.mark.load, pytest.mark.timeout(DEADLINE + 300)]


async def _submit(platform: FaultStack, count: int) -> list[str]:
    producer = AIOKafkaProducer(bootstrap_servers=platform.bootstrap, acks="all",
                                linger_ms=20)
    await producer.start()
    try:
        requests = [JobRequest(job=text_spec(f"#{n}"), client="load") for n in range(count)]
        sends = [await producer.send(platform.topics.requests,
                                     request.model_dump_json().encode(),
                                     key=str(request.request_id).encode())
                 for request in requests]
        await asyncio.gather(*sends)
    finally:
        await producer.stop()
    return [str(request.request_id) for request in requests]


async def test_two_thousand_jobs_through_two_workers(
    fresh_database: str, kafka_broker: RunningBroker, e2e_s3: RunningS3, tmp_path,
) -> None:
    async with fault_stack(tmp_path / "stack", database=fresh_database,
                           bootstrap=kafka_broker.bootstrap, broker_kind=kafka_broker.kind,
                           s3_env=e2e_s3.env, render_workers=2) as platform:
        started = time.monotonic()
        jobs = await _submit(platform, JOBS)
        submitted = time.monotonic() - started
        samples: list[tuple[float, Counter[str]]] = []
        last = [0.0]

        def sample(statuses: dict[str, str]) -> None:
            now = time.monotonic() - started
            if now - last[0] >= SAMPLE_EVERY or (len(statuses) == JOBS and all(
                    s == "completed" for s in statuses.values())):
                last[0] = now
                counts = Counter(statuses.values())
                counts["not yet accepted"] = JOBS - len(statuses)
                samples.append((now, counts))

        await platform.wait_finished(jobs, timeout=DEADLINE, on_poll=sample, interval=1.0)
        drained = time.monotonic() - started
        await platform.assert_exactly_once(jobs)
        workers = await platform.query(
            "SELECT worker_id, count(*) AS n FROM processing_timeline "
            "WHERE step = 'encoding' AND success GROUP BY worker_id ORDER BY worker_id")

    print(f"\n{JOBS} jobs submitted in {submitted:.1f}s, all completed once in {drained:.1f}s: "
          f"{JOBS / drained:.1f} jobs/s; encodes per worker: "
          f"{ {row['worker_id']: row['n'] for row in workers} }")
    print(f"{'t (s)':>7} {'queued':>7} {'pending':>8} {'processing':>11} {'completed':>10} "
          f"{'failed':>7}")
    for at, counts in samples:
        print(f"{at:7.0f} {counts['not yet accepted']:7d} {counts['pending']:8d} "
              f"{counts['processing']:11d} {counts['completed']:10d} {counts['failed']:7d}")
    assert len(workers) == 2, "both workers rendered"
