"""The render worker's own settings: its HTTP listener and its shutdown grace."""

from __future__ import annotations

from pydantic import Field

from shared.settings import PlatformSettings

__all__ = ["RenderSettings"]


class RenderSettings(PlatformSettings):
    """The platform's settings and the render worker's VIDGEN_* variables.

    The engine's own (FFmpeg, timeouts, pixel bounds) stay in EngineSettings: `vidgen
    render` reads them without a platform.
    """

    render_port: int = Field(8002, ge=0, le=65535, description="render worker /metrics")
    render_host: str = Field(
        "127.0.0.1", description="address the render worker's HTTP listens on"
    )
    split_min_seconds: float = Field(
        120.0, ge=0, description="a job at least this long is split into slices that the "
        "fleet renders together (0: never split)"
    )
    split_slice_seconds: float = Field(
        30.0, gt=0, description="length of one slice of a split job, in seconds"
    )
    render_shutdown_grace: float = Field(
        25.0, ge=0, description="seconds a stopping render worker lets its current render finish"
    )
    preview_slots: int = Field(
        2, ge=1, description="previews one worker renders at a time (more: 503, ingest asks "
        "another worker)")
    preview_cache_bytes: int = Field(
        2 * 1024**3, ge=0, description="bytes of preview sources a worker keeps on disk")
