"""The first pass of `output.loudness`: the composition's whole audio graph, alone, through
FFmpeg's EBU R128 meter (true peak on), its running figures written to a file beside the
output; the last line of each is the whole mix's (services/render/loudness.py reads it).

It decodes and mixes the sound only, no pictures: a small share of a render's time. It is
always the whole timeline, also for a `--from/--to` slice, so a slice gets the full
render's gain.
"""

from __future__ import annotations

from pathlib import Path

import ffmpeg

from services.render.compiler import GLOBAL_OPTIONS, audio_mix
from services.render.loudness import Measured, read_measurement
from services.render.runner import run_ffmpeg
from shared.composition.plan import Plan

__all__ = ["measure_command", "measure_loudness"]


def measure_command(plan: Plan, figures: Path, *, ffmpeg_exe: str) -> list[str]:
    """FFmpeg arguments that meter the whole mix of `plan` into the file `figures`."""
    meter = audio_mix(plan, 0.0, plan.canvas.duration).filter(
        "ebur128", metadata=1, peak="true"
    ).filter("ametadata", mode="print", file=str(figures))
    graph = ffmpeg.output(meter, "-", f="null")
    return [ffmpeg_exe, *GLOBAL_OPTIONS, *graph.compile(cmd=[])]


async def measure_loudness(plan: Plan, folder: Path, *, ffmpeg_exe: str,
                           timeout: float | None, stall_after: float) -> Measured:
    """Run the first pass in `folder` (a file there holds its figures until read)."""
    figures = folder / f".vidgen-loudness-{id(plan):x}.txt"
    try:
        await run_ffmpeg(measure_command(plan, figures, ffmpeg_exe=ffmpeg_exe),
                         duration=plan.canvas.duration, outputs=[figures], timeout=timeout,
                         stall_after=stall_after)
        return read_measurement(figures)
    finally:
        figures.unlink(missing_ok=True)
