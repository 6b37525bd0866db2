"""Configuration from the environment (pydantic-settings). One class per concern.

PlatformSettings holds what several services share; each service's own fields are in its
package (services/<name>/settings.py, a subclass of PlatformSettings). A service builds its
settings once in its app.py and passes them down; nothing else reads the environment.

Every class but EngineSettings (the one `vidgen render` reads) is built on first use
(`defer_build`), so the CLI does not build the services' validators at each start.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.media.cube import DEFAULT_MAX_LUT_BYTES

__all__ = [
    "EngineSettings",
    "PlatformSettings",
    "ReliabilitySettings",
    "TelemetrySettings",
    "engine_settings",
    "platform_settings",
]


class EngineSettings(BaseSettings):
    """The render engine: which FFmpeg, how many threads, where temp files go."""

    model_config = SettingsConfigDict(env_prefix="VIDGEN_", extra="ignore")

    ffmpeg: str | None = Field(None, description="FFmpeg binary; default: the imageio-ffmpeg one")
    ffmpeg_threads: int | None = Field(None, ge=1, description="FFmpeg -threads; default: auto")
    render_timeout: float = Field(3600.0, gt=0, description="Seconds before a render is killed")
    ffmpeg_stall_after: float = Field(
        30.0, gt=0, description="Seconds without FFmpeg progress before it is restarted"
    )
    work_dir: str | None = Field(None, description="Temp directory for renders; default: system")
    max_element_pixels: int = Field(
        64 * 1024**2, ge=1024, description="decoded pixels of one element: its source's "
        "frame, the size it is scaled to, its box (each; 8192x8192 by default)")
    max_job_pixels: int = Field(
        256 * 1024**2, ge=1024, description="decoded pixels of every element of a job together")
    max_lut_bytes: int = Field(
        DEFAULT_MAX_LUT_BYTES, ge=1024,
        description="bytes of one .cube LUT file (an element's `lut`)")

    def ffmpeg_exe(self) -> str:
        if self.ffmpeg:
            return self.ffmpeg
        return _bundled_ffmpeg()


@lru_cache(maxsize=1)
def _bundled_ffmpeg() -> str:
    """The imageio-ffmpeg wheel's binary.

    Its own lookup runs the binary once (`-version`) to check it, a cost every short
    `vidgen render` would pay; the wheel's file is used as is when present.
    """
    from imageio_ffmpeg import _utils, get_ffmpeg_exe

    name = _utils.FNAME_PER_PLATFORM.get(_utils.get_platform(), "")
    bundled = Path(_utils._get_bin_dir()) / name
    if name and bundled.is_file() and os.access(bundled, os.X_OK):
        return str(bundled)
    return str(get_ffmpeg_exe())


@lru_cache(maxsize=1)
def engine_settings() -> EngineSettings:
    return EngineSettings()


class PlatformSettings(BaseSettings):
    """Where the services find Postgres, Kafka and S3, and the knobs they share.

    A field used by one service only belongs in that service's subclass.

    The three URLs use their conventional names (DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS,
    S3_ENDPOINT_URL); everything else is VIDGEN_*. S3 credentials come from the usual
    AWS_* variables, read by botocore itself.
    """

    model_config = SettingsConfigDict(env_prefix="VIDGEN_", extra="ignore", populate_by_name=True,
                                      defer_build=True)

    database_url: str = Field(
        "postgresql://vidgen@127.0.0.1:5432/vidgen", validation_alias="DATABASE_URL"
    )
    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:9092", validation_alias="KAFKA_BOOTSTRAP_SERVERS"
    )
    kafka_idempotence: bool = Field(
        True, description="idempotent producers; off for brokers without InitProducerId (Tansu)"
    )
    kafka_fetch_max_wait_ms: int = Field(
        500, ge=1, le=60_000,
        description="longest a consumer's fetch waits for data; Tansu holds an idle fetch of "
        "a multi-partition topic this long even when data arrives, so it is latency there",
    )
    kafka_batch_max: int = Field(
        500, ge=1, le=10_000, description="most messages a batch consumer takes from one fetch")
    kafka_max_message_bytes: int = Field(
        1024**2, ge=64 * 1024, le=64 * 1024**2,
        description="largest message a producer sends (at most the broker's message.max.bytes); "
        "intake refuses a job whose events would be larger",
    )
    s3_endpoint_url: str | None = Field(None, validation_alias="S3_ENDPOINT_URL")
    s3_bucket: str = "vidgen"
    s3_region: str = "us-east-1"
    topic_prefix: str = "vidgen"
    topic_partitions: int = Field(6, ge=1, le=1000)
    topic_replication: int = Field(1, ge=1, le=10)
    fetch_allowed_hosts: str = Field(
        "", description="host[:port] list that may be fetched even if private (tests): "
        "storage's source downloads, ingest's webhooks"
    )
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
    """Read fresh each call: for the entry points (CLI commands, the dev stack)."""
    return PlatformSettings()


class TelemetrySettings(BaseSettings):
    """Tracing export. OTLP uses the standard OpenTelemetry endpoint variables."""

    model_config = SettingsConfigDict(env_prefix="VIDGEN_", extra="ignore", populate_by_name=True,
                                      defer_build=True)

    otlp_endpoint: str | None = Field(
        None,
        validation_alias=AliasChoices(
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT", "otlp_endpoint"
        ),
        description="OTLP/HTTP collector; unset: no OTLP export",
    )
    trace_console: bool = Field(False, description="print finished spans to stdout")


class ReliabilitySettings(BaseSettings):
    """Recovery of lost work: the reaper (run by ingest), render heartbeats, outages."""

    model_config = SettingsConfigDict(env_prefix="VIDGEN_", extra="ignore", defer_build=True)

    reaper_interval: float = Field(30.0, gt=0, description="seconds between reaper passes")
    reaper_stalled_after: float = Field(
        600.0, gt=0, description="seconds without a write to a processing job = stalled"
    )
    reaper_max_requeues: int = Field(
        3, ge=0, description="re-queues of a stalled job before it fails as WORKER_LOST"
    )
    reaper_batch: int = Field(100, ge=1, description="stalled jobs handled per pass")
    render_heartbeat: float = Field(
        30.0, gt=0, description="seconds between a render's heartbeats (keeps it from stalling)"
    )
    outage_budget: float = Field(
        300.0, ge=0, description="seconds a consumer waits out a lost Postgres/broker per event"
    )
    s3_max_attempts: int = Field(5, ge=1, description="tries of one S3 request (backoff, jitter)")
    s3_connect_timeout: float = Field(5.0, gt=0, description="seconds to connect to S3")
    s3_read_timeout: float = Field(60.0, gt=0, description="seconds S3 may stay silent per try")
