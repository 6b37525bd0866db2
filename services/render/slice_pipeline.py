"""One unit of a split job (SliceRequested): claim it, render it, stage it, maybe stitch.

A worker claims the unit in Postgres (`slices_db.claim_unit`); a unit already done is not
rendered again (a redelivery after its worker committed it done). The unit is rendered
like any job (assets, plan, one FFmpeg run, `only=` its kind), uploaded to
`staging/<job>/slices/<unit>.<fmt>` (a key without the attempt: a later attempt keeps the
units done before it) and recorded done. Then the worker asks for the stitch; the one that
gets it downloads every unit, joins them (services/render/stitch.py), stages the output at
the attempt's usual key and publishes RenderFinished, as an unsplit render does.

Progress: each unit's fraction is stored, and the job's percentage is the share of the
picture rendered across all slices. Cancel: the job's StatusWatch cancels the task
(FFmpeg killed, temp files gone); when the job has ended, its staged units (also one
uploaded after the cancel) are deleted here. A shutdown or the reaper's new attempt also
cancel the task, and then the units done so far stay.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Literal
from uuid import UUID, uuid4

from services.render import slices_db
from services.render.db import FINAL_STATUSES, fetch_job_state
from services.render.engine import prepare, render
from services.render.pipeline import PRODUCER, RenderDeps, classify
from services.render.progress import ProgressReporter, job_percent
from services.render.split import Unit
from services.render.split_render import unit_file
from services.render.staging import CONTENT_TYPES, download_assets, known_probes, staging_key
from services.render.stitch import stitch
from shared.consumer import PermanentError, event_id, parse_spec
from shared.events import RenderFinished, SliceRequested, Step, StepChanged
from shared.kafka import publish_event
from shared.s3 import download_path, upload_path

__all__ = ["STITCH_LEASE", "SlicePipeline", "slice_key"]

log = logging.getLogger(__name__)
StepState = Literal["progress", "completed", "failed"]
STITCH_LEASE = 120.0
"""Seconds after which a stitch claimed by a worker that never finished may be taken over
(by the reaper's new attempt: a stitch of 10 minutes of 1080p takes seconds)."""


def slice_key(job_id: UUID, name: str) -> str:
    return f"staging/{job_id}/slices/{name}"


class SlicePipeline:
    """Renders one SliceRequested as `attempt`; create one per delivery."""

    def __init__(self, deps: RenderDeps, event: SliceRequested, attempt: int) -> None:
        self.deps = deps
        self.event = event
        self.attempt = attempt
        self.step: Step = "encoding"
        self.unit = Unit(event.kind, event.unit, event.start, event.end)

    async def run(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="vidgen-slice-", dir=self.deps.engine.work_dir))
        try:
            await self._run(folder)
        except asyncio.CancelledError:
            # Only a job that ended loses its units: a shutdown or the reaper's new attempt
            # also cancel the render, and the units done so far must then stay.
            await asyncio.shield(self._remove_if_over())
            raise
        except Exception as exc:
            error = classify(exc, self.step)
            if error is None:
                raise
            if isinstance(error, PermanentError):
                await self._step("failed", None, {"error_code": error.code, "slice": self.unit
                                                  .index, "message": str(error)[:2000]})
            if error is exc:
                raise
            raise error from exc
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)

    async def _run(self, folder: Path) -> None:
        event, pool = self.event, self.deps.pool
        async with pool.acquire() as conn:
            renders = await slices_db.claim_unit(conn, event.job_id, event.unit,
                                                 self.deps.worker_id)
        if renders is not None and not await self._render(folder, renders):
            return  # the job ended while the unit rendered
        async with pool.acquire() as conn:
            split = await slices_db.claim_stitch(conn, event.job_id, self.deps.worker_id,
                                                 STITCH_LEASE)
        if split is not None:
            await self._stitch(folder / "stitch", split)

    async def _render(self, folder: Path, renders: int) -> bool:
        """Render, stage and record the unit; False when the job ended meanwhile."""
        event, unit, metrics = self.event, self.unit, self.deps.metrics
        state = "retried" if renders > 1 else "rendering"
        metrics.slice_state(state)
        await self._step("progress", None, {"slice": unit.index, "kind": unit.kind,
                                            "slice_state": state, "renders": renders})
        job = parse_spec(event.spec, "encoding")
        files = await download_assets(self.deps.s3, list(event.assets), folder / "assets")

        def locate(source: str) -> Path:
            return files[source]

        plan = await asyncio.to_thread(prepare, job, locate, settings=self.deps.engine,
                                       probe_source=known_probes(event.assets, files),
                                       raster_dir=folder / "rasters")
        fmt = plan.canvas.output.format
        poster = folder / "poster.jpg" if job.output.poster is not None else None
        reporter = ProgressReporter(self._progress)
        started = time.monotonic()
        try:
            output = unit_file(folder, unit, fmt)
            await render(plan, output, time_range=unit.range, only=unit.kind,
                         poster=poster if unit.kind == "video" else None,
                         on_progress=reporter, timeout=self.deps.engine.render_timeout,
                         settings=self.deps.engine)
        except BaseException:
            await reporter.abort()
            raise
        await reporter.close()
        seconds = time.monotonic() - started
        key = slice_key(event.job_id, output.name)
        await upload_path(self.deps.s3, output, self.deps.bucket, key,
                          {"ContentType": CONTENT_TYPES[fmt]})
        async with self.deps.pool.acquire() as conn:
            if poster is not None and poster.exists():
                poster_key = slice_key(event.job_id, "poster.jpg")
                await upload_path(self.deps.s3, poster, self.deps.bucket, poster_key,
                                  {"ContentType": CONTENT_TYPES["jpg"]})
                await slices_db.set_poster(conn, event.job_id, poster_key)
            await slices_db.finish_unit(conn, event.job_id, unit.index, key, seconds)
            job_state = await fetch_job_state(conn, event.job_id)
        if job_state is not None and job_state.status in FINAL_STATUSES:
            await self._remove_staged(job_state.status)  # cancelled while we uploaded
            return False
        metrics.slice_state("done")
        log.info("job %s: %s rendered in %.2f s (render %d)", event.job_id, unit.name,
                 seconds, renders)
        await self._step("progress", None, {"slice": unit.index, "kind": unit.kind,
                                            "slice_state": "done", "seconds": round(seconds, 3)})
        return True

    async def _stitch(self, folder: Path, split: slices_db.SplitRecord) -> None:
        event, deps = self.event, self.deps
        await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
        async with deps.pool.acquire() as conn:
            records = await slices_db.units_of(conn, event.job_id)
        paths: dict[int, Path] = {}
        for record in records:
            assert record.key is not None
            paths[record.unit] = folder / Path(record.key).name
            await download_path(deps.s3, deps.bucket, record.key, paths[record.unit])
        slices = [paths[r.unit] for r in records if r.kind == "video"]
        audio = next(paths[r.unit] for r in records if r.kind == "audio")
        output = folder / f"output.{split.format}"
        started = time.monotonic()
        await stitch(deps.engine.ffmpeg_exe(), slices, audio, output, fmt=split.format,
                     duration=split.duration, timeout=deps.engine.render_timeout)
        seconds = time.monotonic() - started
        key = staging_key(event.job_id, self.attempt, f"output.{split.format}")
        await upload_path(deps.s3, output, deps.bucket, key,
                          {"ContentType": CONTENT_TYPES[split.format]})
        size = (await asyncio.to_thread(output.stat)).st_size
        async with deps.pool.acquire() as conn:
            await slices_db.mark_stitched(conn, event.job_id)
        deps.metrics.slice_state("stitched")
        await self._step("completed", job_percent(1.0), {"slices": split.units - 1,
                                                         "stitch_seconds": round(seconds, 3)})
        await publish_event(deps.broker, deps.topics.events, RenderFinished(
            event_id=event_id(event.job_id, "render.finished", self.attempt),
            job_id=event.job_id, producer=PRODUCER, trace=event.trace, bucket=deps.bucket,
            key=key, size=size, duration=split.duration, poster_key=split.poster_key,
            render_seconds=round(seconds, 3), worker_id=deps.worker_id, attempt=self.attempt))
        await self._remove_staged("completed", keep=split.poster_key)
        log.info("job %s: %d units stitched in %.2f s", event.job_id, split.units, seconds)

    async def _remove_if_over(self) -> None:
        try:
            state = await fetch_job_state(self.deps.pool, self.event.job_id)
        except Exception as exc:
            log.warning("job %s: status unknown after a cancel (%s); staged units kept",
                        self.event.job_id, exc)
            return
        if state is not None and state.status in FINAL_STATUSES:
            await self._remove_staged(state.status)

    async def _remove_staged(self, why: str, keep: str | None = None) -> None:
        """Delete the job's staged units (best effort: storage's cleanup may follow)."""
        try:
            listing = await self.deps.s3.list_objects_v2(
                Bucket=self.deps.bucket, Prefix=slice_key(self.event.job_id, ""))
            for item in listing.get("Contents", ()):
                if item["Key"] != keep:
                    await self.deps.s3.delete_object(Bucket=self.deps.bucket, Key=item["Key"])
        except Exception as exc:
            log.warning("staged units of %s job %s not deleted: %s", why, self.event.job_id,
                        exc)

    async def _progress(self, percent: int, speed: float | None) -> None:
        fraction = (percent - job_percent(0.0)) / (job_percent(1.0) - job_percent(0.0))
        if self.unit.kind != "video":
            return
        async with self.deps.pool.acquire() as conn:
            share = await slices_db.set_progress(conn, self.event.job_id, self.unit.index,
                                                 fraction)
        details: dict[str, Any] = {"slice": self.unit.index}
        if speed is not None:
            details["speed"] = speed
        await self._step("progress", job_percent(share), details)

    async def _step(self, state: StepState, percent: int | None, details: dict[str, Any]) -> None:
        job_id = self.event.job_id
        eid = uuid4() if state == "progress" else event_id(
            job_id, "step.changed", "encoding", state, self.attempt)
        await publish_event(self.deps.broker, self.deps.topics.events, StepChanged(
            event_id=eid, job_id=job_id, producer=PRODUCER, trace=self.event.trace,
            step="encoding", state=state, progress=percent,
            worker_id=self.deps.worker_id, attempt=self.attempt, details=details))
