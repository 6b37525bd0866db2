"""`vidgen submit --template ID --csv rows.csv` and `vidgen templates ...` against a
scripted platform (httpx.MockTransport): what each row sends, a bad row reported by its
number while the others are submitted, followed and saved, and the exit code."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from rich.console import Console

from shared.client.api import VidgenClient
from shared.client.batch import row_request, submit_rows
from shared.client.templates import _run

API = "http://api.test"
STORAGE = "http://storage.test"
TEMPLATE = "3f1c2b9e-0a4d-4e5f-8a6b-7c8d9e0f1a2b"


class Platform:
    """Ingest and storage: a row whose name is `bad` is invalid (422), `boom` fails; with
    `batches`, POST /v1/jobs/batch answers too (`late` is over the quota there), else
    it is a 404 as on an API without batches."""

    def __init__(self, *, batches: bool = False, too_large: int = 0) -> None:
        self.jobs: dict[str, dict[str, Any]] = {}
        self.assets: list[str] = []
        self.templates: list[dict[str, Any]] = []
        self.polls = 0
        self.batches = batches
        self.batch_sizes: list[int] = []
        self.too_large = too_large  # batches of more jobs are 413

    def _batch(self, request: httpx.Request) -> httpx.Response:
        jobs = json.loads(request.read())["jobs"]
        if self.too_large and len(jobs) > self.too_large:
            return httpx.Response(413, json={"errors": [{"path": "$", "message": "large"}]})
        self.batch_sizes.append(len(jobs))
        results: list[dict[str, Any]] = []
        for index, body in enumerate(jobs):
            name = body["merge"].get("name")
            if name in ("bad", "late"):
                results.append({"index": index, "status": "rejected",
                                "code": 422 if name == "bad" else 429, "errors": [
                                    {"path": f"jobs[{index}].merge.name", "message": "too bad"}
                                    if name == "bad" else
                                    {"path": f"jobs[{index}]", "message": "rate limit of 5"}]})
                continue
            job_id = f"job-{len(self.jobs) + 1}"
            self.jobs[job_id] = body
            results.append({"index": index, "status": "created", "job_id": job_id,
                            "job_status": "pending"})
        return httpx.Response(200, json={"results": results})

    def _job(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.read())
        if body["merge"].get("name") == "bad":
            return httpx.Response(422, json={"errors": [
                {"path": "merge.name", "message": "too bad"}]})
        if body["merge"].get("name") == "late":
            return httpx.Response(429, json={"detail": "rate limit of 5"})
        job_id = f"job-{len(self.jobs) + 1}"
        self.jobs[job_id] = body
        return httpx.Response(202, json={"job_id": job_id, "status": "pending"})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path, method = request.url.path, request.method
        if method == "POST" and path == "/v1/jobs/batch" and self.batches:
            return self._batch(request)
        if method == "POST" and path == "/v1/assets":
            self.assets.append(request.url.params["filename"])
            return httpx.Response(201, json={"source": f"asset:{len(self.assets):064x}"})
        if method == "POST" and path == "/v1/jobs":
            return self._job(request)
        if method == "GET" and path.startswith("/v1/jobs/"):
            self.polls += 1
            job_id = path.rsplit("/", 1)[1]
            if self.polls <= len(self.jobs):  # every job is seen processing once
                return httpx.Response(200, json={"job_id": job_id, "status": "processing"})
            if self.jobs[job_id]["merge"].get("name") == "boom":
                return httpx.Response(200, json={"job_id": job_id, "status": "failed",
                                                 "error_code": "render_failed"})
            return httpx.Response(200, json={"job_id": job_id, "status": "completed",
                                             "result_url": f"/v1/results/{job_id}"})
        if method == "GET" and path.startswith("/v1/results/"):
            return httpx.Response(200, content=path.encode())
        if method == "POST" and path == "/v1/templates":
            self.templates.append(json.loads(request.read()))
            return httpx.Response(201, json={"id": TEMPLATE, "version": 1})
        if method == "GET" and path == "/v1/templates":
            return httpx.Response(200, json={"templates": [
                {"id": TEMPLATE, "name": "card", "latest_version": 2,
                 "updated_at": "2026-01-01T00:00:00+00:00"}], "total": 1})
        if method == "DELETE" and path == f"/v1/templates/{TEMPLATE}":
            return httpx.Response(200, json={"id": TEMPLATE, "deleted": True})
        return httpx.Response(404, json={"detail": "template not found"})


def client(platform: Platform) -> VidgenClient:
    return VidgenClient(API, STORAGE, transport=httpx.MockTransport(platform))


def write_csv(folder: Path, text: str) -> Path:
    (folder / "media").mkdir()
    (folder / "media" / "ana.jpg").write_bytes(b"jpeg")
    path = folder / "rows.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_columns_with_a_dot_are_modifications_and_empty_cells_are_left_out() -> None:
    request = row_request(TEMPLATE, {"name": "Ana", "title.text": "Hi", "color": "",
                                     "photo.opacity": "0.5", None: "extra"}, 3)  # type: ignore[dict-item]
    assert request == {"template": TEMPLATE, "merge": {"name": "Ana"},
                       "modifications": {"title.text": "Hi", "photo.opacity": "0.5"},
                       "response": "async", "metadata": {"row": 3}}


def test_source_and_lut_columns_are_uploaded_other_columns_are_not() -> None:
    uploaded: list[str] = []

    def upload(value: str) -> str:
        uploaded.append(value)
        return f"asset:{value}"

    request = row_request(TEMPLATE, {"photo.source": "a.jpg", "photo.lut": "warm.cube",
                                     "title.text": "b.cube"}, 1, upload=upload)
    assert request["modifications"] == {"photo.source": "asset:a.jpg",
                                        "photo.lut": "asset:warm.cube", "title.text": "b.cube"}
    assert uploaded == ["a.jpg", "warm.cube"]


def test_a_bad_row_is_reported_by_number_and_the_others_complete(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = write_csv(tmp_path, "name,photo.source,title.text\n"
                               "Ana,media/ana.jpg,Hello\n"
                               "bad,,\n"
                               "Chloé,https://example.com/c.jpg,\n"
                               "Dmitri,media/ana.jpg,Hey\n")
    platform = Platform()
    console = Console(stderr=True, force_terminal=False)
    with client(platform) as api:
        code, outcomes = submit_rows(api, TEMPLATE, rows, wait=True,
                                     output=str(tmp_path / "out" / "{row}-{name}.mp4"),
                                     console=console, interval=0)
    err = capsys.readouterr().err
    assert code == 2  # an invalid row; every other row completed
    assert "row 2: merge.name: too bad" in err
    assert [o.status for o in outcomes] == ["completed", "invalid", "completed", "completed"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "1-Ana.mp4", "3-Chloé.mp4", "4-Dmitri.mp4"]
    assert (tmp_path / "out" / "4-Dmitri.mp4").read_bytes() == b"/v1/results/job-3"
    assert platform.assets == ["ana.jpg"]  # uploaded once, for two rows
    sent = list(platform.jobs.values())
    assert sent[0]["modifications"] == {"photo.source": f"asset:{1:064x}", "title.text": "Hello"}
    assert sent[1]["modifications"] == {"photo.source": "https://example.com/c.jpg"}
    assert [job["metadata"]["row"] for job in sent] == [1, 3, 4]


@pytest.mark.parametrize("too_large", [0, 1])
def test_rows_go_in_batches_and_each_is_reported_as_if_sent_alone(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], too_large: int) -> None:
    """Five rows, two a batch: three requests; the bad row's problem is named by its own
    path; a row over the quota is refused (exit 1). A batch the API finds too large (413)
    goes one row a request instead, with the same report."""
    rows = write_csv(tmp_path, "name\nAna\nbad\nChloé\nlate\nEve\n")
    platform = Platform(batches=True, too_large=too_large)
    with client(platform) as api:
        code, outcomes = submit_rows(api, TEMPLATE, rows, wait=False, max_batch=2)
    err = capsys.readouterr().err.splitlines()
    assert platform.batch_sizes == ([2, 2, 1] if not too_large else [1])
    assert [o.status for o in outcomes] == ["pending", "invalid", "pending", "refused",
                                            "pending"]
    assert err[:3] + err[4:] == ["row 1: job job-1 pending", "row 2: merge.name: too bad",
                                 "row 3: job job-2 pending", "row 5: job job-3 pending"]
    assert err[3].startswith("row 4: $: ") and "rate limit of 5" in err[3]
    assert code == 1
    assert [job["metadata"]["row"] for job in platform.jobs.values()] == [1, 3, 5]


def test_the_batch_size_comes_from_vidgen_max_batch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIDGEN_MAX_BATCH", "3")
    rows = write_csv(tmp_path, "name\n" + "".join(f"n{n}\n" for n in range(7)))
    platform = Platform(batches=True)
    with client(platform) as api:
        code, _ = submit_rows(api, TEMPLATE, rows, wait=False)
    assert (code, platform.batch_sizes) == (0, [3, 3, 1])


def test_a_failed_job_is_exit_1_and_without_wait_rows_are_only_submitted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = write_csv(tmp_path, "name\nAna\nboom\n")
    with client(Platform()) as api:
        code, outcomes = submit_rows(api, TEMPLATE, rows, wait=True, interval=0)
    assert code == 1
    assert [o.status for o in outcomes] == ["completed", "failed"]
    assert "row 2: job job-2 failed: render_failed" in capsys.readouterr().err
    with client(Platform()) as api:
        code, outcomes = submit_rows(api, TEMPLATE, rows, wait=False)
    assert (code, [o.status for o in outcomes]) == (0, ["pending", "pending"])


def test_an_output_pattern_naming_no_column_is_a_problem_of_that_row(tmp_path: Path) -> None:
    rows = write_csv(tmp_path, "name\nAna\n")
    platform = Platform()
    with client(platform) as api:
        code, outcomes = submit_rows(api, TEMPLATE, rows, wait=True, output="{city}.mp4",
                                     interval=0)
    assert code == 2
    assert [p.path for p in outcomes[0].problems] == ["-o"]
    assert platform.jobs == {}  # nothing rendered that could not be saved


def test_templates_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "bg.png").write_bytes(b"png")
    path = tmp_path / "card.json"
    path.write_text(json.dumps({"composition": {"elements": [
        {"id": "bg", "type": "image", "source": "media/bg.png"},
        {"id": "photo", "type": "image", "source": "{{photo}}"},
        {"id": "t", "type": "text", "text": "{{name}}"}]}}))
    platform = Platform()
    with client(platform) as api:
        assert _run(argparse.Namespace(action="create", file=path), api) == 0
        assert _run(argparse.Namespace(action="list", limit=10), api) == 0
        assert _run(argparse.Namespace(action="delete", id=TEMPLATE), api) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{TEMPLATE}@1"
    assert out[1].startswith(f"{TEMPLATE}  v2") and out[1].endswith("card")
    assert out[2] == f"deleted {TEMPLATE}"
    elements = platform.templates[0]["composition"]["elements"]
    assert [e["source"] for e in elements[:2]] == [f"asset:{1:064x}", "{{photo}}"]
