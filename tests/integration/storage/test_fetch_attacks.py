"""The SSRF and media-trick attack list, each case refused with nothing contacted.

Every test here runs with `network` (autouse): the event loop's `create_connection` and
`getaddrinfo` are wrapped so each connection attempt and name lookup is recorded, and a
connection to anything but loopback fails the test *before* a packet is sent. So the
private, link-local and metadata cases can go through the whole fetcher (a resolver stub
maps a name to the forbidden address): a wrong decision would be caught at the connect,
never sent. Refusals assert the error code, a reason naming the range, zero connection
attempts and zero hits on the canary (a loopback server counting requests); the controls
show the same spellings, names and files do reach the canary or the secret file once the
protection is lifted, so the zeros mean something.

Attack (from the issue)                      Where it is tested
-------------------------------------------  ---------------------------------------------
private / loopback / link-local / multicast  unit/storage/test_addresses.py
/ metadata IPv4 and IPv6 literals            (test_refused_addresses, decision only);
                                             here: test_refused_spellings_of_the_canary
IPv4-mapped IPv6 (also NAT64, 6to4, compat)  test_addresses (literals and resolver answers);
                                             here: canary spellings and resolver answers
decimal / octal / hex spellings              test_addresses (test_refused_addresses,
                                             test_ip_literals_are_read_like_inet_aton);
                                             test_fetch (redirects to the canary); here:
                                             direct fetches of the canary, with controls
trailing dots (and IDNA / full-width dots)   test_addresses; here: canary spellings
DNS names resolving to those                 test_addresses (stub, decision only); here:
                                             test_names_resolving_to_refused_addresses
                                             (stub through the whole fetcher, loopback
                                             names with a control)
DNS rebinding (connect to the checked        test_fetch (test_connection_goes_to_the_
address)                                     checked_address); here: test_rebinding_...
                                             (a changing resolver; the system resolver never
                                             sees the name) and mixed public+loopback answers
redirects re-checked at every hop            test_fetch (test_redirects_to_refused_addresses_
                                             never_reach_them), test_download (step error);
                                             here: names, schemes and every redirect status
non-http(s) schemes                          test_addresses (test_refused_urls), test_download
                                             (file:); here: schemes aimed at the canary port
oversized bodies, with / without             test_fetch (test_size_cap); here: a gzip bomb
Content-Length                               (small on the wire, large decoded)
slow-loris bodies                            test_fetch (test_total_time_cap: trickled body,
                                             test_idle_timeout_is_retried: stalled body);
                                             here: headers trickled a byte at a time
content that is not media                    unit/storage/test_pieces.py (sniffer),
                                             test_download (html, m3u8 -> source_not_media);
                                             here: crafted playlists / concat lists are
                                             refused by the sniffer, and the ID3-prefixed
                                             ones the sniffer lets by fail the probe
FFmpeg opens only local files (protocol and  here: test_engine_refuses_playlists_and_concat_
format whitelists on every input)            lists (HLS -> canary, file:, subfile, ffconcat
                                             -> /etc/passwd or a secret file), each with a
                                             control run of plain FFmpeg that does read it
"""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import os
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from services.render.compiler import compile_plan
from services.render.engine import render
from services.render.runner import FFmpegError
from services.storage.assets import probe_summary
from services.storage.fetch import FetchError, FetchLimits, SafeFetcher
from services.storage.sniff import media_kind, read_head
from shared.media.probe import ProbeError
from shared.outbound.addresses import host_key
from shared.settings import engine_settings
from tests.integration.storage.servers import Origin, Send, Servers, running
from tests.unit.render.helpers import ENGINE, plan_for

pytestmark = pytest.mark.timeout(60)

LIMITS = FetchLimits(max_bytes=1024 * 1024, total_timeout=5.0, idle_timeout=1.0,
                     connect_timeout=1.0, attempts=3, backoff=0.02)
PUBLIC_V4 = "93.184.215.14"


# --- the network guard -------------------------------------------------------------------


@dataclass
class Network:
    """What the code under test tried: (host, port) connections and looked-up names."""

    connections: list[tuple[str, int]] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)


