"""What `vidgen dev` and `vidgen demo` both do around a running stack: the errors that mean
it did not start (or gave up), SIGTERM treated like Ctrl-C, and a stop that a second signal
cannot interrupt.

Its own module so that the two commands (`shared.devstack.cli`, `shared.devstack.demo`)
share it without importing each other.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import asyncpg

from shared.devstack.stack import DevStack

__all__ = ["STACK_ERRORS", "Terminated", "stop_quietly", "stop_signals"]

#: What starting or supervising the stack raises when a component or a service does not
#: come up or keeps dying: ProcessDied, CrashLoop, MissingExtra, BrokerStartError,
#: EmbeddedPostgresError, MigrationError (RuntimeError); PortInUse, ReadyTimeout,
#: BrokerNotReadyError, refused connections (OSError); asyncpg's errors.
STACK_ERRORS = (RuntimeError, OSError, asyncpg.PostgresError)


class Terminated(Exception):
    """SIGTERM arrived."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated


@contextmanager
def stop_signals() -> Iterator[None]:
    """SIGTERM ends the block like Ctrl-C does (with `Terminated`)."""
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
