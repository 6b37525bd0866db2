"""Authentication and rate limiting of the HTTP API, as FastAPI dependencies.

``Caller`` (reads) and ``Creator`` (job creation) resolve the request's Principal:
``Authorization: Bearer <key>`` or ``X-API-Key: <key>`` names an API key (its role and
id); without one the caller is anon, known by client IP. An unknown or revoked key is 401;
a caller over its limit is 429 with Retry-After. Both are written to security_events.
``AdminCaller`` additionally requires the admin role (403 otherwise).
"""

from __future__ import annotations

from typing import Annotated, Any

import asyncpg
from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from services.ingest import keys
from services.ingest.api_settings import ApiSettings
from services.ingest.principal import Principal, client_address, log_event
from services.ingest.service import IngestService

__all__ = ["AdminCaller", "Caller", "Creator", "api_settings", "authenticate", "require_admin"]

_bearer = HTTPBearer(auto_error=False, description="an API key: `Bearer vgk_...`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="an API key")


def api_settings(request: Request) -> ApiSettings:
    settings: ApiSettings = request.app.state.service.api
    return settings


def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


async def authenticate(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    header_key: Annotated[str | None, Security(_header)],
) -> Principal:
    """The caller, without rate limiting."""
    settings = api_settings(request)
    ip = client_address(request.client.host if request.client else None,
                        request.headers.get("x-forwarded-for"), settings.proxy_networks)
    anon = Principal("anon", ip)
    presented = bearer.credentials if bearer else header_key
    if bearer is None and request.headers.get("authorization"):
        await _reject(request, anon, "malformed_authorization", {})
    if not presented:
        return anon
    pool = _pool(request)
    async with pool.acquire() as conn:
        stored = await keys.find_key(conn, presented)
    if stored is None:
        await _reject(request, anon, "unknown_api_key", {"prefix": presented[:12]})
    assert stored is not None
    if stored.revoked_at is not None:
        await _reject(request, anon, "revoked_api_key", {"key_id": str(stored.id)})
    return Principal(stored.role, ip, stored.id)


async def _reject(request: Request, who: Principal, event: str,
                  details: dict[str, Any]) -> None:
    await log_event(_pool(request), who, event,
                    {**details, "method": request.method, "path": request.url.path})
    raise HTTPException(401, "invalid or revoked API key",
                        headers={"WWW-Authenticate": 'Bearer realm="vidgen"'})


async def _limited(request: Request, who: Principal, kind: str, limit: int) -> Principal:
    settings = api_settings(request)
    pool = _pool(request)
    service: IngestService = request.app.state.service
    verdict = await service.rate_limiter.consume(f"{kind}:{who.rate_identifier}", limit,
                                                 settings.rate_window)
    if not verdict.allowed:
        retry = str(verdict.retry_after_seconds)
        await log_event(pool, who, "rate_limit_exceeded",
                        {"kind": kind, "limit": limit, "window_seconds": settings.rate_window,
                         "method": request.method, "path": request.url.path})
        raise HTTPException(429, f"rate limit of {limit} {kind} requests per "
                                 f"{settings.rate_window} s exceeded; retry in {retry} s",
                            headers={"Retry-After": retry})
    return who


async def _reader(request: Request,
                  who: Annotated[Principal, Depends(authenticate)]) -> Principal:
    return await _limited(request, who, "read", api_settings(request).read_rate_limit)


async def _creator(request: Request,
                   who: Annotated[Principal, Depends(authenticate)]) -> Principal:
    return await _limited(request, who, "create", api_settings(request).rate_limit)


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
