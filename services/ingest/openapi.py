"""OpenAPI for the create routes, whose bodies are read raw (so that every problem is
reported at once, by JSON path) and therefore documented here rather than inferred."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from services.ingest.compat import CompatCreate
from shared.composition import Job
from shared.composition.templates import TemplateDocument, TemplateJob

__all__ = ["batch_body", "body_of", "install"]

_REF = "#/components/schemas/{model}"
_MODELS: tuple[type[BaseModel], ...] = (Job, CompatCreate, TemplateDocument, TemplateJob)


def body_of(*models: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` for a route whose JSON body is `model` (or one of several)."""
    refs = [{"$ref": _REF.format(model=model.__name__)} for model in models]
    schema = refs[0] if len(refs) == 1 else {"oneOf": refs}
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": schema}}}}


def batch_body() -> dict[str, Any]:
    """`openapi_extra` of POST /v1/jobs/batch: `{"jobs": [job, ...]}`, each job a Job or
    a TemplateJob (their `idempotency_key` is the job's own)."""
    job = body_of(Job, TemplateJob)["requestBody"]["content"]["application/json"]["schema"]
    schema = {"type": "object", "required": ["jobs"], "additionalProperties": False,
              "properties": {"jobs": {
                  "type": "array", "items": job,
                  "description": "at most VIDGEN_MAX_BATCH jobs (1,000 by default)"}}}
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": schema}}}}


_BATCH_PROBLEM = {"type": "object", "required": ["path", "message"], "properties": {
    "path": {"type": "string", "description": "from the batch's root: `jobs[3].elements[0].x`"},
    "message": {"type": "string"}}}


def _schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {"BatchProblem": _BATCH_PROBLEM}
    for model in _MODELS:
        schema = model.model_json_schema(ref_template=_REF)
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return schemas


def install(app: FastAPI) -> None:
    """Make app.openapi() include the body schemas the routes refer to."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version,
                                   description=app.description, routes=app.routes)
            document.setdefault("components", {}).setdefault("schemas", {}).update(_schemas())
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
