"""Webhook signatures are verifiable with nothing but the secret and the body."""

from __future__ import annotations

import hashlib
import hmac

from services.ingest.webhooks import sign


def test_signature_is_hmac_sha256_of_the_body() -> None:
    body = b'{"job_id":"x","status":"completed"}'
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert sign("s3cret", body) == f"sha256={expected}"
    assert sign("other", body) != sign("s3cret", body)
