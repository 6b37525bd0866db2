"""Alert checks (stalled jobs, failure ratio) and data retention against a real database."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest
import pytest_asyncio

from services.metrics.alerts import AlertChecker, post_alert
from services.metrics.retention import run_retention
from services.metrics.settings import MetricsSettings

pytestmark = pytest.mark.timeout(60)


class Webhook:
    """A loopback HTTP server that records the JSON bodies POSTed to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}/alerts"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        self.bodies.append(json.loads(await reader.readexactly(length)))
        writer.write(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()


@pytest_asyncio.fixture
async def webhook() -> AsyncIterator[Webhook]:
    hook = Webhook()
    hook.server = await asyncio.start_server(hook._serve, "127.0.0.1", 0)
    try:
        yield hook
    finally:
        hook.server.close()
        await hook.server.wait_closed()


@pytest.fixture
def pool(db_pool: asyncpg.Pool) -> asyncpg.Pool:
    return db_pool


async def _job(db: asyncpg.Connection, **columns: Any) -> UUID:
    values = {"width": 640, "height": 360, **columns}
    names = ", ".join(values)
    params = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    job_id: UUID = await db.fetchval(
        f"INSERT INTO jobs ({names}) VALUES ({params}) RETURNING id", *values.values())
    return job_id


async def test_alerts_fire_once_and_resolve(db_dsn, db, pool, webhook) -> None:
    rules = MetricsSettings(database_url=db_dsn, instance_id="metrics-test", stall_after=600,
                            alert_webhook=webhook.url, alert_min_jobs=3, alert_failure_ratio=0.5,
                            alert_stalled_jobs=1)
    checker = AlertChecker(pool, rules)
    now = datetime.now(UTC)
    stalled = await _job(db, status="processing", started_at=now - timedelta(hours=1),
                         updated_at=now - timedelta(minutes=30))
    await _job(db, status="processing")  # recently updated: not stalled
    for status in ("failed", "timeout", "completed"):
        await _job(db, status=status, completed_at=now - timedelta(minutes=1))

    first = await checker.check()
    assert first is not None
    assert {a.name: (a.value, a.firing, a.changed) for a in first} == {
        "stalled_jobs": (1.0, True, True),
        "job_failure_ratio": (pytest.approx(2 / 3), True, True),
    }
    rows = await db.fetch("SELECT metric_name, metric_value, alert_threshold, is_alert, service "
                          "FROM system_metrics ORDER BY metric_name")
    assert [tuple(r) for r in rows] == [
        ("job_failure_ratio", pytest.approx(2 / 3), 0.5, True, "metrics"),
        ("stalled_jobs", 1.0, 1.0, True, "metrics"),
    ]
    assert sorted((b["alert"], b["status"]) for b in webhook.bodies) == [
        ("job_failure_ratio", "firing"), ("stalled_jobs", "firing")]

    await checker.check()  # still firing: stored, not notified again
    assert len(webhook.bodies) == 2
    assert await db.fetchval("SELECT count(*) FROM system_metrics WHERE is_alert") == 4

    await db.execute("UPDATE jobs SET status = 'completed' WHERE id = $1", stalled)
    third = await checker.check()
    assert third is not None
    assert {a.name: a.firing for a in third} == {"stalled_jobs": False, "job_failure_ratio": True}
    assert len(webhook.bodies) == 3
    assert (webhook.bodies[-1]["alert"], webhook.bodies[-1]["status"]) == ("stalled_jobs",
                                                                           "resolved")


async def test_a_dead_webhook_is_reported_not_raised() -> None:
    with socket.socket() as probe:  # a port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert not await post_alert(f"http://127.0.0.1:{port}/", {"alert": "x"}, timeout=2)
    assert not await post_alert("not a url", {"alert": "x"}, timeout=2)


async def test_retention_deletes_only_what_is_old(db, pool) -> None:
    old = datetime.now(UTC) - timedelta(days=8)
    await db.execute(
        "INSERT INTO system_metrics (metric_name, metric_value, recorded_at) "
        "VALUES ('old', 1, $1), ('recent', 1, now())", old)
    await db.execute("INSERT INTO processed_events (consumer, event_id, processed_at) "
                     "VALUES ('x', $1, now() - interval '15 days'), ('x', $2, now())",
                     uuid4(), uuid4())

    deleted = await run_retention(pool, MetricsSettings(), instance="metrics-test")
    assert deleted is not None
    assert (deleted["system_metrics"], deleted["processed_events"]) == (1, 1)
    names = {r["metric_name"] for r in await db.fetch("SELECT metric_name FROM system_metrics")}
    assert names == {"recent", "retention_deleted_rows"}
    assert await db.fetchval("SELECT count(*) FROM processed_events") == 1
    assert await db.fetchval(
        "SELECT metric_value FROM system_metrics WHERE metric_name = 'retention_deleted_rows' "
        "AND labels->>'table' = 'system_metrics'") == 1
