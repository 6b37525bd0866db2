"""`vidgen submit`'s logic against a scripted HTTP platform (httpx.MockTransport).

The real services are exercised by tests/e2e; these pin down what the client sends and
how it turns every answer into an exit code.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx
import pytest
from rich.console import Console

from shared.cli import main
from shared.client.api import VidgenClient, problems_from_body
from shared.client.cli import poster_path, poster_url, submit_spec

API = "http://api.test"
STORAGE = "http://storage.test"
JOB = "7d9c1f5e-0000-4000-8000-000000000001"


class FakePlatform:
    """Answers like ingest and storage; `statuses` are returned by successive polls."""

    def __init__(self, statuses=None, create=None, poster=b"\xff\xd8jpeg", signed=""):
        self.poster = poster
        self.signed = signed  # the query result requests need (signed result URLs)
        self.requests: list[httpx.Request] = []
        self.assets: dict[str, bytes] = {}
        self.jobs: list[dict] = []
        self.statuses = list(statuses or [])
        self.create = create or (202, {"job_id": JOB, "status": "pending",
                                       "status_url": f"/v1/jobs/{JOB}"})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if request.method == "POST" and path == "/v1/assets":
            body = request.read()
            digest = hashlib.sha256(body).hexdigest()
            self.assets[request.url.params["filename"]] = body
            assert request.headers["content-type"]
            return httpx.Response(201, json={"source": f"asset:{digest}", "size": len(body)})
        if request.method == "POST" and path == "/v1/jobs":
            self.jobs.append(json.loads(request.read()))
            code, body = self.create
            return httpx.Response(code, json=body)
        if request.method == "GET" and path == f"/v1/jobs/{JOB}":
            status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
            return httpx.Response(200, json={"job_id": JOB, **status})
        if self.signed and request.url.query.decode() != self.signed:
            return httpx.Response(403, json={"error": "forbidden"})
        if request.method == "GET" and path == f"/v1/results/{JOB}":
            return httpx.Response(200, content=b"\x00video-bytes")
        if request.method == "GET" and path == f"/v1/results/{JOB}/poster" and self.poster:
            return httpx.Response(200, content=self.poster)
        return httpx.Response(404, json={"detail": "not found"})


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "photo.jpg").write_bytes(b"jpeg-bytes")
    (tmp_path / "music.m4a").write_bytes(b"audio-bytes")
    spec = {
        "output": {"width": 320, "height": 180},
        "elements": [
            {"type": "image", "source": "media/photo.jpg", "duration": 2},
            {"type": "image", "source": "media/photo.jpg", "start": 2, "duration": 1},
            {"type": "audio", "source": "music.m4a"},
            {"type": "video", "source": "https://example.com/remote.mp4"},
        ],
    }
    path = tmp_path / "job.json"
    path.write_text(json.dumps(spec))
    return path


def _submit(platform, spec, api_key=None, **kwargs):
    client = VidgenClient(API, STORAGE, transport=httpx.MockTransport(platform),
                          api_key=api_key, poll_interval=0)  # no pause between answers
    with client:
        return submit_spec(spec, client, console=Console(stderr=True, force_terminal=False),
                           **kwargs)


DONE = {"status": "completed", "progress_percentage": 100, "current_step": "cleanup",
        "result_url": f"{STORAGE}/v1/results/{JOB}"}


def test_completed_job_uploads_rewrites_waits_and_downloads(spec_file, tmp_path, capsys):
    platform = FakePlatform(statuses=[
        {"status": "pending", "progress_percentage": 0, "current_step": "validation"},
        {"status": "processing", "progress_percentage": 40, "current_step": "encoding"},
        DONE,
    ])
    out = tmp_path / "out" / "result.mp4"
    outcome = _submit(platform, spec_file, output=out)
    assert outcome.code == 0 and outcome.status == "completed" and outcome.job_id == JOB
    assert sorted(platform.assets) == ["music.m4a", "photo.jpg"]  # each file once
    [job] = platform.jobs
    photo = "asset:" + hashlib.sha256(b"jpeg-bytes").hexdigest()
    assert [e["source"] for e in job["elements"]] == [
        photo, photo, "asset:" + hashlib.sha256(b"audio-bytes").hexdigest(),
        "https://example.com/remote.mp4",
    ]
    assert job["response"] == "async"
    assert out.read_bytes() == b"\x00video-bytes"
    assert not out.with_name("result.mp4.part").exists()
    captured = capsys.readouterr()
    assert f"{STORAGE}/v1/results/{JOB}" in captured.out
    assert "encoding" in captured.err  # one line per step change without a terminal


def test_failed_job_exits_1_with_its_error(spec_file, capsys):
    platform = FakePlatform(statuses=[{"status": "failed", "current_step": "encoding",
                                       "error_code": "FFMPEG_FAILED",
                                       "error_message": "encoder exploded"}])
    outcome = _submit(platform, spec_file)
    assert (outcome.code, outcome.status) == (1, "failed")
    assert "FFMPEG_FAILED: encoder exploded" in capsys.readouterr().err


def test_without_wait_only_submits(spec_file):
    platform = FakePlatform(statuses=[DONE])
    outcome = _submit(platform, spec_file, wait=False)
    assert (outcome.code, outcome.job_id) == (0, JOB)
    assert not [r for r in platform.requests if r.method == "GET"]


def test_locally_invalid_spec_exits_2_before_any_request(tmp_path, capsys):
    spec = tmp_path / "bad.json"
    spec.write_text(json.dumps({"output": {"width": "wide", "fps": 500},
                                "elements": [{"type": "image"}]}))
    platform = FakePlatform()
    assert _submit(platform, spec).code == 2
    assert platform.requests == []
    err = capsys.readouterr().err.splitlines()
    assert "output.width: " in "\n".join(err) and "output.fps: " in "\n".join(err)
    assert any(line.startswith("elements[0].source: ") for line in err)


def test_missing_local_file_exits_2_naming_the_element(spec_file, capsys):
    (spec_file.parent / "music.m4a").unlink()
    platform = FakePlatform()
    assert _submit(platform, spec_file).code == 2
    assert platform.jobs == []
    assert "elements[2].source: file not found: music.m4a" in capsys.readouterr().err


def test_api_422_exits_2_listing_every_problem(spec_file, capsys):
    errors = {"errors": [{"path": "elements[0].source", "message": "unknown asset"},
                         {"path": "output.width", "message": "too wide"}]}
    platform = FakePlatform(create=(422, errors))
    assert _submit(platform, spec_file).code == 2
    err = capsys.readouterr().err
    assert "elements[0].source: unknown asset" in err and "output.width: too wide" in err


def test_unreachable_api_exits_1(spec_file, capsys):
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    assert _submit(refuse, spec_file).code == 1
    err = " ".join(capsys.readouterr().err.split())
    # the first request is the upload of a local file, to the storage service
    assert f"no platform answers at {STORAGE} (connection refused)" in err
    assert "`vidgen dev`" in err


def with_poster(spec_file: Path, **output) -> Path:
    document = json.loads(spec_file.read_text())
    document["output"].update(poster={"time": 1}, **output)
    spec_file.write_text(json.dumps(document))
    return spec_file


def test_the_poster_is_saved_beside_the_video(spec_file, tmp_path, capsys):
    platform = FakePlatform(statuses=[DONE])
    out = tmp_path / "out" / "promo.mp4"
    outcome = _submit(platform, with_poster(spec_file), output=out)
    assert outcome.code == 0
    assert outcome.poster == tmp_path / "out" / "promo.jpg"
    assert outcome.poster.read_bytes() == b"\xff\xd8jpeg"
    assert out.read_bytes() == b"\x00video-bytes"
    assert f"saved {outcome.poster} (poster" in " ".join(capsys.readouterr().err.split())


def test_no_poster_is_fetched_when_the_spec_asks_for_none(spec_file, tmp_path):
    platform = FakePlatform(statuses=[DONE])
    outcome = _submit(platform, spec_file, output=tmp_path / "promo.mp4")
    assert outcome.code == 0 and outcome.poster is None
    assert not [r for r in platform.requests if r.url.path.endswith("/poster")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.json", "media", "music.m4a",
                                                          "promo.mp4"]


def test_a_missing_poster_fails_the_download(spec_file, tmp_path, capsys):
    platform = FakePlatform(statuses=[DONE], poster=None)
    outcome = _submit(platform, with_poster(spec_file), output=tmp_path / "promo.mp4")
    assert outcome.code == 1
    assert "download failed" in capsys.readouterr().err
    assert not (tmp_path / "promo.jpg").exists()


@pytest.mark.parametrize(("name", "poster"), [("clip.mov", "clip.jpg"),
                                              ("still.jpg", "still.poster.jpg")])
def test_poster_path(name, poster, tmp_path):
    assert poster_path(tmp_path / name) == tmp_path / poster


def test_the_api_warnings_are_printed(spec_file, capsys):
    created = {"job_id": JOB, "status": "pending", "warnings": [
        {"path": "elements[1].start", "message": "starts at 9 s, after the end"}]}
    outcome = _submit(FakePlatform(create=(202, created)), spec_file, wait=False)
    assert outcome.code == 0
    assert "warning: elements[1].start: starts at 9 s, after the end" in capsys.readouterr().err


def test_wait_timeout_exits_1(spec_file, capsys):
    platform = FakePlatform(statuses=[{"status": "processing", "progress_percentage": 10}])
    outcome = _submit(platform, spec_file, timeout=0)
    assert outcome.code == 1
    assert "gave up waiting" in capsys.readouterr().err


def test_watchdog_ends_the_wait(spec_file):
    platform = FakePlatform(statuses=[{"status": "processing"}])

    def watchdog():
        raise RuntimeError("render-1 died")

    with pytest.raises(RuntimeError, match="render-1 died"):
        _submit(platform, spec_file, watchdog=watchdog)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"errors": [{"path": "a.b", "message": "m"}]}, [("a.b", "m")]),
        ({"detail": [{"loc": ["body", "width"], "msg": "bad"}]}, [("body.width", "bad")]),
        ({"detail": {"errors": [{"path": "x", "message": "y"}]}}, [("x", "y")]),
        ({"detail": "nope"}, [("$", "nope")]),
    ],
)
def test_problems_from_422_bodies(body, expected):
    assert [(p.path, p.message) for p in problems_from_body(body)] == expected


def test_cli_submit_reports_an_unreachable_api(spec_file, capsys):
    """The real command line, pointed at a closed port: exit 1, a message, no traceback."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = main(["submit", str(spec_file), "--api", f"http://127.0.0.1:{port}",
                 "--storage", f"http://127.0.0.1:{port}", "--wait"])
    assert code == 1
    err = " ".join(capsys.readouterr().err.split())
    assert f"submit failed: no platform answers at http://127.0.0.1:{port}" in err
    assert "Start one on this machine with `vidgen dev`" in err
    assert "Traceback" not in err


