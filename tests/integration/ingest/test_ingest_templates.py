"""Templates through the real ingest app (Postgres with row-level security, the broker):
create, version, read, list, delete; jobs from a template over HTTP and over the requests
topic, which record the version they used; someone else's template is a 404 everywhere,
and invisible to SQL run as that caller."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest

from shared.access.principal import Principal, acting_as
from shared.events import JobRequest
from tests.integration.ingest.access_helpers import as_caller, issue_key
from tests.integration.ingest.harness import Ingest, eventually

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(60)]

IP_A, IP_B = "198.51.100.31", "198.51.100.32"


def template(title: str = "Hello {{name}}") -> dict[str, Any]:
    return {
        "name": "greeting",
        "composition": {
            "output": {"width": 64, "height": 64, "duration": 1, "background": "{{bg}}"},
            "elements": [
                {"id": "photo", "type": "image", "source": "https://media.example.com/p.png",
                 "opacity": 1},
                {"id": "title", "type": "text", "text": title},
            ],
        },
        "merge_fields": {"name": {"default": "Ana"}, "bg": {"default": "#102030"}},
    }


async def _create(client: Any, body: dict[str, Any] | None = None) -> str:
    answer = await client.post("/v1/templates", json=body or template())
    assert answer.status_code == 201, answer.text
    assert answer.json()["version"] == 1
    return str(answer.json()["id"])


async def _spec(ingest: Ingest, job_id: str) -> dict[str, Any]:
    job = await ingest.job(job_id)
    assert job is not None
    spec: dict[str, Any] = json.loads(job["spec"]) if isinstance(job["spec"], str) else job["spec"]
    return spec


async def test_create_version_read_list_and_jobs_keep_their_version(ingest: Ingest) -> None:
    key = await issue_key(ingest)
    async with as_caller(ingest, IP_A, key.key) as client:
        template_id = await _create(client)
        answer = await client.post("/v1/jobs", json={
            "template": template_id, "merge": {"name": "Bea"}, "response": "async",
            "modifications": {"photo.opacity": 0.5, "title.font_size": 20}})
        assert answer.status_code == 202, answer.text
        first = answer.json()
        assert first["template"] == {"id": template_id, "version": 1}

        answer = await client.post(f"/v1/templates/{template_id}/versions",
                                   json=template("Bye {{name}}"))
        assert answer.status_code == 201, answer.text
        assert answer.json() == {"id": template_id, "version": 2}
        latest = await client.post("/v1/jobs", json={"template": template_id,
                                                     "response": "async"})
        pinned = await client.post("/v1/jobs", json={"template": f"{template_id}@1",
                                                     "response": "async"})
        assert (latest.status_code, pinned.status_code) == (202, 202), latest.text
        shown = (await client.get(f"/v1/templates/{template_id}")).json()
        old = (await client.get(f"/v1/templates/{template_id}", params={"version": 1})).json()
        missing = await client.get(f"/v1/templates/{template_id}", params={"version": 3})
        listed = (await client.get("/v1/templates")).json()
        status = (await client.get(f"/v1/jobs/{first['job_id']}")).json()

    assert (shown["version"], shown["latest_version"], shown["versions"]) == (2, 2, [1, 2])
    assert shown["composition"]["elements"][1]["text"] == "Bye {{name}}"
    assert shown["merge_fields"]["name"] == {"default": "Ana", "required": False}
    assert old["composition"]["elements"][1]["text"] == "Hello {{name}}"
    assert missing.status_code == 404
    assert [t["id"] for t in listed["templates"]] == [template_id]
    assert listed["total"] == 1
    assert status["template"] == {"id": template_id, "version": 1}

    spec = await _spec(ingest, first["job_id"])
    assert spec["elements"][1]["text"] == "Hello Bea"
    assert spec["elements"][1]["font_size"] == "20px"
    assert spec["elements"][0]["opacity"] == 0.5
    assert spec["output"]["background"] == "#102030ff"
    rows = {row["id"]: (row["template_id"], row["template_version"]) for row in
            await ingest.pool.fetch("SELECT id, template_id, template_version FROM jobs "
                                    "WHERE template_id = $1", UUID(template_id))}
    assert rows == {UUID(first["job_id"]): (UUID(template_id), 1),
                    UUID(latest.json()["job_id"]): (UUID(template_id), 2),
                    UUID(pinned.json()["job_id"]): (UUID(template_id), 1)}
    assert (await _spec(ingest, latest.json()["job_id"]))["elements"][1]["text"] == "Bye Ana"
    assert (await _spec(ingest, pinned.json()["job_id"]))["elements"][1]["text"] == "Hello Ana"
    with pytest.raises(asyncpg.CheckViolationError, match="immutable"):
        await ingest.pool.execute("UPDATE template_versions SET composition = '{}' "
                                  "WHERE template_id = $1", UUID(template_id))


async def test_invalid_templates_and_requests_name_the_path(ingest: Ingest) -> None:
    async with as_caller(ingest, IP_A) as client:
        bad = template()
        bad["composition"]["elements"][0]["opacity"] = 3
        bad["merge_fields"]["unused"] = {}
        answer = await client.post("/v1/templates", json=bad)
        assert answer.status_code == 422
        assert {e["path"] for e in answer.json()["errors"]} == {"merge_fields.unused"}
        del bad["merge_fields"]["unused"]
        answer = await client.post("/v1/templates", json=bad)
        assert answer.json()["errors"] == [{"path": "composition.elements[0].opacity",
                                            "message": "opacity must be greater than or equal "
                                                       "to 0 and less than or equal to 1, got "
                                                       "3 (or a list of keyframes: objects with "
                                                       "time and value)"}]
        template_id = await _create(client)
        answer = await client.post("/v1/jobs", json={
            "template": template_id, "merge": {"nmae": "x"},
            "modifications": {"titel.text": "x", "photo.opacity": "high"}})
        assert answer.status_code == 422
        assert {e["path"] for e in answer.json()["errors"]} == {"merge.nmae",
                                                                'modifications["titel.text"]'}
        answer = await client.post("/v1/jobs", json={
            "template": template_id, "merge": {"bg": "not a colour"},
            "modifications": {"photo.opacity": "high"}})
        errors = {e["path"]: e["message"] for e in answer.json()["errors"]}
        assert set(errors) == {"merge.bg", 'modifications["photo.opacity"]'}
        assert "(template output.background)" in errors["merge.bg"]
        answer = await client.post("/v1/jobs", json={
            "template": template_id, "response": "async", "modifications": {"title.start": 5}})
        assert answer.status_code == 202, answer.text
        assert [w["path"] for w in answer.json()["warnings"]] == ["template.elements[1].start"]
        answer = await client.post("/v1/jobs", json={"template": "not-an-id"})
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["path"] == "template"


async def test_someone_elses_template_is_not_found_anywhere(ingest: Ingest) -> None:
    one, two, admin = (await issue_key(ingest), await issue_key(ingest),
                       await issue_key(ingest, "admin"))
    async with as_caller(ingest, IP_A, one.key) as client:
        ours = await _create(client)
    async with as_caller(ingest, IP_A) as client:
        anonymous = await _create(client)
    for ip, key in ((IP_A, two.key), (IP_B, None), (IP_A, None)):
        hidden = [ours] if key is None and ip == IP_A else [ours, anonymous]
        async with as_caller(ingest, ip, key) as client:
            listed = {t["id"] for t in (await client.get("/v1/templates")).json()["templates"]}
            assert not listed & set(hidden), (ip, key)
            for template_id in hidden:
                calls = [await client.get(f"/v1/templates/{template_id}"),
                         await client.post(f"/v1/templates/{template_id}/versions",
                                           json=template()),
                         await client.post("/v1/jobs", json={"template": template_id}),
                         await client.delete(f"/v1/templates/{template_id}")]
                assert [c.status_code for c in calls] == [404] * 4, (ip, key, template_id)
    assert await ingest.pool.fetchval("SELECT latest_version FROM templates WHERE id = $1",
                                      UUID(ours)) == 1
    async with as_caller(ingest, IP_B, admin.key) as client:
        assert (await client.get(f"/v1/templates/{ours}")).status_code == 200
        used = await client.post("/v1/jobs", json={"template": ours, "response": "async"})
        assert used.status_code == 202, used.text
    async with as_caller(ingest, IP_B, one.key) as client:  # the key, from anywhere
        assert (await client.delete(f"/v1/templates/{ours}")).json() == {"id": ours,
                                                                          "deleted": True}
        assert (await client.get(f"/v1/templates/{ours}")).status_code == 404
    # the job made from it keeps its record
    job = await ingest.job(used.json()["job_id"])
    assert job is not None and (job["template_id"], job["template_version"]) == (UUID(ours), 1)


async def test_row_level_security_hides_templates_from_sql_as_another_caller(
        ingest: Ingest) -> None:
    key, other = await issue_key(ingest), await issue_key(ingest)
    async with as_caller(ingest, IP_A, key.key) as client:
        template_id = UUID(await _create(client))
    pool = await asyncpg.create_pool(ingest.settings.database_url, min_size=1, max_size=1)
    assert pool is not None
    try:
        for who, visible in ((Principal("authenticated", IP_A, other.stored.id), False),
                             (Principal("anon", IP_A), False),
                             (Principal("authenticated", IP_B, key.stored.id), True),
                             (Principal("service_account", None), True)):
            async with acting_as(pool, who) as conn:
                seen = await conn.fetchval("SELECT count(*) FROM templates WHERE id = $1",
                                           template_id)
                versions = await conn.fetchval(
                    "SELECT count(*) FROM template_versions WHERE template_id = $1", template_id)
                assert (seen, versions) == ((1, 1) if visible else (0, 0)), who
                if not visible:
                    assert await conn.fetchval("DELETE FROM templates WHERE id = $1 "
                                               "RETURNING id", template_id) is None
                    with pytest.raises(asyncpg.InsufficientPrivilegeError):
                        await conn.execute(
                            "INSERT INTO template_versions (template_id, version, composition) "
                            "VALUES ($1, 9, '{}')", template_id)
        async with acting_as(pool, Principal("anon", IP_A)) as conn:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):  # as someone else
                await conn.execute("INSERT INTO templates (api_key_id) VALUES ($1)",
                                   key.stored.id)
    finally:
        await pool.close()
    assert await ingest.pool.fetchval("SELECT count(*) FROM template_versions "
                                      "WHERE template_id = $1", template_id) == 1


async def test_jobs_from_a_template_over_the_requests_topic(ingest: Ingest) -> None:
    key = await issue_key(ingest)
    async with as_caller(ingest, IP_A, key.key) as client:
        template_id = await _create(client)
    topic = ingest.settings.topics.requests
    good = JobRequest(client="crm", job={"template": f"{template_id}@1",
                                         "merge": {"name": "Kafka"},
                                         "modifications": {"title.color": "yellow"}})
    bad = JobRequest(client="crm", job={"template": template_id, "merge": {"name": ""},
                                        "modifications": {"photo.text": "x"}})
    gone = JobRequest(client="crm", job={"template": str(uuid4())})
    for request in (good, bad, gone):
        await ingest.producer.publish(request.model_dump(mode="json"), topic=topic,
                                      key=str(request.request_id).encode())
    job = await eventually(lambda: ingest.job(good.request_id), what="the templated job")
    assert (job["template_id"], job["template_version"]) == (UUID(template_id), 1)
    spec = await _spec(ingest, str(good.request_id))
    assert spec["elements"][1]["text"] == "Hello Kafka"
    assert spec["elements"][1]["color"] == "#ffff00ff"

    def rejection(request: JobRequest) -> Any:
        return lambda r: (r.key == str(request.request_id).encode()
                          and json.loads(r.value)["type"] == "job.rejected")

    events = ingest.settings.topics.events
    [bad_event] = await ingest.messages(events, rejection(bad))
    [gone_event] = await ingest.messages(events, rejection(gone))
    assert {e["path"] for e in json.loads(bad_event.value)["errors"]} == {
        'modifications["photo.text"]'}
    assert [e["path"] for e in json.loads(gone_event.value)["errors"]] == ["template"]
    assert await ingest.job(bad.request_id) is None
