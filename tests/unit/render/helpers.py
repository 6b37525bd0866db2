"""Helpers for render tests: make media with FFmpeg, render specs, decode what came out.

Everything is measured on decoded output (PyAV), never on the FFmpeg command: a test passes
only if the pixels, samples and stream properties are what the spec asked for.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from services.render.cli import local_locator
from services.render.engine import RenderResult, TimeRange, prepare, render_sync
from shared.composition import parse_job
from shared.composition.plan import Plan
from shared.settings import EngineSettings, engine_settings

__all__ = [
    "BLACK",
    "BLUE",
    "GRAY",
    "LIME",
    "RED",
    "RENDER_TIMEOUT",
    "WHITE",
    "StreamInfo",
    "audio_rms",
    "decode_frames",
    "ffmpeg",
    "frame_at",
    "plan_for",
    "render_spec",
    "rgb_near",
    "stream_info",
]

RED = (255, 0, 0)
LIME = (0, 255, 0)
BLUE = (0, 0, 255)
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)
GRAY = (128, 128, 128)
RENDER_TIMEOUT = 60.0


def ffmpeg(*args: str) -> None:
    """Run the engine's FFmpeg binary; fail loudly with its stderr."""
    command = [engine_settings().ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"ffmpeg {' '.join(args)} failed: {done.stderr[-2000:]}")


# the engine's settings for the tests: the environment's, as `vidgen render` reads them, but
# a stalled FFmpeg (FFmpeg 9's scheduler sometimes deadlocks at the end of a sped-up clip
# with sound) is restarted after 8 s instead of 30: these renders take well under a second,
# and a restart must fit in RENDER_TIMEOUT
ENGINE = EngineSettings().model_copy(update={"ffmpeg_stall_after": 8.0})


def plan_for(spec: dict[str, Any], base: Path) -> Plan:
    """Parse and prepare a spec whose sources are paths relative to `base` (or absolute)."""
    return prepare(parse_job(spec), local_locator(base), settings=ENGINE)


def render_spec(
    spec: dict[str, Any],
    base: Path,
    output: Path,
    *,
    time_range: TimeRange | None = None,
    poster: Path | None = None,
) -> RenderResult:
    """Render `spec` for real into `output` and return the engine's result.

    These renders take well under a second: a stuck FFmpeg fails the test within a minute
    instead of waiting for the engine's default limit of an hour.
    """
    return render_sync(
        plan_for(spec, base), output, time_range=time_range, poster=poster,
        timeout=RENDER_TIMEOUT, settings=ENGINE,
    )


def decode_frames(path: Path) -> list[tuple[float, np.ndarray]]:
    """Every video frame of `path` as (presentation time in s, RGB array), in time order."""
    frames = []
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            assert frame.time is not None
            frames.append((float(frame.time), frame.to_ndarray(format="rgb24")))
    frames.sort(key=lambda pair: pair[0])
    return frames


def frame_at(path: Path, t: float) -> np.ndarray:
    """The decoded frame that is on screen at `t` seconds: the last one whose pts <= t."""
    frames = decode_frames(path)
    shown = [image for time, image in frames if time <= t + 1e-6]
    if not shown:
        raise AssertionError(f"{path.name} has no frame at {t} s (first at {frames[0][0]} s)")
    return shown[-1]


def rgb_near(pixel: Any, expected: tuple[int, int, int], tol: int = 24) -> bool:
    """Whether an RGB pixel is within `tol` of `expected` on every channel."""
    values = np.asarray(pixel, dtype=int)[:3]
    return bool(np.all(np.abs(values - np.asarray(expected, dtype=int)) <= tol))


def audio_rms(path: Path, start: float, end: float) -> float:
    """Root-mean-square level (full scale = 1.0) of the first audio stream in [start, end)."""
    chunks = []
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=stream.rate or 48000)
        for frame in container.decode(stream):
            for mono in resampler.resample(frame):
                assert mono.time is not None
                samples = mono.to_ndarray().reshape(-1)
                times = mono.time + np.arange(samples.size) / mono.sample_rate
                chunks.append(samples[(times >= start) & (times < end)])
    data = np.concatenate(chunks) if chunks else np.zeros(0)
    if data.size == 0:
        raise AssertionError(f"{path.name} has no audio samples in [{start}, {end})")
    return float(np.sqrt(np.mean(np.square(data, dtype=np.float64))))


@dataclass(frozen=True)
class StreamInfo:
    format_name: str
    video_codec: str | None
    pix_fmt: str | None
    width: int | None
    height: int | None
    fps: Fraction | None
    duration: float | None
    frames: int
    audio_codec: str | None
    sample_rate: int | None


def stream_info(path: Path) -> StreamInfo:
    """Codecs, size, frame rate, duration and the decoded frame count of a rendered file."""
    with av.open(str(path)) as container:
        video = container.streams.video[0] if container.streams.video else None
        audio = container.streams.audio[0] if container.streams.audio else None
        duration = None
        if container.duration is not None:
            duration = container.duration / av.time_base
        info = StreamInfo(
            format_name=container.format.name,
            video_codec=video.codec_context.name if video else None,
            pix_fmt=video.codec_context.pix_fmt if video else None,
            width=video.codec_context.width if video else None,
            height=video.codec_context.height if video else None,
            fps=Fraction(video.average_rate) if video and video.average_rate else None,
            duration=duration,
            frames=0,
            audio_codec=audio.codec_context.name if audio else None,
            sample_rate=audio.codec_context.sample_rate if audio else None,
        )
    frames = len(decode_frames(path)) if info.video_codec else 0
    return StreamInfo(**{**info.__dict__, "frames": frames})
