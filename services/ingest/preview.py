"""Previews: a job validated as POST /v1/jobs validates it, then rendered at once by a render
worker over HTTP (docs/decisions.md, "Previews"), with no job row, events or S3 output.

Workers are VIDGEN_RENDER_URLS, tried in turn from a rotating start: one that is busy
(503) or does not answer is skipped for the next; when none can take the preview the
answer is 503 with Retry-After.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
from fastapi import HTTPException

from services.ingest.api_settings import ApiSettings
from services.ingest.intake import Origin, Templates, draft_job
from services.ingest.limits import job_problems
from services.ingest.preview_fetch import StorageFetcher
from services.ingest.preview_sources import resolve_sources
from services.ingest.settings import IngestSettings
from shared.composition import Problem, SpecError
from shared.composition.budget import PixelLimits
from shared.composition.preview import PreviewParams, range_problems, request_problems

__all__ = ["WORKER_PATH", "Preview", "Previewer", "RenderWorkers"]

WORKER_PATH = "/internal/v1/preview"


@dataclass(frozen=True)
class Preview:
    content: bytes
    media_type: str


class RenderWorkers:
    """The render workers' preview endpoints, tried in rotation."""

    def __init__(self, urls: list[str], timeout: float) -> None:
        self.urls = [url.rstrip("/") for url in urls]
        self._turn = itertools.count()
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout, connect=2.0),
                                         trust_env=False)

    async def close(self) -> None:
        await self._client.aclose()

    async def render(self, body: dict[str, Any]) -> Preview:
        """The first worker that takes it renders it; SpecError for its 422."""
        if not self.urls:
            raise HTTPException(503, "no render worker is configured (VIDGEN_RENDER_URLS)",
                                headers={"Retry-After": "1"})
        first = next(self._turn) % len(self.urls)
        refusals: list[str] = []
        for url in self.urls[first:] + self.urls[:first]:
            try:
                answer = await self._client.post(f"{url}{WORKER_PATH}", json=body)
            except httpx.HTTPError as exc:
                refusals.append(f"{url}: {type(exc).__name__}")
                continue
            if answer.status_code == 200:
                return Preview(answer.content, answer.headers.get("content-type", ""))
            if answer.status_code == 422:
                raise SpecError([Problem(**problem) for problem in answer.json()["errors"]])
            if answer.status_code == 503:
                refusals.append(f"{url}: busy")
                continue
            detail = answer.json().get("detail", answer.text[:500])
            raise HTTPException(502, f"the render worker could not render the preview: "
                                     f"{detail}")
        raise HTTPException(503, f"no render worker could take the preview now "
                                 f"({'; '.join(refusals)})", headers={"Retry-After": "1"})


class Previewer:
    """Validates a preview request and has a worker render it."""

    def __init__(self, settings: IngestSettings, api: Callable[[], ApiSettings],
                 pixels: PixelLimits, pool: asyncpg.Pool, workers: RenderWorkers,
                 fetcher: StorageFetcher | None = None) -> None:
        """`api` answers the API settings in force (the ingest service's, read per request);
        `fetcher` has storage fetch URL sources not in the cache (none: they are 422)."""
        self.settings = settings
        self._api = api
        self.pixels = pixels
        self.pool = pool
        self.workers = workers
        self.fetcher = fetcher

    async def preview(self, data: Any, params: PreviewParams, origin: Origin,
                      templates: Templates, credentials: Mapping[str, str] | None = None,
                      ) -> Preview:
        """Every problem at once, job and parameters alike (SpecError, 422). `credentials`
        are the caller's, sent along when storage is asked to fetch a source."""
        api = self._api()
        problems = request_problems(params, api.max_preview_seconds)
        try:
            draft = draft_job(data, origin, templates=templates,
                              limits=lambda job: job_problems(job, api, self.pixels),
                              max_event_bytes=self.settings.kafka_max_message_bytes)
        except SpecError as exc:
            raise SpecError(exc.problems + problems) from None
        fixed = draft.job.output.duration
        if fixed is not None:  # else only the worker knows the length
            named = {problem.path for problem in problems}
            problems += [problem for problem in range_problems(params, fixed)
                         if problem.path not in named]
        if problems:
            raise SpecError(problems)
        assets = await resolve_sources(self.pool, draft.job, self.settings.s3_bucket,
                                       self.fetcher, credentials)
        return await self.workers.render({
            "spec": draft.spec, "params": params.model_dump(by_alias=True),
            "assets": [asset.model_dump(mode="json") for asset in assets]})
