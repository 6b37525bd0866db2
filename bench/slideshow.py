"""Composition D of the render benchmark: a 1080p slideshow of eight photos, each with Ken
Burns, seven transitions of different types, an animated title and music.

The hand-written command is the cheapest single FFmpeg run for the same pictures that we
could write: each photo scaled once and warped per frame by `perspective` (sub-pixel Ken
Burns, as smooth as vidgen's; `zoompan` moves in whole pixels), the slides joined by
`xfade`, the title as `drawtext` with expressions for its slide and fade.
"""

from __future__ import annotations

import math
from typing import Any

from bench.common import Composition, Media, drawtext, output, text_clip

D_TITLE = "Eight photos in one pass"
D_TITLE_Y = 900
D_TITLE_SIZE = 72
D_TITLE_START, D_TITLE_LENGTH = 0.5, 5.0
D_ENTER, D_EXIT = 0.8, 0.6
TRANSITION = 1.0
# (vidgen name, xfade name): seven different transitions
TRANSITIONS = (("fade", "fade"), ("wipe-left", "wipeleft"), ("slide-left", "slideleft"),
               ("circle-open", "circleopen"), ("dissolve", "dissolve"),
               ("fade-black", "fadeblack"), ("smooth-left", "smoothleft"))
# Ken Burns of each photo: (zoom, focus x %, focus y %) at its start and at its end
KEN_BURNS = (((1.0, 50, 50), (1.2, 40, 40)), ((1.2, 60, 50), (1.0, 50, 50)),
             ((1.0, 50, 50), (1.15, 65, 45)), ((1.15, 35, 60), (1.0, 50, 50)),
             ((1.0, 50, 50), (1.2, 55, 35)), ((1.2, 45, 55), (1.0, 50, 50)),
             ((1.0, 50, 50), (1.15, 30, 50)), ((1.15, 50, 40), (1.0, 50, 50)))


def slide_step(duration: float, count: int) -> float:
    """Seconds from one slide's start to the next, on the 30 fps frame grid: `count`
    slides overlapping by one transition fill `duration` (the last one takes the rest)."""
    return math.floor((duration - TRANSITION) / count * 30) / 30


def _focus(zoom: float, percent: float) -> float:
    """vidgen keeps the view inside the picture: the focus clamped to [0.5/z, 1 - 0.5/z]."""
    margin = 0.5 / zoom
    return min(1 - margin, max(margin, percent / 100))


def _ken_burns_filter(index: int, length: float) -> str:
    """Linear zoom and focus over the slide, as one bilinear `perspective` warp a frame
    (its frame number `in` gives the time: the slide's frames start at 0)."""
    (z0, fx0, fy0), (z1, fx1, fy1) = KEN_BURNS[index]
    t = "((in-1)/30)"
    share = f"min({t}/{length:g},1)"
    zoom = f"({z0:g}+{z1 - z0:g}*{share})"
    fx = f"({_focus(z0, fx0):.6f}+{_focus(z1, fx1) - _focus(z0, fx0):.6f}*{share})"
    fy = f"({_focus(z0, fy0):.6f}+{_focus(z1, fy1) - _focus(z0, fy0):.6f}*{share})"
    left = f"(W*{fx}-W/(2*{zoom}))"
    top = f"(H*{fy}-H/(2*{zoom}))"
    right, bottom = f"{left}+W/{zoom}", f"{top}+H/{zoom}"
    corners = {"x0": left, "y0": top, "x1": right, "y1": top, "x2": left, "y2": bottom,
               "x3": right, "y3": bottom}
    return "perspective=" + ":".join(f"{k}='{v}'" for k, v in corners.items()) + \
        ":sense=source:eval=frame"


def _title_filter(font: str) -> str:
    """The title slides up from below the canvas (ease-out) and fades out at its end."""
    start, end = D_TITLE_START, D_TITLE_START + D_TITLE_LENGTH
    p = f"min(max((t-{start:g})/{D_ENTER:g},0),1)"
    # ease-out is cubic-bezier(0,0,0.58,1); the quadratic 1-(1-p)^2 is close and cheap
    eased = f"(1-(1-{p})*(1-{p}))"
    y = f"{D_TITLE_Y}+(1080-{D_TITLE_Y})*(1-{eased})"
    alpha = f"min(max(({end:g}-t)/{D_EXIT:g},0),1)"
    text = drawtext(font, D_TITLE, D_TITLE_SIZE, "white", 3, D_TITLE_Y)
    return (text.replace(f":y={D_TITLE_Y}", f":y='{y}'")
            + f":alpha='{alpha}':enable='between(t,{start:g},{end:g})'")


