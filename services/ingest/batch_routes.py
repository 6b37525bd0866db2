"""`POST /v1/jobs/batch`: up to VIDGEN_MAX_BATCH jobs in one request (services.ingest.batch).

Answers 200 `{"results": [{"index", "status": "created" | "duplicate" | "rejected",
"job_id", "job_status", "status_url", "code", "errors", "warnings"}, ...]}` in request
order. The request as a whole is refused only for what is wrong with the batch itself:
401 (key), 413 (a body over VIDGEN_MAX_BATCH_BODY_BYTES, or more jobs than
VIDGEN_MAX_BATCH), 415 (not JSON), 422 (not `{"jobs": [...]}`, or an Idempotency-Key
header: a batch's keys go in its jobs).
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from services.ingest.auth import authenticate, creations
from services.ingest.batch import BatchTooLarge, batch_items, submit_batch
from services.ingest.limits import read_json
from services.ingest.openapi import batch_body
from services.ingest.routes import IdempotencyKey, ServiceDep, origin, require_json
from shared.access.principal import Principal
from shared.composition import Problem, SpecError

__all__ = ["router"]

router = APIRouter(tags=["jobs"])
_RESULT = {"type": "object", "required": ["index", "status"], "properties": {
    "index": {"type": "integer", "description": "the job's place in `jobs`"},
    "status": {"enum": ["created", "duplicate", "rejected"]},
    "job_id": {"type": "string", "format": "uuid"},
    "job_status": {"type": "string", "description": "the job's own status (`pending`...)"},
    "status_url": {"type": "string"},
    "code": {"type": "integer", "description": "a rejection: 422 invalid, 429 over the quota"},
    "errors": {"type": "array", "items": {"$ref": "#/components/schemas/BatchProblem"}},
    "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/BatchProblem"}}}}


@router.post("/v1/jobs/batch", openapi_extra=batch_body(),
             dependencies=[Depends(require_json)], responses={
    200: {"description": "One result per job, in request order", "content": {
        "application/json": {"schema": {"type": "object", "properties": {
            "results": {"type": "array", "items": _RESULT}}}}}},
    413: {"description": "The body is larger than VIDGEN_MAX_BATCH_BODY_BYTES, or has more "
                         "jobs than VIDGEN_MAX_BATCH (1,000)"},
    415: {"description": "The body is not `application/json`"},
    422: {"description": 'Not `{"jobs": [...]}`: `{"errors": [{"path", "message"}]}`'}})
async def create_batch(request: Request, service: ServiceDep,
                       who: Annotated[Principal, Depends(authenticate)],
                       idempotency_key: IdempotencyKey = None) -> Response:
    """Create up to VIDGEN_MAX_BATCH jobs (1,000) at once: `{"jobs": [job, ...]}`, each job
    as the body of `POST /v1/jobs` (its `idempotency_key` in the job). Every job is checked
    and counted against the quota like a request of its own; one bad job rejects only
    itself. The batch does not wait for its jobs, whatever their `response`."""
    if idempotency_key is not None:
        raise SpecError([Problem("Idempotency-Key", "a batch takes no Idempotency-Key header; "
                                                    "give each job its idempotency_key")])
    data = await read_json(request, service.api.max_batch_body_bytes)
    try:
        items = batch_items(data, service.api.max_batch)
    except BatchTooLarge as exc:
        return JSONResponse({"errors": [exc.problem.as_dict()]}, 413)
    grant = await creations(request, who, len(items))
    limit, window = service.api.rate_limit, service.api.rate_window
    refusal = (f"rate limit of {limit} job creations per {window} s (VIDGEN_RATE_LIMIT) "
               f"exceeded; retry in {grant.verdict.retry_after_seconds} s")
    outcomes = await submit_batch(service, items, origin(request, who), who, grant.granted,
                                  refusal)
    body: dict[str, Any] = {"results": [outcome.as_dict() for outcome in outcomes]}
    return Response(orjson.dumps(body), media_type="application/json")  # 1,000 results
