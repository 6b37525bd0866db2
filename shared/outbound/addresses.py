"""Which network addresses a user-given URL may reach: the SSRF gate of every outbound request.

Source downloads (storage) and completion webhooks (ingest) both go through here: one
policy, so a callback URL cannot reach what a source URL may not. A URL names a host; the
host is resolved here, once, and every address it resolves to is checked. The caller then
connects to the checked address itself (`shared.outbound.pinned`, never resolving the name
again), so a DNS answer that changes between the check and the connection (rebinding)
cannot point the request somewhere else.

Refused: loopback, private (RFC 1918, unique-local), link-local, CGNAT, multicast,
unspecified, reserved and documentation ranges, cloud metadata endpoints, and IPv6 forms
that embed a refused IPv4 address (IPv4-mapped, NAT64, 6to4). Numeric hosts are read the way
the C resolver reads them (``2130706433``, ``0x7f.1``, ``0177.0.0.1`` are all 127.0.0.1), so an
unusual spelling cannot slip past the check. Hosts listed in `allowed_hosts` (``host`` or
``host:port``; tests use it for their loopback servers) skip the address check only.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "AddressRefused",
    "Destination",
    "IPAddress",
    "ResolveFailed",
    "Resolver",
    "host_key",
    "parse_ip_literal",
    "refusal_reason",
    "resolve_destination",
    "system_resolver",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
"""(host, port) -> the addresses the host resolves to, as strings."""

_N4 = ipaddress.IPv4Network
_N6 = ipaddress.IPv6Network

# Order matters: the first match names the reason (metadata before link-local).
_V4_REFUSED: tuple[tuple[_N4, str], ...] = (
    (_N4("169.254.169.254/32"), "cloud metadata endpoint"),
    (_N4("168.63.129.16/32"), "cloud metadata endpoint"),
    (_N4("100.100.100.200/32"), "cloud metadata endpoint"),
    (_N4("0.0.0.0/8"), "unspecified / this network"),
    (_N4("10.0.0.0/8"), "private"),
    (_N4("100.64.0.0/10"), "carrier-grade NAT"),
    (_N4("127.0.0.0/8"), "loopback"),
    (_N4("169.254.0.0/16"), "link-local"),
    (_N4("172.16.0.0/12"), "private"),
    (_N4("192.0.0.0/24"), "reserved (IETF protocol assignments)"),
    (_N4("192.0.2.0/24"), "reserved (documentation)"),
    (_N4("192.88.99.0/24"), "reserved (6to4 relay)"),
    (_N4("192.168.0.0/16"), "private"),
    (_N4("198.18.0.0/15"), "reserved (benchmarking)"),
    (_N4("198.51.100.0/24"), "reserved (documentation)"),
    (_N4("203.0.113.0/24"), "reserved (documentation)"),
    (_N4("224.0.0.0/4"), "multicast"),
    (_N4("240.0.0.0/4"), "reserved"),
)
_V6_REFUSED: tuple[tuple[_N6, str], ...] = (
    (_N6("fd00:ec2::254/128"), "cloud metadata endpoint"),
    (_N6("::/128"), "unspecified"),
    (_N6("::1/128"), "loopback"),
    (_N6("64:ff9b:1::/48"), "private (local NAT64)"),
    (_N6("100::/64"), "reserved (discard)"),
    (_N6("2001::/32"), "reserved (Teredo tunnel)"),
    (_N6("2001:10::/28"), "reserved (ORCHID)"),
    (_N6("2001:20::/28"), "reserved (ORCHIDv2)"),
    (_N6("2001:db8::/32"), "reserved (documentation)"),
    (_N6("3fff::/20"), "reserved (documentation)"),
    (_N6("fc00::/7"), "private (unique local)"),
    (_N6("fe80::/10"), "link-local"),
    (_N6("fec0::/10"), "private (site-local)"),
    (_N6("ff00::/8"), "multicast"),
)
_V6_GLOBAL_UNICAST = _N6("2000::/3")
_NAT64 = _N6("64:ff9b::/96")
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}$")


class AddressRefused(ValueError):
    """The URL's host is, or resolves to, an address outbound requests may not reach."""


class ResolveFailed(OSError):
    """The host did not resolve to any address."""


@dataclass(frozen=True)
class Destination:
    """A host checked for one connection: connect to `address`, say `host` to the server."""

    host: str
    port: int
    address: IPAddress
    allow_listed: bool


