"""The dev stack with its own components (embedded Postgres, Tansu, moto) and stand-in
services: wiring, readiness, supervision and a complete stop.

The real services run under it in tests/e2e.
"""

from __future__ import annotations

import asyncio
import io
import os
import socket
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from shared.devstack import DevStack, ServicePorts
from shared.devstack.infra import Infrastructure

FAKE = str(Path(__file__).with_name("fake_service.py"))
_COMPONENT_VARS = ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "S3_ENDPOINT_URL",
                   "VIDGEN_TOPIC_PREFIX", "VIDGEN_KAFKA_IDEMPOTENCE")


def _fake(service: str) -> list[str]:
    return [sys.executable, FAKE, service]


def _clean_environ() -> dict[str, str]:
    """This process's environment without component URLs: the stack starts its own."""
    return {k: v for k, v in os.environ.items() if k not in _COMPONENT_VARS}


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


async def _topics(bootstrap: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def _migrations(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM schema_migrations"))
    finally:
        await conn.close()


def test_ports_from_a_base_match_the_settings_defaults():
    ports = ServicePorts.from_base(8000, render_workers=3)
    assert (ports.api, ports.storage, ports.render[0], ports.metrics) == (8000, 8001, 8002, 8003)
    assert ports.render == (8002, 8004, 8005)
    assert len(set(ServicePorts.free(2).all())) == 5
    with pytest.raises(ValueError, match="render worker"):
        ServicePorts.from_base(8000, render_workers=0)


@pytest.mark.timeout(120)
def test_stack_starts_components_and_services_and_stops_everything(tmp_path):
    output, announced = io.StringIO(), io.StringIO()
    stack = DevStack(ServicePorts.free(render_workers=2), environ=_clean_environ(),
                     workdir=tmp_path, output=output, announce=announced, command=_fake,
                     ready_timeout=60, grace=5)
    stack.start()
    try:
        names = [process.name for process in stack.processes]
        assert names == ["storage", "ingest", "metrics", "render-1", "render-2"]
        envs = {p.name: httpx.get(f"{p.ready_url.removesuffix('/readyz')}/env").json()
                for p in stack.processes}
        ingest = envs["ingest"]
        assert ingest["VIDGEN_API_PORT"] == str(stack.ports.api)
        assert ingest["VIDGEN_PUBLIC_URL"] == stack.api_url
        assert ingest["VIDGEN_RESULTS_URL"] == stack.storage_url
        assert ingest["VIDGEN_KAFKA_IDEMPOTENCE"] == "false"  # Tansu
        assert ingest["VIDGEN_KAFKA_FETCH_MAX_WAIT_MS"] == "20"  # Tansu holds idle fetches
        assert ingest["VIDGEN_API_HOST"] == "127.0.0.1"
        assert [envs[f"render-{i}"]["VIDGEN_RENDER_PORT"] for i in (1, 2)] == [
            str(port) for port in stack.ports.render]
        assert len({env["VIDGEN_INSTANCE_ID"] for env in envs.values()}) == 5
        # the components the stack started are real, and wired into every service
        # the services log in as vidgen_app; the migrations ran as the server's owner
        assert ingest["DATABASE_URL"].startswith("postgresql://vidgen_app@")
        owner_url = ingest["DATABASE_URL"].replace("vidgen_app@", "postgres@", 1)
        assert asyncio.run(_migrations(owner_url)) >= 9
        assert {"vidgen.requests", "vidgen.events", "vidgen.render", "vidgen.dlq"} <= (
            asyncio.run(_topics(ingest["KAFKA_BOOTSTRAP_SERVERS"])))
        s3 = httpx.get(ingest["S3_ENDPOINT_URL"])
        assert s3.status_code == 200 and "ListAllMyBucketsResult" in s3.text
        lines = output.getvalue().splitlines()
        assert f"[ingest] fake ingest on port {stack.ports.api}" in lines
        assert "[render-2] fake render stderr line" in lines
        assert "ingest ready" in announced.getvalue()
        assert set(stack.urls()) >= {"api", "storage", "metrics", "render-2 metrics"}
        # scaled out: one more ingest on its own port, on the same components
        (replica_port,) = ServicePorts.free(render_workers=1).render
        replica = stack.add_ingest(replica_port)
        assert replica.name == "ingest-2" and stack.processes[-1] is replica
        second = httpx.get(f"http://127.0.0.1:{replica_port}/env").json()
        assert second["VIDGEN_API_PORT"] == str(replica_port)
        assert second["VIDGEN_INSTANCE_ID"] == "dev-ingest-2"
        assert second["DATABASE_URL"] == ingest["DATABASE_URL"]
        assert second["KAFKA_BOOTSTRAP_SERVERS"] == ingest["KAFKA_BOOTSTRAP_SERVERS"]
        stack.check()
    finally:
        stack.stop()
    assert not _listening(replica_port)
    assert not any(_listening(port) for port in stack.ports.all())
    assert not _listening(int(ingest["S3_ENDPOINT_URL"].rsplit(":", 1)[1]))
    assert not _listening(int(ingest["KAFKA_BOOTSTRAP_SERVERS"].rsplit(":", 1)[1]))
    assert not Path(ingest["DATABASE_URL"].split("host=", 1)[1]).exists()


@pytest.mark.timeout(120)
def test_wait_returns_the_service_that_died_with_its_last_lines(tmp_path):
    output = io.StringIO()
    stack = DevStack(ServicePorts.free(), environ=_clean_environ(), workdir=tmp_path,
                     output=output, announce=io.StringIO(), command=_fake, grace=5)
    with stack:
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{stack.ports.metrics}/die", timeout=5)
        started = time.monotonic()
        died = stack.wait(interval=0.05)
        assert time.monotonic() - started < 10
        assert died.name == "metrics" and died.returncode == 3
        assert "fake service dying on request" in died.tail()
        others = [p for p in stack.processes if p is not died]
        assert all(p.running() for p in others)
    assert not any(p.running() for p in others)


def test_a_service_that_never_listens_fails_the_start_and_stops_the_rest(tmp_path):
    def ingest_crashes(service: str) -> list[str]:
        if service == "ingest":
            return [sys.executable, "-c", "print('ingest cannot start'); raise SystemExit(5)"]
        return _fake(service)

    stack = DevStack(ServicePorts.free(), environ=_clean_environ(), workdir=tmp_path,
                     output=io.StringIO(), announce=io.StringIO(), command=ingest_crashes,
                     ready_timeout=30, grace=5)
    with pytest.raises(RuntimeError, match="ingest exited with code 5") as caught:
        stack.start()
    assert "ingest cannot start" in str(caught.value)
    assert stack.processes == []
    assert not any(_listening(port) for port in stack.ports.all())


def test_external_components_are_used_as_given(tmp_path, postgres_dsn, kafka_bootstrap):
    """DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS / S3_ENDPOINT_URL: nothing is started."""
    from shared.db.login import service_url
    from tests.fixtures.postgres import with_database

    name = f"devstack_{os.getpid()}"
    dsn = with_database(postgres_dsn, name)

    async def admin(*statements: str) -> None:
        conn = await asyncpg.connect(postgres_dsn)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'))
    environ = {**_clean_environ(), "DATABASE_URL": dsn, "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
               "S3_ENDPOINT_URL": "http://127.0.0.1:1", "VIDGEN_TOPIC_PREFIX": "devstack-ext"}
    infra = Infrastructure(tmp_path, environ=environ, announce=lambda line: None)
    env = infra.start()
    try:
        assert env["DATABASE_URL"] == service_url(dsn)  # the services' login, same database
        assert env["S3_ENDPOINT_URL"] == "http://127.0.0.1:1"
        assert asyncio.run(_migrations(dsn)) >= 9
        assert "devstack-ext.render" in asyncio.run(_topics(kafka_bootstrap))
        assert list(tmp_path.iterdir()) == []  # no broker, no moto, no postgres of its own
    finally:
        infra.stop()
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
