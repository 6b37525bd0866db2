"""Storage's download settings from the environment, and the fetch limits built from them."""

from __future__ import annotations

import pytest

from services.storage.fetch import FetchLimits
from services.storage.settings import StorageSettings


def test_defaults_and_the_deadline_falls_back_to_the_fetch_timeout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("VIDGEN_STORAGE_CONCURRENCY", "VIDGEN_FETCH_MIN_RATE",
                 "VIDGEN_FETCH_RATE_WINDOW", "VIDGEN_FETCH_DEADLINE"):
        monkeypatch.delenv(name, raising=False)
    settings = StorageSettings(fetch_timeout=45)
    assert (settings.storage_concurrency, settings.fetch_min_rate,
            settings.fetch_rate_window, settings.fetch_deadline) == (8, 16384, 10.0, None)
    limits = FetchLimits.from_settings(settings)
    assert (limits.total_timeout, limits.min_rate, limits.rate_window) == (45, 16384, 10.0)


def test_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VIDGEN_STORAGE_CONCURRENCY", "3")
    monkeypatch.setenv("VIDGEN_FETCH_MIN_RATE", "0")
    monkeypatch.setenv("VIDGEN_FETCH_RATE_WINDOW", "2.5")
    monkeypatch.setenv("VIDGEN_FETCH_DEADLINE", "30")
    settings = StorageSettings(fetch_timeout=120)
    assert settings.storage_concurrency == 3
    limits = FetchLimits.from_settings(settings)
    assert (limits.total_timeout, limits.idle_timeout, limits.min_rate,
            limits.rate_window) == (30, 30, 0, 2.5)


@pytest.mark.parametrize(("name", "value"), [("VIDGEN_STORAGE_CONCURRENCY", "0"),
                                             ("VIDGEN_FETCH_MIN_RATE", "-1"),
                                             ("VIDGEN_FETCH_RATE_WINDOW", "0"),
                                             ("VIDGEN_FETCH_DEADLINE", "0")])
def test_nonsense_is_refused(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name.removeprefix("VIDGEN_").lower()):
        StorageSettings()
