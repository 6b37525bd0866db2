"""One ingest service for the whole package, in-process, on the session's real Postgres,
broker and S3 (moto).

Consumer groups join once (slow on Tansu), so the app, its database (a clone of the
migrated template) and a test producer live as long as the package; every test works on
jobs of its own. Tests run on the package's event loop (`pytestmark` in each module).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from uuid import uuid4

import asyncpg
import httpx
import pytest
import pytest_asyncio
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route

from services.ingest.app import create_app
from services.ingest.settings import IngestSettings
from shared.db.login import service_url
from shared.kafka import make_broker
from shared.s3 import ensure_bucket, s3_client
from shared.settings import ReliabilitySettings
from shared.testing.brokers import RunningBroker, free_ports
from shared.testing.s3 import RunningS3
from tests.fixtures.postgres import with_database
from tests.integration.ingest.harness import IMMEDIATE_WAIT, SECRET, Hooks, Ingest, eventually


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def ingest_dsn(postgres_dsn: str, migrated_template: str) -> AsyncIterator[str]:
    name = f"vidgen_ingest_{uuid4().hex[:12]}"
    admin = await asyncpg.connect(postgres_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}" '
                            "STRATEGY FILE_COPY")
    finally:
        await admin.close()
    try:
        yield with_database(postgres_dsn, name)
    finally:
        admin = await asyncpg.connect(postgres_dsn)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def hooks() -> AsyncIterator[Hooks]:
    (port,) = free_ports(1)
    receiver = Hooks(url=f"http://127.0.0.1:{port}")
    app = Starlette(routes=[Route("/{path:path}", receiver.endpoint, methods=["POST"])])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    task = asyncio.create_task(server.serve())
    await eventually(lambda: asyncio.sleep(0, server.started), what="the webhook receiver")
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task


@pytest_asyncio.fixture(scope="package", loop_scope="package")
async def ingest(ingest_dsn: str, kafka_broker: RunningBroker, s3_server: RunningS3,
                 hooks: Hooks) -> AsyncIterator[Ingest]:
    settings = IngestSettings(  # the services' own login: row-level security applies
        database_url=service_url(ingest_dsn), kafka_bootstrap_servers=kafka_broker.bootstrap,
        kafka_idempotence=kafka_broker.kind != "tansu",  # Tansu has no InitProducerId
        topic_prefix=f"test-ingest-{uuid4().hex[:10]}", topic_partitions=2,
        s3_endpoint_url=s3_server.endpoint, s3_bucket="vidgen-ingest-test",
        webhook_secret=SECRET, fetch_allowed_hosts=hooks.url.removeprefix("http://"),
        immediate_wait=IMMEDIATE_WAIT, max_attempts=2, instance_id="ingest-test",
        render_urls="",  # no render workers: previews answer 503 (e2e renders them)
    )
    suffix = uuid4().hex[:8]
    with pytest.MonkeyPatch.context() as patch:
        for name, value in s3_server.env.items():
            if name != "S3_ENDPOINT_URL":
                patch.setenv(name, value)
        for name in ("VIDGEN_RATE_LIMIT", "VIDGEN_READ_RATE_LIMIT"):  # tests change them
            patch.setenv(name, "1000000")
        async with s3_client(settings, ReliabilitySettings()) as s3:
            await ensure_bucket(s3, settings.s3_bucket)
        app = create_app(settings, intake_group=f"ingest-intake-{suffix}",
                         projection_group=f"ingest-projection-{suffix}")
        producer = make_broker(settings, "ingest-test-producer")
        pool = await asyncpg.create_pool(ingest_dsn, min_size=1, max_size=4)
        assert pool is not None
        async with app.router.lifespan_context(app):
            await producer.connect()
            transport = httpx.ASGITransport(app=app)
            try:
                async with httpx.AsyncClient(transport=transport,
                                             base_url="http://ingest") as client:
                    yield Ingest(settings, client, pool, producer, hooks, app)
            finally:
                await producer.stop()
                await pool.close()
