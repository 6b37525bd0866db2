"""The address a request came from, for every service that records one.

The direct peer is the client, unless it is one of `VIDGEN_TRUSTED_PROXIES`: only then does
`X-Forwarded-For` say who is behind it. Nothing else may make a forwarded address count, so
uvicorn's own proxy-header handling is off in every service (`UVICORN_PROXY_OPTIONS`): left
on, it trusts 127.0.0.1 by default (FORWARDED_ALLOW_IPS) and rewrites the peer before
vidgen sees it, letting anyone on the host claim any address for ownership, rate limits,
access logs and security events.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any, Final

from starlette.requests import HTTPConnection

__all__ = ["UVICORN_PROXY_OPTIONS", "Network", "client_address",
           "parse_networks", "request_address"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# for uvicorn.run / uvicorn.Config in every service: the peer address stays the peer's
UVICORN_PROXY_OPTIONS: Final[dict[str, Any]] = {"proxy_headers": False}


def parse_networks(text: str) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False)
                 for part in text.split(",") if part.strip())


def _ip(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def client_address(peer: str | None, forwarded_for: str | None,
                   trusted: Iterable[Network]) -> str | None:
    """The client's IP. X-Forwarded-For counts only when the direct peer is a trusted proxy:
    then the right-most address that is not itself a trusted proxy is the client (the
    left part of the header is whatever the client chose to send)."""
    networks = tuple(trusted)
    current = _ip(peer)

    def is_proxy(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address.version == net.version and address in net for net in networks)

    if current is None or not forwarded_for or not is_proxy(current):
        return None if current is None else str(current)
    for hop in reversed(forwarded_for.split(",")):
        address = _ip(hop)
        if address is None:
            break  # garbage: keep the last address a trusted proxy vouched for
        current = address
        if not is_proxy(address):
            break
    return str(current)


def request_address(request: HTTPConnection, trusted: Iterable[Network]) -> str | None:
    """client_address of a Starlette request."""
    return client_address(request.client.host if request.client else None,
                          request.headers.get("x-forwarded-for"), trusted)
