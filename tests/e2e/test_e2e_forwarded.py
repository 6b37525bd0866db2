"""X-Forwarded-For from loopback, with VIDGEN_TRUSTED_PROXIES unset, is not believed.

The services run as processes (uvicorn, as deployed) on 127.0.0.1: a caller there who
claims another anonymous client's address must not read, list or cancel that client's
jobs, and the address recorded for it (job owner, security events, storage's access log)
is its own.
"""

from __future__ import annotations

from uuid import UUID, uuid4

import httpx

from tests.e2e.platform import Platform, tiny_spec

LOOPBACK = "127.0.0.1"


async def test_a_forwarded_address_from_loopback_counts_for_nothing(
        platform: Platform, photo_source: str) -> None:
    victim = f"203.0.113.{uuid4().int % 250 + 1}"
    [row] = await platform.query(  # an anonymous client's job, made from its own address
        "SELECT create_job('mp4', 64, 64, 30, $1::inet, 'victim', '{}') AS id", victim)
    other = str(row["id"])
    spoof = {"X-Forwarded-For": victim}
    prefix = f"vgk_{uuid4().hex[:8]}"
    async with httpx.AsyncClient(timeout=30, headers=spoof) as http:
        created = await http.post(f"{platform.api}/v1/jobs",
                                  json=tiny_spec(photo_source, response="async"))
        read = await http.get(f"{platform.api}/v1/jobs/{other}")
        listed = await http.get(f"{platform.api}/v1/jobs", params={"limit": 100})
        cancelled = await http.delete(f"{platform.api}/v1/jobs/{other}")
        unknown_key = await http.get(f"{platform.api}/v1/jobs",
                                     headers={"X-API-Key": f"{prefix}{'0' * 40}"})
        result = await http.get(f"{platform.storage}/v1/results/{other}")

    assert created.status_code == 202, created.text
    mine = await platform.job_row(created.json()["job_id"])
    assert mine is not None and str(mine["client_ip"]) == LOOPBACK
    assert read.status_code == 404
    assert listed.status_code == 200
    assert other not in {job["job_id"] for job in listed.json()["jobs"]}
    assert cancelled.status_code == 404
    victim_job = await platform.job_row(other)
    assert victim_job is not None and victim_job["status"] == "pending"
    assert unknown_key.status_code == 401
    [event] = await platform.query(
        "SELECT host(client_ip) AS ip FROM security_events "
        "WHERE event_type = 'unknown_api_key' AND details->>'prefix' = $1", prefix[:12])
    assert event["ip"] == LOOPBACK
    assert result.status_code == 404  # the job has no result yet; the access is logged
    logged = await platform.poll(
        lambda: platform.query("SELECT host(client_ip) AS ip FROM url_access_logs "
                               "WHERE job_id = $1", UUID(other)),
        bool, what="storage's access log of the result request")
    assert [entry["ip"] for entry in logged] == [LOOPBACK]
