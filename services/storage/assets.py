"""The content-addressed asset cache: S3 `assets/<sha256>` plus an `asset_cache` row.

A file enters the cache (`AssetStore.admit`) only after its first bytes say it is a
self-contained media file, a font or a subtitle file (`sniff`) and, for media, PyAV could
probe it; a subtitle file must parse whole (its first problem is named by line). The S3
object is written only when it is not there yet, so the same content fetched twice, or
uploaded by two clients, is stored once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from uuid import UUID

import asyncpg
from botocore.exceptions import ClientError

from services.storage import db
from services.storage.db import AssetRow
from services.storage.metrics import BYTES, timed
from services.storage.sniff import CONTENT_TYPES, font_kind, media_kind, read_head, subtitle_kind
from shared.composition.subtitles import (
    MAX_SUBTITLE_BYTES,
    SubtitleError,
    decode_subtitles,
    parse_subtitles,
)
from shared.events import PROBE_VERSION
from shared.media.cube import DEFAULT_MAX_LUT_BYTES, CubeError, check_cube, looks_like_cube
from shared.media.probe import ProbeError, probe
from shared.s3 import upload_path

__all__ = ["AssetStore", "Expect", "NotMedia", "asset_key", "probe_summary",
           "subtitle_summary"]

Expect = Literal["media", "font", "subtitles", "lut", "any"]


class NotMedia(ValueError):
    """The file is not something a composition can use."""


def asset_key(sha256: str) -> str:
    return f"assets/{sha256}"


def probe_summary(path: Path) -> dict[str, Any]:
    """shared.media.probe as JSON (blocking: call it in a thread).

    `version` says which probe made it: the render trusts only the current one's results
    (`shared.events.MediaProbe`) and probes older ones again.
    """
    info = probe(path)
    return {
        "version": PROBE_VERSION, "duration": info.duration, "width": info.width,
        "height": info.height,
        "rotation": info.rotation, "fps": info.fps, "has_video": info.has_video,
        "has_audio": info.has_audio, "is_image": info.is_image, "has_alpha": info.has_alpha,
    }


def _kind(head: bytes,
          expect: Expect) -> tuple[str, Literal["media", "font", "subtitles", "lut"]]:
    """(kind, family) of the file, or NotMedia."""
    media = media_kind(head) if expect in ("media", "any") else None
    if media is not None:
        return media, "media"
    font = font_kind(head) if expect in ("font", "any") else None
    if font is not None:
        return font, "font"
    subtitles = subtitle_kind(head) if expect in ("subtitles", "any") else None
    if subtitles is not None:
        return subtitles, "subtitles"
    if expect in ("lut", "any") and looks_like_cube(head):
        return "cube", "lut"
    wanted = {"media": "a media file", "font": "a font file",
              "subtitles": "a subtitle file (SubRip .srt or WebVTT .vtt)",
              "lut": "a .cube LUT",
              "any": "a media, font, subtitle or .cube LUT file"}[expect]
    raise NotMedia(f"not {wanted} (unrecognised content)")


def subtitle_summary(path: Path) -> dict[str, Any]:
    """A subtitle file parsed whole (blocking): its cue count, or NotMedia with the line."""
    size = path.stat().st_size
    if size > MAX_SUBTITLE_BYTES:
        raise NotMedia(f"a subtitle file of {size} bytes, more than the {MAX_SUBTITLE_BYTES} "
                       "one may have")
    try:
        cues = parse_subtitles(decode_subtitles(path.read_bytes()))
    except SubtitleError as exc:
        raise NotMedia(f"not a valid SRT or WebVTT file: {exc}") from None
    return {"subtitles": len(cues)}


def _check_font(path: Path) -> None:
    """NotMedia unless FreeType reads the file: an sfnt tag alone does not make a font."""
    from PIL import ImageFont

    try:
        ImageFont.truetype(str(path), 12)
    except OSError as exc:
        raise NotMedia(f"not a font file FreeType can read ({exc})") from None


@dataclass
class AssetStore:
    pool: asyncpg.Pool
    s3: Any
    bucket: str
    max_lut_bytes: int = DEFAULT_MAX_LUT_BYTES

    async def find(self, sha256: str) -> AssetRow | None:
        return await db.get_asset(self.pool, sha256)

    async def admit(self, path: Path, sha256: str, size: int, *, content_type: str | None,
                    source_url: str | None, job_id: UUID | None,
                    expect: Expect = "media") -> AssetRow:
        """Check, probe and store a local file; returns its cache row (NotMedia if unusable)."""
        head = await asyncio.to_thread(read_head, path)
        kind, family = _kind(head, expect)
        existing = await db.get_asset(self.pool, sha256)
        if existing is not None and await self._exists(existing.bucket or self.bucket,
                                                       existing.key):
            return existing
        if family == "font":
            await asyncio.to_thread(_check_font, path)
            summary: dict[str, Any] = {"font": kind}
        elif family == "subtitles":
            summary = await asyncio.to_thread(subtitle_summary, path)
        elif family == "lut":
            try:
                await asyncio.to_thread(check_cube, path, self.max_lut_bytes)
            except CubeError as exc:
                raise NotMedia(f"not a usable .cube LUT: {exc}") from None
            summary = {"lut": kind}
        else:
            try:
                with timed("probe"):
                    summary = await asyncio.to_thread(probe_summary, path)
            except ProbeError as exc:
                raise NotMedia(str(exc)) from None
        summary["format"] = kind
        asset = AssetRow(sha256=sha256, bucket=self.bucket, key=asset_key(sha256), size=size,
                         content_type=CONTENT_TYPES.get(kind, content_type), probe=summary)
        await self._put(path, asset, job_id, source_url)
        await db.upsert_asset(self.pool, asset, source_url)
        return asset

    async def _exists(self, bucket: str, key: str) -> bool:
        try:
            await self.s3.head_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    async def _put(self, path: Path, asset: AssetRow, job_id: UUID | None,
                   source_url: str | None) -> None:
        if await self._exists(self.bucket, asset.key):
            return
        operation = await db.start_operation(
            self.pool, job_id=job_id, operation="upload", bucket=self.bucket, key=asset.key,
            source_url=source_url, content_type=asset.content_type,
            metadata={"sha256": asset.sha256, "purpose": "asset"})
        try:
            with timed("upload"):
                await upload_path(
                    self.s3, path, self.bucket, asset.key,
                    {"ContentType": asset.content_type or "application/octet-stream",
                     "Metadata": {"sha256": asset.sha256}})
        except Exception as exc:
            await db.finish_operation(self.pool, operation, success=False,
                                      error_message=f"{exc.__class__.__name__}: {exc}")
            raise
        BYTES.labels("upload").inc(asset.size)
        await db.finish_operation(self.pool, operation, success=True, file_size=asset.size)
