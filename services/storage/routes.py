"""Asset uploads (POST /v1/assets, authenticated and rate limited); health and readiness are
`shared.health`'s."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from services.storage.access import Uploader
from services.storage.assets import NotMedia
from services.storage.context import context_of
from services.storage.download import ASSET_SCHEME
from services.storage.sink import FileSink, TooLarge

__all__ = ["router"]

router = APIRouter()

_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")


def _error(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status)


@router.post("/v1/assets", status_code=201, tags=["assets"],
             responses={401: {"description": "unknown or revoked API key"},
                        413: {"description": "larger than VIDGEN_MAX_SOURCE_BYTES"},
                        415: {"description": "not a media or font file"},
                        429: {"description": "over the caller's VIDGEN_RATE_LIMIT"}})
async def upload_asset(
    request: Request,
    _who: Uploader,
    filename: str | None = Query(None, max_length=255, description="original file name"),
) -> JSONResponse:
    """Upload a source file as the raw request body; use the returned `source` in a spec.

    The file is stored content-addressed (the same bytes twice are stored once) and probed.
    The caller is authenticated and counted like a job creation (API key, else client IP).
    """
    ctx = context_of(request)
    cap = ctx.settings.max_source_bytes
    declared = request.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > cap:
        return _error(413, "source_too_large", f"the body is larger than {cap} bytes")
    header = request.headers.get("content-type", "").split(";")[0].strip().lower()
    content_type = header if _MEDIA_TYPE.match(header) else None
    with tempfile.TemporaryDirectory(prefix="vidgen-upload-",
                                     dir=ctx.work_dir) as temp:
        async with FileSink(Path(temp), cap) as sink:
            try:
                async for chunk in request.stream():
                    await sink.write(chunk)
            except TooLarge:
                return _error(413, "source_too_large", f"the body is larger than {cap} bytes")
            digest = await sink.finish()
        if sink.size == 0:
            return _error(400, "empty_body", "send the file as the request body")
        try:
            asset = await ctx.store.admit(
                sink.path, digest, sink.size, content_type=content_type,
                source_url=f"upload:{filename}" if filename else "upload", job_id=None,
                expect="any")
        except NotMedia as exc:
            return _error(415, "source_not_media", str(exc))
    return JSONResponse(
        {"source": f"{ASSET_SCHEME}{asset.sha256}", "sha256": asset.sha256, "size": asset.size,
         "content_type": asset.content_type, "probe": asset.probe},
        status_code=201)
