"""Clients of the ingest app as a given caller (peer IP, API key), and API keys to use."""

from __future__ import annotations

from typing import Any

import httpx

from shared.access import keys
from tests.integration.ingest.harness import Ingest

__all__ = ["as_caller", "issue_key", "small_spec"]


def as_caller(ingest: Ingest, ip: str, key: str | None = None,
              header: str = "authorization") -> httpx.AsyncClient:
    """A client whose requests come from `ip`, with `key` (Bearer or X-API-Key)."""
    headers = {}
    if key is not None:
        headers = ({"Authorization": f"Bearer {key}"} if header == "authorization"
                   else {"X-API-Key": key})
    transport = httpx.ASGITransport(app=ingest.app, client=(ip, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://ingest", headers=headers)


async def issue_key(ingest: Ingest, role: keys.KeyRole = "authenticated") -> keys.IssuedKey:
    async with ingest.pool.acquire() as conn, conn.transaction():
        return await keys.create_key(conn, name=f"test {role}", role=role, owner="tests")


def small_spec(**extra: Any) -> dict[str, Any]:
    return {"output": {"width": 64, "height": 64, "duration": 1},
            "elements": [{"type": "text", "text": "hi"}], "response": "async", **extra}
