"""The `vidgen` command. Each subcommand lives with the code it drives; this only dispatches."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

__all__ = ["main"]


# Which module adds which subcommands: only the one asked for is imported, so `vidgen
# render` does not pay for importing the platform's Kafka and database clients.
_COMMANDS = {
    "render": "services.render.cli",
    "render-examples": "services.render.cli",
    "dev": "shared.devstack.cli",
    "demo": "shared.devstack.cli",
    "submit": "shared.client.cli",
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
    # vidgen uses no pydantic plugins; looking for them scans every installed package's
    # entry points, a noticeable part of a short command's start-up.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser(argv).parse_args(argv)
    try:
        code: int = args.handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
