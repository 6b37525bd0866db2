"""Job requests from the requests topic: the same create path as HTTP."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import pytest

from services.ingest.handlers import IntakeConsumer
from shared.events import JobRequest
from tests.integration.ingest.harness import Ingest, eventually

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(60)]


async def send(ingest: Ingest, body: Any, key: bytes | None = None) -> None:
    await ingest.producer.publish(body, topic=ingest.settings.topics.requests, key=key)


async def test_a_valid_request_becomes_a_job_once(ingest: Ingest) -> None:
    request = JobRequest(client="upstream-a", job={
        "output": {"width": 640, "height": 360},
        "elements": [{"type": "video", "source": "https://media.example.com/v.mp4"}],
        "response": "immediate",  # meaningless on the topic: nobody waits
    })
    body = request.model_dump(mode="json")
    await send(ingest, body, key=str(request.request_id).encode())
    await send(ingest, body, key=str(request.request_id).encode())  # redelivered

    job = await eventually(lambda: ingest.job(request.request_id), what="the job")
    assert job["status_text"] == "pending"
    assert job["user_agent"] == "kafka:upstream-a"
    assert job["client_ip"] is None
    assert (job["width"], job["height"]) == (640, 360)
    accepted = await ingest.messages(
        ingest.settings.topics.events,
        lambda r: r.key == str(request.request_id).encode()
        and json.loads(r.value)["type"] == "job.accepted")
    assert json.loads(accepted[0].value)["spec"]["elements"][0]["source"] == (
        "https://media.example.com/v.mp4")
    await eventually(lambda: ingest.pool.fetchval(
        "SELECT count(*) = 1 FROM processed_events WHERE consumer = 'ingest-intake' "
        "AND event_id = $1", request.request_id), what="the request to be recorded")
    # both deliveries are behind us once a later request on the same key is handled
    later = JobRequest(request_id=uuid4(), job=request.job)
    await send(ingest, later.model_dump(mode="json"), key=str(request.request_id).encode())
    await eventually(lambda: ingest.job(later.request_id), what="the later job")
    assert await ingest.pool.fetchval(
        "SELECT count(*) FROM jobs WHERE id = $1", request.request_id) == 1
    assert await ingest.pool.fetchval(
        "SELECT count(*) FROM outbox WHERE key = $1 AND payload->>'type' = 'job.accepted'",
        str(request.request_id)) == 1


async def test_an_invalid_request_is_rejected_with_every_problem(ingest: Ingest) -> None:
    request = JobRequest(job={"output": {"fps": 0}, "elements": [{"type": "image"}]})
    await send(ingest, request.model_dump(mode="json"), key=str(request.request_id).encode())
    rejected = await ingest.messages(
        ingest.settings.topics.events,
        lambda r: r.key == str(request.request_id).encode()
        and json.loads(r.value)["type"] == "job.rejected")
    event = json.loads(rejected[0].value)
    assert event["request_id"] == str(request.request_id)
    assert {error["path"] for error in event["errors"]} == {"output.fps",
                                                            "elements[0].source"}
    assert await ingest.job(request.request_id) is None


async def test_a_message_that_is_not_a_request_is_dead_lettered(ingest: Ingest) -> None:
    marker = uuid4().hex
    await send(ingest, f"garbage {marker}".encode())
    await send(ingest, {"job": "not an object", "marker": marker})
    dead = await ingest.messages(
        ingest.settings.topics.dead_letter,
        lambda r: r.value is not None and marker.encode() in r.value, count=2)
    for record in dead:
        headers = dict(record.headers)
        assert headers["vidgen-consumer"] == b"ingest-intake"
        assert headers["vidgen-source-topic"] == ingest.settings.topics.requests.encode()
        assert b"not a JobRequest" in headers["vidgen-error"]
    # and the consumer is still alive
    request = JobRequest(job={"elements": [{"type": "text", "text": "still here"}]})
    await send(ingest, request.model_dump(mode="json"))
    await eventually(lambda: ingest.job(request.request_id), what="a job after the garbage")


async def test_a_batch_is_written_in_one_go_with_every_outcome_of_one_by_one(
    ingest: Ingest, caplog: pytest.LogCaptureFixture
) -> None:
    """handle_batch on a mixed batch: valid requests become jobs, an invalid spec is
    rejected, garbage is dead-lettered, a repeat (in the batch or a redelivery) changes
    nothing."""
    intake = IntakeConsumer(ingest.app.state.pool, ingest.producer, ingest.settings.topics)
    topic = ingest.settings.topics.requests
    spec = {"output": {"width": 320, "height": 180},
            "elements": [{"type": "text", "text": "batched"}]}
    valid = [JobRequest(job=spec, client="burst") for _ in range(25)]
    invalid = JobRequest(job={"output": {"width": 0}, "elements": []})
    marker = uuid4().hex
    bodies = [r.model_dump_json().encode() for r in valid]
    bodies[5:5] = [invalid.model_dump_json().encode(), f"garbage {marker}".encode(),
                   bodies[0]]  # the first request again, within the batch
    await intake.handle_batch(bodies, topic)
    await intake.handle_batch(bodies[:3], topic)  # redelivered
    assert "one by one" not in caplog.text  # the batch path, not the fallback

    ids = [r.request_id for r in valid]
    assert await ingest.pool.fetchval(
        "SELECT count(*) FROM jobs WHERE id = ANY($1) AND status = 'pending' "
        "AND user_agent = 'kafka:burst'", ids) == 25
    assert await ingest.pool.fetchval(
        "SELECT count(*) FROM elements WHERE job_id = ANY($1)", ids) == 25
    assert await ingest.pool.fetchval(
        "SELECT count(*) FROM outbox WHERE key = ANY($1) AND payload->>'type' = "
        "'job.accepted'", [str(i) for i in ids]) == 25
    assert await ingest.job(invalid.request_id) is None
    rejected = await ingest.pool.fetchval(
        "SELECT payload FROM outbox WHERE key = $1 AND payload->>'type' = 'job.rejected'",
        str(invalid.request_id))
    assert {e["path"] for e in json.loads(rejected)["errors"]} == {"output.width", "elements"}
    dead = await ingest.messages(ingest.settings.topics.dead_letter,
                                 lambda r: r.value is not None and marker.encode() in r.value)
    assert dict(dead[0].headers)["vidgen-consumer"] == b"ingest-intake"
    assert await ingest.pool.fetchval(
        "SELECT count(*) FROM processed_events WHERE consumer = 'ingest-intake' "
        "AND event_id = ANY($1)", [*ids, invalid.request_id]) == 26
