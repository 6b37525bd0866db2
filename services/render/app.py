"""The render worker process: wiring, start-up and graceful shutdown.

`python -m services.render` runs one worker; run more of them (any hosts) to render more
jobs at once, up to the render topic's partition count. Each worker holds an asyncpg pool,
an S3 client, a FastStream broker subscribed to the render topic (group `render`), and
serves /healthz, /readyz, /metrics and previews (for ingest) on `VIDGEN_RENDER_PORT`.

On SIGTERM/SIGINT: no new work; the current render gets `VIDGEN_RENDER_SHUTDOWN_GRACE`
seconds to finish, else it is cancelled (FFmpeg killed, temp files removed) and its message
left uncommitted, so after the rebalance another worker renders it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

import asyncpg
from faststream.kafka import KafkaBroker

from services.render import db
from services.render.health import HealthServer, health_app
from services.render.metrics import RenderMetrics
from services.render.pipeline import PRODUCER, RenderDeps
from services.render.preview import PreviewRenderer
from services.render.settings import RenderSettings
from services.render.subscribers import (
    GROUP,
    AssignmentTracker,
    max_poll_interval_ms,
    register,
)
from services.render.worker import RenderWorker
from shared.consumer import EventConsumer, RetryPolicy
from shared.db.pool import create_pool
from shared.kafka import ensure_topics, make_broker
from shared.s3 import ensure_bucket, s3_client
from shared.settings import EngineSettings, ReliabilitySettings, TelemetrySettings
from shared.telemetry import flush_tracing, setup_tracing

__all__ = ["RenderService", "main", "run"]

log = logging.getLogger("vidgen.render")


class RenderService:
    """One render worker. `start()`, then `stop()` (graceful) when told to.

    Its settings are read by `main` and passed in; nothing here reads the environment.
    """

    def __init__(self, settings: RenderSettings, engine: EngineSettings, *,
                 reliability: ReliabilitySettings, group_id: str = GROUP,
                 port: int | None = None, status_poll: float = 5.0) -> None:
        self.settings = settings
        self.engine = engine
        self.reliability = reliability
        self.group_id = group_id
        self.port = settings.render_port if port is None else port
        self.status_poll = status_poll
        self.metrics = RenderMetrics()
        self.tracker = AssignmentTracker(self.metrics)
        self._stack = contextlib.AsyncExitStack()
        self.pool: asyncpg.Pool | None = None
        self.broker: KafkaBroker | None = None
        self.worker: RenderWorker | None = None
        self.http: HealthServer | None = None
        self.s3: Any = None

    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            await self._stack.aclose()
            raise

    async def _start(self) -> None:
        settings = self.settings
        engine, reliability = self.engine, self.reliability
        self.pool = pool = await create_pool(settings.database_url, min_size=1, max_size=4)
        self._stack.push_async_callback(pool.close)
        self.s3 = await self._stack.enter_async_context(s3_client(settings, reliability))
        await ensure_bucket(self.s3, settings.s3_bucket)
        await ensure_topics(settings)

        self.broker = broker = make_broker(settings, PRODUCER)
        deps = RenderDeps(broker=broker, topics=settings.topics, s3=self.s3,
                          bucket=settings.s3_bucket, engine=engine, metrics=self.metrics,
                          worker_id=settings.instance_id, stall_after=settings.stall_after,
                          pool=pool, split_min_seconds=settings.split_min_seconds,
                          split_slice_seconds=settings.split_slice_seconds)
        self.worker = worker = RenderWorker(deps, pool, heartbeat=reliability.render_heartbeat,
                                            status_poll=self.status_poll)
        consumer = EventConsumer(name=PRODUCER, broker=broker, topics=settings.topics,
                                 policy=RetryPolicy.from_settings(settings, reliability),
                                 default_step="encoding")
        register(broker, settings, consumer=consumer, worker=worker,
                 tracker=self.tracker, group_id=self.group_id,
                 poll_interval_ms=max_poll_interval_ms(engine.render_timeout,
                                                       settings.max_attempts))
        await broker.start()
        self._stack.push_async_callback(broker.stop)

        checks = {"database": lambda: db.ping(pool), "broker": self._ping_broker,
                  "storage": self._ping_storage}
        previews = PreviewRenderer(self.s3, engine, bucket=settings.s3_bucket,
                                   slots=settings.preview_slots,
                                   cache_bytes=settings.preview_cache_bytes)
        self._stack.push_async_callback(previews.close)
        app = health_app(checks, self.metrics.registry, lambda: not worker.draining, previews)
        self.http = HealthServer(app, settings.render_host, self.port)
        await self.http.start()
        self._stack.push_async_callback(self.http.stop)
        log.info("render worker %s ready: group %s, topic %s, http :%d", settings.instance_id,
                 self.group_id, settings.topics.render, self.http.bound_port)

    async def _ping_broker(self) -> None:
        assert self.broker is not None
        if not await self.broker.ping(timeout=2.0):
            raise ConnectionError("the broker does not answer")

    async def _ping_storage(self) -> None:
        await self.s3.head_bucket(Bucket=self.settings.s3_bucket)

    async def stop(self, grace: float | None = None) -> None:
        """Drain (see the module doc), then leave the group and close everything."""
        if self.worker is not None:
            grace = self.settings.render_shutdown_grace if grace is None else grace
            await self.worker.stop(grace)
        await self._stack.aclose()
        log.info("render worker %s stopped", self.settings.instance_id)


async def run(settings: RenderSettings, engine: EngineSettings, *,
              reliability: ReliabilitySettings, telemetry: TelemetrySettings) -> None:
    """Run a worker until SIGTERM or SIGINT."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    setup_tracing("render", telemetry)
    service = RenderService(settings, engine, reliability=reliability)
    await service.start()
    try:
        await stopping.wait()
        log.info("stop signal: finishing up")
    finally:
        await service.stop()
        flush_tracing()


def main() -> None:
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # the worker's settings, read from the environment once, here
    asyncio.run(run(RenderSettings(), EngineSettings(), reliability=ReliabilitySettings(),
                    telemetry=TelemetrySettings()))
    # Everything is closed; the interpreter's own teardown takes a moment. A repeated stop
    # request (supervisors often send SIGTERM twice) must not turn this clean exit into a kill.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
