"""The fetcher's address decisions, over a long list of SSRF tricks.

Everything runs through `check_url` (the per-hop decision the fetcher makes before any
connection) with a stub resolver: these tests open no socket at all.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import pytest

from services.storage.fetch import FetchError, check_url
from shared.outbound.addresses import AddressRefused, parse_ip_literal, refusal_reason

PUBLIC_V4 = "93.184.215.14"
PUBLIC_V6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"


class StubResolver:
    """Answers from a table; records every question; unknown names do not resolve."""

    def __init__(self, table: dict[str, Sequence[str]] | None = None) -> None:
        self.table = {
            "localhost": ["127.0.0.1", "::1"],
            "metadata.google.internal": ["169.254.169.254"],
            "rebind.test": [PUBLIC_V4, "10.0.0.1"],  # one public, one private answer
            "v6loop.test": ["::1"],
            "mapped.test": ["::ffff:192.168.0.1"],
            "nat64.test": ["64:ff9b::a9fe:a9fe"],
            "linklocal6.test": ["fe80::1%eth0"],
            "127.0.0.1.nip.test": ["127.0.0.1"],
            "cdn.example.com": [PUBLIC_V4],
            "dual.example.com": [PUBLIC_V4, PUBLIC_V6],
            "garbage.test": ["not-an-address"],
            "empty.test": [],
            **(table or {}),
        }
        self.calls: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.calls.append((host, port))
        if host not in self.table:
            raise OSError(f"[Errno -2] Name or service not known: {host}")
        return self.table[host]


async def _decide(url: str, resolver: StubResolver | None = None,
                  allowed: frozenset[str] = frozenset()) -> str:
    _, destination = await check_url(url, resolver=resolver or StubResolver(),
                                     allowed_hosts=allowed)
    return str(destination.address)


REFUSED_LITERALS = [
    # IPv4 special ranges
    "http://127.0.0.1/", "http://127.0.0.1:8080/x", "http://127.255.255.254/",
    "http://0.0.0.0/", "http://10.0.0.1/", "http://10.255.255.255/", "http://172.16.0.1/",
    "http://172.31.255.255/", "http://192.168.0.1/", "http://169.254.169.254/latest/meta-data/",
    "http://169.254.0.1/", "http://100.64.0.1/", "http://100.127.255.254/",
    "http://100.100.100.200/", "http://168.63.129.16/", "http://224.0.0.1/",
    "http://239.255.255.250:1900/", "http://255.255.255.255/", "http://240.0.0.1/",
    "http://192.0.0.170/", "http://192.0.2.1/", "http://198.18.0.1/", "http://198.51.100.7/",
    "http://203.0.113.9/", "http://192.88.99.1/",
    # the same, spelt the way inet_aton reads numbers
    "http://2130706433/", "http://017700000001/", "http://0x7f000001/", "http://0x7f.1/",
    "http://0x7f.0.0.1/", "http://0177.0.0.1/", "http://0177.1/", "http://127.1/",
    "http://127.0.1/", "http://0/", "http://0x0/", "http://0x7F.0x00.0x00.0x01/",
    "http://3232235777/", "http://0xa9.0xfe.0xa9.0xfe/", "http://2852039166/",
    "http://0251.0376.0251.0376/", "http://10.1/", "http://0xa.0x1/",
    # trailing dots and case
    "http://127.0.0.1./", "http://LOCALHOST/", "http://localhost./", "HTTP://127.0.0.1/",
    # IPv6 special ranges
    "http://[::1]/", "http://[::]/", "http://[0:0:0:0:0:0:0:1]/", "http://[0::1]:8080/",
    "http://[fe80::1]/", "http://[fc00::1]/", "http://[fd12:3456:789a::1]/",
    "http://[fd00:ec2::254]/", "http://[ff02::1]/", "http://[fec0::1]/",
    "http://[2001:db8::1]/", "http://[2001::1]/", "http://[100::1]/", "http://[64:ff9b:1::1]/",
    # IPv6 forms that embed a refused IPv4 address
    "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "http://[::ffff:169.254.169.254]/",
    "http://[::ffff:10.0.0.1]/", "http://[0:0:0:0:0:ffff:c0a8:0001]/", "http://[::127.0.0.1]/",
    "http://[64:ff9b::7f00:1]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:7f00:1::1]/",
    "http://[2002:a9fe:a9fe::]/", "http://[::8.8.8.8]/",
    # IDNA spellings that normalise to digits and dots
    "http://\u2460\u2461\u2466.0.0.1/",  # circled digits
    "http://\uff11\uff12\uff17\uff0e\uff10\uff0e\uff10\uff0e\uff11/",  # full-width
]


@pytest.mark.parametrize("url", REFUSED_LITERALS)
async def test_refused_addresses(url: str) -> None:
    resolver = StubResolver()
    with pytest.raises(FetchError) as caught:
        await _decide(url, resolver)
    assert caught.value.code == "source_forbidden", caught.value
    assert not caught.value.transient


@pytest.mark.parametrize("url", [
    "http://2130706433/", "http://0x7f.1/", "http://[::ffff:127.0.0.1]/", "http://127.1/",
])
async def test_numeric_hosts_are_never_sent_to_the_resolver(url: str) -> None:
    resolver = StubResolver()
    with pytest.raises(FetchError):
        await _decide(url, resolver)
    assert resolver.calls == []


@pytest.mark.parametrize(("url", "reason"), [
    ("http://localhost/", "loopback"),
    ("http://localhost.:8080/", "loopback"),
    ("http://metadata.google.internal/computeMetadata/v1/", "metadata"),
    ("http://rebind.test/", "private"),
    ("http://v6loop.test/", "loopback"),
    ("http://mapped.test/", "private"),
    ("http://nat64.test/", "metadata"),
    ("http://linklocal6.test/", "link-local"),
    ("http://127.0.0.1.nip.test/", "loopback"),
])
async def test_names_resolving_to_refused_addresses(url: str, reason: str) -> None:
    resolver = StubResolver()
    with pytest.raises(FetchError) as caught:
        await _decide(url, resolver)
    assert caught.value.code == "source_forbidden"
    assert reason in str(caught.value)
    assert len(resolver.calls) == 1, "the name is resolved exactly once"


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "file://localhost/etc/passwd", "ftp://cdn.example.com/a.mp4",
    "gopher://cdn.example.com:70/_x", "dict://cdn.example.com:11211/", "ldap://x/",
    "data:video/mp4;base64,AAAA", "javascript:alert(1)", "jar:http://cdn.example.com/a!/b",
    "//cdn.example.com/a.mp4", "/etc/passwd", "media/clip.mp4", "C:\\media\\clip.mp4",
    "httpx://cdn.example.com/", "http:/cdn.example.com/", "http:///a.mp4", "",
    # credentials, parser confusion, control characters
    "http://user:pass@cdn.example.com/a.mp4", "http://cdn.example.com@127.0.0.1/",
    "http://cdn.example.com\\@127.0.0.1/", "http://127.0.0.1\t/", "http://cdn.example\n.com/",
    "http://exa mple.com/", "http://[::1/", "http://cdn.example.com:99999/",
    "http://cdn.example.com:-1/", "http://%31%32%37.0.0.1/", "http://[fe80::1%25eth0]/",
    "http://0x7g.1/", "http://1.2.3.4.5/", "http://256.0.0.1/", "http://1.2.65536/",
    "http://cdn..example.com/", "http://.cdn.example.com/", "http://exa_mple.com\x00/",
])
async def test_refused_urls(url: str) -> None:
    resolver = StubResolver()
    with pytest.raises(FetchError) as caught:
        await _decide(url, resolver)
    assert caught.value.code == "source_forbidden", caught.value
    assert resolver.calls == []


@pytest.mark.parametrize(("url", "address"), [
    ("https://cdn.example.com/video.mp4", PUBLIC_V4),
    ("HTTPS://CDN.EXAMPLE.COM./video.mp4?x=1", PUBLIC_V4),
    ("http://dual.example.com:8080/a", PUBLIC_V4),
    (f"http://{PUBLIC_V4}/a.png", PUBLIC_V4),
    (f"http://[{PUBLIC_V6}]/a.png", PUBLIC_V6),
    ("http://134744072/", "8.8.8.8"),  # decimal spelling of a public address
    ("http://[::ffff:8.8.8.8]/", "::ffff:808:808"),
    ("http://[2002:808:808::1]/", "2002:808:808::1"),  # 6to4 of a public address
])
async def test_public_addresses_are_allowed(url: str, address: str) -> None:
    assert await _decide(url) == address


async def test_unresolvable_names_are_transient_failures() -> None:
    for url in ("http://nowhere.invalid/", "http://empty.test/", "http://garbage.test/"):
        with pytest.raises(FetchError) as caught:
            await _decide(url)
        assert caught.value.code == "source_unreachable"
        assert caught.value.transient


async def test_allow_list_matches_host_and_port() -> None:
    allowed = frozenset({"127.0.0.1:8123", "localhost", "[::1]:9000"})
    assert await _decide("http://127.0.0.1:8123/a", allowed=allowed) == "127.0.0.1"
    assert await _decide("http://localhost:1234/a", allowed=allowed) == "127.0.0.1"
    assert await _decide("http://[::1]:9000/a", allowed=allowed) == "::1"
    for url in ("http://127.0.0.1:8124/a", "http://127.0.0.2:8123/a", "http://[::1]:9001/",
                "http://2130706433:8124/", "file:///etc/passwd"):
        with pytest.raises(FetchError) as caught:
            await _decide(url, allowed=allowed)
        assert caught.value.code == "source_forbidden", url


@pytest.mark.parametrize(("text", "expected"), [
    ("2130706433", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("0177.0.0.01", "127.0.0.1"),
    ("10.1", "10.0.0.1"), ("192.168.257", "192.168.1.1"), ("0", "0.0.0.0"),
    ("8.8.8.8", "8.8.8.8"), ("::1", "::1"), ("[::ffff:1.2.3.4]", "::ffff:102:304"),
])
def test_ip_literals_are_read_like_inet_aton(text: str, expected: str) -> None:
    assert str(parse_ip_literal(text)) == expected


@pytest.mark.parametrize("text", ["example.com", "cdn-1.example", "a1.b2", "0x.example"])
def test_names_are_not_literals(text: str) -> None:
    assert parse_ip_literal(text) is None


@pytest.mark.parametrize("text", ["08.0.0.1", "1.2.3.256", "0x100.1.1.1", "4294967296", "::g"])
def test_invalid_numeric_hosts_are_refused(text: str) -> None:
    with pytest.raises(AddressRefused):
        parse_ip_literal(text)


@pytest.mark.parametrize(("address", "reason"), [
    ("169.254.169.254", "metadata"), ("fd00:ec2::254", "metadata"), ("127.0.0.1", "loopback"),
    ("::1", "loopback"), ("100.64.0.1", "carrier-grade NAT"), ("::ffff:10.1.2.3", "private"),
    ("224.0.0.251", "multicast"), ("ff05::2", "multicast"), ("::", "unspecified"),
    ("0.0.0.0", "unspecified"), ("fe80::abcd", "link-local"), ("::ffff:0.0.0.0", "unspecified"),
])
def test_refusal_reasons_name_the_range(address: str, reason: str) -> None:
    found = refusal_reason(ipaddress.ip_address(address))
    assert found is not None
    assert reason in found


@pytest.mark.parametrize("address", [
    "8.8.8.8", "1.1.1.1", PUBLIC_V4, PUBLIC_V6, "2001:4860:4860::8888", "::ffff:8.8.8.8",
    "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
    "11.0.0.0", "223.255.255.255",
])
def test_public_addresses_have_no_refusal_reason(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None
