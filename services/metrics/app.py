"""Wiring of the metrics service: consumer, stats API, retention and alert schedules."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import uvicorn
from fastapi import FastAPI

from services.metrics.alerts import AlertChecker
from services.metrics.api import Runtime, checks, router
from services.metrics.backlog import refresh_backlog
from services.metrics.lag import LagMonitor, consumer_groups
from services.metrics.recorder import Recorder
from services.metrics.retention import run_retention
from services.metrics.schedule import periodic
from services.metrics.settings import MetricsSettings
from services.metrics.subscribers import GROUP, register
from shared.db.pool import create_pool
from shared.forwarded import UVICORN_PROXY_OPTIONS
from shared.health import health_router
from shared.kafka import ensure_topics, make_broker
from shared.settings import TelemetrySettings
from shared.telemetry import instrument_app, setup_tracing

__all__ = ["create_app", "main"]

SERVICE = "metrics"


def create_app(settings: MetricsSettings | None = None, *, group_id: str = GROUP) -> FastAPI:
    """The metrics service. Settings not given are read from the environment here, once."""
    settings = settings or MetricsSettings()
    telemetry = TelemetrySettings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        provider = setup_tracing(SERVICE, telemetry)
        pool = await create_pool(settings.database_url)
        broker = make_broker(settings, SERVICE)
        tasks: list[asyncio.Task[None]] = []
        try:
            await ensure_topics(settings)
            register(broker, Recorder(pool, settings.topics, instance=settings.instance_id),
                     settings, group_id=group_id)
            await broker.start()
            app.state.runtime = Runtime(settings, pool, broker)
            checker = AlertChecker(pool, settings)
            lag = LagMonitor(settings.kafka_bootstrap_servers, consumer_groups(settings.topics))
            tasks = [
                asyncio.create_task(periodic(
                    "retention", settings.retention_interval,
                    lambda: run_retention(pool, settings, instance=settings.instance_id))),
                asyncio.create_task(periodic("alerts", settings.alert_interval, checker.check)),
                asyncio.create_task(periodic(
                    "backlog", settings.gauge_interval,
                    lambda: refresh_backlog(pool, settings.stall_after))),
                asyncio.create_task(periodic("consumer lag", settings.gauge_interval, lag.run)),
            ]
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await broker.stop()
            await pool.close()
            if provider is not None:  # shut down at exit by the SDK; flush what we have
                provider.force_flush()

    app = FastAPI(title="vidgen metrics", lifespan=lifespan)
    app.include_router(router)
    app.include_router(health_router(checks))
    instrument_app(app, SERVICE)
    return app


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    settings = MetricsSettings()
    uvicorn.run(create_app(settings), host=settings.metrics_host,
                port=settings.metrics_port, **UVICORN_PROXY_OPTIONS)
