"""Loading a benchmark script (bench/*.py is not a package) as a module for its tests:
each test file's module-scoped ``bench`` fixture enters ``load_bench("<script>.py")``."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from types import ModuleType

import pytest

BENCH_DIR = Path(__file__).resolve().parents[3] / "bench"


@contextmanager
def bench_module(script: str) -> Iterator[ModuleType]:
    """bench/<script>, imported under a private name for the duration of the block."""
    spec = importlib.util.spec_from_file_location(f"vidgen_bench_{Path(script).stem}",
                                                  BENCH_DIR / script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look up their module while being built
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


@pytest.fixture(scope="session")
def load_bench() -> Callable[[str], AbstractContextManager[ModuleType]]:
    return bench_module
