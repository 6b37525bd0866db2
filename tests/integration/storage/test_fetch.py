"""The safe fetcher against real loopback servers: bodies, redirects, caps, retries.

The origin server is allow-listed (as `VIDGEN_FETCH_ALLOWED_HOSTS` would do); the canary is
an ordinary loopback server and so refused: its hit counter proves that redirects to it
were stopped before any connection.
"""

from __future__ import annotations

import hashlib
import socket
import ssl
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from services.storage.fetch import FetchError, FetchLimits, SafeFetcher
from tests.integration.storage.servers import Origin, Servers, running
from tests.integration.storage.tls import make_certificates

pytestmark = pytest.mark.timeout(60)

LIMITS = FetchLimits(max_bytes=1024 * 1024, total_timeout=5.0, idle_timeout=1.0,
                     connect_timeout=1.0, attempts=3, backoff=0.02)


def _fetcher(servers: Servers, limits: FetchLimits = LIMITS, **kwargs: object) -> SafeFetcher:
    return SafeFetcher(limits, allowed_hosts=servers.allowed, **kwargs)  # type: ignore[arg-type]


async def _fails(fetcher: SafeFetcher, url: str, folder: Path) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(url, folder)
    assert list(folder.iterdir()) == [], "a failed fetch leaves no temp file behind"
    return caught.value


@pytest.mark.parametrize("route", ["media", "chunked"])
async def test_body_is_saved_and_hashed(servers: Servers, media: dict[str, Path],
                                        tmp_path: Path, route: str) -> None:
    fetched = await _fetcher(servers).fetch(
        f"{servers.origin_url}/{route}/clip.mp4?type=video/mp4", tmp_path)
    expected = media["clip.mp4"].read_bytes()
    assert fetched.path.read_bytes() == expected
    assert fetched.sha256 == hashlib.sha256(expected).hexdigest()
    assert fetched.size == len(expected)
    assert fetched.attempts == 1
    if route == "media":
        assert fetched.content_type == "video/mp4"


async def test_redirect_chain_is_followed(servers: Servers, tmp_path: Path) -> None:
    target = f"{servers.origin_url}/media/logo.png"
    fetched = await _fetcher(servers).fetch(f"{servers.origin_url}/redirect/4?to={target}",
                                            tmp_path)
    assert fetched.final_url == target
    assert servers.origin.hits["/media/logo.png"] == 1
    assert sum(n for path, n in servers.origin.hits.items() if path.startswith("/redirect")) == 4


async def test_relative_redirect(servers: Servers, tmp_path: Path) -> None:
    fetched = await _fetcher(servers).fetch(
        f"{servers.origin_url}/redirect/1?to=/media/logo.png&status=307", tmp_path)
    assert fetched.final_url == f"{servers.origin_url}/media/logo.png"


async def test_redirects_to_refused_addresses_never_reach_them(servers: Servers,
                                                               tmp_path: Path) -> None:
    canary_port = servers.canary_url.rsplit(":", 1)[1]
    forbidden = [
        f"{servers.canary_url}/secret",
        f"http://localhost:{canary_port}/secret",
        f"http://2130706433:{canary_port}/secret",
        f"http://0x7f.1:{canary_port}/secret",
        f"http://[::ffff:127.0.0.1]:{canary_port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
    ]
    fetcher = _fetcher(servers)
    for target in forbidden:
        for hops in (1, 3):  # refused as the first redirect, and deep in a chain
            error = await _fails(fetcher, f"{servers.origin_url}/redirect/{hops}?to={target}",
                                 tmp_path)
            assert error.code == "source_forbidden", (target, error)
            assert error.attempts == 1, "a refusal is not retried"
    assert sum(servers.canary.hits.values()) == 0, servers.canary.hits
    # The canary does answer when asked directly, so zero hits above means something.
    assert (await _fails(fetcher, f"{servers.canary_url}/secret", tmp_path)).code == \
        "source_forbidden"
    assert sum(servers.canary.hits.values()) == 0


async def test_too_many_redirects(servers: Servers, tmp_path: Path) -> None:
    target = f"{servers.origin_url}/media/logo.png"
    error = await _fails(_fetcher(servers), f"{servers.origin_url}/redirect/6?to={target}",
                         tmp_path)
    assert error.code == "source_unreachable"
    assert "redirects" in str(error)
    assert servers.origin.hits["/media/logo.png"] == 0


@pytest.mark.parametrize("announce", ["1", "0"])
async def test_size_cap(servers: Servers, tmp_path: Path, announce: str) -> None:
    limits = FetchLimits(max_bytes=200_000, total_timeout=5.0, attempts=3, backoff=0.02)
    fetcher = _fetcher(servers, limits)
    error = await _fails(fetcher, f"{servers.origin_url}/big/5000000?length={announce}",
                         tmp_path)
    assert error.code == "source_too_large"
    assert error.attempts == 1
    assert ("announced" in str(error)) == (announce == "1")
    fits = await fetcher.fetch(f"{servers.origin_url}/big/200000?length={announce}", tmp_path)
    assert fits.size == 200_000


async def test_total_time_cap(servers: Servers, tmp_path: Path) -> None:
    limits = FetchLimits(max_bytes=1 << 20, total_timeout=1.0, idle_timeout=0.5, attempts=3,
                         backoff=0.02)
    started = time.monotonic()
    error = await _fails(_fetcher(servers, limits),
                         f"{servers.origin_url}/slow/?every=0.05&seconds=20", tmp_path)
    elapsed = time.monotonic() - started
    assert error.code == "source_timeout"
    assert 0.9 < elapsed < 3.0, elapsed


@pytest.mark.parametrize(("route", "what"), [("slow/?every=0.05&seconds=20", "drips"),
                                             ("stall/?seconds=20", "goes silent")])
