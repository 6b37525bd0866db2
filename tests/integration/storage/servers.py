"""Loopback HTTP servers for the fetcher tests: a media origin and a forbidden canary.

Both are real uvicorn servers on 127.0.0.1 (free ports), run in the test's event loop. The
origin serves files, chunked bodies, redirect chains, oversized and slow bodies, failures;
the canary only counts the requests that reach it, so a test can prove a refused address
was never contacted.
"""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import uvicorn

__all__ = ["Origin", "Servers", "running"]

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


async def _respond(send: Send, status: int, body: bytes = b"", *,
                   headers: list[tuple[bytes, bytes]] | None = None,
                   length: bool = True) -> None:
    head = list(headers or [])
    if length:
        head.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


class Origin:
    """The ASGI app of a test server. `hits` counts requests by path."""

    def __init__(self, files: dict[str, Path] | None = None) -> None:
        self.files = {name: path.read_bytes() for name, path in (files or {}).items()}
        self.hits: Counter[str] = Counter()
        self.hosts: list[str] = []
        self.flaky_failures = 2
        self.base = ""
        self.dripping = 0  # /drip/ responses whose client is still connected

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        query = {k: v[0] for k, v in parse_qs(scope["query_string"].decode()).items()}
        self.hits[path] += 1
        headers = dict(scope["headers"])
        self.hosts.append(headers.get(b"host", b"").decode())
        kind, _, rest = path.strip("/").partition("/")
        if kind == "drip":
            await self._drip(query, receive, send)
            return
        handler = getattr(self, f"_{kind.replace('-', '_')}", None)
        if handler is None:
            await _respond(send, 404, b"not found")
            return
        await handler(rest, query, send)

    async def _media(self, name: str, query: dict[str, str], send: Send) -> None:
        if name not in self.files:
            await _respond(send, 404, b"no such file")
            return
        ctype = query.get("type", "application/octet-stream").encode()
        await _respond(send, 200, self.files[name], headers=[(b"content-type", ctype)])

    async def _chunked(self, name: str, query: dict[str, str], send: Send) -> None:
        """The file with no Content-Length, in small pieces (chunked encoding)."""
        data = self.files[name]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for start in range(0, len(data), 4096):
            await send({"type": "http.response.body", "body": data[start:start + 4096],
                        "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    async def _redirect(self, hops: str, query: dict[str, str], send: Send) -> None:
        """/redirect/N?to=URL: N more hops through this server, then to URL."""
        left = int(hops or "0")
        target = query["to"] if left <= 1 else f"{self.base}/redirect/{left - 1}?to={query['to']}"
        await _respond(send, int(query.get("status", "302")),
                       headers=[(b"location", target.encode())])

    async def _big(self, size: str, query: dict[str, str], send: Send) -> None:
        """/big/N: N bytes of an mp4-looking body, with or without Content-Length."""
        total = int(size)
        announce = query.get("length", "1") == "1"
        head = [(b"content-length", str(total).encode())] if announce else []
        await send({"type": "http.response.start", "status": 200, "headers": head})
        chunk = b"\x00\x00\x00\x18ftypisom" + b"\x00" * 65524
        sent = 0
        while sent < total:
            piece = chunk[: min(len(chunk), total - sent)]
            sent += len(piece)
            await send({"type": "http.response.body", "body": piece, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    async def _slow(self, _: str, query: dict[str, str], send: Send) -> None:
        """A byte every `every` seconds for at most `seconds` (never idle long enough to
        trip an idle timeout, never done before a total one)."""
        every, seconds = float(query.get("every", "0.05")), float(query.get("seconds", "10"))
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for _ in range(int(seconds / every)):
            await send({"type": "http.response.body", "body": b"x", "more_body": True})
            await asyncio.sleep(every)
        await send({"type": "http.response.body", "body": b""})

    async def _drip(self, query: dict[str, str], receive: Receive, send: Send) -> None:
        """A byte every `every` seconds until the client goes away (`dripping` counts the
        connected ones)."""
        every = float(query.get("every", "1"))
        await receive()  # the (empty) request body
        await send({"type": "http.response.start", "status": 200, "headers": []})
        self.dripping += 1
        try:
            while True:
                await send({"type": "http.response.body", "body": b"x", "more_body": True})
                try:
                    async with asyncio.timeout(every):
                        if (await receive())["type"] == "http.disconnect":
                            return
                except TimeoutError:
                    continue
        finally:
            self.dripping -= 1

    async def _stall(self, _: str, query: dict[str, str], send: Send) -> None:
        """Headers, a few bytes, then silence for `seconds`."""
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"RIFF", "more_body": True})
        await asyncio.sleep(float(query.get("seconds", "5")))
        await send({"type": "http.response.body", "body": b""})

    async def _status(self, code: str, query: dict[str, str], send: Send) -> None:
        await _respond(send, int(code), f"status {code}".encode())

    async def _flaky(self, name: str, query: dict[str, str], send: Send) -> None:
        """503 for the first `flaky_failures` requests, then the file."""
        if self.hits[f"/flaky/{name}"] <= self.flaky_failures:
            await _respond(send, 503, b"try later")
            return
        await self._media(name, query, send)

    async def _text(self, name: str, query: dict[str, str], send: Send) -> None:
        bodies = {
            "page.html": b"<!doctype html><html><body>not a video</body></html>",
            "list.m3u8": b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/passwd\n",
        }
        await _respond(send, 200, bodies[name], headers=[(b"content-type", b"text/html")])

    async def _echo_host(self, _: str, query: dict[str, str], send: Send) -> None:
        await _respond(send, 200, self.hosts[-1].encode())


@dataclass
class Servers:
    origin: Origin
    origin_url: str
    canary: Origin
    canary_url: str

    @property
    def allowed(self) -> frozenset[str]:
        """Only the origin is allow-listed; the canary is an ordinary (refused) loopback."""
        return frozenset({self.origin_url.removeprefix("http://")})


@asynccontextmanager
async def running(app: Origin, tls: tuple[Path, Path] | None = None) -> AsyncIterator[str]:
    """Serve `app` on a free loopback port (https with `tls` = (cert, key)); yields its
    base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False,
                            timeout_graceful_shutdown=1,
                            ssl_certfile=str(tls[0]) if tls else None,
                            ssl_keyfile=str(tls[1]) if tls else None)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    deadline = asyncio.get_running_loop().time() + 10
    while not server.started:
        assert asyncio.get_running_loop().time() < deadline, "test server did not start"
        assert not task.done(), "test server exited"
        await asyncio.sleep(0.01)
    app.base = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    try:
        yield app.base
    finally:
        server.should_exit = True
        with suppress(asyncio.TimeoutError):
            await asyncio.wait_for(task, 5)
        sock.close()
