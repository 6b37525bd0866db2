"""shared.telemetry: W3C trace context through events and headers; HTTP request metrics."""

from __future__ import annotations

from uuid import uuid4

import httpx
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.trace import TracerProvider
from prometheus_client import REGISTRY

from shared.events import JobCancelled
from shared.settings import TelemetrySettings
from shared.telemetry import extract_context, inject_trace, instrument_app, setup_tracing, span


def _trace_id(context: Context) -> int:
    return trace.get_current_span(context).get_span_context().trace_id


def test_trace_context_round_trips_through_an_event() -> None:
    tracer = TracerProvider().get_tracer("test")
    event = JobCancelled(job_id=uuid4())
    with tracer.start_as_current_span("publish") as sent:
        carried = inject_trace(event)
    sent_context = sent.get_span_context()

    assert carried.trace["traceparent"].split("-")[1] == f"{sent_context.trace_id:032x}"
    assert carried.job_id == event.job_id and event.trace == {}  # the original is untouched
    received = trace.get_current_span(extract_context(carried.trace)).get_span_context()
    assert received.trace_id == sent_context.trace_id
    assert received.span_id == sent_context.span_id
    assert received.is_remote


def test_trace_context_is_read_from_kafka_header_pairs() -> None:
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("publish") as sent:
        traceparent = inject_trace(JobCancelled(job_id=uuid4())).trace["traceparent"]
    headers = [("vidgen-type", b"job.cancelled"), ("traceparent", traceparent.encode())]
    assert _trace_id(extract_context(headers)) == sent.get_span_context().trace_id


def test_a_consumer_span_passes_the_producer_trace_on() -> None:
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("producer") as sent:
        upstream = inject_trace(JobCancelled(job_id=uuid4()))
    # Whatever the global provider is (no-op here), the onward event keeps the trace id.
    with span("consume", context=extract_context(upstream.trace), job_id=upstream.job_id,
              missing=None):
        onward = inject_trace(JobCancelled(job_id=upstream.job_id))
    assert onward.trace["traceparent"].split("-")[1] == f"{sent.get_span_context().trace_id:032x}"


def test_without_a_current_span_nothing_is_injected() -> None:
    event = JobCancelled(job_id=uuid4())
    assert inject_trace(event).trace == {}
    assert _trace_id(extract_context(None)) == 0


def test_tracing_is_a_no_op_without_an_exporter() -> None:
    assert setup_tracing("test", TelemetrySettings(otlp_endpoint=None, trace_console=False)) is None


async def test_the_http_middleware_counts_requests_by_route_template() -> None:
    service = f"test-{uuid4().hex[:8]}"
    app = FastAPI()

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    instrument_app(app, service)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        assert (await client.get("/items/42")).status_code == 200
        assert (await client.get("/items/43")).status_code == 200
        assert (await client.get("/nowhere")).status_code == 404
        assert (await client.get("/boom")).status_code == 500
        exposition = await client.get("/metrics")
        await client.get("/metrics")

    def count(route: str, status: str) -> float | None:
        return REGISTRY.get_sample_value(
            "vidgen_http_requests_total",
            {"service": service, "method": "GET", "route": route, "status": status},
        )

    assert count("/items/{item_id}", "200") == 2
    assert count("<unmatched>", "404") == 1
    assert count("/boom", "500") == 1
    assert count("/metrics", "200") == 2
    timed = {"service": service, "route": "/items/{item_id}"}
    assert REGISTRY.get_sample_value("vidgen_http_request_duration_seconds_count", timed) == 2
    assert exposition.status_code == 200
    assert exposition.headers["content-type"].startswith("text/plain")
    assert f'service="{service}"' in exposition.text
