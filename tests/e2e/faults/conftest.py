"""Fault tests: each starts a platform of its own (tests/e2e/faults/stack.py), because it
kills, restarts or poisons parts of it. The session's Postgres server, broker and moto
server (tests/e2e/conftest.py) are shared; each stack gets a fresh database, topic prefix
and bucket."""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest_asyncio

from tests.fixtures.postgres import _create_database, _drop_database, with_database


@pytest_asyncio.fixture
async def fresh_database(postgres_dsn: str, migrated_template: str) -> AsyncIterator[str]:
    """A migrated database of the test's own, dropped afterwards."""
    name = f"vidgen_faults_{uuid4().hex[:12]}"
    await _create_database(postgres_dsn, name, template=migrated_template)
    try:
        yield with_database(postgres_dsn, name)
    finally:
        await _drop_database(postgres_dsn, name)


@pytest_asyncio.fixture
async def second_database(postgres_dsn: str, migrated_template: str) -> AsyncIterator[str]:
    """Another one, for tests that compare two platforms."""
    name = f"vidgen_faults_{uuid4().hex[:12]}"
    await _create_database(postgres_dsn, name, template=migrated_template)
    try:
        yield with_database(postgres_dsn, name)
    finally:
        await _drop_database(postgres_dsn, name)
