"""Where the `vidgen` client commands find the platform (`vidgen submit`, `templates`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ClientSettings"]


class ClientSettings(BaseSettings):
    """VIDGEN_PUBLIC_URL and VIDGEN_RESULTS_URL, the defaults of `--api` and `--storage`.

    VIDGEN_RESULTS_URL is also storage's (StorageSettings.results_url): the same address,
    read by the client to reach storage and by storage to write its result URLs.
    """

    model_config = SettingsConfigDict(env_prefix="VIDGEN_", extra="ignore", defer_build=True)

    public_url: str = Field("http://127.0.0.1:8000", description="base URL of the ingest API")
    results_url: str = Field(
        "http://127.0.0.1:8001", description="base URL of the storage service")
