"""GET /asyncapi.json: the AsyncAPI document of the topics (shared/asyncapi.py), the
asynchronous counterpart of /openapi.json, for this deployment's topic names and broker."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from shared.asyncapi import asyncapi_document
from shared.settings import PlatformSettings

__all__ = ["asyncapi_router"]


def asyncapi_router(settings: PlatformSettings) -> APIRouter:
    router = APIRouter(tags=["docs"])

    @router.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi() -> dict[str, Any]:
        """The same document `vidgen asyncapi` prints with these settings."""
        return asyncapi_document(settings)

    return router
