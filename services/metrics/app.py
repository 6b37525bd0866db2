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
from services.metrics.subscribers import GROUP, register
from shared.db.pool import create_pool
from shared.forwarded import UVICORN_PROXY_OPTIONS
from shared.health import health_router
from shared.kafka import ensure_topics, make_broker
from shared.settings import MetricsSettings, PlatformSettings, platform_settings
from shared.telemetry import instrument_app, setup_tracing

__all__ = ["create_app", "main"]

SERVICE = "metrics"


def create_app(settings: PlatformSettings | None = None, metrics: MetricsSettings | None = None,
               *, group_id: str = GROUP) -> FastAPI:
    settings = settings or platform_settings()
    metrics = metrics or MetricsSettings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        provider = setup_tracing(SERVICE)
        pool = await create_pool(settings.database_url)
        broker = make_broker(settings, SERVICE)
        tasks: list[asyncio.Task[None]] = []
        try:
            await ensure_topics(settings)
            register(broker, Recorder(pool, settings.topics, instance=settings.instance_id),
                     settings, group_id=group_id)
            await broker.start()
            app.state.runtime = Runtime(settings, pool, broker)
            checker = AlertChecker(pool, settings, metrics)
            lag = LagMonitor(settings.kafka_bootstrap_servers, consumer_groups(settings.topics))
            tasks = [
                asyncio.create_task(periodic(
                    "retention", metrics.retention_interval,
                    lambda: run_retention(pool, metrics, instance=settings.instance_id))),
                asyncio.create_task(periodic("alerts", metrics.alert_interval, checker.check)),
                asyncio.create_task(periodic(
                    "backlog", metrics.gauge_interval,
                    lambda: refresh_backlog(pool, settings.stall_after))),
                asyncio.create_task(periodic("consumer lag", metrics.gauge_interval, lag.run)),
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
    settings = platform_settings()
    metrics = MetricsSettings()
    uvicorn.run(create_app(settings, metrics), host=metrics.metrics_host,
                port=settings.metrics_port, **UVICORN_PROXY_OPTIONS)
