"""Result URLs: GET/HEAD /v1/results/{job_id} (and /poster, and /files/{path} for every file
of a delivery: renditions, HLS playlists and segments, stills, thumbnails), each access logged.

The object is streamed from S3 (single byte ranges answered with 206, so players can seek),
or with `?redirect=1` the client is sent to a presigned S3 URL. With VIDGEN_SIGNED_RESULTS
the request must carry the URL's unexpired signature (`shared.signed_results`), else 403.
Every access to a known job writes a url_access_logs row once the response has ended:
access type (download, stream for range requests, redirect, head), status, bytes actually
sent, time, client address, user agent, referer and the offline geolocation of the address.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from uuid import UUID

from botocore.exceptions import ClientError
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse

from services.storage import db
from services.storage.context import StorageContext, context_of
from services.storage.metrics import BYTES
from shared.forwarded import request_address

__all__ = ["ByteRange", "parse_range", "router"]

router = APIRouter(tags=["results"])

PRESIGN_SECONDS = 3600
_CHUNK = 256 * 1024
_PART = r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}"
_FILE_PATH = re.compile(rf"^{_PART}(/{_PART}){{0,3}}$")  # the paths a delivery writes
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


UNSATISFIABLE = ByteRange(-1, -2)


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """One `bytes=` range of a `size`-byte object; None to send it whole (no, invalid or
    multi-range header: RFC 9110 lets a server ignore those), UNSATISFIABLE for 416."""
    match = _RANGE.match(header or "")
    if match is None or not any(match.groups()):
        return None
    first, last = match.groups()
    if not first:  # the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            return UNSATISFIABLE
        return ByteRange(max(0, size - suffix), size - 1)
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        return UNSATISFIABLE
    return ByteRange(start, min(int(last), size - 1) if last else size - 1)


@router.api_route("/v1/results/{job_id}", methods=["GET", "HEAD"])
async def result(request: Request, job_id: UUID,
                 redirect: bool = Query(False, description="302 to a presigned S3 URL")
                 ) -> Response:
    """The rendered video of a completed job."""
    return await _serve(request, job_id, redirect=redirect, poster=False)


@router.api_route("/v1/results/{job_id}/poster", methods=["GET", "HEAD"])
async def poster(request: Request, job_id: UUID,
                 redirect: bool = Query(False, description="302 to a presigned S3 URL")
                 ) -> Response:
    """The poster (JPEG) of a completed job that asked for one."""
    return await _serve(request, job_id, redirect=redirect, poster=True)


@router.api_route("/v1/results/{job_id}/files/{path:path}", methods=["GET", "HEAD"])
async def result_file(request: Request, job_id: UUID, path: str,
                      redirect: bool = Query(False, description="302 to a presigned S3 URL")
                      ) -> Response:
    """One file of a completed job's delivery, by its path in the job's result (`files`):
    a rendition, an HLS playlist or segment, a still, the thumbnail sprite or its index."""
    if not _FILE_PATH.match(path) or ".." in path.split("/"):
        return _not_found("no such file")
    return await _serve(request, job_id, redirect=redirect, poster=False, path=path)


class _Access:
    """One access to log: who asked, when it started."""

    def __init__(self, ctx: StorageContext, request: Request, job_id: UUID,
                 access_type: str) -> None:
        self.ctx = ctx
        self.job_id = job_id
        self.access_type = access_type
        self.started = time.perf_counter()
        self.client_ip = request_address(request, ctx.trusted_proxies)
        self.user_agent = request.headers.get("user-agent")
        self.referer = request.headers.get("referer")

    def done(self, status: int, sent: int = 0) -> None:
        geo = self.ctx.geo.lookup(self.client_ip)
        entry = db.AccessLog(
            job_id=self.job_id, client_ip=self.client_ip, user_agent=_cut(self.user_agent),
            referer=_cut(self.referer), access_type=self.access_type, response_status=status,
            bytes_served=sent,
            response_time_ms=round((time.perf_counter() - self.started) * 1000),
            country_code=geo.country_code, region=geo.region, city=geo.city)
        if sent:
            BYTES.labels("served").inc(sent)
        self.ctx.spawn(db.insert_access_log(self.ctx.pool, entry))


def _cut(text: str | None) -> str | None:
    return text[:1000] if text else None


def _not_found(detail: str) -> JSONResponse:
    return JSONResponse({"error": "not_found", "detail": detail}, status_code=404)


def _access_type(request: Request, redirect: bool) -> str:
    if request.method == "HEAD":
        return "head"
    if redirect:
        return "redirect"
    return "stream" if request.headers.get("range") else "download"


def _key(job_id: UUID, main: str, *, poster: bool, path: str | None) -> str:
    """The object to serve: the main output, its poster, or a file of the job's folder (the
    folder the main output is in, or above it for an HLS master playlist)."""
    if path is not None:
        marker = f"/{job_id}/"
        return main[:main.index(marker) + len(marker)] + path if marker in main else ""
    return str(PurePosixPath(main).with_suffix(".jpg")) if poster else main


async def _serve(request: Request, job_id: UUID, *, redirect: bool, poster: bool,
                 path: str | None = None) -> Response:
    ctx = context_of(request)
    if ctx.signer is not None:  # checked first: an unsigned request learns nothing of the job
        refusal = ctx.signer.refusal(job_id, request.query_params.get("expires"),
                                     request.query_params.get("signature"))
        if refusal is not None:
            return JSONResponse({"error": "forbidden", "detail": refusal}, status_code=403)
    output = await db.job_output(ctx.pool, job_id)
    if output is None:
        return _not_found("no such job")
    access = _Access(ctx, request, job_id, _access_type(request, redirect))
    if output.status != "completed" or not output.key:
        access.done(404)
        return _not_found(f"the job is {output.status}; there is no result yet")
    bucket = output.bucket or ctx.settings.s3_bucket
    key = _key(job_id, output.key, poster=poster, path=path)
    if not key:
        access.done(404)
        return _not_found("no such file")
    if redirect:
        url = await ctx.s3.generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=PRESIGN_SECONDS)
        access.done(302)
        return RedirectResponse(url, status_code=302)
    head = await _head(ctx, bucket, key)
    if head is None:
        access.done(404)
        return _not_found("the result file is not there (any more)")
    return await _respond(ctx, request, access, bucket, key, head)


async def _head(ctx: StorageContext, bucket: str, key: str) -> dict[str, Any] | None:
    try:
        head: dict[str, Any] = await ctx.s3.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return head


async def _respond(ctx: StorageContext, request: Request, access: _Access, bucket: str,
                   key: str, head: dict[str, Any]) -> Response:
    size = int(head["ContentLength"])
    headers = {
        "Accept-Ranges": "bytes",
        "Content-Disposition": f'inline; filename="{PurePosixPath(key).name}"',
        "Cache-Control": "private, max-age=3600",
    }
    if head.get("ETag"):
        headers["ETag"] = str(head["ETag"])
    media_type = str(head.get("ContentType") or "application/octet-stream")
    if request.method == "HEAD":
        access.done(200)
        return Response(status_code=200, media_type=media_type,
                        headers={**headers, "Content-Length": str(size)})
    span = parse_range(request.headers.get("range"), size)
    if span is UNSATISFIABLE:
        access.done(416)
        return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
    params: dict[str, Any] = {"Bucket": bucket, "Key": key}
    status, length = 200, size
    if span is not None:
        params["Range"] = f"bytes={span.start}-{span.end}"
        headers["Content-Range"] = f"bytes {span.start}-{span.end}/{size}"
        status, length = 206, span.length
    obj = await ctx.s3.get_object(**params)
    headers["Content-Length"] = str(length)
    return StreamingResponse(_body(obj["Body"], access, status), status_code=status,
                             media_type=media_type, headers=headers)


async def _body(body: Any, access: _Access, status: int) -> AsyncIterator[bytes]:
    """The object's bytes; the access is logged with what was really sent, even when the
    client goes away mid-way."""
    sent = 0
    try:
        async for chunk in body.iter_chunks(_CHUNK):
            sent += len(chunk)
            yield chunk
    finally:
        body.close()
        access.done(status, sent)
