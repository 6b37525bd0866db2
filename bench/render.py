#!/usr/bin/env python3
"""Render benchmark: vidgen vs a hand-written FFmpeg command vs MoviePy 2.x.

    python3 bench/render.py [--runs N] [--quick] [--only A,D] [--show-commands] [--keep DIR]
                            [--moviepy-path DIR] [--tools vidgen,hand]

All media are generated with FFmpeg's lavfi sources into a temporary folder (a 10 s 720p
clip with sound, a PNG logo with alpha, eight 1080p stills, a music track), so the numbers
do not depend on files outside this script. Compositions: A-C in compositions.py, D (Ken
Burns, transitions, an animated title) in slideshow.py, E (crop, speed, chroma key, filters,
a LUT, rounded corners with a shadow, a shape, ducked music) in looks.py. For each
composition the renders produce the same video (same size, fps, duration and encoder
settings: libx264 crf 23 preset veryfast yuv420p, AAC 192k 48 kHz, +faststart):

(a) vidgen *warm*, as a render worker runs it: in this process, with the engine imported
    and its models built, `parse_job` + `prepare` (probing) + `render` (compile + FFmpeg);
(b) one FFmpeg command written by hand, the way an expert would;
(c) MoviePy 2.x, in a subprocess of this script so that its imports count like vidgen's do;
(d) `vidgen render SPEC -o OUT --quiet`, the real CLI from a cold start, as a subprocess,
    reported apart with its own cost (`--dry-run`: start, imports, validation, probing,
    compiling).

Every output is checked with PyAV (size, codec, duration within one frame, AAC 48 kHz)
before its time counts. Runs are interleaved (a, b, c, d, a, b, ...) so background load
hits every tool alike; the tables show median wall times and median CPU times (user +
system of this process's work for (a), of the child processes for the others). A run that
gets stuck is killed (with its FFmpeg) after a generous limit, retried, and listed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import AAC, X264, Composition, Media, make_media  # noqa: E402
from bench.compositions import build_a, build_b, build_c  # noqa: E402
from bench.looks import build_e  # noqa: E402
from bench.slideshow import build_d  # noqa: E402
from bench.warm import Hang, Sample, WarmEngine  # noqa: E402

TOOLS = ("vidgen", "hand", "moviepy", "cli")
BUILDERS: dict[str, Callable[..., Composition]] = {"A": build_a, "B": build_b, "C": build_c,
                                                   "D": build_d, "E": build_e}
QUICK_DURATIONS = {"A": 2.0, "B": 3.0, "C": 6.0, "D": 8.0, "E": 8.0}


def compositions(keys: list[str], quick: bool = False) -> list[Composition]:
    return [BUILDERS[key](QUICK_DURATIONS[key]) if quick else BUILDERS[key]() for key in keys]


# ------------------------------------------------------------------------ commands


def ffmpeg_exe() -> str:
    from shared.settings import engine_settings

    return engine_settings().ffmpeg_exe()


def vidgen_command() -> list[str]:
    """The installed console script next to this interpreter, else `python -m shared.cli`."""
    beside = Path(sys.executable).with_name("vidgen")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("vidgen")
    return [found] if found else [sys.executable, "-m", "shared.cli"]


def hand_command(comp: Composition, media: Media, ffmpeg: str, out: str) -> list[str]:
    return [ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error", *comp.hand(media),
            *X264, "-r", str(comp.fps), *AAC, "-movflags", "+faststart",
            "-t", f"{comp.duration:g}", out]


def commands(comp: Composition, media: Media, ffmpeg: str,
             moviepy_path: Path | None = None) -> dict[str, list[str]]:
    """The subprocess tools: hand FFmpeg, MoviePy (its worker), the cold `vidgen render`."""
    spec = f"{comp.key}.json"
    moviepy = [sys.executable, str(Path(__file__).resolve()), "--moviepy-worker",
               comp.key, str(comp.duration), f"{comp.key}-moviepy.mp4"]
    if moviepy_path is not None:
        moviepy += ["--moviepy-path", str(moviepy_path)]
    return {
        "hand": hand_command(comp, media, ffmpeg, f"{comp.key}-hand.mp4"),
        "moviepy": moviepy,
        "cli": [*vidgen_command(), "render", spec, "-o", f"{comp.key}-cli.mp4", "--quiet"],
    }


def moviepy_worker(key: str, duration: float, out: str) -> None:
    """Render one composition with MoviePy into `out` (runs in the work folder)."""
    comp = BUILDERS[key](duration)
    clip = comp.moviepy(Media())
    clip.write_videofile(
        out, fps=comp.fps, codec="libx264", preset="veryfast",
        ffmpeg_params=["-crf", "23", "-movflags", "+faststart"],
        audio_codec="aac", audio_bitrate="192k", audio_fps=48000,
        temp_audiofile_path=".", logger=None,
    )
    clip.close()


# --------------------------------------------------------------------- measurement


def verify(path: Path, comp: Composition) -> str | None:
    """None when `path` is the expected video, else what is wrong with it."""
    import av

    if not path.is_file():
        return "no output file"
    with av.open(str(path)) as container:
        if not container.streams.video or not container.streams.audio:
            return "missing a video or an audio stream"
        video = container.streams.video[0]
        audio = container.streams.audio[0]
        problems = []
        size = (video.codec_context.width, video.codec_context.height)
        if size != (comp.width, comp.height):
            problems.append(f"size {size[0]}x{size[1]}")
        if video.codec_context.name != "h264" or video.codec_context.pix_fmt != "yuv420p":
            problems.append(f"video {video.codec_context.name}/{video.codec_context.pix_fmt}")
        if audio.codec_context.name != "aac" or audio.codec_context.sample_rate != 48000:
            problems.append(f"audio {audio.codec_context.name}/{audio.codec_context.sample_rate}")
        frames = sum(1 for packet in container.demux(video) if packet.size)
        seconds = frames / comp.fps
        if abs(seconds - comp.duration) > 1 / comp.fps + 1e-6:
            problems.append(f"{frames} frames = {seconds:.3f} s, expected {comp.duration:g} s")
    return "; ".join(problems) or None


def run_once(args: list[str], work: Path, timeout: float) -> Sample:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    # A session of its own, so that a stuck run is killed together with its FFmpeg.
    with subprocess.Popen(args, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, start_new_session=True) as process:
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise Hang(f"no exit after {timeout:g} s: {shlex.join(args)}") from None
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise RuntimeError(f"exit {process.returncode}: {shlex.join(args)}\n{stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Sample(wall, cpu)


def _timed(run: Callable[[], Sample], label: str, hangs: list[str]) -> Sample:
    """run(), retried (twice at most) when it gets stuck; stuck runs are reported."""
    for _ in range(3):
        try:
            return run()
        except Hang as exc:
            hangs.append(label)
            print(f"  {label}: {exc}; retrying", file=sys.stderr, flush=True)
    raise RuntimeError(f"{label}: stuck three times")


Samples = dict[str, dict[str, list[Sample]]]


def benchmark(comps: list[Composition], media: Media, work: Path, runs: int,
              ffmpeg: str, hangs: list[str], moviepy_path: Path | None = None,
              tools: tuple[str, ...] = TOOLS) -> Samples:
    """Every tool's samples per composition, plus `startup`: `vidgen render --dry-run`
    (the cold CLI's own cost: Python start, imports, validation, probing, compiling)."""
    samples: Samples = {c.key: {t: [] for t in (*tools, "startup")} for c in comps}
    engine = WarmEngine()
    for comp in comps:
        engine.prime(work / f"{comp.key}.json", work)
    for run in range(runs):
        for comp in comps:
            limit = 60 + 10 * comp.duration
            spec, warm_out = work / f"{comp.key}.json", work / f"{comp.key}-vidgen.mp4"
            runners: dict[str, Callable[[], Sample]] = {
                "vidgen": lambda spec=spec, out=warm_out, limit=limit: engine.run(
                    spec, out, work, limit),
            }
            cmds = commands(comp, media, ffmpeg, moviepy_path)
            for tool, args in cmds.items():
                slow = 120 + 30 * comp.duration if tool == "moviepy" else limit
                runners[tool] = lambda args=args, slow=slow: run_once(args, work, slow)
            for tool in tools:
                out = work / f"{comp.key}-{tool}.mp4"
                out.unlink(missing_ok=True)
                sample = _timed(runners[tool], f"run {run + 1} {comp.key} {tool}", hangs)
                problem = verify(out, comp)
                if problem:
                    raise RuntimeError(f"{comp.key} {tool}: wrong output: {problem}")
                samples[comp.key][tool].append(sample)
                print(f"  run {run + 1}/{runs} {comp.key} {tool:8s} {sample.wall:7.2f} s wall"
                      f" {sample.cpu:7.2f} s cpu", file=sys.stderr, flush=True)
            if "cli" in tools:
                dry_run = [*cmds["cli"][:-1], "--dry-run"]
                samples[comp.key]["startup"].append(run_once(dry_run, work, 60))
    engine.close()
    return samples


# -------------------------------------------------------------------------- report


def compile_bytecode() -> None:
    """Byte-compile vidgen's own modules, as an installed package has them.

    An editable install leaves that to the first import, and with PYTHONDONTWRITEBYTECODE
    set (common in containers and CI) every `vidgen render` would compile its modules
    again, ~40 ms that a deployed CLI does not pay.
    """
    import compileall

    for package in ("shared", "services"):
        compileall.compile_dir(ROOT / package, quiet=1)


def machine_info(ffmpeg: str, moviepy_version: str) -> list[str]:
    version = subprocess.run([ffmpeg, "-hide_banner", "-version"], capture_output=True,
                             text=True, check=False).stdout.splitlines()
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")]
        model = names[0] if names else ""
    load = " ".join(f"{value:.2f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") \
        else "n/a"
    return [
        f"- CPU: {os.cpu_count()} logical cores {model}".rstrip(),
        f"- OS: {platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"- FFmpeg: {' '.join(version[0].split()[:3]) if version else 'unknown'}",
        f"- MoviePy: {moviepy_version}",
        f"- load average at the end: {load}",
        "- vidgen's modules byte-compiled first, as in an installed package",
    ]


def _medians(samples: Samples, key: str, metric: str) -> dict[str, float]:
    """Each measured tool's median (a tool left out with --tools is NaN)."""
    medians = dict.fromkeys((*TOOLS, "startup"), math.nan)
    medians.update({tool: statistics.median(getattr(s, metric) for s in runs)
                    for tool, runs in samples[key].items() if runs})
    return medians


def table(comps: list[Composition], samples: Samples, metric: str) -> list[str]:
    lines = [
        "| composition | vidgen warm s | hand FFmpeg s | MoviePy s | a/b | c/a |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for comp in comps:
        med = _medians(samples, comp.key, metric)
        name = f"{comp.key}: {comp.title}, {comp.duration:g} s"
        lines.append(f"| {name} | {med['vidgen']:.2f} | {med['hand']:.2f} | "
                     f"{med['moviepy']:.2f} | {med['vidgen'] / med['hand']:.3f} | "
                     f"{med['moviepy'] / med['vidgen']:.1f} |")
    return lines


def cold_start(comps: list[Composition], samples: Samples) -> list[str]:
    """The cold CLI apart: its wall time, its own cost (--dry-run), and what it adds."""
    lines = [
        "| composition | `vidgen render` s | of which CLI (--dry-run) s | vidgen warm s "
        "| d - a s | d/b |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for comp in comps:
        wall = _medians(samples, comp.key, "wall")
        lines.append(f"| {comp.key} | {wall['cli']:.2f} | {wall['startup']:.2f} | "
                     f"{wall['vidgen']:.2f} | {wall['cli'] - wall['vidgen']:.2f} | "
                     f"{wall['cli'] / wall['hand']:.2f} |")
    return lines


def report(comps: list[Composition], samples: Samples, runs: int, ffmpeg: str,
           hangs: list[str], moviepy_version: str) -> str:
    parts = [
        f"### Wall time, median of {runs} run(s)", "", *table(comps, samples, "wall"), "",
        f"### CPU time (user + system), median of {runs} run(s)", "",
        *table(comps, samples, "cpu"), "",
        "### The cold CLI", "", *cold_start(comps, samples), "",
        "a = vidgen warm (in one process as a render worker: parse, probe, compile, FFmpeg); "
        "b = one hand-written FFmpeg command; c = MoviePy 2.x; d = `vidgen render --quiet` "
        "from a cold start. Goal: a/b <= 1.05 on every composition, c/a >= 8 on D.", "",
        *machine_info(ffmpeg, moviepy_version),
    ]
    if hangs:
        parts += ["", f"Runs that got stuck and were killed, then retried: {', '.join(hangs)}"]
    return "\n".join(parts)


def show_commands(comps: list[Composition], media: Media, work: Path, ffmpeg: str) -> None:
    for comp in comps:
        cmds = commands(comp, media, ffmpeg)
        dry = subprocess.run([*cmds["cli"][:-1], "--dry-run"], cwd=work, capture_output=True,
                             text=True, check=True).stdout.strip()
        print(f"\n#### {comp.key}: {comp.title}\n")
        print(f"spec:\n```json\n{json.dumps(comp.spec(media), indent=2)}\n```\n")
        print(f"vidgen's command (--dry-run):\n```\n{dry}\n```\n")
        print(f"hand-written:\n```\n{shlex.join(cmds['hand'])}\n```")


def _moviepy_version(path: Path | None) -> str:
    found = metadata.distributions(path=[str(path)]) if path else metadata.distributions()
    versions = [d.version for d in found if d.metadata["Name"].lower() == "moviepy"]
    return versions[0] if versions else "not installed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per tool (median)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: 1 run, shortened compositions")
    parser.add_argument("--only", default="A,B,C,D", help="compositions to run, e.g. A,D")
    parser.add_argument("--show-commands", action="store_true",
                        help="also print each spec, vidgen's --dry-run and the hand command")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--moviepy-path", type=Path,
                        help="a folder MoviePy is installed in (pip install --target), when "
                             "it is not in this environment; only its worker reads it")
    parser.add_argument("--tools", default=",".join(TOOLS),
                        help=f"tools to measure, of {','.join(TOOLS)} (vidgen,hand: the "
                             "a/b figure alone)")
    parser.add_argument("--moviepy-worker", nargs=3, metavar=("KEY", "SECONDS", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.moviepy_worker:
        if args.moviepy_path:
            sys.path.insert(0, str(args.moviepy_path.resolve()))
        key, seconds, out = args.moviepy_worker
        moviepy_worker(key, float(seconds), out)
        return 0
    keys = [key.strip().upper() for key in args.only.split(",") if key.strip()]
    unknown = [key for key in keys if key not in BUILDERS]
    if unknown:
        parser.error(f"unknown composition(s): {', '.join(unknown)}")
    tools = tuple(tool for tool in TOOLS if tool in args.tools.split(","))
    if not {"vidgen", "hand"} <= set(tools):
        parser.error("--tools needs at least vidgen and hand")
    runs = 1 if args.quick else args.runs
    comps = compositions(keys, quick=args.quick)
    compile_bytecode()
    ffmpeg = ffmpeg_exe()
    moviepy_path = args.moviepy_path.resolve() if args.moviepy_path else None
    with tempfile.TemporaryDirectory(prefix="vidgen-bench-") as temp:
        work = (args.keep or Path(temp)).resolve()
        work.mkdir(parents=True, exist_ok=True)
        print(f"generating media in {work} ...", file=sys.stderr, flush=True)
        media = make_media(work, ffmpeg)
        for comp in comps:
            (work / f"{comp.key}.json").write_text(json.dumps(comp.spec(media), indent=2))
        if args.show_commands:
            show_commands(comps, media, work, ffmpeg)
        hangs: list[str] = []
        samples = benchmark(comps, media, work, runs, ffmpeg, hangs, moviepy_path, tools)
    print(report(comps, samples, runs, ffmpeg, hangs, _moviepy_version(moviepy_path)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
