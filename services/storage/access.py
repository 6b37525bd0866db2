"""Who may upload assets, and how often: the same gate and quota as job creation.

An upload stores bytes and runs a probe on them, so it costs more than most job creations:
without a key and a quota anyone who can reach the storage API could fill the bucket.
``Uploader`` resolves the caller through `shared.access.gate` (API key, else anon by IP;
401 for an unknown or revoked key) and counts the upload against ``VIDGEN_RATE_LIMIT``
per key/IP and window, in a counter of its own (``upload:``), so a client's uploads do not
eat into its job creations.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.storage.context import context_of
from shared.access.gate import Gate, caller_dependency
from shared.access.principal import Principal

__all__ = ["Uploader"]


def _gate(request: Request) -> Gate:
    return context_of(request).gate


_authenticate = caller_dependency(_gate)


async def _uploader(request: Request,
                    who: Annotated[Principal, Depends(_authenticate)]) -> Principal:
    ctx = context_of(request)
    return await ctx.gate.limit(request, who, "upload", ctx.access.rate_limit)


Uploader = Annotated[Principal, Depends(_uploader)]
