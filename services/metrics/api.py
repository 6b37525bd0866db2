"""HTTP: job statistics for a period; the readiness checks for `shared.health`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, HTTPException, Query, Request
from faststream.kafka import KafkaBroker

from services.metrics import db
from shared.health import Check, NotReady
from shared.settings import PlatformSettings

__all__ = ["Runtime", "checks", "router"]

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


def checks(request: Request) -> dict[str, Check]:
    """Readiness (`shared.health`): Postgres answers a query and the Kafka broker a ping."""
    runtime: Runtime | None = getattr(request.app.state, "runtime", None)
    if runtime is None:
        async def starting() -> None:
            raise NotReady("starting")

        return {"database": starting, "broker": starting}
    return {"database": lambda: runtime.pool.fetchval("SELECT true"),
            "broker": lambda: runtime.broker.ping(_CHECK_TIMEOUT)}
