"""The resumable ids of the event streams: job cursors and the admin high-water mark."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.ingest.admin_events import decode_mark
from services.ingest.job_events import Cursor


def test_a_cursor_survives_its_own_encoding() -> None:
    cursor = Cursor(last_row=41, open_rows=(38, 40), state="9c1e04d2ab")
    assert cursor.encode() == "41:38.40:9c1e04d2ab"
    assert Cursor.decode(cursor.encode()) == cursor
    assert Cursor.decode(Cursor().encode()) == Cursor()


@pytest.mark.parametrize("text", [None, "", "garbage", "1:2", "x:1:abc", "1:a.b:abc",
                                  "1::ab;cd", "1:2:3:4"])
def test_an_unreadable_last_event_id_replays_from_the_start(text: str | None) -> None:
    assert Cursor.decode(text) == Cursor()


def test_rows_open_and_close_as_steps_start_and_end() -> None:
    cursor = Cursor().with_row(5, ended=False)
    assert (cursor.last_row, cursor.open_rows) == (5, (5,))
    cursor = cursor.with_row(6, ended=True)
    assert (cursor.last_row, cursor.open_rows) == (6, (5,))
    cursor = cursor.with_row(5, ended=True)
    assert (cursor.last_row, cursor.open_rows) == (6, ())


def test_the_admin_mark_is_microseconds_since_the_epoch() -> None:
    assert decode_mark("1764041234123456") == datetime(2025, 11, 25, 3, 27, 14, 123456,
                                                       tzinfo=UTC)
    assert decode_mark("soon") is None
    assert decode_mark(None) is None
