"""`vidgen db migrate|rollback|status`: the schema migrations (shared.db.migrate) from the
`vidgen` command, as deployments run them (the Kubernetes migration Job, release scripts)."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    db = commands.add_parser("db", help="database schema: migrate, rollback, status")
    db.add_argument("--dsn", help="Postgres DSN (default: $DATABASE_URL)")
    actions = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    up = actions.add_parser("migrate", help="apply pending migrations")
    up.add_argument("--target", type=int, help="stop after this version")
    down = actions.add_parser("rollback", help="roll back migrations (default: the latest)")
    group = down.add_mutually_exclusive_group()
    group.add_argument("--steps", type=int)
    group.add_argument("--to", type=int)
    actions.add_parser("status", help="list migrations and whether each is applied")
    db.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from shared.db.migrate import main

    argv = ["--dsn", args.dsn] if args.dsn else []
    if args.db_command == "migrate":
        argv += ["up"] + (["--target", str(args.target)] if args.target is not None else [])
    elif args.db_command == "rollback":
        argv += ["down"]
        argv += ["--steps", str(args.steps)] if args.steps is not None else []
        argv += ["--to", str(args.to)] if args.to is not None else []
    else:
        argv += ["status"]
    return main(argv)
