"""Wiring of the ingest service: HTTP API, Kafka consumers, outbox relay, job waiter.

    python -m services.ingest      # listens on VIDGEN_API_HOST:VIDGEN_API_PORT

Start-up: topics exist, Postgres pool, the `job_status` listener (JobWaiter), the webhook
sender, the broker with the intake (`requests`, group ingest-intake) and projection
(`events`, group ingest-projection) subscribers, then the outbox relay and the reaper
(services/ingest/reaper.py). Shutdown reverses it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from services.ingest import (
    batch_routes,
    compat_routes,
    db,
    monitor_routes,
    openapi,
    playground_routes,
    preview_routes,
    routes,
    sse_routes,
    templates_routes,
)
from services.ingest.api_settings import ApiSettings
from services.ingest.asyncapi_routes import asyncapi_router
from services.ingest.preview import Previewer, RenderWorkers
from services.ingest.preview_fetch import StorageFetcher
from services.ingest.projection import Projection
from services.ingest.reaper import Reaper
from services.ingest.service import IngestService, JobFinished, JobNotFound
from services.ingest.settings import IngestSettings
from services.ingest.streams import NotificationHub
from services.ingest.subscribers import INTAKE_GROUP, PROJECTION_GROUP, subscribe
from services.ingest.unpublishable import JobOfSetAside
from services.ingest.waiter import AnsweringServer, JobWaiter
from services.ingest.webhooks import WebhookSender
from shared.access.gate import QuotaHeaders
from shared.composition import SpecError
from shared.composition.budget import PixelLimits
from shared.composition.errors import format_path
from shared.consumer import RetryPolicy
from shared.db.pool import create_pool
from shared.forwarded import UVICORN_PROXY_OPTIONS
from shared.health import CHECK_TIMEOUT, Check, health_router
from shared.kafka import ensure_topics, make_broker
from shared.outbox import OutboxRelay
from shared.s3 import s3_client
from shared.settings import EngineSettings, ReliabilitySettings, TelemetrySettings
from shared.telemetry import instrument_app, setup_tracing

__all__ = ["create_app", "main"]

log = logging.getLogger(__name__)
SERVICE = "ingest"
Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


@dataclass(frozen=True)
class Config:
    """Ingest's settings, read once by `create_app` and passed down."""

    platform: IngestSettings
    api: ApiSettings
    reliability: ReliabilitySettings
    engine: EngineSettings  # the render's decoded-pixel bounds, checked at intake
    telemetry: TelemetrySettings


def _checks(request: Request) -> dict[str, Check]:
    """Readiness: Postgres answers, the broker is connected, the bucket exists."""
    state = request.app.state
    settings: IngestSettings = state.settings
    reliability: ReliabilitySettings = state.config.reliability

    async def storage() -> None:
        async with s3_client(settings, reliability) as client:
            await client.head_bucket(Bucket=settings.s3_bucket)

    return {"database": lambda: db.ping(state.pool),
            "broker": lambda: state.broker.ping(timeout=CHECK_TIMEOUT),
            "storage": storage}


