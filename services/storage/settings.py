"""Storage's own settings: its port, result URLs and their signatures, source downloads."""

from __future__ import annotations

from pydantic import Field

from shared.settings import PlatformSettings

__all__ = ["StorageSettings"]


class StorageSettings(PlatformSettings):
    """The platform's settings and storage's VIDGEN_* variables."""

    storage_port: int = Field(8001, ge=0, le=65535, description="storage HTTP (assets, results)")
    results_url: str = Field(
        "http://127.0.0.1:8001", description="base of result URLs (the storage service)"
    )
    signed_results: bool = Field(
        False, description="result URLs carry an expiring signature; storage refuses others"
    )
    results_secret: str = Field("", description="HMAC key of signed result URLs")
    signed_results_ttl: int = Field(
        7 * 86400, ge=60, description="seconds a signed result URL stays valid"
    )
    max_source_bytes: int = Field(
        2 * 1024**3, gt=0, description="bytes of one source download or upload")
    max_job_source_bytes: int = Field(
        4 * 1024**3, gt=0, description="all of one job's sources together (download step)"
    )
    fetch_timeout: float = Field(120.0, gt=0, description="seconds one source download may take")
    geoip_db: str | None = Field(
        None, description="MaxMind-format .mmdb for result-access geolocation"
    )
