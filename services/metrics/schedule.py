"""Periodic tasks: retention and alert checks, run as asyncio tasks beside the consumer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

__all__ = ["periodic"]

log = logging.getLogger(__name__)


async def periodic(name: str, interval: float, run: Callable[[], Awaitable[object]]) -> None:
    """Call `run` now and then every `interval` seconds until cancelled; a failed run is
    logged and the next one happens on schedule."""
    while True:
        try:
            await run()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s failed; next run in %.0fs", name, interval)
        await asyncio.sleep(interval)
