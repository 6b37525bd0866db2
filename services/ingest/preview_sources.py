"""A preview's sources, found in the asset cache storage keeps (asset_cache, S3).

A preview downloads nothing from the internet itself: `asset:<sha256>` sources are
uploads (POST /v1/assets), and an http(s) URL is used when storage has fetched it before
for a job (the newest copy of that URL). A URL not in the cache is a problem at its
element's path that says how to put it there. Fetching stays in one place (storage's
SSRF-safe fetcher, its size and time limits), and a preview, which answers in well under a
second, never waits for a download of unknown length.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import asyncpg
from pydantic import ValidationError

from shared.composition import Job, Problem, SpecError
from shared.composition.spec import CaptionsElement, TextElement
from shared.composition.text import FONT_SUFFIXES
from shared.events import Asset, MediaProbe

__all__ = ["ASSET_SCHEME", "SourceRef", "job_sources", "resolve_sources"]

ASSET_SCHEME = "asset:"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_COLUMNS = "sha256, s3_bucket, s3_key, size_bytes, content_type, probe"


@dataclass(frozen=True)
class SourceRef:
    source: str
    path: str  # JSON path of the first element that names it


def job_sources(job: Job) -> list[SourceRef]:
    """Every distinct file the job names (media, subtitle files, LUTs, font files), in
    element order: the files storage would download for it."""
    found: dict[str, SourceRef] = {}
    for index, element in enumerate(job.elements):
        names: list[tuple[str | None, str]] = []
        if isinstance(element, TextElement | CaptionsElement) and element.font.lower(
                ).endswith(FONT_SUFFIXES):
            names.append((element.font, "font"))
        if not isinstance(element, TextElement):
            names.append((getattr(element, "source", None), "source"))
        names.append((getattr(element, "lut", None), "lut"))
        for name, field in names:
            if name is not None:
                found.setdefault(name, SourceRef(name, f"elements[{index}].{field}"))
    return list(found.values())


async def resolve_sources(pool: asyncpg.Pool, job: Job, bucket: str) -> list[Asset]:
    """The job's sources as Assets from the cache; SpecError names every one not there."""
    assets: list[Asset] = []
    problems: list[Problem] = []
    async with pool.acquire() as conn:
        for ref in job_sources(job):
            row, problem = await _lookup(conn, ref)
            if problem is not None:
                problems.append(Problem(ref.path, problem))
                continue
            assert row is not None
            assets.append(Asset(source=ref.source, sha256=row["sha256"],
                                bucket=row["s3_bucket"] or bucket, key=row["s3_key"],
                                size=row["size_bytes"], content_type=row["content_type"],
                                probe=_probe(row["probe"])))
    if problems:
        raise SpecError(problems)
    return assets


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
    if row is None:
        return None, ("not downloaded yet: a preview uses sources storage already has; "
                      "upload it (POST /v1/assets) and use its asset: source, or render "
                      "a job with it once")
    return row, None


def _probe(summary: Any) -> MediaProbe | None:
    """The stored probe when it is a current media probe (else the worker probes)."""
    if isinstance(summary, str):
        summary = json.loads(summary)
    if not summary or any(key in summary for key in ("font", "subtitles", "lut")):
        return None
    try:
        probe = MediaProbe.model_validate(summary)
    except ValidationError:
        return None
    return probe if probe.current else None