def test_the_api_key_goes_with_uploads_and_the_job_never_with_downloads(spec_file, tmp_path):
    platform = FakePlatform(statuses=[DONE])
    outcome = _submit(platform, with_poster(spec_file), api_key="vgk_0123abcd_secret",
                      output=tmp_path / "promo.mp4")
    assert outcome.code == 0
    sent = {(r.method, r.url.path): r.headers.get("x-api-key") for r in platform.requests}
    assert sent[("POST", "/v1/assets")] == "vgk_0123abcd_secret"
    assert sent[("POST", "/v1/jobs")] == "vgk_0123abcd_secret"
    assert sent[("GET", f"/v1/jobs/{JOB}")] == "vgk_0123abcd_secret"
    assert sent[("GET", f"/v1/results/{JOB}")] is None
    assert sent[("GET", f"/v1/results/{JOB}/poster")] is None


def test_without_a_key_none_is_sent(spec_file):
    platform = FakePlatform(statuses=[DONE])
    assert _submit(platform, spec_file).code == 0
    assert all("x-api-key" not in r.headers for r in platform.requests)


def test_a_signed_result_and_its_poster_are_downloaded(spec_file, tmp_path):
    query = "expires=2000000000&signature=abc-_"
    platform = FakePlatform(statuses=[{**DONE, "result_url": f"{DONE['result_url']}?{query}"}],
                            signed=query)
    out = tmp_path / "promo.mp4"
    outcome = _submit(platform, with_poster(spec_file), output=out)
    assert outcome.code == 0
    assert out.read_bytes() == b"\x00video-bytes"
    assert outcome.poster is not None and outcome.poster.read_bytes() == b"\xff\xd8jpeg"


@pytest.mark.parametrize(("result", "poster"), [
    ("http://s/v1/results/j", "http://s/v1/results/j/poster"),
    ("http://s/v1/results/j?expires=1&signature=x", "http://s/v1/results/j/poster?expires=1&signature=x"),
])
def test_poster_url(result, poster):
    assert poster_url(result) == poster
