"""Configuration from the environment (pydantic-settings). One class per concern."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["EngineSettings", "PlatformSettings", "engine_settings", "platform_settings"]


class EngineSettings(BaseSettings):
    """The render engine: which FFmpeg, how many threads, where temp files go."""

    model_config = SettingsConfigDict(env_prefix="VIDGEN_", extra="ignore")

    ffmpeg: str | None = Field(None, description="FFmpeg binary; default: the imageio-ffmpeg one")
    ffmpeg_threads: int | None = Field(None, ge=1, description="FFmpeg -threads; default: auto")
    render_timeout: float = Field(3600.0, gt=0, description="Seconds before a render is killed")
    work_dir: str | None = Field(None, description="Temp directory for renders; default: system")

    def ffmpeg_exe(self) -> str:
        if self.ffmpeg:
            return self.ffmpeg
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())


@lru_cache(maxsize=1)
def engine_settings() -> EngineSettings:
    return EngineSettings()


class PlatformSettings(BaseSettings):
    """Where the services find Postgres, Kafka and S3, and the knobs they share.

    The three URLs use their conventional names (DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS,
    S3_ENDPOINT_URL); everything else is VIDGEN_*. S3 credentials come from the usual
    AWS_* variables, read by botocore itself.
    """

    model_config = SettingsConfigDict(env_prefix="VIDGEN_", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        "postgresql://vidgen@127.0.0.1:5432/vidgen", validation_alias="DATABASE_URL"
    )
    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS"
    )
    s3_endpoint_url: str | None = Field(None, validation_alias="S3_ENDPOINT_URL")
    s3_bucket: str = "vidgen"
    s3_region: str = "us-east-1"
    topic_prefix: str = "vidgen"
    topic_partitions: int = Field(6, ge=1, le=1000)
    topic_replication: int = Field(1, ge=1, le=10)
    api_port: int = Field(8000, ge=0, le=65535, description="ingest HTTP API")
    storage_port: int = Field(8001, ge=0, le=65535, description="storage HTTP (assets, results)")
    render_port: int = Field(8002, ge=0, le=65535, description="render worker /metrics")
    metrics_port: int = Field(8003, ge=0, le=65535, description="metrics service HTTP")
    public_url: str = Field("http://127.0.0.1:8000", description="base URL of the ingest API")
    results_url: str = Field(
        "http://127.0.0.1:8001", description="base of result URLs (the storage service)"
    )
    webhook_secret: str = Field("", description="HMAC key for completion webhooks")
    fetch_allowed_hosts: str = Field(
        "", description="host[:port] list that may be fetched even if private (tests)"
    )
    max_source_bytes: int = Field(2 * 1024**3, gt=0)
    fetch_timeout: float = Field(120.0, gt=0)
    max_attempts: int = Field(3, ge=1, description="deliveries of one event before the DLQ")
    stall_after: float = Field(600.0, gt=0, description="seconds without progress = stalled")
    instance_id: str = Field(default_factory=lambda: _default_instance())

    @property
    def topics(self) -> Any:
        from shared.events import Topics

        return Topics(prefix=self.topic_prefix)

    def allowed_hosts(self) -> frozenset[str]:
        return frozenset(h.strip().lower() for h in self.fetch_allowed_hosts.split(",") if h)


def _default_instance() -> str:
    import os
    import socket

    return f"{socket.gethostname()}-{os.getpid()}"


def platform_settings() -> PlatformSettings:
    """Read fresh each call: services call it once at start-up and pass it down."""
    return PlatformSettings()
