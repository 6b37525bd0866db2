"""API keys: issued once in clear, stored only as a SHA-256 digest.

A key looks like ``vgk_<8 hex>_<43 url-safe chars>``: the ``vgk_<8 hex>`` part is kept in
clear (``key_prefix``) so that operators can tell keys apart in listings and logs; the rest
is 256 random bits. With that much entropy a plain SHA-256 is as good as a slow password
hash (there is nothing to guess), and it lets a request's key be found with one index
lookup. Management runs as ``vidgen_admin``, the only role allowed to write ``api_keys``.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal
from uuid import UUID

__all__ = ["KEY_ROLES", "IssuedKey", "KeyRole", "StoredKey", "create_key", "find_key",
           "hash_key", "list_keys", "new_key", "revoke_key"]

KeyRole = Literal["authenticated", "service_account", "admin"]
KEY_ROLES: Final[tuple[KeyRole, ...]] = ("authenticated", "service_account", "admin")
_SCHEME: Final = "vgk_"


def new_key() -> tuple[str, str]:
    """A fresh key and its visible prefix."""
    prefix = f"{_SCHEME}{secrets.token_hex(4)}"
    return f"{prefix}_{secrets.token_urlsafe(32)}", prefix


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(frozen=True)
class StoredKey:
    id: UUID
    prefix: str | None
    name: str
    role: KeyRole
    owner: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: Any) -> StoredKey:
        return cls(row["id"], row["key_prefix"], row["name"], row["role"], row["owner"],
                   row["created_at"], row["last_used_at"], row["revoked_at"])


@dataclass(frozen=True)
class IssuedKey:
    key: str  # shown once; never stored
    stored: StoredKey


_COLUMNS: Final = "id, key_prefix, name, role, owner, created_at, last_used_at, revoked_at"


async def _as_admin(conn: Any) -> None:
    await conn.execute("SELECT set_config('role', 'vidgen_admin', true)")


async def create_key(conn: Any, *, name: str, role: KeyRole, owner: str | None) -> IssuedKey:
    """Issue a key (inside the caller's transaction)."""
    await _as_admin(conn)
    key, prefix = new_key()
    row = await conn.fetchrow(
        f"""INSERT INTO api_keys (key_hash, key_prefix, name, role, owner)
            VALUES ($1, $2, $3, $4, $5) RETURNING {_COLUMNS}""",
        hash_key(key), prefix, name, role, owner)
    await conn.execute("SELECT log_security_event('api_key_created', $1::text::jsonb, 'info')",
                       json.dumps({"key_id": str(row["id"]), "role": role, "name": name}))
    return IssuedKey(key, StoredKey.of(row))


async def list_keys(conn: Any) -> list[StoredKey]:
    await _as_admin(conn)
    rows = await conn.fetch(f"SELECT {_COLUMNS} FROM api_keys ORDER BY created_at, id")
    return [StoredKey.of(row) for row in rows]


async def revoke_key(conn: Any, key_id: UUID) -> StoredKey | None:
    """Revoke a key (idempotent); None when there is no such key."""
    await _as_admin(conn)
    row = await conn.fetchrow(
        f"""UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1
            RETURNING {_COLUMNS}""", key_id)
    if row is not None:
        await conn.execute(
            "SELECT log_security_event('api_key_revoked', $1::text::jsonb, 'info')",
            json.dumps({"key_id": str(key_id)}))
    return None if row is None else StoredKey.of(row)


async def find_key(conn: Any, key: str) -> StoredKey | None:
    """The stored key for a presented one (revoked ones too), marking it used."""
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM api_keys WHERE key_hash = $1",
                              hash_key(key))
    if row is None:
        return None
    if row["revoked_at"] is None:  # at most one write a minute per key
        await conn.execute(
            """UPDATE api_keys SET last_used_at = now() WHERE id = $1
               AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')""",
            row["id"])
    return StoredKey.of(row)
