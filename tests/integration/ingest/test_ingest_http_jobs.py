"""The native HTTP API: create, validate, idempotency, read, list, cancel."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID, uuid4

import pytest

from tests.integration.ingest.harness import Ingest

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(60)]


def spec(**extra: Any) -> dict[str, Any]:
    return {
        "output": {"format": "mp4", "width": 1920, "height": 1080, "fps": 25},
        "elements": [
            {"id": "clip", "type": "video", "source": "https://media.example.com/clip.mp4",
             "track": 1, "start": 0.5, "duration": 4, "x": "0%", "y": "0%", "width": "100%",
             "fit": "cover", "trim_start": 2, "volume": 0.5},
            {"type": "image", "source": "https://media.example.com/logo.png", "track": 2,
             "width": "10%", "x": "right", "y": "5%", "opacity": 0.8},
            {"type": "text", "text": "Hello", "end": 3},
        ],
        "response": "async",
        **extra,
    }


async def test_create_async_answers_202_and_records_the_job(ingest: Ingest) -> None:
    marker = uuid4().hex
    answer = await ingest.client.post("/v1/jobs", json=spec(metadata={"test": marker}),
                                      headers={"User-Agent": "ingest-test/1"})
    assert answer.status_code == 202, answer.text
    body = answer.json()
    job_id = UUID(body["job_id"])
    assert body["status"] == "pending"
    assert answer.headers["location"] == f"/v1/jobs/{job_id}" == body["status_url"]
    assert body["estimated_time_ms"] == 2000 + 3750 + 2000 + 500
    assert body["estimated_completion"]

    job = await ingest.job(job_id)
    assert job is not None
    assert job["status_text"] == "pending"
    assert (job["output_format"], job["width"], job["height"], float(job["fps"])) == (
        "mp4", 1920, 1080, 25.0)
    assert str(job["client_ip"]) == "127.0.0.1"
    assert job["user_agent"] == "ingest-test/1"
    assert job["response_type"] == "async"
    assert json.loads(job["metadata"]) == {"test": marker}
    stored = json.loads(job["spec"])
    assert stored["elements"][1]["x"] == "100%"  # normalised: "right"
    assert stored["output"]["fps"] == 25

    elements = await ingest.pool.fetch(
        "SELECT * FROM elements WHERE job_id = $1 ORDER BY position", job_id)
    assert [(e["element_key"], e["element_type"]) for e in elements] == [
        ("clip", "video"), ("element-1", "image"), ("element-2", "text")]
    clip, logo, text = elements
    assert clip["source_url"] == "https://media.example.com/clip.mp4"
    assert (clip["track"], float(clip["start_time"]), float(clip["duration"])) == (1, 0.5, 4.0)
    assert (clip["x"], clip["y"], clip["width"], clip["height"]) == ("0%", "0%", "100%", None)
    assert clip["fit_mode"] == "cover"
    assert json.loads(clip["properties"])["trim_start"] == 2
    assert float(logo["opacity"]) == 0.8
    assert text["source_url"] is None
    assert float(text["duration"]) == 3.0  # from end - start
    assert json.loads(text["properties"])["text"] == "Hello"

    timeline = await ingest.pool.fetch(
        "SELECT step::text, success, completed_at FROM processing_timeline WHERE job_id = $1",
        job_id)
    assert [(row["step"], row["success"]) for row in timeline] == [("validation", True)]

    accepted = await ingest.messages(
        ingest.settings.topics.events,
        lambda r: r.key == str(job_id).encode() and json.loads(r.value)["type"] == "job.accepted")
    event = json.loads(accepted[0].value)
    assert event["producer"] == "ingest"
    assert event["spec"] == stored
    assert dict(accepted[0].headers)["vidgen-type"] == b"job.accepted"

    status = await ingest.client.get(f"/v1/jobs/{job_id}")
    assert status.status_code == 200
    assert status.json()["status"] == "pending"
    assert status.json()["output"]["width"] == 1920


async def test_invalid_spec_is_422_with_every_problem(ingest: Ingest) -> None:
    before = await ingest.pool.fetchval("SELECT count(*) FROM jobs")
    bad = {
        "output": {"width": 99999, "format": "mkv"},
        "elements": [{"type": "video"}, {"type": "image", "source": "x", "width": "abc"},
                     {"type": "sparkle"}],
        "response": "sometime",
    }
    answer = await ingest.client.post("/v1/jobs", json=bad)
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert all(set(error) == {"path", "message"} for error in errors)
    assert {error["path"] for error in errors} >= {
        "output.width", "output.format", "elements[0].source", "elements[1].width",
        "elements[2].type", "response"}
    assert await ingest.pool.fetchval("SELECT count(*) FROM jobs") == before

    not_json = await ingest.client.post("/v1/jobs", content=b"{nope",
                                        headers={"Content-Type": "application/json"})
    assert not_json.status_code == 422
    assert [error["path"] for error in not_json.json()["errors"]] == ["$"]
    not_object = await ingest.client.post("/v1/jobs", json=[spec()])
    assert not_object.status_code == 422


async def test_the_same_idempotency_key_gives_one_job(ingest: Ingest) -> None:
    key = f"key-{uuid4().hex}"
    first = await ingest.client.post("/v1/jobs", json=spec(idempotency_key=key))
    second = await ingest.client.post("/v1/jobs", json=spec(idempotency_key=key))
    assert first.status_code == second.status_code == 202
    assert first.json()["job_id"] == second.json()["job_id"]
    header_key = f"key-{uuid4().hex}"
    third = await ingest.client.post("/v1/jobs", json=spec(),
                                     headers={"Idempotency-Key": header_key})
    fourth = await ingest.client.post("/v1/jobs", json=spec(),
                                      headers={"Idempotency-Key": header_key})
    assert third.json()["job_id"] == fourth.json()["job_id"] != first.json()["job_id"]
    counts = await ingest.pool.fetch(
        """SELECT idempotency_key, count(*) AS jobs,
                  (SELECT count(*) FROM elements e JOIN jobs j2 ON j2.id = e.job_id
                   WHERE j2.idempotency_key = j.idempotency_key) AS elements
           FROM jobs j WHERE idempotency_key = ANY($1::text[]) GROUP BY idempotency_key""",
        [key, header_key])
    assert {row["idempotency_key"]: (row["jobs"], row["elements"]) for row in counts} == {
        key: (1, 3), header_key: (1, 3)}
    outbox = await ingest.pool.fetchval(
        "SELECT count(*) FROM outbox WHERE key = $1 AND payload->>'type' = 'job.accepted'",
        first.json()["job_id"])
    assert outbox == 1


async def test_list_is_newest_first_with_filter_and_paging(ingest: Ingest) -> None:
    ids = [(await ingest.client.post("/v1/jobs", json=spec())).json()["job_id"]
           for _ in range(3)]
    page = await ingest.client.get("/v1/jobs", params={"limit": 2})
    assert page.status_code == 200
    assert [job["job_id"] for job in page.json()["jobs"]] == ids[::-1][:2]
    assert page.json()["total"] >= 3
    following = await ingest.client.get("/v1/jobs", params={"limit": 1, "offset": 2})
    assert [job["job_id"] for job in following.json()["jobs"]] == [ids[0]]
    await ingest.client.delete(f"/v1/jobs/{ids[1]}")
    cancelled = await ingest.client.get("/v1/jobs", params={"status": "cancelled",
                                                            "limit": 100})
    assert ids[1] in {job["job_id"] for job in cancelled.json()["jobs"]}
    assert {job["status"] for job in cancelled.json()["jobs"]} == {"cancelled"}
    bad = await ingest.client.get("/v1/jobs", params={"status": "lost", "limit": 0})
    assert bad.status_code == 422
    assert {error["path"] for error in bad.json()["errors"]} == {"query.status", "query.limit"}


async def test_details_has_elements_and_timeline(ingest: Ingest) -> None:
    job_id = (await ingest.client.post("/v1/jobs", json=spec())).json()["job_id"]
    details = await ingest.client.get(f"/v1/jobs/{job_id}/details")
    assert details.status_code == 200
    body = details.json()
    assert body["job"]["job_id"] == job_id
    assert [e["element_key"] for e in body["elements"]] == ["clip", "element-1", "element-2"]
    assert [(t["step"], t["success"]) for t in body["timeline"]] == [("validation", True)]


async def test_cancel_then_conflict_and_unknown(ingest: Ingest) -> None:
    job_id = (await ingest.client.post("/v1/jobs", json=spec())).json()["job_id"]
    cancelled = await ingest.client.delete(f"/v1/jobs/{job_id}")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    job = await ingest.job(job_id)
    assert job is not None
    assert job["status_text"] == "cancelled"
    assert job["completed_at"] is not None
    again = await ingest.client.delete(f"/v1/jobs/{job_id}")
    assert again.status_code == 409
    assert again.json()["status"] == "cancelled"
    events = await ingest.messages(
        ingest.settings.topics.events,
        lambda r: r.key == job_id.encode() and json.loads(r.value)["type"] == "job.cancelled")
    assert json.loads(events[0].value)["job_id"] == job_id
    assert (await ingest.client.delete(f"/v1/jobs/{uuid4()}")).status_code == 404
    assert (await ingest.client.get("/v1/jobs/not-a-job")).status_code == 404


async def test_create_answer_warns_of_an_element_after_the_end(ingest: Ingest) -> None:
    plain = await ingest.client.post("/v1/jobs", json=spec())
    assert plain.status_code == 202 and plain.json()["warnings"] == []
    late = spec()
    late["output"]["duration"] = 2
    late["elements"][2] = {"type": "text", "text": "Bye", "start": 2.5, "duration": 1}
    answer = await ingest.client.post("/v1/jobs", json=late)
    assert answer.status_code == 202, answer.text
    assert answer.json()["warnings"] == [{
        "path": "elements[2].start",
        "message": "starts at 2.5 s, at or after the end of the output (2 s): "
                   "it will not be in the video"}]
    # a warning, not an error: the job is there and goes on
    assert (await ingest.job(UUID(answer.json()["job_id"]))) is not None


async def test_a_shape_job_is_recorded_with_its_looks(ingest: Ingest) -> None:
    document = spec()
    document["elements"] = [{"id": "badge", "type": "shape", "shape": "polygon",
                             "points": [[0, "100%"], ["50%", 0], ["100%", "100%"]],
                             "width": 120, "fill": "#2a6f97", "border_radius": 8,
                             "shadow": {"blur": 4}, "blend_mode": "multiply", "duration": 2}]
    answer = await ingest.client.post("/v1/jobs", json=document)
    assert answer.status_code == 202, answer.text
    job_id = UUID(answer.json()["job_id"])
    (element,) = await ingest.pool.fetch("SELECT * FROM elements WHERE job_id = $1", job_id)
    assert (element["element_key"], element["element_type"], element["source_url"]) == (
        "badge", "shape", None)
    properties = json.loads(element["properties"])
    assert properties["shape"] == "polygon" and properties["blend_mode"] == "multiply"
    assert properties["shadow"]["blur"] == 4
