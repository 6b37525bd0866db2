"""Prometheus and OpenTelemetry helpers every service uses.

Metrics: `instrument_app(app, service)` adds the HTTP middleware (request count and latency
per route template, so path parameters do not explode the label space) and mounts
`/metrics` in the Prometheus text format.

Tracing: `setup_tracing(service, settings)` installs an SDK tracer provider when there is
somewhere to send spans (OTLP endpoint, or `VIDGEN_TRACE_CONSOLE=1`); otherwise the
OpenTelemetry API stays a no-op, and trace context still propagates: a span started under
an extracted context carries the caller's trace id onward. The context travels in each
event's `trace` field (W3C `traceparent`/`tracestate`), which `shared.kafka.event_headers`
copies into the Kafka headers.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from fastapi import FastAPI
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest
from prometheus_client.registry import CollectorRegistry
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.events import EventBase
from shared.settings import TelemetrySettings

__all__ = [
    "HTTP_REQUESTS",
    "HTTP_REQUEST_DURATION",
    "PrometheusMiddleware",
    "extract_context",
    "flush_tracing",
    "inject_trace",
    "instrument_app",
    "mount_metrics",
    "setup_tracing",
    "span",
]

log = logging.getLogger(__name__)

HTTP_REQUESTS = Counter(
    "vidgen_http_requests_total", "HTTP requests answered",
    ["service", "method", "route", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    "vidgen_http_request_duration_seconds", "HTTP request latency", ["service", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)

_OTLP_MODULE = "opentelemetry.exporter.otlp.proto.http.trace_exporter"
_PROPAGATOR = TraceContextTextMapPropagator()
_provider: TracerProvider | None = None
E = TypeVar("E", bound=EventBase)
Carrier = Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]] | None


# ---------------------------------------------------------------------------- Prometheus


def mount_metrics(app: FastAPI, registry: CollectorRegistry = REGISTRY) -> None:
    """Serve `registry` at GET /metrics in the Prometheus text format."""

    async def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    app.add_api_route("/metrics", metrics, methods=["GET"], include_in_schema=False,
                      response_class=Response)


class PrometheusMiddleware:
    """ASGI middleware: counts and times every HTTP request by route template."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = _route_of(scope)
            HTTP_REQUESTS.labels(self.service, scope.get("method", ""), route, str(status)).inc()
            HTTP_REQUEST_DURATION.labels(self.service, route).observe(
                time.perf_counter() - started
            )


def _route_of(scope: Scope) -> str:
    """The matched route's template (`/v1/jobs/{job_id}`), never the raw path."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) and path else "<unmatched>"


def instrument_app(app: FastAPI, service: str) -> None:
    """Add the request metrics middleware and `/metrics` to a service's app."""
    app.add_middleware(PrometheusMiddleware, service=service)
    mount_metrics(app)


# ---------------------------------------------------------------------------- tracing


def setup_tracing(service: str, settings: TelemetrySettings) -> TracerProvider | None:
    """Install the global tracer provider once; None when spans go nowhere (no-op API).

    OTLP needs the `opentelemetry-exporter-otlp-proto-http` package; without it a warning is
    logged and the console exporter (if asked for) or nothing is used instead.
    """
    global _provider
    if _provider is not None:
        return _provider
    exporter = _exporter(settings)
    if exporter is None:
        return None
    provider = TracerProvider(resource=Resource.create({"service.name": f"vidgen-{service}"}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _provider = provider
    return provider


def flush_tracing() -> None:
    """Export the spans still buffered (call on shutdown; a no-op without a provider)."""
    if _provider is not None:
        _provider.force_flush()


def _exporter(settings: TelemetrySettings) -> SpanExporter | None:
    if settings.otlp_endpoint:
        try:
            module = importlib.import_module(_OTLP_MODULE)
        except ImportError:
            log.warning("OTLP endpoint set but %s is not installed", _OTLP_MODULE)
        else:
            # The exporter reads the OTEL_EXPORTER_OTLP_* variables itself.
            exporter: SpanExporter = module.OTLPSpanExporter()
            return exporter
    if settings.trace_console:
        return ConsoleSpanExporter()
    return None


def trace_carrier() -> dict[str, str]:
    """The current span's W3C context as headers (empty outside a recorded span)."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier


def inject_trace(event: E) -> E:
    """A copy of `event` whose `trace` carries the current span's W3C context."""
    carrier = trace_carrier()
    if not carrier:
        return event
    return event.model_copy(update={"trace": {**event.trace, **carrier}})


def extract_context(carrier: Carrier) -> otel_context.Context:
    """The trace context in Kafka headers (pairs or a mapping) or an event's `trace` dict."""
    items = carrier.items() if isinstance(carrier, Mapping) else (carrier or ())
    headers = {
        str(key).lower(): value.decode("latin-1") if isinstance(value, bytes) else str(value)
        for key, value in items
    }
    return _PROPAGATOR.extract(headers)


# One tracer for every span (getting it per span was a visible share of a job's creation):
# made before setup_tracing, it is OpenTelemetry's proxy, which uses the provider set later.
_TRACER = trace.get_tracer("vidgen")


@contextmanager
def span(
    name: str, *, context: otel_context.Context | None = None, **attributes: Any
) -> Iterator[trace.Span]:
    """A span named `name`, child of `context` (else of the current span). Attributes that
    are None are left out, others that are not str/bool/int/float become strings.
    Exceptions are recorded on the span and re-raised."""
    tracer = _TRACER
    clean = {
        key: value if isinstance(value, str | bool | int | float) else str(value)
        for key, value in attributes.items()
        if value is not None
    }
    with tracer.start_as_current_span(name, context=context, attributes=clean) as current:
        yield current
