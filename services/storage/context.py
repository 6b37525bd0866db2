"""What the HTTP routes share with the rest of the service while it runs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from faststream.kafka import KafkaBroker
from starlette.requests import Request

from services.storage.assets import AssetStore
from services.storage.geo import GeoLookup
from services.storage.settings import StorageSettings
from services.storage.source_fetch import SourceFetches
from shared.access.gate import AccessSettings, Gate
from shared.forwarded import Network
from shared.inflight import KeyedDispatcher
from shared.signed_results import ResultSigner

__all__ = ["StorageContext", "context_of"]

log = logging.getLogger(__name__)


@dataclass
class StorageContext:
    settings: StorageSettings
    pool: asyncpg.Pool
    s3: Any
    store: AssetStore
    geo: GeoLookup
    gate: Gate
    access: AccessSettings
    work_dir: str | None = None  # temp files of uploads and downloads; None: the system's
    broker: KafkaBroker | None = None
    dispatcher: KeyedDispatcher | None = None  # runs the consumer's events
    trusted_proxies: tuple[Network, ...] = ()  # whose X-Forwarded-For the access log believes
    signer: ResultSigner | None = None  # result URLs must carry a valid signature
    fetches: SourceFetches | None = None  # URL sources fetched for previews
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` in the background (access logs written after a response ended)."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("background task failed: %s", task.exception())

    async def drain(self, timeout: float = 10.0) -> None:
        """Wait for background work (at shutdown, before the pool closes)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)


def context_of(request: Request) -> StorageContext:
    ctx: StorageContext = request.app.state.storage
    return ctx
