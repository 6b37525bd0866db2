"""A job request published by an upstream system on the requests topic ends as a video."""

from __future__ import annotations

import json
import time
from pathlib import Path
from uuid import UUID, uuid4

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.client.api import VidgenClient
from shared.events import JobRejected, JobRequest, parse_event
from tests.e2e.platform import JOB_TIMEOUT, TERMINAL, Platform, tiny_spec


async def _publish(platform: Platform, request: JobRequest) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=platform.bootstrap, acks="all",
                                enable_idempotence=platform.broker_kind != "tansu")
    await producer.start()
    try:
        await producer.send_and_wait(
            platform.topics.requests, json.dumps(request.model_dump(mode="json")).encode(),
            key=str(request.request_id).encode(),
        )
    finally:
        await producer.stop()


async def test_a_request_on_the_intake_topic_is_rendered(platform: Platform, photo_source: str,
                                                         tmp_path: Path):
    key = f"kafka-{uuid4()}"
    request = JobRequest(job=tiny_spec(photo_source, idempotency_key=key), client="e2e")
    await _publish(platform, request)

    async def job() -> list:
        return await platform.query(
            "SELECT id, status::text AS status, result_url FROM jobs "
            "WHERE id = $1 OR idempotency_key = $2", request.request_id, key)

    rows = await platform.poll(job, lambda rows: bool(rows) and rows[0]["status"] in TERMINAL,
                               what="the Kafka job to finish", timeout=JOB_TIMEOUT)
    assert len(rows) == 1
    assert rows[0]["status"] == "completed", platform.log_tail()
    with VidgenClient(platform.api, platform.storage) as client:
        assert client.download(rows[0]["result_url"], tmp_path / "kafka.mp4") > 1000


async def _rejection(platform: Platform, job_id: UUID, timeout: float = 30.0) -> JobRejected:
    """Read the events topic from the start until the JobRejected of ``job_id``."""
    consumer = AIOKafkaConsumer(platform.topics.events, bootstrap_servers=platform.bootstrap,
                                group_id=None, auto_offset_reset="earliest")
    await consumer.start()
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=500)
            for record in (r for records in batches.values() for r in records):
                event = parse_event(record.value)
                if isinstance(event, JobRejected) and event.job_id == job_id:
                    return event
    finally:
        await consumer.stop()
    raise AssertionError(f"no JobRejected for {job_id} within {timeout:.0f}s\n"
                         f"{platform.log_tail()}")


async def test_an_invalid_request_on_the_intake_topic_is_rejected(platform: Platform):
    request = JobRequest(job={"output": {"width": -4}, "elements": []}, client="e2e")
    await _publish(platform, request)
    rejected = await _rejection(platform, request.request_id)
    assert rejected.request_id == request.request_id
    paths = {error["path"] for error in rejected.errors}
    assert {"output.width", "elements"} <= paths, rejected.errors
    assert await platform.job_row(str(request.request_id)) is None
    async with httpx.AsyncClient(timeout=10) as http:  # ingest is still there
        assert (await http.get(f"{platform.api}/healthz")).status_code == 200
