"""The services' database login (role ``vidgen_app``, created by migration 0010).

Migrations run as the schema owner; the services connect as ``vidgen_app``, which owns
nothing, cannot bypass row-level security and starts every session as ``vidgen_service``.
``service_url`` turns the owner's URL into the services' one; ``set_password`` gives the
login a password for servers that ask for one.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg

__all__ = ["APP_LOGIN", "service_url", "set_password"]

APP_LOGIN: Final = "vidgen_app"


def service_url(owner_url: str, password: str | None = None) -> str:
    """``owner_url`` (postgresql://...) with the user (and password) of the services."""
    parts = urlsplit(owner_url)
    host = parts.netloc.rpartition("@")[2]
    secret = f":{quote(password, safe='')}" if password else ""
    return urlunsplit(parts._replace(netloc=f"{APP_LOGIN}{secret}@{host}"))


async def set_password(owner_url: str, password: str) -> None:
    conn = await asyncpg.connect(owner_url)
    try:
        # a utility statement takes no parameters: quote the literal on the server
        literal = await conn.fetchval("SELECT quote_literal($1::text)", password)
        await conn.execute(f"ALTER ROLE {APP_LOGIN} PASSWORD {literal}")
    finally:
        await conn.close()
