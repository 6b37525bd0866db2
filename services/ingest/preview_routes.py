"""POST /v1/preview: one frame (`time`) or a short low-resolution clip (`from`, `to`) of a
job, rendered at once; the body is a job exactly as POST /v1/jobs takes it (a composition,
or a template with merge data), the preview's own parameters are query parameters.

Answers 200 with image/png, image/jpeg or video/mp4 (nothing is stored: no job row, no S3
output); 422 with every problem by JSON path, the job's as a job would get them and the
parameters' at their names (`time`, `from`, `to`, `scale`, `fps`); 429 over
VIDGEN_PREVIEW_RATE_LIMIT; 503 (Retry-After) when no render worker can take it now; 504
when storage did not fetch a new URL source within VIDGEN_PREVIEW_FETCH_TIMEOUT.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from services.ingest.auth import api_settings, authenticate
from services.ingest.intake import Origin
from services.ingest.openapi import body_of
from services.ingest.preview import Previewer
from services.ingest.preview_fetch import CREDENTIAL_HEADERS
from services.ingest.routes import ServiceDep, json_body, origin, require_json
from shared.access.gate import Gate
from shared.access.principal import Principal
from shared.composition import Job
from shared.composition.preview import PreviewParams
from shared.composition.templates import TemplateJob

__all__ = ["PreviewProblem", "PreviewProblems", "router"]

router = APIRouter(tags=["preview"])
_BINARY = {"schema": {"type": "string", "format": "binary"}}


class PreviewProblem(BaseModel):
    path: str
    message: str


class PreviewProblems(BaseModel):
    """Every problem of the request: the job's by JSON path, the parameters' by name."""

    errors: list[PreviewProblem]


async def _previewer_caller(request: Request,
                            who: Annotated[Principal, Depends(authenticate)]) -> Principal:
    """The caller, counted against VIDGEN_PREVIEW_RATE_LIMIT (429 beyond)."""
    service = request.app.state.service
    gate = Gate(request.app.state.pool, service.rate_limiter, service.api)
    return await gate.limit(request, who, "preview", api_settings(request).preview_rate_limit)


Previewing = Annotated[Principal, Depends(_previewer_caller)]


@router.post(
    "/v1/preview", openapi_extra=body_of(Job, TemplateJob),
    dependencies=[Depends(require_json)], response_class=Response,
    responses={
        200: {"description": "The frame (png/jpeg) or the clip (mp4)",
              "content": {"image/png": _BINARY, "image/jpeg": _BINARY, "video/mp4": _BINARY}},
        404: {"description": "The template named is not the caller's (or does not exist)"},
        413: {"description": "The body is larger than VIDGEN_MAX_BODY_BYTES"},
        415: {"description": "The body is not `application/json`"},
        422: {"model": PreviewProblems,
              "description": "Invalid job or parameters, every problem by path"},
        429: {"description": "Over VIDGEN_PREVIEW_RATE_LIMIT (Retry-After)"},
        502: {"description": "The render worker failed to render the preview"},
        503: {"description": "No render worker can take the preview now (Retry-After)"},
        504: {"description": "A URL source was not fetched within "
                             "VIDGEN_PREVIEW_FETCH_TIMEOUT (try again)"}})
async def preview(
    request: Request, service: ServiceDep, who: Previewing,
    time: Annotated[float | None, Query(description="seconds: render the frame shown then")]
    = None,
    start: Annotated[float | None, Query(alias="from", description="seconds: a clip from")]
    = None,
    end: Annotated[float | None, Query(alias="to", description="seconds: a clip up to")]
    = None,
    scale: Annotated[float, Query(description="of the canvas size, in (0, 1]")] = 1.0,
    fps: Annotated[float | None, Query(description="a clip's frame rate (default: the "
                                                   "job's)")] = None,
    format: Annotated[Literal["png", "jpeg"], Query(description="a frame's format")] = "png",
) -> Response:
    """Render one frame (`time`) or a short clip (`from`-`to`, at most
    VIDGEN_MAX_PREVIEW_SECONDS) of a job, at `scale` of its size; nothing is stored."""
    params = PreviewParams(time=time, start=start, end=end, scale=scale, fps=fps,
                           format=format)
    data = await json_body(request)
    previewer: Previewer = request.app.state.previewer
    templates = await service.templates_for(data, who)
    made: Origin = origin(request, who)
    credentials = {name: request.headers[name] for name in CREDENTIAL_HEADERS
                   if name in request.headers}
    result = await previewer.preview(data, params, made, templates, credentials)
    return Response(result.content, media_type=result.media_type,
                    headers={"Cache-Control": "no-store"})

