"""The worker's small HTTP side: /healthz, /readyz, /metrics and the previews ingest asks
for (preview_routes; FastAPI on uvicorn, same loop).

/healthz and /readyz are `shared.health`'s, as in every service, plus a "worker" check
that says "draining" while the worker stops. The server runs as a task on the worker's event
loop, which the render never blocks, so a slow answer here is itself a symptom worth
alerting on.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable, Iterator, Mapping

import uvicorn
from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

from services.render import preview_routes
from services.render.preview import PreviewRenderer
from shared.forwarded import UVICORN_PROXY_OPTIONS
from shared.health import Check, NotReady, health_router
from shared.telemetry import PrometheusMiddleware

__all__ = ["HealthServer", "health_app"]


def health_app(checks: Mapping[str, Check], registry: CollectorRegistry,
               accepting: Callable[[], bool],
               previews: PreviewRenderer | None = None) -> FastAPI:
    """`checks` are the dependencies /readyz probes; `accepting` is False while draining;
    `previews` renders what POST /internal/v1/preview asks (none: 503)."""
    app = FastAPI(title="vidgen render worker", docs_url=None, redoc_url=None)
    app.state.previews = previews
    app.include_router(preview_routes.router)
    app.add_middleware(PrometheusMiddleware, service="render")

    async def worker() -> None:
        if not accepting():
            raise NotReady("draining")

    every: dict[str, Check] = {**checks, "worker": worker}
    app.include_router(health_router(lambda _request: every))

    @app.get("/metrics")
    async def metrics() -> Response:
        # The worker's own series, then the process-wide ones (HTTP latency, process_*).
        body = generate_latest(registry) + generate_latest(REGISTRY)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return app


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Signals belong to the worker's own shutdown sequence, not to the HTTP server."""
        yield


class HealthServer:
    """uvicorn serving `app` as a task; `port` 0 picks a free one (see `bound_port`)."""

    def __init__(self, app: FastAPI, host: str, port: int) -> None:
        config = uvicorn.Config(app, host=host, port=port, log_level="warning",
                                access_log=False, lifespan="off", **UVICORN_PROXY_OPTIONS)
        self._server = _Server(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._server.serve(), name="render-http")
        while not self._server.started:
            if self._task.done():
                self._task.result()  # raises what stopped it (e.g. the port is taken)
                raise RuntimeError("the HTTP server stopped before it started")
            await asyncio.sleep(0.01)

    @property
    def bound_port(self) -> int:
        sockets: list[socket.socket] = [
            sock for server in self._server.servers for sock in (server.sockets or ())
        ]
        return int(sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._task is None:
            return
        self._server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
