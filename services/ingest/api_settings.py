"""Settings of the HTTP API: rate limits, trusted proxies, job limits, how creations are
written, access log."""

from __future__ import annotations

from functools import cached_property

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.forwarded import Network, parse_networks

__all__ = ["ApiSettings"]


class ApiSettings(BaseSettings):
    """VIDGEN_* variables. The rate limits count per API key, or per client IP without one,
    in fixed windows of ``rate_window`` seconds (the earlier version: 100 an hour)."""

    model_config = SettingsConfigDict(env_prefix="VIDGEN_", extra="ignore")

    rate_limit: int = Field(100, ge=0, description="job creations per key/IP and window")
    read_rate_limit: int = Field(
        3600, ge=0, description="other API requests (status polls, lists) per key/IP and window")
    preview_rate_limit: int = Field(
        1000, ge=0, description="previews (POST /v1/preview) per key/IP and window")
    max_preview_seconds: float = Field(
        10.0, gt=0, description="seconds of one preview clip (from/to)")
    rate_window: int = Field(3600, ge=1, description="seconds of one rate-limit window")
    trusted_proxies: str = Field(
        "", description="comma-separated CIDRs whose X-Forwarded-For is believed "
        "(the only way a forwarded address counts; see shared/forwarded.py)")
    max_elements: int = Field(100, ge=1, description="elements of one job")
    max_duration: float = Field(3600.0, gt=0, description="seconds of output of one job")
    max_width: int = Field(7680, ge=2, description="output width in pixels")
    max_height: int = Field(4320, ge=2, description="output height in pixels")
    max_renditions: int = Field(
        4, ge=1, le=16, description="renditions (`outputs`) of one job; each is one more encode")
    max_text_length: int = Field(5000, ge=1, description="characters of one text element")
    max_body_bytes: int = Field(1024**2, ge=1024, description="bytes of one request body")
    max_batch: int = Field(1000, ge=1, description="jobs of one POST /v1/jobs/batch")
    max_batch_body_bytes: int = Field(
        16 * 1024**2, ge=1024,
        description="bytes of one POST /v1/jobs/batch body (16 KiB a job at 1,000 jobs)")
    write_batch: int = Field(
        200, ge=1, description="most job creations written in one transaction (group commit)")
    write_transactions: int = Field(
        2, ge=1, description="job-creation transactions in flight at a time")
    access_log: bool = Field(True, description="log every HTTP request (uvicorn's access log)")

    @cached_property
    def proxy_networks(self) -> tuple[Network, ...]:
        return parse_networks(self.trusted_proxies)
