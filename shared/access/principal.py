"""Who is asking: the caller's role, API key and client IP, and the database transaction
that acts as them (``SET LOCAL ROLE`` + the ``vidgen.*`` settings the RLS policies read)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Final, Literal
from uuid import UUID

import asyncpg

from shared.forwarded import client_address

__all__ = ["DB_ROLES", "Principal", "Role", "acting_as", "as_service", "client_address",
           "log_event"]

Role = Literal["anon", "authenticated", "service_account", "admin"]
DB_ROLES: Final[dict[Role, str]] = {
    "anon": "vidgen_anon", "authenticated": "vidgen_authenticated",
    "service_account": "vidgen_service", "admin": "vidgen_admin",
}


@dataclass(frozen=True)
class Principal:
    role: Role
    client_ip: str | None
    key_id: UUID | None = None

    @property
    def rate_identifier(self) -> str:
        return f"key:{self.key_id}" if self.key_id else f"ip:{self.client_ip or 'unknown'}"

    @property
    def sees_everything(self) -> bool:
        return self.role in ("service_account", "admin")


@asynccontextmanager
async def acting_as(pool: asyncpg.Pool, who: Principal) -> AsyncIterator[Any]:
    """A transaction in which the database sees the caller: row-level security filters every
    query by its role, key and IP."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute(
            """SELECT set_config('role', $1, true), set_config('vidgen.role', $2, true),
                      set_config('vidgen.client_ip', $3, true),
                      set_config('vidgen.user_id', $4, true)""",
            DB_ROLES[who.role], who.role, who.client_ip or "",
            str(who.key_id) if who.key_id else "")
        yield conn


async def as_service(conn: Any) -> None:
    """Switch the rest of the transaction to the service role (bookkeeping after the caller's
    own access was checked under row-level security)."""
    await conn.execute("SELECT set_config('role', 'vidgen_service', true)")


async def log_event(pool: asyncpg.Pool, who: Principal, event: str, details: dict[str, Any],
                    severity: str = "warning") -> None:
    """Append to security_events as the caller (so it records their IP, key and role)."""
    async with acting_as(pool, who) as conn:
        await conn.execute("SELECT log_security_event($1, $2::text::jsonb, $3)", event,
                           json.dumps(details), severity)
