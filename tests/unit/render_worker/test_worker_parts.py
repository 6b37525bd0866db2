"""The render worker's pure parts: progress throttling, error codes, ids, names, timeouts."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import pytest

from services.render.pipeline import classify, event_id
from services.render.progress import ProgressReporter, job_percent
from services.render.runner import FFmpegError, Progress, RenderTimeout
from services.render.staging import _local_name, staging_key
from services.render.subscribers import max_poll_interval_ms
from shared.composition import Problem, SpecError
from shared.consumer import PermanentError, StepError
from shared.events import Asset


def _progress(out_time: float, speed: float | None = 2.0, *, done: bool = False) -> Progress:
    return Progress(out_time=out_time, duration=10.0, speed=speed, done=done)


async def test_progress_is_sent_only_when_the_percentage_moves_and_at_most_twice_a_second(
) -> None:
    sent: list[tuple[int, float | None]] = []
    speeds: list[float] = []

    async def send(percent: int, speed: float | None) -> None:
        sent.append((percent, speed))

    reporter = ProgressReporter(send, max_rate=2.0, on_speed=speeds.append)
    reporter(_progress(0.0))  # 30%: where encoding starts, nothing new
    reporter(_progress(5.0))  # 60%: sent
    reporter(_progress(6.0))  # 66%: too soon after the last one
    reporter(_progress(10.0, done=True))  # 90%: too soon as well
    await reporter.close()
    assert sent == [(60, 2.0)]
    assert speeds == [2.0, 2.0, 2.0, 2.0]


async def test_progress_events_keep_their_order_and_close_drains_them() -> None:
    sent: list[int] = []

    async def send(percent: int, _speed: float | None) -> None:
        await asyncio.sleep(0.001 * (100 - percent))  # earlier ones are slower to publish
        sent.append(percent)

    reporter = ProgressReporter(send, max_rate=float("inf"))
    for second in range(11):
        reporter(_progress(float(second)))
    await reporter.close()
    assert sent == [job_percent(s / 10) for s in range(1, 11)]
    assert sent == sorted(sent) and sent[-1] == 90


async def test_a_failing_progress_publish_does_not_stop_the_reporter() -> None:
    sent: list[int] = []

    async def send(percent: int, _speed: float | None) -> None:
        if not sent and percent < 50:
            sent.append(-1)
            raise ConnectionError("broker away")
        sent.append(percent)

    reporter = ProgressReporter(send, max_rate=float("inf"))
    reporter(_progress(1.0))
    reporter(_progress(9.0))
    await reporter.close()
    assert sent == [-1, job_percent(0.9)]


def test_job_percent_maps_encoding_into_its_span() -> None:
    assert [job_percent(f) for f in (-1.0, 0.0, 0.5, 1.0, 2.0)] == [30, 30, 60, 90, 90]


def test_errors_get_the_job_error_codes() -> None:
    spec = classify(SpecError([Problem("elements[0].source", "not media")]), "processing")
    assert isinstance(spec, PermanentError)
    assert (spec.code, spec.step, str(spec)) == ("invalid_spec", "processing",
                                                 "elements[0].source: not media")
    timeout = classify(RenderTimeout("too long", stderr_tail="", returncode=None), "encoding")
    assert isinstance(timeout, PermanentError)
    assert (timeout.code, timeout.status) == ("render_timeout", "timeout")
    broken = classify(FFmpegError("exit 1", stderr_tail="Invalid argument", returncode=1,
                                  element="logo"), "encoding")
    assert isinstance(broken, PermanentError)
    assert broken.code == "ffmpeg_failed"
    assert "element logo" in str(broken) and "Invalid argument" in str(broken)
    killed = classify(FFmpegError("killed", stderr_tail="", returncode=-9), "encoding")
    assert type(killed) is StepError  # retried: a signal (e.g. out of memory) may pass
    assert classify(RuntimeError("bug"), "encoding") is None


def test_event_ids_are_fixed_by_job_kind_and_attempt() -> None:
    job = uuid4()
    assert event_id(job, "step.changed", "encoding", "started", 1) == event_id(
        job, "step.changed", "encoding", "started", 1)
    assert event_id(job, "step.changed", "encoding", "started", 1) != event_id(
        job, "step.changed", "encoding", "started", 2)
    assert event_id(job, "render.finished", 1) != event_id(uuid4(), "render.finished", 1)


@pytest.mark.parametrize(("source", "name"), [
    ("https://x.example/a/clip.MP4?sig=1", "003-0123456789abcdef.mp4"),
    ("https://x.example/../../etc/passwd", "003-0123456789abcdef"),
    ("https://x.example/a.b/noext", "003-0123456789abcdef"),
    ("https://x.example/weird.$(rm -rf)", "003-0123456789abcdef"),
])
def test_local_asset_names_keep_only_a_plain_extension(source: str, name: str) -> None:
    asset = Asset(source=source, sha256="0123456789abcdef" * 4, bucket="b", key="k", size=1)
    assert _local_name(3, asset) == name


def test_staging_keys_and_the_poll_interval() -> None:
    job = uuid4()
    assert staging_key(job, 2, "output.mp4") == f"staging/{job}/2/output.mp4"
    # every delivery attempt may render up to the timeout: the group must wait that long
    assert max_poll_interval_ms(3600, 3) >= 3 * 3600 * 1000
    assert max_poll_interval_ms(1e9, 3) == 2**31 - 1
