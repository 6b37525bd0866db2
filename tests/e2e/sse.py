"""A small reader of `text/event-stream` responses for the tests (events and comments)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = ["Sse", "SseStream", "open_stream"]


@dataclass(frozen=True)
class Sse:
    event: str
    id: str | None
    data: Any


@dataclass
class SseStream:
    """Events as they arrive; `comments` counts keepalive comment lines. A timeout here
    fails the test (the line iterator is not usable after one)."""

    response: httpx.Response
    comments: int = 0
    received: list[Sse] = field(default_factory=list)
    _lines: AsyncIterator[str] | None = None
    _fields: dict[str, str] = field(default_factory=dict)

    async def _item(self, timeout: float) -> Sse | str | None:
        """The next event or comment; None when the server ended the stream."""
        if self._lines is None:
            self._lines = self.response.aiter_lines()
        try:
            async with asyncio.timeout(timeout):
                async for line in self._lines:
                    if line.startswith(":"):
                        self.comments += 1
                        return line
                    if line:
                        name, _, value = line.partition(":")
                        value = value.removeprefix(" ")
                        old = self._fields.get(name)
                        self._fields[name] = value if old is None else f"{old}\n{value}"
                    elif "data" in self._fields:
                        fields, self._fields = self._fields, {}
                        event = Sse(fields.get("event", "message"), fields.get("id"),
                                    json.loads(fields["data"]))
                        self.received.append(event)
                        return event
        except TimeoutError:
            raise AssertionError(f"nothing within {timeout:.1f}s after {self.received[-3:]}"
                                 ) from None
        return None

    async def next(self, timeout: float) -> Sse | None:
        """The next event (comments skipped), or None when the server ended the stream."""
        deadline = time.monotonic() + timeout
        while True:
            item = await self._item(max(0.01, deadline - time.monotonic()))
            if not isinstance(item, str):
                return item

    async def until(self, done: Callable[[Sse], bool], *, timeout: float,
                    what: str) -> list[Sse]:
        """Events up to and including the first one `done` accepts."""
        deadline = time.monotonic() + timeout
        events: list[Sse] = []
        while True:
            event = await self.next(max(0.01, deadline - time.monotonic()))
            assert event is not None, f"{what}: the stream ended first; got {events}"
            events.append(event)
            if done(event):
                return events

    async def rest(self, timeout: float) -> list[Sse]:
        """Every event until the server ends the stream."""
        deadline = time.monotonic() + timeout
        events: list[Sse] = []
        while (event := await self.next(max(0.01, deadline - time.monotonic()))) is not None:
            events.append(event)
        return events

    async def comment(self, timeout: float) -> None:
        """Wait for the next comment line (a keepalive), whatever events come meanwhile."""
        deadline = time.monotonic() + timeout
        while True:
            item = await self._item(max(0.01, deadline - time.monotonic()))
            assert item is not None, "the stream ended before a keepalive comment"
            if isinstance(item, str):
                return


@asynccontextmanager
async def open_stream(http: httpx.AsyncClient, url: str, last_event_id: str | None = None,
                      key: str | None = None) -> AsyncIterator[SseStream]:
    """A stream of `url` (as the holder of API `key`, if given)."""
    headers = {"Accept": "text/event-stream"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    if last_event_id is not None:
        headers["Last-Event-ID"] = last_event_id
    async with http.stream("GET", url, headers=headers,
                           timeout=httpx.Timeout(10.0, read=None)) as response:
        assert response.status_code == 200, (response.status_code, await response.aread())
        assert response.headers["content-type"].startswith("text/event-stream")
        yield SseStream(response)
