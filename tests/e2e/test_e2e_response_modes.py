"""The `response` modes of POST /v1/jobs that wait, end to end: immediate and auto with a
short estimate answer 200 with the finished job; auto with an estimate over 30 s answers 202
at once and the job can then be cancelled cleanly. Also: ingest serves the AsyncAPI document.
(async is covered in test_e2e_jobs.py.)"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from services.ingest.estimate import IMMEDIATE_LIMIT_MS, estimate_job
from shared.asyncapi import asyncapi_document
from shared.composition import parse_job
from shared.settings import PlatformSettings
from tests.e2e.platform import JOB_TIMEOUT, Platform, probe_video, tiny_spec

pytestmark = pytest.mark.timeout(300)


def _estimate(spec: dict[str, Any]) -> int:
    return estimate_job(parse_job(spec))


def _long_spec(photo: str) -> dict[str, Any]:
    """Estimated at over 30 s by the earlier version's formula: 1080p, 25 images and the
    stated 250 MB of sources. It would take a minute of FFmpeg; it is cancelled first."""
    elements = [{"type": "image", "source": photo, "width": "10%", "x": f"{4 * i}%",
                 "y": f"{4 * i}%", "start": i, "duration": 30} for i in range(25)]
    return {"output": {"format": "mp4", "width": 1920, "height": 1080, "duration": 60,
                       "quality": {"preset": "veryslow"}},
            "elements": elements, "metadata": {"source_mb": 250}, "response": "auto"}


async def _finished_answer(platform: Platform, http: httpx.AsyncClient,
                           spec: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """POST a job that waits; it must come back 200 completed, its video playable."""
    response = await http.post(f"{platform.api}/v1/jobs", json=spec)
    assert response.status_code == 200, (response.text, platform.log_tail())
    answer: dict[str, Any] = response.json()
    assert answer["status"] == "completed"
    assert answer["progress_percentage"] == 100
    assert str(answer["result_url"]).endswith(f"/v1/results/{answer['job_id']}")
    video = await http.get(answer["result_url"])
    assert video.status_code == 200
    path = tmp_path / "result.mp4"
    path.write_bytes(video.content)
    facts = probe_video(path)
    assert (facts.width, facts.height) == (320, 180)
    assert abs(facts.duration - spec["output"]["duration"]) < 0.2
    return answer


async def test_immediate_waits_and_answers_200_with_the_result(
        platform: Platform, photo_source: str, tmp_path: Path) -> None:
    async with httpx.AsyncClient(timeout=JOB_TIMEOUT) as http:
        answer = await _finished_answer(
            platform, http, tiny_spec(photo_source, duration=1.0, response="immediate"),
            tmp_path)
    row = await platform.job_row(answer["job_id"])
    assert row is not None and row["response_type"] == "immediate"


async def test_auto_with_a_short_estimate_waits_and_answers_200(
        platform: Platform, photo_source: str, tmp_path: Path) -> None:
    spec = tiny_spec(photo_source, duration=1.0, response="auto")
    assert _estimate(spec) <= IMMEDIATE_LIMIT_MS
    async with httpx.AsyncClient(timeout=JOB_TIMEOUT) as http:
        answer = await _finished_answer(platform, http, spec, tmp_path)
    assert answer["estimated_time_ms"] == _estimate(spec)


def _ffmpeg_running(platform: Platform) -> list[psutil.Process]:
    found = []
    for process in platform.stack.processes:
        if process.name.startswith("render") and process.pid:
            try:
                children = psutil.Process(process.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                continue
            found += [child for child in children if "ffmpeg" in child.name().lower()]
    return found


async def test_auto_with_a_long_estimate_answers_202_and_cancels_cleanly(
        platform: Platform, photo_source: str) -> None:
    spec = _long_spec(photo_source)
    assert _estimate(spec) > IMMEDIATE_LIMIT_MS
    async with httpx.AsyncClient(timeout=30) as http:
        started = time.monotonic()
        response = await http.post(f"{platform.api}/v1/jobs", json=spec)
        answered_in = time.monotonic() - started
        assert response.status_code == 202, response.text
        created = response.json()
        job_id = created["job_id"]
        assert created["status"] in {"pending", "processing"}
        assert created["estimated_time_ms"] == _estimate(spec)
        assert created["estimated_completion"]
        assert created["status_url"] == f"/v1/jobs/{job_id}"
        assert response.headers["location"] == f"/v1/jobs/{job_id}"
        assert answered_in < 10, f"auto with a long estimate waited {answered_in:.1f}s"

        cancel = await http.delete(f"{platform.api}/v1/jobs/{job_id}")
        assert cancel.status_code == 200, cancel.text
        assert cancel.json()["status"] == "cancelled"
        again = await http.delete(f"{platform.api}/v1/jobs/{job_id}")
        assert again.status_code == 409

    async def pipeline_state() -> dict[str, Any]:
        """Whether storage handled the job's JobAccepted and the JobCancelled reached Kafka
        (metrics counted it), what is still open in the timeline and whether an FFmpeg
        still runs."""
        rows = await platform.query(
            """SELECT o.payload->>'type' AS type, array_agg(p.consumer) AS consumers
               FROM outbox o LEFT JOIN processed_events p
                    ON p.event_id::text = o.payload->>'event_id'
               WHERE o.key = $1 AND o.payload->>'type' IN ('job.accepted', 'job.cancelled')
               GROUP BY 1""", job_id)
        handled = {row["type"]: set(row["consumers"]) for row in rows}
        open_steps = await platform.query(
            "SELECT step::text FROM processing_timeline WHERE job_id = $1::uuid "
            "AND completed_at IS NULL", job_id)
        return {"storage saw the job": "storage" in handled.get("job.accepted", set()),
                "the cancel was published": "metrics" in handled.get("job.cancelled", set()),
                "open steps": [row["step"] for row in open_steps],
                "ffmpeg": len(_ffmpeg_running(platform))}

    settled = {"storage saw the job": True, "the cancel was published": True, "open steps": [],
               "ffmpeg": 0}
    await platform.poll(pipeline_state, lambda state: state == settled,
                        what="the cancel to settle", timeout=60)
    row = await platform.job_row(job_id)
    assert row is not None
    assert (row["status"], row["result_url"], row["s3_key"]) == ("cancelled", None, None)


async def test_ingest_serves_the_asyncapi_document_of_its_topics(platform: Platform) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.get(f"{platform.api}/asyncapi.json")
    assert response.status_code == 200
    settings = PlatformSettings(topic_prefix=platform.prefix,
                                kafka_bootstrap_servers=platform.bootstrap)
    assert response.json() == asyncapi_document(settings)
    addresses = {channel["address"] for channel in response.json()["channels"].values()}
    assert addresses == set(platform.topics.all())

