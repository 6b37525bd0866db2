"""`POST /internal/v1/fetch` {url, expect}: ingest's way to have storage fetch a URL source
a preview names and that is not in the asset cache yet (docs/decisions.md, "Previews").

The caller's credentials come along (ingest forwards them): the fetch is authenticated and
counted against VIDGEN_RATE_LIMIT like an upload, since it stores bytes as an upload does.
Answers 200 `{"sha256", "bucket", "key", "size", "content_type", "probe"}` (the cache row);
422 `{"error", "detail"}` when the URL cannot be had (`source_forbidden`,
`source_too_large`, `source_unreachable`, `source_too_slow`, `source_timeout`,
`source_not_media`). Left out of the API document.
"""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from services.storage.access import Uploader
from services.storage.assets import Expect, NotMedia
from services.storage.context import context_of
from services.storage.fetch import FetchError
from services.storage.metrics import DOWNLOADS

__all__ = ["PATH", "FetchRequest", "router"]

PATH = "/internal/v1/fetch"
router = APIRouter(include_in_schema=False)


class FetchRequest(BaseModel):
    url: str = Field(max_length=8192)
    expect: Expect = "media"


@router.post(PATH)
async def fetch_source(request: Request, body: FetchRequest, _who: Uploader) -> JSONResponse:
    fetches = context_of(request).fetches
    if fetches is None:
        return JSONResponse({"error": "unavailable", "detail": "not fetching here"}, 503)
    try:
        row = await fetches.fetch(body.url, body.expect)
    except FetchError as exc:
        DOWNLOADS.labels(exc.code).inc()
        return JSONResponse({"error": exc.code, "detail": str(exc)}, 422)
    except NotMedia as exc:
        DOWNLOADS.labels("source_not_media").inc()
        return JSONResponse({"error": "source_not_media", "detail": str(exc)}, 422)
    return JSONResponse(asdict(row))
