"""One job's event stream: its timeline steps and its status/progress, resumable anywhere.

Every event's `id:` is a cursor that says everything the client has been told, built only
from database values, so any replica can resume it (`Last-Event-ID`):

    <last row>:<open rows>:<state>      e.g. ``41:40:9c1e04d2ab``

- `last row`: the highest processing_timeline id sent. Rows of one job are written under
  the job's row lock (the projection locks it first), so they become visible in id order;
- `open rows`: rows sent while still running (no completed_at yet), dot-separated;
- `state`: a short hash of the job's visible state (status, step, progress, attempts,
  error) as last sent.

Catching up is one consistent read (a repeatable-read snapshot) compared with the cursor:
rows after `last row` are new steps, rows of `open rows` that have ended are finished
steps, a different state hash is a status or progress event. The stream does exactly that
on connect and again whenever a notification for its job arrives, so replay and live
updates are the same code: nothing is sent twice and nothing is skipped, whatever the order
notifications arrive in.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

import asyncpg
from sse_starlette import ServerSentEvent

from services.ingest import db
from services.ingest.responses import job_view, jsonable
from services.ingest.streams import Subscription

__all__ = ["Cursor", "JobStream"]

_TIMELINE = """
    SELECT id, step::text, attempt, worker_id, started_at, completed_at, duration_ms,
           success, progress, error_code, error_message
    FROM processing_timeline
    WHERE job_id = $1 AND (id > $2 OR id = ANY($3::bigint[]))
    ORDER BY id"""
_CLEANED = """
    SELECT EXISTS (SELECT 1 FROM processing_timeline
                   WHERE job_id = $1 AND step = 'cleanup' AND completed_at IS NOT NULL)"""


@dataclass(frozen=True)
class Cursor:
    last_row: int = 0
    open_rows: tuple[int, ...] = ()
    state: str = ""

    def encode(self) -> str:
        return f"{self.last_row}:{'.'.join(map(str, self.open_rows))}:{self.state}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor:
        """The cursor of a Last-Event-ID; an absent or unreadable one starts from scratch."""
        try:
            last, opened, state = (text or "").strip().split(":")
            rows = tuple(int(part) for part in opened.split(".") if part)
            if state and not state.isalnum():
                raise ValueError(state)
            return cls(int(last), rows, state)
        except ValueError:
            return cls()

    def with_row(self, row_id: int, ended: bool) -> Cursor:
        opened = [r for r in self.open_rows if r != row_id]
        if not ended:
            opened.append(row_id)
        return replace(self, last_row=max(self.last_row, row_id), open_rows=tuple(sorted(opened)))


def _state_hash(job: asyncpg.Record) -> str:
    visible = (job["status"], job["current_step"], job["progress_percentage"], job["attempts"],
               job["error_code"])
    return hashlib.sha1(repr(visible).encode(), usedforsecurity=False).hexdigest()[:10]


def step_data(job_id: UUID, row: asyncpg.Record) -> dict[str, Any]:
    data = {key: jsonable(value) for key, value in row.items()}
    ended = row["completed_at"] is not None
    data["state"] = ("completed" if row["success"] else "failed") if ended else "started"
    return {"job_id": str(job_id), **data}


def status_data(job: asyncpg.Record) -> dict[str, Any]:
    return {"job_id": str(job["id"]), "status": job["status"],
            "current_step": job["current_step"], "progress": job["progress_percentage"],
            "attempts": job["attempts"], "error_code": job["error_code"],
            "error_message": job["error_message"], "result_url": job["result_url"],
            "updated_at": jsonable(job["updated_at"])}


def _event(name: str, data: dict[str, Any], cursor: Cursor) -> ServerSentEvent:
    return ServerSentEvent(data=json.dumps(data), event=name, id=cursor.encode())


class JobStream:
    """The events of one job for one client, from `cursor` on, until the job has ended."""

    def __init__(self, pool: asyncpg.Pool, job_id: UUID, cursor: Cursor, *,
                 linger: float) -> None:
        self.pool = pool
        self.job_id = job_id
        self.cursor = cursor
        self.linger = linger
        self._status: str | None = None  # the status last sent on this connection
        self._job: asyncpg.Record | None = None
        self._cleaned = False

    async def _read(self) -> tuple[asyncpg.Record | None, list[asyncpg.Record], bool]:
        async with self.pool.acquire() as conn, conn.transaction(
                isolation="repeatable_read", readonly=True):
            job = await db.get_job(conn, self.job_id)
            rows = await conn.fetch(_TIMELINE, self.job_id, self.cursor.last_row,
                                    list(self.cursor.open_rows))
            cleaned = bool(await conn.fetchval(_CLEANED, self.job_id))
        return job, list(rows), cleaned

    async def catch_up(self) -> list[ServerSentEvent]:
        """What the client has not been told yet (and the cursor moved past it)."""
        job, rows, self._cleaned = await self._read()
        events: list[ServerSentEvent] = []
        for row in rows:
            ended = row["completed_at"] is not None
            known_open = row["id"] in self.cursor.open_rows
            if row["id"] <= self.cursor.last_row and not (known_open and ended):
                continue  # already sent in this state (a progress update of a running step)
            self.cursor = self.cursor.with_row(row["id"], ended)
            events.append(_event("step", step_data(self.job_id, row), self.cursor))
        if job is None:
            return events
        self._job = job
        state = _state_hash(job)
        if state != self.cursor.state:
            self.cursor = replace(self.cursor, state=state)
            name = "progress" if job["status"] == self._status else "status"
            self._status = job["status"]
            events.append(_event(name, status_data(job), self.cursor))
        return events

    def _ended(self) -> bool:
        return self._job is None or self._job["status"] in db.TERMINAL

    def _settled(self) -> bool:
        """Ended, and no step is still to be reported: every row closed, and a completed
        job's cleanup (which storage records after the completion) is done."""
        if self._job is None:
            return True
        return (self._ended() and not self.cursor.open_rows
                and (self._job["status"] != "completed" or self._cleaned))

    def _final(self) -> ServerSentEvent:
        data = job_view(self._job) if self._job is not None else {"job_id": str(self.job_id)}
        return _event("end", data, self.cursor)

    async def events(self, subscription: Subscription) -> AsyncIterator[ServerSentEvent]:
        """Replay, then live updates; ends with an `end` event once the job has ended and
        its last steps are in (or `linger` seconds after it ended, whichever is first)."""
        for event in await self.catch_up():
            yield event
        deadline: float | None = None
        while not self._settled():
            if deadline is None and self._ended():
                deadline = time.monotonic() + self.linger
            try:
                async with asyncio.timeout(None if deadline is None
                                           else max(0.0, deadline - time.monotonic())):
                    await subscription.wait()
            except TimeoutError:
                for event in await self.catch_up():
                    yield event
                break
            for event in await self.catch_up():
                yield event
        yield self._final()
