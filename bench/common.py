"""What every benchmark composition shares: encoder settings, the generated media, the
Composition record (one case written three times) and small text helpers."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

X264 = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"]
AAC = ["-c:a", "aac", "-b:a", "192k", "-ar", "48000"]
QUALITY = {"crf": 23, "preset": "veryfast"}


# --------------------------------------------------------------------------- media


@dataclass(frozen=True)
class Media:
    """File names of the generated media, relative to the work folder (every tool's cwd)."""

    clip: str = "clip.mp4"
    logo: str = "logo.png"
    stills: tuple[str, ...] = tuple(f"still{number}.jpg" for number in range(1, 7))
    # the slideshow's photos: the six stills and two more
    photos: tuple[str, ...] = tuple(f"still{number}.jpg" for number in range(1, 9))
    music: str = "music.m4a"
    font: str = "font.ttf"
    screen: str = "screen.mp4"  # a green screen with a moving skin-toned subject (E)
    grade: str = "grade.cube"  # a 3D LUT (E)


STILL_SOURCES = (
    "testsrc2=s=1920x1080",
    "mandelbrot=s=1920x1080",
    "smptehdbars=s=1920x1080",
    "gradients=s=1920x1080:c0=0x203080:c1=0xf0a020:seed=7",
    "cellauto=s=1920x1080:rule=110:seed=3",
    "rgbtestsrc=s=1920x1080",
    "sierpinski=s=1920x1080:seed=5",
    "gradients=s=1920x1080:c0=0x802030:c1=0x20c0a0:c2=0xf0f0e0:n=3:seed=11",
)
LOGO_FILTER = (
    "color=c=black@0:s=320x320,format=rgba,"
    "geq=r='255':g='150+90*Y/H':b='40':a='255*lt(hypot(X-160,Y-160),150)*(0.55+0.45*X/W)'"
)
MUSIC_SOURCE = (
    "aevalsrc='0.25*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*2*t))"
    "|0.25*sin(2*PI*330*t)*(0.6+0.4*cos(2*PI*2*t))':s=48000:d=30"
)


SCREEN_SOURCE = (  # 20 s: composition E plays it at twice its speed
    "color=c=0x00b140:s=640x360:r=30:d=20,"
    "drawbox=x='200+150*sin(t)':y=80:w=120:h=120:c=0xe0ac69:t=fill,"
    "drawbox=x='180+150*sin(t)':y=200:w=160:h=160:c=0x2a4d8f:t=fill"
)


def write_grade(path: Path, size: int = 17) -> None:
    """A warm 3D LUT: reds up, blues down (red fastest, as .cube files are laid out)."""
    step = size - 1
    rows = [f"LUT_3D_SIZE {size}"]
    for b in range(size):
        for g in range(size):
            for r in range(size):
                rows.append(f"{min(1.0, r / step * 1.08):.5f} {g / step:.5f} "
                            f"{b / step * 0.9:.5f}")
    path.write_text("\n".join(rows) + "\n")


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
        ["-f", "lavfi", "-i", SCREEN_SOURCE, *X264, "-g", "60", media.screen],
    ]
    jobs += [
        ["-f", "lavfi", "-i", source, "-frames:v", "1", "-q:v", "3", name]
        for source, name in zip(STILL_SOURCES, media.photos, strict=True)
    ]
    for args in jobs:
        subprocess.run([*base, *args], cwd=work, check=True)
    shutil.copyfile(bundled_font(), work / media.font)
    write_grade(work / media.grade)
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


def drawtext(font: str, text: str, size: int, color: str, border: int, y: int) -> str:
    """drawtext at the same spot vidgen puts its text box (centred, top at `y`)."""
    return (f"drawtext=fontfile={font}:text='{text}':fontsize={size}:fontcolor={color}"
            f":bordercolor=black:borderw={border}:x=(w-text_w)/2:y={y}:y_align=font")


def text_clip(m: Media, text: str, size: int, color: str, border: int) -> Any:
    from moviepy import TextClip

    return TextClip(font=m.font, text=text, font_size=size, color=color,
                    stroke_color="black", stroke_width=border)


def output(width: int, height: int, duration: float) -> dict[str, Any]:
    return {"format": "mp4", "width": width, "height": height, "fps": 30,
            "duration": duration, "quality": QUALITY}
