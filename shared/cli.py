"""The `vidgen` command. Each subcommand lives with the code it drives; this only dispatches."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    from services.render import cli as render_cli
    from shared.client import cli as client_cli
    from shared.devstack import cli as devstack_cli

    parser = argparse.ArgumentParser(prog="vidgen", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    render_cli.add_commands(commands)
    devstack_cli.add_commands(commands)
    client_cli.add_commands(commands)
    schema = commands.add_parser("schema", help="print the JSON Schema of a job")
    schema.set_defaults(handler=_schema)
    return parser


def _schema(_: argparse.Namespace) -> int:
    import json

    from shared.composition import json_schema

    print(json.dumps(json_schema(), indent=2))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
