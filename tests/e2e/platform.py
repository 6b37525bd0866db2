"""The running platform as the e2e tests see it: its URLs, its database, polling helpers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import av
import httpx

from shared.devstack import DevStack
from shared.events import Topics

MEDIA = Path(__file__).resolve().parents[2] / "examples" / "media"
T = TypeVar("T")
TERMINAL = {"completed", "failed", "cancelled", "timeout"}
JOB_TIMEOUT = 120.0


def tiny_spec(source: str, *, duration: float = 1.5, **extra: Any) -> dict[str, Any]:
    """A job that renders in about a second: a photo and a caption, 320x180."""
    return {
        "output": {"format": "mp4", "width": 320, "height": 180, "fps": 24,
                   "duration": duration, "quality": {"preset": "ultrafast"}},
        "elements": [
            {"id": "photo", "type": "image", "source": source, "fit": "cover"},
            {"id": "caption", "type": "text", "text": "e2e", "font_size": 24, "y": "80%"},
        ],
        **extra,
    }


@dataclass
class Platform:
    stack: DevStack
    dsn: str
    bootstrap: str
    broker_kind: str
    prefix: str
    log_path: Path

    @property
    def api(self) -> str:
        return self.stack.api_url

    @property
    def storage(self) -> str:
        return self.stack.storage_url

    @property
    def topics(self) -> Topics:
        return Topics(prefix=self.prefix)

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    async def query(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        conn = await asyncpg.connect(self.dsn)
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    async def poll(self, fetch: Callable[[], Awaitable[T]], done: Callable[[T], bool], *,
                   what: str, timeout: float = 30.0, interval: float = 0.2) -> T:
        """Call ``fetch`` until ``done`` holds for its result; fail after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            value = await fetch()
            if done(value):
                return value
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{what}: not within {timeout:.0f}s; last value: {value!r}\n"
                    f"--- services ---\n{self.log_tail()}"
                )
            await asyncio.sleep(interval)

    async def finished_job(self, http: httpx.AsyncClient, job_id: str,
                           timeout: float = JOB_TIMEOUT) -> dict[str, Any]:
        """Poll GET /v1/jobs/{id} until the job is terminal; return its status."""
        self.stack.check()

        async def fetch() -> dict[str, Any]:
            response = await http.get(f"{self.api}/v1/jobs/{job_id}")
            assert response.status_code == 200, response.text
            body: dict[str, Any] = response.json()
            return body

        return await self.poll(fetch, lambda s: s.get("status") in TERMINAL,
                               what=f"job {job_id} to finish", timeout=timeout, interval=0.3)

    async def job_row(self, job_id: str) -> asyncpg.Record | None:
        rows = await self.query("SELECT * FROM jobs WHERE id = $1::uuid", job_id)
        return rows[0] if rows else None


@dataclass(frozen=True)
class VideoFacts:
    duration: float
    width: int
    height: int
    streams: tuple[str, ...]
    size: int


def probe_video(path: Path) -> VideoFacts:
    """What PyAV says about a downloaded result (decoding one frame proves it plays)."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        next(container.decode(video))
        duration = (container.duration or 0) / av.time_base
        return VideoFacts(
            duration=duration,
            width=video.codec_context.width,
            height=video.codec_context.height,
            streams=tuple(sorted(stream.type for stream in container.streams)),
            size=path.stat().st_size,
        )
