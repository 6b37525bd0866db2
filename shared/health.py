"""Liveness and readiness, answered the same way by all four services.

`/healthz` says the process answers (no dependency is checked); `/readyz` runs every
readiness check at once, each within `CHECK_TIMEOUT` seconds, and answers 200 when all say
"ok", else 503, with one body everywhere:

    {"status": "ready" | "unavailable", "checks": {"database": "ok", "broker": "ok", ...}}

A check is an async callable: it passes by returning anything but False; False reads
"error: not connected", an exception "error: <type>: <message>", and `NotReady(reason)`
the reason alone (a render worker that is draining says "draining"). Each service names
its checks in `app.py` (Postgres as "database", S3 as "storage", Kafka as "broker").
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

__all__ = ["CHECK_TIMEOUT", "Check", "NotReady", "health_router", "readiness", "run_check"]

CHECK_TIMEOUT = 3.0
Check = Callable[[], Awaitable[object]]
ChecksOf = Callable[[Request], Mapping[str, Check]]


class NotReady(Exception):
    """A check's answer that is not an error, only a reason (e.g. "draining")."""


async def run_check(check: Check, timeout: float = CHECK_TIMEOUT) -> str:
    """"ok", or why not."""
    try:
        async with asyncio.timeout(timeout):
            result = await check()
    except NotReady as exc:
        return str(exc)
    except Exception as exc:
        return f"error: {exc.__class__.__name__}: {exc}"[:300]
    return "error: not connected" if result is False else "ok"


async def readiness(checks: Mapping[str, Check]) -> JSONResponse:
    """Run `checks` at once; 200 when every one is "ok", else 503."""
    names = list(checks)
    results = await asyncio.gather(*(run_check(checks[name]) for name in names))
    report = dict(zip(names, results, strict=True))
    ready = all(result == "ok" for result in results)
    return JSONResponse({"status": "ready" if ready else "unavailable", "checks": report},
                        status_code=200 if ready else 503)


def health_router(checks_of: ChecksOf, *, include_in_schema: bool = True) -> APIRouter:
    """`/healthz` and `/readyz`; `checks_of(request)` names the checks of this instance."""
    router = APIRouter(tags=["operations"], include_in_schema=include_in_schema)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is alive (no dependency is checked)."""
        return {"status": "ok"}

    @router.get("/readyz", response_model=None,
                responses={503: {"description": "A dependency is unavailable"}})
    async def readyz(request: Request) -> JSONResponse:
        """Ready to serve: every dependency of this service answers."""
        return await readiness(checks_of(request))

    return router
