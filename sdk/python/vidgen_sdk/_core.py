"""What the sync and async clients share: their settings, the generated client they drive,
and how an answer becomes a value or a typed exception."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, cast

import httpx

from vidgen_sdk._api import AuthenticatedClient, Client
from vidgen_sdk.errors import InvalidJobError, JobNotFoundError, VidgenError, problems_of
from vidgen_sdk.models import JobStatus

__all__ = ["Config", "JobLike", "body_of", "decode", "expect", "job_json", "job_status"]

DEFAULT_API = "http://127.0.0.1:8000"


class JobLike(Protocol):
    """A generated model (`vidgen_sdk.Job`, `vidgen_sdk.TemplateJob`)."""

    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Config:
    """Where the platform is and how to call it. The API key goes to the API and to the
    storage service, never with a result download (which may redirect to another host)."""

    api_url: str = DEFAULT_API
    storage_url: str | None = None
    api_key: str | None = None
    timeout: float = 60.0

    @property
    def auth(self) -> dict[str, str]:
        return {"X-API-Key": self.api_key} if self.api_key else {}

    def generated(self, transport: Any = None) -> AuthenticatedClient:
        """The generated client (vidgen_sdk._api), for every API route."""
        args: dict[str, Any] = {"transport": transport} if transport is not None else {}
        common: dict[str, Any] = {"base_url": self.api_url.rstrip("/"), "httpx_args": args,
                                  "timeout": httpx.Timeout(self.timeout),
                                  "follow_redirects": True}
        if self.api_key:
            return AuthenticatedClient(token=self.api_key, prefix="",
                                       auth_header_name="X-API-Key", **common)
        # Without a key, no key header at all. The generated routes are typed for the
        # authenticated client (the API declares its key scheme) but use only what both
        # clients have.
        return cast(AuthenticatedClient, Client(**common))

    def storage(self) -> str:
        if not self.storage_url:
            raise VidgenError("uploading local sources needs the storage service's URL "
                              "(storage_url)")
        return self.storage_url.rstrip("/")


def job_json(job: Mapping[str, Any] | JobLike, response: str | None) -> dict[str, Any]:
    """The JSON body of a job; `response` ("async", ...) unless the job names its own."""
    body = dict(job) if isinstance(job, Mapping) else job.to_dict()
    if response is not None:
        body.setdefault("response", response)
    return body


def body_of(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


def decode(content: bytes) -> Any:
    """A generated route's raw answer, decoded (the routes' answers are not all modelled)."""
    try:
        return json.loads(content)
    except ValueError:
        return content.decode(errors="replace")


def expect(status_code: int, body: Any, what: str, *codes: int) -> Any:
    """`body` when `status_code` is one of `codes`; the matching exception otherwise."""
    if status_code in codes:
        return body
    if status_code == 422:
        raise InvalidJobError(problems_of(body), body)
    error = JobNotFoundError if status_code == 404 else VidgenError
    raise error(f"{what}: HTTP {status_code}: {str(body)[:500]}", status_code, body)


def job_status(body: Any, what: str) -> JobStatus:
    if not isinstance(body, dict) or "job_id" not in body:
        raise VidgenError(f"{what}: not a job in the answer: {str(body)[:300]}", 0, body)
    return JobStatus.from_json(body)
