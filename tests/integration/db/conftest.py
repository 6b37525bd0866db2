"""Helpers for the schema tests: acting as a vidgen role, inserting jobs, awaiting NOTIFY."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any
from uuid import UUID

import asyncpg
import pytest
import pytest_asyncio

ROLES = {
    "anon": "vidgen_anon",
    "authenticated": "vidgen_authenticated",
    "service_account": "vidgen_service",
    "admin": "vidgen_admin",
}

AsRole = Callable[..., AbstractAsyncContextManager[asyncpg.Connection]]
MakeJob = Callable[..., Awaitable[UUID]]


@pytest.fixture
def as_role(db: asyncpg.Connection) -> AsRole:
    """``async with as_role("anon", client_ip="10.0.0.1") as conn:`` runs the block in one
    transaction as that database role with the vidgen.* settings given."""

    @asynccontextmanager
    async def acting(
        role: str, *, client_ip: str | None = None, user_id: UUID | str | None = None,
        app_role: str | None = None,
    ) -> AsyncIterator[asyncpg.Connection]:
        async with db.transaction():
            await db.execute(f"SET LOCAL ROLE {ROLES[role]}")
            settings = {"vidgen.client_ip": client_ip, "vidgen.user_id": user_id,
                        "vidgen.role": app_role}
            for name, value in settings.items():
                if value is not None:
                    await db.execute("SELECT set_config($1, $2, true)", name, str(value))
            yield db

    return acting


@pytest.fixture
def make_job(db: asyncpg.Connection) -> MakeJob:
    """Insert a job as the table owner; keyword arguments override column defaults."""

    async def insert(**columns: Any) -> UUID:
        values = {"width": 1280, "height": 720, "client_ip": "10.0.0.1", **columns}
        names = ", ".join(values)
        params = ", ".join(f"${i}" for i in range(1, len(values) + 1))
        job_id: UUID = await db.fetchval(
            f"INSERT INTO jobs ({names}) VALUES ({params}) RETURNING id", *values.values()
        )
        return job_id

    return insert


@pytest_asyncio.fixture
async def make_api_key(db: asyncpg.Connection) -> Callable[..., Awaitable[UUID]]:
    counter = iter(range(1, 1_000_000))

    async def insert(name: str = "key", role: str = "authenticated") -> UUID:
        key_hash = f"{next(counter):064x}"
        key_id: UUID = await db.fetchval(
            "INSERT INTO api_keys (key_hash, name, role) VALUES ($1, $2, $3) RETURNING id",
            key_hash, name, role,
        )
        return key_id

    return insert


class Listener:
    """Collects NOTIFY payloads of one channel on a dedicated connection."""

    def __init__(self, conn: asyncpg.Connection, channel: str) -> None:
        self.conn = conn
        self.channel = channel
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    def _on_notify(self, _conn: object, _pid: int, _channel: str, payload: object) -> None:
        self.queue.put_nowait(json.loads(str(payload)) if payload else {})

    async def next(self, timeout: float = 5.0) -> dict[str, Any]:
        return await asyncio.wait_for(self.queue.get(), timeout)


@pytest_asyncio.fixture
async def listen(db_dsn: str) -> AsyncIterator[Callable[[str], Awaitable[Listener]]]:
    """``listener = await listen("job_status")``; then ``await listener.next()``."""
    conn = await asyncpg.connect(db_dsn)
    listeners: list[Listener] = []

    async def start(channel: str) -> Listener:
        listener = Listener(conn, channel)
        await conn.add_listener(channel, listener._on_notify)
        listeners.append(listener)
        return listener

    try:
        yield start
    finally:
        await conn.close()
