"""The HTTP API of templates: /v1/templates (create, add a version, read, list, delete).

A template is a stored composition with `{{name}}` merge fields (the document's shape and
the rules: shared/composition/templates.py). Versions are immutable: changing a template
adds a version, and a job names `ID` (the latest) or `ID@version`. Templates are owned like
jobs (the API key, else the client IP) and every route runs as the caller
(principal.acting_as), so row-level security hides someone else's template: it is a 404.
An invalid document is 422 `{"errors": [{"path", "message"}, ...]}`.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import asyncpg
from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from services.ingest import templates_db
from services.ingest.auth import Caller, Creator
from services.ingest.openapi import body_of
from services.ingest.responses import jsonable
from services.ingest.routes import json_body
from services.ingest.service import IngestService
from services.ingest.templates_db import StoredTemplate, TemplateNotFound
from shared.access.principal import Principal, acting_as
from shared.composition.templates import TemplateDocument, TemplateRef, check_template

__all__ = ["install", "router"]

router = APIRouter(prefix="/v1/templates", tags=["templates"])
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such template"}}
_INVALID: dict[int | str, dict[str, Any]] = {
    413: {"description": "The body is larger than VIDGEN_MAX_BODY_BYTES"},
    422: {"description": 'Invalid template: `{"errors": [{"path", "message"}, ...]}`'}}
Version = Annotated[int | None, Query(ge=1, le=2_000_000_000,
                                      description="a version (default: the latest)")]


def _id(template_id: str) -> UUID:
    try:
        return UUID(template_id)
    except ValueError:
        raise TemplateNotFound(template_id) from None


def _summary(row: asyncpg.Record) -> dict[str, Any]:
    return {"id": str(row["id"]), "name": row["name"], "latest_version": row["latest_version"],
            "created_at": jsonable(row["created_at"]), "updated_at": jsonable(row["updated_at"])}


def _view(stored: StoredTemplate, versions: list[int]) -> dict[str, Any]:
    document = stored.document
    fields = {name: field.model_dump(exclude_none=True) | {"required": field.required}
              for name, field in document.fields().items()}
    return {**_summary(stored.row), "version": stored.version, "versions": versions,
            "version_created_at": jsonable(stored.version_created_at),
            "composition": document.composition, "merge_fields": fields}


async def _document(request: Request) -> TemplateDocument:
    return check_template(await json_body(request))


@router.post("", status_code=201, openapi_extra=body_of(TemplateDocument),
             responses={201: {"description": "Created: `{id, version}`"}, **_INVALID})
async def create_template(request: Request, who: Creator) -> JSONResponse:
    """Store a template (its version 1)."""
    document = await _document(request)
    async with _as(request, who) as conn:
        template_id = await templates_db.insert_template(conn, document, who.client_ip,
                                                         who.key_id)
    return JSONResponse({"id": str(template_id), "version": 1, "name": document.name}, 201,
                        headers={"Location": f"/v1/templates/{template_id}"})


@router.post("/{template_id}/versions", status_code=201,
             openapi_extra=body_of(TemplateDocument),
             responses={201: {"description": "Created: `{id, version}`"}, **_NOT_FOUND,
                        **_INVALID})
async def add_version(template_id: str, request: Request, who: Creator) -> JSONResponse:
    """Add a version (the earlier ones stay as they were; jobs keep the one they used)."""
    ident = _id(template_id)
    document = await _document(request)
    async with _as(request, who) as conn:
        version = await templates_db.add_version(conn, ident, document)
    if version is None:
        raise TemplateNotFound(template_id)
    return JSONResponse({"id": str(ident), "version": version}, 201,
                        headers={"Location": f"/v1/templates/{ident}?version={version}"})


@router.get("", responses={200: {"description": "The caller's templates, newest first"}})
async def list_templates(request: Request, who: Caller,
                         limit: Annotated[int, Query(ge=1, le=100)] = 20,
                         offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> dict[str, Any]:
    """The caller's templates (an admin's: all), newest first."""
    async with _as(request, who) as conn:
        rows, total = await templates_db.list_templates(conn, limit, offset)
    return {"templates": [_summary(row) for row in rows], "total": total, "limit": limit,
            "offset": offset}


@router.get("/{template_id}", responses=_NOT_FOUND)
async def get_template(template_id: str, request: Request, who: Caller,
                       version: Version = None) -> dict[str, Any]:
    """A template's version (the latest by default): composition and merge fields."""
    ident = _id(template_id)
    async with _as(request, who) as conn:
        stored = await templates_db.find_template(conn, TemplateRef(ident, version))
        versions = await templates_db.template_versions(conn, ident)
    if stored is None:
        raise TemplateNotFound(template_id)
    return _view(stored, versions)


@router.delete("/{template_id}", responses=_NOT_FOUND)
async def delete_template(template_id: str, request: Request, who: Caller) -> dict[str, Any]:
    """Delete a template and all its versions (jobs made from it keep their record)."""
    ident = _id(template_id)
    async with _as(request, who) as conn:
        deleted = await templates_db.delete_template(conn, ident)
    if not deleted:
        raise TemplateNotFound(template_id)
    return {"id": str(ident), "deleted": True}


def _as(request: Request, who: Principal) -> Any:
    """A transaction as the caller. An anonymous caller without a client address cannot
    own anything (row-level security would refuse the row)."""
    if who.role == "anon" and not who.client_ip:
        raise HTTPException(403, "an anonymous caller needs a client address; use an API key")
    service: IngestService = request.app.state.service
    return acting_as(service.pool, who)


async def _not_found(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": "template not found",
                         "errors": [{"path": "template", "message": f"no template {exc}"}]}, 404)


def install(app: FastAPI) -> None:
    """The routes, and 404 for a template the caller cannot see (also from POST /v1/jobs)."""
    app.include_router(router)
    app.add_exception_handler(TemplateNotFound, _not_found)
