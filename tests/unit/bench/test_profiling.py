"""bench/profiling.py: the summary of a raw (collapsed-stack) py-spy profile."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from types import ModuleType

import pytest

_MAIN = "main (/app/services/ingest/__main__.py:5)"
RAW = "\n".join([
    f"{_MAIN};handle (/app/services/ingest/routes.py:90);"
    "parse_job (/app/shared/composition/__init__.py:23) 6",
    f"{_MAIN};handle (/app/services/ingest/routes.py:91);"
    "dumps (/usr/lib/python3.11/json/__init__.py:183) 3",
    f"{_MAIN};run (/x/site-packages/uvicorn/server.py:60) 1",
    "not a stack line",
])


@pytest.fixture(scope="module")
def profiling(load_bench: Callable[[str], AbstractContextManager[ModuleType]],
              ) -> Iterator[ModuleType]:
    with load_bench("profiling.py") as module:
        yield module


def test_self_and_inclusive_shares_of_the_samples(profiling: ModuleType) -> None:
    top = profiling.top_frames(RAW)
    assert top.samples == 10
    own = dict(top.own)
    assert own["parse_job (shared/composition/__init__.py)"] == pytest.approx(60.0)
    assert own["dumps (stdlib/json/__init__.py)"] == pytest.approx(30.0)
    assert own["run (uvicorn/server.py)"] == pytest.approx(10.0)
    inclusive = dict(top.inclusive)
    # two lines of one function are one frame; a frame counts once per stack
    assert inclusive["handle (services/ingest/routes.py)"] == pytest.approx(90.0)
    assert inclusive["main (services/ingest/__main__.py)"] == pytest.approx(100.0)


def test_the_summary_names_the_samples_and_ranks_the_frames(profiling: ModuleType) -> None:
    text = profiling.summarise(RAW, "b1")
    assert text.startswith("# b1: 10 samples")
    own = text.split("## self")[1].split("## inclusive")[0].strip().splitlines()
    assert own[1].strip() == "60.0%  parse_job (shared/composition/__init__.py)"


def test_an_empty_profile_has_no_frames(profiling: ModuleType) -> None:
    assert profiling.top_frames("").samples == 0
