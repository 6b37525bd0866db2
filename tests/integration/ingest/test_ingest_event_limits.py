"""Size limits that agree end to end, and an outbox no single row can block.

A job is accepted only when its events fit the producer's message limit; a row that still
cannot be published (written before a limit changed, a stricter broker) is set aside, its
job fails with `event_unpublishable`, and the rows behind it go out.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import pytest

from shared.db.pool import transaction
from shared.events import JobAccepted
from shared.outbox import enqueue, stored_size
from tests.integration.ingest.access_helpers import small_spec
from tests.integration.ingest.harness import Ingest, eventually

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(90)]


async def test_stored_size_is_the_size_postgres_gives_the_payload(ingest: Ingest) -> None:
    values: list[Any] = [
        {"a": 1, "b": [1, 2.5, None, True, False], "c": {}, "d": []},
        {"big": 1e300, "small": 1e-9, "neg": -1.5e16, "int": 10**30, "zero": 0.0},
        {"text": 'quote " back \\ nl \n tab \t ctl \x01 del \x7f é 中 \u2028 😀'},
        [[[[{"deep": "x"}]]]], "just a string", 42,
    ]
    for value in values:
        measured = await ingest.pool.fetchval(
            "SELECT octet_length($1::jsonb::text)", json.dumps(value))
        assert stored_size(value) == measured, value


async def test_a_body_under_the_limit_whose_events_would_not_fit_is_refused(
        ingest: Ingest) -> None:
    limit = ingest.settings.kafka_max_message_bytes
    body = small_spec(metadata={"blob": "x" * (limit - 2000)})
    assert len(json.dumps(body)) < ingest.app.state.service.api.max_body_bytes
    answer = await ingest.client.post("/v1/jobs", json=body)
    assert answer.status_code == 422, answer.text
    [problem] = answer.json()["errors"]
    assert problem["path"] == "metadata"
    assert f"{limit}-byte message limit" in problem["message"]
    assert "VIDGEN_KAFKA_MAX_MESSAGE_BYTES" in problem["message"]
    # a job just inside the limit is accepted, and its event is published
    fits = await ingest.client.post(
        "/v1/jobs", json=small_spec(metadata={"blob": "x" * (limit - 8000)}))
    assert fits.status_code == 202, fits.text
    job_id = fits.json()["job_id"]
    await ingest.messages(ingest.settings.topics.events,
                          lambda record: json.loads(record.value)["job_id"] == job_id
                          and json.loads(record.value)["type"] == "job.accepted")


async def test_a_row_the_broker_refuses_is_set_aside_and_the_rest_go_out(ingest: Ingest) -> None:
    first = await ingest.client.post("/v1/jobs", json=small_spec(metadata={"n": "poisoned"}))
    assert first.status_code == 202
    poisoned = UUID(first.json()["job_id"])
    oversized = {**small_spec(), "metadata": {"blob": "x" * (2 * 1024**2)}}
    async with transaction(ingest.app.state.pool) as conn:  # a row from before a limit changed
        await enqueue(conn, ingest.settings.topics.events,
                      JobAccepted(job_id=poisoned, producer="ingest", spec=oversized))
    later = await ingest.client.post("/v1/jobs", json=small_spec(metadata={"n": "later"}))
    assert later.status_code == 202
    later_id = later.json()["job_id"]

    def accepted_later(record: Any) -> bool:
        event = json.loads(record.value)
        return event["type"] == "job.accepted" and event["job_id"] == later_id

    await ingest.messages(ingest.settings.topics.events, accepted_later)
    failed = await eventually(lambda: _failed(ingest, poisoned), what="the poisoned job failed")
    assert failed["error_code"] == "event_unpublishable"
    assert "MessageSizeTooLargeError" in failed["error_message"]
    aside = await ingest.pool.fetch(
        "SELECT last_error FROM outbox WHERE key = $1 AND set_aside_at IS NOT NULL",
        str(poisoned))
    assert len(aside) == 1 and "MessageSizeTooLargeError" in aside[0]["last_error"]

    def job_failed(record: Any) -> bool:
        event = json.loads(record.value)
        return event["type"] == "job.failed" and event["job_id"] == str(poisoned)

    [record] = await ingest.messages(ingest.settings.topics.events, job_failed)
    assert json.loads(record.value)["error_code"] == "event_unpublishable"


async def _failed(ingest: Ingest, job_id: UUID) -> Any:
    job = await ingest.job(job_id)
    return job if job is not None and job["status_text"] == "failed" else None
