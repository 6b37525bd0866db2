"""The synchronous client: submit a job, wait for it, follow its events, download it.

    with VidgenClient("http://127.0.0.1:8000", storage_url="http://127.0.0.1:8001") as vidgen:
        job = vidgen.submit(spec)
        done = vidgen.wait(job.job_id, on_progress=print)
        vidgen.download(done, "out.mp4")

Routes go through the generated client (`vidgen_sdk._api`, from the OpenAPI document); the
job bodies are sent as the JSON they are, so that every field of the spec goes through.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx

from vidgen_sdk._api.api.jobs import cancel_job_v1_jobs_job_id_delete as cancel_route
from vidgen_sdk._api.api.jobs import get_job_v1_jobs_job_id_get as get_route
from vidgen_sdk._core import Config, JobLike, body_of, decode, expect, job_json, job_status
from vidgen_sdk.errors import UnreachableError, VidgenError
from vidgen_sdk.models import JobStatus, ServerEvent
from vidgen_sdk.sources import content_type, local_sources, replace_sources
from vidgen_sdk.sse import SseParser

__all__ = ["VidgenClient"]

T = TypeVar("T")
ProgressCallback = Callable[[JobStatus], None]


class VidgenClient:
    """One deployment: `api_url` (ingest) and, for uploads, `storage_url` (storage)."""

    def __init__(self, api_url: str = Config.api_url, *, storage_url: str | None = None,
                 api_key: str | None = None, timeout: float = 60.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.config = Config(api_url, storage_url, api_key, timeout)
        self.api = self.config.generated(transport)
        self._http = self.api.get_httpx_client()
        self._plain = httpx.Client(timeout=timeout, follow_redirects=True, transport=transport)

    def close(self) -> None:
        self._http.close()
        self._plain.close()

    def __enter__(self) -> VidgenClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _send(self, call: Callable[[], T], what: str) -> T:
        try:
            return call()
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise UnreachableError(what, str(exc) or type(exc).__name__) from exc
        except httpx.HTTPError as exc:
            raise VidgenError(f"{what}: {type(exc).__name__}: {exc}") from exc

    def submit(self, job: Mapping[str, Any] | JobLike, *, idempotency_key: str | None = None,
               response: str | None = "async") -> JobStatus:
        """Create a job (a composition, or `{"template": ..., "merge": ...}`); its status.
        InvalidJobError (with each problem's JSON path) when the API refuses it."""
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        answer = self._send(lambda: self._http.post("/v1/jobs", json=job_json(job, response),
                                                    headers=headers), self.config.api_url)
        body = expect(answer.status_code, body_of(answer), "POST /v1/jobs", 200, 201, 202)
        return job_status(body, "POST /v1/jobs")

    def get(self, job_id: str) -> JobStatus:
        """The job's status now."""
        answer = self._send(lambda: get_route.sync_detailed(job_id, client=self.api),
                            self.config.api_url)
        body = expect(answer.status_code, decode(answer.content), "GET job", 200)
        return job_status(body, "GET job")

    def cancel(self, job_id: str) -> JobStatus:
        """Cancel the job (a 409 VidgenError when it has ended already)."""
        answer = self._send(lambda: cancel_route.sync_detailed(job_id, client=self.api),
                            self.config.api_url)
        body = expect(answer.status_code, decode(answer.content), "DELETE job", 200)
        return job_status(body, "DELETE job")

    def wait(self, job_id: str, *, timeout: float = 900.0, interval: float = 0.5,
             on_progress: ProgressCallback | None = None) -> JobStatus:
        """Poll until the job has ended; `on_progress` gets each status polled.
        TimeoutError after `timeout` seconds (the job itself goes on)."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.get(job_id)
            if on_progress is not None:
                on_progress(status)
            if status.done:
                return status
            if time.monotonic() >= deadline:
                raise TimeoutError(f"job {job_id} still {status.status} after {timeout:.0f} s")
            time.sleep(interval)

    def events(self, job_id: str, *, last_event_id: str | None = None) -> Iterator[ServerEvent]:
        """The job's server-sent events (`step`, `status`, `progress`) until `end`, which
        is yielded last, with the finished job as its data."""
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = last_event_id
        parser = SseParser()
        with self._http.stream("GET", f"/v1/jobs/{job_id}/events", headers=headers,
                               timeout=httpx.Timeout(self.config.timeout, read=None)) as answer:
            if answer.status_code != 200:
                answer.read()
                expect(answer.status_code, body_of(answer), "GET events", 200)
            for line in answer.iter_lines():
                event = parser.feed(line)
                if event is not None:
                    yield event
                    if event.event == "end":
                        return

    def upload(self, path: str | Path) -> str:
        """Upload one file to the storage service; the `asset:<sha256>` that names it."""
        path = Path(path)
        with path.open("rb") as data:
            answer = self._send(lambda: self._http.post(
                f"{self.config.storage()}/v1/assets", params={"filename": path.name},
                content=data, headers={"Content-Type": content_type(path)}),
                self.config.storage())
        body = expect(answer.status_code, body_of(answer), "POST /v1/assets", 200, 201)
        if not isinstance(body, dict) or not isinstance(body.get("source"), str):
            raise VidgenError(f"upload of {path.name}: no source in {body!r}", 0, body)
        return str(body["source"])

    def upload_sources(self, job: Mapping[str, Any], base: str | Path = ".") -> dict[str, Any]:
        """A copy of `job` whose local sources (relative to `base`) are uploaded files."""
        spec = dict(job)
        found = local_sources(spec, Path(base))
        ids: dict[Path, str] = {}
        for path in found.values():
            if path not in ids:
                ids[path] = self.upload(path)
        return replace_sources(spec, {place: ids[path] for place, path in found.items()})

    def download(self, job: JobStatus | str, dest: str | Path) -> int:
        """Save a completed job's video (or any result URL) at `dest`, written whole or not
        at all; its size in bytes."""
        url = job if isinstance(job, str) else job.result_url
        if not url:
            raise VidgenError(f"job {getattr(job, 'job_id', '')} has no result to download")
        dest = Path(dest)
        partial = dest.with_name(dest.name + ".part")
        try:
            with self._plain.stream("GET", url) as answer:
                if answer.status_code != 200:
                    answer.read()
                    expect(answer.status_code, answer.text, f"GET {url}", 200)
                with partial.open("wb") as out:
                    for chunk in answer.iter_bytes(1 << 20):
                        out.write(chunk)
        except httpx.HTTPError as exc:
            partial.unlink(missing_ok=True)
            raise VidgenError(f"GET {url}: {type(exc).__name__}: {exc}") from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(dest)
        return dest.stat().st_size
