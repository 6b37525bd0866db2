"""S3 access (aioboto3) with the endpoint from settings: MinIO, AWS, or a local moto server.

Every call goes through botocore's "standard" retry mode: up to `VIDGEN_S3_MAX_ATTEMPTS`
tries with exponential backoff and full jitter on 5xx answers, throttling, connection
errors and timeouts. A stalled endpoint costs at most `VIDGEN_S3_READ_TIMEOUT` seconds per
try. Past that budget the callers turn the error into their job's error code
(`storage_unavailable`, `upload_failed`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import aioboto3
from botocore.config import Config

from shared.settings import PlatformSettings, ReliabilitySettings

__all__ = ["download_path", "ensure_bucket", "s3_client", "s3_config", "upload_path"]


def s3_config(reliability: ReliabilitySettings) -> Config:
    """botocore's client config: retries, timeouts, path-style addressing (MinIO, moto)."""
    return Config(
        retries={"max_attempts": reliability.s3_max_attempts, "mode": "standard"},
        connect_timeout=reliability.s3_connect_timeout,
        read_timeout=reliability.s3_read_timeout,
        s3={"addressing_style": "path"},
    )


@asynccontextmanager
async def s3_client(settings: PlatformSettings,
                    reliability: ReliabilitySettings) -> AsyncIterator[Any]:
    session = aioboto3.Session()
    async with session.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        config=s3_config(reliability),
    ) as client:
        yield client


async def ensure_bucket(client: Any, bucket: str) -> None:
    """Create the bucket unless it exists (idempotent, safe with several services)."""
    try:
        await client.head_bucket(Bucket=bucket)
    except client.exceptions.ClientError:
        with suppress(client.exceptions.BucketAlreadyOwnedByYou):
            await client.create_bucket(Bucket=bucket)


async def upload_path(client: Any, path: Path, bucket: str, key: str,
                      extra_args: dict[str, Any]) -> None:
    """Upload a local file. The file is opened here and closed whatever happens:
    `upload_file` opens it inside the transfer, and a cancelled upload (a job's other
    source failed, a render was cancelled) left that file object open; so did a
    cancellation while the open itself ran in its thread."""
    body = await _open(path, "rb")
    with body:
        await client.upload_fileobj(body, bucket, key, ExtraArgs=extra_args)


async def download_path(client: Any, bucket: str, key: str, path: Path) -> None:
    """Download an object into a local file, opened here and closed whatever happens, for
    the same reasons as `upload_path` (`download_file` opens the file inside the transfer,
    and a cancelled download left it open)."""
    body = await _open(path, "wb")
    with body:
        await client.download_fileobj(bucket, key, body)


async def _open(path: Path, mode: str) -> Any:
    """`path.open(mode)` in a thread; a cancel while it runs still closes the file."""
    opening = asyncio.ensure_future(asyncio.to_thread(path.open, mode))
    try:
        return await asyncio.shield(opening)
    except asyncio.CancelledError:
        # the thread opens the file anyway: close it once it has
        opening.add_done_callback(_close_opened)
        raise


def _close_opened(opening: asyncio.Future[Any]) -> None:
    if not opening.cancelled() and opening.exception() is None:
        opening.result().close()
