"""A preview's sources, found in the asset cache storage keeps (asset_cache, S3).

`asset:<sha256>` sources are uploads (POST /v1/assets); an http(s) URL is the newest copy
storage fetched of it, and one not in the cache yet is fetched by storage now
(`preview_fetch.StorageFetcher`), through the same checks and limits as a job's download
step. Every source that cannot be had is a problem at its element's path.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg

from services.ingest.preview_fetch import FetchFailed, StorageFetcher
from shared.composition import Job, Problem, SpecError
from shared.composition.spec import CaptionsElement, TextElement
from shared.composition.text import FONT_SUFFIXES
from shared.events import Asset, MediaProbe

__all__ = ["ASSET_SCHEME", "SourceRef", "job_sources", "resolve_sources"]

ASSET_SCHEME = "asset:"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_NOT_FETCHED = ("not downloaded yet, and storage is not asked to fetch it here; upload it "
                "(POST /v1/assets) and use its asset: source")
_COLUMNS = "sha256, s3_bucket, s3_key, size_bytes, content_type, probe"


@dataclass(frozen=True)
class SourceRef:
    source: str
    path: str  # JSON path of the first element that names it
    expect: str  # what storage is to find in it: media, subtitles, lut or font


def job_sources(job: Job) -> list[SourceRef]:
    """Every distinct file the job names (media, subtitle files, LUTs, font files), in
    element order: the files storage would download for it."""
    found: dict[str, SourceRef] = {}
    for index, element in enumerate(job.elements):
        names: list[tuple[str | None, str, str]] = []
        if isinstance(element, TextElement | CaptionsElement) and element.font.lower(
                ).endswith(FONT_SUFFIXES):
            names.append((element.font, "font", "font"))
        if not isinstance(element, TextElement):
            kind = "subtitles" if isinstance(element, CaptionsElement) else "media"
            names.append((getattr(element, "source", None), "source", kind))
        names.append((getattr(element, "lut", None), "lut", "lut"))
        for name, field, expect in names:
            if name is not None:
                found.setdefault(name, SourceRef(name, f"elements[{index}].{field}", expect))
    return list(found.values())


async def resolve_sources(pool: asyncpg.Pool, job: Job, bucket: str,
                          fetcher: StorageFetcher | None = None,
                          credentials: Mapping[str, str] | None = None) -> list[Asset]:
    """The job's sources as Assets from the cache, URLs not there fetched by storage now
    (at once; without a fetcher they are problems); SpecError names every one not had."""
    rows: dict[str, Any] = {}
    problems: list[Problem] = []
    missing: list[SourceRef] = []
    refs = job_sources(job)
    async with pool.acquire() as conn:
        for ref in refs:
            row, problem = await _lookup(conn, ref)
            if row is not None:
                rows[ref.source] = {"sha256": row["sha256"], "bucket": row["s3_bucket"],
                                    "key": row["s3_key"], "size": row["size_bytes"],
                                    "content_type": row["content_type"], "probe": row["probe"]}
            elif problem is None and fetcher is not None:
                missing.append(ref)
            else:
                problems.append(Problem(ref.path, problem or _NOT_FETCHED))
    if missing and fetcher is not None:
        results = await asyncio.gather(
            *(fetcher.fetch(ref.source.strip(), ref.expect, ref.path, credentials or {})
              for ref in missing), return_exceptions=True)
        for ref, result in zip(missing, results, strict=True):
            if isinstance(result, FetchFailed):
                problems.append(result.problem)
            elif isinstance(result, BaseException):
                raise result
            else:
                rows[ref.source] = result
    if problems:
        raise SpecError(sorted(problems, key=lambda problem: _order(refs, problem.path)))
    return [Asset(source=ref.source, sha256=rows[ref.source]["sha256"],
                  bucket=rows[ref.source]["bucket"] or bucket, key=rows[ref.source]["key"],
                  size=rows[ref.source]["size"], content_type=rows[ref.source]["content_type"],
                  probe=MediaProbe.from_stored(rows[ref.source]["probe"])) for ref in refs]


def _order(refs: list[SourceRef], path: str) -> int:
    return next((index for index, ref in enumerate(refs) if ref.path == path), len(refs))


async def _lookup(conn: Any, ref: SourceRef) -> tuple[asyncpg.Record | None, str | None]:
    source = ref.source.strip()
    if source.lower().startswith(ASSET_SCHEME):
        digest = source[len(ASSET_SCHEME):].strip().lower()
        if not _SHA256.fullmatch(digest):
            return None, "'asset:' must be followed by the SHA-256 of an uploaded asset"
        row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM asset_cache WHERE sha256 = $1",
                                  digest)
        return (row, None) if row is not None else (None, f"no uploaded asset {digest}")
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM asset_cache WHERE source_url = $1 "
                              "ORDER BY created_at DESC LIMIT 1", source)
    return row, None  # a URL not in the cache: (None, None)
