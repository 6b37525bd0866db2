"""A fault-injecting HTTP proxy in front of an S3 endpoint (aiohttp, loopback, free port).

For each request it draws (seeded) whether to answer 503 (`error_share`), to stall it
(`stall_share`: hold it `stall_seconds`, then drop the connection) or to forward it as is.
`match` narrows the faults to requests whose path contains it (e.g. "staging/"). The
counters say what it did, so a test can prove the faults happened.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web

from shared.testing.brokers import free_ports

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


@dataclass
class Faults:
    error_share: float = 0.0
    stall_share: float = 0.0
    stall_seconds: float = 3.0
    match: str = ""
    seed: int = 7
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def draw(self, path: str) -> str:
        if self.match not in path:
            return "forward"
        roll = self._random.random()
        if roll < self.error_share:
            return "error"
        if roll < self.error_share + self.stall_share:
            return "stall"
        return "forward"


class S3FaultProxy:
    """`await start()`, point S3_ENDPOINT_URL at `url`, change `faults` at will, `stop()`."""

    def __init__(self, upstream: str, faults: Faults | None = None) -> None:
        self.upstream = upstream.rstrip("/")
        self.faults = faults or Faults()
        self.port = free_ports(1)[0]
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(auto_decompress=False)
        app = web.Application(client_max_size=1024**3)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        action = self.faults.draw(request.path_qs)
        self.faults.counts[action] += 1
        body = await request.read()
        if action == "error":
            return web.Response(status=503, content_type="application/xml", text=(
                "<Error><Code>ServiceUnavailable</Code>"
                "<Message>injected fault</Message></Error>"))
        if action == "stall":
            await asyncio.sleep(self.faults.stall_seconds)
            assert request.transport is not None
            request.transport.close()  # the client has timed out by now, or sees a reset
            return web.Response(status=503)
        assert self._session is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
        headers["Host"] = request.headers.get("Host", "")
        async with self._session.request(request.method, self.upstream + request.path_qs,
                                         headers=headers, data=body,
                                         allow_redirects=False) as upstream:
            payload = await upstream.read()
            reply = {k: v for k, v in upstream.headers.items() if k.lower() not in _HOP}
            if request.method == "HEAD":  # no body, but the size is the answer
                reply["Content-Length"] = upstream.headers.get("Content-Length", "0")
                return web.Response(status=upstream.status, headers=reply)
            return web.Response(status=upstream.status, headers=reply, body=payload)
