"""POST /v1/preview at ingest's door, without render workers: every problem of the job and
of the parameters is a 422 by path before a worker is asked, a valid preview is 503 with
Retry-After when no worker can take it, and previews have a quota of their own."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from tests.integration.ingest.access_helpers import as_caller, small_spec
from tests.integration.ingest.harness import Ingest, api_settings

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(60)]


def _ip() -> str:
    return f"198.51.100.{uuid4().int % 250 + 1}"


def _spec(**output: Any) -> dict[str, Any]:
    spec = small_spec()
    spec["output"] = {**spec.get("output", {}), "duration": 2, **output}
    return spec


async def test_problems_are_named_before_any_worker_is_asked(ingest: Ingest) -> None:
    bad = _spec(fps="fast")
    answer = await ingest.client.post("/v1/preview", params={"time": 5, "scale": 0},
                                      json=bad)
    assert answer.status_code == 422, answer.text
    paths = [error["path"] for error in answer.json()["errors"]]
    assert paths == ["output.fps", "scale"], paths
    late = await ingest.client.post("/v1/preview", params={"time": 2}, json=_spec())
    assert late.json()["errors"] == [{"path": "time", "message": "2 s is outside the "
                                      "composition: the composition runs from 0 to 2 s"}]
    long = await ingest.client.post("/v1/preview", params={"from": 0, "to": 1.5},
                                    json=_spec(duration=60))
    assert long.status_code == 503  # within the 10 s: valid, and no worker here
    with api_settings(ingest, max_preview_seconds=1):
        longer = await ingest.client.post("/v1/preview", params={"from": 0, "to": 1.5},
                                          json=_spec(duration=60))
    assert longer.status_code == 422
    assert longer.json()["errors"][0]["path"] == "to"
    assert "VIDGEN_MAX_PREVIEW_SECONDS" in longer.json()["errors"][0]["message"]


async def test_a_job_body_that_is_not_json_is_refused_like_a_job(ingest: Ingest) -> None:
    answer = await ingest.client.post("/v1/preview", params={"time": 0}, content=b"{",
                                      headers={"Content-Type": "application/json"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["path"] == "$"
    plain = await ingest.client.post("/v1/preview", params={"time": 0}, content=b"{}",
                                     headers={"Content-Type": "text/plain"})
    assert plain.status_code == 415


async def test_without_a_worker_a_valid_preview_is_503_and_no_job(ingest: Ingest) -> None:
    before = await ingest.pool.fetchval("SELECT count(*) FROM jobs")
    answer = await ingest.client.post("/v1/preview", params={"time": 0.5}, json=_spec())
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "1"
    assert "VIDGEN_RENDER_URLS" in answer.json()["detail"]
    assert await ingest.pool.fetchval("SELECT count(*) FROM jobs") == before


async def test_previews_have_a_quota_of_their_own(ingest: Ingest) -> None:
    ip = _ip()
    with api_settings(ingest, preview_rate_limit=2, rate_limit=5, rate_window=600):
        async with as_caller(ingest, ip) as client:
            codes = [(await client.post("/v1/preview", params={"time": 0.5},
                                        json=_spec())).status_code for _ in range(3)]
            refused = await client.post("/v1/preview", params={"time": 0.5}, json=_spec())
            job = await client.post("/v1/jobs", json=small_spec())
    assert codes == [503, 503, 429]
    assert 1 <= int(refused.headers["retry-after"]) <= 600
    assert refused.headers["x-ratelimit-limit"] == "2"
    assert job.status_code == 202  # job creations are counted apart


async def test_the_route_is_in_the_openapi_document(ingest: Ingest) -> None:
    document = (await ingest.client.get("/openapi.json")).json()
    operation = document["paths"]["/v1/preview"]["post"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {"time", "from", "to", "scale", "fps", "format"}
    assert set(operation["responses"]["200"]["content"]) == {"image/png", "image/jpeg",
                                                             "video/mp4"}
    schema = operation["responses"]["422"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/PreviewProblems"}
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert {"$ref": "#/components/schemas/Job"} in body["oneOf"]
