"""The native HTTP API: /v1/jobs (create, list, status, details, cancel).

Create answers 200 with the job when it has finished (immediate/auto requests wait for
it, at most VIDGEN_IMMEDIATE_WAIT seconds), else 202 with the job and a Location header;
both with `warnings`: [{"path", "message"}] for what is valid but surely not meant.
An invalid spec is 422 `{"errors": [{"path", "message"}, ...]}` listing every problem.
Every route knows its caller (services.ingest.auth) and sees only the caller's jobs.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from services.ingest.auth import Caller, Creator
from services.ingest.intake import Origin
from services.ingest.limits import read_json
from services.ingest.openapi import body_of
from services.ingest.responses import (
    element_view,
    job_view,
    native_accepted,
    status_path,
    timeline_view,
)
from services.ingest.service import IngestService
from shared.access.principal import Principal
from shared.composition import Job
from shared.composition.templates import TemplateJob

__all__ = ["IdempotencyKey", "ServiceDep", "StatusFilter", "check_json", "json_body", "origin",
           "parse_id", "require_json", "router"]

router = APIRouter(tags=["jobs"])

StatusFilter = Literal["pending", "processing", "completed", "failed", "cancelled", "timeout"]


async def _service(request: Request) -> IngestService:
    service: IngestService = request.app.state.service
    return service


ServiceDep = Annotated[IngestService, Depends(_service)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=255)]
_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"description": "The body is larger than VIDGEN_MAX_BODY_BYTES"},
    415: {"description": "The body is not `application/json`"},
    422: {"description": 'Invalid spec: `{"errors": [{"path", "message"}, ...]}`'}}


async def require_json(request: Request) -> None:
    """The route dependency of `check_json` (async: FastAPI runs a plain function
    dependency in a worker thread, a hop that cost a visible share of a job's creation)."""
    check_json(request)


def check_json(request: Request) -> None:
    """415 unless the body is declared `application/json`.

    A page on another site can make a visitor's browser POST only `text/plain`, form or
    multipart bodies without a CORS preflight (which this API never grants), so refusing
    everything else means such a page cannot create jobs from the visitor's browser, on the
    visitor's network and quota. Routes list it as a dependency, so the refusal comes
    before the caller's quota is counted."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise HTTPException(415, "send the body as application/json",
                            headers={"Accept-Post": "application/json"})


async def json_body(request: Request) -> Any:
    """The decoded body (413 when too large, 415 when not JSON); undecodable JSON is a spec
    problem at `$`."""
    check_json(request)
    service: IngestService = request.app.state.service
    return await read_json(request, service.api.max_body_bytes)


def origin(request: Request, who: Principal) -> Origin:
    """The job's owner: the caller's API key, else its client IP."""
    return Origin.from_http(who.client_ip, request.headers.get("user-agent"), who.key_id)


def parse_id(job_id: str) -> UUID:
    try:
        return UUID(job_id)
    except ValueError:
        raise HTTPException(404, "job not found") from None


@router.post("/v1/jobs", status_code=202, openapi_extra=body_of(Job, TemplateJob),
             dependencies=[Depends(require_json)], responses={
    200: {"description": "The job finished while the request waited"},
    202: {"description": "Accepted; poll the Location (status_url)"},
    404: {"description": "The template named is not the caller's (or does not exist)"},
    **_ERRORS})
async def create_job(request: Request, service: ServiceDep, who: Creator,
                     idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Create a render job from a composition spec, or from a stored template
    (`{"template": "ID[@version]", "merge": {...}, "modifications": {...}}`)."""
    submitted = await service.submit(await json_body(request), origin(request, who),
                                     idempotency_key=idempotency_key, who=who)
    job = submitted.job
    warnings = {"warnings": [warning.as_dict() for warning in submitted.warnings]}
    if submitted.finished:
        return JSONResponse({**job_view(job), **warnings})
    return JSONResponse({**native_accepted(job), **warnings}, status_code=202,
                        headers={"Location": status_path(job["id"])})


@router.get("/v1/jobs")
async def list_jobs(service: ServiceDep, who: Caller, status: StatusFilter | None = None,
                    limit: Annotated[int, Query(ge=1, le=100)] = 20,
                    offset: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
    """The caller's jobs (an admin's: all), newest first."""
    rows, total = await service.page(status, limit, offset, who)
    return {"jobs": [job_view(row) for row in rows], "total": total, "limit": limit,
            "offset": offset}


@router.get("/v1/jobs/{job_id}", responses={404: {"description": "No such job"}})
async def get_job(job_id: str, service: ServiceDep, who: Caller) -> dict[str, Any]:
    """A job's status, progress and (once completed) result."""
    return job_view(await service.get(parse_id(job_id), who))


@router.get("/v1/jobs/{job_id}/details", responses={404: {"description": "No such job"}})
async def job_details(job_id: str, service: ServiceDep, who: Caller) -> dict[str, Any]:
    """A job with its elements and processing timeline."""
    details = await service.details(parse_id(job_id), who)
    return {"job": job_view(details.job),
            "elements": [element_view(row) for row in details.elements],
            "timeline": [timeline_view(row) for row in details.timeline]}


@router.delete("/v1/jobs/{job_id}", responses={
    404: {"description": "No such job"}, 409: {"description": "The job already ended"}})
async def cancel_job(job_id: str, service: ServiceDep, who: Caller) -> dict[str, Any]:
    """Cancel a pending or processing job (its render is stopped)."""
    return job_view(await service.cancel(parse_id(job_id), who))
