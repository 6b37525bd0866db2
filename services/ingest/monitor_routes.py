"""The live job monitor: a static page (HTML, vanilla JS, CSS; no build step) served by
ingest at `/monitor`. It lists jobs (GET /v1/jobs) with progress bars fed by the event
streams, shows a job's timeline, submits jobs and plays the finished video."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["PAGE_DIR", "install"]

PAGE_DIR = Path(__file__).resolve().parent / "monitor"
router = APIRouter(include_in_schema=False)


@router.get("/monitor")
async def monitor_page() -> FileResponse:
    return FileResponse(PAGE_DIR / "index.html", media_type="text/html",
                        headers={"Cache-Control": "no-cache"})


@router.get("/monitor/")
async def monitor_slash() -> RedirectResponse:
    return RedirectResponse("/monitor")


def install(app: FastAPI) -> None:
    """The page at /monitor and its assets under /monitor/static/."""
    app.include_router(router)
    app.mount("/monitor/static", StaticFiles(directory=PAGE_DIR), name="monitor-static")
