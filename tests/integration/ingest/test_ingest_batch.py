"""POST /v1/jobs/batch through the real ingest app and Postgres: per-job results in request
order, the batch limits, idempotency keys within and across batches, the quota counted per
job, templates seen as the caller."""

from __future__ import annotations

import ipaddress
import json
from typing import Any
from uuid import UUID, uuid4

import pytest

from tests.integration.ingest.access_helpers import as_caller, issue_key, small_spec
from tests.integration.ingest.harness import Ingest, api_settings

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(120)]

BATCH = "/v1/jobs/batch"


def _ip() -> str:
    """An address of this test's own: no other test's jobs or counters share it."""
    return str(ipaddress.ip_address(f"2001:db8:ba7c::{uuid4().hex[:4]}:{uuid4().hex[:4]}"))


async def _jobs_of(ingest: Ingest, ip: str) -> int:
    count: int = await ingest.pool.fetchval(
        "SELECT count(*) FROM jobs WHERE client_ip = $1::inet", ip)
    return count


async def test_mixed_valid_and_invalid_jobs_each_get_their_own_result(ingest: Ingest) -> None:
    ip = _ip()
    jobs = [small_spec(metadata={"n": 0}),
            small_spec(elements=[{"type": "text", "text": "x", "x": "nowhere"}]),
            "not a job",
            small_spec(metadata={"n": 3}, output={"width": 64, "height": 64, "duration": 1,
                                                  "fps": 500}),
            small_spec(metadata={"n": 4})]
    async with as_caller(ingest, ip) as client:
        answer = await client.post(BATCH, json={"jobs": jobs})
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [(r["index"], r["status"]) for r in results] == [
        (0, "created"), (1, "rejected"), (2, "rejected"), (3, "rejected"), (4, "created")]
    assert [r.get("code") for r in results] == [None, 422, 422, 422, None]
    assert [e["path"] for e in results[1]["errors"]] == ["jobs[1].elements[0].x"]
    assert [e["path"] for e in results[2]["errors"]] == ["jobs[2]"]
    assert [e["path"] for e in results[3]["errors"]] == ["jobs[3].output.fps"]
    assert "a job must be a JSON object" in results[2]["errors"][0]["message"]
    created = {r["index"]: r["job_id"] for r in results if r["status"] == "created"}
    for index, job_id in created.items():
        row = await ingest.job(job_id)
        assert row is not None
        assert row["status_text"] == "pending"
        assert json.loads(row["metadata"]) == {"n": index}
        assert str(row["client_ip"]) == ip  # owned by the caller, as a single POST would be
        assert results[index]["status_url"] == f"/v1/jobs/{job_id}"
    events = await ingest.pool.fetch(
        "SELECT payload->>'type' AS type FROM outbox WHERE key = ANY($1::text[]) ORDER BY id",
        list(created.values()))
    assert sorted(e["type"] for e in events) == sorted(["step.changed", "job.accepted"] * 2)
    assert await _jobs_of(ingest, ip) == 2


async def test_a_thousand_jobs_in_one_request(ingest: Ingest) -> None:
    ip = _ip()
    jobs = [small_spec(metadata={"n": n}) for n in range(1000)]
    async with as_caller(ingest, ip) as client:
        answer = await client.post(BATCH, json={"jobs": jobs})
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["index"] for r in results] == list(range(1000))
    assert {r["status"] for r in results} == {"created"}
    rows = await ingest.pool.fetch(
        "SELECT id, (metadata->>'n')::int AS n FROM jobs WHERE client_ip = $1::inet", ip)
    assert {str(row["id"]): row["n"] for row in rows} == {
        r["job_id"]: r["index"] for r in results}, "each result names its own job"
    accepted = await ingest.pool.fetchval(
        "SELECT count(*) FROM outbox WHERE key = ANY($1::text[]) "
        "AND payload->>'type' = 'job.accepted'", [str(row["id"]) for row in rows])
    assert accepted == 1000


