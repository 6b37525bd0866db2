"""Fault tests: each starts a platform of its own (tests/e2e/faults/stack.py), because it
kills, restarts or poisons parts of it. The session's Postgres server, broker and moto
server (tests/fixtures) are shared; each stack gets a fresh database, topic prefix
and bucket."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from uuid import uuid4

import pytest
import pytest_asyncio

from tests.fixtures.postgres import _create_database, _drop_database, with_database


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
