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
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from services.storage import results, routes
from services.storage.assets import AssetStore
from services.storage.context import StorageContext
from services.storage.download import Downloader
from services.storage.fetch import FetchLimits, SafeFetcher
from services.storage.geo import load_geo
from services.storage.handlers import StorageHandlers
from services.storage.outputs import Outputs
from shared.access.gate import AccessSettings, Gate, QuotaHeaders
from shared.access.rate_limits import RateLimiter
from shared.consumer import EventConsumer
from shared.db.pool import create_pool
from shared.events import Event
from shared.kafka import ensure_topics, make_broker
from shared.s3 import ensure_bucket, s3_client
from shared.settings import PlatformSettings, engine_settings, platform_settings
from shared.signed_results import ResultSigner
from shared.telemetry import extract_context, instrument_app, setup_tracing, span

__all__ = ["GROUP", "SERVICE", "create_app", "main"]

log = logging.getLogger(__name__)

SERVICE = "storage"
GROUP = "storage"
# A download of many sources, each retried, can take long: the consumer must not be
# thrown out of the group meanwhile (the poll loop is idle while a handler runs).
MAX_POLL_INTERVAL_MS = 3_600_000
# events storage has nothing to do for (StepChanged: ~20 per job), known by their header
_NOT_MINE = frozenset({"step.changed", "job.completed", "job.rejected"})


def create_app(settings: PlatformSettings | None = None, *, consume: bool = True,
               group_id: str = GROUP, fetcher: SafeFetcher | None = None) -> FastAPI:
    """The storage service. `consume=False` serves HTTP only (no broker, no consumer)."""
    settings = settings or platform_settings()
    if settings.signed_results and not settings.results_secret:
        raise ValueError("VIDGEN_SIGNED_RESULTS needs VIDGEN_RESULTS_SECRET")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_tracing(SERVICE)
        async with AsyncExitStack() as stack:
            ctx = await _start(settings, stack, consume=consume, group_id=group_id,
                               fetcher=fetcher)
            app.state.storage = ctx
            try:
                yield
            finally:
                if ctx.broker is not None:
                    await ctx.broker.stop()
                await ctx.drain()

    app = FastAPI(title="vidgen storage", version="1",
                  description="Source downloads, the asset cache and result URLs.",
                  lifespan=lifespan)
    app.include_router(routes.router)
    app.include_router(results.router)
    app.add_middleware(QuotaHeaders)
    instrument_app(app, SERVICE)
    return app


async def _start(settings: PlatformSettings, stack: AsyncExitStack, *, consume: bool,
                 group_id: str, fetcher: SafeFetcher | None) -> StorageContext:
    pool = await create_pool(settings.database_url)
    stack.push_async_callback(pool.close)
    s3 = await stack.enter_async_context(s3_client(settings))
    await ensure_bucket(s3, settings.s3_bucket)
    store = AssetStore(pool, s3, settings.s3_bucket)
    access = AccessSettings()
    ctx = StorageContext(settings=settings, pool=pool, s3=s3, store=store,
                         geo=load_geo(settings.geoip_db),
                         gate=Gate(pool, RateLimiter(pool), access), access=access,
                         signer=_signer(settings))
    if not consume:
        return ctx
    await ensure_topics(settings)
    broker = make_broker(settings, SERVICE)
    work_dir = engine_settings().work_dir
    downloader = Downloader(
        pool, store,
        fetcher or SafeFetcher(FetchLimits.from_settings(settings),
                               allowed_hosts=settings.allowed_hosts()),
        work_dir=Path(work_dir) if work_dir else None,
        max_total_bytes=settings.max_job_source_bytes)
    handlers = StorageHandlers(
        pool=pool, broker=broker, topics=settings.topics, downloader=downloader,
        outputs=Outputs(pool, s3, settings.s3_bucket), results_url=settings.results_url,
        bucket=settings.s3_bucket, worker_id=settings.instance_id, signer=ctx.signer)
    consumer = EventConsumer(name=SERVICE, broker=broker, topics=settings.topics,
                             max_attempts=settings.max_attempts, default_step="download")
    _subscribe(broker, settings.topics.events, group_id, consumer, handlers,
               fetch_max_wait_ms=settings.kafka_fetch_max_wait_ms)
    await broker.start()
    ctx.broker = broker
    return ctx


def _signer(settings: PlatformSettings) -> ResultSigner | None:
    if not settings.signed_results:
        return None
    return ResultSigner(settings.results_secret, settings.signed_results_ttl)


def _subscribe(broker: KafkaBroker, topic: str, group_id: str, consumer: EventConsumer,
               handlers: StorageHandlers, *, fetch_max_wait_ms: int) -> None:
    async def traced(event: Event) -> None:
        with span(f"storage {event.type}", context=extract_context(event.trace),
                  job_id=str(event.job_id), event_id=str(event.event_id)):
            await handlers(event)

    async def on_event(msg: KafkaMessage) -> None:
        if msg.headers.get("vidgen-type") in _NOT_MINE:
            return  # most of the topic: skipped without parsing, tracing or a database call
        await consumer.handle(msg.body, topic, traced)

    options: dict[str, Any] = {
        "group_id": group_id, "ack_policy": AckPolicy.ACK, "auto_offset_reset": "earliest",
        "session_timeout_ms": 10_000, "heartbeat_interval_ms": 1_000,
        "max_poll_interval_ms": MAX_POLL_INTERVAL_MS, "max_poll_records": 1,
        "fetch_max_wait_ms": fetch_max_wait_ms,
        "title": "storage-events",
        "description": "JobAccepted → download; RenderFinished → upload and cleanup",
    }
    broker.subscriber(topic, **options)(on_event)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.storage", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=None,
                        help="port (default: VIDGEN_STORAGE_PORT, 8001)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = platform_settings()
    uvicorn.run(create_app(settings), host=args.host,
                port=args.port if args.port is not None else settings.storage_port,
                proxy_headers=True)
