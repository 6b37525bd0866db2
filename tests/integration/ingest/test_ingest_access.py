"""Who sees which job: anon by client IP, API keys their own, admin all; through every
route and through SQL as the services' login with a request's settings applied."""

from __future__ import annotations

from uuid import UUID, uuid4

import asyncpg
import pytest

from shared.access.principal import Principal, acting_as
from shared.db.login import service_url
from tests.integration.ingest.access_helpers import as_caller, issue_key, small_spec
from tests.integration.ingest.harness import Ingest

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(60)]

IP_A, IP_B = "198.51.100.10", "198.51.100.20"


def _reads(job_id: UUID) -> list[tuple[str, str]]:
    return [("GET", f"/v1/jobs/{job_id}"), ("GET", f"/v1/jobs/{job_id}/details"),
            ("GET", f"/api/v1/videoresult/{job_id}"), ("GET", f"/api/v1/video/result/{job_id}"),
            ("GET", f"/api/v1/video/job/{job_id}/details")]


def _cancels(job_id: UUID) -> list[tuple[str, str]]:
    return [("DELETE", f"/v1/jobs/{job_id}"), ("DELETE", f"/api/v1/video/job/{job_id}")]


async def _create(ingest: Ingest, ip: str, key: str | None = None) -> UUID:
    async with as_caller(ingest, ip, key) as client:
        answer = await client.post("/v1/jobs", json=small_spec())
    assert answer.status_code == 202, answer.text
    return UUID(answer.json()["job_id"])


async def _listed(ingest: Ingest, ip: str, key: str | None = None) -> set[str]:
    seen: set[str] = set()
    async with as_caller(ingest, ip, key) as client:
        for path in ("/v1/jobs", "/api/v1/video/jobs"):
            answer = await client.get(path, params={"limit": 100})
            assert answer.status_code == 200, answer.text
            ids = {job["job_id"] for job in answer.json()["jobs"]}
            seen |= ids
    return seen


async def _assert_hidden(ingest: Ingest, job_id: UUID, ip: str, key: str | None = None) -> None:
    assert str(job_id) not in await _listed(ingest, ip, key)
    async with as_caller(ingest, ip, key) as client:
        for method, path in _reads(job_id) + _cancels(job_id):
            answer = await client.request(method, path)
            assert answer.status_code == 404, (method, path, answer.status_code)
    assert (await ingest.job(job_id))["status_text"] != "cancelled"  # type: ignore[index]


async def _assert_visible(ingest: Ingest, job_id: UUID, ip: str, key: str | None = None) -> None:
    assert str(job_id) in await _listed(ingest, ip, key)
    async with as_caller(ingest, ip, key) as client:
        for method, path in _reads(job_id):
            answer = await client.request(method, path)
            assert answer.status_code == 200, (method, path, answer.text)


async def test_anonymous_callers_see_only_jobs_from_their_own_ip(ingest: Ingest) -> None:
    job_a, job_b = await _create(ingest, IP_A), await _create(ingest, IP_B)
    assert str((await ingest.job(job_a))["client_ip"]) == IP_A  # type: ignore[index]
    await _assert_hidden(ingest, job_a, IP_B)
    await _assert_hidden(ingest, job_b, IP_A)
    await _assert_visible(ingest, job_a, IP_A)
    async with as_caller(ingest, IP_A) as client:
        answer = await client.delete(f"/api/v1/video/job/{job_a}")
    assert answer.status_code == 200, answer.text
    assert (await ingest.job(job_a))["status_text"] == "cancelled"  # type: ignore[index]


async def test_a_key_sees_only_its_own_jobs_and_admin_sees_all(ingest: Ingest) -> None:
    one, two = await issue_key(ingest), await issue_key(ingest)
    admin = await issue_key(ingest, "admin")
    job_one = await _create(ingest, IP_A, one.key)
    job_two = await _create(ingest, IP_A, two.key)
    anon = await _create(ingest, IP_A)
    assert (await ingest.job(job_one))["api_key_id"] == one.stored.id  # type: ignore[index]
    await _assert_hidden(ingest, job_two, IP_A, one.key)
    await _assert_hidden(ingest, anon, IP_A, one.key)
    await _assert_hidden(ingest, job_one, IP_A)  # same IP, but no key: not the owner
    await _assert_visible(ingest, job_one, IP_B, one.key)  # the key, from anywhere
    for job in (job_one, job_two, anon):
        await _assert_visible(ingest, job, IP_B, admin.key)
    async with as_caller(ingest, IP_B, two.key, header="x-api-key") as client:
        answer = await client.delete(f"/v1/jobs/{job_two}")
    assert answer.status_code == 200, answer.text


async def test_unknown_and_revoked_keys_are_refused_and_logged(ingest: Ingest) -> None:
    issued = await issue_key(ingest)
    async with ingest.pool.acquire() as conn, conn.transaction():
        from shared.access import keys
        assert await keys.revoke_key(conn, issued.stored.id) is not None
    ip = f"203.0.113.{uuid4().int % 200 + 1}"
    for key in (issued.key, "vgk_00000000_" + uuid4().hex):
        async with as_caller(ingest, ip, key) as client:
            for method, path in [("POST", "/v1/jobs"), ("GET", "/v1/jobs")]:
                answer = await client.request(method, path, json=small_spec())
                assert answer.status_code == 401, answer.text
                assert answer.headers["www-authenticate"].startswith("Bearer")
    events = await ingest.pool.fetch(
        "SELECT event_type, details, host(client_ip) AS ip FROM security_events "
        "WHERE client_ip = $1::inet ORDER BY created_at", ip)
    assert [e["event_type"] for e in events] == ["revoked_api_key"] * 2 + ["unknown_api_key"] * 2
    assert {e["ip"] for e in events} == {ip}


async def test_the_services_login_cannot_bypass_row_level_security(ingest: Ingest) -> None:
    job_a, job_b = await _create(ingest, IP_A), await _create(ingest, IP_B)
    key = await issue_key(ingest)
    job_key = await _create(ingest, IP_A, key.key)
    ours = {job_a, job_b, job_key}
    dsn = ingest.settings.database_url
    assert dsn == service_url(dsn.replace("vidgen_app@", "postgres@"))
    pool = await asyncpg.create_pool(dsn, min_size=1, max_size=2)
    assert pool is not None
    try:
        login = await pool.fetchrow(
            "SELECT current_user, rolsuper, rolbypassrls, rolinherit FROM pg_roles "
            "WHERE rolname = session_user")
        assert login is not None
        assert (login["current_user"], login["rolsuper"], login["rolbypassrls"],
                login["rolinherit"]) == ("vidgen_service", False, False, False)
        cases = [(Principal("anon", IP_A), {job_a}), (Principal("anon", IP_B), {job_b}),
                 (Principal("authenticated", IP_B, key.stored.id), {job_key}),
                 (Principal("authenticated", IP_A, uuid4()), set()),
                 (Principal("admin", None), ours)]
        for who, expected in cases:
            async with acting_as(pool, who) as conn:
                seen = {r["id"] for r in await conn.fetch(
                    "SELECT id FROM jobs WHERE id = ANY($1::uuid[])", list(ours))}
                elements = {r["job_id"] for r in await conn.fetch(
                    "SELECT job_id FROM elements WHERE job_id = ANY($1::uuid[])", list(ours))}
            assert (seen, elements) == (expected, expected), who
        async with acting_as(pool, Principal("anon", IP_A)) as conn:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute("SET LOCAL ROLE postgres")
    finally:
        await pool.close()
