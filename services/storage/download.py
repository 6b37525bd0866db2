"""The download step: every distinct source of a job into the asset cache.

Sources are the `source` of video, image, audio and overlay elements and their `lut` (a
.cube file), the subtitle file of captions elements and the `font` of text and captions
elements that name a font file. `asset:<sha256>` sources were uploaded earlier
(POST /v1/assets) and only need their cache row; http(s) URLs are fetched safely
(`fetch.SafeFetcher`). Errors name the element's JSON path (`elements[2].source: ...`).
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg

from services.storage import db
from services.storage.assets import AssetStore, Expect, NotMedia
from services.storage.db import AssetRow
from services.storage.fetch import FetchError, SafeFetcher
from services.storage.metrics import BYTES, DOWNLOADS, timed
from shared.composition.spec import CaptionsElement, TextElement
from shared.composition.text import FONT_SUFFIXES
from shared.consumer import PermanentError, StepError, parse_spec
from shared.events import Asset, MediaProbe

__all__ = ["ASSET_SCHEME", "Downloader", "SourceRef", "collect_sources"]

ASSET_SCHEME = "asset:"
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class SourceRef:
    source: str
    path: str  # JSON path of the first element that uses it
    expect: Expect


def collect_sources(spec: dict[str, Any]) -> list[SourceRef]:
    """The job's distinct sources in element order; PermanentError for an invalid spec."""
    job = parse_spec(spec, "download")
    refs: dict[str, SourceRef] = {}
    for index, element in enumerate(job.elements):
        for ref in _element_sources(index, element):
            refs.setdefault(ref.source, ref)
    return list(refs.values())


def _element_sources(index: int, element: Any) -> list[SourceRef]:
    """An element's files: its media or subtitle source, its LUT, and a font file it names."""
    found = []
    if isinstance(element, TextElement | CaptionsElement) and element.font.lower().endswith(
            FONT_SUFFIXES):
        found.append(SourceRef(element.font, f"elements[{index}].font", "font"))
    if isinstance(element, CaptionsElement):
        if element.source is not None:
            found.insert(0, SourceRef(element.source, f"elements[{index}].source", "subtitles"))
    elif getattr(element, "source", None) is not None:  # text and shapes are drawn
        found.append(SourceRef(element.source, f"elements[{index}].source", "media"))
    lut = getattr(element, "lut", None)
    if lut is not None:
        found.append(SourceRef(lut, f"elements[{index}].lut", "lut"))
    return found


class Downloader:
    def __init__(self, pool: asyncpg.Pool, store: AssetStore, fetcher: SafeFetcher, *,
                 work_dir: Path | None = None, concurrency: int = 4,
                 max_total_bytes: int | None = None) -> None:
        self.pool = pool
        self.store = store
        self.fetcher = fetcher
        self.work_dir = work_dir
        self.concurrency = concurrency
        self.max_total_bytes = max_total_bytes

    async def run(self, job_id: UUID, spec: dict[str, Any]) -> list[Asset]:
        """Every source of the job as an Asset, in element order; StepError on failure.

        Past `max_total_bytes` for all sources together the step fails at once (the
        downloads still running are cancelled) as `sources_too_large`.
        """
        refs = collect_sources(spec)
        gate = asyncio.Semaphore(self.concurrency)
        total = 0

        async def one(ref: SourceRef) -> Asset:
            nonlocal total
            async with gate:
                asset = await self._acquire(job_id, ref)
            total += asset.size
            if self.max_total_bytes is not None and total > self.max_total_bytes:
                raise PermanentError(
                    "sources_too_large",
                    f"elements: the job's sources come to more than {total} bytes, over the "
                    f"{self.max_total_bytes} byte limit for one job (reached at {ref.path})",
                    step="download")
            return asset

        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(one(ref)) for ref in refs]
        except ExceptionGroup as errors:
            raise _first_error(errors) from None
        return [task.result() for task in tasks]

    async def _acquire(self, job_id: UUID, ref: SourceRef) -> Asset:
        await db.elements_downloading(self.pool, job_id, ref.source)
        try:
            row = await self._asset_for(job_id, ref)
        except StepError as exc:
            await db.elements_failed(self.pool, job_id, ref.source, str(exc))
            raise
        await db.elements_ready(self.pool, job_id, ref.source, row)
        return Asset(source=ref.source, sha256=row.sha256, bucket=row.bucket or self.store.bucket,
                     key=row.key, size=row.size, content_type=row.content_type,
                     probe=MediaProbe.from_stored(row.probe))

    async def _asset_for(self, job_id: UUID, ref: SourceRef) -> AssetRow:
        if not ref.source.lower().startswith(ASSET_SCHEME):
            return await self._download(job_id, ref)
        digest = ref.source[len(ASSET_SCHEME):].strip().lower()
        if not _SHA256.fullmatch(digest):
            raise PermanentError("asset_not_found", f"{ref.path}: 'asset:' must be followed by "
                                 "the SHA-256 of an uploaded asset", step="download")
        row = await self.store.find(digest)
        if row is None:
            raise PermanentError("asset_not_found", f"{ref.path}: no uploaded asset {digest}",
                                 step="download")
        DOWNLOADS.labels("asset").inc()
        return row

    async def _download(self, job_id: UUID, ref: SourceRef) -> AssetRow:
        operation = await db.start_operation(
            self.pool, job_id=job_id, operation="download", source_url=ref.source,
            metadata={"element": ref.path})
        with tempfile.TemporaryDirectory(prefix="vidgen-fetch-", dir=self.work_dir) as temp:
            try:
                with timed("download"):
                    fetched = await self.fetcher.fetch(ref.source, Path(temp))
            except asyncio.CancelledError:  # another source of the job failed first
                await db.finish_operation(self.pool, operation, success=False,
                                          error_message="cancelled")
                raise
            except FetchError as exc:
                DOWNLOADS.labels(exc.code).inc()
                await db.finish_operation(self.pool, operation, success=False,
                                          retry_count=exc.attempts - 1, error_message=str(exc))
                error = StepError if exc.transient else PermanentError
                raise error(exc.code, f"{ref.path}: {exc}", step="download") from None
            BYTES.labels("download").inc(fetched.size)
            await db.finish_operation(self.pool, operation, success=True, file_size=fetched.size,
                                      retry_count=fetched.attempts - 1,
                                      content_type=fetched.content_type)
            try:
                row = await self.store.admit(
                    fetched.path, fetched.sha256, fetched.size,
                    content_type=fetched.content_type, source_url=ref.source, job_id=job_id,
                    expect=ref.expect)
            except NotMedia as exc:
                DOWNLOADS.labels("source_not_media").inc()
                raise PermanentError("source_not_media", f"{ref.path}: {exc}",
                                     step="download") from None
        DOWNLOADS.labels("ok").inc()
        return row


def _first_error(group: BaseExceptionGroup[Exception]) -> Exception:
    """The error to report for a failed batch: a permanent one if there is one."""
    leaves: list[Exception] = []

    def walk(errors: BaseExceptionGroup[Exception]) -> None:
        for error in errors.exceptions:
            if isinstance(error, BaseExceptionGroup):
                walk(error)
            else:
                leaves.append(error)

    walk(group)
    permanent = [error for error in leaves if isinstance(error, PermanentError)]
    return (permanent or leaves)[0]
