"""The intake consumer retries through the consumer kit: outages are waited out, a request
that keeps failing is dead-lettered as it came (FastStream's TestKafkaBroker, in memory)."""

from __future__ import annotations

from typing import Any

import pytest
from faststream.kafka import KafkaBroker, KafkaMessage, TestKafkaBroker

from services.ingest.handlers import INTAKE_GROUP, IntakeConsumer
from shared.consumer import RetryPolicy
from shared.events import JobRequest, Topics

pytestmark = pytest.mark.timeout(20)

TOPICS = Topics(prefix="intake")
POLICY = RetryPolicy(max_attempts=2, base_delay=0.001, outage_budget=5.0)


def _rig(failures: list[Exception]) -> tuple[KafkaBroker, IntakeConsumer, list[int],
                                             list[tuple[bytes, dict[str, str]]]]:
    broker = KafkaBroker()
    dead: list[tuple[bytes, dict[str, str]]] = []

    async def on_dead(msg: KafkaMessage) -> None:
        dead.append((msg.body, dict(msg.headers)))

    broker.subscriber(TOPICS.dead_letter)(on_dead)
    intake = IntakeConsumer(None, broker, TOPICS, policy=POLICY)
    calls: list[int] = []

    async def apply(_request: JobRequest, _topic: str) -> None:
        calls.append(1)
        if failures:
            raise failures.pop(0)

    intake._apply = apply  # type: ignore[method-assign]  # the database write, faked
    return broker, intake, calls, dead


async def test_a_lost_database_is_waited_out_without_dead_letters() -> None:
    outage: list[Exception] = [ConnectionRefusedError("down")] * 4
    broker, intake, calls, dead = _rig(outage)
    body = JobRequest(job={"elements": []}).model_dump_json().encode()
    async with TestKafkaBroker(broker):
        await intake.handle(body, TOPICS.requests)
    assert (len(calls), dead) == (5, [])


async def test_a_request_that_keeps_failing_is_dead_lettered_as_it_came() -> None:
    broken: list[Any] = [ValueError("broken")] * 10
    broker, intake, calls, dead = _rig(broken)
    body = JobRequest(job={"elements": []}).model_dump_json().encode()
    async with TestKafkaBroker(broker):
        await intake.handle(body, TOPICS.requests)
    assert len(calls) == POLICY.max_attempts
    [(dead_body, headers)] = dead
    assert dead_body == body
    assert (headers["vidgen-error"], headers["vidgen-attempts"], headers["vidgen-consumer"],
            headers["vidgen-source-topic"]) == ("broken", "2", INTAKE_GROUP, TOPICS.requests)


async def test_garbage_is_dead_lettered_at_once() -> None:
    broker, intake, calls, dead = _rig([])
    async with TestKafkaBroker(broker):
        await intake.handle(b"not a request", TOPICS.requests)
    assert calls == []
    [(dead_body, headers)] = dead
    assert (dead_body, headers["vidgen-attempts"]) == (b"not a request", "1")
