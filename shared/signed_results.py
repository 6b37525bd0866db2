"""Signed, expiring result URLs (``VIDGEN_SIGNED_RESULTS``).

Without signing, ``/v1/results/{job_id}`` serves the video to anyone who has the job id: the
id is a bearer token that never expires. With signing on, storage appends
``?expires=<unix time>&signature=<mac>`` to the result and poster URLs it publishes, and
its results routes answer 403 to a request whose signature is missing, wrong or expired.

The MAC is HMAC-SHA256 under ``VIDGEN_RESULTS_SECRET`` of the job id and the expiry time,
so one signature opens the job's video and its poster (the poster URL is the result URL
with ``/poster`` before the query) and nothing else; changing the expiry breaks it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from uuid import UUID

__all__ = ["ResultSigner", "file_url", "result_urls"]


@dataclass(frozen=True)
class ResultSigner:
    secret: str
    ttl: int  # seconds a published URL stays valid

    def _mac(self, job_id: UUID, expires: int) -> str:
        digest = hmac.new(self.secret.encode(), f"vidgen-result:{job_id}:{expires}".encode(),
                          hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def query(self, job_id: UUID, now: float | None = None) -> str:
        """The query string that opens `job_id`'s results for `ttl` seconds from `now`."""
        expires = int(time.time() if now is None else now) + self.ttl
        return f"expires={expires}&signature={self._mac(job_id, expires)}"

    def refusal(self, job_id: UUID, expires: str | None, signature: str | None,
                now: float | None = None) -> str | None:
        """Why the request may not have `job_id`'s results, or None if it may."""
        if not expires or not signature:
            return "this result URL must be signed (expires and signature)"
        if not expires.isdigit() or len(expires) > 12:
            return "the result URL's expiry is not a time"
        if not hmac.compare_digest(signature.encode(), self._mac(job_id, int(expires)).encode()):
            return "the result URL's signature is not valid"
        if int(expires) <= (time.time() if now is None else now):
            return "the result URL has expired"
        return None


def result_urls(base: str, job_id: UUID, *, poster: bool,
                signer: ResultSigner | None) -> tuple[str, str | None]:
    """The result URL of `job_id` and its poster's (None without a poster)."""
    path = f"{base.rstrip('/')}/v1/results/{job_id}"
    query = f"?{signer.query(job_id)}" if signer is not None else ""
    return f"{path}{query}", f"{path}/poster{query}" if poster else None


def file_url(base: str, job_id: UUID, path: str, *, signer: ResultSigner | None) -> str:
    """The URL of one file of a job's delivery (a rendition, playlist, still...)."""
    query = f"?{signer.query(job_id)}" if signer is not None else ""
    return f"{base.rstrip('/')}/v1/results/{job_id}/files/{path}{query}"
