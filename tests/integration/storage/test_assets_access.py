"""POST /v1/assets behind the same gate as job creation: API key or client IP, a quota per
key/IP with X-RateLimit-* headers and 429 + Retry-After, 401 for unknown or revoked keys,
each refusal written to security_events. Real Postgres and S3."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
import pytest_asyncio

from services.storage.app import create_app
from services.storage.settings import StorageSettings
from shared.access import keys
from shared.db.pool import create_pool

pytestmark = pytest.mark.timeout(60)

CLIENT_IP = "81.2.69.161"
LIMIT, WINDOW = 2, 600


@dataclass
class Storage:
    app: object
    pool: asyncpg.Pool

    def client(self, key: str | None = None, ip: str = CLIENT_IP) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=(ip, 40000))  # type: ignore[arg-type]
        headers = {"X-API-Key": key} if key else {}
        return httpx.AsyncClient(transport=transport, base_url="http://storage", headers=headers)

    async def key(self, revoked: bool = False) -> str:
        async with self.pool.acquire() as conn, conn.transaction():
            issued = await keys.create_key(conn, name="uploads", role="authenticated",
                                           owner="tests")
            if revoked:
                await keys.revoke_key(conn, issued.stored.id)
        return issued.key


@pytest_asyncio.fixture
async def storage(platform: StorageSettings,
                  monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Storage]:
    monkeypatch.setenv("VIDGEN_RATE_LIMIT", str(LIMIT))
    monkeypatch.setenv("VIDGEN_RATE_WINDOW", str(WINDOW))
    app = create_app(platform, consume=False)
    async with app.router.lifespan_context(app):
        pool = await create_pool(platform.database_url, max_size=2)
        try:
            yield Storage(app, pool)
        finally:
            await pool.close()


async def _upload(client: httpx.AsyncClient, data: bytes) -> httpx.Response:
    return await client.post("/v1/assets", params={"filename": "logo.png"}, content=data,
                             headers={"Content-Type": "image/png"})


async def test_uploads_are_counted_per_caller(storage: Storage,
                                              media: dict[str, Path]) -> None:
    data = media["logo.png"].read_bytes()
    key = await storage.key()
    async with storage.client() as anon, storage.client(key) as keyed:
        answers = [await _upload(anon, data) for _ in range(LIMIT + 1)]
        own_budget = await _upload(keyed, data)
    now = time.time()
    assert [answer.status_code for answer in answers] == [201, 201, 429]
    assert [answer.headers["x-ratelimit-limit"] for answer in answers] == [str(LIMIT)] * 3
    assert [answer.headers["x-ratelimit-remaining"] for answer in answers] == ["1", "0", "0"]
    reset = int(answers[-1].headers["x-ratelimit-reset"])
    assert now < reset <= now + WINDOW + 1
    assert 1 <= int(answers[-1].headers["retry-after"]) <= WINDOW
    assert (own_budget.status_code, own_budget.headers["x-ratelimit-remaining"]) == (201, "1")
    events = await storage.pool.fetch(
        "SELECT details FROM security_events WHERE event_type = 'rate_limit_exceeded' "
        "AND client_ip = $1::inet", CLIENT_IP)
    assert [(e["details"]["kind"], e["details"]["path"], e["details"]["limit"])
            for e in events] == [("upload", "/v1/assets", LIMIT)]


@pytest.mark.parametrize("revoked", [False, True])
async def test_unknown_or_revoked_keys_are_401(storage: Storage, media: dict[str, Path],
                                               revoked: bool) -> None:
    key = await storage.key(revoked=True) if revoked else "vgk_00000000_" + "x" * 43
    ip = "81.2.69.170" if revoked else "81.2.69.171"
    async with storage.client(key, ip) as client:
        answer = await _upload(client, media["logo.png"].read_bytes())
        bearer = await client.post("/v1/assets", content=b"x",
                                   headers={"X-API-Key": "", "Authorization": f"Bearer {key}"})
    assert answer.status_code == bearer.status_code == 401
    assert answer.headers["www-authenticate"].startswith("Bearer")
    assert await storage.pool.fetchval("SELECT count(*) FROM asset_cache") == 0
    event = "revoked_api_key" if revoked else "unknown_api_key"
    assert await storage.pool.fetchval(
        "SELECT count(*) FROM security_events WHERE event_type = $1 AND client_ip = $2::inet",
        event, ip) == 2