async def test_a_source_below_the_minimum_rate_fails_once_not_retried(
        servers: Servers, tmp_path: Path, route: str, what: str) -> None:
    """A byte every 50 ms (20 bytes/s) or 4 bytes then nothing, against a floor of 1000
    bytes/s over 0.5 s: fails about one window in, long before the idle timeout (3 s) or
    the deadline (8 s), with no second attempt."""
    limits = FetchLimits(max_bytes=1 << 20, total_timeout=8.0, idle_timeout=3.0,
                         attempts=3, backoff=0.02, min_rate=1000, rate_window=0.5)
    started = time.monotonic()
    error = await _fails(_fetcher(servers, limits), f"{servers.origin_url}/{route}", tmp_path)
    elapsed = time.monotonic() - started
    assert error.code == "source_too_slow", what
    assert not error.transient
    assert error.attempts == 1
    assert "minimum of 1000 bytes/s averaged over 0.5 s" in str(error)
    assert 0.45 < elapsed < 2.0, (what, elapsed)
    assert servers.origin.hits[f"/{route.split('?')[0]}"] == 1


async def test_a_source_above_the_minimum_rate_is_downloaded(servers: Servers,
                                                             tmp_path: Path) -> None:
    limits = FetchLimits(max_bytes=1 << 20, total_timeout=8.0, min_rate=10, rate_window=0.5)
    fetched = await _fetcher(servers, limits).fetch(
        f"{servers.origin_url}/slow/?every=0.02&seconds=1.5", tmp_path)  # 50 bytes/s
    assert fetched.size == 75


async def test_idle_timeout_is_retried(servers: Servers, tmp_path: Path) -> None:
    limits = FetchLimits(max_bytes=1 << 20, total_timeout=10.0, idle_timeout=0.3, attempts=3,
                         backoff=0.02)
    error = await _fails(_fetcher(servers, limits), f"{servers.origin_url}/stall/?seconds=3",
                         tmp_path)
    assert error.code == "source_unreachable"
    assert error.transient
    assert error.attempts == 3
    assert servers.origin.hits["/stall/"] == 3


async def test_server_errors_are_retried_then_succeed(servers: Servers, tmp_path: Path) -> None:
    fetched = await _fetcher(servers).fetch(f"{servers.origin_url}/flaky/logo.png", tmp_path)
    assert fetched.attempts == 3
    assert servers.origin.hits["/flaky/logo.png"] == 3


@pytest.mark.parametrize(("code", "transient", "hits"), [(404, False, 1), (403, False, 1),
                                                          (503, True, 3), (429, True, 3)])
async def test_http_errors(servers: Servers, tmp_path: Path, code: int, transient: bool,
                           hits: int) -> None:
    error = await _fails(_fetcher(servers), f"{servers.origin_url}/status/{code}", tmp_path)
    assert error.code == "source_unreachable"
    assert error.transient is transient
    assert f"HTTP {code}" in str(error)
    assert servers.origin.hits[f"/status/{code}"] == hits


async def test_connection_goes_to_the_checked_address(servers: Servers,
                                                      tmp_path: Path) -> None:
    """A name resolved by the (stub) resolver is connected to by that address, and the
    server still sees the name in the Host header; there is no second lookup."""
    port = servers.origin_url.rsplit(":", 1)[1]
    calls: list[str] = []

    async def resolver(host: str, _port: int) -> Sequence[str]:
        calls.append(host)
        return ["127.0.0.1"]

    idna = "bücher.test".encode("idna").decode()
    fetcher = SafeFetcher(LIMITS, allowed_hosts=frozenset({f"media.test:{port}",
                                                           f"{idna}:{port}"}),
                          resolver=resolver)
    fetched = await fetcher.fetch(f"http://media.test:{port}/echo-host/", tmp_path)
    assert fetched.path.read_bytes() == f"media.test:{port}".encode()
    assert calls == ["media.test"]
    fetched = await fetcher.fetch(f"http://Bücher.test.:{port}/echo-host/", tmp_path)
    assert fetched.path.read_bytes() == f"{idna}:{port}".encode()
    assert calls == ["media.test", idna]


async def test_https_to_the_checked_address_verifies_the_name(tmp_path: Path) -> None:
    """TLS to the pinned IP still sends the host name as SNI and checks the certificate
    against it: right name → the body; a name the certificate does not cover → refused."""
    ca, cert, key = make_certificates(tmp_path, "media.test")
    origin = Origin()
    async with running(origin, tls=(cert, key)) as base:
        port = base.rsplit(":", 1)[1]

        async def resolver(host: str, _port: int) -> Sequence[str]:
            return ["127.0.0.1"]

        fetcher = SafeFetcher(
            LIMITS, resolver=resolver, verify=ssl.create_default_context(cafile=str(ca)),
            allowed_hosts=frozenset({f"media.test:{port}", f"other.test:{port}"}))
        folder = tmp_path / "downloads"
        folder.mkdir()
        fetched = await fetcher.fetch(f"https://media.test:{port}/echo-host/", folder)
        assert fetched.path.read_bytes() == f"media.test:{port}".encode()
        fetched.path.unlink()
        error = await _fails(fetcher, f"https://other.test:{port}/echo-host/", folder)
        assert error.code == "source_unreachable"
        assert "certificate" in str(error)
        assert not error.transient
        assert origin.hits["/echo-host/"] == 1


async def test_connection_refused_is_transient(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = f"127.0.0.1:{sock.getsockname()[1]}"
    fetcher = SafeFetcher(LIMITS, allowed_hosts=frozenset({closed}))
    error = await _fails(fetcher, f"http://{closed}/x", tmp_path)
    assert error.code == "source_unreachable"
    assert error.transient
    assert error.attempts == 3
