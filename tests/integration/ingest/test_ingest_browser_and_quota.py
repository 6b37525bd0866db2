"""Bodies that are not JSON are refused (415) before they count, and every limited response
says where the caller stands (X-RateLimit-Limit/Remaining/Reset next to Retry-After)."""

from __future__ import annotations

import time
from uuid import uuid4

import pytest

from tests.integration.ingest.access_helpers import as_caller, issue_key, small_spec
from tests.integration.ingest.harness import Ingest, api_settings

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(60)]

BODY = b'{"elements": [{"type": "text", "text": "hi"}], "response": "async"}'


def _ip() -> str:
    """An address of this test's own: no other test's jobs or counters share it."""
    return f"2001:db8:7e57::{uuid4().hex[:4]}:{uuid4().hex[:4]}"


@pytest.mark.parametrize("content_type", [
    None, "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x", "application/jsonx", "text/json",
])
async def test_a_body_not_declared_json_is_415_and_not_counted(ingest: Ingest,
                                                               content_type: str | None) -> None:
    """What a form or a preflight-free fetch on another site can send is refused, for both
    creation routes, before the caller's quota is counted."""
    ip = _ip()
    headers = {"Content-Type": content_type} if content_type else {}
    with api_settings(ingest, rate_limit=5, rate_window=600):
        async with as_caller(ingest, ip) as client:
            answers = [await client.post(path, content=BODY, headers=headers)
                       for path in ("/v1/jobs", "/api/v1/videocreate", "/api/v1/video/create")]
            accepted = await client.post("/v1/jobs", json=small_spec())
    for answer in answers:
        assert answer.status_code == 415, answer.text
        assert "application/json" in answer.json()["detail"]
        assert "x-ratelimit-remaining" not in answer.headers
    assert accepted.status_code == 202, accepted.text
    assert accepted.headers["x-ratelimit-remaining"] == "4", "the refusals were not counted"
    jobs = await ingest.pool.fetchval(
        "SELECT count(*) FROM jobs WHERE client_ip = $1::inet", ip)
    assert jobs == 1


async def test_json_with_parameters_is_accepted(ingest: Ingest) -> None:
    async with as_caller(ingest, _ip()) as client:
        answer = await client.post("/v1/jobs", content=BODY,
                                   headers={"Content-Type": "Application/JSON; charset=utf-8"})
    assert answer.status_code == 202, answer.text


async def test_limited_responses_carry_the_quota(ingest: Ingest) -> None:
    ip = _ip()
    key = await issue_key(ingest)
    window = 600
    with api_settings(ingest, rate_limit=2, read_rate_limit=7, rate_window=window):
        async with as_caller(ingest, ip) as client:
            created = [await client.post("/v1/jobs", json=small_spec()) for _ in range(3)]
            read = await client.get("/v1/jobs")
        async with as_caller(ingest, ip, key.key) as client:
            keyed = await client.post("/v1/jobs", json=small_spec())
    now = time.time()
    assert [answer.status_code for answer in created] == [202, 202, 429]
    assert [answer.headers["x-ratelimit-limit"] for answer in created] == ["2"] * 3
    assert [answer.headers["x-ratelimit-remaining"] for answer in created] == ["1", "0", "0"]
    resets = {int(answer.headers["x-ratelimit-reset"]) for answer in created}
    assert len(resets) == 1
    (reset,) = resets
    assert now < reset <= now + window + 1 and reset % window == 0
    refused = created[-1]
    assert 1 <= int(refused.headers["retry-after"]) <= window
    assert abs(int(refused.headers["retry-after"]) - (reset - now)) <= 2
    assert "retry-after" not in created[0].headers
    assert (read.status_code, read.headers["x-ratelimit-limit"],
            read.headers["x-ratelimit-remaining"]) == (200, "7", "6")
    assert (keyed.status_code, keyed.headers["x-ratelimit-remaining"]) == (202, "1")
