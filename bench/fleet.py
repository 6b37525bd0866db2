#!/usr/bin/env python3
"""Fleet benchmark: one long job rendered by one worker, and split over two.

    python3 bench/fleet.py [--seconds 180] [--slice 20] [--height 720] [--keep DIR]

A 720p (`--height`) 30 fps composition (`--seconds` long: a looped 720p clip with its sound, a logo
fading in and out, a moving title, music) is rendered three ways, every FFmpeg limited to
one thread (`-threads 1`, `-filter_complex_threads 1`) so that two renders on a 2-core
machine compare fairly with one:

(1) unsplit, as one worker renders a job today, on one core;
(2) split into `--slice`-second slices + the audio unit + the stitch, one unit at a time
    (one worker taking every unit), on one core: the CPU cost of splitting;
(3) the same units two at a time (two workers), then the stitch, on two cores.

Each worker gets one core (CPU affinity, inherited by FFmpeg): FFmpeg 7 and later run
demuxers, decoders, filters, encoders and muxers in threads of their own, so even with
every thread option at 1 one FFmpeg keeps about 1.4 cores busy, and without the
affinity "one worker" would already use most of both cores.

Two workers are two FFmpeg processes on this machine, run by this script as a worker's
slice handler runs them (services/render/split_render.py); the fleet's messaging and S3
transfers of slices are not in these figures. CPU is user + system time of the FFmpeg
children. Goals: (3) at least 1.8x faster than (1); CPU of (2) at most 1.05x that of (1).
The machine's load average is printed before and after: other work on the machine makes
every figure noisier, (3) most of all.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import QUALITY, Media, make_media
from services.render.cli import local_locator
from services.render.engine import prepare, render
from services.render.split import plan_units
from services.render.split_render import SplitResult, render_split
from shared.composition import parse_job
from shared.settings import EngineSettings

SPEEDUP_GOAL = 1.8
OVERHEAD_GOAL = 1.05


def spec(media: Media, seconds: float, height: int) -> dict[str, Any]:
    return {
        "output": {"format": "mp4", "width": height * 16 // 9, "height": height, "fps": 30,
                   "duration": seconds, "quality": QUALITY},
        "elements": [
            {"type": "video", "source": media.clip, "fit": "cover", "past_end": "loop"},
            {"type": "image", "source": media.logo, "x": "88%", "y": "18%", "width": 160,
             "fade_in": 2, "fade_out": 2},
            {"type": "text", "text": "One job, two workers", "font": media.font,
             "font_size": 56, "color": "#ffffff", "start": 1, "end": seconds - 1,
             "x": [{"time": 0, "value": "30%"}, {"time": seconds - 2, "value": "70%"}],
             "y": "85%"},
            {"type": "audio", "source": media.music, "loop": True, "volume": 0.5,
             "fade_out": 3},
        ],
    }


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def measure(label: str, run: Any, cores: int) -> tuple[float, float, Any]:
    """Run `run` with its FFmpeg processes on `cores` cores (one per worker)."""
    os.sched_setaffinity(0, set(range(cores)))
    cpu, wall = children_cpu(), time.monotonic()
    result = asyncio.run(run)
    wall, cpu = time.monotonic() - wall, children_cpu() - cpu
    print(f"{label:<34} wall {wall:7.1f} s   CPU {cpu:7.1f} s", flush=True)
    return wall, cpu, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=180.0)
    parser.add_argument("--slice", type=float, default=20.0, help="seconds per slice")
    parser.add_argument("--height", type=int, default=720, help="720: 1280x720; 1080: ...")
    parser.add_argument("--keep", type=Path, help="keep the media and outputs here")
    args = parser.parse_args(argv)
    engine = EngineSettings(ffmpeg_threads=1, render_timeout=3600)
    work = args.keep or Path(tempfile.mkdtemp(prefix="vidgen-fleet-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        media = make_media(work, engine.ffmpeg_exe())
        cwd = Path.cwd()
        os.chdir(work)
        try:
            plan = prepare(parse_job(spec(media, args.seconds, args.height)), local_locator(work),
                           settings=engine)
        finally:
            os.chdir(cwd)
        units = plan_units(plan, min_seconds=0, slice_seconds=args.slice)
        slices = sum(unit.kind == "video" for unit in units)
        size = f"{args.height * 16 // 9}x{args.height}"
        print(f"{args.seconds:g} s of {size} at 30 fps; {slices} slices of {args.slice:g} s "
              f"+ audio; load average before: {load()} ({os.cpu_count()} cores)", flush=True)
        whole_wall, whole_cpu, _ = measure(
            "(1) unsplit, 1 worker", render(plan, work / "whole.mp4", settings=engine), 1)
        one_wall, one_cpu, one = measure(
            "(2) split, 1 worker", render_split(plan, work / "split1.mp4", units,
                                                settings=engine, parallel=1), 1)
        two_wall, _, two = measure(
            "(3) split, 2 workers", render_split(plan, work / "split2.mp4", units,
                                                 settings=engine, parallel=2), 2)
        print(f"load average after: {load()}")
        report(one, two, whole_wall / two_wall, one_cpu / whole_cpu, one_wall / whole_wall)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def report(one: SplitResult, two: SplitResult, speedup: float, overhead: float,
           one_worker: float) -> None:
    video = [s for name, s in one.unit_seconds.items() if name.startswith("slice")]
    audio = one.unit_seconds.get("audio", 0.0)
    print(f"per slice (1 worker): mean {sum(video) / len(video):.2f} s, "
          f"max {max(video):.2f} s; audio unit {audio:.2f} s; stitch {one.stitch_seconds:.2f} s"
          f" (2 workers: stitch {two.stitch_seconds:.2f} s)")
    print(f"split on 1 worker / unsplit wall: {one_worker:.3f}")
    for name, value, goal, met in (
        ("speed-up, 2 workers vs unsplit 1 worker", speedup, f">= {SPEEDUP_GOAL}",
         speedup >= SPEEDUP_GOAL),
        ("split CPU overhead", overhead, f"<= {OVERHEAD_GOAL}", overhead <= OVERHEAD_GOAL),
    ):
        print(f"{name:<42} {value:6.3f}   goal {goal:<7} {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    raise SystemExit(main())
