"""Offline geolocation of the clients that fetch results, for url_access_logs.

Two sources, both local (no lookup ever leaves the machine):

- a MaxMind-format database (GeoLite2/GeoIP2 City or Country, DB-IP lite, ...) named by
  `VIDGEN_GEOIP_DB`, read with `maxminddb`: country, region and city;
- otherwise the `iptocc` wheel, which embeds the Regional Internet Registries' allocation
  data: the country only (region and city stay NULL).

Addresses that are not public (loopback, private, ...) are never looked up: all NULL. If
neither library is installed, every field is NULL.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from shared.outbound.addresses import refusal_reason

__all__ = ["Geo", "GeoLookup", "load_geo"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Geo:
    country_code: str | None = None
    region: str | None = None
    city: str | None = None


_NOWHERE = Geo()


class GeoLookup:
    """`lookup(ip)` → Geo; cached, and safe to call from the event loop (lookups are µs)."""

    def __init__(self, find: Callable[[str], Geo], source: str) -> None:
        self.source = source
        self._find = lru_cache(maxsize=4096)(find)

    def lookup(self, ip: str | None) -> Geo:
        if not ip:
            return _NOWHERE
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return _NOWHERE
        if refusal_reason(address) is not None:
            return _NOWHERE
        try:
            return self._find(str(address))
        except (ValueError, OSError) as exc:
            log.debug("geo lookup of %s failed: %s", ip, exc)
            return _NOWHERE


def _name(record: dict[str, Any] | None) -> str | None:
    if not record:
        return None
    names = record.get("names") or {}
    value = names.get("en") or next(iter(names.values()), None)
    return str(value) if value else None


def _country(value: Any) -> str | None:
    text = str(value).upper() if value else ""
    return text if len(text) == 2 and text.isalpha() else None


def _mmdb(path: str) -> GeoLookup:
    import maxminddb

    reader = maxminddb.open_database(path)

    def find(ip: str) -> Geo:
        found = reader.get(ip)
        if not isinstance(found, dict):
            return _NOWHERE
        record: dict[str, Any] = dict(found)
        country = record.get("country") or record.get("registered_country") or {}
        subdivisions = record.get("subdivisions") or [None]
        return Geo(country_code=_country(country.get("iso_code") or record.get("country_code")),
                   region=_name(subdivisions[0]), city=_name(record.get("city")))

    return GeoLookup(find, f"mmdb:{path}")


def _registry() -> GeoLookup | None:
    try:
        from iptocc import country_code
    except ImportError:
        return None

    def find(ip: str) -> Geo:
        return Geo(country_code=_country(country_code(ip)))

    return GeoLookup(find, "iptocc")


def load_geo(database: str | None) -> GeoLookup:
    """The best lookup available: the .mmdb if given, else iptocc, else none."""
    if database:
        try:
            return _mmdb(database)
        except Exception as exc:  # ImportError, OSError, maxminddb's InvalidDatabaseError
            log.warning("cannot use GeoIP database %s (%s); falling back", database, exc)
    registry = _registry()
    if registry is not None:
        return registry
    log.info("no GeoIP data available: url_access_logs geo fields stay NULL")
    return GeoLookup(lambda _ip: _NOWHERE, "none")
