"""Fault tests: each starts a platform of its own (tests/e2e/faults/stack.py), because it
kills, restarts or poisons parts of it. The session's Postgres server and moto server
(tests/fixtures) are shared; each stack gets a fresh database, topic prefix and
bucket.

The broker is shared too on Apache Kafka, but on Tansu every test gets a broker of its own
(`kafka_broker` below): the consumer groups are named the same in every platform, and
Tansu leaves a group stuck for good when its leader leaves in the middle of a rebalance,
which stopping a stack can do (docs/decisions.md, "Tansu: a broker per fault test").
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from uuid import uuid4

import pytest
import pytest_asyncio

from shared.testing.brokers import BrokerStartError, RunningBroker, start_tansu
from tests.fixtures.postgres import _create_database, _drop_database, with_database

__all__ = ["databases", "fresh_database", "kafka_broker", "second_broker"]


def _own_tansu(session: RunningBroker, log: Path) -> Iterator[RunningBroker]:
    if session.kind != "tansu":
        yield session
        return
    try:
        broker = start_tansu(log_path=log)
    except BrokerStartError as exc:
        pytest.fail(f"the test's own Tansu did not start:\n{exc}", pytrace=False)
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture
def kafka_broker(kafka_broker: RunningBroker, tmp_path: Path) -> Iterator[RunningBroker]:
    """The session's broker, except on Tansu: a fresh memory-only Tansu for this test (it
    starts in milliseconds), so no group a previous test left stuck is joined again."""
    yield from _own_tansu(kafka_broker, tmp_path / "tansu.log")


@pytest.fixture
def second_broker(kafka_broker: RunningBroker, tmp_path: Path) -> Iterator[RunningBroker]:
    """For a test's second platform: on Tansu another fresh broker (the first platform's
    stop may have left a group stuck), else the same broker."""
    yield from _own_tansu(kafka_broker, tmp_path / "tansu-2.log")


@pytest.fixture
def fresh_database(db_dsn: str) -> str:
    """A migrated database of the test's own, dropped afterwards."""
    return db_dsn


@pytest_asyncio.fixture
async def databases(postgres_dsn: str,
                    migrated_template: str) -> AsyncIterator[Callable[[], Awaitable[str]]]:
    """`await databases()`: one more migrated database, for tests comparing two platforms."""
    names: list[str] = []

    async def create() -> str:
        names.append(f"vidgen_faults_{uuid4().hex[:12]}")
        await _create_database(postgres_dsn, names[-1], template=migrated_template)
        return with_database(postgres_dsn, names[-1])

    try:
        yield create
    finally:
        for name in names:
            await _drop_database(postgres_dsn, name)
