"""HTTP requests to user-given URLs that connect only to the address that was checked.

`check_http_url` splits the URL (plain http(s) only: no other scheme, no credentials, no
spaces or control characters) and resolves its host once through `addresses`;
`pinned_request` then builds a request whose URL carries that checked IP, with the `Host`
header naming the host and, for https, the `sni_hostname` extension making TLS send the
name as SNI and verify the certificate against it. httpx never resolves the name itself,
so a DNS server answering differently the second time (rebinding) has no second time.

`pinned_client` is the client such requests go through: no proxies from the environment
(a proxy would resolve names itself), no redirects (each hop is the caller's to check
again) and no keep-alive (a pooled TLS connection is matched by IP and port only, and must
not carry a request for another name).
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from shared.outbound.addresses import (
    AddressRefused,
    Destination,
    Resolver,
    resolve_destination,
)

__all__ = ["HttpTarget", "check_http_url", "parse_http_url", "pinned_client", "pinned_request"]


@dataclass(frozen=True)
class HttpTarget:
    """A URL split into what the request needs."""

    scheme: str
    host: str
    port: int
    target: str  # path and query


def parse_http_url(url: str) -> HttpTarget:
    """Split an http(s) URL; AddressRefused for anything else (nothing is resolved)."""
    if not url.isprintable() or any(char in url for char in " \\"):
        raise AddressRefused("the URL contains spaces, backslashes or control characters")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise AddressRefused(f"malformed URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise AddressRefused("only http and https URLs can be requested, "
                             f"not {scheme + ':' if scheme else 'a path'}")
    if "@" in parts.netloc:
        raise AddressRefused("URLs with credentials are not requested")
    try:
        port = parts.port
    except ValueError:
        raise AddressRefused("the URL has an invalid port") from None
    if not parts.hostname:
        raise AddressRefused("the URL has no host")
    path = parts.path or "/"
    return HttpTarget(scheme, parts.hostname, port or (443 if scheme == "https" else 80),
                      path + (f"?{parts.query}" if parts.query else ""))


async def check_http_url(url: str, *, resolver: Resolver,
                         allowed_hosts: frozenset[str]) -> tuple[HttpTarget, Destination]:
    """Where to connect for `url`: AddressRefused (not allowed) or ResolveFailed."""
    target = parse_http_url(url)
    destination = await resolve_destination(target.host, target.port, resolver=resolver,
                                            allowed_hosts=allowed_hosts)
    return target, destination


def pinned_request(client: httpx.AsyncClient, method: str, target: HttpTarget,
                   destination: Destination, *, headers: Mapping[str, str] | None = None,
                   content: bytes | None = None) -> httpx.Request:
    """A request to the checked address that still names the host (Host header, SNI)."""
    address = destination.address
    literal = f"[{address}]" if address.version == 6 else str(address)
    url = httpx.URL(f"{target.scheme}://{literal}:{target.port}{target.target}")
    extensions = {}
    if target.scheme == "https" and destination.host != str(address):
        extensions["sni_hostname"] = destination.host
    name = f"[{destination.host}]" if ":" in destination.host else destination.host
    default = 443 if target.scheme == "https" else 80
    host = name if target.port == default else f"{name}:{target.port}"
    return client.build_request(method, url, headers={**(headers or {}), "Host": host},
                                content=content, extensions=extensions)


def pinned_client(*, timeout: float, connect_timeout: float, headers: Mapping[str, str],
                  verify: ssl.SSLContext | bool = True) -> httpx.AsyncClient:
    """The client for pinned requests: no environment proxies, redirects or keep-alive."""
    return httpx.AsyncClient(
        trust_env=False,
        follow_redirects=False,
        verify=verify,
        timeout=httpx.Timeout(timeout, connect=connect_timeout),
        limits=httpx.Limits(max_keepalive_connections=0),
        headers=dict(headers),
    )
