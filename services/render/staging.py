"""Moving bytes between S3 and a render's private temp dir (aioboto3, streamed, async files).

Assets come from the content-addressed cache storage filled (`Asset.bucket/key`); outputs go
to `staging/<job>/<attempt>/`, a key fixed by the job and its attempt, so a redelivered
render overwrites its own earlier upload instead of leaving a second copy.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from botocore.exceptions import BotoCoreError, ClientError

from shared.consumer import PermanentError, StepError
from shared.events import Asset, OutputFile
from shared.media.probe import MediaInfo, probe
from shared.s3 import download_path, upload_path

__all__ = [
    "CONTENT_TYPES",
    "Staged",
    "download_assets",
    "known_probes",
    "staging_key",
    "upload_delivery",
    "upload_outputs",
]

CONTENT_TYPES = {
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
    "avi": "video/x-msvideo",
    "gif": "image/gif",
    "jpg": "image/jpeg",
}
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")
_MISSING = {"404", "NoSuchKey", "NoSuchBucket", "NotFound"}
_PARALLEL_DOWNLOADS = 4


def known_probes(assets: Sequence[Asset],
                 files: Mapping[str, Path]) -> Callable[[Path], MediaInfo]:
    """A `probe_source` for `engine.prepare` that answers from the probes storage made
    (carried on the request, `Asset.probe`) and probes only the sources that came without
    one: fonts need none, and assets cached by an older version, or a version 1 request,
    carry none."""
    known = {files[asset.source]: asset.probe for asset in assets
             if asset.probe is not None and asset.probe.current and asset.source in files}

    def probe_source(path: Path) -> MediaInfo:
        found = known.get(path)
        if found is None:
            return probe(path)
        return MediaInfo(path=path, **found.model_dump(exclude={"version"}))

    return probe_source


def staging_key(job_id: UUID, attempt: int, name: str) -> str:
    return f"staging/{job_id}/{attempt}/{name}"


def _local_name(index: int, asset: Asset) -> str:
    """A file name that keeps the source's extension (a hint for demuxers) and nothing else
    of the user's string."""
    suffix = _SUFFIX.search(PurePosixPath(urlsplit(asset.source).path).name)
    return f"{index:03d}-{asset.sha256[:16]}{suffix.group(0).lower() if suffix else ''}"


async def _download(client: Any, asset: Asset, path: Path, limit: asyncio.Semaphore) -> None:
    async with limit:
        try:
            await download_path(client, asset.bucket, asset.key, path)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _MISSING:
                raise PermanentError(
                    "asset_missing", f"asset of {asset.source} is not in s3://{asset.bucket}/"
                    f"{asset.key}", step="processing") from None
            raise StepError("storage_unavailable", f"downloading {asset.key}: {exc}",
                            step="processing") from exc
        except BotoCoreError as exc:
            raise StepError("storage_unavailable", f"downloading {asset.key}: {exc}",
                            step="processing") from exc
    size = (await asyncio.to_thread(path.stat)).st_size
    if size != asset.size:
        raise PermanentError(
            "asset_mismatch", f"asset of {asset.source} has {size} bytes, expected {asset.size}",
            step="processing")


async def download_assets(client: Any, assets: list[Asset], folder: Path) -> dict[str, Path]:
    """Fetch every asset into `folder`; returns source -> local file."""
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    located: dict[str, Path] = {}
    jobs = []
    limit = asyncio.Semaphore(_PARALLEL_DOWNLOADS)
    for index, asset in enumerate(assets):
        if asset.source in located:
            continue
        path = folder / _local_name(index, asset)
        located[asset.source] = path
        jobs.append(_download(client, asset, path, limit))
    await asyncio.gather(*jobs)
    return located


@dataclass(frozen=True)
class Staged:
    bucket: str
    key: str
    poster_key: str | None


async def upload_outputs(client: Any, bucket: str, job_id: UUID, attempt: int, output: Path,
                         fmt: str, poster: Path | None) -> Staged:
    """Upload the rendered file (and its poster) to the job's staging keys."""
    key = staging_key(job_id, attempt, f"output.{fmt}")
    poster_key = staging_key(job_id, attempt, "poster.jpg") if poster is not None else None
    try:
        await upload_path(client, output, bucket, key, {"ContentType": CONTENT_TYPES[fmt]})
        if poster is not None and poster_key is not None:
            await upload_path(client, poster, bucket, poster_key,
                              {"ContentType": CONTENT_TYPES["jpg"]})
    except (ClientError, BotoCoreError) as exc:
        raise StepError("upload_failed", f"uploading {key}: {exc}", step="encoding") from exc
    return Staged(bucket, key, poster_key)


async def upload_delivery(client: Any, bucket: str, job_id: UUID, attempt: int,
                          folder: Path, files: Sequence[Any]) -> list[OutputFile]:
    """Upload every delivered file (`deliver.DeliveredFile`) to the job's staging keys,
    under the same relative paths; returns them as the event lists them."""
    limit = asyncio.Semaphore(_PARALLEL_DOWNLOADS)

    async def one(file: Any) -> OutputFile:
        key = staging_key(job_id, attempt, file.path)
        async with limit:
            try:
                await upload_path(client, folder / file.path, bucket, key,
                                  {"ContentType": file.content_type})
            except (ClientError, BotoCoreError) as exc:
                raise StepError("upload_failed", f"uploading {key}: {exc}",
                                step="encoding") from exc
        return OutputFile(path=file.path, kind=file.kind, key=key, size=file.size,
                          content_type=file.content_type, name=file.name,
                          duration=file.duration, width=file.width, height=file.height)

    return list(await asyncio.gather(*(one(file) for file in files)))
