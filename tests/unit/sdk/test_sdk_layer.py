"""The Python SDK's hand-written layer without a platform: webhook signatures, the SSE
parser, 422 bodies as typed problems, local sources, and its calls over a mock transport."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from vidgen_sdk import InvalidJobError, JobNotFoundError, VidgenClient, sign, verify_webhook
from vidgen_sdk.errors import problems_of
from vidgen_sdk.sse import SseParser
from vidgen_sdk.webhooks import WebhookSignatureError

BODY = json.dumps({"event": "job.completed", "job_id": "j", "status": "completed"}).encode()
NOW = 1_800_000_000


def _headers(secret: str = "s3cret", body: bytes = BODY, stamp: int = NOW) -> dict[str, str]:
    return {"x-vidgen-signature": sign(secret, body), "X-Vidgen-Timestamp": str(stamp)}


def test_a_signed_webhook_is_verified_and_decoded():
    assert verify_webhook("s3cret", BODY, _headers(), now=NOW + 10)["status"] == "completed"


@pytest.mark.parametrize(("body", "headers", "now", "message"), [
    (BODY, _headers("other"), NOW, "does not match"),
    (BODY.replace(b"completed", b"failed"), _headers(), NOW, "does not match"),
    (BODY, {"X-Vidgen-Timestamp": str(NOW)}, NOW, "no X-Vidgen-Signature"),
    (BODY, _headers(), NOW + 301, "old"),
    (BODY, {"X-Vidgen-Signature": sign("s3cret", BODY)}, NOW, "no X-Vidgen-Timestamp"),
])
def test_a_forged_or_stale_webhook_is_refused(body, headers, now, message):
    with pytest.raises(WebhookSignatureError, match=message):
        verify_webhook("s3cret", body, headers, now=now)


def test_the_sse_parser_joins_data_lines_and_skips_comments():
    parser = SseParser()
    lines = [": keepalive", "event: step", "id: 7", 'data: {"a":', "data: 1}", "",
             "event: end", "data: plain text", ""]
    events = [event for line in lines if (event := parser.feed(line)) is not None]
    assert [(e.event, e.id, e.data) for e in events] == [
        ("step", "7", {"a": 1}), ("end", None, "plain text")]


@pytest.mark.parametrize(("body", "expected"), [
    ({"errors": [{"path": "output.fps", "message": "too low"}]}, ["output.fps: too low"]),
    ({"detail": [{"loc": ["body", "jobs"], "msg": "required"}]}, ["body.jobs: required"]),
    ({"detail": {"errors": [{"path": "x", "message": "m"}]}}, ["x: m"]),
    ({"detail": "nope"}, ["$: nope"]),
])
def test_422_bodies_become_problems_with_paths(body, expected):
    assert [str(problem) for problem in problems_of(body)] == expected


def _platform(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/v1/assets":
        return httpx.Response(201, json={"source": "asset:" + "a" * 64})
    if request.url.path == "/v1/jobs":
        body = json.loads(request.content)
        if body["output"].get("fps") == 0:
            return httpx.Response(422, json={"errors": [
                {"path": "output.fps", "message": "must be at least 1"}]})
        return httpx.Response(202, json={"job_id": "j1", "status": "pending", "body": body})
    return httpx.Response(404, json={"detail": "job not found"})


def test_calls_over_a_transport(tmp_path: Path):
    (tmp_path / "a.jpg").write_bytes(b"jpeg")
    spec = {"output": {"fps": 24}, "elements": [
        {"type": "image", "source": "a.jpg"}, {"type": "image", "source": "a.jpg"},
        {"type": "video", "source": "https://example.com/v.mp4"}]}
    with VidgenClient("http://api", storage_url="http://storage",
                      transport=httpx.MockTransport(_platform)) as vidgen:
        uploaded = vidgen.upload_sources(spec, base=tmp_path)
        job = vidgen.submit(uploaded)
        with pytest.raises(InvalidJobError) as caught:
            vidgen.submit({"output": {"fps": 0}, "elements": []})
        with pytest.raises(JobNotFoundError):
            vidgen.get("missing")
    sources = [element["source"] for element in job.raw["body"]["elements"]]
    assert sources == ["asset:" + "a" * 64] * 2 + ["https://example.com/v.mp4"]
    assert job.raw["body"]["response"] == "async"
    assert spec["elements"][0]["source"] == "a.jpg"
    assert [str(p) for p in caught.value.problems] == ["output.fps: must be at least 1"]


def test_a_missing_local_source_is_named(tmp_path: Path):
    with VidgenClient("http://api", storage_url="http://storage") as vidgen, \
            pytest.raises(InvalidJobError) as caught:
        vidgen.upload_sources({"elements": [{"type": "audio", "source": "nope.m4a"}]},
                              base=tmp_path)
    assert caught.value.status_code == 0
    assert [str(p) for p in caught.value.problems] == [
        "elements[0].source: file not found: nope.m4a"]
