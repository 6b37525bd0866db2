"""The consumer kit (shared.consumer, shared.backoff, shared.status, shared.health).

Handlers run in memory on FastStream's TestKafkaBroker, subscribed with the kit's own
options and decoder, as every service subscribes them.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

import httpx
import pytest
from fastapi import FastAPI
from faststream.kafka import KafkaBroker, KafkaMessage, TestKafkaBroker

from shared.backoff import backoff, jittered
from shared.consumer import (
    INVALID_SPEC,
    EventConsumer,
    PermanentError,
    RetryPolicy,
    StepError,
    event_id,
    parse_spec,
    retry,
    subscriber_options,
)
from shared.events import Event, JobAccepted, JobFailed, StepChanged, Topics
from shared.health import NotReady, health_router
from shared.settings import PlatformSettings
from shared.status import ACTIVE, TERMINAL, JobStatus

pytestmark = pytest.mark.timeout(20)

TOPICS = Topics(prefix="kit")
FAST = RetryPolicy(max_attempts=3, base_delay=0.001, outage_budget=0.5)
SETTINGS = PlatformSettings(kafka_fetch_max_wait_ms=123, kafka_batch_max=7)


def test_backoff_doubles_within_its_jitter_and_stops_at_the_cap() -> None:
    for attempt, middle in ((1, 1.0), (2, 2.0), (3, 4.0)):
        delays = [backoff(attempt, 1.0) for _ in range(200)]
        assert all(0.5 * middle <= d < 1.5 * middle for d in delays)
        assert max(delays) - min(delays) > 0.1 * middle, "jittered, not fixed"
    assert all(backoff(20, 1.0, cap=5.0) < 7.5 for _ in range(100))
    assert all(7.5 <= jittered(10.0) < 12.5 for _ in range(100))


def test_event_ids_are_the_ids_the_services_always_derived() -> None:
    job = uuid4()
    # the ids before the kit (storage, render, reaper): redeliveries across an upgrade match
    assert event_id(job, "job.completed", 2) == uuid5(job, "job.completed:2")
    assert event_id(job, "step.changed", "download", "started", 1) == uuid5(
        job, "step.changed:download:started:1")
    assert event_id(job, "job.completed", 1) != event_id(job, "job.completed", 2)
    assert event_id(job, "job.completed", 1) != event_id(uuid4(), "job.completed", 1)


def test_one_status_vocabulary() -> None:
    assert {str(s) for s in JobStatus} == ACTIVE | TERMINAL
    assert not ACTIVE & TERMINAL
    assert "completed" in TERMINAL and "processing" in ACTIVE  # plain strings from Postgres


def test_an_invalid_spec_is_permanent_with_one_code() -> None:
    with pytest.raises(PermanentError) as caught:
        parse_spec({"elements": [{"type": "nope"}]}, "download")
    assert (caught.value.code, caught.value.step) == (INVALID_SPEC, "download")
    job = parse_spec({"elements": [{"type": "text", "text": "hi"}]}, "processing")
    assert len(job.elements) == 1


def test_subscriber_options_are_shared_and_extended() -> None:
    options = subscriber_options(SETTINGS, "g", session_timeout_ms=10_000, title="t")
    assert options["group_id"] == "g"
    assert options["auto_offset_reset"] == "earliest"
    assert (options["fetch_max_wait_ms"], options["session_timeout_ms"]) == (123, 10_000)
    assert options["title"] == "t" and "batch" not in options
    batched = subscriber_options(SETTINGS, "g", batch=True)
    assert (batched["batch"], batched["max_records"]) == (True, 7)


async def test_retry_retries_stops_on_permanent_errors_and_waits_out_outages() -> None:
    calls: list[int] = []

    async def twice_then_fine() -> None:
        calls.append(1)
        if len(calls) < 3:
            raise ValueError("flaky")

    assert await retry(twice_then_fine, FAST, name="t", what="w") is None
    assert len(calls) == 3

    async def permanent() -> None:
        calls.append(1)
        raise PermanentError("bad", "never")

    calls.clear()
    gave_up = await retry(permanent, FAST, name="t", what="w")
    assert gave_up is not None and gave_up.attempts == 1 and len(calls) == 1

    async def down_five_times() -> None:
        calls.append(1)
        if len(calls) <= 5:
            raise ConnectionRefusedError("down")
        raise ValueError("then broken")

    calls.clear()
    gave_up = await retry(down_five_times, FAST, name="t", what="w")
    assert gave_up is not None and isinstance(gave_up.error, ValueError)
    assert (len(calls), gave_up.attempts) == (5 + 3, 3), "the outage used no attempt"


class _Rig:
    """A broker with the kit's subscriber on `kit.events`, and what reached the DLQ and
    the events topic."""

    def __init__(self, handler: Any) -> None:
        self.broker = KafkaBroker()
        self.consumer = EventConsumer(name="kit-test", broker=self.broker, topics=TOPICS,
                                      policy=FAST, default_step="download")
        self.handled: list[Event] = []
        self.dead: list[tuple[bytes, dict[str, str]]] = []
        self.failed: list[JobFailed] = []

        async def on_event(body: bytes) -> None:
            async def run(event: Event) -> None:
                if isinstance(event, JobFailed):
                    return  # the consumer's own answers come back on the same topic
                self.handled.append(event)
                await handler(event)

            await self.consumer.handle(body, TOPICS.events, run)

        async def on_dead(msg: KafkaMessage) -> None:
            self.dead.append((msg.body, dict(msg.headers)))

        async def on_job_failed(msg: KafkaMessage) -> None:
            data = json.loads(msg.body)
            if data.get("type") == "job.failed":
                self.failed.append(JobFailed.model_validate(data))

        self.broker.subscriber(TOPICS.events, **subscriber_options(SETTINGS, "kit"))(on_event)
        self.broker.subscriber(TOPICS.dead_letter)(on_dead)
        self.broker.subscriber(TOPICS.events, group_id="watch")(on_job_failed)


async def _fine(_event: Event) -> None:
    return None


async def test_a_valid_event_reaches_its_handler_typed() -> None:
    rig = _Rig(_fine)
    event = StepChanged(job_id=uuid4(), step="download", state="started")
    async with TestKafkaBroker(rig.broker) as broker:
        await broker.publish(event.model_dump(mode="json"), topic=TOPICS.events)
    assert rig.handled == [event]
    assert (rig.dead, rig.failed) == ([], [])


async def test_garbage_is_dead_lettered_and_its_job_fails_as_an_invalid_event() -> None:
    rig = _Rig(_fine)
    job_id = uuid4()
    body = json.dumps({"type": "no.such.event", "job_id": str(job_id)}).encode()
    async with TestKafkaBroker(rig.broker) as broker:
        await broker.publish(body, topic=TOPICS.events)
    assert rig.handled == []
    [(dead_body, headers)] = rig.dead
    assert dead_body == body
    assert (headers["vidgen-attempts"], headers["vidgen-source-topic"],
            headers["vidgen-consumer"]) == ("1", TOPICS.events, "kit-test")
    assert [(f.job_id, f.error_code) for f in rig.failed] == [(job_id, "invalid_event")]


async def test_a_failing_handler_is_retried_then_dead_lettered_and_fails_the_job() -> None:
    async def broken(_event: Event) -> None:
        raise StepError("source_timeout", "the source kept timing out", step="download")

    rig = _Rig(broken)
    event = JobAccepted(job_id=uuid4(), spec={})
    async with TestKafkaBroker(rig.broker) as broker:
        await broker.publish(event.model_dump(mode="json"), topic=TOPICS.events)
    assert len(rig.handled) == FAST.max_attempts
    [(dead_body, headers)] = rig.dead
    assert UUID(json.loads(dead_body)["event_id"]) == event.event_id
    assert headers["vidgen-attempts"] == str(FAST.max_attempts)
    [failed] = rig.failed
    assert (failed.job_id, failed.step, failed.error_code) == (
        event.job_id, "download", "source_timeout")


def _health_app(checks: dict[str, Any]) -> FastAPI:
    app = FastAPI()
    app.include_router(health_router(lambda _request: checks))
    return app


async def test_readiness_reports_every_check_in_one_shape() -> None:
    async def ok() -> None:
        return None

    async def disconnected() -> bool:
        return False

    async def broken() -> None:
        raise OSError("refused")

    async def draining() -> None:
        raise NotReady("draining")

    transport = httpx.ASGITransport(app=_health_app({"database": ok, "broker": ok}))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        assert (await http.get("/healthz")).json() == {"status": "ok"}
        ready = await http.get("/readyz")
    assert (ready.status_code, ready.json()) == (
        200, {"status": "ready", "checks": {"database": "ok", "broker": "ok"}})

    app = _health_app({"database": ok, "broker": disconnected, "storage": broken,
                       "worker": draining})
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        ready = await http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "checks": {
        "database": "ok", "broker": "error: not connected",
        "storage": "error: OSError: refused", "worker": "draining"}}


def test_metrics_message_ids_keep_their_own_namespace() -> None:
    """Not an event id: the metrics service's id of a record by its log coordinates."""
    from services.metrics.decode import Message

    message = Message(topic="t", partition=1, offset=2, timestamp_ms=3, body=b"")
    namespace = uuid5(NAMESPACE_URL, "vidgen:metrics:message")
    assert message.coordinates_id == uuid5(namespace, "t/1/2/3")
