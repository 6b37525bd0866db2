"""S3 access (aioboto3) with the endpoint from settings: MinIO, AWS, or a local moto server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import aioboto3
from botocore.config import Config

from shared.settings import PlatformSettings

__all__ = ["ensure_bucket", "s3_client"]

# botocore's own retry mode: exponential backoff with jitter on 5xx, throttling and timeouts.
_CONFIG = Config(
    retries={"max_attempts": 5, "mode": "standard"},
    connect_timeout=5,
    read_timeout=60,
    s3={"addressing_style": "path"},
)


@asynccontextmanager
async def s3_client(settings: PlatformSettings) -> AsyncIterator[Any]:
    session = aioboto3.Session()
    async with session.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        config=_CONFIG,
    ) as client:
        yield client


async def ensure_bucket(client: Any, bucket: str) -> None:
    """Create the bucket unless it exists (idempotent, safe with several services)."""
    try:
        await client.head_bucket(Bucket=bucket)
    except client.exceptions.ClientError:
        with suppress(client.exceptions.BucketAlreadyOwnedByYou):
            await client.create_bucket(Bucket=bucket)
