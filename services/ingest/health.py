"""Liveness and readiness (database, broker, storage). /metrics is shared.telemetry's."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.ingest import db
from shared.s3 import s3_client

__all__ = ["router"]

router = APIRouter(tags=["operations"])
CHECK_TIMEOUT = 3.0


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive (no dependency is checked)."""
    return {"status": "ok"}


async def _check(probe: Callable[[], Awaitable[Any]]) -> str:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            result = await probe()
    except Exception as exc:
        return f"error: {exc.__class__.__name__}: {exc}"[:300]
    return "error: not connected" if result is False else "ok"


@router.get("/readyz", responses={503: {"description": "A dependency is unavailable"}})
async def readyz(request: Request) -> JSONResponse:
    """Ready to serve: Postgres answers, the broker is connected, the bucket exists."""
    state = request.app.state
    settings = state.settings

    async def storage() -> None:
        async with s3_client(settings) as client:
            await client.head_bucket(Bucket=settings.s3_bucket)

    names = ("database", "broker", "storage")
    results = await asyncio.gather(
        _check(lambda: db.ping(state.pool)),
        _check(lambda: state.broker.ping(timeout=CHECK_TIMEOUT)),
        _check(storage),
    )
    checks = dict(zip(names, results, strict=True))
    ready = all(result == "ok" for result in results)
    return JSONResponse({"status": "ready" if ready else "unavailable", "checks": checks},
                        status_code=200 if ready else 503)
