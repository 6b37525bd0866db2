"""The upload and cleanup steps: a rendered file from staging to its final key, then tidy up.

Final keys follow the earlier version's layout, `videos/YYYY-MM-DD/<job_id>/<name>.<ext>`,
with the poster next to the video as `<name>.jpg`. The date is the UTC day the render
finished (the RenderFinished event's time), not the wall clock at handling time, so a
redelivered event computes the same key and the same JobCompleted.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import PurePosixPath
from typing import Any
from uuid import UUID

import asyncpg
from botocore.exceptions import ClientError

from services.storage import db
from services.storage.metrics import BYTES, timed
from shared.consumer import PermanentError
from shared.events import OutputFile

__all__ = ["Output", "Outputs", "final_key", "finished_day", "job_prefix", "slug",
           "staging_prefix"]

log = logging.getLogger(__name__)

_COPY_LIMIT = 5 * 1024**3  # CopyObject's limit; larger objects need a multipart copy


def slug(name: str | None) -> str:
    """A file name from a job's metadata name; `video` when there is none."""
    text = re.sub(r"[^a-z0-9]+", "-", (name or "").lower()).strip("-")[:80].strip("-")
    return text or "video"


def job_prefix(job_id: UUID, day: date) -> str:
    """The job's folder: its main output, poster and every other file of a delivery."""
    return f"videos/{day:%Y-%m-%d}/{job_id}/"


def final_key(job_id: UUID, name: str, extension: str, day: date) -> str:
    return f"{job_prefix(job_id, day)}{name}.{extension}"


def staging_prefix(job_id: UUID) -> str:
    return f"staging/{job_id}/"


@dataclass(frozen=True)
class Output:
    bucket: str
    key: str
    poster_key: str | None


class Outputs:
    def __init__(self, pool: asyncpg.Pool, s3: Any, bucket: str) -> None:
        self.pool = pool
        self.s3 = s3
        self.bucket = bucket

    async def publish(self, job_id: UUID, *, bucket: str, key: str, size: int,
                      poster_key: str | None, finished: date, path: str | None = None) -> Output:
        """Copy the staged video (and poster) to the final keys, server-side. A main output
        with its own `path` in the job's folder (an HLS master playlist, whose playlists
        are found relative to it) keeps that path; any other is named after the job."""
        name, output_format = await db.job_naming(self.pool, job_id)
        extension = PurePosixPath(key).suffix.lstrip(".") or output_format or "mp4"
        target = final_key(job_id, slug(name), extension, finished)
        if path is not None:
            target = job_prefix(job_id, finished) + path
        await self._copy(job_id, bucket, key, target, size)
        poster_target = None
        if poster_key:
            poster_target = str(PurePosixPath(target).with_suffix(".jpg"))
            await self._copy(job_id, bucket, poster_key, poster_target, None)
        return Output(self.bucket, target, poster_target)

    async def publish_files(self, job_id: UUID, *, main: Output, bucket: str,
                            files: list[OutputFile], finished: date) -> list[OutputFile]:
        """Copy every other file of a delivery under the job's folder at its own path
        (`videos/<day>/<job>/<path>`); the main file and the poster are `main`'s already."""
        prefix = job_prefix(job_id, finished)
        published = []
        for index, file in enumerate(files):
            if index == 0:
                target = main.key
            elif file.kind == "poster" and main.poster_key:
                target = main.poster_key
            else:
                target = prefix + file.path
                await self._copy(job_id, bucket, file.key, target, file.size)
            published.append(file.model_copy(update={"key": target}))
        return published

    async def _copy(self, job_id: UUID, bucket: str, key: str, target: str,
                    size: int | None) -> None:
        done, source_size = await asyncio.gather(self._size(self.bucket, target),
                                                 self._size(bucket, key))
        if done is not None:
            return  # done by an earlier delivery of the same event
        if source_size is None:
            raise PermanentError("output_missing", f"the rendered file s3://{bucket}/{key} "
                                 "is not there", step="upload")
        operation = await db.start_operation(
            self.pool, job_id=job_id, operation="upload", bucket=self.bucket, key=target,
            metadata={"copy_source": f"{bucket}/{key}"})
        source = {"Bucket": bucket, "Key": key}
        try:
            with timed("copy"):
                if source_size < _COPY_LIMIT:
                    await self.s3.copy_object(CopySource=source, Bucket=self.bucket, Key=target)
                else:
                    await self.s3.copy(source, self.bucket, target)
        except Exception as exc:
            await db.finish_operation(self.pool, operation, success=False,
                                      error_message=f"{exc.__class__.__name__}: {exc}")
            raise
        BYTES.labels("upload").inc(source_size)
        await db.finish_operation(self.pool, operation, success=True,
                                  file_size=size if size is not None else source_size)

    async def _size(self, bucket: str, key: str) -> int | None:
        try:
            head = await self.s3.head_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(head["ContentLength"])

    async def delete_staging(self, job_id: UUID, bucket: str,
                             keys: Iterable[str | None] = ()) -> int:
        """Delete the job's staging objects (the given keys and all under its prefix).

        Only keys under `staging/<job_id>/` are ever deleted. Returns how many were.
        """
        prefix = staging_prefix(job_id)
        targets = {key for key in keys if key and key.startswith(prefix)}
        paginator = self.s3.get_paginator("list_objects_v2")
        async for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            targets.update(item["Key"] for item in page.get("Contents", []))
        deleted = 0
        for key in sorted(targets):
            if await self._delete(job_id, bucket, key):
                deleted += 1
        return deleted

    async def _delete(self, job_id: UUID, bucket: str, key: str) -> bool:
        size = await self._size(bucket, key)
        if size is None:
            return False
        operation = await db.start_operation(self.pool, job_id=job_id, operation="delete",
                                             bucket=bucket, key=key)
        try:
            with timed("delete"):
                await self.s3.delete_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            log.warning("could not delete s3://%s/%s: %s", bucket, key, exc)
            await db.finish_operation(self.pool, operation, success=False,
                                      error_message=str(exc))
            return False
        await db.finish_operation(self.pool, operation, success=True, file_size=size)
        return True


def finished_day(occurred_at: datetime) -> date:
    """The UTC date of an event time (naive times are taken as UTC)."""
    if occurred_at.tzinfo is None:
        return occurred_at.date()
    return occurred_at.astimezone(UTC).date()
