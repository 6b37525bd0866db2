"""HTTP: job statistics for a period, health and readiness."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker

from services.metrics import db
from shared.settings import PlatformSettings

__all__ = ["Runtime", "router"]

router = APIRouter()
_DEFAULT_PERIOD = timedelta(hours=24)
_CHECK_TIMEOUT = 2.0


@dataclass
class Runtime:
    """What the routes need, set on `app.state.runtime` by the lifespan."""

    settings: PlatformSettings
    pool: asyncpg.Pool
    broker: KafkaBroker


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@router.get("/v1/stats")
async def stats(
    request: Request,
    start: Annotated[datetime | None, Query(alias="from", description="default: to - 24 h")]
    = None,
    end: Annotated[datetime | None, Query(alias="to", description="default: now")] = None,
) -> dict[str, Any]:
    """Jobs created in [from, to) (get_job_statistics and job_summary aggregates), the
    active jobs now (by status and health), and the alerts firing now."""
    end = _utc(end) if end else datetime.now(UTC)
    start = _utc(start) if start else end - _DEFAULT_PERIOD
    if start >= end:
        raise HTTPException(422, "'from' must be before 'to'")
    runtime = _runtime(request)
    async with runtime.pool.acquire() as conn, conn.transaction(readonly=True):
        return {
            "period": {"from": start, "to": end},
            "jobs": await db.job_statistics(conn, start, end),
            "summary": await db.job_summary(conn, start, end),
            "active": await db.active_jobs(conn, runtime.settings.stall_after),
            "alerts": await db.firing_alerts(conn),
        }


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
async def readyz(request: Request) -> JSONResponse:
    """Readiness: Postgres answers a query and the Kafka broker a ping."""
    runtime = getattr(request.app.state, "runtime", None)
    checks = {"database": False, "broker": False}
    if runtime is not None:
        checks["database"] = await _database_ok(runtime.pool)
        checks["broker"] = await runtime.broker.ping(_CHECK_TIMEOUT)
    ready = all(checks.values())
    return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks},
                        status_code=200 if ready else 503)


async def _database_ok(pool: asyncpg.Pool) -> bool:
    try:
        async with asyncio.timeout(_CHECK_TIMEOUT), pool.acquire() as conn:
            return bool(await conn.fetchval("SELECT true"))
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
        return False
