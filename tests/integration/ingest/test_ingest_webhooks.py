"""Completion webhooks: signed, retried, delivered to a loopback receiver."""

from __future__ import annotations

import asyncio
import errno
import hashlib
import hmac
import json
import socket
import time
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import pytest
from prometheus_client import REGISTRY

from shared.events import JobCompleted, JobFailed, StepChanged
from tests.integration.ingest.harness import SECRET, Ingest, eventually

pytestmark = [pytest.mark.asyncio(loop_scope="package"), pytest.mark.timeout(60)]


async def job_with_callback(ingest: Ingest, path: str, base: str | None = None) -> UUID:
    answer = await ingest.client.post("/v1/jobs", json={
        "elements": [{"type": "image", "source": "https://media.example.com/a.png"}],
        "response": "async", "callback_url": (base or ingest.hooks.url) + path,
        "metadata": {"order": "A-1"},
    })
    assert answer.status_code == 202, answer.text
    return UUID(answer.json()["job_id"])


def verified(headers: dict[str, str], body: bytes) -> dict[str, Any]:
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["x-vidgen-signature"] == f"sha256={expected}"
    assert abs(int(headers["x-vidgen-timestamp"]) - time.time()) < 60
    assert headers["content-type"] == "application/json"
    payload: dict[str, Any] = json.loads(body)
    return payload


async def test_completion_is_posted_signed_after_retries(ingest: Ingest) -> None:
    path = f"/done-{uuid4().hex}"
    ingest.hooks.fail_first[path] = 2  # two 503s, then accepted
    job_id = await job_with_callback(ingest, path)
    event = JobCompleted(job_id=job_id, producer="storage",
                         result_url=f"http://results.test/v1/results/{job_id}", bucket="vidgen",
                         key="videos/x.mp4", file_size=777, duration=3.5)
    await ingest.publish(ingest.settings.topics.events, event)

    calls = await eventually(
        lambda: _calls(ingest, path, 3), timeout=30, what="three delivery attempts")
    payloads = [verified(headers, body) for headers, body in calls]
    assert payloads[0] == payloads[-1]
    assert len({headers["x-vidgen-delivery"] for headers, _ in calls}) == 1
    assert payloads[-1] == {
        "event": "job.completed", "job_id": str(job_id), "status": "completed",
        "result_url": event.result_url, "file_size": 777, "duration": 3.5,
        "poster_url": None, "metadata": {"order": "A-1"},
        "occurred_at": event.occurred_at.isoformat(),
    }
    assert calls[-1][0]["x-vidgen-event"] == "job.completed"


async def test_failure_is_posted_once(ingest: Ingest) -> None:
    path = f"/failed-{uuid4().hex}"
    job_id = await job_with_callback(ingest, path)
    events = ingest.settings.topics.events
    await ingest.publish(events, StepChanged(job_id=job_id, step="encoding", state="started",
                                             producer="render"))
    failed = JobFailed(job_id=job_id, step="encoding", producer="render",
                       error_code="ffmpeg_error", error_message="exit 1", status="timeout")
    await ingest.publish(events, failed)
    await ingest.publish(events, failed)  # redelivered: no second webhook
    (headers, body), = await eventually(lambda: _calls(ingest, path, 1), what="the webhook")
    payload = verified(headers, body)
    assert (payload["status"], payload["error_code"], payload["step"]) == (
        "timeout", "ffmpeg_error", "encoding")
    job = await ingest.job(job_id)
    assert job is not None
    assert job["status_text"] == "timeout"
    # a later event of the job has been handled, so the duplicate was too
    marker = StepChanged(job_id=job_id, step="cleanup", state="completed", producer="storage")
    await ingest.publish(events, marker)
    await eventually(lambda: ingest.pool.fetchval(
        "SELECT count(*) FROM processed_events WHERE event_id = $1", marker.event_id),
        what="the later event")
    assert len(ingest.hooks.calls(path)) == 1


async def _calls(ingest: Ingest, path: str, count: int) -> list[tuple[dict[str, str], bytes]]:
    calls = ingest.hooks.calls(path)
    return calls if len(calls) >= count else []


def _outcomes() -> float:
    return sum(REGISTRY.get_sample_value("vidgen_webhook_deliveries_total",
                                         {"outcome": outcome}) or 0.0
               for outcome in ("delivered", "refused", "failed"))


async def test_a_rebinding_callback_host_never_reaches_loopback(
        ingest: Ingest, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the callback's name answers a public address first and loopback
    after that. The service resolves once per attempt and connects to what it checked, so
    the loopback receiver is never reached (checking one answer and letting the HTTP client
    resolve again would POST to it)."""
    port = urlsplit(ingest.hooks.url).port
    assert port is not None
    name = f"rebind-{uuid4().hex[:8]}.test"
    public = "93.184.215.14"
    lookups: list[str] = []
    connections: list[tuple[str, int]] = []
    loop_class = asyncio.base_events.BaseEventLoop
    getaddrinfo, connect = loop_class.getaddrinfo, loop_class.create_connection

    async def rebinding(self: Any, host: Any, *args: Any, **kwargs: Any) -> Any:
        asked = host.decode() if isinstance(host, bytes) else str(host)  # anyio asks in bytes
        if asked != name:
            return await getaddrinfo(self, host, *args, **kwargs)
        lookups.append(asked)
        address = public if len(lookups) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]

    async def guarded(self: Any, factory: Any, host: Any = None, port_: Any = None,
                      *args: Any, **kwargs: Any) -> Any:
        if port_ == port:  # the receiver's port: other connections (Kafka) are not ours
            connections.append((str(host), int(port_)))
        if host == public:  # never leaves the machine: as if the network were down
            raise OSError(errno.ENETUNREACH, "network unreachable (test)")
        return await connect(self, factory, host, port_, *args, **kwargs)

    monkeypatch.setattr(loop_class, "getaddrinfo", rebinding)
    monkeypatch.setattr(loop_class, "create_connection", guarded)
    path = f"/rebind-{uuid4().hex}"
    before = _outcomes()
    job_id = await job_with_callback(ingest, path, base=f"http://{name}:{port}")
    event = JobCompleted(job_id=job_id, producer="storage",
                         result_url=f"http://results.test/v1/results/{job_id}", bucket="vidgen",
                         key="videos/x.mp4", file_size=1, duration=1.0)
    await ingest.publish(ingest.settings.topics.events, event)
    await eventually(lambda: asyncio.sleep(0, _outcomes() > before), timeout=40,
                     what="the webhook's outcome")
    assert len(lookups) >= 2, "the name was asked again, and answered loopback"
    assert ingest.hooks.calls(path) == []
    assert ("127.0.0.1", port) not in connections, connections
    assert connections and set(connections) <= {(public, port)}, connections
