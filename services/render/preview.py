"""Previews on a render worker: one frame or a short clip of a job, rendered at once and
answered to the caller (ingest), with no job row, no events and no S3 output.

The render is the job's own path (prepare, then the time-slice compile and FFmpeg run of
`engine.render`), only its output differs (preview_output). Sources arrive as Assets, as
in RenderRequested, and are kept in a local folder by their SHA-256
(VIDGEN_PREVIEW_CACHE_BYTES, least recently used dropped first): a playground asks for many
frames of the same job, and only the first one pays for the downloads.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from services.render.engine import prepare, render
from services.render.preview_plan import preview_of
from services.render.staging import download_assets, known_probes
from shared.composition import parse_job
from shared.composition.preview import PreviewParams
from shared.events import Asset
from shared.settings import EngineSettings

__all__ = ["ASSET_PREFIX", "Busy", "NotAnAsset", "PreviewRenderer", "PreviewRequest"]

ASSET_PREFIX = "assets/"  # storage's content-addressed keys: assets/<sha256>


class PreviewRequest(BaseModel):
    """What ingest sends a worker: a validated job's spec, its sources, what to render."""

    spec: dict[str, Any]
    assets: list[Asset] = Field(default_factory=list)
    params: PreviewParams


class NotAnAsset(ValueError):
    """An Asset that does not name an object of the asset cache (assets/<sha256>)."""


class Busy(Exception):
    """Every preview slot of this worker is taken: ask another one."""


class PreviewRenderer:
    """Renders previews, at most `slots` at a time (one more is refused with Busy)."""

    def __init__(self, s3: Any, engine: EngineSettings, *, bucket: str, slots: int = 2,
                 cache_bytes: int = 2 * 1024**3) -> None:
        self.s3 = s3
        self.bucket = bucket
        self.engine = engine
        self.slots = slots
        self.cache_bytes = cache_bytes
        self._running = 0
        base = Path(engine.work_dir or tempfile.gettempdir())
        self.cache = base / f"vidgen-preview-cache-{os.getpid()}"
        self._fetching: dict[str, asyncio.Future[Path]] = {}

    async def close(self) -> None:
        """Remove the worker's cached sources (the folder is this process's own)."""
        await asyncio.to_thread(shutil.rmtree, self.cache, True)

    async def render(self, request: PreviewRequest) -> tuple[bytes, str]:
        """The preview's bytes and content type. SpecError: the job or times are invalid
        (as a job's problems); Busy: no slot free."""
        if self._running >= self.slots:
            raise Busy(f"{self.slots} previews are rendering on this worker")
        self._running += 1
        try:
            return await self._render(request)
        finally:
            self._running -= 1

    async def _render(self, request: PreviewRequest) -> tuple[bytes, str]:
        # Only the asset cache: the route is for ingest, but it listens wherever the
        # worker's port does, and an Asset names any S3 key (other jobs' results too).
        for asset in request.assets:
            if asset.bucket != self.bucket or asset.key != f"{ASSET_PREFIX}{asset.sha256}":
                raise NotAnAsset(f"{asset.source}: not an object of the asset cache")
        job = parse_job(request.spec)
        files = {asset.source: await self._local(asset) for asset in request.assets}
        folder = Path(await asyncio.to_thread(
            tempfile.mkdtemp, prefix="vidgen-preview-", dir=self.engine.work_dir))
        try:
            plan = await asyncio.to_thread(
                prepare, job, _locator(files), settings=self.engine,
                probe_source=known_probes(request.assets, files),
                raster_dir=folder / "rasters")
            time_range, output = preview_of(request.params, plan)
            target = folder / f"preview{output.suffix}"
            await render(plan, target, time_range=time_range, preview=output,
                         settings=self.engine)
            return await asyncio.to_thread(target.read_bytes), output.content_type
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)

    async def _local(self, asset: Asset) -> Path:
        """The asset's file in the cache, downloaded once however many previews ask."""
        suffix = Path(asset.key).suffix or Path(asset.source.split("?", 1)[0]).suffix
        path = self.cache / f"{asset.sha256}{suffix[:9].lower()}"
        if await asyncio.to_thread(_touch, path):
            return path
        pending = self._fetching.get(asset.sha256)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Path] = asyncio.get_running_loop().create_future()
        self._fetching[asset.sha256] = future
        try:
            await asyncio.to_thread(self.cache.mkdir, parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=self.cache) as temp:
                got = await download_assets(self.s3, [asset], Path(temp))
                await asyncio.to_thread(got[asset.source].replace, path)
            await asyncio.to_thread(_prune, self.cache, self.cache_bytes, path)
            future.set_result(path)
            return path
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: a waiter may not exist
            raise
        finally:
            del self._fetching[asset.sha256]


def _locator(files: dict[str, Path]) -> Callable[[str], Path]:
    def locate(source: str) -> Path:
        try:
            return files[source]
        except KeyError:
            raise FileNotFoundError("the source was not delivered with the preview") from None

    return locate


def _touch(path: Path) -> bool:
    """Mark a cached file as just used; False when it is not cached."""
    try:
        os.utime(path)
    except FileNotFoundError:
        return False
    return True


def _prune(folder: Path, most: int, keep: Path) -> None:
    """Drop the least recently used files until the folder holds at most `most` bytes."""
    files = [(entry.stat().st_mtime, entry.stat().st_size, entry)
             for entry in folder.iterdir() if entry.is_file()]
    total = sum(size for _, size, _ in files)
    for _, size, entry in sorted(files, key=lambda item: item[0]):
        if total <= most:
            break
        if entry != keep:
            entry.unlink(missing_ok=True)
            total -= size