async def test_a_thousand_mixed_jobs_keep_their_order_paths_and_keys(ingest: Ingest) -> None:
    """At full size: every seventh job invalid (its own path), keys repeated across the
    batch; a key whose first job was rejected goes to the next valid job with it."""
    ip = _ip()

    def job(n: int) -> dict[str, Any]:
        if n % 7 == 3:
            return small_spec(metadata={"n": n}, output={"width": 64, "height": 64,
                                                         "duration": 1, "fps": 500})
        return small_spec(metadata={"n": n}, idempotency_key=f"k{n % 50}")

    jobs = [job(n) for n in range(1000)]
    async with as_caller(ingest, ip) as client:
        answer = await client.post(BATCH, json={"jobs": jobs})
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [r["index"] for r in results] == list(range(1000))
    first: dict[str, int] = {}  # key -> index of its first valid job
    for n, result in enumerate(results):
        if n % 7 == 3:
            assert result["status"] == "rejected" and result["code"] == 422
            assert [e["path"] for e in result["errors"]] == [f"jobs[{n}].output.fps"]
            continue
        key = f"k{n % 50}"
        if key in first:
            assert result["status"] == "duplicate"
            assert result["job_id"] == results[first[key]]["job_id"]
        else:
            first[key] = n
            assert result["status"] == "created"
    # k3's first job (index 3) was rejected: its first valid one (53) made the job
    assert first["k3"] == 53 and results[53]["status"] == "created"
    rows = await ingest.pool.fetch(
        "SELECT idempotency_key, (metadata->>'n')::int AS n FROM jobs "
        "WHERE client_ip = $1::inet", ip)
    assert {row["idempotency_key"]: row["n"] for row in rows} == first


async def test_more_jobs_than_the_limit_is_413_naming_it_and_counts_nothing(
        ingest: Ingest) -> None:
    ip = _ip()
    with api_settings(ingest, max_batch=3, rate_limit=10, rate_window=600):
        async with as_caller(ingest, ip) as client:
            over = await client.post(BATCH, json={"jobs": [small_spec()] * 4})
            at_limit = await client.post(BATCH, json={"jobs": [small_spec()] * 3})
    assert over.status_code == 413, over.text
    [error] = over.json()["errors"]
    assert error["path"] == "jobs"
    assert "at most 3 jobs" in error["message"] and "VIDGEN_MAX_BATCH" in error["message"]
    assert at_limit.status_code == 200, at_limit.text
    assert at_limit.headers["x-ratelimit-remaining"] == "7", "the refused batch counted nothing"
    assert await _jobs_of(ingest, ip) == 3


async def test_the_default_limit_is_a_thousand(ingest: Ingest) -> None:
    ip = _ip()
    async with as_caller(ingest, ip) as client:
        over = await client.post(BATCH, json={"jobs": [small_spec()] * 1001})
    assert over.status_code == 413
    assert "at most 1000 jobs" in over.json()["errors"][0]["message"]
    assert await _jobs_of(ingest, ip) == 0


async def test_a_body_over_its_own_limit_is_413(ingest: Ingest) -> None:
    """The batch's body limit is its own (larger than one job's), and it holds."""
    ip = _ip()
    jobs = [small_spec(metadata={"pad": "x" * 900})] * 2
    with api_settings(ingest, max_body_bytes=1024, max_batch_body_bytes=1500):
        async with as_caller(ingest, ip) as client:
            answer = await client.post(BATCH, json={"jobs": jobs})
            one = await client.post(BATCH, json={"jobs": jobs[:1]})
    assert answer.status_code == 413, answer.text
    assert "1500 bytes" in answer.text
    assert one.status_code == 200, one.text
    assert one.json()["results"][0]["status"] == "created"


@pytest.mark.parametrize(("body", "path"), [
    ([small_spec()], "$"), ({}, "jobs"), ({"jobs": {"a": 1}}, "jobs"),
    ({"jobs": [], "wait": True}, "wait"),
])
async def test_a_body_that_is_not_a_batch_is_422(ingest: Ingest, body: Any, path: str) -> None:
    async with as_caller(ingest, _ip()) as client:
        answer = await client.post(BATCH, json=body)
    assert answer.status_code == 422, answer.text
    assert [e["path"] for e in answer.json()["errors"]] == [path]


async def test_not_json_is_415_and_an_idempotency_header_is_422(ingest: Ingest) -> None:
    async with as_caller(ingest, _ip()) as client:
        form = await client.post(BATCH, content=b'{"jobs": []}',
                                 headers={"Content-Type": "text/plain"})
        keyed = await client.post(BATCH, json={"jobs": [small_spec()]},
                                  headers={"Idempotency-Key": "k"})
    assert form.status_code == 415
    assert keyed.status_code == 422
    assert keyed.json()["errors"][0]["path"] == "Idempotency-Key"


async def test_duplicate_idempotency_keys_within_and_across_batches(ingest: Ingest) -> None:
    ip = _ip()
    async with as_caller(ingest, ip) as client:
        before = await client.post("/v1/jobs", json=small_spec(idempotency_key="old"))
        answer = await client.post(BATCH, json={"jobs": [
            small_spec(idempotency_key="a"), small_spec(idempotency_key="b"),
            small_spec(idempotency_key="a"), small_spec(idempotency_key="old"),
            small_spec(), small_spec(idempotency_key="a", output={"width": 3})]})
        again = await client.post(BATCH, json={"jobs": [small_spec(idempotency_key="b")]})
    assert before.status_code == 202
    results = answer.json()["results"]
    assert [r["status"] for r in results] == [
        "created", "created", "duplicate", "duplicate", "created", "rejected"]
    assert results[2]["job_id"] == results[0]["job_id"], "the batch's first job with the key"
    assert results[3]["job_id"] == before.json()["job_id"], "the job made before the batch"
    assert again.json()["results"][0] == {**results[1], "status": "duplicate"} | {
        "index": 0}
    assert await _jobs_of(ingest, ip) == 4
    keys = await ingest.pool.fetch(
        "SELECT idempotency_key FROM jobs WHERE client_ip = $1::inet", ip)
    assert sorted(str(k["idempotency_key"]) for k in keys) == ["None", "a", "b", "old"]


