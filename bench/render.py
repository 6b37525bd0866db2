#!/usr/bin/env python3
"""Render benchmark: `vidgen render` vs a hand-written FFmpeg command vs MoviePy 2.x.

    python3 bench/render.py [--runs N] [--quick] [--only A,C] [--show-commands] [--keep DIR]

All media are generated with FFmpeg's lavfi sources into a temporary folder (a 10 s 720p
clip with sound, a PNG logo with alpha, 1080p stills, a music track), so the numbers do
not depend on files outside this script. For each composition three renders produce the
same video (same size, fps, duration and encoder settings: libx264 crf 23 preset veryfast
yuv420p, AAC 192k 48 kHz, +faststart):

(a) `vidgen render SPEC -o OUT --quiet`, the real CLI, as a subprocess;
(b) one FFmpeg command written by hand, the way an expert would (the video itself as the
    base, a single-frame logo overlay, drawtext, amix, concat for a slideshow);
(c) MoviePy 2.x (VideoFileClip/ImageClip/TextClip/CompositeVideoClip), in a subprocess
    of this script so that its imports count like vidgen's do.

Every output is checked with PyAV (size, codec, duration within one frame, AAC 48 kHz)
before its time counts. Runs are interleaved (a, b, c, a, b, c, ...) so background load
hits every tool alike; the table shows the median wall time, a second table the median
CPU time (user + system of the child processes), which load disturbs less, and a third
splits vidgen's time into its CLI's own cost (`vidgen render --dry-run`: Python start,
imports, validation, probing, compiling) and the rest. A run that gets stuck is killed
(with its FFmpeg) after a generous limit, retried, and listed under the tables.
"""

from __future__ import annotations

import argparse
import json
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
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

X264 = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"]
AAC = ["-c:a", "aac", "-b:a", "192k", "-ar", "48000"]
QUALITY = {"crf": 23, "preset": "veryfast"}
TOOLS = ("vidgen", "hand", "moviepy")


# --------------------------------------------------------------------------- media


@dataclass(frozen=True)
class Media:
    """File names of the generated media, relative to the work folder (every tool's cwd)."""

    clip: str = "clip.mp4"
    logo: str = "logo.png"
    stills: tuple[str, ...] = tuple(f"still{number}.jpg" for number in range(1, 7))
    music: str = "music.m4a"
    font: str = "font.ttf"


STILL_SOURCES = (
    "testsrc2=s=1920x1080",
    "mandelbrot=s=1920x1080",
    "smptehdbars=s=1920x1080",
    "gradients=s=1920x1080:c0=0x203080:c1=0xf0a020:seed=7",
    "cellauto=s=1920x1080:rule=110:seed=3",
    "rgbtestsrc=s=1920x1080",
)
LOGO_FILTER = (
    "color=c=black@0:s=320x320,format=rgba,"
    "geq=r='255':g='150+90*Y/H':b='40':a='255*lt(hypot(X-160,Y-160),150)*(0.55+0.45*X/W)'"
)
MUSIC_SOURCE = (
    "aevalsrc='0.25*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*2*t))"
    "|0.25*sin(2*PI*330*t)*(0.6+0.4*cos(2*PI*2*t))':s=48000:d=30"
)