def _reaches_only_this_machine(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


@pytest.fixture(autouse=True)
def network(monkeypatch: pytest.MonkeyPatch) -> Network:
    seen = Network()
    loop_class = asyncio.base_events.BaseEventLoop
    connect, getaddrinfo = loop_class.create_connection, loop_class.getaddrinfo

    async def guarded_connect(self: Any, factory: Any, host: Any = None, port: Any = None,
                              *args: Any, **kwargs: Any) -> Any:
        seen.connections.append((str(host), int(port or 0)))
        if not _reaches_only_this_machine(str(host)):
            raise AssertionError(f"a test tried to connect to {host}:{port}")
        return await connect(self, factory, host, port, *args, **kwargs)

    async def recorded_getaddrinfo(self: Any, host: Any, *args: Any, **kwargs: Any) -> Any:
        seen.lookups.append(str(host))
        return await getaddrinfo(self, host, *args, **kwargs)

    monkeypatch.setattr(loop_class, "create_connection", guarded_connect)
    monkeypatch.setattr(loop_class, "getaddrinfo", recorded_getaddrinfo)
    return seen


class StubResolver:
    """Answers from a table (lists are used in turn, the last one repeated); records calls."""

    def __init__(self, table: dict[str, list[Sequence[str]]]) -> None:
        self.table = table
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> Sequence[str]:
        self.calls.append(host)
        if host not in self.table:
            raise OSError(f"no such name: {host}")
        answers = self.table[host]
        return answers[min(len(answers), self.calls.count(host)) - 1]


NAMES: dict[str, list[Sequence[str]]] = {
    "loop.test": [["127.0.0.1"]],
    "mixed.test": [["127.0.0.1", PUBLIC_V4]],  # loopback first: a bad check would hit it
    "rebind-public-first.test": [[PUBLIC_V4, "127.0.0.1"]],
    "mapped.test": [["::ffff:127.0.0.1"]],
    "zero.test": [["0.0.0.0"]],
    "v6loop.test": [["::1"]],
    "private.test": [["10.0.0.7"]],
    "private172.test": [["172.16.5.4"]],
    "private192.test": [["192.168.1.1"]],
    "cgnat.test": [["100.64.0.1"]],
    "linklocal.test": [["169.254.10.10"]],
    "linklocal6.test": [["fe80::1%eth0"]],
    "multicast.test": [["224.0.0.251"]],
    "multicast6.test": [["ff02::1"]],
    "ula.test": [["fd12:3456::1"]],
    "metadata.test": [["169.254.169.254"]],
    "azure-metadata.test": [["168.63.129.16"]],
    "alibaba-metadata.test": [["100.100.100.200"]],
    "metadata6.test": [["fd00:ec2::254"]],
    "mapped-metadata.test": [["::ffff:169.254.169.254"]],
    "nat64-metadata.test": [["64:ff9b::a9fe:a9fe"]],
    "sixtofour-private.test": [["2002:c0a8:101::1"]],
}


def _fetcher(servers: Servers, resolver: StubResolver | None = None,
             limits: FetchLimits = LIMITS,
             allowed: frozenset[str] | None = None) -> SafeFetcher:
    return SafeFetcher(limits, allowed_hosts=servers.allowed if allowed is None else allowed,
                       resolver=resolver or StubResolver(NAMES))


def _canary_port(servers: Servers) -> int:
    return int(servers.canary_url.rsplit(":", 1)[1])


async def _refused(fetcher: SafeFetcher, url: str, folder: Path) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(url, folder)
    assert list(folder.iterdir()) == [], "a refused fetch leaves no file behind"
    return caught.value


def _assert_untouched(servers: Servers, network: Network, *, allowed_ports: set[int]) -> None:
    assert sum(servers.canary.hits.values()) == 0, servers.canary.hits
    stray = [c for c in network.connections if c[1] not in allowed_ports]
    assert stray == [], f"connections were attempted: {stray}"


# --- addresses: literal spellings of the canary -------------------------------------------

# (host as written in the URL, words the refusal must contain, reaches the canary if allowed)
CANARY_SPELLINGS = [
    ("127.0.0.1", "loopback", True),
    ("127.0.0.1.", "loopback", True),
    ("2130706433", "loopback", True),
    ("017700000001", "loopback", True),
    ("0x7f000001", "loopback", True),
    ("0x7f.1", "loopback", True),
    ("0177.0.0.1", "loopback", True),
    ("0177.1", "loopback", True),
    ("127.1", "loopback", True),
    ("0x7F.0x00.0x00.0x01", "loopback", True),
    ("0x7f.1.", "loopback", True),
    ("0.0.0.0", "unspecified", True),  # Linux connects 0.0.0.0 to the local host
    ("0", "unspecified", True),
    ("0x0", "unspecified", True),
    ("[::ffff:127.0.0.1]", "loopback (IPv4 127.0.0.1 inside IPv6)", True),
    ("[::ffff:7f00:1]", "loopback (IPv4 127.0.0.1 inside IPv6)", True),
    ("[0:0:0:0:0:ffff:7f00:0001]", "loopback (IPv4 127.0.0.1 inside IPv6)", True),
    ("[::ffff:0.0.0.0]", "unspecified", True),
    ("[::1]", "loopback", False),  # the canary listens on IPv4 only
    ("[::]", "unspecified", False),
    ("[::127.0.0.1]", "IPv4-compatible IPv6 of 127.0.0.1", False),
    ("[64:ff9b::7f00:1]", "loopback (IPv4 127.0.0.1 inside IPv6)", False),
    ("[2002:7f00:1::1]", "loopback (IPv4 127.0.0.1 inside IPv6)", False),
    ("\u2460\u2461\u2466.0.0.1", "loopback", True),  # circled digits (IDNA -> 127.0.0.1)
    ("127\u30020\u30020\u30021", "loopback", True),  # ideographic full stops
    ("\uff11\uff12\uff17\uff0e\uff10\uff0e\uff10\uff0e\uff11", "loopback", True),
]


@pytest.mark.parametrize(("host", "reason", "_reaches"), CANARY_SPELLINGS)
async def test_refused_spellings_of_the_canary(servers: Servers, network: Network,
                                               tmp_path: Path, host: str, reason: str,
                                               _reaches: bool) -> None:
    resolver = StubResolver(NAMES)
    url = f"http://{host}:{_canary_port(servers)}/secret"
    error = await _refused(_fetcher(servers, resolver), url, tmp_path)
    assert error.code == "source_forbidden", error
    assert reason in str(error) and "may not be fetched" in str(error), str(error)
    assert error.attempts == 1 and not error.transient
    assert resolver.calls == [], "a numeric host is never sent to a resolver"
    _assert_untouched(servers, network, allowed_ports=set())
    assert network.connections == []


@pytest.mark.parametrize("host", [h for h, _, reaches in CANARY_SPELLINGS if reaches])
async def test_control_the_spellings_do_reach_the_canary(servers: Servers, tmp_path: Path,
                                                         host: str) -> None:
    """With the host allow-listed (address check skipped) the same URL hits the canary:
    the spelling really means the loopback address, and zero hits above is meaningful."""
    key = host_key(urlsplit(f"http://{host}/").hostname or "")
    fetcher = _fetcher(servers, allowed=frozenset({key, f"[{key}]"}))
    error = await _refused(fetcher, f"http://{host}:{_canary_port(servers)}/secret", tmp_path)
    assert error.code == "source_unreachable" and "HTTP 404" in str(error)
    assert servers.canary.hits["/secret"] == 1


# --- names resolving to refused addresses --------------------------------------------------

RESOLVED = [
    ("loop.test", "loop.test resolves to 127.0.0.1: loopback"),
    ("LOOP.TEST.", "loop.test resolves to 127.0.0.1: loopback"),
    ("mixed.test", "resolves to 127.0.0.1: loopback"),
    ("rebind-public-first.test", "resolves to 127.0.0.1: loopback"),
    ("mapped.test", "loopback (IPv4 127.0.0.1 inside IPv6)"),
    ("zero.test", "unspecified"),
    ("v6loop.test", "resolves to ::1: loopback"),
    ("private.test", "resolves to 10.0.0.7: private"),
    ("private172.test", "private"),
    ("private192.test", "private"),
    ("cgnat.test", "carrier-grade NAT"),
    ("linklocal.test", "link-local"),
    ("linklocal6.test", "resolves to fe80::1: link-local"),
    ("multicast.test", "multicast"),
    ("multicast6.test", "multicast"),
    ("ula.test", "private (unique local)"),
    ("metadata.test", "resolves to 169.254.169.254: cloud metadata endpoint"),
    ("azure-metadata.test", "cloud metadata endpoint"),
    ("alibaba-metadata.test", "cloud metadata endpoint"),
    ("metadata6.test", "cloud metadata endpoint"),
    ("mapped-metadata.test", "cloud metadata endpoint (IPv4 169.254.169.254 inside IPv6)"),
    ("nat64-metadata.test", "cloud metadata endpoint (IPv4 169.254.169.254 inside IPv6)"),
    ("sixtofour-private.test", "private (IPv4 192.168.1.1 inside IPv6)"),
]


@pytest.mark.parametrize(("name", "reason"), RESOLVED)
async def test_names_resolving_to_refused_addresses(servers: Servers, network: Network,
                                                    tmp_path: Path, name: str,
                                                    reason: str) -> None:
    """The canary's port in the URL: a name that the check let through would connect to
    the canary (loopback answers) or be stopped by the guard (every other answer)."""
    resolver = StubResolver(NAMES)
    error = await _refused(_fetcher(servers, resolver),
                           f"http://{name}:{_canary_port(servers)}/secret", tmp_path)
    assert error.code == "source_forbidden", error
    assert reason in str(error), str(error)
    assert resolver.calls == [name.lower().rstrip(".")], "resolved exactly once"
    _assert_untouched(servers, network, allowed_ports=set())
    assert network.lookups == [], "the system resolver is never asked"


@pytest.mark.parametrize("name", ["loop.test", "mapped.test", "zero.test"])
async def test_control_loopback_names_do_reach_the_canary(servers: Servers, tmp_path: Path,
                                                          name: str) -> None:
    error = await _refused(_fetcher(servers, allowed=frozenset({name})),
                           f"http://{name}:{_canary_port(servers)}/secret", tmp_path)
    assert "HTTP 404" in str(error)
    assert servers.canary.hits["/secret"] == 1


async def test_rebinding_connects_to_the_address_that_was_checked(
        servers: Servers, network: Network, tmp_path: Path) -> None:
    """The stub answers 127.0.0.1 the first time and 127.0.0.2 after that (a rebinding DNS
    server). The fetch connects to the first answer, the name reaches the server only in the
    Host header, and neither the system resolver nor httpx ever look the name up again."""
    port = int(servers.origin_url.rsplit(":", 1)[1])
    resolver = StubResolver({"rebind.test": [["127.0.0.1"], ["127.0.0.2"]]})
    fetcher = _fetcher(servers, resolver, allowed=frozenset({f"rebind.test:{port}"}))
    fetched = await fetcher.fetch(f"http://rebind.test:{port}/echo-host/", tmp_path)
    assert fetched.path.read_bytes() == f"rebind.test:{port}".encode()
    assert resolver.calls == ["rebind.test"]
    assert network.connections == [("127.0.0.1", port)]
    assert "rebind.test" not in network.lookups
    # every hop of a redirect chain is its own decision, connected to its own answer
    network.connections.clear()
    resolver = StubResolver({"rebind.test": [["127.0.0.1"], ["127.0.0.2"]]})
    fetcher = _fetcher(servers, resolver, allowed=frozenset({f"rebind.test:{port}"}),
                       limits=FetchLimits(max_bytes=1 << 20, total_timeout=5.0, attempts=1))
    hop = f"http://rebind.test:{port}/echo-host/"
    folder = tmp_path / "second"
    folder.mkdir()
    error = await _refused(fetcher, f"http://rebind.test:{port}/redirect/1?to={hop}", folder)
    assert error.code == "source_unreachable"  # nothing listens on 127.0.0.2:port
    assert resolver.calls == ["rebind.test"] * 2
    assert network.connections == [("127.0.0.1", port), ("127.0.0.2", port)]
    assert "rebind.test" not in network.lookups


# --- redirects ------------------------------------------------------------------------------


@pytest.mark.parametrize(("target", "reason"), [
    ("http://loop.test:{canary}/secret", "loopback"),
    ("//loop.test:{canary}/secret", "loopback"),
    ("http://0.0.0.0:{canary}/secret", "unspecified"),
    ("http://[::ffff:127.0.0.1]:{canary}/secret", "loopback"),
    ("http://metadata.test/latest/meta-data/", "cloud metadata endpoint"),
    ("http://private.test:{canary}/secret", "private"),
    ("ftp://127.0.0.1:{canary}/secret", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
])
async def test_every_redirect_hop_is_checked(servers: Servers, network: Network,
                                             tmp_path: Path, target: str,
                                             reason: str) -> None:
    """As the first redirect and deep in a chain, for every redirect status."""
    origin_port = int(servers.origin_url.rsplit(":", 1)[1])
    location = target.format(canary=_canary_port(servers))
    for status in ("301", "302", "303", "307", "308"):
        for hops in (1, 3):
            error = await _refused(
                _fetcher(servers),
                f"{servers.origin_url}/redirect/{hops}?to={location}&status={status}",
                tmp_path)
            assert error.code == "source_forbidden", (status, error)
            assert reason in str(error), str(error)
            assert error.attempts == 1
    _assert_untouched(servers, network, allowed_ports={origin_port})
    assert sum(n for p, n in servers.origin.hits.items() if p.startswith("/redirect")) == 20


# --- schemes --------------------------------------------------------------------------------


@pytest.mark.parametrize("template", [
    "ftp://127.0.0.1:{port}/a.mp4", "gopher://127.0.0.1:{port}/_GET%20/secret",
    "dict://127.0.0.1:{port}/info", "ws://127.0.0.1:{port}/secret",
    "wss://127.0.0.1:{port}/secret", "ldap://127.0.0.1:{port}/", "tftp://127.0.0.1:{port}/x",
    "file://127.0.0.1:{port}/etc/passwd", "file:///etc/passwd", "jar:http://127.0.0.1:{port}/!/",
    "data:text/plain,hello", "rtmp://127.0.0.1:{port}/live", "rtsp://127.0.0.1:{port}/x",
    "HTTPX://127.0.0.1:{port}/", "//127.0.0.1:{port}/secret", "127.0.0.1:{port}/secret",
])
async def test_non_http_schemes(servers: Servers, network: Network, tmp_path: Path,
                                template: str) -> None:
    url = template.format(port=_canary_port(servers))
    error = await _refused(_fetcher(servers), url, tmp_path)
    assert error.code == "source_forbidden"
    assert "only http and https" in str(error), str(error)
    _assert_untouched(servers, network, allowed_ports=set())


# --- bodies ---------------------------------------------------------------------------------


class AttackOrigin(Origin):
    """The test origin plus a compressed body that inflates past the cap."""

    async def _bomb(self, size: str, query: dict[str, str], send: Send) -> None:
        body = gzip.compress(b"\x00\x00\x00\x18ftypisom" + b"\x00" * int(size))
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-encoding", b"gzip"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


async def test_compressed_body_is_capped_on_what_it_inflates_to(tmp_path: Path) -> None:
    origin = AttackOrigin()
    async with running(origin) as base:
        fetcher = SafeFetcher(FetchLimits(max_bytes=100_000, total_timeout=5.0),
                              allowed_hosts=frozenset({base.removeprefix("http://")}))
        error = await _refused(fetcher, f"{base}/bomb/5000000", tmp_path)
        assert error.code == "source_too_large"
        assert "more than the 100000 byte limit arrived" in str(error)
        assert error.attempts == 1
        assert origin.hits["/bomb/5000000"] == 1


async def test_trickled_headers_hit_the_total_timeout(tmp_path: Path) -> None:
    """A server that sends its status line and headers a byte every 0.1 s (never idle
    long enough for the read timeout) is cut off by the total timeout."""

    async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            for byte in b"HTTP/1.1 200 OK\r\nX-Padding: " + b"a" * 1000:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(0.1)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(trickle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        limits = FetchLimits(max_bytes=1 << 20, total_timeout=1.0, idle_timeout=0.5,
                             connect_timeout=0.5, attempts=3, backoff=0.02)
        fetcher = SafeFetcher(limits, allowed_hosts=frozenset({f"127.0.0.1:{port}"}))
        started = time.monotonic()
        error = await _refused(fetcher, f"http://127.0.0.1:{port}/slow", tmp_path)
        assert error.code == "source_timeout"
        assert "not downloaded within 1 s, the deadline of one source" in str(error)
        assert time.monotonic() - started < 2.5
    finally:
        server.close()
        await server.wait_closed()


# --- content that is not media: crafted playlists and lists ---------------------------------

ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00"  # an empty ID3v2 tag: FFmpeg probes what follows


def _playlists(canary: str, secret: Path) -> dict[str, bytes]:
    """Files that make FFmpeg open something else: name -> bytes."""
    size = secret.stat().st_size
    hls = b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n%s\n#EXT-X-ENDLIST\n"
    return {
        "http.m3u8": hls % f"{canary}/segment.ts".encode(),
        "relative.m3u8": hls % secret.name.encode(),
        "file.m3u8": hls % f"file:{secret}".encode(),
        "subfile.m3u8": hls % f"subfile,,start,0,end,{size},,:{secret}".encode(),
        "relative.ffconcat": b"ffconcat version 1.0\nfile %s\n" % secret.name.encode(),
        "absolute.ffconcat": b"ffconcat version 1.0\nfile %s\n" % str(secret).encode(),
        "subfile.ffconcat": b"ffconcat version 1.0\nfile 'subfile,,start,0,end,%d,,:%s'\n"
                            % (size, str(secret).encode()),
        "http.ffconcat": b"ffconcat version 1.0\nfile %s/segment.ts\n" % canary.encode(),
        "passwd.ffconcat": b"ffconcat version 1.0\nfile /etc/passwd\n",
        "bom.m3u8": b"\xef\xbb\xbf" + hls % f"{canary}/segment.ts".encode(),
        "space.ffconcat": b"  \nffconcat version 1.0\nfile /etc/passwd\n",
        "sdp": b"v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\n"
               b"m=audio 9 RTP/AVP 0\n",
        "dash.mpd": f"<?xml version='1.0'?><MPD><BaseURL>{canary}/</BaseURL></MPD>".encode(),
    }


def _id3_prefixed(canary: str, secret: Path) -> dict[str, bytes]:
    """Playlists behind an ID3 tag: the sniffer reads "mp3", FFmpeg skips the tag."""
    files = _playlists(canary, secret)
    return {f"id3-{name}": ID3 + files[name]
            for name in ("http.m3u8", "relative.ffconcat", "sdp")} | {
        "mp3-frame-sdp": b"\xff\xfb\x90\x00\n" + files["sdp"],  # an MPEG audio frame header
    }


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """An ordinary media file (MPEG-TS) that no crafted source may make FFmpeg read."""
    path = tmp_path / "secret.ts"
    done = subprocess.run(
        [engine_settings().ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", "-f", "mpegts", str(path)],
        capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return path


def _mark_unread(path: Path) -> None:
    """atime before mtime: the next read of the file moves it (relatime and strictatime)."""
    os.utime(path, (0, path.stat().st_mtime))


def _was_read(path: Path) -> bool:
    return path.stat().st_atime > 0


async def test_sniffer_refuses_crafted_playlists(servers: Servers, secret: Path) -> None:
    for name, data in _playlists(servers.canary_url, secret).items():
        assert media_kind(data[:512]) is None, name


async def test_probe_refuses_what_the_sniffer_lets_by(servers: Servers, secret: Path,
                                                      tmp_path: Path) -> None:
    """Behind an ID3 tag or an MPEG audio frame header a playlist passes the sniffer (it
    starts like an mp3); the probe that admission runs next must still refuse it, without
    reaching the canary or the secret file."""
    folder = tmp_path / "fetched"
    folder.mkdir()
    _mark_unread(secret)
    for name, data in _id3_prefixed(servers.canary_url, secret).items():
        path = folder / f"vidgen-src-{name}"  # named as the fetcher names its temp files
        path.write_bytes(data)
        assert media_kind(read_head(path)) == "mp3", name
        with pytest.raises(ProbeError):
            await asyncio.to_thread(probe_summary, path)
    assert sum(servers.canary.hits.values()) == 0, servers.canary.hits
    assert not _was_read(secret)


# --- the engine: FFmpeg opens nothing but the local file it is given ------------------------

# (crafted file, extra FFmpeg options that make the trick work without our whitelists, or
# None where FFmpeg itself refuses it even then)
ENGINE_CASES: list[tuple[str, list[str] | None]] = [
    ("http.m3u8", ["-protocol_whitelist", "file,http,tcp"]),
    ("relative.m3u8", []),
    ("file.m3u8", []),
    ("subfile.m3u8", None),  # FFmpeg's HLS demuxer itself refuses subfile segments
    ("relative.ffconcat", []),
    ("absolute.ffconcat", ["-safe", "0"]),
    ("subfile.ffconcat", ["-safe", "0", "-protocol_whitelist", "file,subfile"]),
    ("http.ffconcat", ["-safe", "0", "-protocol_whitelist", "file,http,tcp"]),
    ("passwd.ffconcat", None),  # /etc/passwd is not media: nothing to show but the attempt
]


def _swap_in(spec: dict[str, Any], folder: Path, name: str, benign: Path, data: bytes) -> Any:
    """A plan probed on a benign file that is then replaced by the crafted one (what a
    source that passed admission would have to do to reach the renderer)."""
    shutil.copy(benign, folder / name)
    plan = plan_for(spec, folder)
    (folder / name).write_bytes(data)
    return plan


NETWORK_DEMUXERS = {"hls", "concat", "sdp", "rtsp", "rtp", "dash", "tee", "image2pipe"}


def _file_inputs(args: list[str]) -> list[list[str]]:
    """The options of every input that is not a lavfi source, each ending with its path."""
    inputs: list[list[str]] = []
    own: list[str] = []
    index = 1
    while index < len(args):
        if args[index] == "-i":
            if "lavfi" not in own:
                inputs.append([*own, args[index + 1]])
            own = []
            index += 2
            continue
        own.append(args[index])
        index += 1
    return inputs


def _assert_whitelisted(args: list[str]) -> None:
    inputs = _file_inputs(args)
    assert inputs, args
    for own in inputs:
        assert own[own.index("-protocol_whitelist") + 1] == "file", own
        demuxers = set(own[own.index("-format_whitelist") + 1].split(","))
        assert not demuxers & NETWORK_DEMUXERS, own


@pytest.mark.parametrize(("name", "control"), ENGINE_CASES)
async def test_engine_refuses_playlists_and_concat_lists(
        servers: Servers, media: dict[str, Path], secret: Path, tmp_path: Path, name: str,
        control: list[str] | None) -> None:
    folder = secret.parent
    data = _playlists(servers.canary_url, secret)[name]
    spec = {"output": {"width": 64, "height": 64, "duration": 1},
            "elements": [{"type": "audio", "source": name}]}
    plan = _swap_in(spec, folder, name, media["tone.wav"], data)
    _mark_unread(secret)
    with pytest.raises(FFmpegError) as caught:
        await render(plan, tmp_path / "out.mp4", timeout=30, settings=ENGINE)
    assert "Format not on whitelist" in caught.value.stderr_tail, caught.value.stderr_tail
    assert sum(servers.canary.hits.values()) == 0, servers.canary.hits
    assert not _was_read(secret)
    assert not (tmp_path / "out.mp4").exists()

    if control is not None:  # the same file, opened by plain FFmpeg: the trick is real
        process = await asyncio.create_subprocess_exec(
            engine_settings().ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error",
            *control, "-i", str(folder / name), "-f", "null", "-",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
        reached = sum(servers.canary.hits.values()) > 0 if "http" in name else \
            _was_read(secret)
        assert reached, f"control did not reach its target: {stderr.decode()[-1000:]}"


@pytest.mark.parametrize(("kind", "benign"), [("video", "clip.mp4"), ("image", "logo.png"),
                                              ("overlay", "logo.png")])
async def test_every_input_is_whitelisted(servers: Servers, media: dict[str, Path],
                                          secret: Path, tmp_path: Path, kind: str,
                                          benign: str) -> None:
    """Visual elements too, next to an audio one: each input gets its own whitelists."""
    folder = secret.parent
    files = _playlists(servers.canary_url, secret)
    spec = {"output": {"width": 64, "height": 64, "duration": 1},
            "elements": [{"type": kind, "source": "http.m3u8"},
                         {"type": "audio", "source": "tone.wav"}]}
    shutil.copy(media["tone.wav"], folder / "tone.wav")
    plan = _swap_in(spec, folder, "http.m3u8", media[benign], files["http.m3u8"])
    command = compile_plan(plan, tmp_path / "out.mp4", ffmpeg_exe="ffmpeg")
    assert len(_file_inputs(command.args)) == 2, command.args
    _assert_whitelisted(command.args)
    with pytest.raises(FFmpegError) as caught:
        await render(plan, tmp_path / "out.mp4", timeout=30, settings=ENGINE)
    assert "Format not on whitelist" in caught.value.stderr_tail
    assert sum(servers.canary.hits.values()) == 0
