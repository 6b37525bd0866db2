"""One render, step by step: assets → plan → FFmpeg command → encode → staging → RenderFinished.

Steps emit `StepChanged(started|completed)`; a failure that retrying cannot fix emits
`StepChanged(failed)` and is raised as `PermanentError` with the job's error code, any other
as `StepError` (or as it came), for `EventConsumer` to retry, dead-letter and fail the job.
Every event except progress has an id derived from the job, the step and the attempt, so a
redelivered render republishes the same ids and consumers drop the duplicates.

The spec is validated once (`shared.consumer.parse_spec`), and the sources are not probed
again when storage's probe results came with the request (`staging.known_probes`).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar
from uuid import uuid4

from faststream.kafka import KafkaBroker
from opentelemetry.trace import Span

from services.render.deliver import render_delivery
from services.render.engine import RenderResult, compile_job, prepare, render
from services.render.metrics import RenderMetrics
from services.render.progress import ENCODING_SPAN, ProgressReporter
from services.render.renditions import delivers, delivery_of
from services.render.runner import FFmpegError, RenderTimeout
from services.render.split import Unit, plan_units
from services.render.split_dispatch import dispatch
from services.render.staging import (
    Staged,
    download_assets,
    known_probes,
    upload_delivery,
    upload_outputs,
)
from shared.composition import Job, SpecError
from shared.composition.plan import Plan
from shared.consumer import INVALID_SPEC, PermanentError, StepError, event_id, parse_spec
from shared.events import EventBase, RenderFinished, RenderRequested, Step, StepChanged, Topics
from shared.kafka import publish_event
from shared.settings import EngineSettings
from shared.telemetry import extract_context, span

__all__ = ["PRODUCER", "Pipeline", "RenderDeps"]

log = logging.getLogger(__name__)
T = TypeVar("T")

PRODUCER = "render"
State = Literal["started", "progress", "completed", "failed"]
# The job's percentage when each step starts and ends; encoding fills ENCODING_SPAN.
_PERCENT: dict[tuple[Step, State], int] = {
    ("processing", "started"): 20,
    ("processing", "completed"): 25,
    ("composition", "started"): 25,
    ("composition", "completed"): ENCODING_SPAN[0],
    ("encoding", "started"): ENCODING_SPAN[0],
    ("encoding", "completed"): ENCODING_SPAN[1],
}


@dataclass(frozen=True)
class RenderDeps:
    broker: KafkaBroker
    topics: Topics
    s3: Any
    bucket: str
    engine: EngineSettings
    metrics: RenderMetrics
    worker_id: str
    stall_after: float = 600.0
    pool: Any = None  # asyncpg pool: split jobs record their units (slices_db)
    split_min_seconds: float = 0.0  # 0: never split
    split_slice_seconds: float = 30.0


def _locator(files: Mapping[str, Path]) -> Any:
    def locate(source: str) -> Path:
        try:
            return files[source]
        except KeyError:
            raise FileNotFoundError("the source was not delivered with the job") from None

    return locate


def classify(exc: Exception, step: Step) -> StepError | None:
    """The job-level error for `exc`, or None when it is unexpected (retried as it is)."""
    if isinstance(exc, StepError):
        return exc
    if isinstance(exc, SpecError):
        return PermanentError(INVALID_SPEC, str(exc), step=step)
    if isinstance(exc, RenderTimeout):
        return PermanentError("render_timeout", str(exc), step="encoding", status="timeout")
    if isinstance(exc, FFmpegError):
        # Killed by a signal (e.g. out of memory) may pass on another try; an error exit won't.
        killed = exc.returncode is None or exc.returncode < 0
        kind = StepError if killed else PermanentError
        return kind("ffmpeg_failed", str(exc), step="encoding")
    return None


class Pipeline:
    """Renders one RenderRequested as `attempt`; create one per delivery."""

    def __init__(self, deps: RenderDeps, event: RenderRequested, attempt: int) -> None:
        self.deps = deps
        self.event = event
        self.attempt = attempt
        self.step: Step = "processing"

    async def run(self) -> RenderResult | None:
        """The render's result, or None when the job was split and handed to the fleet."""
        with span("render job", context=extract_context(self.event.trace),
                  job_id=str(self.event.job_id), attempt=self.attempt,
                  worker_id=self.deps.worker_id):
            return await self._run_in_folder()

    def _step_span(self, step: str) -> AbstractContextManager[Span]:
        """A span per step, with the job id and step name (the trace's attributes)."""
        return span(f"render {step}", job_id=str(self.event.job_id), step=step,
                    attempt=self.attempt)

    async def _run_in_folder(self) -> RenderResult | None:
        folder = Path(tempfile.mkdtemp(prefix="vidgen-render-", dir=self.deps.engine.work_dir))
        try:
            return await self._run(folder)
        except Exception as exc:
            error = classify(exc, self.step)
            if error is None:
                raise
            if isinstance(error, PermanentError):
                await self._emit(self.step, "failed", details=_failure_details(error, exc))
            if error is exc:
                raise
            raise error from exc
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)

    async def _run(self, folder: Path) -> RenderResult | None:
        event = self.event
        with self._step_span("processing") as current:
            await self._emit("processing", "started")
            job = parse_spec(event.spec, "processing")
            files = await download_assets(self.deps.s3, list(event.assets), folder / "assets")
            current.set_attribute("assets", len(files))
            current.set_attribute("bytes", sum(asset.size for asset in event.assets))
            probe_source = known_probes(event.assets, files)
            plan = await asyncio.to_thread(  # PyAV probing of what storage did not: sync
                prepare, job, _locator(files), probe_source=probe_source,
                settings=self.deps.engine, raster_dir=folder / "rasters")
            await self._emit("processing", "completed")
        if delivers(job):  # several files: one run, never split
            return await self._deliver(job, plan, folder)
        units = self._units(plan)
        if units:
            await self._split(plan, units)
            return None

        fmt = plan.canvas.output.format
        output = folder / f"output.{fmt}"
        poster = folder / "poster.jpg" if job.output.poster is not None else None
        with self._step_span("composition"):
            await self._emit("composition", "started")
            command = await asyncio.to_thread(
                compile_job, plan, output, poster=poster, settings=self.deps.engine)
            log.debug("job %s: %s", event.job_id, command.shell())
            await self._emit("composition", "completed")

        with self._step_span("encoding") as current:
            await self._emit("encoding", "started")
            log.info("job %s attempt %d: encoding %.2f s of %s", event.job_id, self.attempt,
                     command.duration, fmt)
            result = await self._encode(plan, output, poster)
            log.info("job %s: encoded in %.2f s", event.job_id, result.seconds)
            speed = round(result.duration / result.seconds, 3) if result.seconds > 0 else None
            if speed is not None:
                self.deps.metrics.speed.set(speed)
                current.set_attribute("ffmpeg_speed", speed)
            current.set_attribute("output_bytes", result.size)
            current.set_attribute("video_seconds", result.duration)
            await self._emit("encoding", "completed",
                             details={"speed": speed, "seconds": round(result.seconds, 3)})
        with self._step_span("staging upload") as current:
            current.set_attribute("bytes", result.size)
            staged = await upload_outputs(self.deps.s3, self.deps.bucket, event.job_id,
                                          self.attempt, result.output, fmt, result.poster)
            await self._publish_finished(result, staged)
        self.deps.metrics.render_seconds.labels(format=fmt).observe(result.seconds)
        log.info("job %s: rendered to s3://%s/%s", event.job_id, staged.bucket, staged.key)
        return result

    async def _deliver(self, job: Job, plan: Plan, folder: Path) -> RenderResult:
        """A job with renditions, stills or thumbnails: every file from one FFmpeg run."""
        event, deps = self.event, self.deps
        with self._step_span("composition"):
            await self._emit("composition", "started")
            delivery = delivery_of(job, plan)
            await self._emit("composition", "completed")
        out = folder / "delivery"
        with self._step_span("encoding") as current:
            await self._emit("encoding", "started")
            result = await self._encoding(lambda reporter: render_delivery(
                plan, delivery, out, on_progress=reporter, timeout=deps.engine.render_timeout,
                settings=deps.engine))
            speed = round(result.duration / result.seconds, 3) if result.seconds > 0 else None
            if speed is not None:
                deps.metrics.speed.set(speed)
            current.set_attribute("files", len(result.files))
            await self._emit("encoding", "completed", details={
                "speed": speed, "seconds": round(result.seconds, 3), "files": len(result.files)})
        with self._step_span("staging upload") as current:
            current.set_attribute("bytes", sum(file.size for file in result.files))
            files = await upload_delivery(deps.s3, deps.bucket, event.job_id, self.attempt, out,
                                          result.files)
            poster = next((file for file in files if file.kind == "poster"), None)
            await self._publish(RenderFinished(
                event_id=event_id(event.job_id, "render.finished", self.attempt),
                job_id=event.job_id, producer=PRODUCER, trace=event.trace, bucket=deps.bucket,
                key=files[0].key, size=files[0].size, duration=result.duration,
                poster_key=poster.key if poster else None,
                render_seconds=round(result.seconds, 3), worker_id=deps.worker_id,
                attempt=self.attempt, files=files))
        deps.metrics.render_seconds.labels(format=result.main.path.rsplit(".", 1)[-1]).observe(
            result.seconds)
        log.info("job %s: delivered %d files", event.job_id, len(files))
        return RenderResult(output=out / result.main.path,
                            poster=out / poster.path if poster else None,
                            duration=result.duration, size=result.main.size,
                            seconds=result.seconds, command=result.command)

    def _units(self, plan: Plan) -> list[Unit]:
        deps = self.deps
        if deps.pool is None or deps.split_min_seconds <= 0:
            return []
        return plan_units(plan, min_seconds=deps.split_min_seconds,
                          slice_seconds=deps.split_slice_seconds)

    async def _split(self, plan: Plan, units: list[Unit]) -> None:
        """Hand the job's units to the fleet (services/render/split_dispatch.py)."""
        slices = sum(unit.kind == "video" for unit in units)
        await self._emit("composition", "started")
        await self._emit("composition", "completed", details={"slices": slices})
        await self._emit("encoding", "started", details={
            "slices": slices, "slice_seconds": self.deps.split_slice_seconds})
        await dispatch(self.deps, self.event, self.attempt, plan, units)

    async def _publish_finished(self, result: RenderResult, staged: Staged) -> None:
        event = self.event
        await self._publish(RenderFinished(
            event_id=event_id(event.job_id, "render.finished", self.attempt),
            job_id=event.job_id, producer=PRODUCER, trace=event.trace,
            bucket=staged.bucket, key=staged.key, size=result.size, duration=result.duration,
            poster_key=staged.poster_key, render_seconds=round(result.seconds, 3),
            worker_id=self.deps.worker_id, attempt=self.attempt,
        ))

    async def _encode(self, plan: Plan, output: Path, poster: Path | None) -> RenderResult:
        return await self._encoding(lambda reporter: render(
            plan, output, poster=poster, on_progress=reporter,
            timeout=self.deps.engine.render_timeout, settings=self.deps.engine))

    async def _encoding(self, start: Callable[[ProgressReporter], Awaitable[T]]) -> T:
        """Run an encode with progress reports, killed when FFmpeg stalls or on any error."""
        reporter = ProgressReporter(self._progress, on_speed=self.deps.metrics.speed.set)
        encoding = asyncio.ensure_future(start(reporter))
        try:
            await self._watch_stall(encoding, reporter)
            result = encoding.result()
        except BaseException:
            encoding.cancel()  # FFmpeg killed and its output removed before we go on
            await asyncio.wait({encoding})
            await reporter.abort()
            raise
        await reporter.close()
        return result

    async def _watch_stall(self, encoding: asyncio.Future[Any],
                           reporter: ProgressReporter) -> None:
        """Wait for `encoding`; a FFmpeg silent for `stall_after` s is hung: kill it (the
        render is retried) rather than let it hold the worker until the render timeout."""
        stall_after = self.deps.stall_after
        check = min(5.0, stall_after / 4)
        while not (await asyncio.wait({encoding}, timeout=check))[0]:
            if reporter.silent_for() > stall_after:
                raise StepError("render_stalled", f"FFmpeg reported no progress for "
                                f"{reporter.silent_for():.0f} s", step="encoding")

    async def _progress(self, percent: int, speed: float | None) -> None:
        details = {"speed": speed} if speed is not None else {}
        await self._publish(self._step_event("encoding", "progress", percent, details))

    async def _emit(self, step: Step, state: State, *,
                    details: dict[str, Any] | None = None) -> None:
        if state == "started":
            self.step = step
        await self._publish(self._step_event(step, state, _PERCENT.get((step, state)),
                                             details or {}))

    def _step_event(self, step: Step, state: State, percent: int | None,
                    details: dict[str, Any]) -> StepChanged:
        job_id = self.event.job_id
        # progress events are many and advisory: fresh ids; the others are deterministic
        eid = uuid4() if state == "progress" else event_id(
            job_id, "step.changed", step, state, self.attempt)
        return StepChanged(
            event_id=eid, job_id=job_id, producer=PRODUCER, trace=self.event.trace, step=step,
            state=state, progress=percent, worker_id=self.deps.worker_id,
            attempt=self.attempt, details=details,
        )

    async def _publish(self, event: EventBase) -> None:
        await publish_event(self.deps.broker, self.deps.topics.events, event)


def _failure_details(error: StepError, cause: Exception) -> dict[str, Any]:
    details: dict[str, Any] = {"error_code": error.code, "message": str(error)[:2000]}
    if isinstance(cause, FFmpegError):
        details.update(element=cause.element, stderr_tail=cause.stderr_tail[-4000:])
    spec_error = cause if isinstance(cause, SpecError) else cause.__cause__
    if isinstance(spec_error, SpecError):
        details["problems"] = [problem.as_dict() for problem in spec_error.problems]
    return details
