"""Jobs through the HTTP API, end to end: every service's projection in Postgres, the video
behind the result URL, the earlier version's route, idempotency and validation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from shared.cli import main
from shared.client.api import VidgenClient, problems_from_body
from shared.events import STEPS
from tests.e2e.platform import JOB_TIMEOUT, MEDIA, Platform, probe_video, tiny_spec


@dataclass(frozen=True)
class FinishedJob:
    created: dict[str, Any]
    status: dict[str, Any]
    video: Path


@pytest.fixture(scope="session")
def async_job(platform: Platform, photo_source: str,
              tmp_path_factory: pytest.TempPathFactory) -> FinishedJob:
    """One job submitted with response=async, followed to the end, its video downloaded."""
    video = tmp_path_factory.mktemp("async-job") / "result.mp4"
    with VidgenClient(platform.api, platform.storage) as client:
        created = client.create_job(tiny_spec(photo_source, response="async"))
        status = client.wait(str(created["job_id"]), timeout=JOB_TIMEOUT, interval=0.3)
        assert status["status"] == "completed", (status, platform.log_tail())
        client.download(status["result_url"], video)
    return FinishedJob(created, status, video)


def test_async_job_answers_202_then_completes(async_job: FinishedJob):
    created, status = async_job.created, async_job.status
    assert created["http_status"] == 202
    assert created["status"] in {"pending", "processing"}
    assert str(created["status_url"]).endswith(f"/v1/jobs/{created['job_id']}")
    assert status["job_id"] == created["job_id"]
    assert status["progress_percentage"] == 100
    assert status["error_code"] is None
    assert str(status["result_url"]).endswith(f"/v1/results/{created['job_id']}")


def test_result_url_serves_a_playable_video(async_job: FinishedJob):
    facts = probe_video(async_job.video)
    assert (facts.width, facts.height) == (320, 180)
    assert facts.streams == ("audio", "video")
    assert abs(facts.duration - 1.5) < 0.2
    assert facts.size > 1000


async def test_timeline_has_the_seven_steps_in_order(platform: Platform, async_job: FinishedJob):
    job_id = async_job.created["job_id"]

    async def timeline() -> list[Any]:
        return await platform.query(
            "SELECT step::text, success, completed_at FROM processing_timeline "
            "WHERE job_id = $1::uuid ORDER BY started_at, id", job_id)

    rows = await platform.poll(
        timeline, lambda rows: {r["step"] for r in rows if r["success"]} >= set(STEPS),
        what="all seven steps completed in processing_timeline")
    order = list(dict.fromkeys(row["step"] for row in rows))
    assert order == list(STEPS)
    assert all(row["completed_at"] is not None for row in rows if row["success"])


async def test_storage_operations_are_recorded(platform: Platform, async_job: FinishedJob):
    job_id = async_job.created["job_id"]

    async def operations() -> list[Any]:
        return await platform.query(
            "SELECT operation::text, success, completed_at FROM storage_operations "
            "WHERE job_id = $1::uuid", job_id)

    rows = await platform.poll(operations, lambda rows: "upload" in {r["operation"] for r in rows},
                               what="an upload in storage_operations")
    assert all(row["success"] for row in rows if row["completed_at"] is not None)


async def test_system_metrics_are_recorded(platform: Platform, async_job: FinishedJob):
    async def count() -> int:
        rows = await platform.query(
            "SELECT count(*) AS n FROM system_metrics WHERE recorded_at >= $1::timestamptz",
            (await platform.job_row(async_job.created["job_id"]))["created_at"])
        return int(rows[0]["n"])

    assert await platform.poll(count, lambda n: n > 0, what="system_metrics rows") > 0


async def test_fetching_the_result_url_is_logged(platform: Platform, async_job: FinishedJob):
    job_id = async_job.created["job_id"]

    async def accesses() -> list[Any]:
        return await platform.query(
            "SELECT response_status, bytes_served FROM url_access_logs WHERE job_id = $1::uuid",
            job_id)

    rows = await platform.poll(accesses, bool, what="a url_access_logs row")
    assert any(row["response_status"] == 200 for row in rows)


async def test_compatibility_route_creates_a_job(platform: Platform, photo_source: str):
    body = {"output_format": "mp4", "width": 320, "height": 180, "elements": [
        {"id": "bg", "type": "image", "source": photo_source, "track": 1, "x": "0%", "y": "0%",
         "width": "100%", "height": "100%", "fit_mode": "cover"}]}
    async with httpx.AsyncClient(timeout=90) as http:
        response = await http.post(f"{platform.api}/api/v1/videocreate", json=body)
        assert response.status_code in (200, 202), response.text
        answer = response.json()
        job_id = answer["job_id"]
        if response.status_code == 200:
            assert answer["status"] == "completed" and answer["result_url"]
        else:
            assert answer["status"] == "processing" and answer["status_check_endpoint"]
        status = await platform.finished_job(http, job_id)
    assert status["status"] == "completed", status
    row = await platform.job_row(job_id)
    assert row is not None and (row["width"], row["height"]) == (320, 180)


async def test_the_same_idempotency_key_twice_makes_one_job(platform: Platform,
                                                          photo_source: str):
    key = f"e2e-{uuid4()}"
    spec = tiny_spec(photo_source, response="async", idempotency_key=key)
    async with httpx.AsyncClient(timeout=30) as http:
        first = await http.post(f"{platform.api}/v1/jobs", json=spec)
        second = await http.post(f"{platform.api}/v1/jobs", json=spec)
        assert first.status_code in (200, 202) and second.status_code in (200, 202)
        assert first.json()["job_id"] == second.json()["job_id"]
        status = await platform.finished_job(http, first.json()["job_id"])
    assert status["status"] == "completed"
    rows = await platform.query("SELECT id FROM jobs WHERE idempotency_key = $1", key)
    assert len(rows) == 1


async def test_an_invalid_request_is_answered_422_with_every_problem(platform: Platform):
    before = await platform.query("SELECT count(*) AS n FROM jobs")
    spec = {"output": {"width": "wide", "fps": 500},
            "elements": [{"type": "image"},
                         {"type": "text", "text": "x", "width": "abc"},
                         {"type": "sparkle"}]}
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(f"{platform.api}/v1/jobs", json=spec)
    assert response.status_code == 422, response.text
    paths = {problem.path for problem in problems_from_body(response.json())}
    assert {"output.width", "output.fps", "elements[0].source", "elements[1].width",
            "elements[2].type"} <= paths, response.text
    after = await platform.query("SELECT count(*) AS n FROM jobs")
    assert after[0]["n"] == before[0]["n"]


def test_vidgen_submit_uploads_local_files_and_saves_the_result(platform: Platform,
                                                                 tmp_path: Path, capsys):
    spec = tiny_spec("media/photo2.jpg", duration=1.0)
    spec["elements"].append({"type": "audio", "source": "media/music.m4a"})
    (tmp_path / "media").mkdir()
    for name in ("photo2.jpg", "music.m4a"):
        (tmp_path / "media" / name).write_bytes((MEDIA / name).read_bytes())
    spec_path = tmp_path / "job.json"
    spec_path.write_text(json.dumps(spec))
    out = tmp_path / "out.mp4"
    code = main(["submit", str(spec_path), "--api", platform.api, "--storage", platform.storage,
                 "--wait", "-o", str(out), "--timeout", str(JOB_TIMEOUT)])
    captured = capsys.readouterr()
    assert code == 0, captured.err + platform.log_tail()
    assert "/v1/results/" in captured.out
    facts = probe_video(out)
    assert (facts.width, facts.height) == (320, 180) and abs(facts.duration - 1.0) < 0.2
