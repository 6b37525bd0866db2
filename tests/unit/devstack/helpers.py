"""What the dev stack's process tests share: a free port and polling for a condition."""

from __future__ import annotations

import time
from collections.abc import Callable

from shared.testing.brokers import free_ports

__all__ = ["free_port", "wait_for"]


def free_port() -> int:
    return free_ports(1)[0]


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll `condition` until it holds; AssertionError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)