def _lifespan(config: Config, groups: tuple[str, str]) -> Lifespan:
    settings = config.platform

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_tracing(SERVICE, config.telemetry)
        async with AsyncExitStack() as stack:
            await ensure_topics(settings)
            pool = await create_pool(settings.database_url)
            stack.push_async_callback(pool.close)
            waiter = JobWaiter(settings.database_url, pool)
            await waiter.start()
            stack.push_async_callback(waiter.close)
            hub = NotificationHub(settings.database_url)  # the event streams' LISTEN
            await hub.start()
            stack.push_async_callback(hub.close)
            app.state.hub = hub
            webhooks = WebhookSender(settings.webhook_secret,
                                     allowed_hosts=settings.allowed_hosts())
            stack.push_async_callback(webhooks.close)
            broker = make_broker(settings, SERVICE)
            subscribe(broker, settings, RetryPolicy.from_settings(settings, config.reliability),
                      pool, Projection(pool, notify=webhooks.schedule), groups=groups)
            await broker.start()
            stack.push_async_callback(broker.stop)
            unpublishable = JobOfSetAside(settings.topics, notify=webhooks.schedule)
            relay = asyncio.create_task(
                OutboxRelay(pool, broker, on_set_aside=unpublishable.fail).run(),
                name="outbox-relay")
            stack.push_async_callback(_stop, relay)
            reaper = Reaper(pool, settings.topics, config.reliability,
                            notify=webhooks.schedule)
            reaper_task = asyncio.create_task(reaper.run(), name="reaper")
            stack.push_async_callback(_stop, reaper_task)
            app.state.settings = settings
            app.state.pool = pool
            app.state.broker = broker
            pixels = PixelLimits(config.engine.max_element_pixels, config.engine.max_job_pixels)
            app.state.service = IngestService(settings, pool, waiter, config.api, pixels)
            workers = RenderWorkers(settings.render_url_list(), settings.preview_timeout)
            stack.push_async_callback(workers.close)
            fetcher = StorageFetcher(settings.storage_url, settings.preview_fetch_timeout)
            stack.push_async_callback(fetcher.close)
            app.state.previewer = Previewer(settings, lambda: app.state.service.api, pixels,
                                            pool, workers, fetcher)
            log.info("ingest ready (topics %s.*)", settings.topic_prefix)
            yield

    return lifespan


async def _spec_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SpecError)
    return JSONResponse({"errors": [problem.as_dict() for problem in exc.problems]}, 422)


async def _request_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"path": format_path(tuple(error["loc"])), "message": str(error["msg"])}
              for error in exc.errors()]
    return JSONResponse({"errors": errors}, 422)


async def _not_found(_request: Request, _exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": "job not found"}, 404)


async def _finished(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, JobFinished)
    return JSONResponse({"detail": str(exc), "status": exc.status}, 409)


def create_app(settings: IngestSettings | None = None, *, api: ApiSettings | None = None,
               reliability: ReliabilitySettings | None = None,
               intake_group: str = INTAKE_GROUP,
               projection_group: str = PROJECTION_GROUP) -> FastAPI:
    """The ingest service. The consumer groups can be renamed (tests run several apps).

    Settings not given are read from the environment here, once, and passed down.
    """
    config = Config(settings or IngestSettings(), api or ApiSettings(),
                    reliability or ReliabilitySettings(), EngineSettings(), TelemetrySettings())
    settings = config.platform
    app = FastAPI(
        title="vidgen ingest",
        version="1.0.0",
        description="Create render jobs from JSON compositions and follow them to the result.",
        lifespan=_lifespan(config, (intake_group, projection_group)),
    )
    app.state.config = config
    app.include_router(batch_routes.router)  # before /v1/jobs/{job_id}
    app.include_router(routes.router)
    templates_routes.install(app)
    app.include_router(compat_routes.router)
    app.include_router(health_router(_checks))
    app.include_router(sse_routes.router)
    app.include_router(asyncapi_router(settings))
    monitor_routes.install(app)
    app.include_router(preview_routes.router)
    playground_routes.install(app)
    app.add_exception_handler(SpecError, _spec_error)
    app.add_exception_handler(RequestValidationError, _request_error)
    app.add_exception_handler(JobNotFound, _not_found)
    app.add_exception_handler(JobFinished, _finished)
    app.add_middleware(QuotaHeaders)
    instrument_app(app, SERVICE)
    openapi.install(app)
    return app


def _waiter(app: FastAPI) -> JobWaiter | None:
    service: IngestService | None = getattr(app.state, "service", None)
    return service.waiter if service is not None else None


def main() -> None:
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings, api = IngestSettings(), ApiSettings()
    app = create_app(settings, api=api)
    config = uvicorn.Config(app, host=settings.api_host, port=settings.api_port,
                            log_level="info", access_log=api.access_log, **UVICORN_PROXY_OPTIONS)
    # requests waiting for a job get their 202 as soon as the shutdown begins
    server = AnsweringServer(config, lambda: _waiter(app))
    server.run()
    if not server.started:
        raise SystemExit(3)  # as uvicorn.run does when the start-up failed
