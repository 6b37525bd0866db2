"""What the storage service does with each event of `vidgen.events` (group `storage`).

- JobAccepted: the download step, then RenderRequested to the render topic.
- RenderFinished: the upload step (JobCompleted), then the cleanup step.
- JobCancelled / JobFailed: the job's staging objects are deleted (best effort).

Idempotency: an event is recorded in processed_events (consumer "storage") once all its
effects are done, and skipped when it comes again. Its effects are safe to repeat if a crash
comes before that record: assets are content-addressed, copies are skipped when the final
object exists, and every event published here has an id derived from the job, the event
type and the attempt (`shared.consumer.event_id`), so consumers drop the second copy.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID

import asyncpg
from faststream.kafka import KafkaBroker

from services.storage import db
from services.storage.download import Downloader
from services.storage.outputs import Outputs, finished_day
from shared.consumer import PermanentError, event_id
from shared.events import (
    Event,
    EventBase,
    JobAccepted,
    JobCancelled,
    JobCompleted,
    JobFailed,
    OutputFile,
    RenderFinished,
    RenderRequested,
    Step,
    StepChanged,
    Topics,
)
from shared.kafka import publish_event
from shared.signed_results import ResultSigner, file_url, result_urls
from shared.status import JobStatus
from shared.telemetry import span

__all__ = ["PRODUCER", "StorageHandlers"]

log = logging.getLogger(__name__)

PRODUCER = "storage"

State = Literal["started", "completed", "failed"]


@dataclass
class StorageHandlers:
    pool: asyncpg.Pool
    broker: KafkaBroker
    topics: Topics
    downloader: Downloader
    outputs: Outputs
    results_url: str
    bucket: str
    worker_id: str
    signer: ResultSigner | None = None  # VIDGEN_SIGNED_RESULTS

    async def __call__(self, event: Event) -> None:
        if isinstance(event, JobAccepted):
            await self.on_job_accepted(event)
        elif isinstance(event, RenderFinished):
            await self.on_render_finished(event)
        elif isinstance(event, JobCancelled | JobFailed):
            await self.on_job_ended(event)

    async def on_job_accepted(self, event: JobAccepted) -> None:
        if await db.was_processed(self.pool, event.event_id):
            return
        job_id, attempt = event.job_id, event.attempt
        if await db.job_status(self.pool, job_id) == JobStatus.CANCELLED:
            await db.mark_done(self.pool, event.event_id, job_id, self.topics.events)
            return
        with span("storage download", job_id=str(job_id), step="download",
                  attempt=attempt) as current:
            await self._step(event, "download", "started", attempt)
            try:
                assets = await self.downloader.run(job_id, event.spec)
            except PermanentError as exc:
                await self._step(event, "download", "failed", attempt,
                                 {"error_code": exc.code, "error": str(exc)[:500]})
                raise
            size = sum(a.size for a in assets)
            current.set_attribute("assets", len(assets))
            current.set_attribute("bytes", size)
            await self._step(event, "download", "completed", attempt,
                             {"assets": len(assets), "bytes": size})
        if await db.job_status(self.pool, job_id) != JobStatus.CANCELLED:
            request = RenderRequested(
                event_id=event_id(job_id, "render.requested", attempt), job_id=job_id,
                producer=PRODUCER, trace=event.trace, spec=event.spec, assets=assets,
                attempt=attempt)
            await publish_event(self.broker, self.topics.render, request)
        await db.mark_done(self.pool, event.event_id, job_id, self.topics.events)

    async def on_render_finished(self, event: RenderFinished) -> None:
        if await db.was_processed(self.pool, event.event_id):
            return
        job_id, attempt = event.job_id, event.attempt
        with span("storage upload", job_id=str(job_id), step="upload", attempt=attempt,
                  bytes=event.size):
            await self._step(event, "upload", "started", attempt)
            day = finished_day(event.occurred_at)
            main = event.files[0] if event.files else None
            output = await self.outputs.publish(
                job_id, bucket=event.bucket, key=event.key, size=event.size,
                poster_key=event.poster_key, finished=day,
                path=main.path if main is not None and main.kind == "hls" else None)
            files = await self.outputs.publish_files(job_id, main=output, bucket=event.bucket,
                                                     files=event.files, finished=day)
            await self._step(event, "upload", "completed", attempt,
                             {"bucket": output.bucket, "key": output.key, "size": event.size,
                              "files": len(files)})
        result_url, poster_url = result_urls(self.results_url, job_id,
                                             poster=bool(output.poster_key), signer=self.signer)
        files = with_urls(files, self.results_url, job_id, result_url, poster_url, self.signer)
        if main is not None and main.kind == "hls":
            result_url = files[0].url or result_url  # the playlists are relative to it
        completed = JobCompleted(
            event_id=event_id(job_id, "job.completed", attempt), job_id=job_id,
            producer=PRODUCER, trace=event.trace, result_url=result_url, bucket=output.bucket,
            key=output.key, file_size=event.size, duration=event.duration,
            poster_url=poster_url, files=files)
        await publish_event(self.broker, self.topics.events, completed)
        await self._cleanup(event, [event.key, event.poster_key,
                                    *(file.key for file in event.files)])
        await db.mark_done(self.pool, event.event_id, job_id, self.topics.events)

    async def _cleanup(self, event: RenderFinished, keys: list[str | None]) -> None:
        """The cleanup step; a failure here is reported but does not undo the completion."""
        with span("storage cleanup", job_id=str(event.job_id), step="cleanup",
                  attempt=event.attempt):
            await self._step(event, "cleanup", "started", event.attempt)
            try:
                deleted = await self.outputs.delete_staging(event.job_id, event.bucket, keys)
            except Exception as exc:
                log.warning("cleanup of job %s failed: %s", event.job_id, exc)
                await self._step(event, "cleanup", "failed", event.attempt,
                                 {"error": f"{exc.__class__.__name__}: {exc}"[:500]})
                return
            await self._step(event, "cleanup", "completed", event.attempt, {"deleted": deleted})

    async def on_job_ended(self, event: JobCancelled | JobFailed) -> None:
        try:
            deleted = await self.outputs.delete_staging(event.job_id, self.bucket)
        except Exception as exc:
            log.warning("staging cleanup of %s job %s failed: %s", event.type, event.job_id, exc)
            return
        if deleted:
            log.info("deleted %d staging object(s) of %s job %s", deleted, event.type,
                     event.job_id)

    async def _step(self, cause: EventBase, step: Step, state: State, attempt: int,
                    details: dict[str, Any] | None = None) -> None:
        changed = StepChanged(
            event_id=event_id(cause.job_id, "step.changed", step, state, attempt),
            job_id=cause.job_id, producer=PRODUCER, trace=cause.trace, step=step,
            state=state, worker_id=self.worker_id, attempt=attempt, details=details or {})
        await publish_event(self.broker, self.topics.events, changed)


def with_urls(files: list[OutputFile], base: str, job_id: UUID, result_url: str,
              poster_url: str | None, signer: ResultSigner | None) -> list[OutputFile]:
    """Each file with the URL it is served at: the main output and the poster at their own
    routes (as before), every other file at `/v1/results/{job}/files/{path}`. An HLS main
    output is served there too, so its playlists' relative URIs resolve."""
    urls = []
    for index, file in enumerate(files):
        url = file_url(base, job_id, file.path, signer=signer)
        if index == 0 and file.kind != "hls":
            url = result_url
        elif file.kind == "poster" and poster_url is not None:
            url = poster_url
        urls.append(file.model_copy(update={"url": url}))
    return urls
