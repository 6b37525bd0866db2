"""One URL into the asset cache on request (POST /internal/v1/fetch, for previews).

The same path a job's download step takes (`fetch.SafeFetcher`: allowed hosts and address
checks, the byte cap, the minimum rate and the deadline of one source; then
`AssetStore.admit`: sniffing, probing, the S3 object and the `asset_cache` row), without a
job. Concurrent requests for the same URL and kind share one fetch.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from services.storage.assets import AssetStore, Expect
from services.storage.db import AssetRow
from services.storage.fetch import SafeFetcher
from services.storage.metrics import BYTES, DOWNLOADS, timed

__all__ = ["SourceFetches"]


class SourceFetches:
    def __init__(self, store: AssetStore, fetcher: SafeFetcher,
                 work_dir: Path | None = None) -> None:
        self.store = store
        self.fetcher = fetcher
        self.work_dir = work_dir
        self._running: dict[tuple[str, Expect], asyncio.Task[AssetRow]] = {}

    async def fetch(self, url: str, expect: Expect) -> AssetRow:
        """The cache row of `url`'s content; FetchError or NotMedia say why not.

        The fetch runs in a task of its own that a caller going away does not cancel:
        others may be waiting for it, and its result is cached for the next preview.
        """
        key = (url, expect)
        task = self._running.get(key)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._fetch(url, expect))
            self._running[key] = task
            task.add_done_callback(lambda _done: self._running.pop(key, None))
        return await asyncio.shield(task)

    async def _fetch(self, url: str, expect: Expect) -> AssetRow:
        with tempfile.TemporaryDirectory(prefix="vidgen-fetch-", dir=self.work_dir) as temp:
            with timed("download"):
                fetched = await self.fetcher.fetch(url, Path(temp))
            BYTES.labels("download").inc(fetched.size)
            row = await self.store.admit(fetched.path, fetched.sha256, fetched.size,
                                         content_type=fetched.content_type, source_url=url,
                                         job_id=None, expect=expect)
        DOWNLOADS.labels("ok").inc()
        return row
