"""`vidgen submit A.json B.json ...`: several specs in one batch request, each reported as
one spec would be (prefixed with its file), against a scripted platform."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from rich.console import Console

from shared.cli import main
from shared.client.api import VidgenClient
from shared.client.many import submit_specs

API = "http://api.test"
STORAGE = "http://storage.test"


class Platform:
    """Ingest with (or, `batches=False`, without) POST /v1/jobs/batch: a spec whose
    output fps is 99 is invalid at the API, one with fps 13 is over the quota; jobs end
    completed, except fps 7 which fails."""

    def __init__(self, *, batches: bool = True) -> None:
        self.batches = batches
        self.batch_sizes: list[int] = []
        self.singles = 0
        self.jobs: dict[str, dict[str, Any]] = {}
        self.assets = 0

    def _result(self, index: int, spec: dict[str, Any]) -> dict[str, Any]:
        fps = spec["output"].get("fps")
        if fps == 99:
            return {"index": index, "status": "rejected", "code": 422, "errors": [
                {"path": f"jobs[{index}].output.fps", "message": "at most 120"}]}
        if fps == 13:
            return {"index": index, "status": "rejected", "code": 429, "errors": [
                {"path": f"jobs[{index}]", "message": "rate limit of 2 job creations"}]}
        job_id = f"job-{len(self.jobs) + 1}"
        self.jobs[job_id] = spec
        return {"index": index, "status": "created", "job_id": job_id, "job_status": "pending"}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        if method == "POST" and path == "/v1/assets":
            self.assets += 1
            return httpx.Response(201, json={"source": f"asset:{self.assets:064x}"})
        if method == "POST" and path == "/v1/jobs/batch" and self.batches:
            jobs = json.loads(request.read())["jobs"]
            self.batch_sizes.append(len(jobs))
            return httpx.Response(200, json={"results": [
                self._result(index, spec) for index, spec in enumerate(jobs)]})
        if method == "POST" and path == "/v1/jobs":
            self.singles += 1
            result = self._result(0, json.loads(request.read()))
            if result["status"] == "created":
                return httpx.Response(202, json={"job_id": result["job_id"],
                                                 "status": "pending"})
            errors = [{**e, "path": e["path"].removeprefix("jobs[0]").lstrip(".") or "$"}
                      for e in result["errors"]]
            return httpx.Response(result["code"], json={"errors": errors})
        if method == "GET" and path.startswith("/v1/jobs/"):
            job_id = path.rsplit("/", 1)[1]
            failed = self.jobs[job_id]["output"].get("fps") == 7
            return httpx.Response(200, json={
                "job_id": job_id, "status": "failed" if failed else "completed",
                "error_code": "render_failed", "result_url": f"/v1/results/{job_id}"})
        return httpx.Response(404, json={"detail": "not found"})


def specs(folder: Path, *fps: int) -> list[Path]:
    (folder / "logo.png").write_bytes(b"png")
    paths = []
    for n, rate in enumerate(fps):
        path = folder / f"s{n}.json"
        path.write_text(json.dumps({"output": {"width": 64, "height": 64, "fps": rate},
                                    "elements": [{"type": "image", "source": "logo.png",
                                                  "duration": 1}]}))
        paths.append(path)
    return paths


def run(platform: Platform, paths: list[Path], **kwargs: Any) -> int:
    with VidgenClient(API, STORAGE, transport=httpx.MockTransport(platform)) as client:
        code, _ = submit_specs(paths, client, console=Console(stderr=True, force_terminal=False),
                               **kwargs)
    return code


@pytest.mark.parametrize("batches", [True, False])
def test_several_specs_go_in_batches_and_each_is_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], batches: bool) -> None:
    paths = specs(tmp_path, 24, 99, 25, 13, 30)
    (tmp_path / "broken.json").write_text('{"output": {"width": -1}}')
    platform = Platform(batches=batches)
    code = run(platform, [*paths, tmp_path / "broken.json"], wait=False, max_batch=2)
    err = capsys.readouterr().err.splitlines()
    assert code == 1  # one was refused (over the quota)
    assert platform.batch_sizes == ([2, 2, 1] if batches else [])
    assert platform.singles == (0 if batches else 5)
    assert f"s0.json: job job-1 pending ({API}/v1/jobs/job-1)" in err
    assert "s1.json: output.fps: at most 120" in err, "the spec's own path"
    assert any(line.startswith("s3.json: submit failed: ") and "rate limit" in line
               for line in err)
    assert any(line.startswith("broken.json: output.width: ") for line in err)
    assert [spec["output"]["fps"] for spec in platform.jobs.values()] == [24, 25, 30]
    assert all(spec["elements"][0]["source"].startswith("asset:")  # uploaded first
               for spec in platform.jobs.values())


def test_waiting_follows_each_job_and_a_failure_is_exit_1(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(Platform(), specs(tmp_path, 24, 25), wait=True) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{STORAGE}/v1/results/job-1", f"{STORAGE}/v1/results/job-2"]
    assert run(Platform(), specs(tmp_path, 24, 7), wait=True) == 1
    assert run(Platform(), specs(tmp_path, 24, 99), wait=True) == 2


def test_the_cli_refuses_one_output_for_several_specs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = specs(tmp_path, 24, 25)
    assert main(["submit", *map(str, paths), "-o", str(tmp_path / "x.mp4")]) == 2
    assert "-o saves one spec's video" in capsys.readouterr().err
