"""Run FFmpeg as an asyncio subprocess: progress from `-progress`, cancel and timeout kill it.

The event loop is never blocked: stdout (progress) and stderr (errors) are read by
coroutines while FFmpeg works. Whatever ends the run (success, failure, cancellation,
timeout), FFmpeg is gone and partial outputs are removed before this returns or raises.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["FFmpegError", "FFmpegStalled", "Progress", "RenderTimeout", "run_ffmpeg"]

_STDERR_TAIL_LINES = 40


@dataclass(frozen=True)
class Progress:
    """One `-progress` report: how far the output is, and FFmpeg's speed (x realtime)."""

    out_time: float
    duration: float
    speed: float | None
    done: bool

    @property
    def fraction(self) -> float:
        if self.done:
            return 1.0
        return max(0.0, min(1.0, self.out_time / self.duration)) if self.duration > 0 else 0.0


class FFmpegError(RuntimeError):
    """FFmpeg failed. Carries the tail of its stderr and, when it can tell, the element at fault."""

    def __init__(self, message: str, *, stderr_tail: str, returncode: int | None,
                 element: str | None = None) -> None:
        self.stderr_tail = stderr_tail
        self.returncode = returncode
        self.element = element
        where = f" (element {element})" if element else ""
        super().__init__(f"{message}{where}: {stderr_tail.strip()[-2000:] or 'no output'}")


class RenderTimeout(FFmpegError):
    """The render ran past its time limit and was killed."""


class FFmpegStalled(FFmpegError):
    """FFmpeg stopped making progress (or wrote everything and never exited) and was killed.

    FFmpeg 9's threaded scheduler occasionally deadlocks, most often right after the last
    packet; a fresh run of the same command succeeds, so callers may retry.
    """


class _Watchdog:
    """Tracks -progress reports; `stalled()` says why FFmpeg looks stuck, or None."""

    def __init__(self, duration: float, stall_after: float) -> None:
        loop = asyncio.get_running_loop()
        self.clock = loop.time
        self.started = self.advanced = self.clock()
        self.duration = duration
        self.stall_after = stall_after
        self.out_time = -1.0
        self.finished_at: float | None = None

    def saw(self, progress: Progress) -> None:
        now = self.clock()
        if progress.out_time > self.out_time:
            self.out_time, self.advanced = progress.out_time, now
        if self.finished_at is None and (
            progress.done or progress.out_time >= self.duration - 1e-3
        ):
            self.finished_at = now

    def stalled(self) -> str | None:
        now = self.clock()
        if self.finished_at is not None:
            # Writing the trailer (and faststart's rewrite) takes time in proportion to the
            # render; far longer than the render itself means FFmpeg is stuck.
            grace = max(5.0, self.finished_at - self.started)
            if now - self.finished_at > grace:
                return f"all {self.duration:g} s written but FFmpeg did not exit in {grace:.0f} s"
        else:
            # Quiet for longer than it had been running when it last advanced (and at
            # least stall_after): a slow start (encoder lookahead) is not a stall.
            limit = max(self.stall_after, self.advanced - self.started)
            if now - self.advanced > limit:
                return f"no progress for {limit:.0f} s"
        return None


ProgressCallback = Callable[[Progress], None]


async def _read_progress(
    stream: asyncio.StreamReader, duration: float, on_progress: ProgressCallback | None
) -> None:
    fields: dict[str, str] = {}
    while line := await stream.readline():
        key, _, value = line.decode(errors="replace").strip().partition("=")
        fields[key] = value
        if key != "progress":
            continue
        if on_progress is not None:
            on_progress(_parse_progress(fields, duration))
        fields = {}


def _parse_progress(fields: dict[str, str], duration: float) -> Progress:
    micros = fields.get("out_time_us") or fields.get("out_time_ms") or "0"
    try:
        out_time = max(0, int(micros)) / 1_000_000
    except ValueError:
        out_time = 0.0
    speed_text = fields.get("speed", "").rstrip("x").strip()
    try:
        speed: float | None = float(speed_text)
    except ValueError:
        speed = None
    return Progress(out_time, duration, speed, fields.get("progress") == "end")


async def _read_tail(stream: asyncio.StreamReader, tail: deque[str]) -> None:
    while line := await stream.readline():
        tail.append(line.decode(errors="replace").rstrip())


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _element_at_fault(stderr: str, sources: dict[Path, str]) -> str | None:
    for path, element in sources.items():
        if str(path) in stderr:
            return element
    return None


async def run_ffmpeg(
    args: list[str],
    *,
    duration: float,
    outputs: Iterable[Path] = (),
    on_progress: ProgressCallback | None = None,
    timeout: float | None = None,
    sources: dict[Path, str] | None = None,
    stall_after: float = 30.0,
) -> None:
    """Run `args`; on any failure kill FFmpeg, delete `outputs`, and raise FFmpegError.

    FFmpegStalled when its progress stops for `stall_after` seconds, or when it has written
    everything but does not exit (see `_Watchdog`).
    """
    outputs = list(outputs)
    tail: deque[str] = deque(maxlen=_STDERR_TAIL_LINES)
    watchdog = _Watchdog(duration, stall_after)

    def report(progress: Progress) -> None:
        watchdog.saw(progress)
        if on_progress is not None:
            on_progress(progress)

    process = await asyncio.create_subprocess_exec(
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    readers = asyncio.gather(
        _read_progress(process.stdout, duration, report),
        _read_tail(process.stderr, tail),
    )
    try:
        async with asyncio.timeout(timeout):
            returncode = await _wait(process, readers, watchdog)
    except _Stalled as stall:
        await _kill(process, readers)
        _remove(outputs)
        raise FFmpegStalled(
            f"FFmpeg stalled ({stall})", stderr_tail="\n".join(tail), returncode=None
        ) from None
    except TimeoutError:
        await _kill(process, readers)
        _remove(outputs)
        raise RenderTimeout(
            f"render exceeded its time limit of {timeout:g} s",
            stderr_tail="\n".join(tail), returncode=None,
        ) from None
    except BaseException:
        await _kill(process, readers)
        _remove(outputs)
        raise
    if returncode != 0:
        _remove(outputs)
        stderr = "\n".join(tail)
        raise FFmpegError(
            f"FFmpeg exited with status {returncode}",
            stderr_tail=stderr,
            returncode=returncode,
            element=_element_at_fault(stderr, sources or {}),
        )


class _Stalled(Exception):
    pass


async def _wait(
    process: asyncio.subprocess.Process, readers: asyncio.Future[Any], watchdog: _Watchdog
) -> int:
    """Wait for FFmpeg to exit, checking the watchdog twice a second."""
    exited = asyncio.ensure_future(asyncio.shield(readers))
    while True:
        done, _ = await asyncio.wait({exited}, timeout=0.5)
        if done:
            return await process.wait()
        reason = watchdog.stalled()
        if reason is not None:
            exited.cancel()
            raise _Stalled(reason)


async def _kill(process: asyncio.subprocess.Process, readers: asyncio.Future[Any]) -> None:
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
    await asyncio.shield(process.wait())
    readers.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await readers
