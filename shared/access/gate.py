"""The gate in front of every public write: who is calling, and how much of their quota is left.

Ingest (job creation, reads) and storage (asset uploads) answer the same way:
``Authorization: Bearer <key>`` or ``X-API-Key: <key>`` names an API key; without one the
caller is anon, known by client IP. An unknown or revoked key is 401; a caller over its
limit is 429 with ``Retry-After``. Every limited request, allowed or not, carries
``X-RateLimit-Limit`` (requests per window), ``X-RateLimit-Remaining`` and
``X-RateLimit-Reset`` (the Unix time the window ends), so clients can pace themselves
before they are refused. Refusals are written to security_events.

The counters live in Postgres (`rate_limits.RateLimiter`), so every replica of every
service counts against the same numbers.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Protocol

import asyncpg
from fastapi import HTTPException, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.access import keys
from shared.access.principal import Principal, client_address, log_event
from shared.access.rate_limits import Grant, RateLimiter, Verdict

__all__ = ["AccessSettings", "Gate", "GateSettings", "QuotaHeaders", "caller_dependency",
           "quota_headers"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_STATE_KEY = "vidgen_quota"

_bearer = HTTPBearer(auto_error=False, description="an API key: `Bearer vgk_...`")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="an API key")


class GateSettings(Protocol):
    @property
    def rate_window(self) -> int: ...

    @property
    def proxy_networks(self) -> tuple[Network, ...]: ...


class AccessSettings(BaseSettings):
    """The quota variables, read by services other than ingest (which has ApiSettings with
    the same names): one VIDGEN_RATE_LIMIT for job creations and asset uploads alike."""

    model_config = SettingsConfigDict(env_prefix="VIDGEN_", extra="ignore")

    rate_limit: int = Field(100, ge=0, description="writes per key/IP and window")
    rate_window: int = Field(3600, ge=1, description="seconds of one rate-limit window")
    trusted_proxies: str = Field(
        "", description="comma-separated CIDRs whose X-Forwarded-For is believed")

    @cached_property
    def proxy_networks(self) -> tuple[Network, ...]:
        return tuple(ipaddress.ip_network(part.strip(), strict=False)
                     for part in self.trusted_proxies.split(",") if part.strip())


def quota_headers(limit: int, verdict: Verdict) -> dict[str, str]:
    headers = {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(verdict.remaining),
               "X-RateLimit-Reset": str(verdict.reset_at)}
    if not verdict.allowed:
        headers["Retry-After"] = str(verdict.retry_after_seconds)
    return headers


@dataclass(frozen=True)
class Gate:
    pool: asyncpg.Pool
    limiter: RateLimiter
    settings: GateSettings

    async def identify(self, request: Request, bearer: HTTPAuthorizationCredentials | None,
                       header_key: str | None) -> Principal:
        """The caller, without rate limiting (401 for an unknown or revoked key)."""
        ip = client_address(request.client.host if request.client else None,
                            request.headers.get("x-forwarded-for"),
                            self.settings.proxy_networks)
        anon = Principal("anon", ip)
        presented = bearer.credentials if bearer else header_key
        if bearer is None and request.headers.get("authorization"):
            await self._reject(request, anon, "malformed_authorization", {})
        if not presented:
            return anon
        async with self.pool.acquire() as conn:
            stored = await keys.find_key(conn, presented)
        if stored is None:
            await self._reject(request, anon, "unknown_api_key", {"prefix": presented[:12]})
        assert stored is not None
        if stored.revoked_at is not None:
            await self._reject(request, anon, "revoked_api_key", {"key_id": str(stored.id)})
        return Principal(stored.role, ip, stored.id)

    async def _reject(self, request: Request, who: Principal, event: str,
                      details: dict[str, Any]) -> None:
        await log_event(self.pool, who, event,
                        {**details, "method": request.method, "path": request.url.path})
        raise HTTPException(401, "invalid or revoked API key",
                            headers={"WWW-Authenticate": 'Bearer realm="vidgen"'})

    async def limit(self, request: Request, who: Principal, kind: str, limit: int) -> Principal:
        """Count one `kind` request of `who` (429 over `limit`); the response gets the
        X-RateLimit-* headers either way (`QuotaHeaders`)."""
        window = self.settings.rate_window
        verdict = await self.limiter.consume(f"{kind}:{who.rate_identifier}", limit, window)
        headers = quota_headers(limit, verdict)
        request.scope.setdefault("state", {})[_STATE_KEY] = headers
        if not verdict.allowed:
            retry = verdict.retry_after_seconds
            await log_event(self.pool, who, "rate_limit_exceeded",
                            {"kind": kind, "limit": limit, "window_seconds": window,
                             "method": request.method, "path": request.url.path})
            raise HTTPException(429, f"rate limit of {limit} {kind} requests per "
                                     f"{window} s exceeded; retry in {retry} s",
                                headers=headers)
        return who

    async def limit_many(self, request: Request, who: Principal, kind: str, limit: int,
                         count: int) -> Grant:
        """Count `count` `kind` requests of `who` at once (a batch's jobs, in order): the
        first `granted` are within `limit`. The response gets the X-RateLimit-* headers
        (and Retry-After when some were refused); a refusal is one security event."""
        window = self.settings.rate_window
        grant = await self.limiter.consume_many(f"{kind}:{who.rate_identifier}", limit,
                                                window, count)
        request.scope.setdefault("state", {})[_STATE_KEY] = quota_headers(limit, grant.verdict)
        if grant.granted < count:
            await log_event(self.pool, who, "rate_limit_exceeded",
                            {"kind": kind, "limit": limit, "window_seconds": window,
                             "refused": count - grant.granted, "method": request.method,
                             "path": request.url.path})
        return grant


def caller_dependency(gate_of: Callable[[Request], Gate]
                      ) -> Callable[..., Awaitable[Principal]]:
    """A FastAPI dependency resolving the caller through the app's gate."""

    async def authenticate(
        request: Request,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
        header_key: Annotated[str | None, Security(_header)],
    ) -> Principal:
        return await gate_of(request).identify(request, bearer, header_key)

    return authenticate


class QuotaHeaders:
    """ASGI middleware: puts the X-RateLimit-* headers `Gate.limit` left in the request's
    state on its response (also on responses a route built itself)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                quota = scope.get("state", {}).get(_STATE_KEY)
                if quota:
                    headers = MutableHeaders(scope=message)
                    for name, value in quota.items():
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, sending)
