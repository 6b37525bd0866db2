"""Completion webhooks: a signed POST to the job's `callback_url`, retried in the background.

The body is compact JSON; `X-Vidgen-Signature: sha256=<hex>` is the HMAC-SHA256 of exactly
those bytes under `VIDGEN_WEBHOOK_SECRET`, `X-Vidgen-Timestamp` the Unix time of the
attempt. Delivery is retried with exponential backoff and jitter on network errors, 408,
429 and 5xx; another 4xx is final. Callback URLs are user input: they go through the same
address policy as source downloads (`shared.outbound`): plain http(s), the host resolved
once per attempt and every address checked (loopback, private, link-local, metadata, NAT64,
6to4, IPv4-compatible IPv6 ... are refused unless listed in VIDGEN_FETCH_ALLOWED_HOSTS),
and the POST connects to the checked address itself, so a rebinding DNS server cannot
send it elsewhere. Redirects are not followed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
from typing import Any
from uuid import uuid4

import httpx
from prometheus_client import Counter

from shared.backoff import backoff
from shared.outbound.addresses import (
    AddressRefused,
    Destination,
    ResolveFailed,
    Resolver,
    system_resolver,
)
from shared.outbound.pinned import HttpTarget, check_http_url, pinned_client, pinned_request

__all__ = ["WebhookRefused", "WebhookSender", "sign"]

log = logging.getLogger(__name__)
DELIVERIES = Counter("vidgen_webhook_deliveries_total", "Completion webhook deliveries",
                     ["outcome"])
_RETRY_STATUS = frozenset({408, 425, 429})


def sign(secret: str, body: bytes) -> str:
    """The signature header value for `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookRefused(Exception):
    """The URL may not be called (scheme, or a private address)."""


class WebhookSender:
    def __init__(self, secret: str, *, allowed_hosts: frozenset[str] = frozenset(),
                 attempts: int = 5, base_delay: float = 0.5, max_delay: float = 60.0,
                 timeout: float = 10.0, resolver: Resolver = system_resolver) -> None:
        self.secret = secret
        self.allowed_hosts = allowed_hosts
        self.resolver = resolver
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._client = pinned_client(timeout=timeout, connect_timeout=timeout,
                                     headers={"User-Agent": "vidgen-webhook/1"})
        self._tasks: set[asyncio.Task[bool]] = set()

    def schedule(self, url: str, payload: dict[str, Any]) -> asyncio.Task[bool]:
        """Deliver in the background; the caller never waits for the receiver."""
        task = asyncio.create_task(self.deliver(url, payload), name="ingest-webhook")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._client.aclose()

    async def deliver(self, url: str, payload: dict[str, Any]) -> bool:
        """POST `payload` until it is accepted (2xx) or the attempts run out."""
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        delivery = str(uuid4())
        for attempt in range(1, self.attempts + 1):
            try:
                target, destination = await self.check_url(url)
                status = await self._post(target, destination, body, delivery, payload)
            except WebhookRefused as exc:
                log.warning("webhook %s refused: %s", url, exc)
                DELIVERIES.labels("refused").inc()
                return False
            except httpx.HTTPError as exc:
                error = str(exc) or exc.__class__.__name__
            else:
                if 200 <= status < 300:
                    DELIVERIES.labels("delivered").inc()
                    return True
                error = f"HTTP {status}"
                if status < 500 and status not in _RETRY_STATUS:
                    break
            if attempt < self.attempts:
                delay = backoff(attempt, self.base_delay, cap=self.max_delay)
                log.info("webhook %s: %s (attempt %d); retrying in %.2fs", url, error, attempt,
                         delay)
                await asyncio.sleep(delay)
        log.warning("webhook %s not delivered: %s", url, error)
        DELIVERIES.labels("failed").inc()
        return False

    async def _post(self, target: HttpTarget, destination: Destination, body: bytes,
                    delivery: str, payload: dict[str, Any]) -> int:
        headers = {
            "Content-Type": "application/json",
            "X-Vidgen-Timestamp": str(int(time.time())),
            "X-Vidgen-Delivery": delivery,
            "X-Vidgen-Event": str(payload.get("event", "")),
        }
        if self.secret:
            headers["X-Vidgen-Signature"] = sign(self.secret, body)
        request = pinned_request(self._client, "POST", target, destination, headers=headers,
                                 content=body)
        response = await self._client.send(request)
        return response.status_code

    async def check_url(self, url: str) -> tuple[HttpTarget, Destination]:
        """Where to connect for `url`: WebhookRefused unless it is http(s) to public
        addresses (or allowed); a name that does not resolve is a network error (retried)."""
        try:
            return await check_http_url(url, resolver=self.resolver,
                                        allowed_hosts=self.allowed_hosts)
        except AddressRefused as exc:
            raise WebhookRefused(str(exc)) from None
        except ResolveFailed as exc:
            raise httpx.ConnectError(str(exc)) from None