def make_media(work: Path, ffmpeg: str) -> Media:
    """Generate every source file into `work` with FFmpeg lavfi (a few seconds)."""
    from shared.composition.text import bundled_font

    media = Media()
    base = [ffmpeg, "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
    jobs = [
        ["-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30:d=10",
         "-f", "lavfi", "-i", "sine=f=440:b=2:r=48000:d=10",
         "-ac", "2", *X264, "-g", "60", *AAC, "-shortest", media.clip],
        ["-f", "lavfi", "-i", LOGO_FILTER, "-frames:v", "1", media.logo],
        ["-f", "lavfi", "-i", MUSIC_SOURCE, *AAC, media.music],
    ]
    jobs += [
        ["-f", "lavfi", "-i", source, "-frames:v", "1", "-q:v", "3", name]
        for source, name in zip(STILL_SOURCES, media.stills, strict=True)
    ]
    for args in jobs:
        subprocess.run([*base, *args], cwd=work, check=True)
    shutil.copyfile(bundled_font(), work / media.font)
    return media


# --------------------------------------------------------------------- compositions


@dataclass(frozen=True)
class Composition:
    """One benchmark case, written three times: a vidgen spec, FFmpeg by hand, MoviePy."""

    key: str
    title: str
    width: int
    height: int
    fps: int
    duration: float
    spec: Callable[[Media], dict[str, Any]]
    hand: Callable[[Media], list[str]]  # inputs + filter graph + maps, without encoders
    moviepy: Callable[[Media], Any]  # builds the MoviePy clip (called in the worker)


def _drawtext(font: str, text: str, size: int, color: str, border: int, y: int) -> str:
    """drawtext at the same spot vidgen puts its text box (centred, top at `y`)."""
    return (f"drawtext=fontfile={font}:text='{text}':fontsize={size}:fontcolor={color}"
            f":bordercolor=black:borderw={border}:x=(w-text_w)/2:y={y}:y_align=font")


def _text_clip(m: Media, text: str, size: int, color: str, border: int) -> Any:
    from moviepy import TextClip

    return TextClip(font=m.font, text=text, font_size=size, color=color,
                    stroke_color="black", stroke_width=border)


# (A) 1280x720: the clip, a logo, a title, music mixed with the clip's sound.
A_TITLE = "One FFmpeg pass"
A_LOGO = (1120, 32, 128)  # x, y, size


def build_a(duration: float = 10.0) -> Composition:
    x, y, size = A_LOGO

    def spec(m: Media) -> dict[str, Any]:
        return {"elements": [
            {"id": "video", "type": "video", "source": m.clip, "fit": "cover"},
            {"id": "logo", "type": "image", "source": m.logo, "x": x, "y": y, "width": size,
             "track": 2},
            {"id": "title", "type": "text", "text": A_TITLE, "font": m.font, "font_size": 48,
             "color": "white", "stroke_color": "black", "stroke_width": 2, "x": "center",
             "y": 600, "track": 3},
            {"id": "music", "type": "audio", "source": m.music, "volume": 0.8},
        ]}

    def hand(m: Media) -> list[str]:
        graph = (
            f"[1:v]scale={size}:{size}[logo];"
            f"[0:v][logo]overlay={x}:{y},{_drawtext(m.font, A_TITLE, 48, 'white', 2, 600)}[v];"
            "[2:a]volume=0.8[m];[0:a][m]amix=inputs=2:duration=first:normalize=0[a]"
        )
        return ["-i", m.clip, "-i", m.logo, "-i", m.music, "-filter_complex", graph,
                "-map", "[v]", "-map", "[a]"]

    def moviepy(m: Media) -> Any:
        from moviepy import (
            AudioFileClip,
            CompositeAudioClip,
            CompositeVideoClip,
            ImageClip,
            VideoFileClip,
        )

        video = VideoFileClip(m.clip).subclipped(0, duration)
        logo = ImageClip(m.logo).resized((size, size)).with_position((x, y))
        title = _text_clip(m, A_TITLE, 48, "white", 2).with_position(("center", 600))
        music = AudioFileClip(m.music).subclipped(0, duration).with_volume_scaled(0.8)
        layers = [video, logo.with_duration(duration), title.with_duration(duration)]
        clip = CompositeVideoClip(layers, size=(1280, 720)).with_duration(duration)
        return clip.with_audio(CompositeAudioClip([video.audio, music]))

    return Composition("A", "720p clip + logo + text + music", 1280, 720, 30, duration,
                       lambda m: {"output": _output(1280, 720, duration), **spec(m)},
                       hand, moviepy)


# (B) 1920x1080: background clip, two picture-in-picture clips (one starts at 2 s), a
# still, a logo and a title. The sound is the background clip's.
B_TITLE = "Six layers at 1080p"
B_PIP = (576, 324)
B_PIP1 = (64, 64)
B_PIP2 = (1280, 64)
B_STILL = (64, 746, 480, 270)
B_LOGO = (1720, 880, 160)
B_PIP2_START = 2.0


def build_b(duration: float = 10.0) -> Composition:
    pw, ph = B_PIP
    sx, sy, sw, sh = B_STILL
    lx, ly, ls = B_LOGO
    start = B_PIP2_START

    def spec(m: Media) -> dict[str, Any]:
        return {"elements": [
            {"id": "background", "type": "video", "source": m.clip, "fit": "cover"},
            {"id": "pip1", "type": "video", "source": m.clip, "x": B_PIP1[0], "y": B_PIP1[1],
             "width": pw, "muted": True, "track": 1},
            {"id": "pip2", "type": "video", "source": m.clip, "start": start,
             "x": B_PIP2[0], "y": B_PIP2[1], "width": pw, "muted": True, "track": 1},
            {"id": "still", "type": "image", "source": m.stills[0], "x": sx, "y": sy,
             "width": sw, "track": 1},
            {"id": "logo", "type": "image", "source": m.logo, "x": lx, "y": ly, "width": ls,
             "track": 2},
            {"id": "title", "type": "text", "text": B_TITLE, "font": m.font, "font_size": 64,
             "color": "#ffe040", "stroke_color": "black", "stroke_width": 3, "x": "center",
             "y": 960, "track": 3},
        ]}

    def hand(m: Media) -> list[str]:
        graph = (
            "[0:v]split=2[s0][s1];[s0]scale=1920:1080,setsar=1[bg];"
            f"[s1]scale={pw}:{ph}[p1];"
            f"[1:v]scale={pw}:{ph},setpts=PTS+{start}/TB[p2];"
            f"[2:v]scale={sw}:{sh}:out_range=tv[still];[3:v]scale={ls}:{ls}[logo];"
            f"[bg][p1]overlay={B_PIP1[0]}:{B_PIP1[1]}[o1];"
            f"[o1][p2]overlay={B_PIP2[0]}:{B_PIP2[1]}:eof_action=pass[o2];"
            f"[o2][still]overlay={sx}:{sy}[o3];"
            f"[o3][logo]overlay={lx}:{ly},"
            f"{_drawtext(m.font, B_TITLE, 64, '0xffe040', 3, 960)}[v]"
        )
        return ["-i", m.clip, "-t", f"{duration - start:g}", "-i", m.clip, "-i", m.stills[0],
                "-i", m.logo, "-filter_complex", graph, "-map", "[v]", "-map", "0:a"]

    def moviepy(m: Media) -> Any:
        from moviepy import CompositeVideoClip, ImageClip, VideoFileClip

        background = VideoFileClip(m.clip).subclipped(0, duration).resized((1920, 1080))
        pip1 = VideoFileClip(m.clip, audio=False).subclipped(0, duration).resized(B_PIP)
        pip2 = VideoFileClip(m.clip, audio=False).subclipped(0, duration - start)
        pip2 = pip2.resized(B_PIP).with_start(start).with_position(B_PIP2)
        still = ImageClip(m.stills[0]).resized((sw, sh)).with_position((sx, sy))
        logo = ImageClip(m.logo).resized((ls, ls)).with_position((lx, ly))
        title = _text_clip(m, B_TITLE, 64, "#ffe040", 3).with_position(("center", 960))
        layers = [background, pip1.with_position(B_PIP1), pip2, still.with_duration(duration),
                  logo.with_duration(duration), title.with_duration(duration)]
        clip = CompositeVideoClip(layers, size=(1920, 1080)).with_duration(duration)
        return clip.with_audio(background.audio)

    return Composition("B", "1080p, 6 layers (2 PiP, still, logo, text)", 1920, 1080, 30,
                       duration, lambda m: {"output": _output(1920, 1080, duration), **spec(m)},
                       hand, moviepy)


# (C) 1280x720 slideshow: six 1080p stills, each with a fade in and out, and music.
def build_c(duration: float = 30.0) -> Composition:
    count = len(Media().stills)
    slide = duration / count
    fade = min(0.5, slide / 4)
    frames = round(slide * 30)

    def spec(m: Media) -> dict[str, Any]:
        slides = [
            {"id": f"slide{number}", "type": "image", "source": still, "fit": "cover",
             "start": number * slide, "duration": slide, "fade_in": fade, "fade_out": fade}
            for number, still in enumerate(m.stills)
        ]
        music = {"id": "music", "type": "audio", "source": m.music, "fade_in": 1, "fade_out": 1}
        return {"elements": [*slides, music]}

    def hand(m: Media) -> list[str]:
        chains = [
            f"[{number}:v]scale=1280:720:out_range=tv,setsar=1,loop=loop={frames - 1}:size=1,"
            f"setpts=N/30/TB,fade=t=in:st=0:d={fade:g},"
            f"fade=t=out:st={slide - fade:g}:d={fade:g}[s{number}]"
            for number in range(count)
        ]
        joined = "".join(f"[s{number}]" for number in range(count))
        graph = ";".join([
            *chains,
            f"{joined}concat=n={count}:v=1:a=0[v]",
            f"[{count}:a]afade=t=in:d=1,afade=t=out:st={duration - 1:g}:d=1[a]",
        ])
        inputs = [arg for still in m.stills for arg in ("-framerate", "30", "-i", still)]
        return [*inputs, "-i", m.music, "-filter_complex", graph, "-map", "[v]", "-map", "[a]"]

    def moviepy(m: Media) -> Any:
        from moviepy import AudioFileClip, CompositeVideoClip, ImageClip, afx, vfx

        slides = [
            ImageClip(still).resized((1280, 720)).with_duration(slide)
            .with_start(number * slide).with_effects([vfx.FadeIn(fade), vfx.FadeOut(fade)])
            for number, still in enumerate(m.stills)
        ]
        music = AudioFileClip(m.music).subclipped(0, duration)
        music = music.with_effects([afx.AudioFadeIn(1), afx.AudioFadeOut(1)])
        clip = CompositeVideoClip(slides, size=(1280, 720)).with_duration(duration)
        return clip.with_audio(music)

    return Composition("C", f"720p slideshow, {count} stills, fades, music", 1280, 720, 30,
                       duration, lambda m: {"output": _output(1280, 720, duration), **spec(m)},
                       hand, moviepy)


def _output(width: int, height: int, duration: float) -> dict[str, Any]:
    return {"format": "mp4", "width": width, "height": height, "fps": 30,
            "duration": duration, "quality": QUALITY}


BUILDERS: dict[str, Callable[..., Composition]] = {"A": build_a, "B": build_b, "C": build_c}
QUICK_DURATIONS = {"A": 2.0, "B": 3.0, "C": 6.0}


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


def commands(comp: Composition, media: Media, ffmpeg: str) -> dict[str, list[str]]:
    spec = f"{comp.key}.json"
    return {
        "vidgen": [*vidgen_command(), "render", spec, "-o", f"{comp.key}-vidgen.mp4", "--quiet"],
        "hand": hand_command(comp, media, ffmpeg, f"{comp.key}-hand.mp4"),
        "moviepy": [sys.executable, str(Path(__file__).resolve()), "--moviepy-worker",
                    comp.key, str(comp.duration), f"{comp.key}-moviepy.mp4"],
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


@dataclass
class Sample:
    wall: float
    cpu: float


class Hang(RuntimeError):
    """The command made no exit within its time limit (it was killed, with its children)."""


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


def _timed(args: list[str], work: Path, timeout: float, label: str, hangs: list[str]) -> Sample:
    """run_once, retried (twice at most) when a run gets stuck; stuck runs are reported."""
    for _ in range(3):
        try:
            return run_once(args, work, timeout)
        except Hang as exc:
            hangs.append(label)
            print(f"  {label}: {exc}; retrying", file=sys.stderr, flush=True)
    raise RuntimeError(f"{label}: stuck three times")


def benchmark(comps: list[Composition], media: Media, work: Path, runs: int,
              ffmpeg: str, hangs: list[str]) -> dict[str, dict[str, list[Sample]]]:
    """Median inputs: every tool's samples, plus `startup`: `vidgen render --dry-run` (the
    CLI's own cost: Python start, imports, validation, probing, compiling; no FFmpeg)."""
    samples: dict[str, dict[str, list[Sample]]] = {
        c.key: {t: [] for t in (*TOOLS, "startup")} for c in comps
    }
    for run in range(runs):
        for comp in comps:
            cmds = commands(comp, media, ffmpeg)
            for tool, args in cmds.items():
                out = work / f"{comp.key}-{tool}.mp4"
                out.unlink(missing_ok=True)
                limit = (120 + 30 * comp.duration) if tool == "moviepy" else 60 + 10 * comp.duration
                sample = _timed(args, work, limit, f"run {run + 1} {comp.key} {tool}", hangs)
                problem = verify(out, comp)
                if problem:
                    raise RuntimeError(f"{comp.key} {tool}: wrong output: {problem}")
                samples[comp.key][tool].append(sample)
                print(f"  run {run + 1}/{runs} {comp.key} {tool:8s} {sample.wall:7.2f} s wall"
                      f" {sample.cpu:7.2f} s cpu", file=sys.stderr, flush=True)
            dry_run = [*cmds["vidgen"][:-1], "--dry-run"]
            samples[comp.key]["startup"].append(run_once(dry_run, work, 60))
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


def machine_info(ffmpeg: str) -> list[str]:
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
        f"- MoviePy: {metadata.version('moviepy')}",
        f"- load average at the end: {load}",
        "- vidgen's modules byte-compiled first, as in an installed package",
    ]


def table(comps: list[Composition], samples: dict[str, dict[str, list[Sample]]],
          metric: str) -> list[str]:
    lines = [
        "| composition | vidgen s | hand FFmpeg s | MoviePy s | a/b | c/a |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for comp in comps:
        med = {tool: statistics.median(getattr(s, metric) for s in samples[comp.key][tool])
               for tool in TOOLS}
        name = f"{comp.key}: {comp.title}, {comp.duration:g} s"
        lines.append(f"| {name} | {med['vidgen']:.2f} | {med['hand']:.2f} | "
                     f"{med['moviepy']:.2f} | {med['vidgen'] / med['hand']:.2f} | "
                     f"{med['moviepy'] / med['vidgen']:.1f} |")
    return lines


def breakdown(comps: list[Composition], samples: dict[str, dict[str, list[Sample]]]) -> list[str]:
    """Where vidgen's time goes: its CLI's own cost, and the rest (FFmpeg running its graph)."""
    lines = [
        "| composition | vidgen s | of which CLI (--dry-run) s | rest s | hand FFmpeg s "
        "| rest/b | rest/b, CPU time |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for comp in comps:
        wall = {tool: statistics.median(s.wall for s in runs)
                for tool, runs in samples[comp.key].items()}
        cpu = {tool: statistics.median(s.cpu for s in runs)
               for tool, runs in samples[comp.key].items()}
        rest = wall["vidgen"] - wall["startup"]
        rest_cpu = (cpu["vidgen"] - cpu["startup"]) / cpu["hand"]
        lines.append(f"| {comp.key} | {wall['vidgen']:.2f} | {wall['startup']:.2f} | {rest:.2f} | "
                     f"{wall['hand']:.2f} | {rest / wall['hand']:.2f} | {rest_cpu:.2f} |")
    return lines


def report(comps: list[Composition], samples: dict[str, dict[str, list[Sample]]],
           runs: int, ffmpeg: str, hangs: list[str]) -> str:
    parts = [
        f"### Wall time, median of {runs} run(s)", "", *table(comps, samples, "wall"), "",
        f"### CPU time (user + system of the child processes), median of {runs} run(s)", "",
        *table(comps, samples, "cpu"), "",
        "### vidgen's wall time split: the CLI's own cost vs the rest", "",
        *breakdown(comps, samples), "",
        "a = `vidgen render --quiet` (CLI start, probing and FFmpeg); b = one hand-written "
        "FFmpeg command; c = MoviePy 2.x. Goal: a/b <= 1.10, c/a >= 5.", "",
        *machine_info(ffmpeg),
    ]
    if hangs:
        parts += ["", f"Runs that got stuck and were killed, then retried: {', '.join(hangs)}"]
    return "\n".join(parts)


def show_commands(comps: list[Composition], media: Media, work: Path, ffmpeg: str) -> None:
    for comp in comps:
        cmds = commands(comp, media, ffmpeg)
        dry = subprocess.run([*cmds["vidgen"][:-1], "--dry-run"], cwd=work, capture_output=True,
                             text=True, check=True).stdout.strip()
        print(f"\n#### {comp.key}: {comp.title}\n")
        print(f"spec:\n```json\n{json.dumps(comp.spec(media), indent=2)}\n```\n")
        print(f"vidgen's command (--dry-run):\n```\n{dry}\n```\n")
        print(f"hand-written:\n```\n{shlex.join(cmds['hand'])}\n```")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per tool (median)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: 1 run, shortened compositions")
    parser.add_argument("--only", default="A,B,C", help="compositions to run, e.g. A,C")
    parser.add_argument("--show-commands", action="store_true",
                        help="also print each spec, vidgen's --dry-run and the hand command")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--moviepy-worker", nargs=3, metavar=("KEY", "SECONDS", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.moviepy_worker:
        key, seconds, out = args.moviepy_worker
        moviepy_worker(key, float(seconds), out)
        return 0
    keys = [key.strip().upper() for key in args.only.split(",") if key.strip()]
    unknown = [key for key in keys if key not in BUILDERS]
    if unknown:
        parser.error(f"unknown composition(s): {', '.join(unknown)}")
    runs = 1 if args.quick else args.runs
    comps = compositions(keys, quick=args.quick)
    compile_bytecode()
    ffmpeg = ffmpeg_exe()
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
        samples = benchmark(comps, media, work, runs, ffmpeg, hangs)
    print(report(comps, samples, runs, ffmpeg, hangs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
