"""A size-capped temp file that hashes what is written to it (SHA-256).

Downloads and uploads both stream into one: chunks are buffered and written (and hashed)
in a worker thread a megabyte at a time, so neither disk writes nor hashing a large body
block the event loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Self

__all__ = ["FileSink", "TooLarge"]

_FLUSH_AT = 1 << 20


class TooLarge(ValueError):
    """More bytes arrived than the cap allows."""


class FileSink:
    """`async with FileSink(dir, cap) as sink: await sink.write(chunk)`; then `finish()`.

    The temp file is removed on error or when `discard()` is called; after `finish()` it
    belongs to the caller (`path`).
    """

    def __init__(self, directory: Path, max_bytes: int) -> None:
        fd, name = tempfile.mkstemp(prefix="vidgen-src-", dir=directory)
        self.path = Path(name)
        self._file = os.fdopen(fd, "wb")
        self._hash = hashlib.sha256()
        self._buffer: list[bytes] = []
        self._buffered = 0
        self.size = 0
        self.max_bytes = max_bytes

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is not None:
            self.discard()
        elif not self._file.closed:
            self._file.close()

    async def write(self, chunk: bytes) -> None:
        if not chunk:
            return
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise TooLarge(f"larger than the {self.max_bytes} byte limit")
        self._buffer.append(chunk)
        self._buffered += len(chunk)
        if self._buffered >= _FLUSH_AT:
            await self._flush()

    async def _flush(self) -> None:
        data = b"".join(self._buffer)
        self._buffer.clear()
        self._buffered = 0
        await asyncio.to_thread(self._write_and_hash, data)

    def _write_and_hash(self, data: bytes) -> None:
        self._file.write(data)
        self._hash.update(data)

    async def finish(self) -> str:
        """Flush and close; returns the hex SHA-256 of everything written."""
        await self._flush()
        self._file.close()
        return self._hash.hexdigest()

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.path.unlink(missing_ok=True)
