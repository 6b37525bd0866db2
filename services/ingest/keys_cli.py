"""`vidgen keys create|list|revoke`: API keys in the database at DATABASE_URL.

The key itself is printed once, by `create`; only its SHA-256 is stored.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import Any
from uuid import UUID

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    keys = commands.add_parser("keys", help="create, list and revoke API keys (DATABASE_URL)")
    keys.add_argument("--dsn", default=None, help="Postgres DSN (default: $DATABASE_URL)")
    sub = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    create = sub.add_parser("create", help="issue a key and print it (shown only once)")
    create.add_argument("--role", choices=("authenticated", "service_account", "admin"),
                        default="authenticated")
    create.add_argument("--name", required=True, help="what the key is for")
    create.add_argument("--owner", help="who the key was issued to")
    sub.add_parser("list", help="every key: id, prefix, role, name, owner, state")
    revoke = sub.add_parser("revoke", help="revoke a key: it is refused from then on")
    revoke.add_argument("id", type=UUID)
    keys.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    dsn = args.dsn or os.environ.get("DATABASE_URL")
    if not dsn:
        print("no database: set DATABASE_URL or pass --dsn", file=sys.stderr)
        return 2
    return asyncio.run(_act(dsn, args))


async def _act(dsn: str, args: argparse.Namespace) -> int:
    import asyncpg

    from shared.access import keys
    from shared.db.pool import create_pool, transaction

    try:
        pool = await create_pool(dsn, min_size=1, max_size=1)
    except (OSError, asyncpg.PostgresError) as exc:
        print(f"cannot connect to the database: {exc}", file=sys.stderr)
        return 1
    try:
        async with transaction(pool) as conn:
            if args.keys_command == "create":
                issued = await keys.create_key(conn, name=args.name, role=args.role,
                                               owner=args.owner)
                print(f"id:   {issued.stored.id}\nrole: {issued.stored.role}\n"
                      f"key:  {issued.key}\n(the key is not shown again)")
            elif args.keys_command == "list":
                for key in await keys.list_keys(conn):
                    state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
                    print(f"{key.id}  {key.prefix or '-':13}  {key.role:15}  {state:18}  "
                          f"{key.name}" + (f"  ({key.owner})" if key.owner else ""))
            elif await keys.revoke_key(conn, args.id) is None:
                print(f"no key {args.id}", file=sys.stderr)
                return 1
            else:
                print(f"revoked {args.id}")
    finally:
        await pool.close()
    return 0
