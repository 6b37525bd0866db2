"""The earlier version's routes and body."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest

from tests.integration.ingest.harness import Ingest

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(60)]

BODY = {
    "output_format": "mov",
    "width": 1280,
    "height": 720,
    "response": "async",
    "elements": [
        {"id": "bg", "type": "video", "source": "https://media.example.com/bg.mp4", "track": 1,
         "x": "0%", "y": "0%", "width": "100%", "height": "100%", "fit_mode": "cover"},
        {"id": "logo", "type": "image", "source": "https://media.example.com/logo.png",
         "track": 2, "x": "95%", "y": "5%", "width": "10%", "height": "10%",
         "fit_mode": "contain"},
    ],
}


@pytest.mark.parametrize("path", ["/api/v1/videocreate", "/api/v1/video/create"])
async def test_compat_create_is_converted_to_the_native_spec(ingest: Ingest, path: str) -> None:
    answer = await ingest.client.post(path, json=BODY)
    assert answer.status_code == 202, answer.text
    body = answer.json()
    job_id = body["job_id"]
    assert body["status"] == "processing"
    assert body["status_check_endpoint"] == f"/api/v1/videoresult/{job_id}"
    assert body["estimated_completion"]
    assert body["message"]
    job = await ingest.job(job_id)
    assert job is not None
    spec = json.loads(job["spec"])
    assert spec["output"]["format"] == "mov"
    assert [(e["id"], e["type"], e["fit"], e["track"]) for e in spec["elements"]] == [
        ("bg", "video", "cover", 1), ("logo", "image", "contain", 2)]
    assert job["estimated_time_ms"] == 2000 + 0 + 2000 + 500
    elements = await ingest.pool.fetch(
        "SELECT element_key, fit_mode::text, x, width FROM elements WHERE job_id = $1 "
        "ORDER BY position", job["id"])
    assert [tuple(row.values()) for row in elements] == [("bg", "cover", "0%", "100%"),
                                                         ("logo", "contain", "95%", "10%")]

    for result_path in (f"/api/v1/videoresult/{job_id}", f"/api/v1/video/result/{job_id}"):
        result = await ingest.client.get(result_path)
        assert result.status_code == 200
        assert (result.json()["status"], result.json()["job_id"]) == ("pending", job_id)


async def test_compat_problems_use_the_earlier_field_names(ingest: Ingest) -> None:
    bad = {**BODY, "width": 1281, "output_format": "webm",
           "elements": [{**BODY["elements"][0], "fit_mode": "squash"}]}
    answer = await ingest.client.post("/api/v1/videocreate", json=bad)
    assert answer.status_code == 422
    assert {e["path"] for e in answer.json()["errors"]} == {"output_format", "width",
                                                            "elements[0].fit_mode"}
    odd = {**BODY, "width": 1281, "elements": [{**BODY["elements"][0], "fit_mode": "squash"}]}
    answer = await ingest.client.post("/api/v1/videocreate", json=odd)
    assert answer.status_code == 422
    assert {e["path"] for e in answer.json()["errors"]} == {"width", "elements[0].fit_mode"}
    empty = await ingest.client.post("/api/v1/video/create", json={**BODY, "elements": []})
    assert [e["path"] for e in empty.json()["errors"]] == ["elements"]


async def test_compat_list_details_and_cancel(ingest: Ingest) -> None:
    job_id = (await ingest.client.post("/api/v1/videocreate", json=BODY)).json()["job_id"]
    listing = await ingest.client.get("/api/v1/video/jobs", params={"limit": 5})
    assert listing.status_code == 200
    assert listing.json()["jobs"][0]["job_id"] == job_id
    assert listing.json()["jobs"][0]["output_format"] == "mov"
    details = await ingest.client.get(f"/api/v1/video/job/{job_id}/details")
    assert details.status_code == 200
    assert [e["element_key"] for e in details.json()["elements"]] == ["bg", "logo"]
    assert [t["step"] for t in details.json()["timeline"]] == ["validation"]
    cancelled = await ingest.client.delete(f"/api/v1/video/job/{job_id}")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    again = await ingest.client.delete(f"/api/v1/video/job/{job_id}")
    assert again.status_code == 409
    result = await ingest.client.get(f"/api/v1/videoresult/{job_id}")
    assert result.json()["status"] == "cancelled"
    missing = await ingest.client.get(f"/api/v1/videoresult/{uuid4()}")
    assert missing.status_code == 404
