"""The Python SDK (sdk/python) through the real platform: submit, events, wait, download,
webhook signatures, typed 422 errors, the getting-started page's code, and the example
producer of the requests topic."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from uuid import UUID

import pytest
from vidgen_sdk import (
    AsyncVidgenClient,
    InvalidJobError,
    JobNotFoundError,
    VidgenClient,
    WebhookSignatureError,
    verify_webhook,
)

from tests.e2e.conftest import WEBHOOK_SECRET
from tests.e2e.doc_blocks import DOCS, code_blocks
from tests.e2e.platform import JOB_TIMEOUT, MEDIA, TERMINAL, Platform, probe_video, tiny_spec
from tests.e2e.webhook_receiver import receive_webhooks

ROOT = Path(__file__).resolve().parents[2]


def _env(platform: Platform, webhook_port: int) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "sdk/python")]),
            "VIDGEN_API_URL": platform.api, "VIDGEN_STORAGE_URL": platform.storage,
            "VIDGEN_WEBHOOK_SECRET": WEBHOOK_SECRET, "VIDGEN_WEBHOOK_PORT": str(webhook_port)}


def test_a_job_submitted_followed_downloaded_and_its_webhook_verified(
        platform: Platform, webhook_ports: list[int], tmp_path: Path):
    port = webhook_ports[0]
    spec = tiny_spec(str(MEDIA / "photo1.jpg"), callback_url=f"http://127.0.0.1:{port}/hook")
    progress: list[str] = []
    with VidgenClient(platform.api, storage_url=platform.storage) as vidgen, \
            receive_webhooks(port) as delivery:
        uploaded = vidgen.upload_sources(spec)
        assert uploaded["elements"][0]["source"].startswith("asset:")
        assert spec["elements"][0]["source"] == str(MEDIA / "photo1.jpg")  # a copy changed
        job = vidgen.submit(uploaded)
        assert job.status == "pending"
        events = list(vidgen.events(job.job_id))
        done = vidgen.wait(job.job_id, timeout=JOB_TIMEOUT,
                           on_progress=lambda status: progress.append(status.status))
        size = vidgen.download(done, tmp_path / "sdk.mp4")
        delivery.wait(JOB_TIMEOUT)

    assert [event.event for event in events][-1] == "end"
    assert events[-1].data["status"] == "completed"
    assert "step" in {event.event for event in events}
    assert done.status == "completed", platform.log_tail()
    assert progress[-1] == "completed"
    facts = probe_video(tmp_path / "sdk.mp4")
    assert (facts.width, facts.height, facts.size) == (320, 180, size)
    assert facts.duration == pytest.approx(1.5, abs=0.1)

    payload = verify_webhook(WEBHOOK_SECRET, delivery.body, delivery.headers)
    assert (payload["job_id"], payload["status"]) == (job.job_id, "completed")
    assert payload["result_url"] == done.result_url
    with pytest.raises(WebhookSignatureError):
        verify_webhook("another secret", delivery.body, delivery.headers)
    with pytest.raises(WebhookSignatureError):
        verify_webhook(WEBHOOK_SECRET, delivery.body.replace(b"completed", b"failed"),
                       delivery.headers)


async def test_the_async_client_follows_a_job_to_its_result(platform: Platform,
                                                            photo_source: str, tmp_path: Path):
    async with AsyncVidgenClient(platform.api, storage_url=platform.storage) as vidgen:
        job = await vidgen.submit(tiny_spec(photo_source))
        names = [event.event async for event in vidgen.events(job.job_id)]
        seen: list[float | None] = []

        async def on_progress(status: object) -> None:
            seen.append(getattr(status, "progress", None))

        done = await vidgen.wait(job.job_id, timeout=JOB_TIMEOUT, on_progress=on_progress)
        size = await vidgen.download(done, tmp_path / "async.mp4")
    assert names[-1] == "end"
    assert done.status == "completed"
    assert seen == [100]
    assert probe_video(tmp_path / "async.mp4").size == size > 1000


def test_an_invalid_job_raises_with_the_json_path_of_each_problem(platform: Platform):
    spec = tiny_spec("https://example.com/a.jpg")
    spec["output"]["fps"] = 0
    spec["elements"][1]["font_size"] = "big"
    with VidgenClient(platform.api) as vidgen:
        with pytest.raises(InvalidJobError) as caught:
            vidgen.submit(spec)
        with pytest.raises(JobNotFoundError):
            vidgen.get("00000000-0000-4000-8000-000000000000")
    assert caught.value.status_code == 422
    paths = {problem.path for problem in caught.value.problems}
    assert {"output.fps", "elements[1].font_size"} <= paths, caught.value.problems


def test_a_missing_local_source_is_named_before_anything_is_sent(platform: Platform):
    spec = tiny_spec("no/such/photo.jpg")
    with VidgenClient(platform.api, storage_url=platform.storage) as vidgen, \
            pytest.raises(InvalidJobError) as caught:
        vidgen.upload_sources(spec, base=MEDIA)
    assert caught.value.status_code == 0
    assert [str(p) for p in caught.value.problems] == [
        "elements[0].source: file not found: no/such/photo.jpg"]


def test_the_getting_started_page_runs(platform: Platform, webhook_ports: list[int],
                                       tmp_path: Path):
    script = tmp_path / "getting_started.py"
    script.write_text("\n".join(code_blocks(DOCS / "sdk-python.md", "python")))
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env=_env(platform, webhook_ports[2]),
                          check=False)
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}\n{platform.log_tail()}"
    assert "output.fps -" in done.stdout and "elements[0].text -" in done.stdout, done.stdout
    assert "job.completed completed http" in done.stdout, done.stdout
    assert "ended: completed" in done.stdout, done.stdout
    for name in ("hello.mp4", "hello-async.mp4"):
        facts = probe_video(tmp_path / name)
        assert (facts.width, facts.height) == (320, 180)


async def test_the_example_producer_publishes_a_request_that_is_rendered(
        platform: Platform, photo_source: str, tmp_path: Path):
    job = tmp_path / "job.json"
    job.write_text(json.dumps(tiny_spec(photo_source)))
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, str(ROOT / "sdk/python/examples/produce_request.py"), str(job),
         "--bootstrap", platform.bootstrap, "--topic", platform.topics.requests],
        capture_output=True, text=True, timeout=120, env=_env(platform, 0), check=False)
    assert done.returncode == 0, done.stderr
    request_id = UUID(done.stdout.strip())

    async def status() -> str | None:
        row = await platform.job_row(str(request_id))
        return None if row is None else str(row["status"])

    final = await platform.poll(status, lambda value: value in TERMINAL,
                                what="the published request's job", timeout=JOB_TIMEOUT)
    assert final == "completed", platform.log_tail()
