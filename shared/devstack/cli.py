"""`vidgen dev` (the whole platform on this machine) and `vidgen demo` (it, plus the examples).

`vidgen dev` runs until Ctrl-C / SIGTERM (exit 0) or until a service dies (exit 1, with its
last lines); either way everything it started is stopped.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import asyncpg

from shared.devstack.stack import DevStack, ServicePorts

__all__ = ["STACK_ERRORS", "add_commands", "stop_signals"]

#: What starting the stack raises when a component or a service does not come up:
#: ProcessDied, BrokerStartError, EmbeddedPostgresError, MigrationError (RuntimeError);
#: ReadyTimeout, BrokerNotReadyError, refused connections (OSError); asyncpg's errors.
STACK_ERRORS = (RuntimeError, OSError, asyncpg.PostgresError)


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
                        help="render worker processes (default 1)")
    parser.add_argument("--broker", choices=("tansu", "kafka"), default="tansu",
                        help="the embedded broker when KAFKA_BOOTSTRAP_SERVERS is unset")
    parser.add_argument("--ready-timeout", type=float, default=120.0,
                        help="seconds for every service to answer /readyz (default 120)")


class _Terminated(Exception):
    """SIGTERM arrived."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


@contextmanager
def stop_signals() -> Iterator[None]:
    """SIGTERM ends the block like Ctrl-C does (with `_Terminated`)."""
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def stop_quietly(stack: DevStack) -> None:
    """Stop the stack; a second Ctrl-C or SIGTERM cannot leave processes behind."""
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        stack.stop()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


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
            died = stack.wait()
            print(f"\n{died.name} exited with code {died.returncode}; its last lines:\n"
                  f"{died.tail()}", file=sys.stderr)
            return 1
        except (KeyboardInterrupt, _Terminated):
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
        except _Terminated:
            return 143
