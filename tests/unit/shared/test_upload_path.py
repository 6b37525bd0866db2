"""upload_path closes the file it opened, even when it is cancelled while the open itself
is still running in its thread (the file was then left open: a ResourceWarning)."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from shared.s3 import upload_path


class Client:
    """Stands in for the S3 client: reads what it is given."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def upload_fileobj(self, body: Any, bucket: str, key: str, **_: Any) -> None:
        self.bodies.append(body.read())


async def test_an_upload_sends_the_file_and_closes_it(tmp_path: Path) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"payload")
    client = Client()
    await upload_path(client, path, "bucket", "key", {})
    assert client.bodies == [b"payload"]


async def test_cancelled_while_opening_closes_the_file_once_it_is_open(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.bin"
    path.write_bytes(b"payload")
    entered, release = threading.Event(), threading.Event()
    opened: list[Any] = []
    real_open = Path.open

    def slow_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        entered.set()
        release.wait(5)
        file = real_open(self, *args, **kwargs)
        opened.append(file)
        return file

    monkeypatch.setattr(Path, "open", slow_open)
    client = Client()
    task = asyncio.create_task(upload_path(client, path, "bucket", "key", {}))
    assert await asyncio.to_thread(entered.wait, 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    release.set()
    deadline = time.monotonic() + 5
    while not (opened and opened[0].closed):
        assert time.monotonic() < deadline, "the file opened after the cancel stayed open"
        await asyncio.sleep(0.01)
    assert client.bodies == []
