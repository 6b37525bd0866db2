"""Storage's own settings: its port, result URLs and their signatures, source downloads."""

from __future__ import annotations

from pydantic import Field

from shared.media.cube import DEFAULT_MAX_LUT_BYTES
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
    max_lut_bytes: int = Field(
        DEFAULT_MAX_LUT_BYTES, ge=1024, description="bytes of one .cube LUT (an element's `lut`)")
    max_job_source_bytes: int = Field(
        4 * 1024**3, gt=0, description="all of one job's sources together (download step)"
    )
    fetch_timeout: float = Field(120.0, gt=0, description="seconds one source download may take")
    geoip_db: str | None = Field(
        None, description="MaxMind-format .mmdb for result-access geolocation"
    )
    storage_concurrency: int = Field(
        8, ge=1, le=256,
        description="jobs whose events storage handles at once (one job's events in order)")
    fetch_min_rate: float = Field(
        16 * 1024, ge=0,
        description="bytes/s a source must average over every window of fetch_rate_window "
                    "seconds once its body started (0: no floor)")
    fetch_rate_window: float = Field(
        10.0, gt=0, description="seconds over which fetch_min_rate is averaged")
    fetch_deadline: float | None = Field(
        None, gt=0,
        description="seconds one source may take in all (hops, retries, body); "
                    "unset: VIDGEN_FETCH_TIMEOUT")
