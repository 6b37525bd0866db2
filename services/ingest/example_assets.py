"""The bundled examples for the playground, their local sources made into uploads.

An example names its media as files beside it (`media/clip.mp4`), which neither a job nor a
preview can read. The first time an example is asked for, each such file is uploaded to
storage (POST /v1/assets, as `vidgen submit` uploads local sources) unless the asset cache
already holds its bytes, and the example is answered with `asset:<sha256>` sources. Files
are hashed once per process; an upload is counted by storage like any other (this
ingest's address).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path
from typing import Any

import asyncpg
import httpx

__all__ = ["ExampleAssets", "ExampleError"]

_FIELDS = ("source", "lut")


class ExampleError(Exception):
    """An example's media could not be made into an upload."""


class ExampleAssets:
    def __init__(self, folder: Path, pool: asyncpg.Pool, storage_url: str) -> None:
        self.folder = folder
        self.pool = pool
        self.storage_url = storage_url.rstrip("/")
        self._sources: dict[Path, str] = {}
        self._lock = asyncio.Lock()

    def names(self) -> list[str]:
        return sorted(path.stem for path in self.folder.glob("*.json"))

    async def example(self, name: str) -> dict[str, Any] | None:
        """The example `name` with uploaded sources; None when there is no such example."""
        if name not in self.names():
            return None
        path = self.folder / f"{name}.json"
        spec: dict[str, Any] = json.loads(await asyncio.to_thread(path.read_text, "utf-8"))
        for element in spec.get("elements", []):
            for field in _FIELDS:
                value = element.get(field)
                if isinstance(value, str) and "://" not in value and ":" not in value[:7]:
                    element[field] = await self._source(self.folder / value)
        return spec

    async def _source(self, file: Path) -> str:
        async with self._lock:  # one upload per file, however many pages ask at once
            known = self._sources.get(file)
            if known is None:
                known = self._sources[file] = await self._upload(file)
            return known

    async def _upload(self, file: Path) -> str:
        content = await asyncio.to_thread(file.read_bytes)
        digest = hashlib.sha256(content).hexdigest()
        async with self.pool.acquire() as conn:
            cached = await conn.fetchval("SELECT 1 FROM asset_cache WHERE sha256 = $1", digest)
        if cached:
            return f"asset:{digest}"
        try:
            async with httpx.AsyncClient(timeout=60, trust_env=False) as client:
                answer = await client.post(f"{self.storage_url}/v1/assets",
                                           params={"filename": file.name}, content=content)
        except httpx.HTTPError as exc:
            raise ExampleError(f"storage did not take {file.name}: {exc}") from exc
        if answer.status_code != 201:
            raise ExampleError(f"storage refused {file.name}: {answer.status_code} "
                               f"{answer.text[:300]}")
        source: str = answer.json()["source"]
        return source
