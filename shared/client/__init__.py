"""A client of the platform's HTTP API and storage service (`vidgen submit`, the demo)."""

from shared.client.api import (
    TERMINAL,
    ApiError,
    InvalidJob,
    Unreachable,
    VidgenClient,
    problems_from_body,
)
from shared.client.sources import LocalSource, find_local_sources, is_local, upload_local_sources

__all__ = [
    "TERMINAL",
    "ApiError",
    "InvalidJob",
    "LocalSource",
    "Unreachable",
    "VidgenClient",
    "find_local_sources",
    "is_local",
    "problems_from_body",
    "upload_local_sources",
]
