"""Server-sent events: one job's steps and status (`/v1/jobs/{id}/events`, also at the
earlier version's `/api/v1/video/job/{id}/subscribe`), and every job's status and progress
for operators (`/v1/events`).

Both are fed by the process's NotificationHub (Postgres LISTEN/NOTIFY, so a change written
by any replica reaches clients of every replica) and resume from `Last-Event-ID` on any
replica (see job_events and admin_events for the id schemes). Idle streams get a keepalive
comment every VIDGEN_SSE_KEEPALIVE seconds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import APIRouter, Depends, Header, Request
from sse_starlette import EventSourceResponse, ServerSentEvent

from services.ingest.admin_events import AdminStream, decode_mark
from services.ingest.auth import AdminCaller, Caller
from services.ingest.job_events import Cursor, JobStream
from services.ingest.routes import ServiceDep, parse_id
from services.ingest.settings import IngestSettings
from services.ingest.streams import NotificationHub

__all__ = ["require_admin", "router"]

router = APIRouter(tags=["events"])
LastEventId = Annotated[str | None, Header(alias="Last-Event-ID", max_length=4096)]
_STREAM = {"description": "`text/event-stream`", "content": {"text/event-stream": {}}}


async def require_admin(who: AdminCaller) -> None:
    """Who may watch every job's events: admin API keys only (401/403 otherwise, see
    services.ingest.auth)."""


def _hub(request: Request) -> NotificationHub:
    hub: NotificationHub = request.app.state.hub
    return hub


def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


def _settings(request: Request) -> IngestSettings:
    settings: IngestSettings = request.app.state.settings
    return settings


def _response(request: Request, events: AsyncIterator[ServerSentEvent]) -> EventSourceResponse:
    # no-transform / X-Accel-Buffering: proxies must pass events on as they come
    return EventSourceResponse(events, ping=_settings(request).sse_keepalive,
                               headers={"Cache-Control": "no-cache, no-transform",
                                        "X-Accel-Buffering": "no"})


@router.get("/v1/jobs/{job_id}/events", response_class=EventSourceResponse, responses={
    200: _STREAM, 404: {"description": "No such job"}})
@router.get("/api/v1/video/job/{job_id}/subscribe", response_class=EventSourceResponse,
            tags=["compatibility"], responses={200: _STREAM, 404: {"description": "No such job"}})
async def job_events(job_id: str, request: Request, service: ServiceDep, who: Caller,
                     last_event_id: LastEventId = None) -> EventSourceResponse:
    """A job's timeline steps (`step`), status and progress (`status`, `progress`), then
    `end` with the job once it has ended. Resumes after `Last-Event-ID`."""
    job = await service.get(parse_id(job_id), who)  # the access check of GET /v1/jobs/{id}
    stream = JobStream(_pool(request), job["id"], Cursor.decode(last_event_id),
                       linger=_settings(request).sse_linger)
    return _response(request, _job_events(_hub(request), job["id"], stream))


async def _job_events(hub: NotificationHub, job_id: UUID,
                      stream: JobStream) -> AsyncIterator[ServerSentEvent]:
    with hub.subscribe(job_id) as subscription:  # before the first read: nothing falls between
        async for event in stream.events(subscription):
            yield event


@router.get("/v1/events", response_class=EventSourceResponse, responses={200: _STREAM},
            dependencies=[Depends(require_admin)])
async def all_events(request: Request,
                     last_event_id: LastEventId = None) -> EventSourceResponse:
    """Status and progress of every job (`created`, `status`, `progress`): first the active
    jobs (or, with `Last-Event-ID`, every change since), then changes as they happen."""
    stream = AdminStream(_pool(request), decode_mark(last_event_id))
    return _response(request, _admin_events(_hub(request), stream))


async def _admin_events(hub: NotificationHub,
                        stream: AdminStream) -> AsyncIterator[ServerSentEvent]:
    with hub.subscribe(None, ("job_status",)) as subscription:
        async for event in stream.events(subscription):
            yield event
