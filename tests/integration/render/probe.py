"""Download a staged object and describe it with PyAV, the way a viewer would decode it."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import aioboto3
import av

from shared.settings import PlatformSettings

__all__ = ["Probed", "fetch_and_probe", "fetch_bytes", "object_exists"]


@dataclass(frozen=True)
class Probed:
    size: int
    duration: float | None
    width: int
    height: int
    codec: str
    content_type: str


def _probe(path: Path) -> tuple[float | None, int, int, str]:
    with av.open(str(path)) as container:
        codec = container.streams.video[0].codec_context
        duration = container.duration / av.time_base if container.duration else None
        return duration, codec.width, codec.height, codec.name


async def _fetch(settings: PlatformSettings, key: str) -> tuple[bytes, str]:
    session = aioboto3.Session()
    async with session.client("s3", endpoint_url=settings.s3_endpoint_url,
                              region_name=settings.s3_region) as client:
        response = await client.get_object(Bucket=settings.s3_bucket, Key=key)
        return await response["Body"].read(), response.get("ContentType", "")


async def fetch_bytes(settings: PlatformSettings, key: str) -> bytes:
    """A staged object's bytes."""
    return (await _fetch(settings, key))[0]


async def fetch_and_probe(settings: PlatformSettings, key: str) -> Probed:
    data, content_type = await _fetch(settings, key)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(key).name
        path.write_bytes(data)
        duration, width, height, codec = _probe(path)
    return Probed(len(data), duration, width, height, codec, content_type)


async def object_exists(settings: PlatformSettings, key: str) -> bool:
    session = aioboto3.Session()
    async with session.client("s3", endpoint_url=settings.s3_endpoint_url,
                              region_name=settings.s3_region) as client:
        listing = await client.list_objects_v2(Bucket=settings.s3_bucket, Prefix=key)
    return any(item["Key"] == key for item in listing.get("Contents", ()))
