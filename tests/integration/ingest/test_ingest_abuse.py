"""Rate limits (429 + Retry-After), trusted proxies, and the limits on what a job may ask."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import pytest

from tests.integration.ingest.access_helpers import as_caller, issue_key, small_spec
from tests.integration.ingest.harness import Ingest, api_settings

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(60)]


def _ip() -> str:
    return f"203.0.113.{uuid4().int % 250 + 1}"


async def test_over_the_limit_is_429_with_retry_after_and_logged(ingest: Ingest) -> None:
    ip = _ip()
    key = await issue_key(ingest)
    with api_settings(ingest, rate_limit=2, read_rate_limit=3, rate_window=600):
        async with as_caller(ingest, ip) as client:
            codes = [(await client.post("/v1/jobs", json=small_spec())).status_code
                     for _ in range(3)]
            refused = await client.post("/api/v1/videocreate", json={})
            reads = [(await client.get("/v1/jobs")).status_code for _ in range(4)]
        async with as_caller(ingest, ip, key.key) as client:  # a key has a budget of its own
            keyed = (await client.post("/v1/jobs", json=small_spec())).status_code
    assert codes == [202, 202, 429]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 600
    assert reads == [200, 200, 200, 429]
    assert keyed == 202
    events = await ingest.pool.fetch(
        "SELECT details->>'kind' AS kind, details->>'path' AS path FROM security_events "
        "WHERE event_type = 'rate_limit_exceeded' AND client_ip = $1::inet", ip)
    assert sorted((e["kind"], e["path"]) for e in events) == [
        ("create", "/api/v1/videocreate"), ("create", "/v1/jobs"), ("read", "/v1/jobs")]


async def test_forwarded_for_counts_only_from_a_trusted_proxy(ingest: Ingest) -> None:
    client_ip, proxy = _ip(), "192.0.2.7"
    headers = {"X-Forwarded-For": f"10.9.9.9, {client_ip}"}
    async with as_caller(ingest, proxy) as client:
        untrusted = await client.post("/v1/jobs", json=small_spec(), headers=headers)
        with api_settings(ingest, trusted_proxies="192.0.2.0/24"):
            trusted = await client.post("/v1/jobs", json=small_spec(), headers=headers)
    owners = [str((await ingest.job(answer.json()["job_id"]))["client_ip"])  # type: ignore[index]
              for answer in (untrusted, trusted)]
    assert owners == [proxy, client_ip]


@pytest.mark.parametrize(("limit", "spec", "path"), [
    ({"max_elements": 2}, small_spec(elements=[{"type": "text", "text": "x"}] * 3), "elements"),
    ({"max_duration": 5}, small_spec(output={"width": 64, "height": 64, "duration": 6}),
     "output.duration"),
    ({"max_duration": 5}, small_spec(elements=[{"type": "text", "text": "x", "start": 4,
                                                "duration": 2}]), "elements[0].duration"),
    ({"max_width": 640}, small_spec(output={"width": 1280, "height": 64}), "output.width"),
    ({"max_height": 64}, small_spec(output={"width": 64, "height": 128}), "output.height"),
    ({"max_text_length": 10}, small_spec(elements=[{"type": "text", "text": "x" * 11}]),
     "elements[0].text"),
    ({"max_text_length": 10}, small_spec(elements=[{"type": "captions", "cues": [
        {"start": 0, "end": 1, "text": "short"}, {"start": 1, "end": 2, "text": "y" * 11}]}]),
     "elements[0].cues[1].text"),
    ({"max_duration": 5}, small_spec(elements=[{"type": "captions", "cues": [
        {"start": 0, "end": 9, "text": "late"}, {"start": 1, "end": 2, "text": "early"}]}]),
     "elements[0].cues[0].end"),
])
async def test_each_limit_names_its_field(ingest: Ingest, limit: dict[str, Any],
                                          spec: dict[str, Any], path: str) -> None:
    with api_settings(ingest, **limit):
        async with as_caller(ingest, _ip()) as client:
            answer = await client.post("/v1/jobs", json=spec)
    assert answer.status_code == 422, answer.text
    assert [error["path"] for error in answer.json()["errors"]] == [path]


async def test_compat_limits_use_the_earlier_field_names(ingest: Ingest) -> None:
    body = {"output_format": "mp4", "width": 1280, "height": 720, "elements": [
        {"id": "a", "type": "image", "source": "https://media.example.com/a.png"}]}
    with api_settings(ingest, max_width=640):
        async with as_caller(ingest, _ip()) as client:
            answer = await client.post("/api/v1/videocreate", json=body)
    assert answer.status_code == 422, answer.text
    assert [error["path"] for error in answer.json()["errors"]] == ["width"]


async def _chunks() -> AsyncIterator[bytes]:  # no Content-Length: sent chunked
    for part in (b"{", b" " * 5000, b"}"):
        yield part


async def test_a_body_over_the_limit_is_413(ingest: Ingest) -> None:
    huge = small_spec(metadata={"pad": "x" * 5000})
    with api_settings(ingest, max_body_bytes=4096):
        async with as_caller(ingest, _ip()) as client:
            answer = await client.post("/v1/jobs", json=huge)
            chunked = await client.post("/v1/jobs", content=_chunks(),
                                        headers={"Content-Type": "application/json"})
    assert answer.status_code == 413, answer.text
    assert answer.json()["detail"].startswith("$:")
    assert chunked.status_code == 413, chunked.text
