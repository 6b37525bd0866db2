"""Ingest's own settings: its listener, waits, event streams and webhooks.

The HTTP API's limits (rate limits, job limits, proxies) are ApiSettings (api_settings.py).
"""

from __future__ import annotations

from pydantic import AliasChoices, Field

from shared.settings import PlatformSettings

__all__ = ["IngestSettings"]


class IngestSettings(PlatformSettings):
    """The platform's settings and ingest's VIDGEN_* variables."""

    api_host: str = Field("127.0.0.1", description="address the ingest HTTP API listens on")
    api_port: int = Field(8000, ge=0, le=65535, description="ingest HTTP API")
    immediate_wait: float = Field(
        60.0, gt=0, description="seconds an immediate/auto request waits before answering 202"
    )
    sse_keepalive: float = Field(
        15.0, gt=0, description="seconds between keepalive comments on idle event streams"
    )
    sse_linger: float = Field(
        10.0, ge=0, description="seconds a finished job's stream waits for its last steps"
    )
    webhook_secret: str = Field("", description="HMAC key for completion webhooks")
    render_urls: str = Field(
        "http://127.0.0.1:8002", description="comma-separated base URLs of the render workers' "
        "HTTP ports, where previews are rendered (POST /v1/preview)")
    preview_timeout: float = Field(
        30.0, gt=0, description="seconds one render worker may take for a preview")
    preview_fetch_timeout: float = Field(
        60.0, gt=0, description="seconds a preview waits for storage to fetch a URL source "
        "it has not fetched before (longer: 504, the fetch goes on)")

    storage_url: str = Field(
        "http://127.0.0.1:8001", validation_alias=AliasChoices(
            "VIDGEN_STORAGE_URL", "VIDGEN_RESULTS_URL"),
        description="storage's base URL: where the playground uploads the examples' media "
                    "and previews have URL sources fetched")
    examples_dir: str | None = Field(
        None, description="the playground's examples (default: the repository's examples/)")

    def render_url_list(self) -> list[str]:
        return [url.strip() for url in self.render_urls.split(",") if url.strip()]
