"""Checking a completion webhook: `X-Vidgen-Signature: sha256=<hex>` is the HMAC-SHA256 of
the exact request body under the platform's webhook secret (VIDGEN_WEBHOOK_SECRET)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

from vidgen_sdk.errors import VidgenError

__all__ = ["WebhookSignatureError", "sign", "verify_webhook"]


class WebhookSignatureError(VidgenError):
    """The webhook's signature is missing or wrong, or it is older than allowed."""


def sign(secret: str, body: bytes) -> str:
    """The `X-Vidgen-Signature` value of `body` (what the platform sends)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)


def verify_webhook(secret: str, body: bytes, headers: Mapping[str, str], *,
                   tolerance: float | None = 300.0, now: float | None = None) -> Any:
    """The decoded payload of a webhook whose signature matches `body` (the raw bytes, before
    any JSON parsing); WebhookSignatureError otherwise. With `tolerance`, an attempt whose
    `X-Vidgen-Timestamp` is further than that many seconds from `now` is refused too."""
    given = _header(headers, "X-Vidgen-Signature")
    if given is None:
        raise WebhookSignatureError("no X-Vidgen-Signature header")
    if not hmac.compare_digest(given, sign(secret, body)):
        raise WebhookSignatureError("the X-Vidgen-Signature does not match the body")
    if tolerance is not None:
        stamp = _header(headers, "X-Vidgen-Timestamp") or ""
        if not stamp.isdigit():
            raise WebhookSignatureError("no X-Vidgen-Timestamp header")
        age = abs((time.time() if now is None else now) - int(stamp))
        if age > tolerance:
            raise WebhookSignatureError(f"the webhook is {age:.0f} s old (> {tolerance:.0f} s)")
    return json.loads(body)
