"""A split render on one machine: every unit of `split.plan_units`, then the stitch.

The fleet renders the units on many workers (services/render/slice_worker.py); this runs
them here, `parallel` at a time, for `vidgen render`, the tests that compare a split render
with an unsplit one, and the fleet benchmark. Each unit is an ordinary engine render of a
time range with `only="video"` or `only="audio"`, so a slice rendered here and one rendered
by a worker are the same bytes.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from services.render.engine import render
from services.render.split import Unit
from services.render.stitch import stitch
from shared.composition.plan import Plan
from shared.settings import EngineSettings

__all__ = ["SplitResult", "render_split", "render_unit", "unit_file"]


@dataclass(frozen=True)
class SplitResult:
    output: Path
    poster: Path | None
    unit_seconds: dict[str, float]
    stitch_seconds: float
    seconds: float


def unit_file(folder: Path, unit: Unit, fmt: str) -> Path:
    return folder / f"{unit.name}.{fmt}"


async def render_unit(plan: Plan, unit: Unit, folder: Path, *, settings: EngineSettings,
                      poster: Path | None = None, timeout: float | None = None) -> Path:
    """Render one unit into `folder`; the slice holding the poster's time writes it."""
    output = unit_file(folder, unit, plan.canvas.output.format)
    await render(plan, output, time_range=unit.range, only=unit.kind,
                 poster=poster if unit.kind == "video" else None, timeout=timeout,
                 settings=settings)
    return output


async def render_split(plan: Plan, output: Path, units: list[Unit], *,
                       settings: EngineSettings, parallel: int = 1,
                       poster: Path | None = None) -> SplitResult:
    """Render `units` `parallel` at a time, then stitch them into `output`."""
    started = time.monotonic()
    fmt = plan.canvas.output.format
    folder = Path(tempfile.mkdtemp(prefix=".vidgen-split-", dir=output.parent))
    limit = asyncio.Semaphore(parallel)
    seconds: dict[str, float] = {}

    async def one(unit: Unit) -> Path:
        async with limit:
            begun = time.monotonic()
            path = await render_unit(plan, unit, folder, settings=settings, poster=poster,
                                     timeout=settings.render_timeout)
            seconds[unit.name] = time.monotonic() - begun
            return path

    try:
        # the audio first: it is the longest unit to wait for at the end otherwise
        ordered = sorted(units, key=lambda unit: unit.kind != "audio")
        paths = dict(zip([u.name for u in ordered],
                         await asyncio.gather(*(one(unit) for unit in ordered)), strict=True))
        slices = [paths[u.name] for u in units if u.kind == "video"]
        audio = next(paths[u.name] for u in units if u.kind == "audio")
        begun = time.monotonic()
        await stitch(settings.ffmpeg_exe(), slices, audio, output, fmt=fmt,
                     duration=plan.canvas.duration, timeout=settings.render_timeout)
        stitched = time.monotonic() - begun
    finally:
        await asyncio.to_thread(shutil.rmtree, folder, True)
    written = poster if poster is not None and poster.exists() else None  # noqa: ASYNC240
    return SplitResult(output, written, seconds, stitched, time.monotonic() - started)
