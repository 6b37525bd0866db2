"""Configuration from the environment (pydantic-settings). One class per concern."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["EngineSettings", "engine_settings"]


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
