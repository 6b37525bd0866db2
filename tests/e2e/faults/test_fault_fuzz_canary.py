"""Fuzz the whole running platform, then render a canary: generated raw JSON bodies (any
depth, any number as written, any unicode, bytes that are not UTF-8) go to `POST /v1/jobs`
of a stack of real processes. Every answer is 2xx or 4xx; every job that was accepted
reaches a final status (none is left pending or processing); and a canary job sent
afterwards renders end to end in about the time it took before the run.

Accepted jobs really render here, so the stack's job limits are small
(`VIDGEN_MAX_DURATION`): a generated duration past them is answered 422 like any other limit.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx
import hypothesis
import pytest
from hypothesis import HealthCheck, given

from shared.testing.brokers import RunningBroker
from shared.testing.s3 import RunningS3
from tests.e2e.faults.stack import FaultStack, fault_stack, text_spec
from tests.integration.ingest.raw_json import Body, raw_json

pytestmark = [pytest.mark.faults, pytest.mark.timeout(420)]

EXAMPLES = 250
FINAL = {"completed", "failed", "cancelled", "timeout"}


def _fuzz(api: str) -> tuple[Counter[int], list[str], list[str]]:
    """Runs in a thread: EXAMPLES generated bodies; (statuses, failures, accepted job ids)."""
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    accepted: list[str] = []
    with httpx.Client(base_url=api, timeout=30) as client:

        @given(body=raw_json())
        @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None,
                             suppress_health_check=list(HealthCheck), derandomize=True)
        def check(body: Body) -> None:
            answer = client.post("/v1/jobs", content=bytes(body),
                                 headers={"Content-Type": "application/json"})
            statuses[answer.status_code] += 1
            if 200 <= answer.status_code < 300:  # 202, or 200 when an "immediate" job ended
                accepted.append(answer.json()["job_id"])
            elif not 400 <= answer.status_code < 500:
                failures.append(f"{body!r} -> {answer.status_code}: {answer.text[:300]}")

        check()
    return statuses, failures, accepted


async def _canary(platform: FaultStack, http: httpx.AsyncClient, name: str) -> float:
    """Seconds from sending a small job to its completion, through every service."""
    started = time.monotonic()
    job = await platform.submit(http, text_spec(name, duration=1))
    statuses = await platform.wait_finished([job], timeout=120, interval=0.1)
    assert statuses[job] == "completed", (statuses, platform.log_tail())
    return time.monotonic() - started


async def test_fuzzed_platform_leaves_no_job_stuck_and_renders_a_canary_as_fast(
    fresh_database: str, kafka_broker: RunningBroker, e2e_s3: RunningS3, tmp_path,
) -> None:
    env = {"VIDGEN_MAX_DURATION": "3", "VIDGEN_RATE_LIMIT": "100000"}
    async with fault_stack(tmp_path / "stack", database=fresh_database,
                           bootstrap=kafka_broker.bootstrap, broker_kind=kafka_broker.kind,
                           s3_env=e2e_s3.env, render_workers=1,
                           extra_env=env) as platform, httpx.AsyncClient(timeout=30) as http:
        before = await _canary(platform, http, "canary before")
        statuses, failures, accepted = await asyncio.to_thread(_fuzz, platform.api)
        assert not failures, "\n".join(failures[:5])
        assert sum(statuses.values()) == EXAMPLES
        assert accepted and 422 in statuses, statuses  # some accepted (200 or 202), some refused
        ended = await platform.wait_finished(accepted, timeout=240)
        assert set(ended.values()) <= FINAL, Counter(ended.values())
        after = await _canary(platform, http, "canary after")
    print(f"\nfuzzed platform: {dict(sorted(statuses.items()))}, accepted jobs ended "
          f"{dict(Counter(ended.values()))}; canary {before:.2f} s before, {after:.2f} s after")
    assert after < 2 * before + 2.0, (before, after)
