"""The earlier version's routes, kept for its clients (see compat.py for the body).

Create decides like the earlier version: estimate ≤ 30 s → wait and answer 200
{status: "completed", job_id, result_url, file_size, processing_time (ms), message};
otherwise (or when the wait runs out) 202 {status: "processing", job_id, message,
estimated_completion, status_check_endpoint}.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from services.ingest.auth import Caller, Creator
from services.ingest.compat import CompatCreate, compat_path, to_native
from services.ingest.openapi import body_of
from services.ingest.responses import compat_accepted, compat_result, element_view, jsonable
from services.ingest.responses import timeline_view as timeline_entry
from services.ingest.routes import (
    IdempotencyKey,
    ServiceDep,
    StatusFilter,
    json_body,
    origin,
    parse_id,
    require_json,
)
from shared.composition import Problem, SpecError

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["compatibility"])


@router.post("/videocreate", openapi_extra=body_of(CompatCreate),
             dependencies=[Depends(require_json)], responses={
    202: {"description": "Accepted; poll status_check_endpoint"},
    422: {"description": "Invalid body: every problem, by path"}})
@router.post("/video/create", include_in_schema=False, dependencies=[Depends(require_json)])
async def create_video(request: Request, service: ServiceDep, who: Creator,
                       idempotency_key: IdempotencyKey = None) -> JSONResponse:
    """Create a video (the earlier version's body)."""
    data = await json_body(request)
    try:
        submitted = await service.submit(to_native(data), origin(request, who),
                                         idempotency_key=idempotency_key)
    except SpecError as exc:
        raise SpecError([Problem(compat_path(p.path), p.message) for p in exc.problems]) from None
    if submitted.finished:
        return JSONResponse(compat_result(submitted.job))
    return JSONResponse(compat_accepted(submitted.job), status_code=202)


@router.get("/videoresult/{job_id}", responses={404: {"description": "No such job"}})
@router.get("/video/result/{job_id}", include_in_schema=False)
async def video_result(job_id: str, service: ServiceDep, who: Caller) -> dict[str, Any]:
    """A job's status, or its result once completed."""
    return compat_result(await service.get(parse_id(job_id), who))


@router.delete("/video/job/{job_id}", responses={
    404: {"description": "No such job"}, 409: {"description": "The job already ended"}})
async def cancel_video(job_id: str, service: ServiceDep, who: Caller) -> dict[str, Any]:
    job = await service.cancel(parse_id(job_id), who)
    return {"status": "cancelled", "job_id": str(job["id"]), "message": "Job cancelled"}


def _summary(row: Any) -> dict[str, Any]:
    return {**compat_result(row), "output_format": row["output_format"],
            "width": row["width"], "height": row["height"],
            "created_at": jsonable(row["created_at"]),
            "completed_at": jsonable(row["completed_at"])}


@router.get("/video/jobs")
async def list_videos(service: ServiceDep, who: Caller, status: StatusFilter | None = None,
                      limit: Annotated[int, Query(ge=1, le=100)] = 20,
                      offset: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
    rows, total = await service.page(status, limit, offset, who)
    return {"jobs": [_summary(row) for row in rows], "total": total, "limit": limit,
            "offset": offset}


@router.get("/video/job/{job_id}/details", responses={404: {"description": "No such job"}})
async def video_details(job_id: str, service: ServiceDep, who: Caller) -> dict[str, Any]:
    details = await service.details(parse_id(job_id), who)
    return {"job": _summary(details.job),
            "elements": [element_view(row) for row in details.elements],
            "timeline": [timeline_entry(row) for row in details.timeline]}
