"""SourceFetches: concurrent requests for one URL share one fetch, and a caller that goes
away does not cancel the fetch others wait for."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, cast

import pytest

from services.storage.assets import AssetStore
from services.storage.db import AssetRow
from services.storage.fetch import Fetched, FetchError, SafeFetcher
from services.storage.source_fetch import SourceFetches


class _Fetcher:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.release = asyncio.Event()
        self.fail: FetchError | None = None

    async def fetch(self, url: str, directory: Path) -> Fetched:
        self.calls.append(url)
        await self.release.wait()
        if self.fail is not None:
            raise self.fail
        path = directory / "body"
        path.write_bytes(b"x")
        return Fetched(path=path, sha256="a" * 64, size=1, content_type="image/png",
                       final_url=url, attempts=1)


class _Store:
    async def admit(self, path: Path, sha256: str, size: int, **_: Any) -> AssetRow:
        assert path.read_bytes() == b"x"
        return AssetRow(sha256=sha256, bucket="b", key=f"assets/{sha256}", size=size,
                        content_type="image/png", probe={})


def _fetches(fetcher: _Fetcher) -> SourceFetches:
    return SourceFetches(cast(AssetStore, _Store()), cast(SafeFetcher, fetcher))


async def test_concurrent_requests_for_one_url_share_one_fetch() -> None:
    fetcher = _Fetcher()
    fetches = _fetches(fetcher)
    waiting = [asyncio.create_task(fetches.fetch("http://a/x.png", "media")) for _ in range(3)]
    other = asyncio.create_task(fetches.fetch("http://a/y.png", "media"))
    await asyncio.sleep(0)
    waiting[0].cancel()  # one caller goes away: the others still get the asset
    fetcher.release.set()
    rows = await asyncio.gather(*waiting[1:], other)
    assert {row.key for row in rows} == {"assets/" + "a" * 64}
    assert sorted(fetcher.calls) == ["http://a/x.png", "http://a/y.png"]
    assert waiting[0].cancelled()
    await fetches.fetch("http://a/x.png", "media")  # done: a new request fetches again
    assert fetcher.calls.count("http://a/x.png") == 2


async def test_every_waiter_gets_the_fetch_error() -> None:
    fetcher = _Fetcher()
    fetcher.fail = FetchError("source_forbidden", "127.0.0.1: loopback addresses may not be "
                              "fetched")
    fetches = _fetches(fetcher)
    waiting = [asyncio.create_task(fetches.fetch("http://a/x.png", "media")) for _ in range(2)]
    await asyncio.sleep(0)
    fetcher.release.set()
    for task in waiting:
        with pytest.raises(FetchError) as caught:
            await task
        assert caught.value.code == "source_forbidden"
    assert fetcher.calls == ["http://a/x.png"]
