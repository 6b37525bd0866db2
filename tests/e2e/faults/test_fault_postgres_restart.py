"""Postgres restarts mid-pipeline: the services wait it out and recover (pools reconnect, the
outbox relay and the listeners come back); no job is lost, none is left in processing."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from uuid import uuid4

import httpx
import pytest
import pytest_asyncio

from shared.db.embedded import EmbeddedPostgres
from shared.testing.brokers import RunningBroker
from shared.testing.s3 import RunningS3
from tests.e2e.faults.stack import fault_stack, text_spec
from tests.fixtures.postgres import _create_database, with_database

pytestmark = [pytest.mark.faults, pytest.mark.timeout(480)]

JOBS = 10
OUTAGE = 6.0  # seconds the server is down


@pytest_asyncio.fixture
async def own_postgres() -> AsyncIterator[tuple[EmbeddedPostgres, str]]:
    """A server of this test's own (it gets restarted) and an empty database on it."""
    server = EmbeddedPostgres(settings={"autovacuum": "off"})
    admin = await asyncio.to_thread(server.start)
    name = f"vidgen_pg_restart_{uuid4().hex[:8]}"
    await _create_database(admin, name)
    try:
        yield server, with_database(admin, name)
    finally:
        await asyncio.to_thread(server.stop)


async def test_a_postgres_restart_mid_pipeline_loses_no_job(
    own_postgres: tuple[EmbeddedPostgres, str], kafka_broker: RunningBroker,
    e2e_s3: RunningS3, tmp_path,
) -> None:
    server, database = own_postgres
    async with fault_stack(tmp_path / "stack", database=database,
                           bootstrap=kafka_broker.bootstrap, broker_kind=kafka_broker.kind,
                           s3_env=e2e_s3.env) as platform:
        async with httpx.AsyncClient(timeout=30) as http:
            spec = text_spec("pg", width=320, height=180, duration=20, preset="veryslow",
                             fps=25)
            jobs = [await platform.submit(http, spec) for _ in range(JOBS)]
        in_flight = await platform.wait_in_flight()
        before = Counter((await platform.statuses(jobs)).values())
        down = time.monotonic()
        await asyncio.to_thread(server.halt)
        await asyncio.sleep(OUTAGE)  # the outage itself, not a synchronisation
        await asyncio.to_thread(server.resume)
        back = time.monotonic()
        await platform.wait_finished(jobs, timeout=300)
        recovered = time.monotonic() - back
        platform.stack.check()  # no service died of it
        await platform.assert_exactly_once(jobs)
        stuck = await platform.query("SELECT count(*) AS n FROM jobs WHERE status = 'processing'")
        assert stuck[0]["n"] == 0
        print(f"\nPostgres down {back - down:.1f}s with {in_flight} jobs processing "
              f"({dict(before)}); all {JOBS} completed once, {recovered:.1f}s after it was back")
