"""The admin stream: status and progress changes of every job, as they are committed.

Its `id:` is a high-water mark: the largest `jobs.updated_at` sent, in microseconds since
the epoch (a database value, so any replica resumes it). A fresh connection starts with a
snapshot of the active (pending or processing) jobs; one that resumes with `Last-Event-ID`
first gets every job changed after the mark, then live notifications. Per job, a change not
newer than the one last sent is dropped, so replay and live updates do not repeat each other.
`updated_at` is the time of the writing transaction's start; a change whose transaction
started before, but committed after, the mark a client resumes from is folded into that
job's next change (the admin stream is a dashboard feed; one job's own stream is exact).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from sse_starlette import ServerSentEvent

from services.ingest.responses import jsonable
from services.ingest.streams import Notice, Subscription

__all__ = ["AdminStream", "decode_mark"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_REMEMBERED = 10_000  # jobs whose last sent change is remembered (for de-duplication)
_COLUMNS = """id, status::text, current_step::text, progress_percentage, error_code,
              updated_at"""
_ACTIVE = f"""SELECT {_COLUMNS} FROM jobs WHERE status IN ('pending', 'processing')
              ORDER BY updated_at, id"""
_CHANGED = f"SELECT {_COLUMNS} FROM jobs WHERE updated_at > $1 ORDER BY updated_at, id"


def _micros(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(microseconds=1)


def decode_mark(text: str | None) -> datetime | None:
    """The high-water mark of a Last-Event-ID; None (start from a snapshot) if unreadable."""
    try:
        return _EPOCH + timedelta(microseconds=int((text or "").strip()))
    except (ValueError, OverflowError):
        return None


class AdminStream:
    def __init__(self, pool: asyncpg.Pool, mark: datetime | None) -> None:
        self.pool = pool
        self.mark = mark
        self._sent: OrderedDict[str, datetime] = OrderedDict()

    def _event(self, name: str, data: dict[str, Any], at: datetime) -> ServerSentEvent | None:
        job_id = str(data["job_id"])
        last = self._sent.get(job_id)
        if last is not None and at <= last:
            return None
        self._sent[job_id] = at
        self._sent.move_to_end(job_id)
        while len(self._sent) > _REMEMBERED:
            self._sent.popitem(last=False)
        self.mark = at if self.mark is None else max(self.mark, at)
        return ServerSentEvent(data=json.dumps(data), event=name,
                               id=str(_micros(self.mark)))

    async def _replay(self) -> list[ServerSentEvent]:
        if self.mark is None:
            rows = await self.pool.fetch(_ACTIVE)
        else:
            rows = await self.pool.fetch(_CHANGED, self.mark)
        events = []
        for row in rows:
            data = {"job_id": str(row["id"]), "status": row["status"],
                    "current_step": row["current_step"],
                    "progress": row["progress_percentage"], "error_code": row["error_code"],
                    "updated_at": jsonable(row["updated_at"])}
            event = self._event("status", data, row["updated_at"])
            if event is not None:
                events.append(event)
        return events

    def _live(self, notice: Notice) -> ServerSentEvent | None:
        payload = notice.data
        try:
            at = datetime.fromisoformat(str(payload["updated_at"]))
        except (KeyError, ValueError):
            return None
        data = {"job_id": str(notice.job_id), "status": payload.get("status"),
                "current_step": payload.get("current_step"),
                "progress": payload.get("progress_percentage"),
                "error_code": payload.get("error_code"), "updated_at": at.isoformat()}
        return self._event(str(payload.get("event", "status")), data, at)

    async def events(self, subscription: Subscription) -> AsyncIterator[ServerSentEvent]:
        for event in await self._replay():
            yield event
        while True:
            notices, stale = await subscription.wait()
            for notice in notices:
                live = self._live(notice)
                if live is not None:
                    yield live
            if stale:  # notifications may be missing: read what changed since the mark
                for event in await self._replay():
                    yield event
