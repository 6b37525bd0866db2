"""EventConsumer: a lost Postgres/broker is waited out; the message's own faults are not."""

from __future__ import annotations

import errno
from typing import Any
from uuid import uuid4

import asyncpg
import pytest
from aiokafka.errors import KafkaConnectionError

from shared.consumer import EventConsumer, RetryPolicy, is_outage
from shared.events import StepChanged, Topics

pytestmark = pytest.mark.timeout(20)


class _Broker:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []

    async def publish(self, body: Any, *, topic: str, **_: Any) -> None:
        self.sent.append((topic, body))


def _consumer(broker: _Broker, budget: float) -> EventConsumer:
    return EventConsumer(name="test", broker=broker, topics=Topics(prefix="t"),  # type: ignore[arg-type]
                         policy=RetryPolicy(max_attempts=1, base_delay=0.01,
                                            outage_budget=budget))


def _flaky(failures: list[BaseException]) -> tuple[list[int], Any]:
    calls: list[int] = []

    async def handler(_event: object) -> None:
        calls.append(1)
        if failures:
            raise failures.pop(0)

    return calls, handler


def _event() -> StepChanged:
    return StepChanged(job_id=uuid4(), step="download", state="started")


@pytest.mark.parametrize("exc", [
    ConnectionRefusedError(errno.ECONNREFUSED, "refused"),
    FileNotFoundError(errno.ENOENT, "No such file or directory"),  # asyncpg's Unix socket
    asyncpg.CannotConnectNowError("the database system is starting up"),
    asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed"),
    KafkaConnectionError("no broker"),
])
def test_connection_losses_are_outages(exc: BaseException) -> None:
    assert is_outage(exc)


@pytest.mark.parametrize("exc", [
    FileNotFoundError("the source was not delivered with the job"),
    FileNotFoundError(errno.ENOENT, "No such file or directory", "/tmp/asset"),
    ValueError("bad"),
])
def test_other_errors_are_not_outages(exc: BaseException) -> None:
    assert not is_outage(exc)


async def test_an_outage_is_waited_out_without_using_an_attempt() -> None:
    broker = _Broker()
    calls, handler = _flaky([ConnectionRefusedError(errno.ECONNREFUSED, "down")] * 4)
    await _consumer(broker, budget=10).run_with_retries(_event(), "t.events", handler)
    assert len(calls) == 5
    assert broker.sent == [], "nothing dead-lettered, no JobFailed"


async def test_an_outage_longer_than_the_budget_ends_in_the_dead_letter_topic() -> None:
    broker = _Broker()
    calls, handler = _flaky([ConnectionRefusedError(errno.ECONNREFUSED, "down")] * 1000)
    await _consumer(broker, budget=0.2).run_with_retries(_event(), "t.events", handler)
    assert 1 < len(calls) < 1000
    assert [topic for topic, _ in broker.sent] == ["t.dlq", "t.events"]


async def test_a_handler_error_is_not_waited_out() -> None:
    broker = _Broker()
    calls, handler = _flaky([ValueError("broken")])
    await _consumer(broker, budget=10).run_with_retries(_event(), "t.events", handler)
    assert len(calls) == 1
    assert [topic for topic, _ in broker.sent] == ["t.dlq", "t.events"]
