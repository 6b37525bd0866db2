"""vidgen's Python SDK: typed sync and async clients of the HTTP API, webhook checks, and the
models of the events on the platform's topics.

    from vidgen_sdk import VidgenClient

    with VidgenClient("http://127.0.0.1:8000", storage_url="http://127.0.0.1:8001") as vidgen:
        done = vidgen.wait(vidgen.submit(spec).job_id)

`vidgen_sdk._api` (every route and schema) and `vidgen_sdk.events` are generated from the
platform's OpenAPI and AsyncAPI documents (`python3 -m sdk.generate` in the repository).
"""

from vidgen_sdk._api.models import Job, TemplateJob
from vidgen_sdk.aio import AsyncVidgenClient
from vidgen_sdk.client import VidgenClient
from vidgen_sdk.errors import (
    InvalidJobError,
    JobNotFoundError,
    Problem,
    UnreachableError,
    VidgenError,
)
from vidgen_sdk.models import TERMINAL, JobStatus, ServerEvent
from vidgen_sdk.webhooks import WebhookSignatureError, sign, verify_webhook

__all__ = [
    "TERMINAL",
    "AsyncVidgenClient",
    "InvalidJobError",
    "Job",
    "JobNotFoundError",
    "JobStatus",
    "Problem",
    "ServerEvent",
    "TemplateJob",
    "UnreachableError",
    "VidgenClient",
    "VidgenError",
    "WebhookSignatureError",
    "sign",
    "verify_webhook",
]
