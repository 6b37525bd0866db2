"""Two render workers share the work: across a handful of jobs both of them render."""

from __future__ import annotations

import asyncio

import httpx

from tests.e2e.platform import Platform, tiny_spec

_RENDER_STEPS = ("processing", "composition", "encoding")


async def _submit_batch(platform: Platform, http: httpx.AsyncClient, source: str,
                        count: int) -> list[str]:
    answers = await asyncio.gather(*(
        http.post(f"{platform.api}/v1/jobs",
                  json=tiny_spec(source, duration=1.0, response="async"))
        for _ in range(count)))
    assert all(answer.status_code == 202 for answer in answers), [a.text for a in answers]
    job_ids = [answer.json()["job_id"] for answer in answers]
    statuses = await asyncio.gather(*(platform.finished_job(http, job) for job in job_ids))
    assert [status["status"] for status in statuses] == ["completed"] * count, statuses
    return job_ids


async def _workers(platform: Platform, job_ids: list[str]) -> set[str]:
    """Who ran the render steps of these jobs (processing_timeline.worker_id)."""
    rows = await platform.query(
        "SELECT DISTINCT worker_id FROM processing_timeline WHERE job_id = ANY($1::uuid[]) "
        "AND step::text = ANY($2::text[]) AND worker_id IS NOT NULL", job_ids, _RENDER_STEPS)
    return {row["worker_id"] for row in rows}


async def test_two_render_workers_both_render(platform: Platform, photo_source: str):
    """Jobs land on render partitions by job id; six jobs miss one of two workers with
    probability 1/32, so a second batch is sent only then (both batches: 1/2048)."""
    async with httpx.AsyncClient(timeout=30) as http:
        job_ids = await _submit_batch(platform, http, photo_source, 6)
        if len(await _workers(platform, job_ids)) < 2:
            job_ids += await _submit_batch(platform, http, photo_source, 6)
    workers = await _workers(platform, job_ids)
    # the dev stack names each worker's instance after its process
    assert workers == {"dev-render-1", "dev-render-2"}, platform.log_tail()
