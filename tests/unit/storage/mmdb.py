"""A minimal writer of MaxMind DB files (IPv4 tree, 24-bit records), for geo tests.

Just enough of the format (maxmind.github.io/MaxMind-DB) to produce a database that the
official `maxminddb` reader opens: a binary search tree, the data section with maps,
strings and unsigned integers, and the metadata.
"""

from __future__ import annotations

import ipaddress
import struct
from pathlib import Path
from typing import Any

__all__ = ["write_mmdb"]

_MAP, _STRING, _UINT16, _UINT32 = 7, 2, 5, 6
_ARRAY, _UINT64 = 11, 9  # extended types


def _control(kind: int, size: int) -> bytes:
    assert size < 29
    if kind <= 7:
        return bytes([(kind << 5) | size])
    return bytes([size, kind - 7])


class Typed(int):
    """An unsigned integer written with a given type (metadata fields have fixed types)."""

    kind: int

    def __new__(cls, value: int, kind: int) -> Typed:
        self = super().__new__(cls, value)
        self.kind = kind
        return self


def _encode(value: Any) -> bytes:
    if isinstance(value, Typed):
        data = int(value).to_bytes(8, "big").lstrip(b"\x00")
        return _control(value.kind, len(data)) + data
    if isinstance(value, str):
        data = value.encode()
        return _control(_STRING, len(data)) + data
    if isinstance(value, dict):
        body = b"".join(_encode(str(k)) + _encode(v) for k, v in value.items())
        return _control(_MAP, len(value)) + body
    if isinstance(value, list):
        return _control(_ARRAY, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, int):
        data = value.to_bytes(8, "big").lstrip(b"\x00")
        kind = _UINT16 if value < 1 << 16 else _UINT32 if value < 1 << 32 else _UINT64
        return _control(kind, len(data)) + data
    raise TypeError(value)


def _trie(networks: list[str]) -> list[Any]:
    """The tree as nested [left, right] lists; a leaf is ("data", index of the network)."""
    root: list[Any] = [None, None]
    for index, network in enumerate(networks):
        net = ipaddress.IPv4Network(network)
        bits = int(net.network_address)
        node = root
        for depth in range(net.prefixlen - 1):
            bit = (bits >> (31 - depth)) & 1
            if not isinstance(node[bit], list):
                node[bit] = [None, None]
            node = node[bit]
        node[(bits >> (32 - net.prefixlen)) & 1] = ("data", index)
    return root


def _flatten(root: list[Any]) -> list[list[Any]]:
    """Nodes in pre-order, children replaced by ("node", number)."""
    nodes: list[list[Any]] = []

    def number(node: list[Any]) -> int:
        nodes.append(node)
        mine = len(nodes) - 1
        for side in (0, 1):
            if isinstance(node[side], list):
                node[side] = ("node", number(node[side]))
        return mine

    number(root)
    return nodes


def write_mmdb(path: Path, networks: dict[str, dict[str, Any]]) -> None:
    """Write a database mapping each IPv4 network to its record."""
    data = bytearray()
    offsets: list[int] = []
    for record in networks.values():
        offsets.append(len(data))
        data += _encode(record)
    nodes = _flatten(_trie(list(networks)))
    count = len(nodes)
    tree = bytearray()
    for node in nodes:
        for child in node:
            if child is None:
                value = count  # no data
            elif child[0] == "node":
                value = child[1]
            else:
                value = count + 16 + offsets[child[1]]
            tree += struct.pack(">I", value)[1:]
    metadata = {
        "node_count": Typed(count, _UINT32), "record_size": Typed(24, _UINT16),
        "ip_version": Typed(4, _UINT16), "database_type": "vidgen-test-City",
        "languages": ["en"], "binary_format_major_version": Typed(2, _UINT16),
        "binary_format_minor_version": Typed(0, _UINT16),
        "build_epoch": Typed(1_700_000_000, _UINT64), "description": {"en": "test data"},
    }
    path.write_bytes(bytes(tree) + b"\x00" * 16 + bytes(data)
                     + b"\xab\xcd\xefMaxMind.com" + _encode(metadata))
