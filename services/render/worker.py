"""A render worker: one delivery at a time, stopped by the job's status or by shutdown.

For each RenderRequested (or SliceRequested, one unit of a split job: see
services/render/slice_pipeline.py) the worker reads the job from Postgres (it never writes `jobs`):
a job already completed or cancelled is a stale redelivery and is skipped; otherwise the
render runs as its own task, watched by a `StatusWatch` that cancels it when the job ends
elsewhere (cancelled by the client, timed out, finished by another worker, re-queued by the
reaper). The attempt number for staging keys and event ids is `jobs.attempts`; a delivery
of an older attempt (the reaper re-queued the job since) is stale and skipped. While a render
runs, a heartbeat (`StepChanged(progress)` without a percentage) goes out every
`VIDGEN_RENDER_HEARTBEAT` seconds, so the reaper never takes a healthy render for a lost one,
however long its download, probing, encoding or upload takes.

Shutdown (`stop`) lets the current render finish within a grace period, else cancels it
(FFmpeg killed, temp files removed) and raises `Interrupted` out of the handler so the
message is not committed and another worker renders it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from uuid import uuid4

import asyncpg

from services.render.db import SKIP_STATUSES
from services.render.pipeline import PRODUCER, Pipeline, RenderDeps
from services.render.slice_pipeline import SlicePipeline
from services.render.watch import StatusWatch
from shared.consumer import PermanentError
from shared.events import Event, RenderRequested, SliceRequested, StepChanged
from shared.kafka import publish_event

__all__ = ["Interrupted", "RenderWorker"]

log = logging.getLogger(__name__)


class Interrupted(BaseException):
    """The worker is shutting down: the delivery must end without being committed.

    A BaseException so that EventConsumer's retry loop, which retries any Exception, lets
    it through to the subscriber, which turns it into a nack.
    """


class RenderWorker:
    def __init__(self, deps: RenderDeps, pool: asyncpg.Pool, *, heartbeat: float,
                 status_poll: float = 5.0) -> None:
        self.deps = deps
        self.pool = pool
        self.status_poll = status_poll
        self.heartbeat = heartbeat
        self.draining = False
        self._interrupting = False
        self._render: asyncio.Task[object] | None = None
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def busy(self) -> bool:
        return not self._idle.is_set()

    async def process(self, event: Event) -> None:
        """Handle one delivery from the render topic (run by EventConsumer)."""
        if not isinstance(event, RenderRequested | SliceRequested):
            log.warning("ignoring %s %s on the render topic", event.type, event.event_id)
            self.deps.metrics.outcome("skipped")
            return
        if self.draining:
            raise Interrupted
        self._idle.clear()
        try:
            await self._process(event)
        finally:
            self._idle.set()

    async def _process(self, event: RenderRequested | SliceRequested) -> None:
        async with StatusWatch(self.pool, event.job_id, poll_interval=self.status_poll) as watch:
            state = watch.state
            if state is None:
                raise PermanentError("unknown_job", f"job {event.job_id} does not exist",
                                     step="processing")
            if state.status in SKIP_STATUSES:
                log.info("job %s is already %s: skipping", event.job_id, state.status)
                self.deps.metrics.outcome("skipped")
                return
            if event.attempt < state.attempts:
                log.info("job %s is on attempt %d: skipping the stale attempt %d",
                         event.job_id, state.attempts, event.attempt)
                self.deps.metrics.outcome("skipped")
                return
            if self.draining:
                raise Interrupted
            attempt = state.attempts if state.attempts > 0 else event.attempt
            pipeline: Pipeline | SlicePipeline = (
                SlicePipeline(self.deps, event, attempt) if isinstance(event, SliceRequested)
                else Pipeline(self.deps, event, attempt))
            render = asyncio.create_task(pipeline.run(), name=f"render-{event.job_id}")
            watch.on_final(lambda _status: render.cancel())
            beat = asyncio.create_task(self._beat(pipeline), name=f"heartbeat-{event.job_id}")
            try:
                await self._await_render(render, watch)
            finally:
                beat.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await beat

    async def _beat(self, pipeline: Pipeline | SlicePipeline) -> None:
        """Tell ingest the render is alive (touches `jobs.updated_at`), whatever its step."""
        event = pipeline.event
        while True:
            await asyncio.sleep(self.heartbeat)
            beat = StepChanged(
                event_id=uuid4(), job_id=event.job_id, producer=PRODUCER,
                trace=event.trace, step=pipeline.step, state="progress",
                worker_id=self.deps.worker_id, attempt=pipeline.attempt,
                details={"heartbeat": True})
            try:
                await publish_event(self.deps.broker, self.deps.topics.events, beat)
            except Exception as exc:  # advisory, like progress: the next beat may get through
                log.warning("heartbeat of job %s not published: %s", event.job_id, exc)

    async def _await_render(self, render: asyncio.Task[object], watch: StatusWatch) -> None:
        metrics = self.deps.metrics
        self._render = render
        metrics.in_progress.inc()
        try:
            await render
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise  # this handler itself is being cancelled
            if self._interrupting:
                metrics.outcome("interrupted")
                raise Interrupted from None
            if watch.final_status is None:
                raise
            metrics.outcome("cancelled")
            log.info("render of job %s stopped: the job is %s", watch.job_id, watch.final_status)
        except PermanentError as exc:
            metrics.outcome("timeout" if exc.status == "timeout" else "failed")
            raise
        except Exception:
            metrics.outcome("failed")
            raise
        else:
            metrics.outcome("completed")
        finally:
            self._render = None
            metrics.in_progress.dec()

    async def stop(self, grace: float) -> None:
        """Take no more work; let the current render finish within `grace` s, else cancel it."""
        self.draining = True
        if not self.busy:
            return
        log.info("waiting up to %.0f s for the current render to finish", grace)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), grace)
        if not self.busy:
            return
        log.warning("grace period over: cancelling the current render, leaving it uncommitted")
        self._interrupting = True
        if self._render is not None:
            self._render.cancel()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), 60)
