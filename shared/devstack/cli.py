"""`vidgen dev` (the whole platform on this machine) and `vidgen demo` (it, plus the examples).

`vidgen dev` runs until Ctrl-C / SIGTERM (exit 0); a service that exits meanwhile is
restarted (shared.devstack.supervisor), and one that keeps exiting stops everything (exit
1, with its last lines). Either way everything it started is stopped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from shared.devstack.lifecycle import STACK_ERRORS, Terminated, stop_quietly, stop_signals
from shared.devstack.stack import DevStack, ServicePorts

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    dev = commands.add_parser("dev", help="run the whole platform locally (Ctrl-C stops it)")
    dev.add_argument("--port", type=int, default=8000,
                     help="API port; storage, render, metrics on the next ones (default 8000)")
    _stack_options(dev)
    dev.set_defaults(handler=_dev_command)

    demo = commands.add_parser(
        "demo", help="start the platform, render the examples through it, stop it")
    demo.add_argument("-o", "--output-dir", type=Path, default=Path("demo-output"))
    demo.add_argument("--timeout", type=float, default=300.0, help="seconds per job (default 300)")
    _stack_options(demo)
    demo.set_defaults(handler=_demo_command)


def _stack_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--render-workers", type=int, default=1, metavar="N",
                        help="render worker processes, restarted when one exits (default 1)")
    parser.add_argument("--broker", choices=("tansu", "kafka"), default="tansu",
                        help="the embedded broker when KAFKA_BOOTSTRAP_SERVERS is unset")
    parser.add_argument("--ready-timeout", type=float, default=120.0,
                        help="seconds for every service to answer /readyz (default 120)")


def _dev_command(args: argparse.Namespace) -> int:
    try:
        ports = ServicePorts.from_base(args.port, args.render_workers)
    except ValueError as exc:
        print(f"vidgen dev: {exc}", file=sys.stderr)
        return 2
    stack = DevStack(ports, broker=args.broker, ready_timeout=args.ready_timeout)
    with stop_signals():
        try:
            stack.start()
            print("\nvidgen is running (Ctrl-C stops it):")
            for name, url in stack.urls().items():
                print(f"  {name:<16} {url}")
            print(flush=True)
            stack.supervise()  # returns only when the stack is stopped from elsewhere
            return 0
        except (KeyboardInterrupt, Terminated):
            print("\nstopping vidgen ...", file=sys.stderr)
            return 0
        except STACK_ERRORS as exc:
            print(f"\nvidgen dev: {exc}", file=sys.stderr)
            return 1
        finally:
            stop_quietly(stack)


def _demo_command(args: argparse.Namespace) -> int:
    from shared.devstack.demo import run_demo

    if args.render_workers < 1:
        print("vidgen demo: at least one render worker", file=sys.stderr)
        return 2
    with stop_signals():
        try:
            return run_demo(args.output_dir, render_workers=args.render_workers,
                            broker=args.broker, timeout=args.timeout,
                            ready_timeout=args.ready_timeout)
        except Terminated:
            return 143
