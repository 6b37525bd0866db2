"""Callback URLs are user input: only http(s) to public addresses, unless allowed."""

from __future__ import annotations

import pytest

from services.ingest.webhooks import WebhookRefused, WebhookSender


@pytest.mark.parametrize("url", [
    "ftp://example.com/hook",
    "http:///nohost",
    "http://127.0.0.1:9/hook",
    "http://10.1.2.3/hook",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]/hook",
    "http://[::ffff:192.168.0.1]/hook",
    "http://0.0.0.0/hook",
])
async def test_private_or_odd_urls_are_refused(url: str) -> None:
    sender = WebhookSender("secret")
    try:
        with pytest.raises(WebhookRefused):
            await sender.check_url(url)
    finally:
        await sender.close()


async def test_allowed_hosts_may_be_private() -> None:
    sender = WebhookSender("secret", allowed_hosts=frozenset({"127.0.0.1:9"}))
    try:
        await sender.check_url("http://127.0.0.1:9/hook")
        with pytest.raises(WebhookRefused):
            await sender.check_url("http://127.0.0.1:10/hook")
    finally:
        await sender.close()


async def test_a_refused_url_is_not_retried() -> None:
    sender = WebhookSender("secret", base_delay=10)
    try:
        assert await sender.deliver("http://10.0.0.1/hook", {"job_id": "x"}) is False
    finally:
        await sender.close()
