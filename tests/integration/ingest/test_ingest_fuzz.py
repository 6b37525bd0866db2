"""Schemathesis against ingest's own OpenAPI schema: generated requests (valid and not) to
every operation of a real ingest app on a loopback port, with real Postgres and broker.
Whatever comes in, the answer is never a 5xx."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import hypothesis
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, given

from shared.testing.brokers import free_ports
from tests.integration.ingest.harness import Ingest, eventually

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.slow,
              pytest.mark.timeout(240)]

EXAMPLES_PER_OPERATION = 90


def _fuzz(raw_schema: dict[str, Any], base_url: str) -> Counter[int]:
    """Runs in a thread (the app serves on the test's event loop): every operation gets
    EXAMPLES_PER_OPERATION generated requests; returns how many of each status."""
    schema = schemathesis.openapi.from_dict(raw_schema)
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis.settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                             suppress_health_check=list(HealthCheck), derandomize=True)
        def check(case: Any) -> None:
            response = case.call(base_url=base_url, timeout=30)
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                failures.append(f"{case.as_curl_command()} -> {response.status_code}: "
                                f"{response.text[:300]}")
            assert response.status_code < 500

        try:
            check()
        except AssertionError:
            break
    assert not failures, "\n".join(failures[:5])
    return statuses


async def test_no_generated_request_gets_a_server_error(ingest: Ingest) -> None:
    (port,) = free_ports(1)
    server = uvicorn.Server(uvicorn.Config(ingest.app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    service = ingest.app.state.service
    wait = service.settings.immediate_wait
    service.settings.immediate_wait = 0.1  # generated "immediate" jobs never render here
    try:
        await eventually(lambda: asyncio.sleep(0, server.started), what="the server")
        schema = ingest.app.openapi()
        statuses = await asyncio.to_thread(_fuzz, schema, f"http://127.0.0.1:{port}")
    finally:
        service.settings.immediate_wait = wait
        server.should_exit = True
        await task
    print("statuses of generated requests:", dict(sorted(statuses.items())))
    assert sum(statuses.values()) >= 1000, statuses
    assert not [code for code in statuses if code >= 500], statuses
    assert {200, 404, 422} <= set(statuses), statuses  # it reached the handlers, not only auth
