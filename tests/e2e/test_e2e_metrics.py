"""Every service's /metrics moves when one job goes through: each service's Prometheus page
is scraped before and after a job, and the series dashboards and alerts rely on must have
grown (other tests may run jobs meanwhile, so "at least", never "exactly")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from shared.client.api import VidgenClient
from tests.e2e.platform import JOB_TIMEOUT, Platform, tiny_spec

pytestmark = pytest.mark.timeout(240)

Scrape = dict[str, list[tuple[dict[str, str], float]]]


def _urls(platform: Platform) -> dict[str, list[str]]:
    ports = platform.stack.ports
    return {"ingest": [platform.api], "storage": [platform.storage],
            "metrics": [f"http://127.0.0.1:{ports.metrics}"],
            "render": [f"http://127.0.0.1:{port}" for port in ports.render]}


async def _scrape(http: httpx.AsyncClient, urls: list[str]) -> Scrape:
    """Samples by name, of every instance of one service."""
    samples: Scrape = {}
    for url in urls:
        page = await http.get(f"{url}/metrics")
        assert page.status_code == 200, (url, page.text[:300])
        for family in text_string_to_metric_families(page.text):
            for sample in family.samples:
                samples.setdefault(sample.name, []).append((sample.labels, sample.value))
    return samples


def total(scrape: Scrape, name: str, **labels: str) -> float:
    """Sum of the samples of `name` whose labels include `labels` (0 when there are none)."""
    return sum(value for have, value in scrape.get(name, ())
               if all(have.get(key) == want for key, want in labels.items()))


# service -> (series, labels) that one completed job (plus a download of its result and a
# health check of each worker) must increase
EXPECTED: Mapping[str, list[tuple[str, dict[str, str]]]] = {
    "ingest": [
        ("vidgen_jobs_created_total", {"source": "http"}),
        ("vidgen_ingest_events_projected_total", {"type": "job.completed"}),
        ("vidgen_http_requests_total", {"route": "/v1/jobs", "method": "POST"}),
        ("vidgen_http_request_duration_seconds_count", {"route": "/v1/jobs/{job_id}"}),
    ],
    "storage": [
        ("vidgen_storage_bytes_total", {"direction": "upload"}),
        ("vidgen_storage_bytes_total", {"direction": "served"}),
        ("vidgen_storage_operation_seconds_count", {"operation": "copy"}),
        ("vidgen_http_request_duration_seconds_count", {"service": "storage"}),
    ],
    "render": [
        ("vidgen_renders_total", {"outcome": "completed"}),
        ("vidgen_render_seconds_count", {"format": "mp4"}),
        ("vidgen_http_requests_total", {"service": "render", "route": "/healthz"}),
        ("vidgen_http_request_duration_seconds_count", {"service": "render"}),
    ],
    "metrics": [
        ("vidgen_events_total", {"type": "job.completed"}),
        ("vidgen_jobs_finished_total", {"status": "completed"}),
        ("vidgen_step_duration_seconds_count", {"step": "encoding"}),
        ("vidgen_step_duration_seconds_count", {"step": "upload"}),
        ("vidgen_render_speed_ratio_count", {}),
    ],
}


def _lagging(before: dict[str, Scrape], after: dict[str, Scrape]) -> list[str]:
    return [f"{service}: {name}{labels or ''} {total(before[service], name, **labels)} -> "
            f"{total(after[service], name, **labels)}"
            for service, series in EXPECTED.items() for name, labels in series
            if total(after[service], name, **labels) <= total(before[service], name, **labels)]


async def test_every_service_metrics_move_with_one_job(platform: Platform, photo_source: str,
                                                       tmp_path: Path) -> None:
    urls = _urls(platform)
    async with httpx.AsyncClient(timeout=10) as http:
        before = {service: await _scrape(http, u) for service, u in urls.items()}

        with VidgenClient(platform.api, platform.storage) as client:
            created = client.create_job(tiny_spec(photo_source, response="async"))
            status = client.wait(str(created["job_id"]), timeout=JOB_TIMEOUT, interval=0.3)
            assert status["status"] == "completed", (status, platform.log_tail())
            assert client.download(status["result_url"], tmp_path / "result.mp4") > 0
        for url in urls["render"]:
            assert (await http.get(f"{url}/healthz")).status_code == 200

        async def scrape_all() -> dict[str, Scrape]:
            return {service: await _scrape(http, u) for service, u in urls.items()}

        scrapes: list[dict[str, Scrape]] = []

        async def lagging() -> list[str]:
            scrapes.append(await scrape_all())
            return _lagging(before, scrapes[-1])

        # The metrics service and the ingest projection consume asynchronously: poll.
        assert await platform.poll(lagging, lambda left: not left, timeout=60, interval=0.5,
                                   what="every expected series to grow") == []
        after = scrapes[-1]

    speeds = [value for _, value in after["render"]["vidgen_render_speed"]]
    assert max(speeds) > 0, speeds  # the FFmpeg speed of the last render, x realtime
    # the polled gauges exist from the metrics service's start
    lag = after["metrics"]["vidgen_kafka_consumer_lag_messages"]
    assert {labels["group"] for labels, _ in lag} >= {
        "render", "storage", "metrics", "ingest-intake", "ingest-projection"}
    assert {labels["status"] for labels, _ in after["metrics"]["vidgen_jobs_active"]} == {
        "pending", "processing"}
    assert "vidgen_jobs_stalled" in after["metrics"]
