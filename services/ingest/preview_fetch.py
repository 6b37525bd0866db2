"""URL sources a preview names that storage has not fetched yet: storage fetches them now.

Ingest downloads nothing itself: `POST /internal/v1/fetch` on storage (VIDGEN_STORAGE_URL)
runs storage's own download path (allowed hosts, address checks, size cap, minimum rate,
sniffing, probing) and answers the asset's cache row. The caller's credentials go along,
so storage authenticates and counts the fetch as it counts an upload. A fetch not done
within VIDGEN_PREVIEW_FETCH_TIMEOUT answers 504 (storage finishes it, and the next preview
finds the source in the cache).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx
from fastapi import HTTPException

from shared.composition import Problem

__all__ = ["CREDENTIAL_HEADERS", "FETCH_PATH", "FetchFailed", "StorageFetcher"]

FETCH_PATH = "/internal/v1/fetch"
CREDENTIAL_HEADERS = ("authorization", "x-api-key")

_WHY = {
    "source_forbidden": "its host may not be fetched",
    "source_too_large": "it is too large",
    "source_not_media": "it is not a file a composition can use",
    "source_unreachable": "it could not be reached",
    "source_too_slow": "it arrived too slowly",
    "source_timeout": "it was not downloaded in time",
}


class FetchFailed(Exception):
    """The URL cannot be had; `problem` names the element's path and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class StorageFetcher:
    def __init__(self, storage_url: str, timeout: float) -> None:
        self.url = f"{storage_url.rstrip('/')}{FETCH_PATH}"
        self.timeout = timeout
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=2.0),
                                         trust_env=False)

    async def close(self) -> None:
        await self._client.aclose()

    async def fetch(self, url: str, expect: str, path: str,
                    credentials: Mapping[str, str]) -> dict[str, Any]:
        """The URL's asset_cache row (sha256, bucket, key, size, content_type, probe) as
        storage fetched it; FetchFailed (422) or HTTPException."""
        try:
            async with asyncio.timeout(self.timeout):
                answer = await self._client.post(self.url, json={"url": url, "expect": expect},
                                                 headers=dict(credentials))
        except (TimeoutError, httpx.TimeoutException):
            raise HTTPException(504, f"{path}: {url[:200]} was not fetched within "
                                     f"{self.timeout:g} s (VIDGEN_PREVIEW_FETCH_TIMEOUT); "
                                     "try again shortly") from None
        except httpx.HTTPError as exc:
            raise HTTPException(502, f"{path}: storage could not be asked to fetch the "
                                     f"source ({type(exc).__name__})") from None
        body: dict[str, Any] = _json(answer)
        if answer.status_code == 422:
            code = str(body.get("error", ""))
            why = _WHY.get(code, "it could not be fetched")
            raise FetchFailed(Problem(path, f"{why} ({code}): {body.get('detail', '')}"))
        if answer.status_code in (401, 403, 429):
            headers = {key: value for key, value in answer.headers.items()
                       if key.lower() == "retry-after"}
            raise HTTPException(answer.status_code, f"{path}: storage refused to fetch the "
                                f"source: {body.get('detail', answer.text[:200])}",
                                headers=headers or None)
        if answer.status_code != 200:
            raise HTTPException(502, f"{path}: storage could not fetch the source "
                                     f"(HTTP {answer.status_code})")
        return body


def _json(answer: httpx.Response) -> dict[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
