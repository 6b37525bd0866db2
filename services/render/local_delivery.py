"""`vidgen render` of a spec with `outputs`, `stills` or `thumbnails`: every file into one
folder, from one FFmpeg run, as the render worker makes them (services/render/deliver.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from shared.composition import Job, SpecError
from shared.composition.plan import Plan
from shared.settings import EngineSettings

__all__ = ["deliver_locally"]


def deliver_locally(job: Job, plan: Plan, folder: Path, *, dry_run: bool, sliced: bool,
                    settings: EngineSettings) -> int:
    """Render into `folder`; the CLI's exit code (2 for what the spec cannot do here)."""
    from services.render.renditions import compile_delivery, delivery_of

    if sliced:
        print("--from/--to: a slice renders one output; leave out outputs, stills and "
              "thumbnails to render one", file=sys.stderr)
        return 2
    try:
        delivery = delivery_of(job, plan)
    except SpecError as exc:
        for problem in exc.problems:
            print(f"{problem.path}: {problem.message}", file=sys.stderr)
        return 2
    if dry_run:
        print(compile_delivery(plan, delivery, folder, ffmpeg_exe=settings.ffmpeg_exe(),
                               threads=settings.ffmpeg_threads).shell())
        return 0
    import asyncio

    from services.render.deliver import render_delivery
    from services.render.runner import FFmpegError

    try:
        result = asyncio.run(render_delivery(plan, delivery, folder, settings=settings))
    except (FFmpegError, ValueError, OSError) as exc:
        print(f"render failed: {exc}", file=sys.stderr)
        return 1
    for file in result.files:
        if file.kind in ("hls-init", "hls-segment"):
            continue
        size = f"{file.width}x{file.height}, " if file.width else ""
        print(f"{folder / file.path} ({file.kind}, {size}{file.size / 1e6:.2f} MB)")
    segments = sum(file.kind == "hls-segment" for file in result.files)
    note = f", {segments} HLS segments" if segments else ""
    print(f"{len(result.files)} files in {folder} ({result.duration:.2f} s of video{note}, "
          f"rendered in {result.seconds:.2f} s)")
    return 0