async def test_the_quota_counts_each_job_and_refuses_the_rest_by_name(ingest: Ingest) -> None:
    ip = _ip()
    key, other = await issue_key(ingest), await issue_key(ingest)
    with api_settings(ingest, rate_limit=5, rate_window=600):
        async with as_caller(ingest, ip, key.key) as client:
            first = await client.post(BATCH, json={"jobs": [small_spec()] * 3})
            second = await client.post(BATCH, json={"jobs": [small_spec()] * 4})
            single = await client.post("/v1/jobs", json=small_spec())
        async with as_caller(ingest, ip, other.key) as client:  # a budget of its own
            theirs = await client.post(BATCH, json={"jobs": [small_spec()] * 2})
    assert [r["status"] for r in first.json()["results"]] == ["created"] * 3
    assert first.headers["x-ratelimit-remaining"] == "2"
    results = second.json()["results"]
    assert [r["status"] for r in results] == ["created", "created", "rejected", "rejected"]
    assert [r.get("code") for r in results[2:]] == [429, 429]
    assert results[2]["errors"][0]["path"] == "jobs[2]"
    assert "rate limit of 5 job creations per 600 s" in results[2]["errors"][0]["message"]
    assert second.headers["x-ratelimit-remaining"] == "0"
    assert 1 <= int(second.headers["retry-after"]) <= 600
    assert single.status_code == 429, "the batch's jobs used up the same quota"
    assert [r["status"] for r in theirs.json()["results"]] == ["created"] * 2
    owned = await ingest.pool.fetchval("SELECT count(*) FROM jobs WHERE api_key_id = $1",
                                       key.stored.id)
    assert owned == 5
    refused = await ingest.pool.fetchval(
        "SELECT (details->>'refused')::int FROM security_events "
        "WHERE event_type = 'rate_limit_exceeded' AND user_id = $1 "
        "AND details->>'path' = $2", key.stored.id, BATCH)
    assert refused == 2


async def test_templates_are_seen_as_the_caller(ingest: Ingest) -> None:
    owner, stranger = await issue_key(ingest), await issue_key(ingest)
    composition = {"output": {"width": 64, "height": 64, "duration": 1},
                   "elements": [{"id": "title", "type": "text", "text": "Hi {{name}}"}]}
    async with as_caller(ingest, _ip(), owner.key) as client:
        stored = await client.post("/v1/templates", json={
            "name": "t", "composition": composition, "merge_fields": {"name": {}}})
        template_id = stored.json()["id"]
        mine = await client.post(BATCH, json={"jobs": [
            {"template": template_id, "merge": {"name": "Bea"}, "response": "async"},
            {"template": template_id, "merge": {"nmae": "Bea"}}]})
    async with as_caller(ingest, _ip(), stranger.key) as client:
        theirs = await client.post(BATCH, json={"jobs": [
            {"template": template_id, "merge": {"name": "Bea"}}]})
    results = mine.json()["results"]
    assert [r["status"] for r in results] == ["created", "rejected"]
    assert {e["path"] for e in results[1]["errors"]} >= {"jobs[1].merge.nmae"}
    row = await ingest.job(results[0]["job_id"])
    assert row is not None and row["template_id"] == UUID(template_id)
    [refused] = theirs.json()["results"]
    assert refused["status"] == "rejected"
    assert [e["path"] for e in refused["errors"]] == ["jobs[0].template"]


async def test_openapi_documents_the_batch(ingest: Ingest) -> None:
    document = (await ingest.client.get("/openapi.json")).json()
    post = document["paths"]["/v1/jobs/batch"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["jobs"]
    assert body["properties"]["jobs"]["items"] == {"oneOf": [
        {"$ref": "#/components/schemas/Job"}, {"$ref": "#/components/schemas/TemplateJob"}]}
    assert {"200", "413", "415", "422"} <= set(post["responses"])
    result = post["responses"]["200"]["content"]["application/json"]["schema"]
    assert result["properties"]["results"]["items"]["properties"]["status"] == {
        "enum": ["created", "duplicate", "rejected"]}
    assert "BatchProblem" in document["components"]["schemas"]
