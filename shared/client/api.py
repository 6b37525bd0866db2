"""A small synchronous client of the platform's HTTP API (ingest) and storage service.

    POST {api}/v1/jobs            the spec               -> 200 done / 202 accepted / 422
    POST {api}/v1/jobs/batch      {"jobs": [spec, ...]}  -> 200 a result per job, in order
    GET  {api}/v1/jobs/{id}       status, progress, step, result_url, error
    POST {storage}/v1/assets      raw bytes, ?filename=  -> {"source": "asset:<sha256>"}
    GET  {result_url}             the video
    GET  {result_url}/poster      its poster (JPEG), when the spec asked for one
"""

from __future__ import annotations

import mimetypes
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx
import vidgen_sdk

from shared.composition import Problem
from shared.status import TERMINAL

__all__ = ["TERMINAL", "ApiError", "InvalidJob", "Unreachable", "VidgenClient",
           "problems_from_body"]



class ApiError(RuntimeError):
    """The API answered with an error (or could not be reached: status_code 0)."""

    def __init__(self, message: str, status_code: int = 0, body: Any = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body


class InvalidJob(ApiError):
    """The API rejected the spec (422); `problems` names every field at fault."""

    def __init__(self, problems: list[Problem], body: Any) -> None:
        super().__init__(f"invalid job: {len(problems)} problem(s)", 422, body)
        self.problems = problems


class Unreachable(ApiError):
    """Nothing answered at `base_url`: no platform runs there (or a firewall is in the way)."""

    def __init__(self, base_url: str, reason: str) -> None:
        super().__init__(
            f"no platform answers at {base_url} ({reason}). Start one on this machine with "
            "`vidgen dev`, or give its address with --api/--storage "
            "(VIDGEN_PUBLIC_URL/VIDGEN_RESULTS_URL)")
        self.base_url = base_url


def _problem(item: Any) -> Problem:
    if isinstance(item, dict):
        path = item.get("path")
        if path is None and isinstance(item.get("loc"), list):
            path = ".".join(str(part) for part in item["loc"])
        message = item.get("message", item.get("msg", item))
        return Problem(str(path or "$"), str(message))
    return Problem("$", str(item))


def problems_from_body(body: Any) -> list[Problem]:
    """The problems of a 422 answer: ``errors`` or ``detail`` as a list of {path, message}
    (or FastAPI's {loc, msg}), possibly nested one level under ``detail``."""
    if isinstance(body, dict):
        for key in ("errors", "problems", "detail"):
            value = body.get(key)
            if isinstance(value, list):
                return [_problem(item) for item in value]
            if isinstance(value, dict):
                return problems_from_body(value)
            if isinstance(value, str):
                return [Problem("$", value)]
    return [Problem("$", str(body))]


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


class VidgenClient:
    """Talks to one deployment: ``api_url`` (ingest) and ``storage_url`` (storage)."""

    def __init__(
        self,
        api_url: str,
        storage_url: str,
        *,
        timeout: float = 60.0,
        headers: dict[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        api_key: str | None = None,
        poll_interval: float = 0.5,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.storage_url = storage_url.rstrip("/")
        self.poll_interval = poll_interval
        # `vidgen submit` of one spec goes through the SDK (sdk/python), with the same
        # addresses, key and transport
        self.sdk = vidgen_sdk.VidgenClient(self.api_url, storage_url=self.storage_url,
                                           api_key=api_key, timeout=timeout,
                                           transport=transport)
        # Sent to the API and storage routes only: never to a result download, which may be
        # redirected to a presigned S3 URL on another host.
        self._auth = {"X-API-Key": api_key} if api_key else {}
        self._http = httpx.Client(
            timeout=timeout, headers=headers, transport=transport, follow_redirects=True
        )

    def close(self) -> None:
        self._http.close()
        self.sdk.close()

    def __enter__(self) -> VidgenClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        if self._auth:
            kwargs["headers"] = {**self._auth, **kwargs.get("headers", {})}
        try:
            return self._http.request(method, url, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            base = httpx.URL(url).copy_with(path="/", query=None, fragment=None)
            raise Unreachable(str(base).rstrip("/"), str(exc) or type(exc).__name__) from exc
        except httpx.HTTPError as exc:
            raise ApiError(f"{method} {url}: {type(exc).__name__}: {exc}") from exc

    @staticmethod
    def _expect(response: httpx.Response, *codes: int) -> Any:
        body = _json(response)
        if response.status_code == 422:
            raise InvalidJob(problems_from_body(body), body)
        if response.status_code not in codes:
            raise ApiError(
                f"{response.request.method} {response.request.url}: HTTP "
                f"{response.status_code}: {str(body)[:500]}",
                response.status_code, body,
            )
        return body

    def upload_asset(self, path: Path) -> str:
        """Upload one file; return the source value that names it (``asset:<sha256>``)."""
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        with path.open("rb") as data:
            response = self._request(
                "POST", f"{self.storage_url}/v1/assets", params={"filename": path.name},
                content=data, headers={"Content-Type": content_type},
            )
        body = self._expect(response, 200, 201)
        if not isinstance(body, dict) or not isinstance(body.get("source"), str):
            raise ApiError(f"upload of {path.name}: no source in the answer: {body!r}")
        return str(body["source"])

    def create_job(self, spec: dict[str, Any], path: str = "/v1/jobs") -> dict[str, Any]:
        """Submit a job; the answer (200 completed or 202 accepted) with ``http_status``."""
        response = self._request("POST", f"{self.api_url}{path}", json=spec)
        body = self._expect(response, 200, 201, 202)
        if not isinstance(body, dict) or "job_id" not in body:
            raise ApiError(f"no job_id in the answer: {body!r}", response.status_code, body)
        return {**body, "http_status": response.status_code}

    def create_jobs(self, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Submit several jobs in one request (at most the API's VIDGEN_MAX_BATCH): one
        result per spec, in order, `{"index", "status": "created" | "duplicate" |
        "rejected", "job_id", "job_status", "code", "errors"}`; the errors' paths start
        at the batch's root (`jobs[3].merge.name`). ApiError when the batch as a whole is
        refused (413 too large, 404 an API without batches, ...)."""
        response = self._request("POST", f"{self.api_url}/v1/jobs/batch", json={"jobs": specs})
        body = self._expect(response, 200)
        results = body.get("results") if isinstance(body, dict) else None
        if not isinstance(results, list) or len(results) != len(specs):
            raise ApiError(f"not one result per job in the answer: {str(body)[:300]}",
                           response.status_code, body)
        return results

    def call(self, method: str, path: str, *codes: int, **kwargs: Any) -> Any:
        """Any API route: the decoded answer when its status is one of `codes` (InvalidJob
        for 422, ApiError otherwise). Used by the templates commands."""
        return self._expect(self._request(method, f"{self.api_url}{path}", **kwargs), *codes)

    def get_job(self, job_id: str) -> dict[str, Any]:
        body = self._expect(self._request("GET", f"{self.api_url}/v1/jobs/{job_id}"), 200)
        if not isinstance(body, dict):
            raise ApiError(f"unexpected job status: {body!r}")
        return body

    def wait(
        self,
        job_id: str,
        *,
        timeout: float = 900.0,
        interval: float = 0.5,
        on_update: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any]:
        """Poll the job until it is terminal; return its last status.

        Raises TimeoutError after ``timeout`` seconds (the job itself goes on).
        """
        deadline = time.monotonic() + timeout
        while True:
            status = self.get_job(job_id)
            if on_update is not None:
                on_update(status)
            if status.get("status") in TERMINAL:
                return status
            if time.monotonic() >= deadline:
                raise TimeoutError(
                    f"job {job_id} still {status.get('status')} after {timeout:.0f}s"
                )
            time.sleep(interval)

    def download(self, url: str, dest: Path) -> int:
        """Stream ``url`` into ``dest`` (written whole or not at all); return its size."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(dest.name + ".part")
        try:
            with self._http.stream("GET", url) as response:
                if response.status_code != 200:
                    response.read()
                    raise ApiError(f"GET {url}: HTTP {response.status_code}: "
                                   f"{response.text[:300]}", response.status_code)
                with partial.open("wb") as out:
                    for chunk in response.iter_bytes(1 << 20):
                        out.write(chunk)
        except httpx.HTTPError as exc:
            partial.unlink(missing_ok=True)
            raise ApiError(f"GET {url}: {type(exc).__name__}: {exc}") from exc
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(dest)
        return dest.stat().st_size
