"""The composition playground, served by ingest at `/playground`: a JSON editor (CodeMirror
6 with the job's JSON Schema for completion and checks, bundled into static/editor.js, see
playground/editor/), a time scrubber showing the preview frame (POST /v1/preview), the
API's problems at their JSON paths as you type, and a render button that follows the job
like the monitor does (its stylesheet, its event stream) and plays the result.

Everything is served from this package: the page needs no network but this API's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from services.ingest.example_assets import ExampleAssets, ExampleError
from shared.composition import json_schema

__all__ = ["EXAMPLES_DIR", "PAGE_DIR", "install"]

PAGE_DIR = Path(__file__).resolve().parent / "playground" / "static"
EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
router = APIRouter(include_in_schema=False)


def _examples(request: Request) -> ExampleAssets:
    found: ExampleAssets | None = getattr(request.app.state, "examples", None)
    if found is None:
        settings = request.app.state.settings
        found = ExampleAssets(Path(settings.examples_dir or EXAMPLES_DIR),
                              request.app.state.pool, settings.storage_url)
        request.app.state.examples = found
    return found


@router.get("/playground")
async def playground_page() -> FileResponse:
    return FileResponse(PAGE_DIR / "index.html", media_type="text/html",
                        headers={"Cache-Control": "no-cache"})


@router.get("/playground/")
async def playground_slash() -> RedirectResponse:
    return RedirectResponse("/playground")


@router.get("/playground/schema.json")
async def schema() -> dict[str, Any]:
    """The JSON Schema of a job (as `vidgen schema` prints it) for the editor."""
    return json_schema()


@router.get("/playground/examples")
async def examples(request: Request) -> dict[str, list[str]]:
    return {"examples": _examples(request).names()}


@router.get("/playground/examples/{name}")
async def example(name: str, request: Request) -> dict[str, Any]:
    """The example, its local media uploaded and named by `asset:` sources."""
    try:
        found = await _examples(request).example(name)
    except ExampleError as exc:
        raise HTTPException(502, str(exc)) from None
    if found is None:
        raise HTTPException(404, "no such example")
    return found


def install(app: FastAPI) -> None:
    """The page at /playground and its assets under /playground/static/."""
    app.include_router(router)
    app.mount("/playground/static", StaticFiles(directory=PAGE_DIR), name="playground-static")
