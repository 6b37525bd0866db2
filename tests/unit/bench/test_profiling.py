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


def test_each_sample_goes_to_the_first_part_it_shows(profiling: ModuleType) -> None:
    raw = "\n".join([
        "run (uvicorn/server.py:1);create (starlette/routing.py:2);"
        "draft_job (services/ingest/intake.py:3) 5",  # validation, though under HTTP
        "run (uvicorn/server.py:1);app (starlette/routing.py:2) 3",
        "run (uvicorn/server.py:1);_run_once (asyncio/base_events.py:4) 2",
    ])
    shares = dict(profiling.parts(raw))
    assert shares["validation (parse, limits, event size)"] == pytest.approx(50.0)
    assert shares["HTTP stack (uvicorn, Starlette, FastAPI, middlewares)"] == pytest.approx(30.0)
    assert shares["event loop and other"] == pytest.approx(20.0)
    assert sum(shares.values()) == pytest.approx(100.0)
