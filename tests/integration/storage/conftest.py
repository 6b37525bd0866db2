"""Fixtures of the storage tests: small real media, loopback origin and canary servers,
and platform settings pointing at the session's Postgres, Kafka and S3."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from uuid import uuid4

import pytest
import pytest_asyncio

from services.storage.settings import StorageSettings
from shared.settings import engine_settings
from shared.testing.brokers import RunningBroker
from tests.integration.storage.servers import Origin, Servers, running


def _ffmpeg(*args: str) -> None:
    command = [engine_settings().ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.fixture(scope="session")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """clip.mp4 (1 s, 160x120, with audio), logo.png (64x48), tone.wav (0.5 s)."""
    folder = tmp_path_factory.mktemp("media")
    clip, logo, tone = folder / "clip.mp4", folder / "logo.png", folder / "tone.wav"
    _ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=1",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(clip))
    _ffmpeg("-f", "lavfi", "-i", "color=c=red:size=64x48", "-frames:v", "1", str(logo))
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=220:duration=0.5", str(tone))
    fonts = Path(__file__).resolve().parents[3] / "shared" / "fonts"
    return {"clip.mp4": clip, "logo.png": logo, "tone.wav": tone,
            "font.ttf": fonts / "DejaVuSans.ttf"}


@pytest_asyncio.fixture
async def servers(media: dict[str, Path]) -> AsyncIterator[Servers]:
    origin, canary = Origin(media), Origin()
    async with running(origin) as origin_url, running(canary) as canary_url:
        yield Servers(origin, origin_url, canary, canary_url)


@pytest.fixture
def platform(db_dsn: str, kafka_broker: RunningBroker, s3_env: dict[str, str],
             servers: Servers) -> StorageSettings:
    return StorageSettings(
        database_url=db_dsn,
        kafka_bootstrap_servers=kafka_broker.bootstrap,
        kafka_idempotence=kafka_broker.kind != "tansu",  # Tansu has no InitProducerId
        s3_endpoint_url=s3_env["S3_ENDPOINT_URL"],
        s3_bucket=f"vidgen-storage-{uuid4().hex[:10]}",
        topic_prefix=f"test-storage-{uuid4().hex[:10]}",
        topic_partitions=2,
        fetch_allowed_hosts=",".join(servers.allowed),
        max_source_bytes=5 * 1024 * 1024,
        fetch_timeout=10,
        max_attempts=2,
        results_url="http://storage.test",
        instance_id="storage-test",
    )