def refusal_reason(address: IPAddress) -> str | None:
    """Why `address` may not be contacted, or None if it is a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            reason = refusal_reason(embedded)
            return f"{reason} (IPv4 {embedded} inside IPv6)" if reason else None
        if int(address) >> 32 == 0:  # ::a.b.c.d, deprecated IPv4-compatible (and ::, ::1)
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
            return {0: "unspecified", 1: "loopback"}.get(
                int(address), f"reserved (IPv4-compatible IPv6 of {inner})")
        for network, reason in _V6_REFUSED:
            if address in network:
                return reason
        if address not in _V6_GLOBAL_UNICAST:
            return "reserved (outside global unicast)"
        return None
    for network4, reason in _V4_REFUSED:
        if address in network4:
            return reason
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for: IPv4-mapped/-compatible, NAT64, 6to4."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a numeric host stands for, read as the C resolver would; None for names.

    A host whose last label is a number is an IPv4 address or nothing (the WHATWG URL
    rule): AddressRefused for those that are not valid addresses, and for IPv6 zone ids,
    rather than letting a resolver guess what they mean.
    """
    text = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if ":" in text:
        if "%" in text:
            raise AddressRefused(f"IPv6 zone ids are not allowed in URLs ({host})")
        try:
            return ipaddress.IPv6Address(text)
        except ValueError:
            raise AddressRefused(f"{host!r} is not a valid IPv6 address") from None
    if not _NUMERIC_LABEL.fullmatch(text.rsplit(".", 1)[-1]):
        return None
    if not _NUMERIC_HOST.match(text):  # ends like an address, is none (WHATWG URL rule)
        raise AddressRefused(f"{text!r} is not a valid IPv4 address")
    return _inet_aton(text)


def _inet_aton(text: str) -> ipaddress.IPv4Address:
    """1 to 4 parts, each decimal, 0x-hex or 0-octal; the last part fills the rest."""
    parts: list[int] = []
    for piece in text.split("."):
        try:
            if piece.startswith("0x"):
                parts.append(int(piece[2:] or "0", 16))
            elif len(piece) > 1 and piece.startswith("0"):
                parts.append(int(piece, 8))
            else:
                parts.append(int(piece, 10))
        except ValueError:
            raise AddressRefused(f"{text!r} is not a valid IPv4 address") from None
    *head, last = parts
    if any(part > 0xFF for part in head) or last >= 1 << (8 * (4 - len(head))):
        raise AddressRefused(f"{text!r} is not a valid IPv4 address")
    value = last
    for index, part in enumerate(head):
        value |= part << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def host_key(host: str) -> str:
    """The host as compared and resolved: lower case, IDNA (punycode), no trailing dot."""
    name = host.strip().lower()
    if name.endswith(".") and not name.endswith(".."):
        name = name[:-1]
    if not name or name.startswith(".") or ".." in name:
        raise AddressRefused(f"invalid host name {host!r}")
    if name.startswith("[") or ":" in name:
        return name.strip("[]")  # an IPv6 literal: parse_ip_literal validates it
    if not name.isascii():
        try:
            name = name.encode("idna").decode("ascii")
        except UnicodeError:
            raise AddressRefused(f"invalid host name {host!r}") from None
    if not re.fullmatch(r"[a-z0-9._-]+", name):
        raise AddressRefused(f"invalid host name {host!r}")
    return name


async def system_resolver(host: str, port: int) -> Sequence[str]:
    """The operating system's resolver, run by the event loop's executor."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _allow_listed(host: str, port: int, allowed_hosts: frozenset[str]) -> bool:
    shown = f"[{host}]" if ":" in host else host
    return bool({host, shown, f"{shown}:{port}"} & allowed_hosts)


async def resolve_destination(host: str, port: int, *, resolver: Resolver,
                              allowed_hosts: frozenset[str]) -> Destination:
    """Resolve `host` once and check every address; AddressRefused if any is refused.

    All addresses must pass, not just the one used: a name that resolves to a public and a
    private address is refused (a common rebinding set-up).
    """
    name = host_key(host)
    allowed = _allow_listed(name, port, allowed_hosts)
    literal = parse_ip_literal(name)
    if literal is not None:
        addresses: list[IPAddress] = [literal]
    else:
        try:
            answers = await resolver(name, port)
        except (OSError, UnicodeError) as exc:
            raise ResolveFailed(f"cannot resolve {name}: {exc}") from None
        addresses = [_parse_answer(answer) for answer in answers]
        if not addresses:
            raise ResolveFailed(f"{name} resolved to no address")
    if not allowed:
        for address in addresses:
            reason = refusal_reason(address)
            if reason is not None:
                shown = name if literal is not None else f"{name} resolves to {address}"
                raise AddressRefused(f"{shown}: {reason} addresses may not be fetched")
    return Destination(host=name, port=port, address=addresses[0], allow_listed=allowed)


def _parse_answer(answer: str) -> IPAddress:
    """A resolver answer; scoped IPv6 answers (``fe80::1%eth0``) keep their address part."""
    try:
        return ipaddress.ip_address(answer.split("%", 1)[0])
    except ValueError:
        raise ResolveFailed(f"the resolver returned {answer!r}, not an address") from None
