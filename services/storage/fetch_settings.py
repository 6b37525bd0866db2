"""Storage's limits on slow sources and on how many jobs it works on at once.

A class of its own (pydantic-settings, prefix `VIDGEN_`), built by `app.py` next to the
platform settings: a source that drips bytes must fail its job, not hold the consumer.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DownloadSettings"]


class DownloadSettings(BaseSettings):
    """How slow a source may be, how long it may take, how many jobs run side by side."""

    model_config = SettingsConfigDict(env_prefix="VIDGEN_", extra="ignore", defer_build=True)

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
