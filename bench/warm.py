"""vidgen measured warm, the way a render worker runs it: one process that has imported the
engine and built its models once, then per job `parse_job` + `prepare` (locate and probe
the sources, build the plan) + `render` (compile, FFmpeg, rename into place)."""

from __future__ import annotations

import asyncio
import json
import resource
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Sample:
    wall: float
    cpu: float


class Hang(RuntimeError):
    """The command made no exit within its time limit (it was killed, with its children)."""


def _cpu() -> float:
    """User + system time of this process and of its finished children (FFmpeg)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class WarmEngine:
    """The engine in this process, with one event loop for every render (as a worker)."""

    def __init__(self) -> None:
        from services.render import engine
        from services.render.cli import local_locator
        from services.render.runner import RenderTimeout
        from shared.composition import parse_job
        from shared.settings import engine_settings

        self._engine = engine
        self._settings = engine_settings()  # read once, as a worker's app does
        self._locator = local_locator
        self._parse = parse_job
        self._timeout_error = RenderTimeout
        self._loop = asyncio.new_event_loop()

    def prime(self, spec: Path, work: Path) -> None:
        """Everything but FFmpeg once: imports, the models' validators, the compiler."""
        plan = self._engine.prepare(self._parse(json.loads(spec.read_text())),
                                    self._locator(work), settings=self._settings)
        self._engine.compile_job(plan, work / "primed.mp4", settings=self._settings)

    def run(self, spec: Path, out: Path, work: Path, timeout: float) -> Sample:
        cpu, started = _cpu(), time.perf_counter()
        job = self._parse(json.loads(spec.read_text()))
        plan = self._engine.prepare(job, self._locator(work), settings=self._settings)
        try:
            self._loop.run_until_complete(self._engine.render(plan, out, timeout=timeout,
                                                              settings=self._settings))
        except self._timeout_error as exc:
            raise Hang(f"no exit after {timeout:g} s: warm render of {spec.name}") from exc
        return Sample(time.perf_counter() - started, _cpu() - cpu)

    def close(self) -> None:
        self._loop.close()
