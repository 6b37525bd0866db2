"""Wiring of the storage service: HTTP app, event consumer, S3, Postgres.

`create_app(settings)` returns the FastAPI app; its lifespan opens the Postgres pool and the
S3 client (creating the bucket if needed), creates the topics, and starts the FastStream
broker whose subscriber (group `storage`) feeds `vidgen.events` to the handlers.
`python -m services.storage` runs it with uvicorn on `VIDGEN_STORAGE_PORT`.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Request

from services.storage import fetch_routes, results, routes
from services.storage.assets import AssetStore
from services.storage.context import StorageContext, context_of
from services.storage.download import Downloader
from services.storage.fetch import FetchLimits, SafeFetcher
from services.storage.geo import load_geo
from services.storage.handlers import StorageHandlers
from services.storage.outputs import Outputs
from services.storage.settings import StorageSettings
from services.storage.source_fetch import SourceFetches
from services.storage.subscribers import GROUP, subscribe
from shared.access.gate import AccessSettings, Gate, QuotaHeaders
from shared.access.rate_limits import RateLimiter
from shared.consumer import EventConsumer, RetryPolicy
from shared.db.pool import create_pool
from shared.forwarded import UVICORN_PROXY_OPTIONS
from shared.health import Check, health_router
from shared.inflight import KeyedDispatcher
from shared.kafka import ensure_topics, make_broker
from shared.s3 import ensure_bucket, s3_client
from shared.settings import EngineSettings, ReliabilitySettings, TelemetrySettings
from shared.signed_results import ResultSigner
from shared.telemetry import instrument_app, setup_tracing

__all__ = ["GROUP", "SERVICE", "create_app", "main"]

log = logging.getLogger(__name__)

SERVICE = "storage"


def create_app(settings: StorageSettings | None = None, *, consume: bool = True,
               group_id: str = GROUP, fetcher: SafeFetcher | None = None,
               reliability: ReliabilitySettings | None = None,
               engine: EngineSettings | None = None) -> FastAPI:
    """The storage service. `consume=False` serves HTTP only (no broker, no consumer).

    Settings not given are read from the environment here, once, and passed down.
    """
    config = Config(settings or StorageSettings(), reliability or ReliabilitySettings(),
                    engine or EngineSettings(), AccessSettings(), TelemetrySettings())
    if config.platform.signed_results and not config.platform.results_secret:
        raise ValueError("VIDGEN_SIGNED_RESULTS needs VIDGEN_RESULTS_SECRET")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_tracing(SERVICE, config.telemetry)
        async with AsyncExitStack() as stack:
            ctx = await _start(config, stack, consume=consume, group_id=group_id,
                               fetcher=fetcher)
            app.state.storage = ctx
            try:
                yield
            finally:
                if ctx.broker is not None:
                    await ctx.broker.stop()
                if ctx.dispatcher is not None:
                    await ctx.dispatcher.close()  # unfinished events stay uncommitted
                await ctx.drain()

    app = FastAPI(title="vidgen storage", version="1",
                  description="Source downloads, the asset cache and result URLs.",
                  lifespan=lifespan)
    app.include_router(health_router(_checks, include_in_schema=False))
    app.include_router(routes.router)
    app.include_router(results.router)
    app.include_router(fetch_routes.router)
    app.add_middleware(QuotaHeaders)
    instrument_app(app, SERVICE)
    return app


def _checks(request: Request) -> dict[str, Check]:
    """Readiness: Postgres, S3 and (when consuming) the broker answer."""
    ctx = context_of(request)
    checks: dict[str, Check] = {
        "database": lambda: ctx.pool.fetchval("SELECT 1"),
        "storage": lambda: ctx.s3.head_bucket(Bucket=ctx.settings.s3_bucket),
    }
    if ctx.broker is not None:
        broker = ctx.broker
        checks["broker"] = lambda: broker.ping(timeout=2.0)
    return checks


@dataclass(frozen=True)
class Config:
    """Storage's settings, read once by `create_app`."""

    platform: StorageSettings
    reliability: ReliabilitySettings
    engine: EngineSettings
    access: AccessSettings  # quotas of uploads; whose X-Forwarded-For counts
    telemetry: TelemetrySettings


async def _start(config: Config, stack: AsyncExitStack, *, consume: bool,
                 group_id: str, fetcher: SafeFetcher | None) -> StorageContext:
    settings = config.platform
    pool = await create_pool(settings.database_url)
    stack.push_async_callback(pool.close)
    s3 = await stack.enter_async_context(s3_client(settings, config.reliability))
    await ensure_bucket(s3, settings.s3_bucket)
    store = AssetStore(pool, s3, settings.s3_bucket, max_lut_bytes=settings.max_lut_bytes)
    access = config.access
    ctx = StorageContext(settings=settings, pool=pool, s3=s3, store=store,
                         geo=load_geo(settings.geoip_db), work_dir=config.engine.work_dir,
                         trusted_proxies=access.proxy_networks,
                         gate=Gate(pool, RateLimiter(pool), access), access=access,
                         signer=_signer(settings))
    fetcher = fetcher or SafeFetcher(FetchLimits.from_settings(settings),
                                     allowed_hosts=settings.allowed_hosts())
    work_dir = Path(ctx.work_dir) if ctx.work_dir else None
    ctx.fetches = SourceFetches(store, fetcher, work_dir)
    if not consume:
        return ctx
    await ensure_topics(settings)
    broker = make_broker(settings, SERVICE)
    downloader = Downloader(pool, store, fetcher, work_dir=work_dir,
                            max_total_bytes=settings.max_job_source_bytes)
    handlers = StorageHandlers(
        pool=pool, broker=broker, topics=settings.topics, downloader=downloader,
        outputs=Outputs(pool, s3, settings.s3_bucket), results_url=settings.results_url,
        bucket=settings.s3_bucket, worker_id=settings.instance_id, signer=ctx.signer)
    consumer = EventConsumer(name=SERVICE, broker=broker, topics=settings.topics,
                             policy=RetryPolicy.from_settings(settings, config.reliability),
                             default_step="download")
    dispatcher = KeyedDispatcher(config.platform.storage_concurrency, name=SERVICE)
    subscribe(broker, settings, consumer, handlers, dispatcher, group_id=group_id)
    ctx.dispatcher = dispatcher
    await broker.start()
    ctx.broker = broker
    return ctx


def _signer(settings: StorageSettings) -> ResultSigner | None:
    if not settings.signed_results:
        return None
    return ResultSigner(settings.results_secret, settings.signed_results_ttl)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.storage", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=None,
                        help="port (default: VIDGEN_STORAGE_PORT, 8001)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = StorageSettings()
    uvicorn.run(create_app(settings), host=args.host,
                port=args.port if args.port is not None else settings.storage_port,
                **UVICORN_PROXY_OPTIONS)
