#!/usr/bin/env python3
"""Renditions benchmark: three renditions from one FFmpeg run vs three separate renders.

    python3 bench/renditions.py [--runs N] [--duration S] [--threads N]
                                [--composition clip|slideshow]

Two compositions (sizes in % of the canvas, so every size draws the same picture):
- clip: the benchmark's 720p clip (testsrc2 with sound) covering the canvas, its logo with
  alpha, a title and a music track: little to composite, encoding is nearly all the cost;
- slideshow: the render benchmark's composition D (eight 1080p photos with Ken Burns and
  seven transitions, music) with a title in %: compositing is a large share of the cost.
The renditions: 1080p mp4 (H.264 + AAC), 720p webm (VP9 + Opus) and 360p mp4, at 30 fps,
veryfast.

(a) one job with `outputs: [1080p mp4, 720p webm, 360p mp4]`: decode and composite once at
    1080p, scale and encode three times, in ONE FFmpeg run (services/render/deliver.py);
(b) three jobs, one per size, each with its own `output` (decode, composite and encode each).

Both warm, in this process, as a render worker runs them: parse + prepare (probe) + render.
Runs are interleaved (a, b, a, b...) so background load hits both alike; every output is
checked with PyAV (size, codec, duration) before its time counts. Goal: (a) at least 1.5x
faster than (b), by median wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import make_media  # noqa: E402

GOAL = 1.5
QUALITY = {"crf": 23, "preset": "veryfast"}
SIZES = [("hd1080", "mp4", 1920, 1080), ("hd720", "webm", 1280, 720),
         ("sd360", "mp4", 640, 360)]


def clip(media: Any, duration: float) -> list[dict[str, Any]]:
    return [
        {"type": "video", "source": media.clip, "fit": "cover", "width": "100%",
         "height": "100%"},
        {"type": "image", "source": media.logo, "x": "95%", "y": "5%", "width": "12%",
         "track": 2},
        {"type": "text", "text": "Renditions", "font": media.font, "font_size": "7%",
         "color": "white", "stroke_color": "black", "stroke_width": 2, "y": "85%",
         "track": 3},
        {"type": "audio", "source": media.music, "volume": 0.8},
    ]


def slideshow(media: Any, duration: float) -> list[dict[str, Any]]:
    from bench.slideshow import build_d

    drawn = [element for element in build_d(duration).spec(media)["elements"]
             if element["type"] != "text"]  # its title is placed in 1080p pixels
    return [*drawn, {"type": "text", "text": "Renditions", "font": media.font,
                     "font_size": "7%", "color": "white", "y": "85%", "track": 3}]


Build = Callable[[Any, float], list[dict[str, Any]]]
COMPOSITIONS: dict[str, Build] = {"clip": clip, "slideshow": slideshow}


def one_run_spec(elements: Build, media: Any, duration: float) -> dict[str, Any]:
    outputs: list[dict[str, Any]] = [
        {"name": name, "format": fmt, "width": width, "height": height, "quality": QUALITY}
        for name, fmt, width, height in SIZES]
    outputs[0].update(fps=30, duration=duration)
    return {"outputs": outputs, "elements": elements(media, duration)}


def separate_specs(elements: Build, media: Any, duration: float) -> list[dict[str, Any]]:
    return [{"output": {"format": fmt, "width": width, "height": height, "fps": 30,
                        "duration": duration, "quality": QUALITY},
             "elements": elements(media, duration)} for _, fmt, width, height in SIZES]


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def check(path: Path, width: int, height: int, duration: float) -> None:
    import av

    with av.open(str(path)) as container:
        video = container.streams.video[0]
        assert (video.codec_context.width, video.codec_context.height) == (width, height), path
        assert container.streams.audio, path
        length = (container.duration or 0) / av.time_base
        assert abs(length - duration) < 0.1, (path, length)


def run_one(spec: dict[str, Any], work: Path, out: Path, duration: float,
            settings: Any) -> tuple[float, float]:
    from services.render.deliver import render_delivery
    from services.render.engine import prepare
    from services.render.renditions import delivery_of
    from shared.composition import parse_job

    started, cpu0 = time.perf_counter(), cpu()
    job = parse_job(spec)
    plan = prepare(job, lambda source: work / source, settings=settings)
    asyncio.run(render_delivery(plan, delivery_of(job, plan), out, settings=settings))
    wall, used = time.perf_counter() - started, cpu() - cpu0
    for name, fmt, width, height in SIZES:
        check(out / f"{name}.{fmt}", width, height, duration)
    return wall, used


def run_separate(specs: list[dict[str, Any]], work: Path, out: Path, duration: float,
                 settings: Any) -> tuple[float, float]:
    from services.render.engine import prepare, render
    from shared.composition import parse_job

    started, cpu0 = time.perf_counter(), cpu()
    for (name, fmt, _, _), spec in zip(SIZES, specs, strict=True):
        plan = prepare(parse_job(spec), lambda source: work / source, settings=settings)
        asyncio.run(render(plan, out / f"{name}.{fmt}", settings=settings))
    wall, used = time.perf_counter() - started, cpu() - cpu0
    for name, fmt, width, height in SIZES:
        check(out / f"{name}.{fmt}", width, height, duration)
    return wall, used


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=None,
                        help="VIDGEN_FFMPEG_THREADS for both (default: FFmpeg's own)")
    parser.add_argument("--composition", choices=sorted(COMPOSITIONS), default="clip")
    args = parser.parse_args()
    build = COMPOSITIONS[args.composition]
    if args.threads:
        os.environ["VIDGEN_FFMPEG_THREADS"] = str(args.threads)
    from shared.settings import engine_settings

    settings = engine_settings()
    with tempfile.TemporaryDirectory(prefix="vidgen-bench-renditions-") as temp:
        work = Path(temp)
        media = make_media(work, settings.ffmpeg_exe())
        one = one_run_spec(build, media, args.duration)
        separate = separate_specs(build, media, args.duration)
        # warm-up: imports, model building, the page cache of the sources
        run_one(one, work, work / "warm", args.duration, settings)
        results: dict[str, list[tuple[float, float]]] = {"one run": [], "separate": []}
        for number in range(args.runs):
            results["one run"].append(run_one(one, work, work / f"a{number}", args.duration,
                                              settings))
            results["separate"].append(run_separate(separate, work, work / f"b{number}",
                                                    args.duration, settings))
    sizes = ", ".join(f"{height}p {fmt}" for _, fmt, _, height in SIZES)
    print(f"{len(SIZES)} renditions ({sizes}) of a {args.duration:g} s composition "
          f"({args.composition}), {args.runs} runs each, os.cpu_count()={os.cpu_count()}, "
          f"threads={args.threads or 'auto'}")
    print(f"{'':10} {'wall median':>12} {'wall runs':>28} {'CPU median':>11}")
    medians = {}
    for label, samples in results.items():
        walls = [wall for wall, _ in samples]
        medians[label] = statistics.median(walls)
        print(f"{label:10} {medians[label]:11.2f}s {' '.join(f'{w:.2f}' for w in walls):>28} "
              f"{statistics.median(c for _, c in samples):10.2f}s")
    speedup = medians["separate"] / medians["one run"]
    verdict = "met" if speedup >= GOAL else "not met"
    print(f"one run is {speedup:.2f}x faster than separate renders (goal >= {GOAL}x): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
