"""The minimum-rate rule of downloads (`services.storage.rate.TransferMeter`): when a
source that stops, drips or keeps up breaks it, computed on a fake clock."""

from __future__ import annotations

import pytest

from services.storage.rate import TransferMeter


def test_off_when_the_rate_is_zero() -> None:
    meter = TransferMeter(0, 10, started=100.0)
    meter.add(1, 150.0)
    assert meter.breach_at() is None


def test_nothing_at_all_breaks_it_at_the_end_of_the_first_window() -> None:
    meter = TransferMeter(100, 10, started=100.0)
    assert meter.breach_at() == pytest.approx(110.0)


def test_a_drip_breaks_it_one_window_in_however_often_it_drips() -> None:
    meter = TransferMeter(100, 10, started=0.0)
    for second in range(1, 10):  # a byte a second: 9 bytes, far below 1000 per window
        meter.add(1, float(second))
        assert meter.breach_at() == pytest.approx(10.0)


def test_one_full_window_of_bytes_buys_one_more_window() -> None:
    meter = TransferMeter(100, 10, started=0.0)
    meter.add(1000, 2.0)  # the whole first window's worth, early
    assert meter.breach_at() == pytest.approx(12.0)  # until 2 s falls out of the window
    meter.add(1000, 11.0)
    assert meter.breach_at() == pytest.approx(21.0)


def test_a_steady_source_above_the_floor_is_never_due() -> None:
    meter = TransferMeter(100, 10, started=0.0)
    for tenth in range(1, 600):  # 60 s at 200 bytes/s, in 20-byte chunks
        now = tenth / 10
        meter.add(20, now)
        due = meter.breach_at()
        assert due is not None
        assert due > now + 4, (now, due)  # half the window's bytes would do: 5 s of slack


def test_a_source_that_slows_down_breaks_it_a_window_after_the_floor_is_lost() -> None:
    meter = TransferMeter(100, 10, started=0.0)
    for second in range(1, 21):  # 20 s at 200 bytes/s
        meter.add(200, float(second))
    meter.add(1, 25.0)  # then a byte
    # the last 1000 bytes (the floor) came at 16..20 s: the window ending 10 s after the
    # first of them (16 s) holds only 800 bytes plus the drip
    assert meter.breach_at() == pytest.approx(26.0)


def test_samples_stay_few_under_a_flood_of_small_chunks() -> None:
    meter = TransferMeter(100, 10, started=0.0)
    for index in range(100_000):
        meter.add(10, index / 1000)  # 10 kB/s in 10-byte chunks for 100 s
    assert len(meter._samples) < 200
    assert meter.breach_at() is not None
