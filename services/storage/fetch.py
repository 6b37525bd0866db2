"""Downloading user-given URLs without letting them reach what they must not.

How one fetch goes (`SafeFetcher.fetch`):

1. The URL must be plain http(s): no other scheme, no credentials, no control characters.
2. The host is resolved once (`shared.outbound.addresses.resolve_destination`) and every
   address checked: the same policy completion webhooks go through.
3. httpx connects to the checked address itself (`shared.outbound.pinned`): the request URL
   carries the IP, the `Host` header carries the name and, for https, the `sni_hostname`
   request extension makes TLS send the name as SNI and verify the certificate against it.
   There is no second DNS lookup that a rebinding DNS server could answer differently.
   Proxies from the environment are ignored: a proxy would resolve names itself.
4. Redirects are not followed by httpx: each `Location` goes back to step 1 (at most
   `max_redirects` hops), so a redirect to a private address is refused before any
   connection to it is made.
5. The body streams into a temp file while being hashed; the byte cap is enforced on the
   declared `Content-Length` and again on what actually arrives. Every read has an idle
   timeout, and the whole fetch (hops and retries) a total one: the deadline of one source.
6. Once the body started, every `rate_window` seconds must bring `min_rate * rate_window`
   bytes (`rate.TransferMeter`): a source that drips a byte now and then, never idle long
   enough for the read timeout, fails as `source_too_slow` within a window or so.

Transient failures (5xx, 408/429, timeouts, refused or reset connections) are retried with
exponential backoff and jitter; everything else fails at once with a `FetchError` code. A
source too slow or past its deadline is not retried: it would only be as slow again.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx

from services.storage.rate import TransferMeter
from services.storage.settings import StorageSettings
from services.storage.sink import FileSink, TooLarge
from shared.backoff import backoff
from shared.outbound.addresses import (
    AddressRefused,
    Destination,
    ResolveFailed,
    Resolver,
    resolve_destination,
    system_resolver,
)
from shared.outbound.pinned import HttpTarget, parse_http_url, pinned_client, pinned_request

__all__ = [
    "FetchError",
    "FetchLimits",
    "Fetched",
    "SafeFetcher",
    "Target",
    "check_url",
    "parse_source_url",
]

log = logging.getLogger(__name__)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUS = frozenset({408, 425, 429})
_USER_AGENT = "vidgen-storage/1 (+source fetcher)"


class FetchError(Exception):
    """A source could not be fetched. `code` is the job's error code; `transient` says
    whether trying again later may help."""

    def __init__(self, code: str, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.transient = transient
        self.attempts = 1


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int
    total_timeout: float
    idle_timeout: float = 30.0
    connect_timeout: float = 10.0
    max_redirects: int = 5
    attempts: int = 4
    backoff: float = 0.5
    min_rate: float = 0.0  # bytes/s over every rate_window once the body started; 0: off
    rate_window: float = 10.0

    @classmethod
    def from_settings(cls, settings: StorageSettings) -> FetchLimits:
        """`total_timeout` is the deadline of one source: VIDGEN_FETCH_DEADLINE, or
        VIDGEN_FETCH_TIMEOUT when that is not set."""
        deadline = settings.fetch_deadline or settings.fetch_timeout
        return cls(max_bytes=settings.max_source_bytes, total_timeout=deadline,
                   idle_timeout=min(30.0, deadline), connect_timeout=min(10.0, deadline),
                   min_rate=settings.fetch_min_rate, rate_window=settings.fetch_rate_window)


@dataclass(frozen=True)
class Fetched:
    path: Path
    sha256: str
    size: int
    content_type: str | None
    final_url: str
    attempts: int


Target = HttpTarget


def parse_source_url(url: str) -> Target:
    """Split a source URL; FetchError(source_forbidden) for anything but plain http(s)."""
    try:
        return parse_http_url(url)
    except AddressRefused as exc:
        raise FetchError("source_forbidden", str(exc)) from None


async def check_url(url: str, *, resolver: Resolver,
                    allowed_hosts: frozenset[str]) -> tuple[Target, Destination]:
    """The decision for one hop: where to connect for `url`, or FetchError.

    source_forbidden: not http(s), or the host is/resolves to a refused address;
    source_unreachable (transient): the name does not resolve.
    """
    target = parse_source_url(url)
    try:
        destination = await resolve_destination(target.host, target.port, resolver=resolver,
                                                allowed_hosts=allowed_hosts)
    except AddressRefused as exc:
        log.warning("refused to fetch %s: %s", url[:200], exc)
        raise FetchError("source_forbidden", str(exc)) from None
    except ResolveFailed as exc:
        raise FetchError("source_unreachable", str(exc), transient=True) from None
    return target, destination


class SafeFetcher:
    def __init__(self, limits: FetchLimits, *, allowed_hosts: frozenset[str] = frozenset(),
                 resolver: Resolver = system_resolver,
                 verify: ssl.SSLContext | bool = True) -> None:
        self.limits = limits
        self.allowed_hosts = allowed_hosts
        self.resolver = resolver
        self.verify = verify

    async def fetch(self, url: str, directory: Path) -> Fetched:
        """Download `url` into a temp file in `directory`; FetchError says why not."""
        attempt = 0
        try:
            async with asyncio.timeout(self.limits.total_timeout):
                while True:
                    attempt += 1
                    try:
                        return await self._fetch_once(url, directory, attempt)
                    except FetchError as exc:
                        exc.attempts = attempt
                        if not exc.transient or attempt >= self.limits.attempts:
                            raise
                        delay = backoff(attempt, self.limits.backoff)
                        log.info("fetch %s: %s (attempt %d), retrying in %.2fs",
                                 url[:200], exc, attempt, delay)
                        await asyncio.sleep(delay)
        except TimeoutError:
            error = FetchError("source_timeout", f"not downloaded within "
                               f"{self.limits.total_timeout:g} s, the deadline of one source")
            error.attempts = attempt
            raise error from None

    async def _fetch_once(self, url: str, directory: Path, attempt: int) -> Fetched:
        current = url
        async with self._client() as client:
            for _hop in range(self.limits.max_redirects + 1):
                target, destination = await check_url(current, resolver=self.resolver,
                                                      allowed_hosts=self.allowed_hosts)
                request = pinned_request(client, "GET", target, destination)
                try:
                    response = await client.send(request, stream=True)
                except httpx.HTTPError as exc:
                    raise _transport_error(exc) from None
                try:
                    location = response.headers.get("location")
                    if response.status_code in _REDIRECTS and location:
                        current = urljoin(current, location.strip()).split("#", 1)[0]
                        continue
                    _check_status(response.status_code)
                    return await self._save(response, current, directory, attempt)
                finally:
                    await response.aclose()
        raise FetchError("source_unreachable",
                         f"more than {self.limits.max_redirects} redirects")

    async def _save(self, response: httpx.Response, url: str, directory: Path,
                    attempt: int) -> Fetched:
        cap = self.limits.max_bytes
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > cap:
            raise FetchError("source_too_large",
                             f"the server announced {declared} bytes; the limit is {cap}")
        async with FileSink(directory, cap) as sink:
            try:
                async with aclosing(self._metered(response.aiter_bytes())) as chunks:
                    async for chunk in chunks:
                        await sink.write(chunk)
            except TooLarge:
                raise FetchError("source_too_large",
                                 f"more than the {cap} byte limit arrived") from None
            except httpx.HTTPError as exc:
                raise _transport_error(exc) from None
            digest = await sink.finish()
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return Fetched(path=sink.path, sha256=digest, size=sink.size,
                       content_type=content_type or None, final_url=url, attempts=attempt)

    async def _metered(self, chunks: AsyncIterator[bytes]) -> AsyncGenerator[bytes, None]:
        """`chunks` as they come, or FetchError(source_too_slow) at the moment the minimum
        rate is broken, whether bytes trickle in or none come at all. (Only the wait for
        the next chunk is under the timeout: none is open while the caller runs.)"""
        loop = asyncio.get_running_loop()
        meter = TransferMeter(self.limits.min_rate, self.limits.rate_window, loop.time())
        iterator = aiter(chunks)
        while True:
            try:
                async with asyncio.timeout_at(meter.breach_at()):
                    chunk = await anext(iterator)
            except StopAsyncIteration:
                return
            except TimeoutError:
                elapsed = loop.time() - meter.started
                raise FetchError(
                    "source_too_slow",
                    f"slower than the minimum of {meter.min_rate:g} bytes/s averaged over "
                    f"{meter.window:g} s: {meter.total} bytes arrived in {elapsed:.1f} s",
                ) from None
            meter.add(len(chunk), loop.time())
            yield chunk

    def _client(self) -> httpx.AsyncClient:
        return pinned_client(timeout=self.limits.idle_timeout,
                             connect_timeout=self.limits.connect_timeout, verify=self.verify,
                             headers={"User-Agent": _USER_AGENT, "Accept-Encoding": "identity"})


def _check_status(status: int) -> None:
    if status in (200, 203):
        return
    if status >= 500 or status in _RETRY_STATUS:
        raise FetchError("source_unreachable", f"the server answered HTTP {status}",
                         transient=True)
    raise FetchError("source_unreachable", f"the server answered HTTP {status}")


def _transport_error(exc: httpx.HTTPError) -> FetchError:
    name = exc.__class__.__name__
    if _caused_by_certificate(exc):
        return FetchError("source_unreachable", f"TLS certificate not valid: {exc}")
    if isinstance(exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError):
        return FetchError("source_unreachable", f"{name}: {exc or 'connection failed'}",
                          transient=True)
    return FetchError("source_unreachable", f"{name}: {exc}")


def _caused_by_certificate(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(6):
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
