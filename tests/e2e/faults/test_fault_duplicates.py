"""Every message delivered twice (each service publishes everything twice): the projections
equal those of a clean run of the same jobs, modulo ids, timestamps and worker names."""

from __future__ import annotations

import asyncio
import re
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from shared.testing.brokers import RunningBroker
from shared.testing.s3 import RunningS3
from tests.e2e.faults.stack import FaultStack, fault_stack, text_spec

pytestmark = [pytest.mark.faults, pytest.mark.timeout(480)]

_ROOT = str(Path(__file__).resolve().parents[3])
SPECS = [text_spec(f"twice {n}", duration=0.4 + n / 10) for n in range(5)]
_VOLATILE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                       r"|\d{4}-\d{2}-\d{2}|dev-render-\d+")


def _twice(module: str) -> list[str]:
    return [sys.executable, "-m", "tests.e2e.faults.twice", module]


async def _run(platform: FaultStack) -> list[str]:
    async with httpx.AsyncClient(timeout=30) as http:
        jobs = [await platform.submit(http, spec) for spec in SPECS]
    await platform.wait_finished(jobs, timeout=180)
    await platform.wait_settled(jobs)
    await _wait_metrics_caught_up(platform, len(jobs))
    return jobs


async def _wait_metrics_caught_up(platform: FaultStack, jobs: int, timeout: float = 60) -> None:
    """The metrics service is its own consumer and may lag behind the timeline's: wait until
    it has seen each job's last event (the end of its cleanup step; a job's events share a
    partition, so everything before it was seen too)."""
    deadline = time.monotonic() + timeout
    while True:
        rows = await platform.query(
            "SELECT count(*) AS n FROM system_metrics WHERE metric_name = 'step_duration_seconds'"
            " AND labels->>'step' = 'cleanup'")
        if rows[0]["n"] >= jobs:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"metrics saw {rows[0]['n']} of {jobs} cleanups in {timeout:.0f}s"
                                 f"\n{platform.log_tail()}")
        await asyncio.sleep(0.2)


async def _messages(platform: FaultStack) -> dict[str, int]:
    """How many messages each topic of the platform holds (the broker outlives the stack)."""
    topics = (platform.topics.events, platform.topics.render)
    consumer = AIOKafkaConsumer(*topics, bootstrap_servers=platform.bootstrap)
    await consumer.start()  # subscribing fetches the topics' metadata
    try:
        counts = {}
        for topic in topics:
            parts = [TopicPartition(topic, p)
                     for p in consumer.partitions_for_topic(topic) or ()]
            assert parts, f"no partitions known for {topic}"
            ends = await consumer.end_offsets(parts)
            counts[topic.rsplit(".", 1)[1]] = sum(ends.values())
        return counts
    finally:
        await consumer.stop()


async def _projections(platform: FaultStack, jobs: list[str]) -> dict[str, Any]:
    """What each table says about the jobs, in submission order, without ids and times."""
    index = {job: n for n, job in enumerate(jobs)}
    q = platform.query
    job_rows = await q("SELECT id::text AS job, status::text, current_step::text,"
                       " progress_percentage, attempts, error_code, output_format, width, height,"
                       " result_url IS NOT NULL AS has_result"
                       " FROM jobs WHERE id = ANY($1::uuid[])", jobs)
    timeline = await q("SELECT job_id::text AS job, step::text, attempt, success, progress,"
                       " error_code FROM processing_timeline WHERE job_id = ANY($1::uuid[])",
                       jobs)
    storage = await q("SELECT job_id::text AS job, operation::text, success, retry_count,"
                      " s3_key FROM storage_operations WHERE job_id = ANY($1::uuid[])", jobs)
    # Not compared: how many step.changed events there were. Progress events and heartbeats
    # carry fresh ids by design (advisory), and their number follows the encode's timing,
    # so it differs between two clean runs too; the steps themselves are in the timeline.
    metrics = await q("SELECT metric_name, labels::text FROM system_metrics"
                      " WHERE NOT (metric_name = 'events_total'"
                      "            AND labels->>'type' = 'step.changed')")

    def rows(records: list[Any]) -> list[tuple[Any, ...]]:
        out = []
        for record in records:
            values = dict(record)
            position = index[values.pop("job")]
            out.append((position, *(_VOLATILE.sub("*", v) if isinstance(v, str) else v
                                    for v in values.values())))
        return sorted(out, key=repr)

    return {
        "jobs": rows(job_rows),
        "timeline": rows(timeline),
        "storage_operations": rows(storage),
        "system_metrics": sorted(Counter(
            (r["metric_name"], _VOLATILE.sub("*", r["labels"].replace(platform.prefix, "*")))
            for r in metrics).items()),
    }


async def test_every_message_twice_gives_the_projections_of_a_clean_run(
    fresh_database: str, databases: Callable[[], Awaitable[str]], kafka_broker: RunningBroker,
    second_broker: RunningBroker, e2e_s3: RunningS3, tmp_path,
) -> None:
    common = {"broker_kind": kafka_broker.kind, "s3_env": e2e_s3.env,
              "extra_env": {"PYTHONPATH": _ROOT}}
    async with fault_stack(tmp_path / "clean", database=fresh_database,
                           bootstrap=kafka_broker.bootstrap, **common) as clean:
        clean_jobs = await _run(clean)
        expected = await _projections(clean, clean_jobs)
    async with fault_stack(tmp_path / "twice", database=await databases(), command=_twice,
                           bootstrap=second_broker.bootstrap, **common) as doubled:
        jobs = await _run(doubled)
        await doubled.assert_exactly_once(jobs)
        got = await _projections(doubled, jobs)
        sent = await _messages(doubled)
    clean_sent = await _messages(clean)
    # at least twice as many (a duplicate handled before its twin was recorded as done
    # repeats the work, whose events are doubled again: idempotency has to absorb them too)
    assert all(sent[topic] >= 2 * n for topic, n in clean_sent.items()), (sent, clean_sent)
    assert [row[1] for row in got["jobs"]] == ["completed"] * len(SPECS)
    for table in expected:
        assert got[table] == expected[table], (table, set(got[table]) ^ set(expected[table]))
    print(f"\nevery message twice: {len(jobs)} jobs, projections equal to the clean run's "
          f"({', '.join(f'{t}: {len(v)} rows' for t, v in got.items())}); "
          f"messages on the topics: {sent} against {clean_sent} in the clean run")
