"""Running FFmpeg: progress, cancellation, timeouts and errors, with real FFmpeg processes.

A "long" render is a 20-minute composition: it cannot finish during a test, so whatever
ends it is the thing under test. Synchronisation is by events (the first progress report),
never by sleeping.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from services.render.engine import render
from services.render.runner import FFmpegError, Progress, RenderTimeout, run_ffmpeg
from shared.composition.plan import Plan
from shared.settings import EngineSettings, engine_settings
from tests.unit.render.helpers import ENGINE, RENDER_TIMEOUT, plan_for, stream_info

LONG = 1200.0


def long_plan(media: Any) -> Plan:
    document = {
        "output": {"width": 320, "height": 240, "duration": LONG,
                   "quality": {"preset": "veryslow"}, "poster": {"time": 0}},
        "elements": [{"type": "video", "source": "pattern.mp4", "past_end": "loop"}],
    }
    return plan_for(document, media.dir)


class Spawned:
    """Records the FFmpeg processes the runner starts."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.processes: list[asyncio.subprocess.Process] = []
        original = asyncio.create_subprocess_exec

        async def spawn(*args: Any, **kwargs: Any) -> asyncio.subprocess.Process:
            process = await original(*args, **kwargs)
            self.processes.append(process)
            return process

        # the runner calls asyncio.create_subprocess_exec through the asyncio module
        monkeypatch.setattr(asyncio, "create_subprocess_exec", spawn)

    def only(self) -> asyncio.subprocess.Process:
        assert len(self.processes) == 1
        return self.processes[0]


def assert_gone(pid: int) -> None:
    """The process has exited and been reaped: no such PID any more."""
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


async def test_progress_reaches_done(media: Any, tmp_path: Path) -> None:
    document = {
        "output": {"width": 160, "height": 120, "duration": 2,
                   "quality": {"preset": "ultrafast"}},
        "elements": [{"type": "video", "source": "pattern.mp4"}],
    }
    reports: list[Progress] = []
    result = await render(plan_for(document, media.dir), tmp_path / "out.mp4",
                          on_progress=reports.append, timeout=RENDER_TIMEOUT, settings=ENGINE)
    assert reports, "no progress was reported"
    assert reports[-1].done
    assert reports[-1].fraction == 1.0
    assert not any(report.done for report in reports[:-1])
    assert all(report.duration == 2 for report in reports)
    times = [report.out_time for report in reports]
    assert times == sorted(times)
    assert 1.9 <= reports[-1].out_time <= 2.1
    assert all(0.0 <= report.fraction <= 1.0 for report in reports)
    assert result.size == (tmp_path / "out.mp4").stat().st_size > 0
    assert stream_info(tmp_path / "out.mp4").frames == 60


async def test_cancelling_the_render_kills_ffmpeg_and_cleans_up(
    media: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spawned = Spawned(monkeypatch)
    started = asyncio.Event()
    out_dir = tmp_path / "out"
    task = asyncio.create_task(
        render(long_plan(media), out_dir / "out.mp4", poster=out_dir / "poster.jpg",
               on_progress=lambda _: started.set(), settings=ENGINE)
    )
    await asyncio.wait_for(started.wait(), timeout=60)
    process = spawned.only()
    assert process.returncode is None, "FFmpeg should still be working"
    assert [p for p in out_dir.iterdir() if p.name.startswith(".vidgen-")], "no temp file yet?"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=30)
    assert process.returncode is not None
    assert_gone(process.pid)
    assert list(out_dir.iterdir()) == []


async def test_timeout_kills_ffmpeg_and_cleans_up(
    media: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spawned = Spawned(monkeypatch)
    out_dir = tmp_path / "out"
    with pytest.raises(RenderTimeout) as caught:
        await asyncio.wait_for(render(long_plan(media), out_dir / "out.mp4", timeout=1.0,
                                      settings=ENGINE), 60)
    assert "1 s" in str(caught.value)
    process = spawned.only()
    assert process.returncode is not None
    assert_gone(process.pid)
    assert list(out_dir.iterdir()) == []


async def test_ffmpeg_error_carries_the_stderr_tail_and_the_element(
    media: Any, tmp_path: Path
) -> None:
    source = tmp_path / "clip.mp4"
    source.write_bytes((media.dir / "seconds.mp4").read_bytes())
    document = {
        "output": {"width": 160, "height": 120, "duration": 1,
                   "quality": {"preset": "ultrafast"}},
        "elements": [{"id": "the-clip", "type": "video", "source": str(source)}],
    }
    plan = plan_for(document, tmp_path)
    source.unlink()  # gone between planning and rendering
    out_dir = tmp_path / "out"
    with pytest.raises(FFmpegError) as caught:
        await render(plan, out_dir / "out.mp4", timeout=RENDER_TIMEOUT, settings=ENGINE)
    error = caught.value
    assert not isinstance(error, RenderTimeout)
    assert error.returncode not in (None, 0)
    assert "clip.mp4" in error.stderr_tail
    assert "No such file" in error.stderr_tail
    assert error.element == "the-clip"
    assert "clip.mp4" in str(error)
    assert list(out_dir.iterdir()) == []


async def test_run_ffmpeg_keeps_only_the_tail_of_stderr(tmp_path: Path) -> None:
    script = tmp_path / "noisy"
    script.write_text(
        "#!/bin/sh\nfor n in $(seq 1 100); do echo \"error line $n\" >&2; done\nexit 3\n"
    )
    script.chmod(0o755)
    output = tmp_path / "x.mp4"
    output.write_bytes(b"partial")
    with pytest.raises(FFmpegError) as caught:
        await run_ffmpeg([str(script)], duration=1.0, outputs=[output])
    error = caught.value
    assert error.returncode == 3
    lines = error.stderr_tail.splitlines()
    assert lines[-1] == "error line 100"
    assert "error line 1" not in lines
    assert 10 <= len(lines) < 100
    assert "error line 100" in str(error)
    assert not output.exists(), "a failed run deletes its partial outputs"


async def test_run_ffmpeg_reports_real_ffmpeg_errors(tmp_path: Path) -> None:
    args = [engine_settings().ffmpeg_exe(), "-hide_banner", "-nostdin", "-f", "lavfi",
            "-i", "nosuchfilter", str(tmp_path / "x.mp4")]
    with pytest.raises(FFmpegError) as caught:
        await run_ffmpeg(args, duration=1.0, outputs=[tmp_path / "x.mp4"])
    assert caught.value.returncode not in (None, 0)
    assert "nosuchfilter" in caught.value.stderr_tail
    assert not (tmp_path / "x.mp4").exists()


async def test_renders_with_sound_do_not_get_stuck(media: Any, tmp_path: Path) -> None:
    """An endless `apad` before the output's end made FFmpeg hang at random (up to half of
    the renders mixing sources that end at different times); the mix now ends with a silent
    bed of the exact length."""
    document = {
        "output": {"width": 64, "height": 48, "quality": {"preset": "ultrafast"}},
        "elements": [
            {"type": "video", "source": "seconds.mp4", "duration": 0.5},
            {"type": "audio", "source": "tone.wav", "start": 0.1, "duration": 0.3},
        ],
    }
    plan = plan_for(document, media.dir)
    # FFmpeg 9 still deadlocks now and then; the runner's watchdog restarts it.
    settings = EngineSettings(ffmpeg_stall_after=3.0)
    for attempt in range(20):
        out = tmp_path / f"out{attempt}.mp4"
        await render(plan, out, timeout=60, settings=settings)
        assert stream_info(out).frames == 15
