"""Apply and roll back vidgen's ordered SQL migrations with asyncpg.

Migrations live beside this module in ``migrations/`` as ``NNNN_name.up.sql`` with a
matching ``NNNN_name.down.sql``. Applied versions are recorded in ``schema_migrations``
(version, name, checksum of the up file, applied_at). Each migration runs in its own
transaction together with its bookkeeping row, so a failing migration leaves the database
at the previous version, and re-running ``migrate`` applies only what is missing. A session
advisory lock serialises runners that start at the same time (several services booting).

    await migrate(dsn)            # apply everything pending
    await migrate(dsn, target=3)  # apply up to and including 0003
    await rollback(dsn)           # undo the latest migration
    await rollback(dsn, to=0)     # undo everything

From a shell, with the DSN in ``DATABASE_URL`` (or ``--dsn``)::

    python -m shared.db.migrate up [--target N]
    python -m shared.db.migrate down [--steps N | --to N]
    python -m shared.db.migrate status
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import logging
import os
import re
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import asyncpg

__all__ = [
    "MIGRATIONS_DIR",
    "Migration",
    "MigrationError",
    "applied_versions",
    "discover",
    "main",
    "migrate",
    "rollback",
]

MIGRATIONS_DIR: Final = Path(__file__).with_name("migrations")
_FILE_RE: Final = re.compile(r"^(\d{4})_([a-z0-9_]+)\.(up|down)\.sql$")
_LOCK_KEY: Final = 0x76696467656E  # "vidgen"
_BOOTSTRAP: Final = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE schema_migrations ENABLE ROW LEVEL SECURITY;
"""

_log = logging.getLogger(__name__)


class MigrationError(RuntimeError):
    """The migration files or the recorded history are inconsistent."""


@dataclass(frozen=True)
class Migration:
    """One numbered migration: its up and down SQL files."""

    version: int
    name: str
    up_path: Path
    down_path: Path

    @property
    def up_sql(self) -> str:
        return self.up_path.read_text(encoding="utf-8")

    @property
    def down_sql(self) -> str:
        return self.down_path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.up_path.read_bytes()).hexdigest()


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Return the migrations in ``directory`` in version order, each with both files."""
    found: dict[int, dict[str, Path]] = {}
    names: dict[int, str] = {}
    for path in sorted(directory.glob("*.sql")):
        match = _FILE_RE.match(path.name)
        if match is None:
            raise MigrationError(f"unexpected file name in migrations: {path.name}")
        version, name, direction = int(match[1]), match[2], match[3]
        if names.setdefault(version, name) != name:
            raise MigrationError(f"two migrations numbered {version:04d}")
        found.setdefault(version, {})[direction] = path
    migrations = []
    for version in sorted(found):
        files = found[version]
        if set(files) != {"up", "down"}:
            raise MigrationError(f"migration {version:04d} needs both .up.sql and .down.sql")
        migrations.append(Migration(version, names[version], files["up"], files["down"]))
    return migrations


async def applied_versions(conn: asyncpg.Connection) -> dict[int, str]:
    """Map each applied version to the checksum recorded when it was applied."""
    rows = await conn.fetch("SELECT version, checksum FROM schema_migrations ORDER BY version")
    return {row["version"]: row["checksum"] for row in rows}


async def migrate(
    dsn: str, target: int | None = None, *, directory: Path = MIGRATIONS_DIR
) -> list[int]:
    """Apply pending migrations up to ``target`` (default: all); return the versions applied.

    Raises MigrationError when an applied migration's file has changed since it was applied.
    """
    migrations = discover(directory)
    async with _locked(dsn) as conn:
        applied = await applied_versions(conn)
        changed = [m.version for m in migrations
                   if m.version in applied and applied[m.version] != m.checksum]
        if changed:
            raise MigrationError(f"applied migrations were edited afterwards: {changed}")
        done = []
        for m in migrations:
            if m.version in applied or (target is not None and m.version > target):
                continue
            _log.info("applying migration %04d_%s", m.version, m.name)
            async with conn.transaction():
                await conn.execute(m.up_sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    m.version, m.name, m.checksum,
                )
            done.append(m.version)
        return done


async def rollback(
    dsn: str,
    steps: int | None = None,
    *,
    to: int | None = None,
    directory: Path = MIGRATIONS_DIR,
) -> list[int]:
    """Undo the latest ``steps`` migrations (default 1), or every one above version ``to``.

    Returns the versions rolled back, newest first.
    """
    if steps is not None and to is not None:
        raise ValueError("give either steps or to, not both")
    if (steps is not None and steps < 0) or (to is not None and to < 0):
        raise ValueError("steps and to must not be negative")
    by_version = {m.version: m for m in discover(directory)}
    async with _locked(dsn) as conn:
        applied = sorted(await applied_versions(conn), reverse=True)
        if to is not None:
            chosen = [v for v in applied if v > to]
        else:
            chosen = applied[: 1 if steps is None else steps]
        missing = [v for v in chosen if v not in by_version]
        if missing:
            raise MigrationError(f"no down migration for applied versions {missing}")
        for version in chosen:
            m = by_version[version]
            _log.info("rolling back migration %04d_%s", m.version, m.name)
            async with conn.transaction():
                await conn.execute(m.down_sql)
                await conn.execute("DELETE FROM schema_migrations WHERE version = $1", version)
        return chosen


@asynccontextmanager
async def _locked(dsn: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection holding the migration lock, with schema_migrations present."""
    conn = await asyncpg.connect(dsn)
    try:  # closing the connection releases the session lock
        await conn.execute("SELECT pg_advisory_lock($1)", _LOCK_KEY)
        await conn.execute(_BOOTSTRAP)
        yield conn
    finally:
        await conn.close()


async def _status(dsn: str) -> list[str]:
    async with _locked(dsn) as conn:
        applied = await applied_versions(conn)
    return [f"{'applied' if m.version in applied else 'pending'}  {m.version:04d}_{m.name}"
            for m in discover()]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m shared.db.migrate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dsn", default=os.environ.get("DATABASE_URL"),
                        help="Postgres DSN (default: $DATABASE_URL)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="apply pending migrations").add_argument("--target", type=int)
    down = sub.add_parser("down", help="roll back migrations")
    group = down.add_mutually_exclusive_group()
    group.add_argument("--steps", type=int)
    group.add_argument("--to", type=int)
    sub.add_parser("status", help="list migrations and whether each is applied")
    args = parser.parse_args(argv)
    if not args.dsn:
        parser.error("no DSN: pass --dsn or set DATABASE_URL")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.command == "up":
        print("applied:", asyncio.run(migrate(args.dsn, args.target)) or "nothing")
    elif args.command == "down":
        print("rolled back:", asyncio.run(rollback(args.dsn, args.steps, to=args.to)) or "nothing")
    else:
        print("\n".join(asyncio.run(_status(args.dsn))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
