"""Authentication and rate limiting of the HTTP API, as FastAPI dependencies.

``Caller`` (reads) and ``Creator`` (job creation) resolve the request's Principal through
the gate every public API shares (`shared.access.gate`): an API key (``Authorization:
Bearer <key>`` or ``X-API-Key``) or, without one, anon known by client IP; 401 for an
unknown or revoked key, 429 with Retry-After over the limit, X-RateLimit-* headers on every
limited response. ``AdminCaller`` additionally requires the admin role (403 otherwise).
"""

from __future__ import annotations

from typing import Annotated

import asyncpg
from fastapi import Depends, HTTPException, Request

from services.ingest.api_settings import ApiSettings
from services.ingest.service import IngestService
from shared.access.gate import Gate, caller_dependency
from shared.access.principal import Principal, log_event
from shared.access.rate_limits import Grant

__all__ = ["AdminCaller", "Caller", "Creator", "api_settings", "authenticate", "creations",
           "require_admin"]


def api_settings(request: Request) -> ApiSettings:
    settings: ApiSettings = request.app.state.service.api
    return settings


def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


def _gate(request: Request) -> Gate:
    service: IngestService = request.app.state.service
    return Gate(_pool(request), service.rate_limiter, service.api)


authenticate = caller_dependency(_gate)
"""The caller, without rate limiting."""


async def _reader(request: Request,
                  who: Annotated[Principal, Depends(authenticate)]) -> Principal:
    return await _gate(request).limit(request, who, "read",
                                      api_settings(request).read_rate_limit)


async def _creator(request: Request,
                   who: Annotated[Principal, Depends(authenticate)]) -> Principal:
    return await _gate(request).limit(request, who, "create", api_settings(request).rate_limit)


async def creations(request: Request, who: Principal, count: int) -> Grant:
    """Count `count` job creations of `who` at once (a batch's jobs, in order): how many
    of them, the first ones, are within VIDGEN_RATE_LIMIT."""
    return await _gate(request).limit_many(request, who, "create",
                                           api_settings(request).rate_limit, count)


async def require_admin(request: Request,
                        who: Annotated[Principal, Depends(_reader)]) -> Principal:
    """The caller, who must hold an admin key (403 and a security event otherwise)."""
    if who.role != "admin":
        await log_event(_pool(request), who, "admin_required",
                        {"method": request.method, "path": request.url.path})
        raise HTTPException(403, "this needs an admin API key")
    return who


Caller = Annotated[Principal, Depends(_reader)]
Creator = Annotated[Principal, Depends(_creator)]
AdminCaller = Annotated[Principal, Depends(require_admin)]
