"""Liveness, readiness against the real dependencies, metrics and the OpenAPI document."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.ingest.harness import Ingest

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(60)]


async def test_healthz_and_readyz(ingest: Ingest) -> None:
    assert (await ingest.client.get("/healthz")).json() == {"status": "ok"}
    ready = await ingest.client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ready", "checks": {
        "database": "ok", "broker": "ok", "storage": "ok"}}


async def test_readyz_is_503_when_storage_is_missing(ingest: Ingest) -> None:
    settings = ingest.app.state.settings
    ingest.app.state.settings = settings.model_copy(update={"s3_bucket": "no-such-bucket"})
    try:
        ready = await ingest.client.get("/readyz")
    finally:
        ingest.app.state.settings = settings
    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert (checks["database"], checks["broker"]) == ("ok", "ok")
    assert checks["storage"].startswith("error: ")
    assert (await ingest.client.get("/healthz")).status_code == 200


async def test_metrics_count_jobs_and_requests(ingest: Ingest) -> None:
    async def sample(name: str, **labels: str) -> float:
        page = await ingest.client.get("/metrics")
        assert page.status_code == 200
        for family in text_string_to_metric_families(page.text):
            for item in family.samples:
                if item.name == name and all(item.labels.get(k) == v
                                             for k, v in labels.items()):
                    return float(item.value)
        return 0.0

    created = await sample("vidgen_jobs_created_total", source="http")
    answer = await ingest.client.post("/v1/jobs", json={
        "elements": [{"type": "text", "text": "metrics"}], "response": "async"})
    assert answer.status_code == 202
    assert await sample("vidgen_jobs_created_total", source="http") == created + 1
    assert await sample("vidgen_http_requests_total", service="ingest", method="POST",
                        route="/v1/jobs", status="202") >= 1
    assert await sample("vidgen_http_request_duration_seconds_count", service="ingest",
                        route="/v1/jobs") >= 1


async def test_openapi_documents_both_apis_and_the_spec(ingest: Ingest) -> None:
    document = (await ingest.client.get("/openapi.json")).json()
    paths = document["paths"]
    for path in ("/v1/jobs", "/v1/jobs/{job_id}", "/v1/jobs/{job_id}/details",
                 "/api/v1/videocreate", "/api/v1/videoresult/{job_id}", "/api/v1/video/jobs",
                 "/api/v1/video/job/{job_id}", "/api/v1/video/job/{job_id}/details",
                 "/healthz", "/readyz", "/v1/templates", "/v1/templates/{template_id}",
                 "/v1/templates/{template_id}/versions"):
        assert path in paths, path
    body = paths["/v1/jobs"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"oneOf": [{"$ref": "#/components/schemas/Job"},
                              {"$ref": "#/components/schemas/TemplateJob"}]}
    template = paths["/v1/templates"]["post"]["requestBody"]["content"]["application/json"]
    assert template["schema"] == {"$ref": "#/components/schemas/TemplateDocument"}
    schemas = document["components"]["schemas"]
    assert {"Job", "Output", "VideoElement", "CompatCreate", "CompatElement", "TemplateJob",
            "TemplateDocument", "MergeField"} <= set(schemas)
    assert "$defs" not in schemas["Job"]
    docs = await ingest.client.get("/docs")
    assert docs.status_code == 200
