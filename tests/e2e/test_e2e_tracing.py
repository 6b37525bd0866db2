"""One trace per job: the separate services' spans, exported over OTLP, form one tree whose
steps run in the pipeline's order (ingest → storage → render → storage), with the job id,
the step and the sizes and FFmpeg speed as attributes."""

from __future__ import annotations

import asyncio
import time

from shared.client.api import VidgenClient
from shared.testing.otlp import OtlpReceiver, ReceivedSpan
from tests.e2e.platform import JOB_TIMEOUT, Platform, tiny_spec

# The step spans, in the order the pipeline runs them.
STEP_SPANS = (
    ("vidgen-ingest", "ingest create job"),
    ("vidgen-storage", "storage download"),
    ("vidgen-render", "render processing"),
    ("vidgen-render", "render composition"),
    ("vidgen-render", "render encoding"),
    ("vidgen-render", "render staging upload"),
    ("vidgen-storage", "storage upload"),
    ("vidgen-storage", "storage cleanup"),
)
SERVICES = {"vidgen-ingest", "vidgen-storage", "vidgen-render", "vidgen-metrics"}


def _job_trace(spans: list[ReceivedSpan], job_id: str) -> list[ReceivedSpan]:
    roots = [s for s in spans if s.name == "ingest create job"
             and s.attributes.get("job_id") == job_id]
    if not roots:
        return []
    return [s for s in spans if s.trace_id == roots[0].trace_id]


def _complete(trace: list[ReceivedSpan]) -> bool:
    """Every step's span arrived, from every service, and so did every span's parent
    (a parent ends, and is exported, after its children)."""
    names = {(s.service, s.name) for s in trace}
    ids = {s.span_id for s in trace}
    return (set(STEP_SPANS) <= names and {s.service for s in trace} >= SERVICES
            and all(s.parent_id in ids for s in trace if s.parent_id))


async def _wait_for_trace(otlp: OtlpReceiver, job_id: str, timeout: float = 30.0
                          ) -> list[ReceivedSpan]:
    deadline = time.monotonic() + timeout
    while True:
        trace = _job_trace(otlp.spans(), job_id)
        if _complete(trace):
            return trace
        if time.monotonic() > deadline:
            seen = sorted({(s.service, s.name) for s in trace})
            everything = sorted({(s.service, s.name) for s in otlp.spans()})
            raise AssertionError(f"trace of job {job_id} incomplete after {timeout:.0f}s: {seen}; "
                                 f"received: {everything}")
        await asyncio.sleep(0.2)


async def test_one_trace_holds_every_services_spans_in_order(
    platform: Platform, otlp: OtlpReceiver, photo_source: str
) -> None:
    with VidgenClient(platform.api, platform.storage) as client:
        job_id = str(client.create_job(tiny_spec(photo_source, response="async"))["job_id"])
        status = client.wait(job_id, timeout=JOB_TIMEOUT, interval=0.3)
    assert status["status"] == "completed", (status, platform.log_tail())

    trace = await _wait_for_trace(otlp, job_id)

    # one tree: a single root (ingest's HTTP request), every other span's parent is in it
    ids = {s.span_id for s in trace}
    roots = [s for s in trace if not s.parent_id]
    assert [(r.service, r.name) for r in roots] == [("vidgen-ingest", "POST /v1/jobs")]
    assert all(s.parent_id in ids for s in trace if s.parent_id)

    # the steps, each once, started in the pipeline's order
    steps = [next(s for s in trace if (s.service, s.name) == wanted) for wanted in STEP_SPANS]
    starts = [s.start_ns for s in steps]
    assert starts == sorted(starts), [(s.name, s.start_ns) for s in steps]
    for step in steps:
        assert step.attributes.get("job_id") == job_id, step
        assert step.attributes.get("step"), step
        assert step.end_ns >= step.start_ns

    by_name = {s.name: s for s in steps}
    assert int(by_name["storage download"].attributes["bytes"]) > 0
    encoding = by_name["render encoding"].attributes
    assert float(encoding["ffmpeg_speed"]) > 0
    assert int(encoding["output_bytes"]) > 0
    assert int(by_name["storage upload"].attributes["bytes"]) == int(encoding["output_bytes"])
