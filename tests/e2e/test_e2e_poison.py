"""A poison message on every topic: it lands in the dead-letter topic with the error and the
attempt count, a job it names fails with an error code, and every consumer keeps consuming
(jobs sent afterwards complete). Runs on the session's platform: nothing here breaks it."""

from __future__ import annotations

import json
import time
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.events import JobRequest
from tests.e2e.platform import JOB_TIMEOUT, TERMINAL, Platform, tiny_spec

pytestmark = pytest.mark.timeout(240)

GARBAGE = b"\x00\xffnot json at all"


async def _pending_job(platform: Platform) -> UUID:
    """A job row nobody works on (no JobAccepted was published for it)."""
    job_id = uuid4()
    conn = await asyncpg.connect(platform.dsn)
    try:
        await conn.execute("INSERT INTO jobs (id, output_format, width, height, spec) "
                           "VALUES ($1, 'mp4', 64, 64, '{}'::jsonb)", job_id)
    finally:
        await conn.close()
    return job_id


async def _dead_letters(platform: Platform, wanted: set[tuple[str, str]],
                        since_ms: int, timeout: float = 60) -> list[dict[str, Any]]:
    """Dead letters published after `since_ms` until every (source topic, consumer) of
    `wanted` was seen."""
    consumer = AIOKafkaConsumer(platform.topics.dead_letter, bootstrap_servers=platform.bootstrap,
                                group_id=None, auto_offset_reset="earliest")
    await consumer.start()
    found: list[dict[str, Any]] = []
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for record in (r for records in batches.values() for r in records):
                if record.timestamp < since_ms or (record.value == GARBAGE and not record.headers):
                    continue  # older, or the poison this test put on the dead-letter topic
                headers = {k: v.decode() for k, v in record.headers}
                found.append({"headers": headers, "value": record.value})
            seen = {(d["headers"].get("vidgen-source-topic", ""),
                     d["headers"].get("vidgen-consumer", "")) for d in found}
            if wanted <= seen:
                return found
    finally:
        await consumer.stop()
    raise AssertionError(f"dead letters seen: {[d['headers'] for d in found]}\n"
                         f"{platform.log_tail()}")


async def test_a_poison_message_on_each_topic_is_dead_lettered_and_consuming_goes_on(
    platform: Platform, photo_source: str,
) -> None:
    topics = platform.topics
    since_ms = int(time.time() * 1000) - 1000
    event_job, render_job = await _pending_job(platform), await _pending_job(platform)
    poison = [
        (topics.requests, GARBAGE),
        (topics.events, GARBAGE),
        (topics.events, json.dumps({"type": "job.accepted", "job_id": str(event_job),
                                    "spec": "not an object"}).encode()),
        (topics.render, GARBAGE),
        (topics.render, json.dumps({"type": "render.requested", "job_id": str(render_job),
                                    "assets": "none"}).encode()),
        (topics.dead_letter, GARBAGE),
    ]
    producer = AIOKafkaProducer(bootstrap_servers=platform.bootstrap, acks="all")
    await producer.start()
    try:
        for topic, body in poison:
            await producer.send_and_wait(topic, body, key=b"poison")
        request = JobRequest(job=tiny_spec(photo_source), client="after-poison")
        await producer.send_and_wait(topics.requests,
                                     request.model_dump_json().encode(),
                                     key=str(request.request_id).encode())
    finally:
        await producer.stop()

    wanted = {(topics.requests, "ingest-intake"), (topics.events, "ingest-projection"),
              (topics.events, "storage"), (topics.render, "render")}
    letters = await _dead_letters(platform, wanted, since_ms)
    for letter in letters:
        assert letter["headers"]["vidgen-error"], letter
        assert letter["headers"]["vidgen-attempts"] == "1", "bad input is not retried"

    async def status(job_id: UUID) -> tuple[str, str | None]:
        rows = await platform.query("SELECT status::text, error_code FROM jobs WHERE id = $1",
                                    job_id)
        return rows[0]["status"], rows[0]["error_code"]

    for job_id in (event_job, render_job):
        outcome = await platform.poll(lambda job_id=job_id: status(job_id),
                                      lambda s: s[0] in TERMINAL, what=f"job {job_id} to fail")
        assert outcome == ("failed", "invalid_event")

    # every consumer is still consuming: jobs through the intake topic and the API complete
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.post(f"{platform.api}/v1/jobs", json=tiny_spec(photo_source,
                                                                            response="async"))
        assert answer.status_code == 202, answer.text
        after = await platform.finished_job(http, answer.json()["job_id"])
        assert after["status"] == "completed", platform.log_tail()
        kafka_job = await platform.poll(lambda: status(request.request_id),
                                        lambda s: s[0] in TERMINAL, what="the intake job",
                                        timeout=JOB_TIMEOUT)
        assert kafka_job == ("completed", None)
    invalid = await platform.query(
        "SELECT count(*) AS n FROM system_metrics WHERE recorded_at > now() - interval '5 min' "
        "AND metric_name LIKE '%invalid%'")
    assert invalid[0]["n"] >= 1, "the metrics consumer did not count the poison it read"
