"""The `vidgen` command. Each subcommand lives with the code it drives; this only dispatches."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

__all__ = ["main", "run"]


# Which module adds which subcommands: only the one asked for is imported, so `vidgen
# render` does not pay for importing the platform's Kafka and database clients.
_COMMANDS = {
    "render": "services.render.cli",
    "render-examples": "services.render.cli",
    "dev": "shared.devstack.cli",
    "demo": "shared.devstack.cli",
    "submit": "shared.client.cli",
    "templates": "shared.client.templates",
    "db": "shared.db.cli",
    "keys": "services.ingest.keys_cli",
    "asyncapi": "shared.asyncapi",
}


def _parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    import importlib

    wanted = argv[0] if argv and argv[0] in _COMMANDS else None
    modules = [_COMMANDS[wanted]] if wanted else list(dict.fromkeys(_COMMANDS.values()))
    parser = argparse.ArgumentParser(prog="vidgen", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in modules:
        importlib.import_module(name).add_commands(commands)
    schema = commands.add_parser("schema", help="print the JSON Schema of a job")
    schema.set_defaults(handler=_schema)
    return parser


def _schema(_: argparse.Namespace) -> int:
    import json

    from shared.composition import json_schema

    print(json.dumps(json_schema(), indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns its exit code."""
    return _dispatch(argv)[0]


def run() -> NoReturn:
    """The console script: `main`, then exit.

    A command that sets `exit_fast` (`vidgen render`) has nothing left to clean up when
    its handler returns: its file is in place, its child processes reaped. It leaves
    without the interpreter's teardown of every imported module (~50 ms, a measurable
    part of a short render); output streams and log handlers are flushed first.
    """
    code, args = _dispatch(None)
    if getattr(args, "exit_fast", False):
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _dispatch(argv: Sequence[str] | None) -> tuple[int, argparse.Namespace]:
    # vidgen uses no pydantic plugins; looking for them scans every installed package's
    # entry points, a noticeable part of a short command's start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser(argv).parse_args(argv)
    try:
        code: int = args.handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    return code, args


if __name__ == "__main__":
    run()
