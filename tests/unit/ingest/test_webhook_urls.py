"""Callback URLs are user input: only http(s) to public addresses, unless allowed.

The same address policy as source downloads: every class of address the fetcher refuses
(metadata endpoints, NAT64, 6to4 and IPv4-compatible IPv6 included) is refused here, and
no connection is ever attempted for a refused callback."""

from __future__ import annotations

import asyncio

import pytest

from services.ingest.webhooks import WebhookRefused, WebhookSender
from shared.outbound.pinned import pinned_client, pinned_request


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


# --- the source-download address policy applies to callbacks too --------------------------

PUBLIC_V4 = "93.184.215.14"

# (a callback host, what the resolver answers for it, words the refusal must contain)
NAMED = [
    ("loop.test", ["127.0.0.1"], "loopback"),
    ("v6loop.test", ["::1"], "loopback"),
    ("zero.test", ["0.0.0.0"], "unspecified"),
    ("private.test", ["10.0.0.7"], "private"),
    ("private172.test", ["172.16.5.4"], "private"),
    ("private192.test", ["192.168.1.1"], "private"),
    ("ula.test", ["fd12:3456::1"], "unique local"),
    ("cgnat.test", ["100.64.0.1"], "carrier-grade NAT"),
    ("linklocal.test", ["169.254.10.10"], "link-local"),
    ("linklocal6.test", ["fe80::1%eth0"], "link-local"),
    ("multicast.test", ["224.0.0.251"], "multicast"),
    ("multicast6.test", ["ff02::1"], "multicast"),
    ("metadata.test", ["169.254.169.254"], "cloud metadata endpoint"),
    ("azure-metadata.test", ["168.63.129.16"], "cloud metadata endpoint"),
    ("alibaba-metadata.test", ["100.100.100.200"], "cloud metadata endpoint"),
    ("metadata6.test", ["fd00:ec2::254"], "cloud metadata endpoint"),
    ("mapped.test", ["::ffff:127.0.0.1"], "loopback (IPv4 127.0.0.1 inside IPv6)"),
    ("nat64-metadata.test", ["64:ff9b::a9fe:a9fe"],
     "cloud metadata endpoint (IPv4 169.254.169.254 inside IPv6)"),
    ("nat64-loop.test", ["64:ff9b::7f00:1"], "loopback (IPv4 127.0.0.1 inside IPv6)"),
    ("sixtofour-loop.test", ["2002:7f00:1::1"], "loopback (IPv4 127.0.0.1 inside IPv6)"),
    ("sixtofour-metadata.test", ["2002:a9fe:a9fe::1"], "cloud metadata endpoint"),
    ("compat.test", ["::127.0.0.1"], "IPv4-compatible IPv6 of 127.0.0.1"),
    ("sixtofour-relay.test", ["192.88.99.1"], "6to4 relay"),
    ("documentation6.test", ["3fff::1"], "documentation"),
    ("mixed.test", [PUBLIC_V4, "127.0.0.1"], "loopback"),
]

LITERALS = [
    ("http://[64:ff9b::a9fe:a9fe]/hook", "cloud metadata endpoint"),
    ("http://[64:ff9b::7f00:1]/hook", "loopback"),
    ("http://[2002:7f00:1::1]/hook", "loopback"),
    ("http://[2002:a9fe:a9fe::]/hook", "cloud metadata endpoint"),
    ("http://[::127.0.0.1]/hook", "IPv4-compatible IPv6"),
    ("http://[::a9fe:a9fe]/hook", "IPv4-compatible IPv6"),
    ("http://168.63.129.16/hook", "cloud metadata endpoint"),
    ("http://100.100.100.200/hook", "cloud metadata endpoint"),
    ("http://[fd00:ec2::254]/hook", "cloud metadata endpoint"),
    ("http://2130706433/hook", "loopback"),
    ("http://0x7f.1/hook", "loopback"),
    ("http://127.0.0.1./hook", "loopback"),
    ("http://user:pass@example.com/hook", "credentials"),
    ("gopher://example.com/hook", "only http and https"),
]


class StubResolver:
    """Answers from a table, records every question; unknown names do not resolve."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        if host not in self.table:
            raise OSError(f"no such name: {host}")
        return self.table[host]


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every connection the event loop is asked to open (none may be, here)."""
    opened: list[object] = []

    async def refuse(self: object, *args: object, **kwargs: object) -> None:
        opened.append(args[1:3])
        raise AssertionError(f"a connection was attempted: {args[1:3]}")

    monkeypatch.setattr(asyncio.base_events.BaseEventLoop, "create_connection", refuse)
    return opened


@pytest.mark.parametrize(("name", "answers", "reason"), NAMED)
async def test_callback_names_resolving_to_refused_addresses(
        connections: list[object], name: str, answers: list[str], reason: str) -> None:
    resolver = StubResolver({name: answers})
    sender = WebhookSender("secret", resolver=resolver, base_delay=10)
    try:
        with pytest.raises(WebhookRefused) as caught:
            await sender.check_url(f"http://{name}:8080/hook")
        assert reason in str(caught.value), caught.value
        assert await sender.deliver(f"https://{name}/hook", {"job_id": "x"}) is False
    finally:
        await sender.close()
    assert resolver.calls == [name, name], "resolved once per decision"
    assert connections == []


@pytest.mark.parametrize(("url", "reason"), LITERALS)
async def test_callback_literals_of_refused_addresses(connections: list[object], url: str,
                                                      reason: str) -> None:
    resolver = StubResolver({"example.com": [PUBLIC_V4]})
    sender = WebhookSender("secret", resolver=resolver, base_delay=10)
    try:
        with pytest.raises(WebhookRefused) as caught:
            await sender.check_url(url)
        assert reason in str(caught.value), caught.value
        assert await sender.deliver(url, {"job_id": "x"}) is False
    finally:
        await sender.close()
    assert resolver.calls == [], "nothing to resolve: refused as written"
    assert connections == []


async def test_a_public_callback_is_posted_to_the_checked_address() -> None:
    """The request goes to the resolved IP and names the host in `Host` (and SNI)."""
    resolver = StubResolver({"hooks.example.com": [PUBLIC_V4]})
    sender = WebhookSender("secret", resolver=resolver)
    client = pinned_client(timeout=1, connect_timeout=1, headers={})
    try:
        target, destination = await sender.check_url("https://Hooks.Example.com/h?x=1")
        request = pinned_request(client, "POST", target, destination,
                                 headers={"Content-Type": "application/json"}, content=b"{}")
    finally:
        await sender.close()
        await client.aclose()
    assert str(request.url) == f"https://{PUBLIC_V4}/h?x=1"
    assert request.headers["host"] == "hooks.example.com"
    assert request.extensions["sni_hostname"] == "hooks.example.com"
    assert request.content == b"{}"