def build_d(duration: float = 30.0) -> Composition:
    count = len(Media().photos)
    step = slide_step(duration, count)

    def length(number: int) -> float:
        return step + TRANSITION if number < count - 1 else duration - number * step

    def spec(m: Media) -> dict[str, Any]:
        slides = []
        for number, photo in enumerate(m.photos):
            (z0, fx0, fy0), (z1, fx1, fy1) = KEN_BURNS[number]
            slide: dict[str, Any] = {
                "id": f"photo{number + 1}", "type": "image", "source": photo, "fit": "cover",
                "start": round(number * step, 6), "duration": round(length(number), 6),
                "motion": {"type": "ken-burns",
                           "from": {"zoom": z0, "focus": [f"{fx0}%", f"{fy0}%"]},
                           "to": {"zoom": z1, "focus": [f"{fx1}%", f"{fy1}%"]}},
            }
            if number:
                slide["transition"] = {"type": TRANSITIONS[number - 1][0],
                                       "duration": TRANSITION}
            slides.append(slide)
        title = {"id": "title", "type": "text", "text": D_TITLE, "font": m.font,
                 "font_size": D_TITLE_SIZE, "color": "white", "stroke_color": "black",
                 "stroke_width": 3, "x": "center", "y": D_TITLE_Y, "track": 1,
                 "start": D_TITLE_START, "duration": D_TITLE_LENGTH,
                 "enter": {"type": "slide-up", "duration": D_ENTER, "easing": "ease-out"},
                 "exit": {"type": "fade", "duration": D_EXIT}}
        music = {"id": "music", "type": "audio", "source": m.music, "fade_in": 1,
                 "fade_out": 2}
        return {"elements": [*slides, title, music]}

    def hand(m: Media) -> list[str]:
        chains = [
            f"[{n}:v]scale=1920:1080:out_range=tv,setsar=1,format=yuv420p,"
            f"loop=loop={round(length(n) * 30) - 1}:size=1,setpts=N/30/TB,"
            f"{_ken_burns_filter(n, length(n))}[p{n}]"
            for n in range(count)
        ]
        joined, last = "[p0]", "p0"
        steps = []
        for n in range(1, count):
            offset = n * step
            steps.append(f"{joined}[p{n}]xfade=transition={TRANSITIONS[n - 1][1]}"
                         f":duration={TRANSITION:g}:offset={offset:.6f}[x{n}]")
            joined, last = f"[x{n}]", f"x{n}"
        graph = ";".join([
            *chains, *steps,
            f"[{last}]{_title_filter(m.font)}[v]",
            f"[{count}:a]afade=t=in:d=1,afade=t=out:st={duration - 2:g}:d=2[a]",
        ])
        inputs = [arg for photo in m.photos for arg in ("-i", photo)]
        return [*inputs, "-i", m.music, "-filter_complex", graph, "-map", "[v]", "-map", "[a]"]

    def moviepy(m: Media) -> Any:
        from moviepy import AudioFileClip, CompositeVideoClip, ImageClip, afx, vfx

        slides = []
        for number, photo in enumerate(m.photos):
            (z0, _, _), (z1, _, _) = KEN_BURNS[number]
            seconds = length(number)
            clip = ImageClip(photo).with_duration(seconds).with_start(number * step)
            clip = clip.resized(lambda t, a=z0, b=z1, s=seconds: a + (b - a) * t / s)
            clip = clip.with_position("center")
            if number:
                clip = clip.with_effects([vfx.CrossFadeIn(TRANSITION)])
            slides.append(clip)
        title = text_clip(m, D_TITLE, D_TITLE_SIZE, "white", 3).with_start(D_TITLE_START)
        title = title.with_duration(D_TITLE_LENGTH).with_effects([
            vfx.SlideIn(D_ENTER, "bottom"), vfx.FadeOut(D_EXIT)])
        music = AudioFileClip(m.music).subclipped(0, duration)
        music = music.with_effects([afx.AudioFadeIn(1), afx.AudioFadeOut(2)])
        clip = CompositeVideoClip([*slides, title], size=(1920, 1080)).with_duration(duration)
        return clip.with_audio(music)

    return Composition("D", f"1080p slideshow, {count} photos, Ken Burns, "
                       f"{count - 1} transitions, animated title, music", 1920, 1080, 30,
                       duration, lambda m: {"output": output(1920, 1080, duration), **spec(m)},
                       hand, moviepy)
